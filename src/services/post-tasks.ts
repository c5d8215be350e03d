import { type SeTypeDef, endpointPath } from '../domain/catalog.js';
import { ID_FAMILY, newId } from '../domain/ids.js';
import { taskPostPriceMicro } from '../domain/pricing.js';
import { STATUS, invalidFieldMessage } from '../domain/status-codes.js';
import { MAX_TASKS_PER_POST } from '../domain/task.js';
import { parseTaskRequest } from '../domain/task-request.js';
import { formatDateTime } from '../domain/time-format.js';
import { type WireEnvelope, type WireTask, envelope, pathSegments, wireTask } from '../contracts/envelope.js';
import type { Budgets, NewTask, TaskIntake, TaskHistory } from '../store/store.js';
import { checkAccountLimits, hasTaskControls, payloadHash } from './account-controls.js';
import { type CallContext, type ServiceDeps, elapsedMs } from './deps.js';

/** The tasks_ready row of a task, as stored once at task_post. */
export function readyRowJson(def: SeTypeDef, id: string, postedAt: number, tag: string | null): string {
  return JSON.stringify({
    id,
    se: def.se,
    se_type: def.seType,
    date_posted: formatDateTime(postedAt),
    tag,
    endpoint_regular: endpointPath(def, 'regular', id),
    endpoint_advanced: endpointPath(def, 'advanced', id),
    endpoint_html: endpointPath(def, 'html', id),
  });
}

export interface PostResult {
  readonly httpStatus: number;
  readonly body: WireEnvelope;
}

/** One posted task as a type reads it: accepted with its facts, or refused with the vendor's code. */
export type ReadTask =
  | {
      readonly ok: true;
      /** The `data` echo (posted fields plus filled defaults): what is stored as the task's request. */
      readonly data: Record<string, unknown>;
      readonly priority: number;
      readonly tag: string | null;
      readonly postbackUrl: string | null;
      readonly postbackData: string | null;
      readonly pingbackUrl: string | null;
      readonly costMicro: number;
      /** The least time the task takes (an On-Page crawl's pages at the crawl rate); the executor's latency otherwise. */
      readonly minDurationMs?: number;
      /** The task's tasks_ready row. */
      readyJson(id: string, postedAt: number): string;
    }
  | { readonly ok: false; readonly code: number; readonly message: string; readonly data: Record<string, unknown> };

/**
 * What task_post needs of a type, whichever catalog describes it: SERP's engine catalog
 * (`serpPostedType`) or the catalog of every API (services/catalog-tasks.ts).
 */
export interface PostedType {
  readonly api: string;
  /** Where its tasks are filed (tasks.se, tasks.se_type). */
  readonly se: string;
  readonly seType: string;
  /** The `data` echo of a task refused before it is read (past the 100th). */
  readonly echo: Record<string, unknown>;
  read(task: unknown): ReadTask;
}

/** A SERP type as task_post reads it (src/domain/task-request.ts, priced by src/domain/pricing.ts). */
export function serpPostedType(def: SeTypeDef): PostedType {
  return {
    api: 'serp',
    se: def.se,
    seType: def.seType,
    echo: { api: 'serp', function: 'task_post', se: def.se, se_type: def.seType },
    read(task) {
      const parsed = parseTaskRequest(def, task, 'task_post');
      if (!parsed.ok) return { ok: false, code: STATUS.INVALID_FIELD.code, message: invalidFieldMessage(parsed.field), data: parsed.data };
      const t = parsed.task;
      return {
        ok: true,
        data: parsed.data,
        priority: t.priority,
        tag: t.tag,
        postbackUrl: t.postbackUrl,
        postbackData: t.postbackData,
        pingbackUrl: t.pingbackUrl,
        costMicro: taskPostPriceMicro(def, t),
        readyJson: (id, postedAt) => readyRowJson(def, id, postedAt, t.tag),
      };
    },
  };
}

/**
 * task_post: validates each task on its own, prices the valid ones, and stores them with the balance
 * debit in one transaction; the answer is built after the commit. Rejected tasks cost nothing and are
 * never queued. Per-task outcomes are values in `tasks[]`, in the order posted.
 */
