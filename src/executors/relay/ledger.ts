import type { RelayAccepted, RelayForwarding, RelayRow, RelayUsage } from '../../domain/relay-records.js';

/**
 * The relay executor's port to the store: its forwarding records, usage and upstream budget.
 * Defined here, by its one user; each store dialect's `relay.ts` implements it (structurally: the
 * store imports the domain only), and the composition root hands the store over as it.
 */
export interface RelayLedger {
  relayRows(taskIds: readonly string[]): Promise<RelayRow[]>;
  /** Records that these tasks are about to be posted upstream (before the call), at `at` (real clock). */
  relayForwarding(tasks: readonly RelayForwarding[], at: number): Promise<void>;
  /** Drops `forwarding` records of a call that provably never left (connection refused). */
  relayForget(taskIds: readonly string[]): Promise<void>;
  /**
   * After the upstream accepted them: records the upstream ids and hands each task's claim from
   * `owner` to RELAY_OWNER until `leaseUntil` (the give-up time), in one transaction, so no process
   * holds the task while the upstream works. A task's first forwarding counts in its account's
   * `relayed`. Returns how many were handed over.
   */
  relayForwarded(rows: readonly RelayAccepted[], owner: string, at: number, leaseUntil: number): Promise<number>;
  /**
   * Relayed tasks still with the upstream (running under RELAY_OWNER) whose record was last checked
   * before `before`, oldest first; their check time becomes `at`, so the next call sees others.
   */
  relayDue(before: number, at: number, limit: number): Promise<RelayRow[]>;
  /** Tasks running under RELAY_OWNER: the relay's in-flight count. */
  relayInFlight(): Promise<number>;
  /** The newest task completed from the upstream with 20000 for `requestKey` at or after `since`. */
  relayCached(requestKey: string, since: number): Promise<RelayRow | null>;
  /** A task of `requestKey` still with the upstream (forwarding or forwarded, not following). */
  relayLeaderOf(requestKey: string): Promise<string | null>;
  /**
   * Makes `task` follow `leaderId` (its claim passes from `owner` to RELAY_OWNER until `leaseUntil`),
   * in one transaction with the leader's record locked: false, and nothing written, when the leader
   * is no longer with the upstream (it completed meanwhile).
   */
  relayFollow(task: RelayForwarding, leaderId: string, owner: string, at: number, leaseUntil: number): Promise<boolean>;
  /** Records a task served from the cache (done, counted once in its account's cache hits). */
  relayCacheHit(task: RelayForwarding, leader: RelayRow, at: number): Promise<void>;
  /**
   * The leader's record becomes `done` (with the leader's record locked, so no new follower joins)
   * and its followers still running are returned.
   */
  relayClose(leaderId: string): Promise<RelayRow[]>;
  /** Followers whose leader is done, still running under RELAY_OWNER (a crash between the two). */
  relayOrphans(limit: number): Promise<RelayRow[]>;
  /** Followers completed here: `done`, each counted once in its account's cache hits. */
  relayFinish(taskIds: readonly string[]): Promise<void>;
  relayUsage(accountId?: number): Promise<RelayUsage[]>;
  /**
   * One call of the upstream's per-minute budget `kind`, shared by every process on the store: a
   * sliding window of `windowMs` ending at `now`, counted in whole seconds (`budgetWindow`: the
   * oldest second counts whole, so the count never falls short). Returns 0 when taken, else when the
   * oldest second leaves the window (the earliest time worth asking again).
   */
  upstreamHit(kind: string, limit: number, now: number, windowMs: number): Promise<number>;
  /** Calls of `kind` made in the window of `windowMs` ending at `now`, by every process. */
  upstreamCallCount(kind: string, now: number, windowMs: number): Promise<number>;
  /**
   * Takes one of `max` upstream concurrency slots (shared by every process on the store) as `slot`,
   * held until `upstreamLeave` or `expiresAt` (real clock: a crashed process's slots lapse with the
   * call timeout). Slots lapsed at `now` do not count.
   */
  upstreamEnter(slot: string, max: number, now: number, expiresAt: number): Promise<boolean>;
  upstreamLeave(slot: string): Promise<void>;
  /** The slots held now (their names), for freeing those of processes known dead. */
  upstreamSlotIds(): Promise<string[]>;
}
