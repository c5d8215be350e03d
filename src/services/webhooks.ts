import { envelope, pathSegments, wireTask, type WireEnvelope, type WireTask } from '../contracts/envelope.js';
import { ID_FAMILY, isTaskId, newId } from '../domain/ids.js';
import { STATUS, invalidFieldMessage } from '../domain/status-codes.js';
import { MAX_TASKS_PER_POST } from '../domain/task.js';
import { DAY, formatDateTime, parseDateTime } from '../domain/time-format.js';
import type { Outbox } from '../store/store.js';
import { type CallContext, type ServiceDeps, elapsedMs } from './deps.js';

/** How far back POST /v3/serp/errors reaches (the vendor's docs say 24 hours or 7 days; serpq keeps 7). */
export const ERRORS_WINDOW_MS = 7 * DAY;
const MAX_ERRORS_LIMIT = 1000;

export interface ServiceResult {
  readonly httpStatus: number;
  readonly body: WireEnvelope;
}

function topLevel(ctx: CallContext, status: (typeof STATUS)[keyof typeof STATUS]): ServiceResult {
  return { httpStatus: status.http, body: envelope(status, { timeMs: elapsedMs(ctx), tasks: null }) };
}

/**
 * POST /v3/serp/errors: the caller's failed webhook attempts (function `postback_url` / `pingback_url`,
 * the failing URL as the message, the receiver's code, time and answer) and tasks whose execution
 * failed (function `serp/{se}/{se_type}/task_post`, the task's code and message), newest first. Free.
 */
export async function listErrors(
  deps: ServiceDeps<Pick<Outbox, 'listErrors'>>,
  ctx: CallContext,
  body: unknown,
  api = 'serp',
): Promise<ServiceResult> {
  if (body !== undefined && !Array.isArray(body)) return topLevel(ctx, STATUS.POST_DATA_INVALID);
  const q = (Array.isArray(body) && body.length > 0 ? body[0] : {}) as Record<string, unknown>;
  const now = deps.clock.now();
  const path = pathSegments(ctx.url);
  const data: Record<string, unknown> = { api, function: 'errors' };
  const id = newId(now, ctx.account.id, ID_FAMILY.ERRORS);
  const invalid = (field: string): ServiceResult => ({
    httpStatus: 200,
    body: envelope(STATUS.OK, {
      timeMs: elapsedMs(ctx),
      tasks: [
        wireTask(id, { code: STATUS.INVALID_FIELD.code, message: invalidFieldMessage(field) }, { timeMs: elapsedMs(ctx), path, data }),
      ],
    }),
  });
  if (q === null || typeof q !== 'object' || Array.isArray(q)) return invalid('limit');
  for (const k of ['limit', 'offset', 'filtered_function', 'datetime_from', 'datetime_to'])
    if (q[k] !== undefined && q[k] !== null) data[k] = q[k];

  const limit = data.limit === undefined ? MAX_ERRORS_LIMIT : data.limit;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_ERRORS_LIMIT) return invalid('limit');
  const offset = data.offset === undefined ? 0 : data.offset;
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) return invalid('offset');
  const fn = data.filtered_function === undefined ? null : data.filtered_function;
  if (fn !== null && (typeof fn !== 'string' || fn.length > 200)) return invalid('filtered_function');
  let from = now - ERRORS_WINDOW_MS;
  let to = now;
  if (data.datetime_from !== undefined) {
    const t = typeof data.datetime_from === 'string' ? parseDateTime(data.datetime_from) : null;
    if (t === null) return invalid('datetime_from');
    from = Math.max(from, t);
  }
  if (data.datetime_to !== undefined) {
    const t = typeof data.datetime_to === 'string' ? parseDateTime(data.datetime_to) : null;
    if (t === null) return invalid('datetime_to');
    to = Math.min(to, t);
  }

  const rows = await deps.store.listErrors(ctx.account.id, { api, from, to, fn, limit, offset });
  const result = rows.map((r) => ({
    id: r.id,
    datetime: formatDateTime(r.at),
    function: r.function,
    error_code: r.errorCode,
    error_message: r.errorMessage,
    http_url: r.httpUrl,
    http_method: r.httpMethod,
    http_code: r.httpCode,
    http_time: r.httpTimeMs === null ? null : Number((r.httpTimeMs / 1000).toFixed(4)),
    http_response: r.httpResponse,
  }));
  return {
    httpStatus: 200,
    body: envelope(STATUS.OK, { timeMs: elapsedMs(ctx), tasks: [wireTask(id, STATUS.OK, { timeMs: elapsedMs(ctx), path, data, result })] }),
  };
}

/**
 * POST /v3/appendix/webhook_resend: sends the pingback and/or postback of up to 100 of the caller's
 * completed tasks again, free. Each task answers 20000 with a null result, or 40401 when the caller
 * has no such completed task with a webhook.
 */
export async function resendWebhooks(
  deps: ServiceDeps<Pick<Outbox, 'resendWebhooks'>>,
  ctx: CallContext,
  body: unknown,
): Promise<ServiceResult> {
  if (body === undefined || (Array.isArray(body) && body.length === 0)) return topLevel(ctx, STATUS.POST_DATA_EMPTY);
  if (!Array.isArray(body)) return topLevel(ctx, STATUS.POST_DATA_INVALID);
  const now = deps.clock.now();
  const path = pathSegments(ctx.url);
  const entries: WireTask[] = new Array(body.length);
  const wanted: string[] = [];
  const at: number[] = [];
  body.forEach((item, i) => {
    const raw = item && typeof item === 'object' ? (item as Record<string, unknown>).id : undefined;
    const data: Record<string, unknown> = { api: 'appendix', function: 'webhook_resend', id: raw };
    const fallbackId = newId(now, ctx.account.id, ID_FAMILY.APPENDIX);
    if (i >= MAX_TASKS_PER_POST) {
      entries[i] = wireTask(typeof raw === 'string' ? raw : fallbackId, STATUS.TOO_MANY_TASKS, { timeMs: 0, path, data });
    } else if (typeof raw !== 'string' || !isTaskId(raw.toLowerCase())) {
      entries[i] = wireTask(fallbackId, { code: STATUS.INVALID_FIELD.code, message: invalidFieldMessage('id') }, { timeMs: 0, path, data });
    } else {
      wanted.push(raw.toLowerCase());
      at.push(i);
      entries[i] = wireTask(raw.toLowerCase(), STATUS.OK, { timeMs: 0, path, data });
    }
  });
  const found = wanted.length > 0 ? await deps.store.resendWebhooks(ctx.account.id, wanted, now) : [];
  found.forEach((ok, k) => {
    if (!ok) entries[at[k]] = { ...entries[at[k]], status_code: STATUS.TASK_NOT_FOUND.code, status_message: STATUS.TASK_NOT_FOUND.message };
  });
  if (found.some(Boolean)) deps.notifyDeliveries();
  const timeMs = elapsedMs(ctx);
  for (const e of entries) e.time = `${(timeMs / 1000).toFixed(4)} sec.`;
  return { httpStatus: 200, body: envelope(STATUS.OK, { timeMs, tasks: entries }) };
}
