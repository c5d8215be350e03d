import type { PoolClient, QueryResult, QueryResultRow } from 'pg';
import { RELAY_OWNER, type RelayRow } from '../store.js';
import { type RawRelay, toRelayRow } from '../row-mappers.js';

/** The relay executor's forwarding records in the PostgreSQL store (see Store.relay*). */
type Query = <R extends QueryResultRow>(name: string | undefined, text: string, values?: unknown[]) => Promise<QueryResult<R>>;
type Tx = <T>(fn: (c: PoolClient) => Promise<T>) => Promise<T>;

export async function relayRows(query: Query, taskIds: readonly string[]): Promise<RelayRow[]> {
  if (taskIds.length === 0) return [];
  const r = await query<RawRelay>('serpq_relay_rows', 'SELECT * FROM relay_tasks WHERE task_id = ANY($1::text[])', [taskIds]);
  return r.rows.map(toRelayRow);
}

export async function relayForwarding(query: Query, taskIds: readonly string[], at: number): Promise<void> {
  if (taskIds.length === 0) return;
  await query(
    'serpq_relay_forwarding',
    `INSERT INTO relay_tasks (task_id, state, forwarded_at) SELECT unnest($1::text[]), 'forwarding', $2
     ON CONFLICT (task_id) DO UPDATE SET state = 'forwarding', upstream_id = NULL, forwarded_at = excluded.forwarded_at, attempts = relay_tasks.attempts + 1`,
    [taskIds, at],
  );
}

export async function relayForwarded(
  tx: Tx,
  rows: ReadonlyArray<{ taskId: string; upstreamId: string }>,
  owner: string,
  at: number,
  leaseUntil: number,
): Promise<number> {
  if (rows.length === 0) return 0;
  const ids = rows.map((r) => r.taskId);
  const upstream = rows.map((r) => r.upstreamId);
  return tx(async (c) => {
    await c.query(
      `UPDATE relay_tasks r SET state = 'forwarded', upstream_id = u.up, checked_at = $3
       FROM unnest($1::text[], $2::text[]) AS u(id, up) WHERE r.task_id = u.id`,
      [ids, upstream, at],
    );
    const t = await c.query(
      'UPDATE tasks SET lease_owner = $1, lease_expires_at = $2 WHERE id = ANY($3::text[]) AND state = 1 AND lease_owner = $4',
      [RELAY_OWNER, leaseUntil, ids, owner],
    );
    return t.rowCount ?? 0;
  });
}

export async function relayDue(tx: Tx, before: number, at: number, limit: number): Promise<RelayRow[]> {
  return tx(async (c) => {
    const r = await c.query<RawRelay & { task_state: number | null; lease_owner: string | null }>(
      `SELECT r.*, t.state AS task_state, t.lease_owner FROM relay_tasks r LEFT JOIN tasks t ON t.id = r.task_id
       WHERE r.state = 'forwarded' AND r.checked_at < $1 ORDER BY r.checked_at LIMIT $2 FOR UPDATE OF r SKIP LOCKED`,
      [before, limit],
    );
    const finished = r.rows.filter((x) => x.task_state === null || x.task_state === 2).map((x) => x.task_id);
    const open = r.rows.filter((x) => x.task_state !== null && x.task_state !== 2);
    if (finished.length) await c.query("UPDATE relay_tasks SET state = 'done' WHERE task_id = ANY($1::text[])", [finished]);
    if (open.length)
      await c.query('UPDATE relay_tasks SET checked_at = $1 WHERE task_id = ANY($2::text[])', [at, open.map((x) => x.task_id)]);
    return open.filter((x) => x.task_state === 1 && x.lease_owner === RELAY_OWNER).map(toRelayRow);
  });
}

export async function relayInFlight(query: Query): Promise<number> {
  const r = await query<{ n: number }>(
    'serpq_relay_in_flight',
    'SELECT count(*)::int AS n FROM tasks WHERE state = 1 AND lease_owner = $1',
    [RELAY_OWNER],
  );
  return r.rows[0]?.n ?? 0;
}

export async function deferTasks(query: Query, ids: readonly string[], owner: string, runAfter: number): Promise<void> {
  if (ids.length === 0) return;
  await query(
    'serpq_defer_tasks',
    'UPDATE tasks SET state = 0, lease_owner = NULL, lease_expires_at = NULL, run_after = $1 WHERE id = ANY($2::text[]) AND state = 1 AND lease_owner = $3',
    [runAfter, ids, owner],
  );
}
