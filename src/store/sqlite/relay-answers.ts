/** The relay's cache of live calls in the SQLite store (the RelayAnswers role). */
import type { RelayAnswers } from '../store.js';
import { withBusyRetry } from '../map-db-error.js';
import type { SqliteConnection } from './connection.js';

export function relayAnswers(conn: SqliteConnection): RelayAnswers {
  const { db, immediate } = conn;
  const s = {
    get: db.prepare('SELECT body FROM relay_answers WHERE request_key = ? AND stored_at >= ?').pluck(),
    countHit: db.prepare(
      'INSERT INTO relay_usage (account_id, cache_hits) VALUES (?, 1) ON CONFLICT (account_id) DO UPDATE SET cache_hits = cache_hits + 1',
    ),
    // The key being stored is left alone: its row is replaced just after.
    expire: db.prepare(
      `DELETE FROM relay_answers WHERE request_key IN
         (SELECT request_key FROM relay_answers WHERE stored_at < ? AND request_key <> ? ORDER BY stored_at LIMIT 100)`,
    ),
    put: db.prepare(
      `INSERT INTO relay_answers (request_key, body, stored_at) VALUES (?, ?, ?)
       ON CONFLICT (request_key) DO UPDATE SET body = excluded.body, stored_at = excluded.stored_at`,
    ),
  };
  return {
    async relayAnswer(requestKey, since, accountId) {
      // A read first (no write lock on a miss), the hit counted after: one connection, nothing runs between.
      const body = s.get.get(requestKey, since) as Buffer | undefined;
      if (!body) return null;
      withBusyRetry(() => s.countHit.run(accountId));
      return body;
    },
    async putRelayAnswer(requestKey, body, at, expiredBefore) {
      withBusyRetry(() =>
        immediate(() => {
          s.expire.run(expiredBefore, requestKey);
          s.put.run(requestKey, body, at);
        }),
      );
    },
    async countRelayHit(accountId) {
      withBusyRetry(() => s.countHit.run(accountId));
    },
  };
}
