/**
 * The relay's records, as the store keeps them for it: a forwarded task's record, an upstream
 * task_post's answer, a task about to be posted, usage per account, and the seconds an upstream
 * budget window counts. Pure types and rules; the port over them is `RelayLedger`
 * (executors/relay/ledger.ts), implemented by each store dialect's `relay.ts`.
 */

/** The lease owner of relayed tasks while the upstream works on them (no process holds them). */
export const RELAY_OWNER = 'relay';

/**
 * A task's forwarding record (the relay executor). Written as `forwarding` before the upstream
 * task_post and `forwarded` with the upstream id after it: a record left `forwarding` by a crash is
 * resolved by looking the task up upstream by its tag before it is ever posted again. A task whose
 * request matches one already with the upstream is `following` it (it completes with the leader's
 * result); `done` once the task completed here.
 */
export interface RelayRow {
  readonly taskId: string;
  readonly state: 'forwarding' | 'forwarded' | 'following' | 'done';
  readonly upstreamId: string | null;
  /** When the last upstream task_post for it was sent (real clock, epoch ms). */
  readonly forwardedAt: number;
  /** When the upstream id was recorded, or the sweep last looked at it (real clock). */
  readonly checkedAt: number | null;
  /** Upstream task_post calls made for it. */
  readonly attempts: number;
  readonly accountId: number | null;
  /** What decides its SERP (engine, type, function inputs), for the cache; null when not cached. */
  readonly requestKey: string | null;
  /** The task whose upstream result it takes (following, or served from the cache). */
  readonly leaderId: string | null;
  /** Where its result came from: the upstream itself, the cache, or a leader in flight. */
  readonly source: 'upstream' | 'cache' | 'shared';
  /** What the upstream charged for it (its task_post answer), micro-USD; null until known. */
  readonly upstreamCostMicro: number | null;
}

/** An upstream task_post's answer for one task. */
export interface RelayAccepted {
  readonly taskId: string;
  readonly upstreamId: string;
  /** The upstream's cost for it, when the answer gave one (micro-USD). */
  readonly costMicro?: number;
}

/** A task about to be posted upstream. */
export interface RelayForwarding {
  readonly taskId: string;
  readonly accountId: number;
  readonly requestKey: string | null;
}

/** Per account: tasks the relay sent upstream, and tasks it served from the cache or a shared call. */
export interface RelayUsage {
  readonly accountId: number;
  readonly relayed: number;
  readonly cacheHits: number;
}

/**
 * The seconds of the clock an upstream budget window ending at `now` counts: from the second that
 * holds `now - windowMs` (counted whole, so no call of the window is missed) to `now`'s.
 */
export function budgetWindow(now: number, windowMs: number): { from: number; second: number } {
  return { from: Math.floor((now - windowMs) / 1000), second: Math.floor(now / 1000) };
}

/** When the budget's oldest counted second leaves the window. */
export function budgetRetryAt(oldestSecond: number, windowMs: number): number {
  return (oldestSecond + 1) * 1000 + windowMs;
}
