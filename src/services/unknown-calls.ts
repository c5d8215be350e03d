import { envelope, wireTask, type WireTask } from '../contracts/envelope.js';
import { subscriptionDenial } from '../domain/api-prices.js';
import { ID_FAMILY, newId } from '../domain/ids.js';
import { STATUS, type StatusDef } from '../domain/status-codes.js';
import { TASK_PATH_NOT_PASSED, unknownColumns, unknownPathKind } from '../domain/unknown-paths.js';
import type { UnknownPassThrough } from '../executors/executor.js';
import type { Budgets, TaskHistory, TaskIntake } from '../store/store.js';
import { checkAccountLimits, hasTaskControls, payloadHash } from './account-controls.js';
import { type CallContext, type ServiceDeps, elapsedMs } from './deps.js';
import { LIVE_TIMEOUT_MS } from './live.js';
import type { ServiceResult } from './webhooks.js';
import { liveTask } from './live-task.js';

/**
 * Calls of paths the catalog does not know, passed to the upstream by a relay started with
 * `--relay-pass-unknown` (the vendor added an endpoint after serpq's catalog was made): a new
 * endpoint works the day it appears. Synchronous calls only (domain/unknown-paths.ts): a task path,
 * a task id, or the appendix would cross between the accounts sharing the one upstream account, and
 * is refused with 40400 saying so.
 *
 * A passed call is what a live call is to the account: authenticated and within its request limits
 * (the gate), its subscriptions, its daily cost cap, duplicate controls and budgets; its cost is not
 * known before the upstream answers, so these are checked for the smallest charge (1 micro-USD): a
 * cap or budget already reached refuses it, and a call that passes is charged what the upstream
 * charged even when that takes the spend past a cap (as the relay's live calls are). Each task of the
 * upstream's answer is recorded as a live task of the API the path's first segment names (id_list,
 * user_data, budgets and the spend metrics see it) under a serpq id, and answered with the upstream's
 * status, data and result. The call is passed whole or not at all: a limit refusing one of its tasks
 * refuses them all.
 */

type Deps = ServiceDeps<Pick<TaskIntake, 'insertLiveTask'> & TaskHistory & Pick<Budgets, 'budgetsOf' | 'claimBudgetAlert'>> & {
  readonly executor: Partial<UnknownPassThrough>;
};

/** The smallest charge: what the limits are checked for when the cost is only known afterwards. */
const UNKNOWN_ESTIMATE_MICRO = 1;

const top = (ctx: CallContext, s: StatusDef | { code: number; message: string; http: number }): ServiceResult => ({
  httpStatus: s.http,
  body: envelope(s, { timeMs: elapsedMs(ctx), tasks: null }),
});

/** The HTTP status to answer an upstream's top-level code with (the vendor's, as serpq's catalog has it). */
function httpOf(code: number): number {
  for (const s of Object.values(STATUS)) if (s.code === code) return s.http;
  return code >= 50000 ? 500 : 200;
}

const asObject = (v: unknown): Record<string, unknown> | null =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

/**
 * One call of an unknown path (`segments` after `/v3/`), GET or POST with its parsed body. Null
 * when the executor does not pass unknown paths: the route answers 404 as before.
 */
