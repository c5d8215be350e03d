/** The relay executor's forwarding records and the upstream budget in the PostgreSQL store (its RelayLedger port, implemented structurally). */
import { TASK_STATE } from '../../domain/task.js';
import type { PoolClient } from 'pg';
import type { PostgresConnection } from './connection.js';
import {
  RELAY_OWNER,
  type RelayAccepted,
  budgetRetryAt,
  budgetWindow,
  type RelayForwarding,
  type RelayRow,
  type RelayUsage,
} from '../../domain/relay-records.js';
import { type RawRelay, type RawRelayUsage, toRelayRow, toRelayUsage } from '../row-mappers.js';

/** Adds to the per-account usage counters (`column` relayed or cache_hits) the accounts' rows of `accounts`. */
async function countUsage(c: PoolClient, column: 'relayed' | 'cache_hits', accounts: ReadonlyArray<number | string | null>): Promise<void> {
  const list = accounts.filter((a): a is number | string => a !== null).map(Number);
  if (list.length === 0) return;
  await c.query(
    `INSERT INTO relay_usage (account_id, ${column}) SELECT a, count(*) FROM unnest($1::bigint[]) AS u(a) GROUP BY a
     ON CONFLICT (account_id) DO UPDATE SET ${column} = relay_usage.${column} + excluded.${column}`,
    [list],
  );
}

/**
 * The relay ledger's members. Typed by what they return, not by the relay executor's RelayLedger port
 * (executors/relay/ledger.ts): the store imports the domain only, and the port is met structurally.
 */
export type RelayMembers = ReturnType<typeof relay>;

