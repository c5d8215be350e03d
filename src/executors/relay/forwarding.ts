import type { WireEnvelope, WireTask } from '../../client/index.js';
import { STATUS } from '../../domain/status-codes.js';
import { formatDateTime } from '../../domain/time-format.js';
import type { RelayAccepted, RelayForwarding, RelayRow } from '../../domain/relay-records.js';
import type { ExecutionDeferral, ExecutionOutcome } from '../executor.js';
import { type Pending, type RelayContext, micro, unzipResult } from './context.js';
import {
  type RelayInput,
  type RelayedType,
  collectedKey,
  idListApi,
  isSerpInput,
  postUpstream,
  readyScopeOfType,
  relayRequestKey,
  resultKeys,
  takesTag,
  typeOfInput,
} from './targets.js';
import { UpstreamUnavailable } from './upstream.js';
import { completeRelayed } from './collection.js';

/**
 * Forwarding: one upstream task_post for up to 100 tasks bound for one endpoint, of any account.
 * Each task is recorded `forwarding` before the call and `forwarded` with its upstream id after it.
 * A task found `forwarding` again (a crash, or a call whose answer was lost) is first looked up
 * upstream by its tag, and only posted again when the upstream does not have it. With the cache on,
 * a task whose request completed upstream within the TTL is served from that result, and one whose
 * request is still with the upstream follows it; neither makes an upstream call or costs anything.
 */

/** Fields of the stored echo that are serpq's or the account's own, never sent upstream. */
const NOT_FORWARDED = new Set(['api', 'function', 'se', 'se_type', 'tag', 'postback_url', 'pingback_url', 'postback_data']);
/** An unconfirmed call this recent may not be listed upstream yet: look again after this long. */
const SETTLE_MS = 5000;

/** Without an id_list upstream (AI Optimization), an unconfirmed task is looked for on tasks_ready this long before it is posted again [I]. */
const NO_ID_LIST_WAIT_MS = 10 * 60_000;

/** The postback_data the account posted with a task. */
export function postbackDataOf(input: RelayInput): string | null {
  if (isSerpInput(input)) return input.request.postbackData;
  return typeof input.params.postback_data === 'string' ? input.params.postback_data : null;
}

/**
 * A task as posted upstream: the account's fields but its own webhooks, tagged with serpq's id; with
 * upstream postbacks on, reporting to the relay with the function it collects (where the type has
 * postbacks, and a function to name).
 */
export function upstreamTask(input: RelayInput, postbackUrl: string | null): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input.params ?? {})) if (!NOT_FORWARDED.has(k)) body[k] = v;
  body.tag = input.id;
  const type = typeOfInput(input);
  if (postbackUrl && (type.kind === 'serp' || type.type.postback)) {
    body.postback_url = postbackUrl;
    const key = collectedKey(type, postbackDataOf(input));
    if (type.kind === 'serp' || key !== 'task_get') body.postback_data = key;
  }
  return body;
}

const failed = (code: number, message: string, costMicro?: number): ExecutionOutcome => ({
  statusCode: code,
  statusMessage: message,
  costMicro,
});

