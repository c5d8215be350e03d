/** The relay executor's forwarding records, usage and upstream budget in the SQLite store (its RelayLedger port, implemented structurally). */
import { TASK_STATE } from '../../domain/task.js';
import {
  RELAY_OWNER,
  type RelayAccepted,
  budgetRetryAt,
  budgetWindow,
  type RelayForwarding,
  type RelayRow,
  type RelayUsage,
} from '../../domain/relay-records.js';
import { withBusyRetry } from '../map-db-error.js';
import { type RawRelay, type RawRelayUsage, toRelayRow, toRelayUsage } from '../row-mappers.js';
import type { SqliteConnection } from './connection.js';

/**
 * The relay ledger's members. Typed by what they return, not by the relay executor's RelayLedger port
 * (executors/relay/ledger.ts): the store imports the domain only, and the port is met structurally.
 */
export type RelayMembers = ReturnType<typeof relay>;

export function relay(conn: SqliteConnection) {
  const { db, immediate } = conn;
  const s = {
    row: db.prepare('SELECT * FROM relay_tasks WHERE task_id = ?'),
    forwarding: db.prepare(
      `INSERT INTO relay_tasks (task_id, state, forwarded_at, account_id, request_key) VALUES (?, 'forwarding', ?, ?, ?)
       ON CONFLICT (task_id) DO UPDATE SET state = 'forwarding', upstream_id = NULL, forwarded_at = excluded.forwarded_at,
         attempts = attempts + 1, leader_id = NULL, source = 'upstream'`,
    ),
    forget: db.prepare("DELETE FROM relay_tasks WHERE task_id = ? AND state IN ('forwarding', 'following')"),
    forwarded: db
      .prepare(
        `UPDATE relay_tasks SET state = 'forwarded', upstream_id = ?, checked_at = ?, upstream_cost = coalesce(?, upstream_cost)
         WHERE task_id = ? AND state IN ('forwarding', 'forwarded')
         RETURNING account_id`,
      )
      .pluck(),
    wasForwarding: db.prepare("SELECT 1 FROM relay_tasks WHERE task_id = ? AND state = 'forwarding'").pluck(),
    handOver: db.prepare(
      `UPDATE tasks SET lease_owner = ?, lease_expires_at = ? WHERE id = ? AND state = ${TASK_STATE.running} AND lease_owner = ?`,
    ),
    candidates: db.prepare("SELECT * FROM relay_tasks WHERE state = 'forwarded' AND checked_at < ? ORDER BY checked_at LIMIT ?"),
    taskState: db.prepare('SELECT state, lease_owner FROM tasks WHERE id = ?'),
    touch: db.prepare('UPDATE relay_tasks SET checked_at = ? WHERE task_id = ?'),
    finishRow: db.prepare("UPDATE relay_tasks SET state = 'done' WHERE task_id = ?"),
    inFlight: db.prepare(`SELECT count(*) FROM tasks WHERE state = ${TASK_STATE.running} AND lease_owner = ?`).pluck(),
    cached: db.prepare(
      `SELECT r.* FROM relay_tasks r JOIN tasks t ON t.id = r.task_id
       WHERE r.request_key = ? AND r.source = 'upstream' AND r.state = 'done' AND t.state = ${TASK_STATE.done} AND t.status_code = 20000 AND t.completed_at >= ?
       ORDER BY t.completed_at DESC LIMIT 1`,
    ),
    leaderOf: db
      .prepare(
        `SELECT task_id FROM relay_tasks WHERE request_key = ? AND state IN ('forwarding', 'forwarded') AND source = 'upstream'
         ORDER BY forwarded_at LIMIT 1`,
      )
      .pluck(),
    follow: db.prepare(
      `INSERT INTO relay_tasks (task_id, state, forwarded_at, attempts, account_id, request_key, leader_id, source)
       VALUES (@taskId, 'following', @at, 0, @accountId, @requestKey, @leaderId, 'shared')
       ON CONFLICT (task_id) DO UPDATE SET state = 'following', leader_id = excluded.leader_id, source = 'shared', upstream_id = NULL`,
    ),
    cacheHit: db.prepare(
      `INSERT INTO relay_tasks (task_id, state, upstream_id, forwarded_at, attempts, account_id, request_key, leader_id, source)
       VALUES (@taskId, 'done', @upstreamId, @at, 0, @accountId, @requestKey, @leaderId, 'cache')
       ON CONFLICT (task_id) DO NOTHING`,
    ),
    followers: db.prepare("SELECT * FROM relay_tasks WHERE leader_id = ? AND state = 'following'"),
    shareId: db.prepare("UPDATE relay_tasks SET upstream_id = ? WHERE leader_id = ? AND state = 'following'"),
    orphans: db.prepare(
      `SELECT f.* FROM relay_tasks f LEFT JOIN relay_tasks l ON l.task_id = f.leader_id
       WHERE f.state = 'following' AND (l.task_id IS NULL OR l.state = 'done') LIMIT ?`,
    ),
    finishFollower: db
      .prepare("UPDATE relay_tasks SET state = 'done' WHERE task_id = ? AND state = 'following' RETURNING account_id")
      .pluck(),
    countRelayed: db.prepare(
      'INSERT INTO relay_usage (account_id, relayed) VALUES (?, 1) ON CONFLICT (account_id) DO UPDATE SET relayed = relayed + 1',
    ),
    countHit: db.prepare(
      'INSERT INTO relay_usage (account_id, cache_hits) VALUES (?, 1) ON CONFLICT (account_id) DO UPDATE SET cache_hits = cache_hits + 1',
    ),
    usageAll: db.prepare('SELECT * FROM relay_usage ORDER BY account_id'),
    usageOne: db.prepare('SELECT * FROM relay_usage WHERE account_id = ?'),
    expireCalls: db.prepare('DELETE FROM upstream_call_counts WHERE kind = ? AND second < ?'),
    callsSince: db.prepare('SELECT coalesce(sum(n), 0) FROM upstream_call_counts WHERE kind = ? AND second >= ?').pluck(),
    countCalls: db.prepare('SELECT coalesce(sum(n), 0) AS n, min(second) AS oldest FROM upstream_call_counts WHERE kind = ?'),
    addCall: db.prepare(
      'INSERT INTO upstream_call_counts (kind, second, n) VALUES (?, ?, 1) ON CONFLICT (kind, second) DO UPDATE SET n = n + 1',
    ),
    expireSlots: db.prepare('DELETE FROM upstream_slots WHERE expires_at <= ?'),
    countSlots: db.prepare('SELECT count(*) FROM upstream_slots').pluck(),
    addSlot: db.prepare('INSERT OR REPLACE INTO upstream_slots (slot, expires_at) VALUES (?, ?)'),
    leave: db.prepare('DELETE FROM upstream_slots WHERE slot = ?'),
    slotIds: db.prepare('SELECT slot FROM upstream_slots').pluck(),
  };
  const write = <T>(fn: () => T): T => withBusyRetry(() => immediate(fn));
  const rowOf = (id: string) => s.row.get(id) as RawRelay | undefined;

  return {
    async relayRows(taskIds: readonly string[]): Promise<RelayRow[]> {
      return taskIds
        .map(rowOf)
        .filter((r): r is RawRelay => r !== undefined)
        .map(toRelayRow);
    },
    async relayForwarding(tasks: readonly RelayForwarding[], at: number): Promise<void> {
      write(() => tasks.forEach((t) => s.forwarding.run(t.taskId, at, t.accountId, t.requestKey)));
    },
    async relayForget(taskIds: readonly string[]): Promise<void> {
      write(() => taskIds.forEach((id) => s.forget.run(id)));
    },
    async relayForwarded(rows: readonly RelayAccepted[], owner: string, at: number, leaseUntil: number): Promise<number> {
      return write(() => {
        let n = 0;
        for (const r of rows) {
          const first = s.wasForwarding.get(r.taskId) !== undefined;
          const account = s.forwarded.get(r.upstreamId, at, r.costMicro ?? null, r.taskId) as number | null | undefined;
          if (first && account !== undefined && account !== null) s.countRelayed.run(account);
          n += s.handOver.run(RELAY_OWNER, leaseUntil, r.taskId, owner).changes;
        }
        return n;
      });
    },
    async relayDue(before: number, at: number, limit: number): Promise<RelayRow[]> {
      return write(() => {
        const out: RelayRow[] = [];
        for (const raw of s.candidates.all(before, limit) as RawRelay[]) {
          const task = s.taskState.get(raw.task_id) as { state: number; lease_owner: string | null } | undefined;
          if (!task || task.state === TASK_STATE.done) {
            s.finishRow.run(raw.task_id);
            continue;
          }
          s.touch.run(at, raw.task_id);
          if (task.state === TASK_STATE.running && task.lease_owner === RELAY_OWNER) out.push(toRelayRow(raw));
        }
        return out;
      });
    },
    async relayInFlight(): Promise<number> {
      return s.inFlight.get(RELAY_OWNER) as number;
    },
    async relayCached(requestKey: string, since: number): Promise<RelayRow | null> {
      const r = s.cached.get(requestKey, since) as RawRelay | undefined;
      return r ? toRelayRow(r) : null;
    },
    async relayLeaderOf(requestKey: string): Promise<string | null> {
      return (s.leaderOf.get(requestKey) as string | undefined) ?? null;
    },
    async relayFollow(task: RelayForwarding, leaderId: string, owner: string, at: number, leaseUntil: number): Promise<boolean> {
      return write(() => {
        const leader = rowOf(leaderId);
        const leaderTask = s.taskState.get(leaderId) as { state: number } | undefined;
        if (
          !leader ||
          (leader.state !== 'forwarding' && leader.state !== 'forwarded') ||
          !leaderTask ||
          leaderTask.state === TASK_STATE.done
        ) {
          return false;
        }
        s.follow.run({ ...task, leaderId, at });
        s.handOver.run(RELAY_OWNER, leaseUntil, task.taskId, owner);
        return true;
      });
    },
    async relayCacheHit(task: RelayForwarding, leader: RelayRow, at: number): Promise<void> {
      write(() => {
        const inserted = s.cacheHit.run({ ...task, leaderId: leader.taskId, upstreamId: leader.upstreamId, at }).changes;
        if (inserted > 0) s.countHit.run(task.accountId);
      });
    },
    async relayClose(leaderId: string): Promise<RelayRow[]> {
      return write(() => {
        const leader = rowOf(leaderId);
        s.finishRow.run(leaderId);
        s.shareId.run(leader?.upstream_id ?? null, leaderId);
        return (s.followers.all(leaderId) as RawRelay[]).map(toRelayRow);
      });
    },
    async relayOrphans(limit: number): Promise<RelayRow[]> {
      return (s.orphans.all(limit) as RawRelay[]).map(toRelayRow);
    },
    async relayFinish(taskIds: readonly string[]): Promise<void> {
      write(() => {
        for (const id of taskIds) {
          const account = s.finishFollower.get(id) as number | null | undefined;
          if (account !== undefined && account !== null) s.countHit.run(account);
        }
      });
    },
    async relayUsage(accountId?: number): Promise<RelayUsage[]> {
      const rows = (accountId === undefined ? s.usageAll.all() : s.usageOne.all(accountId)) as RawRelayUsage[];
      return rows.map(toRelayUsage);
    },
    async upstreamHit(kind: string, limit: number, now: number, windowMs: number): Promise<number> {
      const w = budgetWindow(now, windowMs);
      return write(() => {
        s.expireCalls.run(kind, w.from);
        const { n, oldest } = s.countCalls.get(kind) as { n: number; oldest: number | null };
        if (n >= limit) return budgetRetryAt(oldest ?? w.second, windowMs);
        s.addCall.run(kind, w.second);
        return 0;
      });
    },
    async upstreamCallCount(kind: string, now: number, windowMs: number): Promise<number> {
      return s.callsSince.get(kind, budgetWindow(now, windowMs).from) as number;
    },
    async upstreamEnter(slot: string, max: number, now: number, expiresAt: number): Promise<boolean> {
      return write(() => {
        s.expireSlots.run(now);
        if ((s.countSlots.get() as number) >= max) return false;
        s.addSlot.run(slot, expiresAt);
        return true;
      });
    },
    async upstreamLeave(slot: string): Promise<void> {
      withBusyRetry(() => s.leave.run(slot));
    },
    async upstreamSlotIds(): Promise<string[]> {
      return s.slotIds.all() as string[];
    },
  };
}
