import type { Clock } from '../../domain/clock.js';
import { STATUS } from '../../domain/status-codes.js';
import { RELAY_OWNER } from '../../domain/relay-records.js';
import type { ExecutionDeferral, ExecutionOutcome, Executor } from '../executor.js';
import { completeRelayed, completionOf, createCollector, reportResult } from './collection.js';
import {
  type Pending,
  type RelayContext,
  type RelayStore,
  type UpstreamCatalogResultHook,
  type UpstreamResultHook,
  micro,
  zipResult,
} from './context.js';
import { createEndpointRelay } from './endpoints.js';
import { createForwarder, upstreamTask } from './forwarding.js';
import { type RelayInput, batchKey, collectedKey, getUpstream, typeOfInput, typeOfRow } from './targets.js';
import { taskResultKey } from '../../domain/api-catalog/tasks.js';
import { type Upstream, UpstreamUnavailable } from './upstream.js';

/**
 * The relay executor: a gateway to an upstream DataForSEO-compatible API (the vendor, its sandbox,
 * another serpq) with one operator account. The worker hands over the tasks it claims; they are
 * posted upstream in shared calls (forwarding.ts) and no worker holds them while the upstream works:
 * their claim passes to RELAY_OWNER until the give-up time. Results come back by postback or are
 * collected (collection.ts), and the task completes here as any other.
 */
export interface RelayOptions {
  /** What the relay reads and writes: its ledger, the queue's completions and deferrals, results. */
  readonly store: RelayStore;
  readonly clock: Clock;
  readonly realClock: Clock;
  readonly upstream: Upstream;
  readonly giveUpMs: number;
  /** Equal requests share one upstream result for this long (0 = off). */
  readonly cacheTtlMs?: number;
  /** serpq's own public base URL: upstream tasks report back to `${base}/relay/postback`. */
  readonly postbackBase?: string | null;
  /** A secret only this deployment knows, in the postback URL (derived from the upstream password). */
  readonly postbackKey?: string;
  /** Between collection rounds while nothing arrives (default 3 s: the upstream's 20 tasks_ready calls a minute). */
  readonly collectEveryMs?: number;
  /** Called with every result that arrives from the upstream (`--record`). */
  readonly onResult?: UpstreamResultHook;
  /** Called with every result of another API that arrives from the upstream (`--record`). */
  readonly onCatalogResult?: UpstreamCatalogResultHook;
  /** Pass calls of paths the catalog does not know to the upstream (`--relay-pass-unknown`; not task paths). */
  readonly passUnknown?: boolean;
}

export interface RelayExecutor extends Executor {
  /** One collection round; returns how many tasks it completed (tests, settle). */
  collectOnce(): Promise<number>;
}

const MAX_BATCH = 100;