export async function postTasks(
  deps: ServiceDeps<Pick<TaskIntake, 'postTasks'> & TaskHistory & Pick<Budgets, 'budgetsOf' | 'claimBudgetAlert'>>,
  ctx: CallContext,
  type: PostedType,
  body: unknown,
): Promise<PostResult> {
  const topError = (s: (typeof STATUS)[keyof typeof STATUS]): PostResult => ({
    httpStatus: s.http,
    body: envelope(s, { timeMs: elapsedMs(ctx), tasks: null }),
  });
  if (body === undefined || body === null || (Array.isArray(body) && body.length === 0)) return topError(STATUS.POST_DATA_EMPTY);
  if (!Array.isArray(body)) return topError(STATUS.POST_DATA_INVALID);
  if (ctx.account.balanceMicro <= 0) return topError(STATUS.PAYMENT_REQUIRED);

  const now = deps.clock.now();
  const path = pathSegments(ctx.url);
  const accountId = ctx.account.id;
  const entries: WireTask[] = new Array(body.length);
  const candidates: NewTask[] = [];
  const candidateAt: number[] = [];
  const candidateData: Record<string, unknown>[] = [];
  const controlled = hasTaskControls(ctx.account);
  // Duplicates are counted per API: SERP's hash keeps its historic form.
  const hashSe = type.api === 'serp' ? type.se : `${type.api}/${type.se}`;

  for (let i = 0; i < body.length; i++) {
    const id = newId(now, accountId, ID_FAMILY.TASK_POST);
    if (i >= MAX_TASKS_PER_POST) {
      entries[i] = wireTask(id, STATUS.TOO_MANY_TASKS, { timeMs: 0, path, data: type.echo });
      continue;
    }
    const t = type.read(body[i]);
    if (!t.ok) {
      entries[i] = wireTask(id, { code: t.code, message: t.message }, { timeMs: 0, path, data: t.data });
      continue;
    }
    candidates.push({
      id,
      api: type.api,
      se: type.se,
      seType: type.seType,
      priority: t.priority,
      tag: t.tag,
      data: JSON.stringify(t.data),
      postbackUrl: t.postbackUrl,
      postbackData: t.postbackData,
      pingbackUrl: t.pingbackUrl,
      costMicro: t.costMicro,
      postedAt: now,
      // A crawl's duration is the emulator's to keep; an executor running tasks elsewhere (the relay) takes them at once.
      runAfter: now + Math.max(deps.executor.latencyMs(t.priority), deps.executor.callTaskFunction ? 0 : (t.minDurationMs ?? 0)),
      readyJson: t.readyJson(id, now),
      // Hashed only when a duplicate limit is on: the common path stays cheap.
      payloadHash: controlled ? payloadHash(hashSe, type.seType, 'task_post', t.data) : null,
    });
    candidateAt.push(i);
    candidateData.push(t.data);
  }

  // The account's limits (controls: daily cost cap 40203, duplicates 40205/40206; budgets: 40203).
  if (candidates.length > 0) {
    const verdicts = await checkAccountLimits(
      deps.store,
      deps.clock,
      ctx.account,
      type.api,
      candidates.map((c) => ({ payloadHash: c.payloadHash ?? '', costMicro: c.costMicro })),
      deps.notifyDeliveries,
    );
    for (let k = verdicts.length - 1; k >= 0; k--) {
      const verdict = verdicts[k];
      if (!verdict) continue;
      entries[candidateAt[k]] = wireTask(candidates[k].id, verdict, { timeMs: 0, path, data: candidateData[k] });
      candidates.splice(k, 1);
      candidateAt.splice(k, 1);
      candidateData.splice(k, 1);
    }
  }

  let spent = 0;
  let fundsRejected = 0;
  if (candidates.length > 0) {
    const outcome = await deps.store.postTasks(accountId, candidates);
    const perTaskMs = elapsedMs(ctx) / Math.max(1, candidates.length);
    for (let k = 0; k < candidates.length; k++) {
      const c = candidates[k];
      const i = candidateAt[k];
      if (outcome.accepted[k]) {
        spent += c.costMicro;
        entries[i] = wireTask(c.id, STATUS.TASK_CREATED, { timeMs: perTaskMs, costMicro: c.costMicro, path, data: candidateData[k] });
      } else {
        fundsRejected++;
        entries[i] = wireTask(c.id, STATUS.INSUFFICIENT_FUNDS, { timeMs: 0, path, data: candidateData[k] });
      }
    }
    if (spent > 0) deps.notifyQueued();
  }

  // Nothing could be paid for: the vendor answers the whole call with a payment code (HTTP 402).
  if (fundsRejected > 0 && spent === 0) {
    return {
      httpStatus: STATUS.INSUFFICIENT_FUNDS.http,
      body: envelope(STATUS.INSUFFICIENT_FUNDS, { timeMs: elapsedMs(ctx), tasks: entries }),
    };
  }
  return { httpStatus: 200, body: envelope(STATUS.OK, { timeMs: elapsedMs(ctx), costMicro: spent, tasks: entries }) };
}
