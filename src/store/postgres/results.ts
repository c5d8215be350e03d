import { RESET_TABLES } from '../reset-tables.js';
import { storedResultsSql } from '../stored-results-sql.js';
import type { RetentionCut, StoredResultsQuery, StoredResultsRow } from '../store.js';
import type { Query } from './connection.js';

/** Stored results as cassettes read them, their retention, and the wipe of POST /admin/reset, in the PostgreSQL store. */

export async function storedResults(query: Query, q: StoredResultsQuery): Promise<StoredResultsRow[]> {
  const values: unknown[] = [q.since, q.after?.completedAt ?? -1, q.after?.id ?? '', q.limit];
  if (q.accountId !== undefined) values.push(q.accountId);
  const r = await query<{ id: string; se: string; se_type: string; data: string; completed_at: string }>(
    undefined,
    storedResultsSql((n) => `$${n}`, q.accountId !== undefined),
    values,
  );
  if (r.rows.length === 0) return [];
  const bodies = await query<{ task_id: string; fn: string; body: Buffer }>(
    undefined,
    'SELECT task_id, fn, body FROM task_results WHERE task_id = ANY($1::text[]) ORDER BY fn',
    [r.rows.map((t) => t.id)],
  );
  const byTask = new Map<string, Array<{ fn: string; body: Buffer }>>();
  for (const b of bodies.rows) {
    const list = byTask.get(b.task_id) ?? [];
    list.push({ fn: b.fn, body: b.body });
    byTask.set(b.task_id, list);
  }
  return r.rows.map((t) => ({
    id: t.id,
    se: t.se,
    seType: t.se_type,
    data: t.data,
    completedAt: Number(t.completed_at),
    results: byTask.get(t.id) ?? [],
  }));
}

export async function reset(query: Query): Promise<void> {
  // rate_counters exists on PostgreSQL only (SQLite counts limits in the process).
  await query(undefined, `TRUNCATE ${[...RESET_TABLES, 'rate_counters'].join(', ')}`);
}

export async function purgeExpired(query: Query, cut: RetentionCut, batch: number): Promise<number> {
  // Bounded batches, each its own short statement: no long locks on a large table.
  const results = await query(
    'serpq_purge_results',
    `DELETE FROM task_results WHERE (task_id, fn) IN (
       SELECT r.task_id, r.fn FROM task_results r JOIN tasks t ON t.id = r.task_id WHERE t.completed_at < $1 LIMIT $2)`,
    [cut.resultsBefore, batch],
  );
  const attempts = await query(
    'serpq_purge_attempts',
    'DELETE FROM webhook_attempts WHERE id IN (SELECT id FROM webhook_attempts WHERE attempted_at < $1 ORDER BY id LIMIT $2)',
    [cut.attemptsBefore, batch],
  );
  const tasks = await query(
    'serpq_purge_tasks',
    `WITH old AS (SELECT id FROM tasks WHERE posted_at < $1 ORDER BY posted_at LIMIT $2 FOR UPDATE SKIP LOCKED),
          r AS (DELETE FROM task_results WHERE task_id IN (SELECT id FROM old)),
          d AS (DELETE FROM webhook_deliveries WHERE task_id IN (SELECT id FROM old))
     DELETE FROM tasks WHERE id IN (SELECT id FROM old)`,
    [cut.tasksBefore, batch],
  );
  // Never-collected tasks past the 3-day window leave the ready indexes (they stay retrievable).
  const stale = await query(
    'serpq_unlist_stale',
    `UPDATE tasks SET listed = false WHERE id IN (
       SELECT id FROM tasks WHERE listed AND collected_at IS NULL AND completed_at < $1 LIMIT $2)`,
    [cut.readyBefore, batch],
  );
  const counters = await query(
    'serpq_purge_counters',
    'DELETE FROM rate_counters WHERE (key, window_start) IN (SELECT key, window_start FROM rate_counters WHERE expires_at < $1 LIMIT $2)',
    [cut.now, batch],
  );
  return (results.rowCount ?? 0) + (attempts.rowCount ?? 0) + (tasks.rowCount ?? 0) + (stale.rowCount ?? 0) + (counters.rowCount ?? 0);
}
