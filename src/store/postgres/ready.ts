/** tasks_ready in the PostgreSQL store (the ReadyReads role): an account's completed, uncollected tasks. A networked store has no synchronous read. */
import type { QueryResult } from 'pg';
import type { ReadyReads, ReadyScope } from '../store.js';
import type { PostgresConnection } from './connection.js';

// Each scope is a range scan of its partial covering index (INCLUDE ready_json).
const LISTED = 'listed AND collected_at IS NULL';
const BY_TYPE = `SELECT ready_json FROM tasks WHERE account_id = $1 AND se = $2 AND se_type = $3 AND ${LISTED} AND completed_at >= $4 ORDER BY completed_at LIMIT $5`;
const BY_SE = `SELECT ready_json FROM tasks WHERE account_id = $1 AND se = $2 AND ${LISTED} AND completed_at >= $3 ORDER BY completed_at LIMIT $4`;
const ALL = `SELECT ready_json FROM tasks WHERE account_id = $1 AND ${LISTED} AND completed_at >= $2 ORDER BY completed_at LIMIT $3`;

export function ready(conn: PostgresConnection): ReadyReads {
  const { query } = conn;
  return {
    async listReady(accountId: number, scope: ReadyScope, since: number, limit: number): Promise<string[]> {
      let r: QueryResult<{ ready_json: string }>;
      if (scope.se && scope.seType) {
        r = await query('serpq_ready_type', BY_TYPE, [accountId, scope.se, scope.seType, since, limit]);
      } else if (scope.se) {
        r = await query('serpq_ready_se', BY_SE, [accountId, scope.se, since, limit]);
      } else {
        r = await query('serpq_ready_all', ALL, [accountId, since, limit]);
      }
      return r.rows.map((x) => x.ready_json);
    },
  };
}
