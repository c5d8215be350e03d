import { gzipSync } from 'node:zlib';
import type { WireEnvelope, WireTask } from '../../client/index.js';
import type { Clock } from '../../domain/clock.js';
import { type ResultFunction, type SeTypeDef, findSeType } from '../../domain/catalog.js';
import { STATUS } from '../../domain/status-codes.js';
import { formatDateTime } from '../../domain/time-format.js';
import { RELAY_OWNER, type RelayRow, type Store } from '../../store/store.js';
import type { ExecutionDeferral, ExecutionInput, ExecutionOutcome, Executor, ExecutorHooks } from '../executor.js';
import { type Upstream, UpstreamUnavailable } from './upstream.js';

/**
 * The relay executor: a gateway to an upstream DataForSEO-compatible API (the vendor, its sandbox,
 * another serpq) with one operator account.
 *
 * Forwarding. The worker hands over the tasks it claims; tasks bound for the same endpoint (of any
 * account) are posted upstream together, up to 100 per task_post, with the upstream `tag` set to
 * serpq's task id (the account's own tag, postback and pingback stay here). Each task is recorded as
 * `forwarding` before the call and `forwarded` with the upstream id after it, when its claim passes
 * to RELAY_OWNER until the give-up time: no worker holds it while the upstream works. A task found
 * `forwarding` again (a crash, or a call whose answer was lost) is first looked up upstream by its
 * tag (id_list with metadata over the window of the unconfirmed call) and adopted if there; only
 * the others are posted again. Network errors, timeouts, 5xx and 50000 give the task back to the
 * queue with backoff until `giveUpMs` after it was posted, when it fails with 50000 at no cost.
 *
 * Collection. A loop reads the upstream's tasks_ready (within its 20 calls a minute) and, for each
 * of our tags there, fetches every function the type has and completes the task with those results
 * (stored compressed), the upstream's status code and the upstream's cost. A sweep reads tasks
 * forwarded a while ago straight by their upstream id, which recovers those whose tasks_ready row
 * was consumed by a collection that crashed before completing.
 */
export interface RelayOptions {
  readonly store: Store;
  readonly clock: Clock;
  /** Upstream windows (id_list) are on the real clock, whatever the process clock says. */
  readonly realClock: Clock;
  readonly upstream: Upstream;
  /** How long a task may wait for the upstream, from its posting, before it fails with 50000. */
  readonly giveUpMs: number;
  /** Between collection rounds (default 3 s: the upstream's 20 tasks_ready calls a minute). */
  readonly collectEveryMs?: number;
  /** A forwarded task not seen on tasks_ready for this long is read by its id (default 60 s). */
  readonly sweepAfterMs?: number;
}

export interface RelayExecutor extends Executor {
  /** One collection round; returns how many tasks it completed (tests, settle). */
  collectOnce(): Promise<number>;
}

const MAX_BATCH = 100;
/** Fields of the stored echo that are serpq's or the account's own, never sent upstream. */
const NOT_FORWARDED = new Set(['api', 'function', 'se', 'se_type', 'tag', 'postback_url', 'pingback_url', 'postback_data']);

interface Pending {
  readonly input: ExecutionInput;
  readonly owner: string;
  readonly resolve: (out: ExecutionOutcome | ExecutionDeferral) => void;
}

function upstreamTask(input: ExecutionInput): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input.params ?? {})) if (!NOT_FORWARDED.has(k)) body[k] = v;
  body.tag = input.id;
  return body;
}

const micro = (usd: unknown) => (typeof usd === 'number' && Number.isFinite(usd) ? Math.round(usd * 1_000_000) : undefined);