export function relay(conn: PostgresConnection) {
  const { query, tx } = conn;
  return {
    async relayRows(taskIds: readonly string[]): Promise<RelayRow[]> {
      if (taskIds.length === 0) return [];
      const r = await query<RawRelay>('serpq_relay_rows', 'SELECT * FROM relay_tasks WHERE task_id = ANY($1::text[])', [taskIds]);
      return r.rows.map(toRelayRow);
    },

    async relayForwarding(tasks: readonly RelayForwarding[], at: number): Promise<void> {
      if (tasks.length === 0) return;
      await query(
        'serpq_relay_forwarding',
        `INSERT INTO relay_tasks (task_id, state, forwarded_at, account_id, request_key)
         SELECT id, 'forwarding', $2, account, rkey FROM unnest($1::text[], $3::bigint[], $4::text[]) AS u(id, account, rkey)
         ON CONFLICT (task_id) DO UPDATE SET state = 'forwarding', upstream_id = NULL, forwarded_at = excluded.forwarded_at,
           attempts = relay_tasks.attempts + 1, leader_id = NULL, source = 'upstream'`,
        [tasks.map((t) => t.taskId), at, tasks.map((t) => t.accountId), tasks.map((t) => t.requestKey)],
      );
    },

    async relayForget(taskIds: readonly string[]): Promise<void> {
      if (taskIds.length === 0) return;
      await query(
        'serpq_relay_forget',
        "DELETE FROM relay_tasks WHERE task_id = ANY($1::text[]) AND state IN ('forwarding', 'following')",
        [taskIds],
      );
    },

    async relayForwarded(rows: readonly RelayAccepted[], owner: string, at: number, leaseUntil: number): Promise<number> {
      if (rows.length === 0) return 0;
      const ids = rows.map((r) => r.taskId);
      const upstream = rows.map((r) => r.upstreamId);
      return tx(async (c) => {
        // A task's first forwarding counts once in its account's usage (a re-hand-over does not).
        const first = await c.query<{ account_id: string | null }>(
          "SELECT account_id FROM relay_tasks WHERE task_id = ANY($1::text[]) AND state = 'forwarding' FOR UPDATE",
          [ids],
        );
        await c.query(
          `UPDATE relay_tasks r SET state = 'forwarded', upstream_id = u.up, checked_at = $3, upstream_cost = coalesce(u.cost, r.upstream_cost)
           FROM unnest($1::text[], $2::text[], $4::bigint[]) AS u(id, up, cost) WHERE r.task_id = u.id AND r.state IN ('forwarding', 'forwarded')`,
          [ids, upstream, at, rows.map((r) => r.costMicro ?? null)],
        );
        await countUsage(
          c,
          'relayed',
          first.rows.map((r) => r.account_id),
        );
        const t = await c.query(
          `UPDATE tasks SET lease_owner = $1, lease_expires_at = $2 WHERE id = ANY($3::text[]) AND state = ${TASK_STATE.running} AND lease_owner = $4`,
          [RELAY_OWNER, leaseUntil, ids, owner],
        );
        return t.rowCount ?? 0;
      });
    },

    async relayDue(before: number, at: number, limit: number): Promise<RelayRow[]> {
      return tx(async (c) => {
        const r = await c.query<RawRelay & { task_state: number | null; lease_owner: string | null }>(
          `SELECT r.*, t.state AS task_state, t.lease_owner FROM relay_tasks r LEFT JOIN tasks t ON t.id = r.task_id
           WHERE r.state = 'forwarded' AND r.checked_at < $1 ORDER BY r.checked_at LIMIT $2 FOR UPDATE OF r SKIP LOCKED`,
          [before, limit],
        );
        const finished = r.rows.filter((x) => x.task_state === null || x.task_state === TASK_STATE.done).map((x) => x.task_id);
        const open = r.rows.filter((x) => x.task_state !== null && x.task_state !== TASK_STATE.done);
        if (finished.length) await c.query("UPDATE relay_tasks SET state = 'done' WHERE task_id = ANY($1::text[])", [finished]);
        if (open.length)
          await c.query('UPDATE relay_tasks SET checked_at = $1 WHERE task_id = ANY($2::text[])', [at, open.map((x) => x.task_id)]);
        return open.filter((x) => x.task_state === TASK_STATE.running && x.lease_owner === RELAY_OWNER).map(toRelayRow);
      });
    },

    async relayInFlight(): Promise<number> {
      const r = await query<{ n: number }>(
        'serpq_relay_in_flight',
        `SELECT count(*)::int AS n FROM tasks WHERE state = ${TASK_STATE.running} AND lease_owner = $1`,
        [RELAY_OWNER],
      );
      return r.rows[0]?.n ?? 0;
    },

    async relayCached(requestKey: string, since: number): Promise<RelayRow | null> {
      const r = await query<RawRelay>(
        'serpq_relay_cached',
        `SELECT r.* FROM relay_tasks r JOIN tasks t ON t.id = r.task_id
         WHERE r.request_key = $1 AND r.source = 'upstream' AND r.state = 'done' AND t.state = ${TASK_STATE.done} AND t.status_code = 20000 AND t.completed_at >= $2
         ORDER BY t.completed_at DESC LIMIT 1`,
        [requestKey, since],
      );
      return r.rows[0] ? toRelayRow(r.rows[0]) : null;
    },

    async relayLeaderOf(requestKey: string): Promise<string | null> {
      const r = await query<{ task_id: string }>(
        'serpq_relay_leader_of',
        `SELECT task_id FROM relay_tasks WHERE request_key = $1 AND state IN ('forwarding', 'forwarded') AND source = 'upstream'
         ORDER BY forwarded_at LIMIT 1`,
        [requestKey],
      );
      return r.rows[0]?.task_id ?? null;
    },

    async relayFollow(task: RelayForwarding, leaderId: string, owner: string, at: number, leaseUntil: number): Promise<boolean> {
      return tx(async (c) => {
        // The leader's record stays locked until this commits: relayClose waits, then sees the follower.
        const leader = await c.query<{ state: string; task_state: number | null }>(
          `SELECT r.state, t.state AS task_state FROM relay_tasks r LEFT JOIN tasks t ON t.id = r.task_id
           WHERE r.task_id = $1 FOR UPDATE OF r`,
          [leaderId],
        );
        const l = leader.rows[0];
        if (!l || (l.state !== 'forwarding' && l.state !== 'forwarded') || l.task_state === null || l.task_state === TASK_STATE.done)
          return false;
        await c.query(
          `INSERT INTO relay_tasks (task_id, state, forwarded_at, attempts, account_id, request_key, leader_id, source)
           VALUES ($1, 'following', $2, 0, $3, $4, $5, 'shared')
           ON CONFLICT (task_id) DO UPDATE SET state = 'following', leader_id = excluded.leader_id, source = 'shared', upstream_id = NULL`,
          [task.taskId, at, task.accountId, task.requestKey, leaderId],
        );
        await c.query(
          `UPDATE tasks SET lease_owner = $1, lease_expires_at = $2 WHERE id = $3 AND state = ${TASK_STATE.running} AND lease_owner = $4`,
          [RELAY_OWNER, leaseUntil, task.taskId, owner],
        );
        return true;
      });
    },

    async relayCacheHit(task: RelayForwarding, leader: RelayRow, at: number): Promise<void> {
      await tx(async (c) => {
        const r = await c.query(
          `INSERT INTO relay_tasks (task_id, state, upstream_id, forwarded_at, attempts, account_id, request_key, leader_id, source)
           VALUES ($1, 'done', $2, $3, 0, $4, $5, $6, 'cache') ON CONFLICT (task_id) DO NOTHING`,
          [task.taskId, leader.upstreamId, at, task.accountId, task.requestKey, leader.taskId],
        );
        if ((r.rowCount ?? 0) > 0) await countUsage(c, 'cache_hits', [task.accountId]);
      });
    },

    async relayClose(leaderId: string): Promise<RelayRow[]> {
      return tx(async (c) => {
        const leader = await c.query<{ upstream_id: string | null }>(
          "UPDATE relay_tasks SET state = 'done' WHERE task_id = $1 RETURNING upstream_id",
          [leaderId],
        );
        const f = await c.query<RawRelay>(
          "UPDATE relay_tasks SET upstream_id = $2 WHERE leader_id = $1 AND state = 'following' RETURNING *",
          [leaderId, leader.rows[0]?.upstream_id ?? null],
        );
        return f.rows.map(toRelayRow);
      });
    },

    async relayOrphans(limit: number): Promise<RelayRow[]> {
      const r = await query<RawRelay>(
        'serpq_relay_orphans',
        `SELECT f.* FROM relay_tasks f LEFT JOIN relay_tasks l ON l.task_id = f.leader_id
         WHERE f.state = 'following' AND (l.task_id IS NULL OR l.state = 'done') LIMIT $1`,
        [limit],
      );
      return r.rows.map(toRelayRow);
    },

    async relayFinish(taskIds: readonly string[]): Promise<void> {
      if (taskIds.length === 0) return;
      await tx(async (c) => {
        const r = await c.query<{ account_id: string | null }>(
          "UPDATE relay_tasks SET state = 'done' WHERE task_id = ANY($1::text[]) AND state = 'following' RETURNING account_id",
          [taskIds],
        );
        await countUsage(
          c,
          'cache_hits',
          r.rows.map((x) => x.account_id),
        );
      });
    },

    async relayUsage(accountId?: number): Promise<RelayUsage[]> {
      const r =
        accountId === undefined
          ? await query<RawRelayUsage>('serpq_relay_usage_all', 'SELECT * FROM relay_usage ORDER BY account_id')
          : await query<RawRelayUsage>('serpq_relay_usage_one', 'SELECT * FROM relay_usage WHERE account_id = $1', [accountId]);
      return r.rows.map(toRelayUsage);
    },

    async upstreamHit(kind: string, limit: number, now: number, windowMs: number): Promise<number> {
      return tx(async (c) => {
        // One budget for every process: callers of a kind take their turn under one transaction lock.
        await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`serpq_upstream_calls:${kind}`]);
        const w = budgetWindow(now, windowMs);
        await c.query('DELETE FROM upstream_call_counts WHERE kind = $1 AND second < $2', [kind, w.from]);
        const r = await c.query<{ n: number; oldest: string | null }>(
          'SELECT coalesce(sum(n), 0)::int AS n, min(second) AS oldest FROM upstream_call_counts WHERE kind = $1',
          [kind],
        );
        const { n, oldest } = r.rows[0]!;
        if (n >= limit) return budgetRetryAt(oldest === null ? w.second : Number(oldest), windowMs);
        await c.query(
          `INSERT INTO upstream_call_counts (kind, second, n) VALUES ($1, $2, 1)
           ON CONFLICT (kind, second) DO UPDATE SET n = upstream_call_counts.n + 1`,
          [kind, w.second],
        );
        return 0;
      });
    },

    async upstreamCallCount(kind: string, now: number, windowMs: number): Promise<number> {
      const r = await query<{ n: number }>(
        'serpq_upstream_call_count',
        'SELECT coalesce(sum(n), 0)::int AS n FROM upstream_call_counts WHERE kind = $1 AND second >= $2',
        [kind, budgetWindow(now, windowMs).from],
      );
      return r.rows[0]?.n ?? 0;
    },

    async upstreamEnter(slot: string, max: number, now: number, expiresAt: number): Promise<boolean> {
      return tx(async (c) => {
        await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['serpq_upstream_slots']);
        await c.query('DELETE FROM upstream_slots WHERE expires_at <= $1', [now]);
        const r = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM upstream_slots');
        if (r.rows[0]!.n >= max) return false;
        await c.query(
          'INSERT INTO upstream_slots (slot, expires_at) VALUES ($1, $2) ON CONFLICT (slot) DO UPDATE SET expires_at = excluded.expires_at',
          [slot, expiresAt],
        );
        return true;
      });
    },

    async upstreamSlotIds(): Promise<string[]> {
      const r = await query<{ slot: string }>('serpq_upstream_slot_ids', 'SELECT slot FROM upstream_slots');
      return r.rows.map((x) => x.slot);
    },

    async upstreamLeave(slot: string): Promise<void> {
      await query('serpq_upstream_leave', 'DELETE FROM upstream_slots WHERE slot = $1', [slot]);
    },
  };
}
