/** Stored results in the SQLite store: per task and function, and the export of completed tasks with theirs (the Results role). */
import type { Results, StoredResultsRow } from '../store.js';
import { withBusyRetry } from '../map-db-error.js';
import { storedResultsSql } from '../stored-results-sql.js';
import type { SqliteConnection } from './connection.js';

export function results(conn: SqliteConnection): Results {
  const { db } = conn;
  const s = {
    addResult: db.prepare('INSERT OR IGNORE INTO task_results (task_id, fn, body) VALUES (?, ?, ?)'),
    resultOf: db.prepare('SELECT body FROM task_results WHERE task_id = ? AND fn = ?').pluck(),
  };
  return {
    async addResult(id, fn, body) {
      withBusyRetry(() => s.addResult.run(id, fn, body));
    },

    async resultOf(id, fn) {
      return (s.resultOf.get(id, fn) as Buffer | undefined) ?? null;
    },

    async storedResults(q): Promise<StoredResultsRow[]> {
      const sql = storedResultsSql((n) => `@p${n}`, q.accountId !== undefined);
      const params: Record<string, unknown> = { p1: q.since, p2: q.after?.completedAt ?? -1, p3: q.after?.id ?? '', p4: q.limit };
      if (q.accountId !== undefined) params.p5 = q.accountId;
      const rows = db.prepare(sql).all(params) as Array<{
        id: string;
        api: string;
        se: string;
        se_type: string;
        data: string;
        completed_at: number;
      }>;
      const results = db.prepare('SELECT fn, body FROM task_results WHERE task_id = ? ORDER BY fn');
      return rows.map((r) => ({
        id: r.id,
        api: r.api,
        se: r.se,
        seType: r.se_type,
        data: r.data,
        completedAt: r.completed_at,
        results: results.all(r.id) as Array<{ fn: string; body: Buffer }>,
      }));
    },
  };
}
