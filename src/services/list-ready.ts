import { API_VERSION, pathSegments } from '../contracts/envelope.js';
import { ID_FAMILY, newId } from '../domain/ids.js';
import { READY_PAGE_SIZE, READY_WINDOW_MS } from '../domain/task.js';
import { formatDuration } from '../domain/time-format.js';
import type { ReadyScope } from '../store/store.js';
import { type CallContext, type ServiceDeps, elapsedMs } from './deps.js';

/**
 * tasks_ready at any scope: the caller's completed, uncollected tasks of the last 3 days (without a
 * postback, or whose postback failed), oldest completion first, at most 1000. Free.
 *
 * The rows are JSON text written once at task_post, so the page is assembled by joining strings: no
 * row is parsed or serialised per request. Only the small envelope around them is built here.
 */
export async function listReady(
  deps: ServiceDeps,
  ctx: CallContext,
  scope: ReadyScope,
  fn: 'tasks_ready' | 'tasks_fixed' = 'tasks_ready',
): Promise<string> {
  const now = deps.clock.now();
  const rows = fn === 'tasks_ready' ? await deps.store.listReady(ctx.account.id, scope, now - READY_WINDOW_MS, READY_PAGE_SIZE) : [];
  return readyPage(ctx, scope, fn, rows, now);
}

/**
 * The same page without a single await, for stores that can read synchronously (the embedded
 * SQLite store): null when the store cannot.
 */
export function listReadySync(deps: ServiceDeps, ctx: CallContext, scope: ReadyScope): string | null {
  if (!deps.store.listReadySync) return null;
  const now = deps.clock.now();
  return readyPage(ctx, scope, 'tasks_ready', deps.store.listReadySync(ctx.account.id, scope, now - READY_WINDOW_MS, READY_PAGE_SIZE), now);
}

// `path` and `data` depend only on the URL and the function: their JSON is made once per URL.
const tailCache = new Map<string, string>();

function pageTail(url: string, scope: ReadyScope, fn: string): string {
  const key = `${fn} ${url}`;
  let tail = tailCache.get(key);
  if (tail === undefined) {
    const data: Record<string, string> = { api: 'serp', function: fn };
    if (scope.se) data.se = scope.se;
    if (scope.seType) data.se_type = scope.seType;
    tail = `"path":${JSON.stringify(pathSegments(url))},"data":${JSON.stringify(data)},"result":[`;
    if (tailCache.size >= 1000) tailCache.clear();
    tailCache.set(key, tail);
  }
  return tail;
}

function readyPage(ctx: CallContext, scope: ReadyScope, fn: string, rows: readonly string[], now: number): string {
  const time = formatDuration(elapsedMs(ctx));
  const id = newId(now, ctx.account.id, ID_FAMILY.TASKS_READY);
  return (
    `{"version":"${API_VERSION}","status_code":20000,"status_message":"Ok.","time":"${time}","cost":0,"tasks_count":1,"tasks_error":0,` +
    `"tasks":[{"id":"${id}","status_code":20000,"status_message":"Ok.","time":"${time}","cost":0,"result_count":${rows.length},` +
    pageTail(ctx.url, scope, fn) +
    (rows.length === 0 ? '' : rows.length === 1 ? rows[0] : rows.join(',')) +
    ']}]}'
  );
}