export function createRelayExecutor(options: RelayOptions): RelayExecutor {
  const { store, clock, realClock, upstream } = options;
  const collectEveryMs = options.collectEveryMs ?? 3000;
  const sweepAfterMs = options.sweepAfterMs ?? 60_000;
  const pending = new Map<string, Pending[]>();
  let flushScheduled = false;
  let hooks: ExecutorHooks | null = null;
  let timer: NodeJS.Timeout | null = null;
  let collecting: Promise<number> = Promise.resolve(0);
  let stopped = false;

  const failed = (code: number, message: string, costMicro?: number): ExecutionOutcome => ({
    statusCode: code,
    statusMessage: message,
    costMicro,
  });
  const retry = (attempts: number, reason: string): ExecutionDeferral => ({
    defer: 'retry',
    at: clock.now() + Math.min(300_000, 2000 * 2 ** Math.min(attempts, 8)) * (0.75 + Math.random() / 2),
    reason,
  });

  function schedule(): void {
    if (flushScheduled) return;
    flushScheduled = true;
    // The worker hands over a claimed batch in one go: collect it, then post per endpoint.
    setImmediate(() => {
      flushScheduled = false;
      for (const [key, list] of pending) {
        pending.delete(key);
        for (let i = 0; i < list.length; i += MAX_BATCH) void forward(list.slice(i, i + MAX_BATCH));
      }
    });
  }

  /** Looks unconfirmed tasks up upstream by tag; returns tag -> upstream id for those found. */
  async function adopt(rows: readonly RelayRow[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    if (rows.length === 0) return found;
    const wanted = new Set(rows.map((r) => r.taskId));
    const from = Math.min(...rows.map((r) => r.forwardedAt)) - 60_000;
    const to = realClock.now();
    for (let offset = 0; found.size < wanted.size && offset < 100_000; offset += 1000) {
      const env = await upstream.call('request', (c) =>
        c.idList({
          datetime_from: formatDateTime(from),
          datetime_to: formatDateTime(to),
          include_metadata: true,
          limit: 1000,
          offset,
          sort: 'asc',
        }),
      );
      const result = (env.tasks?.[0]?.result ?? []) as Array<{ id: string; metadata?: { tag?: unknown } | null }>;
      for (const r of result) {
        const tag = r.metadata?.tag;
        if (typeof tag === 'string' && wanted.has(tag) && !found.has(tag)) found.set(tag, r.id);
      }
      if (result.length < 1000) break;
    }
    return found;
  }

  async function forward(batch: Pending[]): Promise<void> {
    const resolveAll = (list: Pending[], out: (p: Pending) => ExecutionOutcome | ExecutionDeferral) =>
      list.forEach((p) => p.resolve(out(p)));
    try {
      const now = clock.now();
      const live: Pending[] = [];
      for (const p of batch) {
        if (now - p.input.postedAt > options.giveUpMs) p.resolve(failed(STATUS.INTERNAL_ERROR.code, STATUS.INTERNAL_ERROR.message, 0));
        else live.push(p);
      }
      if (live.length === 0) return;
      const owner = live[0]!.owner;
      const leaseUntil = (p: Pending) => p.input.postedAt + options.giveUpMs;
      const rows = new Map((await store.relayRows(live.map((p) => p.input.id))).map((r) => [r.taskId, r]));

      // Already forwarded (its claim came back, e.g. past a lease): hand it over again.
      const known = live.filter((p) => rows.get(p.input.id)?.state === 'forwarded' && rows.get(p.input.id)?.upstreamId);
      for (const p of known) {
        await store.relayForwarded(
          [{ taskId: p.input.id, upstreamId: rows.get(p.input.id)!.upstreamId! }],
          owner,
          realClock.now(),
          leaseUntil(p),
        );
        p.resolve({ defer: 'handed-over' });
      }
      // Posted before without a recorded answer: adopt what the upstream has, post only the rest. A
      // call made moments ago may not be listed upstream yet: those wait a little before a look.
      const recent = realClock.now() - 5000;
      const settling = live.filter((p) => rows.get(p.input.id)?.state === 'forwarding' && rows.get(p.input.id)!.forwardedAt > recent);
      resolveAll(settling, () => ({
        defer: 'retry',
        at: clock.now() + 5000,
        reason: 'waiting for the upstream to list an unconfirmed call',
      }));
      const unconfirmed = live.filter((p) => rows.get(p.input.id)?.state === 'forwarding' && !settling.includes(p));
      const adopted = await adopt(unconfirmed.map((p) => rows.get(p.input.id)!));
      for (const p of unconfirmed) {
        const upstreamId = adopted.get(p.input.id);
        if (!upstreamId) continue;
        await store.relayForwarded([{ taskId: p.input.id, upstreamId }], owner, realClock.now(), leaseUntil(p));
        p.resolve({ defer: 'handed-over' });
      }
      const fresh = live.filter((p) => !known.includes(p) && !settling.includes(p) && !adopted.has(p.input.id));
      if (fresh.length === 0) return;

      await store.relayForwarding(
        fresh.map((p) => p.input.id),
        realClock.now(),
      );
      const { se, seType } = fresh[0]!.input.def;
      let env: WireEnvelope;
      try {
        env = await upstream.call('request', (c) =>
          c.taskPost(
            se,
            seType,
            fresh.map((p) => upstreamTask(p.input)),
          ),
        );
      } catch (err) {
        if (!(err instanceof UpstreamUnavailable)) throw err;
        resolveAll(fresh, (p) => retry(rows.get(p.input.id)?.attempts ?? 0, err.message));
        return;
      }
      const tasks = env.tasks ?? [];
      if (env.status_code !== 20000 || tasks.length !== fresh.length) {
        // Refused as a whole (credentials, balance): nothing was created upstream; try again later.
        upstream.noteError(`task_post: ${env.status_code} ${env.status_message}`);
        resolveAll(fresh, (p) => retry(rows.get(p.input.id)?.attempts ?? 0, `${env.status_code} ${env.status_message}`));
        return;
      }
      const accepted: Array<{ taskId: string; upstreamId: string }> = [];
      fresh.forEach((p, i) => {
        const t = tasks[i] as WireTask;
        if (t.status_code === STATUS.TASK_CREATED.code) accepted.push({ taskId: p.input.id, upstreamId: t.id });
        // Refused by the upstream alone (a field it rejects, ...): the task ends with its code, free.
        else p.resolve(failed(t.status_code, t.status_message, 0));
      });
      // Handed over until the earliest give-up time of the call (a reclaim past it re-checks each task).
      if (accepted.length > 0) await store.relayForwarded(accepted, owner, realClock.now(), Math.min(...fresh.map(leaseUntil)));
      const acceptedIds = new Set(accepted.map((a) => a.taskId));
      resolveAll(
        fresh.filter((p) => acceptedIds.has(p.input.id)),
        () => ({ defer: 'handed-over' }),
      );
    } catch (err) {
      hooks?.onError(err);
      resolveAll(batch, () => retry(1, (err as Error).message));
    }
  }

  /** Reads a finished upstream task's results for every function of its type and completes it here. */
  async function collect(taskId: string, upstreamId: string, def: SeTypeDef): Promise<boolean> {
    const fns: ResultFunction[] = [...def.getFunctions];
    const answers = await Promise.all(fns.map((fn) => upstream.call('request', (c) => c.taskGet(def.se, def.seType, fn, upstreamId))));
    const first = answers[0]?.tasks?.[0];
    if (!first || first.status_code === STATUS.TASK_IN_QUEUE.code) return false;
    const results: Array<{ fn: string; body: Buffer }> = [];
    if (first.status_code === STATUS.OK.code) {
      fns.forEach((fn, i) => {
        const value = answers[i]?.tasks?.[0]?.result?.[0];
        if (value !== undefined && value !== null) results.push({ fn, body: gzipSync(JSON.stringify(value)) });
      });
    }
    const n = await store.completeTasks(
      [
        {
          id: taskId,
          leaseOwner: RELAY_OWNER,
          statusCode: first.status_code,
          statusMessage: first.status_message,
          results,
          costMicro: micro(first.cost),
        },
      ],
      clock.now(),
    );
    return n > 0;
  }

  async function collectRound(): Promise<number> {
    if ((await store.relayInFlight()) === 0) return 0;
    let done = 0;
    const defs = new Map<string, SeTypeDef>();
    const defOf = (se: string, seType: string) => {
      const key = `${se}/${seType}`;
      if (!defs.has(key)) {
        const d = findSeType(se, seType);
        if (d) defs.set(key, d);
      }
      return defs.get(key);
    };
    const env = await upstream.call('tasks_ready', (c) => c.tasksReady());
    const ready = (env.tasks?.[0]?.result ?? []) as Array<{ id: string; se: string; se_type: string; tag: string | null }>;
    const tagged = ready.filter((r) => typeof r.tag === 'string' && r.tag.length > 0);
    const rows = new Map((await store.relayRows(tagged.map((r) => r.tag!))).map((r) => [r.taskId, r]));
    await Promise.all(
      tagged.map(async (r) => {
        const row = rows.get(r.tag!);
        const def = defOf(r.se, r.se_type);
        if (!row || row.upstreamId !== r.id || !def) return;
        if (await collect(row.taskId, r.id, def)) done++;
      }),
    );
    // The sweep: forwarded a while ago and not seen on tasks_ready since.
    const now = realClock.now();
    const due = await store.relayDue(now - sweepAfterMs, now, 50);
    const tasks = new Map((await store.tasksByIds(due.map((d) => d.taskId))).map((t) => [t.id, t]));
    await Promise.all(
      due.map(async (row) => {
        const t = tasks.get(row.taskId);
        const def = t ? defOf(t.se, t.seType) : undefined;
        if (!def || !row.upstreamId) return;
        if (await collect(row.taskId, row.upstreamId, def)) done++;
      }),
    );
    if (done > 0) hooks?.onCompleted(done);
    return done;
  }

  function collectOnce(): Promise<number> {
    const round = async () => {
      try {
        return await collectRound();
      } catch (err) {
        if (!(err instanceof UpstreamUnavailable)) hooks?.onError(err);
        return 0;
      }
    };
    collecting = collecting.then(round, round);
    return collecting;
  }

  return {
    name: 'relay',
    latencyMs: () => 0,
    execute(input, _signal, owner) {
      return new Promise((resolve) => {
        const key = `${input.def.se}/${input.def.seType}`;
        const list = pending.get(key) ?? [];
        list.push({ input, owner: owner ?? RELAY_OWNER, resolve });
        pending.set(key, list);
        schedule();
      });
    },
    async executeLive(input, fn, signal) {
      try {
        const env = await upstream.call('request', (c) => c.live(input.def.se, input.def.seType, fn, upstreamTask(input)));
        const t = env.tasks?.[0];
        if (signal.aborted || !t) return failed(STATUS.INTERNAL_ERROR.code, STATUS.INTERNAL_ERROR.message);
        const value = t.result?.[0];
        return {
          statusCode: t.status_code,
          statusMessage: t.status_message,
          results: t.status_code === STATUS.OK.code && value ? [{ fn, value }] : undefined,
        };
      } catch {
        return failed(STATUS.INTERNAL_ERROR.code, STATUS.INTERNAL_ERROR.message);
      }
    },
    collectOnce,
    start(h) {
      hooks = h;
      stopped = false;
      const tick = () => {
        if (stopped) return;
        void collectOnce().finally(() => {
          if (!stopped) timer = setTimeout(tick, collectEveryMs);
        });
      };
      timer = setTimeout(tick, collectEveryMs);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await collecting.catch(() => {});
    },
  };
}