export function createRelayExecutor(options: RelayOptions): RelayExecutor {
  const { store, upstream } = options;
  const collectEveryMs = options.collectEveryMs ?? 3000;
  const postbackUrl = options.postbackBase
    ? `${options.postbackBase.replace(/\/+$/, '')}/relay/postback?id=$id&tag=$tag&key=${encodeURIComponent(options.postbackKey ?? '')}`
    : null;
  const ctx: RelayContext = {
    store,
    clock: options.clock,
    realClock: options.realClock,
    upstream,
    giveUpMs: options.giveUpMs,
    cacheTtlMs: options.cacheTtlMs ?? 0,
    postbackUrl,
    onResult: options.onResult,
    onCatalogResult: options.onCatalogResult,
    untagged: new Map(),
    hooks: null,
  };
  const forward = createForwarder(ctx);
  const endpoints = createEndpointRelay({
    upstream,
    realClock: options.realClock,
    clock: options.clock,
    answers: store,
    cacheTtlMs: ctx.cacheTtlMs,
    onCatalogResult: options.onCatalogResult,
    onError: (err) => ctx.hooks?.onError(err),
  });
  const collector = createCollector(ctx);
  const pending = new Map<string, Pending[]>();
  let flushScheduled = false;
  let timer: NodeJS.Timeout | null = null;
  let collecting: Promise<number> = Promise.resolve(0);
  let stopped = true;

  function schedule(): void {
    if (flushScheduled) return;
    flushScheduled = true;
    // The worker hands over a claimed batch in one go: collect it, then post per endpoint, fairly:
    // each call takes the accounts' tasks in turn, so one account's backlog cannot hold another's.
    setImmediate(() => {
      flushScheduled = false;
      for (const [key, list] of pending) {
        pending.delete(key);
        const fair = interleaveByAccount(list);
        for (let i = 0; i < fair.length; i += MAX_BATCH) void forward(fair.slice(i, i + MAX_BATCH)).then(soon);
      }
    });
  }

  function collectOnce(): Promise<number> {
    const round = async () => {
      try {
        return await collector.round();
      } catch (err) {
        if (!(err instanceof UpstreamUnavailable)) ctx.hooks?.onError(err);
        return 0;
      }
    };
    collecting = collecting.then(round, round);
    return collecting;
  }

  // Rounds come quickly after a forwarding call and while results keep coming, then back off to
  // the interval (the tasks_ready budget bounds them in any case).
  let idleRounds = 0;
  let dueAt = 0;
  function plan(delayMs: number): void {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    dueAt = Date.now() + delayMs;
    timer = setTimeout(() => {
      timer = null;
      void collectOnce().then((n) => {
        idleRounds = n > 0 ? 0 : idleRounds + 1;
        plan(Math.min(collectEveryMs, 200 * 2 ** idleRounds));
      });
    }, delayMs);
    timer.unref?.();
  }
  function soon(): void {
    if (ctx.postbackUrl) return;
    idleRounds = 0;
    // A round due sooner stays; otherwise look shortly.
    if (!timer || dueAt - Date.now() > 200) plan(200);
  }

  /** A task handed over by the worker (SERP's or another API's): queued for its type's next upstream call. */
  function hand(input: RelayInput, owner: string | undefined): Promise<ExecutionOutcome | ExecutionDeferral> {
    return new Promise((resolve) => {
      const type = typeOfInput(input);
      const key = batchKey(type);
      collector.watch(type);
      const list = pending.get(key) ?? [];
      list.push({ input, owner: owner ?? RELAY_OWNER, resolve });
      pending.set(key, list);
      schedule();
    });
  }

  return {
    name: 'relay',
    latencyMs: () => 0,
    execute: (input, _signal, owner) => hand(input, owner),
    executeTask: (input, _signal, owner) => hand(input, owner),
    async executeLive(input, fn, signal): Promise<ExecutionOutcome> {
      try {
        const env = await upstream.call('request', (c) => c.live(input.def.se, input.def.seType, fn, upstreamTask(input, null)));
        const t = env.tasks?.[0];
        if (signal.aborted || !t) return { statusCode: STATUS.INTERNAL_ERROR.code, statusMessage: STATUS.INTERNAL_ERROR.message };
        const value = t.result?.[0];
        if (t.status_code === STATUS.OK.code && value) {
          options.onResult?.({ se: input.def.se, seType: input.def.seType, data: JSON.stringify(input.params ?? {}) }, fn, value);
        }
        return {
          statusCode: t.status_code,
          statusMessage: t.status_message,
          results: t.status_code === STATUS.OK.code && value ? [{ fn, value }] : undefined,
          // What the upstream charged for the call: the account pays that (live.ts), not serpq's price.
          costMicro: micro(t.cost),
        };
      } catch {
        return { statusCode: STATUS.INTERNAL_ERROR.code, statusMessage: STATUS.INTERNAL_ERROR.message };
      }
    },
    executeEndpoint: endpoints.executeEndpoint,
    // Only when asked for: without it, the catalog's unknown paths answer 404 as the vendor's.
    ...(options.passUnknown ? { passUnknown: endpoints.passUnknown } : {}),
    async fetchResult(taskId, def, fn) {
      const [row] = await store.relayRows([taskId]);
      if (!row?.upstreamId) return null;
      try {
        const env = await upstream.call('request', (c) => c.taskGet(def.se, def.seType, fn, row.upstreamId!));
        const t = env.tasks?.[0];
        const value = t?.status_code === STATUS.OK.code ? t.result?.[0] : undefined;
        if (value === undefined || value === null) return null;
        await store.addResult(taskId, fn, zipResult(value));
        if (options.onResult) {
          const [task] = await store.tasksByIds([taskId]);
          if (task) options.onResult(task, fn, value);
        }
        return value;
      } catch (err) {
        if (err instanceof UpstreamUnavailable) return null;
        throw err;
      }
    },
    async fetchTaskResult(input, endpoint) {
      const [row] = await store.relayRows([input.id]);
      if (!row?.upstreamId) return null;
      const type = typeOfInput(input);
      const key = taskResultKey(endpoint.fn);
      try {
        const env = await upstream.call('request', getUpstream(type, key, row.upstreamId));
        const t = env.tasks?.[0];
        const value = t?.status_code === STATUS.OK.code && Array.isArray(t.result) ? t.result : null;
        if (value === null) return null;
        await store.addResult(input.id, key, zipResult(value));
        const [task] = await store.tasksByIds([input.id]);
        if (task) reportResult(ctx, task, type, key, value);
        return value;
      } catch (err) {
        if (err instanceof UpstreamUnavailable) return null;
        throw err;
      }
    },
    async callTaskFunction(input, endpoint, call) {
      const [row] = await store.relayRows([input.id]);
      // Not with the upstream yet: as the vendor answers for a task still in its queue.
      if (!row?.upstreamId) return { statusCode: STATUS.TASK_IN_QUEUE.code, statusMessage: STATUS.TASK_IN_QUEUE.message, result: null };
      const upstreamId = row.upstreamId;
      try {
        const env = await upstream.call('request', (c) =>
          endpoint.idIn === 'path'
            ? c.request('GET', endpoint.path.replace(/\{[^}]+\}/, upstreamId))
            : c.request('POST', endpoint.path, [{ ...call, id: upstreamId }]),
        );
        const t = env.tasks?.[0];
        if (!t) return { statusCode: env.status_code, statusMessage: env.status_message, result: null };
        return { statusCode: t.status_code, statusMessage: t.status_message, result: Array.isArray(t.result) ? t.result : null };
      } catch (err) {
        if (!(err instanceof UpstreamUnavailable)) throw err;
        return { statusCode: STATUS.INTERNAL_ERROR.code, statusMessage: STATUS.INTERNAL_ERROR.message, result: null };
      }
    },
    async receivePostback(query, body) {
      const tag = query.tag ?? '';
      const t = (body as { tasks?: unknown[] } | null)?.tasks?.[0] as Parameters<typeof completionOf>[0];
      const [row] = tag ? await store.relayRows([tag]) : [];
      if (!row || !t) return 'unknown';
      if (row.state === 'done') return 'done';
      // The upstream's answer to our task_post may not be recorded yet: its tasks_ready lists it for later.
      if (row.state !== 'forwarded' || row.upstreamId !== t.id) return 'later';
      const [task] = await store.tasksByIds([row.taskId]);
      const type = task ? await typeOfRow(task) : undefined;
      if (!task || !type) return 'unknown';
      const done = completionOf(t, collectedKey(type, task.postbackData), row, type.kind === 'catalog');
      if (!done) return 'later';
      const n = await completeRelayed(ctx, row.taskId, done);
      if (done.value && n > 0) reportResult(ctx, task, type, done.value.fn, done.value.value);
      if (n > 0) ctx.hooks?.onCompleted(n);
      return 'done';
    },
    postbackKey: options.postbackKey,
    collectOnce,
    start(h) {
      ctx.hooks = h;
      stopped = false;
      plan(collectEveryMs);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await collecting.catch(() => {});
    },
  };
}

/** The tasks of several accounts in turns (a, b, c, a, b, c, ...), each account's in its own order. */
export function interleaveByAccount(list: readonly Pending[]): Pending[] {
  const byAccount = new Map<number, Pending[]>();
  for (const p of list) {
    const a = p.input.accountId ?? 0;
    const l = byAccount.get(a) ?? [];
    l.push(p);
    byAccount.set(a, l);
  }
  if (byAccount.size <= 1) return [...list];
  const queues = [...byAccount.values()];
  const out: Pending[] = [];
  for (let i = 0; out.length < list.length; i++) for (const q of queues) if (i < q.length) out.push(q[i]!);
  return out;
}
