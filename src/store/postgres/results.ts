/** Stored results in the PostgreSQL store (the Results role): per task and function, and as cassettes export reads them. */
import { storedResultsSql } from '../stored-results-sql.js';
import type { Results, StoredResultsQuery, StoredResultsRow } from '../store.js';
import type { PostgresConnection } from './connection.js';

export function results(conn: PostgresConnection): Results {
  const { query } = conn;
  return {
    async resultOf(id: string, fn: string): Promise<Buffer | null> {
      const r = await query<{ body: Buffer }>('serpq_result_of', 'SELECT body FROM task_results WHERE task_id = $1 AND fn = $2', [id, fn]);
      return r.rows[0]?.body ?? null;
    },

    async addResult(id: string, fn: string, body: Buffer): Promise<void> {
      await query(
        'serpq_add_result',
        'INSERT INTO task_results (task_id, fn, body) VALUES ($1, $2, $3) ON CONFLICT (task_id, fn) DO NOTHING',
        [id, fn, body],
      );
    },

    async storedResults(q: StoredResultsQuery): Promise<StoredResultsRow[]> {
      const values: unknown[] = [q.since, q.after?.completedAt ?? -1, q.after?.id ?? '', q.limit];
      if (q.accountId !== undefined) values.push(q.accountId);
      const r = await query<{ id: string; api: string; se: string; se_type: string; data: string; completed_at: string }>(
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
        api: t.api,
        se: t.se,
        seType: t.se_type,
        data: t.data,
        completedAt: Number(t.completed_at),
        results: byTask.get(t.id) ?? [],
      }));
    },
  };
}
