/** What accounts spent and posted in the SQLite store, read by the budgets, the daily cost cap and the duplicate-task limits (the TaskHistory role; SQLite keeps no shared counters). */
import { spendEdgeAtOrAfter } from '../spend-buckets.js';
import type { TaskHistory } from '../store.js';
import type { SqliteConnection } from './connection.js';

export function usage(conn: SqliteConnection): TaskHistory {
  const { db } = conn;
  // Spend is read from the counters (store/spend-buckets.ts): whole buckets from the first edge at or
  // after `since`, plus the tasks posted between `since` and that edge (none when it is on an edge,
  // as the budgets' and the daily cap's period starts are). One statement: one snapshot.
  const s = {
    spentSince: db
      .prepare(
        `SELECT (SELECT coalesce(sum(micro), 0) FROM spend_buckets WHERE account_id = @account AND bucket >= @edge)
              + (SELECT coalesce(sum(cost_micro), 0) FROM tasks INDEXED BY tasks_account_posted WHERE account_id = @account AND posted_at >= @since AND posted_at < @edge)`,
      )
      .pluck(),
    spentByApi: db.prepare(
      `SELECT api, sum(n) AS n FROM (
         SELECT api, micro AS n FROM spend_buckets WHERE account_id = @account AND bucket >= @edge
         UNION ALL
         SELECT api, cost_micro AS n FROM tasks INDEXED BY tasks_account_posted WHERE account_id = @account AND posted_at >= @since AND posted_at < @edge
       ) GROUP BY api HAVING sum(n) <> 0`,
    ),
    countDuplicates: db
      .prepare('SELECT count(*) FROM tasks INDEXED BY tasks_payload WHERE account_id = ? AND payload_hash = ? AND posted_at >= ?')
      .pluck(),
  };
  return {
    async spentSince(accountId, since) {
      return s.spentSince.get({ account: accountId, since, edge: spendEdgeAtOrAfter(since) }) as number;
    },
    async spentByApiSince(accountId, since) {
      const rows = s.spentByApi.all({ account: accountId, since, edge: spendEdgeAtOrAfter(since) }) as Array<{ api: string; n: number }>;
      return Object.fromEntries(rows.map((r) => [r.api, r.n]));
    },
    async countDuplicates(accountId, payloadHash, since) {
      return s.countDuplicates.get(accountId, payloadHash, since) as number;
    },
  };
}
