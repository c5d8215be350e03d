/** The relay's cache of live calls in the PostgreSQL store (the RelayAnswers role), shared by every node. */
import type { RelayAnswers } from '../store.js';
import type { PostgresConnection } from './connection.js';

export function relayAnswers(conn: PostgresConnection): RelayAnswers {
  const { query } = conn;
  return {
    async relayAnswer(requestKey, since, accountId) {
      // One round trip: the read and, when it finds the answer, the account's hit (a data-modifying
      // CTE runs whether or not the outer query reads it; it inserts nothing on a miss).
      const r = await query<{ body: Buffer }>(
        'serpq_relay_answer',
        `WITH a AS (SELECT body FROM relay_answers WHERE request_key = $1 AND stored_at >= $2),
         hit AS (
           INSERT INTO relay_usage (account_id, cache_hits) SELECT $3, 1 FROM a
           ON CONFLICT (account_id) DO UPDATE SET cache_hits = relay_usage.cache_hits + 1
         )
         SELECT body FROM a`,
        [requestKey, since, accountId],
      );
      return r.rows[0]?.body ?? null;
    },

    async putRelayAnswer(requestKey, body, at, expiredBefore) {
      // Expired rows go a few at a time, skipping those another node is deleting; never the key stored
      // here (one statement may not touch a row twice).
      await query(
        'serpq_put_relay_answer',
        `WITH old AS (
           DELETE FROM relay_answers WHERE request_key IN (
             SELECT request_key FROM relay_answers WHERE stored_at < $4 AND request_key <> $1
             ORDER BY stored_at LIMIT 100 FOR UPDATE SKIP LOCKED
           )
         )
         INSERT INTO relay_answers (request_key, body, stored_at) VALUES ($1, $2, $3)
         ON CONFLICT (request_key) DO UPDATE SET body = excluded.body, stored_at = excluded.stored_at`,
        [requestKey, body, at, expiredBefore],
      );
    },

    async countRelayHit(accountId) {
      await query(
        'serpq_count_relay_hit',
        `INSERT INTO relay_usage (account_id, cache_hits) VALUES ($1, 1)
         ON CONFLICT (account_id) DO UPDATE SET cache_hits = relay_usage.cache_hits + 1`,
        [accountId],
      );
    },
  };
}
