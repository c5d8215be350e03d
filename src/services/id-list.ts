import { envelope, pathSegments, wireTask } from '../contracts/envelope.js';
import { ID_FAMILY, newId } from '../domain/ids.js';
import { microToUsd } from '../domain/pricing.js';
import { STATUS, invalidFieldMessage } from '../domain/status-codes.js';
import { formatDateTime, parseDateTime } from '../domain/time-format.js';
import type { TaskIdRow, TaskReads } from '../store/store.js';
import { type CallContext, type ServiceDeps, elapsedMs } from './deps.js';
import type { ServiceResult } from './webhooks.js';

/** Rows per id_list call (default and maximum). */
export const ID_LIST_MAX_LIMIT = 1000;
/** The vendor's documented maximum offset (100 million). */
export const ID_LIST_MAX_OFFSET = 100_000_000;
/** How far back datetime_from may reach: 6 calendar months, 1 with metadata. */
export const ID_LIST_MONTHS = 6;
export const ID_LIST_METADATA_MONTHS = 1;

/** `ms` moved back by whole calendar months (UTC). */
export function monthsBefore(ms: number, months: number): number {
  const d = new Date(ms);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.getTime();
}

/**
 * The task's URL as id_list writes it: no leading slash, e.g. `v3/serp/google/images/task_post` or
 * `v3/dataforseo_labs/google/ranked_keywords/live`. Tasks of shorter paths leave `se` or `seType`
 * empty (`backlinks/summary/live`: se `summary`; `on_page/instant_pages`: neither).
 */
export function taskUrl(row: Pick<TaskIdRow, 'api' | 'se' | 'seType' | 'fn'>): string {
  let url = `v3/${row.api}`;
  if (row.se !== '') url += `/${row.se}`;
  if (row.seType !== '') url += `/${row.seType}`;
  return `${url}/${row.fn}`;
}

/**
 * The status an id_list row reports: the task's own code once it completed, else 40602 (what task_get
 * answers for it meanwhile: "Task In Queue."). A string, as the vendor writes it.
 */
export function taskStatus(row: Pick<TaskIdRow, 'statusCode'>): string {
  return String(row.statusCode ?? STATUS.TASK_IN_QUEUE.code);
}

function parseMetadata(text: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * POST /v3/{api}/id_list (SPEC 6.4): ids and metadata of the caller's tasks of that API (standard and live,
 * finished or not) posted between `datetime_from` and `datetime_to`, by posting time (`sort`: asc by
 * default, or desc), paged with `limit` (1..1000, default 1000) and `offset`. Free.
 *
 * `datetime_from` is required and may reach 6 calendar months back (1 with `include_metadata`);
 * `datetime_to` is required, after `datetime_from` and not in the future of the shared clock. A bad
 * field answers a task-level 40501 naming it. `metadata` is the task's `data` echo with
 * `include_metadata: true`, else null.
 */
export async function idList(
  deps: Pick<ServiceDeps<Pick<TaskReads, 'listTaskIds'>>, 'store' | 'clock'>,
  ctx: CallContext,
  body: unknown,
  api = 'serp',
): Promise<ServiceResult> {
  const topLevel = (status: (typeof STATUS)[keyof typeof STATUS]): ServiceResult => ({
    httpStatus: status.http,
    body: envelope(status, { timeMs: elapsedMs(ctx), tasks: null }),
  });
  if (body === undefined || body === null || (Array.isArray(body) && body.length === 0)) return topLevel(STATUS.POST_DATA_EMPTY);
  if (!Array.isArray(body)) return topLevel(STATUS.POST_DATA_INVALID);

  const now = deps.clock.now();
  const path = pathSegments(ctx.url);
  const id = newId(now, ctx.account.id, ID_FAMILY.ID_LIST);
  const data: Record<string, unknown> = { api, function: 'id_list' };
  const answer = (status: { code: number; message: string }, result: unknown[] | null): ServiceResult => ({
    httpStatus: 200,
    body: envelope(STATUS.OK, { timeMs: elapsedMs(ctx), tasks: [wireTask(id, status, { timeMs: elapsedMs(ctx), path, data, result })] }),
  });
  const invalid = (field: string) => answer({ code: STATUS.INVALID_FIELD.code, message: invalidFieldMessage(field) }, null);

  const q = body[0] as unknown;
  if (q === null || typeof q !== 'object' || Array.isArray(q)) return invalid('datetime_from');
  const posted = q as Record<string, unknown>;
  for (const k of ['datetime_from', 'datetime_to', 'limit', 'offset', 'sort', 'include_metadata']) {
    if (posted[k] !== undefined && posted[k] !== null) data[k] = posted[k];
  }

  const includeMetadata = data.include_metadata === undefined ? false : data.include_metadata;
  if (typeof includeMetadata !== 'boolean') return invalid('include_metadata');
  const from = typeof data.datetime_from === 'string' ? parseDateTime(data.datetime_from) : null;
  const earliest = monthsBefore(now, includeMetadata ? ID_LIST_METADATA_MONTHS : ID_LIST_MONTHS);
  if (from === null || from < earliest || from > now) return invalid('datetime_from');
  const to = typeof data.datetime_to === 'string' ? parseDateTime(data.datetime_to) : null;
  if (to === null || to > now || to <= from) return invalid('datetime_to');
  const limit = data.limit === undefined ? ID_LIST_MAX_LIMIT : data.limit;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > ID_LIST_MAX_LIMIT) return invalid('limit');
  const offset = data.offset === undefined ? 0 : data.offset;
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0 || offset > ID_LIST_MAX_OFFSET) return invalid('offset');
  const sort = data.sort === undefined ? 'asc' : data.sort;
  if (sort !== 'asc' && sort !== 'desc') return invalid('sort');

  // Times are written to the second (datetime_posted too): `datetime_to` covers its whole second, so a
  // task posted at 12:00:05.400 is listed up to "12:00:05", as its own datetime_posted reads.
  const toEnd = to % 1000 === 0 ? to + 999 : to;
  const rows = await deps.store.listTaskIds(ctx.account.id, { api, from, to: toEnd, limit, offset, sort });
  const result = rows.map((r) => ({
    id: r.id,
    url: taskUrl(r),
    datetime_posted: formatDateTime(r.postedAt),
    datetime_done: r.completedAt === null ? null : formatDateTime(r.completedAt),
    status: taskStatus(r),
    cost: microToUsd(r.costMicro),
    metadata: includeMetadata ? parseMetadata(r.data) : null,
  }));
  return answer(STATUS.OK, result);
}
