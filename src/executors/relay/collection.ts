import type { WireTask } from '../../client/index.js';
import type { ResultFunction } from '../../domain/catalog.js';
import { STATUS } from '../../domain/status-codes.js';
import { RELAY_OWNER, type RelayRow } from '../../domain/relay-records.js';
import type { TaskRow } from '../../store/store.js';
import { type RelayContext, micro, zipResult } from './context.js';
import { type RelayedType, collectedKey, getUpstream, isCrawlType, readyScopeOfType, resultKeys, typeOfRow } from './targets.js';

/**
 * Collection: when the upstream completes a task, its result for one function (the task's
 * postback_data, else advanced) is stored compressed and the task completes here with the upstream's
 * code and cost; its followers (equal requests that waited for it) complete with the same result at
 * no cost. The other functions are fetched on their first task_get (`fetchResult`). Results arrive by
 * upstream postback when a public base URL is set; the upstream's tasks_ready (within its 20 calls a
 * minute) and a sweep of tasks forwarded long ago, read by their upstream id, find the rest.
 */

export interface RelayedCompletion {
  readonly statusCode: number;
  readonly statusMessage: string;
  readonly results: ReadonlyArray<{ fn: string; body: Buffer }>;
  readonly costMicro?: number;
  /** The upstream's result as it came (for the result hooks): SERP's first item, another API's whole array. */
  readonly value?: { readonly fn: string; readonly value: unknown };
}

/** Reports a result that came from the upstream to the record hook of its API. */
export function reportResult(ctx: RelayContext, task: TaskRow, type: RelayedType, fn: string, value: unknown): void {
  if (type.kind === 'serp') {
    ctx.onResult?.(task, fn as ResultFunction, value);
    return;
  }
  if (!ctx.onCatalogResult || !Array.isArray(value)) return;
  const path = fn === 'task_get' ? `${type.type.type}/task_get` : `${type.type.type}/task_get/${fn}`;
  ctx.onCatalogResult({ api: type.api, path, params: JSON.parse(task.data) as Record<string, unknown> }, value);
}

/**
 * Completes a relayed task (when `withLeader`) and every follower of it; returns how many completed.
 * The leader's record is closed before its followers are read, so none joins after.
 */
export async function completeRelayed(ctx: RelayContext, taskId: string, c: RelayedCompletion, withLeader = true): Promise<number> {
  const now = ctx.clock.now();
  let n = 0;
  const finished: Array<{ id: string; statusCode: number }> = [];
  if (withLeader) {
    const leader = await ctx.store.completeTasks(
      [
        {
          id: taskId,
          leaseOwner: RELAY_OWNER,
          statusCode: c.statusCode,
          statusMessage: c.statusMessage,
          results: c.results,
          costMicro: c.costMicro,
        },
      ],
      now,
    );
    n += leader;
    if (leader > 0) finished.push({ id: taskId, statusCode: c.statusCode });
  }
  const followers = await ctx.store.relayClose(taskId);
  if (followers.length > 0) {
    const ids = followers.map((f) => f.taskId);
    const shared = await ctx.store.completeTasks(
      ids.map((id) => ({
        id,
        leaseOwner: RELAY_OWNER,
        statusCode: c.statusCode,
        statusMessage: c.statusMessage,
        results: c.results,
        costMicro: 0,
      })),
      now,
    );
    n += shared;
    // Counted by id only when every follower was this call's to complete (another process may have).
    if (shared === ids.length) for (const id of ids) finished.push({ id, statusCode: c.statusCode });
    await ctx.store.relayFinish(ids);
  }
  if (finished.length > 0) ctx.hooks?.onFinished?.(finished);
  return n;
}

/**
 * The completion of an upstream task_get / postback answer, or null while the upstream still works on
 * it. A SERP result is the first item of `result`; another API's is the whole array (`whole`).
 */
