import type { ResultFunction, SeTypeDef } from '../domain/catalog.js';
import { ID_FAMILY, newId } from '../domain/ids.js';
import { livePriceMicro } from '../domain/pricing.js';
import { STATUS, invalidFieldMessage } from '../domain/status-codes.js';
import { parseTaskRequest } from '../domain/task-request.js';
import { formatDateTime } from '../domain/time-format.js';
import { type WireTask, envelope, pathSegments, wireTask } from '../contracts/envelope.js';
import { type CallContext, type ServiceDeps, elapsedMs } from './deps.js';
import type { PostResult } from './post-tasks.js';
import { readyRowJson } from './post-tasks.js';
import { checkAccountLimits, hasTaskControls, payloadHash } from './account-controls.js';
import { type ExecutionOutcome, isDeferral } from '../executors/executor.js';
import { encodeResult } from '../store/stored-result.js';
import { liveTask } from './live-task.js';

/** A live task that has not finished within this time answers 50401 (the vendor's limit). */
export const LIVE_TIMEOUT_MS = 120_000;

/**
 * live/{regular|advanced|html}: one task per call, executed while the caller waits, billed at the
 * live price. Extra tasks in the call answer 40000 at no cost; the first one runs. The task is kept
 * (id_list lists it; task_get can read it back) but never appears on tasks_ready.
 */
export async function runLive(
  deps: ServiceDeps,
  ctx: CallContext,
  def: SeTypeDef,
  fn: ResultFunction,
  body: unknown,
  timeoutMs = LIVE_TIMEOUT_MS,
): Promise<PostResult> {
  const top = (s: (typeof STATUS)[keyof typeof STATUS]): PostResult => ({
    httpStatus: s.http,
    body: envelope(s, { timeMs: elapsedMs(ctx), tasks: null }),
  });
  if (body === undefined || body === null || (Array.isArray(body) && body.length === 0)) return top(STATUS.POST_DATA_EMPTY);
  if (!Array.isArray(body)) return top(STATUS.POST_DATA_INVALID);
  if (ctx.account.balanceMicro <= 0) return top(STATUS.PAYMENT_REQUIRED);

  const now = deps.clock.now();
  const path = pathSegments(ctx.url);
  const entries: WireTask[] = [];
  for (let i = 1; i < body.length; i++) {
    entries[i] = wireTask(newId(now, ctx.account.id, ID_FAMILY.LIVE), STATUS.ONE_TASK_AT_A_TIME, {
      timeMs: 0,
      path,
      data: { api: 'serp', function: 'live', se: def.se, se_type: def.seType },
    });
  }
  const id = newId(now, ctx.account.id, ID_FAMILY.LIVE);
  const parsed = parseTaskRequest(def, body[0], 'live');
  let spent = 0;
  if (!parsed.ok) {
    entries[0] = wireTask(
      id,
      { code: STATUS.INVALID_FIELD.code, message: invalidFieldMessage(parsed.field) },
      { timeMs: 0, path, data: parsed.data },
    );
  } else {
    const task = parsed.task;
    // serpq's price decides what the call may cost (cost limits); the charge is settled after it ran.
    const priceMicro = livePriceMicro(def, task);
    const hash = hasTaskControls(ctx.account) ? payloadHash(def.se, def.seType, `live/${fn}`, parsed.data) : null;
    // The account's limits: controls (40203, 40205, 40206) and budgets (40203).
    const [verdict] = await checkAccountLimits(
      deps.store,
      deps.clock,
      ctx.account,
      'serp',
      [{ payloadHash: hash ?? '', costMicro: priceMicro }],
      deps.notifyDeliveries,
    );
    if (verdict) {
      entries[0] = wireTask(id, verdict, { timeMs: 0, path, data: parsed.data });
      return { httpStatus: 200, body: envelope(STATUS.OK, { timeMs: elapsedMs(ctx), tasks: entries }) };
    }
    const request = { id, def, request: task, params: parsed.data, postedAt: now };
    let timer: NodeJS.Timeout | undefined;
    const abort = new AbortController();
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => {
        abort.abort();
        resolve(null);
      }, timeoutMs);
    });
    const run = deps.executor.executeLive
      ? deps.executor.executeLive(request, fn, abort.signal)
      : deps.executor.execute(request, abort.signal);
    const raced = await Promise.race([run, timeout]).finally(() => clearTimeout(timer));
    // A live call cannot wait for a deferred execution: it fails as the vendor's failed tasks do.
    const outcome: ExecutionOutcome | null =
      raced && isDeferral(raced)
        ? { statusCode: STATUS.TASK_EXECUTION_FAILED.code, statusMessage: STATUS.TASK_EXECUTION_FAILED.message }
        : raced;
    const completedAt = deps.clock.now();
    const status = outcome
      ? { code: outcome.statusCode, message: outcome.statusMessage }
      : { code: STATUS.TIMEOUT.code, message: STATUS.TIMEOUT.message };
    const stored = outcome?.results?.map((r) => ({ fn: r.fn, body: encodeResult(r.value) }));
    // An executor that knows the call's final cost (the relay: what the upstream charged) sets the
    // charge, as a relayed task_post task's charge becomes the upstream's cost; else serpq's price.
    // The charge is taken once, after the call, so the difference is never taken in the first place.
    const costMicro = outcome?.costMicro ?? priceMicro;
    const accepted = await deps.store.insertLiveTask(
      ctx.account.id,
      liveTask({
        id,
        se: def.se,
        seType: def.seType,
        tag: task.tag,
        data: JSON.stringify({ ...parsed.data, postback_data: fn }),
        costMicro,
        now,
        readyJson: readyRowJson(def, id, now, task.tag),
        payloadHash: hash,
      }),
      { statusCode: status.code, statusMessage: status.message, completedAt, method: `live/${fn}`, results: stored },
    );
    if (!accepted) {
      entries[0] = wireTask(id, STATUS.INSUFFICIENT_FUNDS, { timeMs: 0, path, data: parsed.data });
      return {
        httpStatus: STATUS.INSUFFICIENT_FUNDS.http,
        body: envelope(STATUS.INSUFFICIENT_FUNDS, { timeMs: elapsedMs(ctx), tasks: entries }),
      };
    }
    spent = costMicro;
    let result: unknown[] | null = null;
    if (status.code === STATUS.OK.code) {
      const value =
        outcome?.results?.find((r) => r.fn === fn)?.value ?? deps.executor.render?.(request, fn, formatDateTime(completedAt)) ?? null;
      result = value === null ? null : [value];
    }
    entries[0] = wireTask(id, status, { timeMs: elapsedMs(ctx), costMicro, path, data: parsed.data, result });
  }
  return { httpStatus: 200, body: envelope(STATUS.OK, { timeMs: elapsedMs(ctx), costMicro: spent, tasks: entries }) };
}
