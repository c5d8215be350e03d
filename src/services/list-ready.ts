import { API_VERSION, pathSegments } from '../contracts/envelope.js';
import { ID_FAMILY, newId } from '../domain/ids.js';
import { READY_PAGE_SIZE, READY_WINDOW_MS } from '../domain/task.js';
import { formatDuration } from '../domain/time-format.js';
import type { ReadyReads, ReadyScope } from '../store/store.js';
import { type CallContext, type ServiceDeps, elapsedMs } from './deps.js';

/**
 * tasks_ready at any scope: the caller's completed, uncollected tasks of the last 3 days (without a
 * postback, or whose postback failed), oldest completion first, at most 1000. Free.
 *
 * The rows are JSON text written once at task_post, so the page is assembled by joining strings: no
 * row is parsed or serialised per request. Only the small envelope around them is built here.
 */
export async function listReady(
  deps: ServiceDeps<ReadyReads>,
  ctx: CallContext,
  scope: ReadyScope,
  fn: 'tasks_ready' | 'tasks_fixed' = 'tasks_ready',
): Promise<string> {
  const now = deps.clock.now();
  const rows = fn === 'tasks_ready' ? await deps.store.listReady(ctx.account.id, scope, now - READY_WINDOW_MS, READY_PAGE_SIZE) : [];
  return readyPage(ctx, scope, fn, rows, now);
}

/** Whether the store reads tasks_ready pages synchronously (embedded SQLite): the fast path's precondition. */
export function readsReadySync(deps: ServiceDeps<ReadyReads>): boolean {
  return deps.store.listReadySync !== undefined;
}

/** A page as text, or as a small per-call head followed by the cached bytes of its rows. */
export type ReadyBody = string | { readonly head: string; readonly tail: Buffer };

/**
 * The same page without a single await, for stores that can read synchronously (the embedded
 * SQLite store): null when the store cannot.
 *
 * The rows after the envelope's per-call fields (`id`, `time`) are kept as bytes per account and
 * scope, and reused while the store's change stamp is the same (no row changed in this process,
 * nothing committed by another process on the file), the clock has not gone back, and the window has
 * not passed the page's oldest row. Rows enter or leave the ready set only by a row change (a
 * completion, a collection, a failed postback, retention) or by the window moving past them, so a
 * page kept under those three conditions is the page a fresh read would return.
 */
export function listReadySync(deps: ServiceDeps<ReadyReads>, ctx: CallContext, scope: ReadyScope): ReadyBody | null {
  const store = deps.store;
  if (!store.listReadySync) return null;
  const now = deps.clock.now();
  const since = now - READY_WINDOW_MS;
  if (!store.changeStampSync || !store.oldestReadySync) {
    return readyPage(ctx, scope, 'tasks_ready', store.listReadySync(ctx.account.id, scope, since, READY_PAGE_SIZE), now);
  }
  const stamp = store.changeStampSync();
  const pages = pagesOf(store);
  const key = `${ctx.account.id} ${scope.api} ${scope.se ?? '-'} ${scope.seType ?? '-'}`;
  let p = pages.get(key);
  if (p === undefined || p.stamp !== stamp || now < p.at || (p.oldest !== null && p.oldest < since)) {
    const rows = store.listReadySync(ctx.account.id, scope, since, READY_PAGE_SIZE);
    const text = (rows.length === 0 ? '' : rows.length === 1 ? rows[0] : rows.join(',')) + ']}]}';
    p = {
      stamp,
      at: now,
      oldest: rows.length === 0 ? null : store.oldestReadySync(ctx.account.id, scope, since),
      count: rows.length,
      text: text.length < SMALL_PAGE ? text : null,
      bytes: text.length < SMALL_PAGE ? EMPTY : Buffer.from(text),
    };
    const old = pages.get(key);
    if (old) pages.bytes -= old.bytes.length;
    if (pages.size >= MAX_PAGES || pages.bytes + p.bytes.length > MAX_BYTES) {
      pages.clear();
      pages.bytes = 0;
    }
    pages.set(key, p);
    pages.bytes += p.bytes.length;
  }
  const head = readyHead(ctx, scope, 'tasks_ready', p.count, now);
  return p.text !== null ? head + p.text : { head, tail: p.bytes };
}

interface CachedPage {
  /** The store's change stamp when the rows were read, and the clock then. */
  readonly stamp: number;
  readonly at: number;
  /** The completion time of the oldest row (it leaves first as the window moves); null when empty. */
  readonly oldest: number | null;
  readonly count: number;
  /** The rows and the envelope's end: as text when small (one write), else as bytes. */
  readonly text: string | null;
  readonly bytes: Buffer;
}

const SMALL_PAGE = 8 * 1024;
const EMPTY = Buffer.alloc(0);
/** Pages and bytes kept per store; past either the cache starts over (a 1000-row page is ~355 KB). */
const MAX_PAGES = 10_000;
const MAX_BYTES = 64 * 1024 * 1024;
type Pages = Map<string, CachedPage> & { bytes: number };
const cachedPages = new WeakMap<object, Pages>();

function pagesOf(store: object): Pages {
  let pages = cachedPages.get(store);
  if (pages === undefined) {
    pages = Object.assign(new Map<string, CachedPage>(), { bytes: 0 });
    cachedPages.set(store, pages);
  }
  return pages;
}

// `path` and `data` depend only on the URL and the function: their JSON is made once per URL.
const tailCache = new Map<string, string>();

function pageTail(url: string, scope: ReadyScope, fn: string): string {
  const key = `${fn} ${url}`;
  let tail = tailCache.get(key);
  if (tail === undefined) {
    const data: Record<string, string> = { api: scope.api, function: fn };
    if (scope.se) data.se = scope.se;
    if (scope.seType) data.se_type = scope.seType;
    tail = `"path":${JSON.stringify(pathSegments(url))},"data":${JSON.stringify(data)},"result":[`;
    if (tailCache.size >= 1000) tailCache.clear();
    tailCache.set(key, tail);
  }
  return tail;
}

function readyHead(ctx: CallContext, scope: ReadyScope, fn: string, count: number, now: number): string {
  const time = formatDuration(elapsedMs(ctx));
  const id = newId(now, ctx.account.id, ID_FAMILY.TASKS_READY);
  return (
    `{"version":"${API_VERSION}","status_code":20000,"status_message":"Ok.","time":"${time}","cost":0,"tasks_count":1,"tasks_error":0,` +
    `"tasks":[{"id":"${id}","status_code":20000,"status_message":"Ok.","time":"${time}","cost":0,"result_count":${count},` +
    pageTail(ctx.url, scope, fn)
  );
}

function readyPage(ctx: CallContext, scope: ReadyScope, fn: string, rows: readonly string[], now: number): string {
  return readyHead(ctx, scope, fn, rows.length, now) + (rows.length === 0 ? '' : rows.length === 1 ? rows[0] : rows.join(',')) + ']}]}';
}