export function createForwarder(ctx: RelayContext): (batch: Pending[]) => Promise<void> {
  const { store, clock, realClock, upstream } = ctx;
  const retry = (attempts: number, reason: string): ExecutionDeferral => ({
    defer: 'retry',
    at: clock.now() + Math.min(300_000, 2000 * 2 ** Math.min(attempts, 8)) * (0.75 + Math.random() / 2),
    reason,
  });
  const leaseUntil = (p: Pending) => p.input.postedAt + ctx.giveUpMs;
  const entry = (p: Pending, key: string | null): RelayForwarding => ({
    taskId: p.input.id,
    accountId: p.input.accountId ?? 0,
    requestKey: key,
  });

  /**
   * Looks unconfirmed tasks up upstream by tag, in their API's id_list (or, for an API without one,
   * on their type's tasks_ready); returns tag -> upstream id for those found.
   */
  async function adopt(rows: readonly RelayRow[], type: RelayedType): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    if (rows.length === 0) return found;
    const wanted = new Set(rows.map((r) => r.taskId));
    const api = idListApi(type);
    if (api === null) return adoptFromReady(wanted, type);
    const from = Math.min(...rows.map((r) => r.forwardedAt)) - 60_000;
    const to = realClock.now();
    for (let offset = 0; found.size < wanted.size && offset < 100_000; offset += 1000) {
      const env = await upstream.call('request', (c) =>
        c.idList(
          {
            datetime_from: formatDateTime(from),
            datetime_to: formatDateTime(to),
            include_metadata: true,
            limit: 1000,
            offset,
            sort: 'asc',
          },
          api,
        ),
      );
      const listed = env.tasks?.[0];
      // Without a list, nothing can be told missing: posting again could post twice. Try later.
      if (env.status_code !== STATUS.OK.code || listed?.status_code !== STATUS.OK.code) {
        throw new UpstreamUnavailable(`id_list: ${listed?.status_code ?? env.status_code} ${listed?.status_message ?? env.status_message}`);
      }
      const result = (listed.result ?? []) as Array<{ id: string; metadata?: { tag?: unknown } | null }>;
      for (const r of result) {
        const tag = r.metadata?.tag;
        if (typeof tag === 'string' && wanted.has(tag) && !found.has(tag)) found.set(tag, r.id);
      }
      if (result.length < 1000) break;
    }
    return found;
  }

  /** Tags of `wanted` among the upstream's completed tasks of the type (an API without id_list). */
  async function adoptFromReady(wanted: ReadonlySet<string>, type: RelayedType): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const env = await upstream.call('tasks_ready', (c) => c.tasksReadyOf(readyScopeOfType(type)), undefined, type.api);
    const listed = env.tasks?.[0];
    if (env.status_code !== STATUS.OK.code || listed?.status_code !== STATUS.OK.code) {
      throw new UpstreamUnavailable(
        `tasks_ready: ${listed?.status_code ?? env.status_code} ${listed?.status_message ?? env.status_message}`,
      );
    }
    for (const r of (listed.result ?? []) as Array<{ id: string; tag?: unknown }>) {
      if (typeof r.tag === 'string' && wanted.has(r.tag)) found.set(r.tag, r.id);
    }
    return found;
  }

  /** A leader that will never get an upstream result (refused, given up): its followers end as it did. */
  async function endFollowers(leaderId: string, code: number, message: string): Promise<void> {
    await completeRelayed(ctx, leaderId, { statusCode: code, statusMessage: message, results: [] }, false);
  }

  /**
   * The cache and in-flight sharing: serves what it can without the upstream and returns the tasks
   * still to post, each with its request key.
   */
  async function share(list: Pending[]): Promise<Array<{ p: Pending; key: string | null }>> {
    if (ctx.cacheTtlMs <= 0) return list.map((p) => ({ p, key: null }));
    const out: Array<{ p: Pending; key: string | null }> = [];
    const leaders = new Map<string, string>();
    for (const p of list) {
      const key = relayRequestKey(p.input);
      const cached = await store.relayCached(key, clock.now() - ctx.cacheTtlMs);
      if (cached) {
        const results: Array<{ fn: string; value: unknown }> = [];
        for (const fn of resultKeys(typeOfInput(p.input))) {
          const body = await store.resultOf(cached.taskId, fn);
          if (body) results.push({ fn, value: unzipResult(body) });
        }
        if (results.length > 0) {
          await store.relayCacheHit(entry(p, key), cached, realClock.now());
          p.resolve({ statusCode: STATUS.OK.code, statusMessage: STATUS.OK.message, results, costMicro: 0 });
          continue;
        }
      }
      // Posted in this very call or still with the upstream: follow it (the leader is recorded first).
      const inBatch = leaders.get(key);
      const leader = inBatch ?? (await store.relayLeaderOf(key));
      if (leader && leader !== p.input.id) {
        if (inBatch) {
          out.push({ p, key });
          continue;
        }
        if (await store.relayFollow(entry(p, key), leader, p.owner, realClock.now(), leaseUntil(p))) {
          p.resolve({ defer: 'handed-over' });
          continue;
        }
      }
      leaders.set(key, p.input.id);
      out.push({ p, key });
    }
    return out;
  }

  async function handOver(list: Pending[], accepted: RelayAccepted[]): Promise<void> {
    if (accepted.length === 0) return;
    // Handed over until the earliest give-up time among them (a reclaim past it re-checks each task).
    await store.relayForwarded(accepted, list[0]!.owner, realClock.now(), Math.min(...list.map(leaseUntil)));
    const ids = new Map(accepted.map((a) => [a.taskId, a.upstreamId]));
    for (const p of list) {
      const upstreamId = ids.get(p.input.id);
      if (upstreamId === undefined) continue;
      if (!takesTag(typeOfInput(p.input))) ctx.untagged.set(upstreamId, p.input.id);
      p.resolve({ defer: 'handed-over' });
    }
  }

  async function post(list: Array<{ p: Pending; key: string | null }>, rows: Map<string, RelayRow>): Promise<void> {
    // Within one call, a request posted twice is posted once: the others follow the first.
    const leaders = new Map<string, Pending>();
    const posted: Array<{ p: Pending; key: string | null }> = [];
    const following: Array<{ p: Pending; key: string }> = [];
    for (const x of list) {
      if (x.key !== null && leaders.has(x.key)) following.push({ p: x.p, key: x.key });
      else {
        if (x.key !== null) leaders.set(x.key, x.p);
        posted.push(x);
      }
    }
    await store.relayForwarding(
      posted.map((x) => entry(x.p, x.key)),
      realClock.now(),
    );
    for (const f of following) {
      const leader = leaders.get(f.key)!;
      if (await store.relayFollow(entry(f.p, f.key), leader.input.id, f.p.owner, realClock.now(), leaseUntil(f.p))) {
        f.p.resolve({ defer: 'handed-over' });
      } else f.p.resolve(retry(0, 'the equal request it waited for ended first'));
    }
    const attempts = (p: Pending) => rows.get(p.input.id)?.attempts ?? 0;
    const type = typeOfInput(posted[0]!.p.input);
    let env: WireEnvelope;
    try {
      env = await upstream.call(
        'request',
        postUpstream(
          type,
          posted.map((x) => upstreamTask(x.p.input, ctx.postbackUrl)),
        ),
      );
    } catch (err) {
      if (!(err instanceof UpstreamUnavailable)) throw err;
      // Never sent (connection refused): nothing can be upstream, so the next try posts afresh.
      if (!err.sent) await store.relayForget(posted.map((x) => x.p.input.id));
      for (const x of posted) x.p.resolve(retry(attempts(x.p), err.message));
      return;
    }
    const tasks = env.tasks ?? [];
    if (env.status_code !== STATUS.OK.code || tasks.length !== posted.length) {
      // Refused as a whole (credentials, balance): nothing was created upstream; try again later.
      upstream.noteError(`task_post: ${env.status_code} ${env.status_message}`);
      await store.relayForget(posted.map((x) => x.p.input.id));
      for (const x of posted) x.p.resolve(retry(attempts(x.p), `${env.status_code} ${env.status_message}`));
      return;
    }
    const accepted: RelayAccepted[] = [];
    for (const [i, x] of posted.entries()) {
      const t = tasks[i] as WireTask;
      if (t.status_code === STATUS.TASK_CREATED.code) accepted.push({ taskId: x.p.input.id, upstreamId: t.id, costMicro: micro(t.cost) });
      else {
        // Refused by the upstream alone (a field it rejects, ...): the task ends with its code, free.
        await endFollowers(x.p.input.id, t.status_code, t.status_message);
        x.p.resolve(failed(t.status_code, t.status_message, 0));
      }
    }
    await handOver(
      posted.map((x) => x.p),
      accepted,
    );
  }

  return async function forward(batch: Pending[]): Promise<void> {
    try {
      const now = clock.now();
      const live: Pending[] = [];
      for (const p of batch) {
        if (now - p.input.postedAt <= ctx.giveUpMs) {
          live.push(p);
          continue;
        }
        await endFollowers(p.input.id, STATUS.INTERNAL_ERROR.code, STATUS.INTERNAL_ERROR.message);
        p.resolve(failed(STATUS.INTERNAL_ERROR.code, STATUS.INTERNAL_ERROR.message, 0));
      }
      if (live.length === 0) return;
      const rows = new Map((await store.relayRows(live.map((p) => p.input.id))).map((r) => [r.taskId, r]));
      const stateOf = (p: Pending) => rows.get(p.input.id)?.state;

      // Already forwarded (its claim came back, e.g. past a lease): hand it over again.
      const known = live.filter((p) => stateOf(p) === 'forwarded' && rows.get(p.input.id)?.upstreamId);
      await handOver(
        known,
        known.map((p) => ({ taskId: p.input.id, upstreamId: rows.get(p.input.id)!.upstreamId! })),
      );
      // Posted before without a recorded answer: adopt what the upstream has, post only the rest.
      const recent = realClock.now() - SETTLE_MS;
      const unconfirmed = live.filter((p) => stateOf(p) === 'forwarding');
      const settling = unconfirmed.filter((p) => rows.get(p.input.id)!.forwardedAt > recent);
      for (const p of settling)
        p.resolve({ defer: 'retry', at: clock.now() + SETTLE_MS, reason: 'waiting for the upstream to list an unconfirmed call' });
      const type = typeOfInput(live[0]!.input);
      let toAdopt = unconfirmed.filter((p) => !settling.includes(p));
      const adopted = await adopt(
        toAdopt.map((p) => rows.get(p.input.id)!),
        type,
      );
      if (idListApi(type) === null) {
        // Not listed as completed yet, and no id_list to tell it missing: wait before posting again.
        const waitFrom = realClock.now() - NO_ID_LIST_WAIT_MS;
        const waiting = toAdopt.filter((p) => !adopted.has(p.input.id) && rows.get(p.input.id)!.forwardedAt > waitFrom);
        for (const p of waiting)
          p.resolve({ defer: 'retry', at: clock.now() + 30_000, reason: 'looking for an unconfirmed call on tasks_ready' });
        toAdopt = toAdopt.filter((p) => !waiting.includes(p));
      }
      const adoptedList = toAdopt.filter((p) => adopted.has(p.input.id));
      await handOver(
        adoptedList,
        adoptedList.map((p) => ({ taskId: p.input.id, upstreamId: adopted.get(p.input.id)! })),
      );
      // A follower or cache record left by an earlier claim starts over (the cache serves it again).
      const leftover = live.filter((p) => stateOf(p) === 'following' || stateOf(p) === 'done');
      if (leftover.length > 0) await store.relayForget(leftover.map((p) => p.input.id));

      const fresh = live
        .filter((p) => !known.includes(p) && !unconfirmed.includes(p))
        .concat(toAdopt.filter((p) => !adopted.has(p.input.id)));
      if (fresh.length === 0) return;
      const toPost = await share(fresh);
      if (toPost.length > 0) await post(toPost, rows);
    } catch (err) {
      ctx.hooks?.onError(err);
      for (const p of batch) p.resolve(retry(1, (err as Error).message));
    }
  };
}