export function completionOf(t: WireTask | undefined, fn: string, row: RelayRow | undefined, whole = false): RelayedCompletion | null {
  if (!t || t.status_code === STATUS.TASK_IN_QUEUE.code || t.status_code === STATUS.TASK_HANDED.code) return null;
  const value = whole ? (Array.isArray(t.result) ? t.result : undefined) : t.result?.[0];
  const ok = t.status_code === STATUS.OK.code;
  const cost = micro(t.cost);
  return {
    statusCode: t.status_code,
    statusMessage: t.status_message,
    results: ok && value !== undefined && value !== null ? [{ fn, body: zipResult(value) }] : [],
    value: ok && value !== undefined && value !== null ? { fn, value } : undefined,
    // What the upstream charged: its task_get cost when it reports one, else its task_post answer's.
    costMicro: cost !== undefined && cost > 0 ? cost : (row?.upstreamCostMicro ?? undefined),
  };
}

export interface Collector {
  round(): Promise<number>;
  /** Reads the upstream tasks_ready of this type's tasks from now on (its tasks were forwarded). */
  watch(type: RelayedType): void;
}

export function createCollector(ctx: RelayContext): Collector {
  const { store, realClock, upstream } = ctx;
  const sweepAfterMs = 60_000;
  /** Upstream tasks_ready scopes of the other APIs' types this process forwarded (SERP's is always read). */
  const scopes = new Set<string>();

  /** Reads one finished upstream task's result; null while it is not done. */
  async function fetchDone(row: RelayRow, type: RelayedType, postbackData: string | null): Promise<RelayedCompletion | null> {
    const key = collectedKey(type, postbackData);
    const env = await upstream.call('request', getUpstream(type, key, row.upstreamId!));
    const t = env.tasks?.[0];
    // A crawl is done when its summary says so (its functions are read from the upstream on demand).
    if (isCrawlType(type) && t?.status_code === STATUS.OK.code) {
      const summary = t.result?.[0] as { crawl_progress?: unknown } | undefined;
      if (summary?.crawl_progress !== 'finished') return null;
    }
    return completionOf(t, key, row, type.kind === 'catalog');
  }

  /** Completes the finished ones of `rows` in one store call (and their followers, with the cache on). */
  async function collectAll(rows: readonly RelayRow[], swept = false): Promise<number> {
    const tasks = new Map((await store.tasksByIds(rows.map((r) => r.taskId))).map((t) => [t.id, t]));
    const types = new Map<string, RelayedType>();
    const done = await Promise.all(
      rows.map(async (row) => {
        const t = tasks.get(row.taskId);
        const type = t ? await typeOfRow(t) : undefined;
        if (!t || !type || !row.upstreamId || t.state === 'done') return null;
        types.set(t.id, type);
        // Found by the sweep (forwarded before a restart): its type's tasks_ready is read from now on.
        if (swept) watch(type);
        const c = await fetchDone(row, type, t.postbackData);
        return c ? { id: row.taskId, c } : null;
      }),
    );
    const finished = done.filter((d): d is { id: string; c: RelayedCompletion } => d !== null);
    if (finished.length === 0) return 0;
    let n = await store.completeTasks(
      finished.map(({ id, c }) => ({
        id,
        leaseOwner: RELAY_OWNER,
        statusCode: c.statusCode,
        statusMessage: c.statusMessage,
        results: c.results,
        costMicro: c.costMicro,
      })),
      ctx.clock.now(),
    );
    if (n === finished.length) ctx.hooks?.onFinished?.(finished.map(({ id, c }) => ({ id, statusCode: c.statusCode })));
    for (const row of rows) if (row.upstreamId) ctx.untagged.delete(row.upstreamId);
    for (const { id, c } of finished) if (c.value) reportResult(ctx, tasks.get(id)!, types.get(id)!, c.value.fn, c.value.value);
    // Followers exist only with the cache on; without it the sweep closes the records later.
    if (ctx.cacheTtlMs > 0) for (const { id, c } of finished) n += await completeRelayed(ctx, id, c, false);
    return n;
  }

  /** Followers whose leader completed before they were (a crash between the two): complete them now. */
  async function orphans(): Promise<number> {
    const rows = await store.relayOrphans(100);
    if (rows.length === 0) return 0;
    const leaders = new Map((await store.tasksByIds(rows.map((r) => r.leaderId ?? ''))).map((t) => [t.id, t]));
    let n = 0;
    for (const row of rows) {
      const leader = leaders.get(row.leaderId ?? '');
      if (!leader || leader.state !== 'done') {
        // Its leader is gone: it starts over from the queue.
        await store.relayForget([row.taskId]);
        await store.deferTasks([row.taskId], RELAY_OWNER, ctx.clock.now());
        continue;
      }
      const type = await typeOfRow(leader);
      const results: Array<{ fn: string; body: Buffer }> = [];
      for (const fn of type ? resultKeys(type) : []) {
        const body = await store.resultOf(leader.id, fn);
        if (body) results.push({ fn, body });
      }
      const code = leader.statusCode ?? STATUS.INTERNAL_ERROR.code;
      const message = leader.statusMessage ?? STATUS.INTERNAL_ERROR.message;
      const one = await store.completeTasks(
        [{ id: row.taskId, leaseOwner: RELAY_OWNER, statusCode: code, statusMessage: message, results, costMicro: 0 }],
        ctx.clock.now(),
      );
      if (one > 0) ctx.hooks?.onFinished?.([{ id: row.taskId, statusCode: code }]);
      n += one;
      await store.relayFinish([row.taskId]);
    }
    return n;
  }

  async function round(): Promise<number> {
    if ((await store.relayInFlight()) === 0) return 0;
    // SERP's tasks_ready, and that of each other API's type forwarded (each within the upstream's
    // tasks_ready budget); what a restart forgot is found by the sweep.
    const ready: Array<{ id: string; tag: string | null }> = [];
    const read = async (scope: string, api: string) => {
      const env = await upstream.call('tasks_ready', (c) => (scope === 'serp' ? c.tasksReady() : c.tasksReadyOf(scope)), undefined, api);
      ready.push(...((env.tasks?.[0]?.result ?? []) as Array<{ id: string; tag: string | null }>));
    };
    // APIs side by side, each within its own budget.
    await Promise.all([read('serp', 'serp'), ...[...readyScopesByApi()].map(([api, list]) => readSome(api, list, read))]);
    const byTag = new Map<string, string>();
    for (const r of ready) {
      const tag = typeof r.tag === 'string' && r.tag.length > 0 ? r.tag : ctx.untagged.get(r.id);
      if (tag) byTag.set(tag, r.id);
    }
    const rows = (await store.relayRows([...byTag.keys()])).filter((r) => r.state === 'forwarded' && r.upstreamId === byTag.get(r.taskId));
    let done = await collectAll(rows);
    // The sweep: forwarded a while ago and not seen on tasks_ready since.
    const now = realClock.now();
    done += await collectAll(await store.relayDue(now - sweepAfterMs, now, 50), true);
    done += await orphans();
    if (done > 0) ctx.hooks?.onCompleted(done);
    return done;
  }

  /** The watched scopes of the other APIs, by API. */
  function readyScopesByApi(): Map<string, string[]> {
    const byApi = new Map<string, string[]>();
    for (const scope of scopes) {
      const api = scope.split('/')[0]!;
      byApi.set(api, [...(byApi.get(api) ?? []), scope]);
    }
    return byApi;
  }

  /**
   * Reads as many of an API's scopes as its tasks_ready calls left this minute allow, taking turns
   * from round to round (Keywords Data has no API-wide list: its 11 types would take more than half a
   * minute's 20 calls each round). What waits is read in a later round, or found by the sweep; no
   * round waits for an API's budget.
   */
  const turns = new Map<string, number>();
  async function readSome(api: string, list: readonly string[], read: (scope: string, api: string) => Promise<void>): Promise<void> {
    const left = Math.min(list.length, await upstream.readyCallsLeft(api));
    const from = turns.get(api) ?? 0;
    turns.set(api, from + left);
    for (let i = 0; i < left; i++) await read(list[(from + i) % list.length]!, api);
  }

  function watch(type: RelayedType): void {
    if (type.kind === 'catalog') scopes.add(readyScopeOfType(type));
  }

  return { round, watch };
}
