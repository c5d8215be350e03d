import { type SeTypeDef, endpointPath } from '../domain/catalog.js';
import { ID_FAMILY, newId } from '../domain/ids.js';
import { taskPostPriceMicro } from '../domain/pricing.js';
import { STATUS, invalidFieldMessage } from '../domain/status-codes.js';
import { MAX_TASKS_PER_POST } from '../domain/task.js';
import { parseTaskRequest } from '../domain/task-request.js';
import { formatDateTime } from '../domain/time-format.js';
import { type WireEnvelope, type WireTask, envelope, pathSegments, wireTask } from '../contracts/envelope.js';
import type { NewTask, TaskIntake, TaskHistory } from '../store/store.js';
import { checkTaskControls, hasTaskControls, payloadHash } from './account-controls.js';
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

/**
 * task_post: validates each task on its own, prices the valid ones, and stores them with the balance
 * debit in one transaction; the answer is built after the commit. Rejected tasks cost nothing and are
 * never queued. Per-task outcomes are values in `tasks[]`, in the order posted.
 */
export async function postTasks(
  deps: ServiceDeps<Pick<TaskIntake, 'postTasks'> & TaskHistory>,
  ctx: CallContext,
  def: SeTypeDef,
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

  for (let i = 0; i < body.length; i++) {
    const id = newId(now, accountId, ID_FAMILY.TASK_POST);
    if (i >= MAX_TASKS_PER_POST) {
      entries[i] = wireTask(id, STATUS.TOO_MANY_TASKS, {
        timeMs: 0,
        path,
        data: { api: 'serp', function: 'task_post', se: def.se, se_type: def.seType },
      });
      continue;
    }
    const parsed = parseTaskRequest(def, body[i], 'task_post');
    if (!parsed.ok) {
      entries[i] = wireTask(
        id,
        { code: STATUS.INVALID_FIELD.code, message: invalidFieldMessage(parsed.field) },
        {
          timeMs: 0,
          path,
          data: parsed.data,
        },
      );
      continue;
    }
    const t = parsed.task;
    candidates.push({
      id,
      se: def.se,
      seType: def.seType,
      priority: t.priority,
      tag: t.tag,
      data: JSON.stringify(parsed.data),
      postbackUrl: t.postbackUrl,
      postbackData: t.postbackData,
      pingbackUrl: t.pingbackUrl,
      costMicro: taskPostPriceMicro(def, t),
      postedAt: now,
      runAfter: now + deps.executor.latencyMs(t.priority),
      readyJson: readyRowJson(def, id, now, t.tag),
      // Hashed only when a duplicate limit is on: the common path stays cheap.
      payloadHash: controlled ? payloadHash(def.se, def.seType, 'task_post', parsed.data) : null,
    });
    candidateAt.push(i);
    candidateData.push(parsed.data);
  }

  // Account controls (daily cost cap 40203, duplicate limits 40205/40206), when the account has any.
  if (controlled && candidates.length > 0) {
    const verdicts = await checkTaskControls(
      deps.store,
      deps.clock,
      ctx.account,
      candidates.map((c) => ({ payloadHash: c.payloadHash ?? '', costMicro: c.costMicro })),
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
