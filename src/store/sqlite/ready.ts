/** tasks_ready in the SQLite store: the ready rows of an account, read synchronously on the fast path (the ReadyReads role with its synchronous capabilities). */
import type { ReadyReads, ReadyScope } from '../store.js';
import type { SqliteConnection } from './connection.js';

export function ready(conn: SqliteConnection): Required<ReadyReads> {
  const { db } = conn;
  const readyCols = 'ready_json';
  const readyWhere = 'listed = 1 AND collected_at IS NULL AND completed_at >= ?';
  const s = {
    readyApi: db
      .prepare(
        `SELECT ${readyCols} FROM tasks INDEXED BY tasks_ready_api WHERE account_id = ? AND api = ? AND ${readyWhere} ORDER BY completed_at LIMIT ?`,
      )
      .pluck(),
    readySe: db
      .prepare(
        `SELECT ${readyCols} FROM tasks INDEXED BY tasks_ready_se WHERE account_id = ? AND api = ? AND se = ? AND ${readyWhere} ORDER BY completed_at LIMIT ?`,
      )
      .pluck(),
    readyType: db
      .prepare(
        `SELECT ${readyCols} FROM tasks INDEXED BY tasks_ready_type WHERE account_id = ? AND api = ? AND se = ? AND se_type = ? AND ${readyWhere} ORDER BY completed_at LIMIT ?`,
      )
      .pluck(),
    oldestApi: db
      .prepare(
        `SELECT completed_at FROM tasks INDEXED BY tasks_ready_api WHERE account_id = ? AND api = ? AND ${readyWhere} ORDER BY completed_at LIMIT 1`,
      )
      .pluck(),
    oldestSe: db
      .prepare(
        `SELECT completed_at FROM tasks INDEXED BY tasks_ready_se WHERE account_id = ? AND api = ? AND se = ? AND ${readyWhere} ORDER BY completed_at LIMIT 1`,
      )
      .pluck(),
    oldestType: db
      .prepare(
        `SELECT completed_at FROM tasks INDEXED BY tasks_ready_type WHERE account_id = ? AND api = ? AND se = ? AND se_type = ? AND ${readyWhere} ORDER BY completed_at LIMIT 1`,
      )
      .pluck(),
    // total_changes() counts this connection's row changes (no lock, ~0.1 µs); data_version moves
    // when another connection commits (~1 µs, it reads the WAL index).
    ownChanges: db.prepare('SELECT total_changes()').pluck(),
    dataVersion: db.prepare('PRAGMA data_version').pluck(),
  };

  const listReadySync = (accountId: number, scope: ReadyScope, since: number, limit: number): string[] => {
    const [stmt, args] =
      scope.seType !== undefined
        ? [s.readyType, [accountId, scope.api, scope.se ?? '', scope.seType, since, limit]]
        : scope.se !== undefined
          ? [s.readySe, [accountId, scope.api, scope.se, since, limit]]
          : [s.readyApi, [accountId, scope.api, since, limit]];
    // Most polls find nothing: a single-row step answers that in a third of the time `.all()` takes.
    if (stmt.get(...args) === undefined) return [];
    return stmt.all(...args) as string[];
  };

  const stamp = { changes: -1, version: -1, n: 0 };

  return {
    async listReady(accountId, scope, since, limit) {
      return listReadySync(accountId, scope, since, limit);
    },

    listReadySync,

    oldestReadySync(accountId, scope, since) {
      const at =
        scope.seType !== undefined
          ? s.oldestType.get(accountId, scope.api, scope.se ?? '', scope.seType, since)
          : scope.se !== undefined
            ? s.oldestSe.get(accountId, scope.api, scope.se, since)
            : s.oldestApi.get(accountId, scope.api, since);
      return (at as number | undefined) ?? null;
    },

    changeStampSync() {
      const changes = s.ownChanges.get() as number;
      const version = s.dataVersion.get() as number;
      if (changes !== stamp.changes || version !== stamp.version) {
        stamp.changes = changes;
        stamp.version = version;
        stamp.n++;
      }
      return stamp.n;
    },
  };
}