export async function callUnknown(
  deps: Deps,
  ctx: CallContext,
  method: 'GET' | 'POST',
  segments: readonly string[],
  body: unknown,
): Promise<ServiceResult | null> {
  const passUnknown = deps.executor.passUnknown;
  if (!passUnknown) return null;
  const kind = unknownPathKind(segments, body);
  if (kind === 'invalid') return top(ctx, STATUS.NOT_FOUND);
  if (kind === 'task') return top(ctx, { code: STATUS.NOT_FOUND.code, message: TASK_PATH_NOT_PASSED, http: STATUS.NOT_FOUND.http });
  let posted: readonly unknown[] = [null];
  if (method === 'POST') {
    if (body === undefined || body === null || (Array.isArray(body) && body.length === 0)) return top(ctx, STATUS.POST_DATA_EMPTY);
    if (!Array.isArray(body)) return top(ctx, STATUS.POST_DATA_INVALID);
    posted = body;
  }
  if (ctx.account.balanceMicro <= 0) return top(ctx, STATUS.PAYMENT_REQUIRED);

  const now = deps.clock.now();
  const path = segments.join('/');
  const wirePath = ['v3', ...segments];
  const cols = unknownColumns(segments);
  const refuse = (status: { code: number; message: string }): ServiceResult => {
    const tasks = posted.map((t) =>
      wireTask(newId(now, ctx.account.id, ID_FAMILY.LIVE), status, { timeMs: 0, path: wirePath, data: asObject(t) }),
    );
    return { httpStatus: 200, body: envelope(STATUS.OK, { timeMs: elapsedMs(ctx), tasks }) };
  };
  // An API the account has no subscription for: refused, free, nothing kept.
  const denied = subscriptionDenial(ctx.account.noSubscriptions, path);
  if (denied) return refuse({ code: denied.statusCode, message: denied.statusMessage });
  const hashes = posted.map((t) =>
    hasTaskControls(ctx.account) ? payloadHash(`${cols.api}/${cols.se}`, cols.seType, cols.method, asObject(t) ?? {}) : null,
  );
  const verdicts = await checkAccountLimits(
    deps.store,
    deps.clock,
    ctx.account,
    cols.api,
    hashes.map((h) => ({ payloadHash: h ?? '', costMicro: UNKNOWN_ESTIMATE_MICRO })),
  );
  const verdict = verdicts.find((v) => v !== null);
  if (verdict) return refuse(verdict);

  const env = await withTimeout((signal) => passUnknown({ method, path, body: method === 'POST' ? body : undefined }, signal));
  if (env === null) return top(ctx, STATUS.INTERNAL_ERROR);
  if (httpOf(env.status_code) === 401) {
    // The upstream refused serpq's own credentials: nothing the caller can change.
    return top(ctx, STATUS.INTERNAL_ERROR);
  }
  const entries: WireTask[] = [];
  let spent = 0;
  const completedAt = deps.clock.now();
  for (const [i, t] of (env.tasks ?? []).entries()) {
    const id = newId(now, ctx.account.id, ID_FAMILY.LIVE);
    const data = asObject(t.data) ?? asObject(posted[i]);
    const costMicro = Math.max(0, Math.round((typeof t.cost === 'number' && Number.isFinite(t.cost) ? t.cost : 0) * 1_000_000));
    const status = { code: t.status_code, message: t.status_message };
    const tag = asObject(posted[i])?.tag;
    const accepted = await deps.store.insertLiveTask(
      ctx.account.id,
      liveTask({
        id,
        api: cols.api,
        se: cols.se,
        seType: cols.seType,
        tag: typeof tag === 'string' ? tag : null,
        data: JSON.stringify(data ?? {}),
        costMicro,
        now,
        payloadHash: hashes[i] ?? null,
      }),
      { statusCode: t.status_code, statusMessage: t.status_message, completedAt, method: cols.method },
    );
    if (!accepted) {
      entries.push(wireTask(id, STATUS.INSUFFICIENT_FUNDS, { timeMs: 0, path: wirePath, data }));
      return {
        httpStatus: STATUS.INSUFFICIENT_FUNDS.http,
        body: envelope(STATUS.INSUFFICIENT_FUNDS, { timeMs: elapsedMs(ctx), costMicro: spent, tasks: entries }),
      };
    }
    spent += costMicro;
    entries.push(wireTask(id, status, { timeMs: elapsedMs(ctx), costMicro, path: wirePath, data, result: t.result }));
  }
  const status = { code: env.status_code, message: env.status_message };
  return {
    httpStatus: httpOf(env.status_code),
    body: envelope(status, { timeMs: elapsedMs(ctx), costMicro: spent, tasks: env.tasks ? entries : null }),
  };
}

/** The executor's answer within the live timeout (null after it: the call is aborted). */
async function withTimeout<T>(run: (signal: AbortSignal) => Promise<T | null>): Promise<T | null> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => {
      abort.abort();
      resolve(null);
    }, LIVE_TIMEOUT_MS);
  });
  return Promise.race([run(abort.signal), timeout]).finally(() => clearTimeout(timer));
}
