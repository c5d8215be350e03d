/** What accounts spent and posted in the SQLite store, read by the daily cost cap and the duplicate-task limits (the TaskHistory role; SQLite keeps no shared counters). */
import type { TaskHistory } from '../store.js';
import type { SqliteConnection } from './connection.js';

export function usage(conn: SqliteConnection): TaskHistory {
  const { db } = conn;
  const s = {
    spentSince: db.prepare('SELECT coalesce(sum(cost_micro), 0) FROM tasks WHERE account_id = ? AND posted_at >= ?').pluck(),
    spentByApi: db.prepare('SELECT api, sum(cost_micro) AS n FROM tasks WHERE account_id = ? AND posted_at >= ? GROUP BY api'),
    countDuplicates: db
      .prepare('SELECT count(*) FROM tasks INDEXED BY tasks_payload WHERE account_id = ? AND payload_hash = ? AND posted_at >= ?')
      .pluck(),
  };
  return {
    async spentSince(accountId, since) {
      return s.spentSince.get(accountId, since) as number;
    },
    async spentByApiSince(accountId, since) {
      const rows = s.spentByApi.all(accountId, since) as Array<{ api: string; n: number }>;
      return Object.fromEntries(rows.map((r) => [r.api, r.n]));
    },
    async countDuplicates(accountId, payloadHash, since) {
      return s.countDuplicates.get(accountId, payloadHash, since) as number;
    },
  };
}
