/** tasks_ready in the PostgreSQL store (the ReadyReads role): an account's completed, uncollected tasks. A networked store has no synchronous read. */
import type { QueryResult } from 'pg';
import type { ReadyReads, ReadyScope } from '../store.js';
import type { PostgresConnection } from './connection.js';

// Each scope is a range scan of its partial covering index (INCLUDE ready_json), keyed by the API first.
const LISTED = 'listed AND collected_at IS NULL';
const BY_TYPE = `SELECT ready_json FROM tasks WHERE account_id = $1 AND api = $2 AND se = $3 AND se_type = $4 AND ${LISTED} AND completed_at >= $5 ORDER BY completed_at LIMIT $6`;
const BY_SE = `SELECT ready_json FROM tasks WHERE account_id = $1 AND api = $2 AND se = $3 AND ${LISTED} AND completed_at >= $4 ORDER BY completed_at LIMIT $5`;
const ALL = `SELECT ready_json FROM tasks WHERE account_id = $1 AND api = $2 AND ${LISTED} AND completed_at >= $3 ORDER BY completed_at LIMIT $4`;

export function ready(conn: PostgresConnection): ReadyReads {
  const { query } = conn;
  return {
    async listReady(accountId: number, scope: ReadyScope, since: number, limit: number): Promise<string[]> {
      let r: QueryResult<{ ready_json: string }>;
      if (scope.seType !== undefined) {
        r = await query('serpq_ready_type', BY_TYPE, [accountId, scope.api, scope.se ?? '', scope.seType, since, limit]);
      } else if (scope.se !== undefined) {
        r = await query('serpq_ready_se', BY_SE, [accountId, scope.api, scope.se, since, limit]);
      } else {
        r = await query('serpq_ready_api', ALL, [accountId, scope.api, since, limit]);
      }
      return r.rows.map((x) => x.ready_json);
    },
  };
}
