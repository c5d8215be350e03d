/**
 * Paths under /v3/ the catalog does not know (the vendor added an endpoint after serpq's catalog was
 * generated), as the relay's `--relay-pass-unknown` sees them. Only synchronous calls may be passed
 * through blind: every account of a relay shares one upstream account, so a call that names or lists
 * the upstream's tasks (task_post, tasks_ready, task_get, id_list, errors, a task id) or reads the
 * upstream account itself (the appendix) would cross from one account into another's. Pure rules.
 */

/** Path segments that belong to the task system (task_post, tasks_ready, task_get/…, id_list, …). */
const TASK_SEGMENTS = new Set(['task_post', 'task_get', 'tasks_ready', 'tasks_fixed', 'id_list', 'errors', 'force_stop']);

/** A task id in a path: the vendor's (`01151200-1535-0066-0000-...`) or any UUID-shaped segment. */
const TASK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** APIs whose unknown paths concern the upstream account as a whole, never one account of the relay. */
const ACCOUNT_APIS = new Set(['appendix']);

export type UnknownPathKind =
  /** A synchronous call: may be passed through. */
  | 'call'
  /** Names or lists the upstream's tasks, or the upstream account: never passed through. */
  | 'task'
  /** Not a path of any API (empty, or with segments no vendor path has). */
  | 'invalid';

/** The vendor's API paths are lower-case words joined by underscores, and ids. */
const SEGMENT = /^[a-z0-9_.-]{1,100}$/i;

/**
 * What an unknown path is, from its segments after `/v3/` (`dataforseo_labs/google/new_thing/live`)
 * and, for a POST, the posted tasks: a task posted with an `id` field names a task too (an On-Page
 * function reads a crawl by `id`).
 */
export function unknownPathKind(segments: readonly string[], posted?: unknown): UnknownPathKind {
  if (segments.length < 2 || !segments.every((s) => SEGMENT.test(s))) return 'invalid';
  if (ACCOUNT_APIS.has(segments[0]!)) return 'task';
  for (const s of segments) {
    if (TASK_SEGMENTS.has(s) || s.startsWith('task_') || s.startsWith('tasks_') || TASK_ID.test(s)) return 'task';
  }
  if (Array.isArray(posted) && posted.some((t) => t !== null && typeof t === 'object' && 'id' in t)) return 'task';
  return 'call';
}

/** The columns an unknown call is recorded under: its API, and the rest as engine, type and method. */
export function unknownColumns(segments: readonly string[]): { api: string; se: string; seType: string; method: string } {
  const [api = '', ...rest] = segments;
  const head = rest.slice(0, -1);
  return { api, se: head[0] ?? '', seType: head.slice(1).join('/'), method: rest[rest.length - 1] ?? '' };
}

/** The refusal of an unknown task path (40400, as the vendor's unknown path, with the reason). */
export const TASK_PATH_NOT_PASSED =
  'Not Found. Task paths the catalog does not know are never passed to the upstream: their isolation between accounts could not be kept.';
