/** Spend and counts in the PostgreSQL store: what an account spent and posted (the TaskHistory role) and the shared per-minute limit counters (SharedStore.countHits). */
import { spendEdgeAtOrAfter } from '../spend-buckets.js';
import type { CounterHit, SharedStore, TaskHistory } from '../store.js';
import type { PostgresConnection } from './connection.js';

/** The counters every PostgreSQL store has (the capability is optional in SharedStore). */
export type SharedCounters = Required<Pick<SharedStore, 'countHits'>>;

export function usage(conn: PostgresConnection): TaskHistory & SharedCounters {
  const { query, counterPool } = conn;
  return {
    // Spend is read from the counters (store/spend-buckets.ts): whole buckets from the first edge at
    // or after `since`, plus the tasks posted between `since` and that edge (none when it is on an
    // edge, as the budgets' and the daily cap's period starts are). One statement: one snapshot.
    async spentSince(accountId: number, since: number): Promise<number> {
      const r = await query<{ n: number }>(
        'serpq_spent_since',
        `SELECT ((SELECT coalesce(sum(micro), 0) FROM spend_buckets WHERE account_id = $1 AND bucket >= $3)
               + (SELECT coalesce(sum(cost_micro), 0) FROM tasks WHERE account_id = $1 AND posted_at >= $2 AND posted_at < $3))::bigint AS n`,
        [accountId, since, spendEdgeAtOrAfter(since)],
      );
      return Number(r.rows[0].n);
    },

    async spentByApiSince(accountId: number, since: number): Promise<Record<string, number>> {
      const r = await query<{ api: string; n: number }>(
        'serpq_spent_by_api',
        `SELECT api, sum(n)::bigint AS n FROM (
           SELECT api, micro AS n FROM spend_buckets WHERE account_id = $1 AND bucket >= $3
           UNION ALL
           SELECT api, cost_micro AS n FROM tasks WHERE account_id = $1 AND posted_at >= $2 AND posted_at < $3
         ) x GROUP BY api HAVING sum(n) <> 0`,
        [accountId, since, spendEdgeAtOrAfter(since)],
      );
      return Object.fromEntries(r.rows.map((x) => [x.api, Number(x.n)]));
    },

    async countDuplicates(accountId: number, payloadHash: string, since: number): Promise<number> {
      const r = await query<{ n: number }>(
        'serpq_count_duplicates',
        'SELECT count(*)::int AS n FROM tasks WHERE account_id = $1 AND payload_hash = $2 AND posted_at >= $3',
        [accountId, payloadHash, since],
      );
      return r.rows[0].n;
    },

    /**
     * Per-minute limits shared by every API node: one upsert counts a batch of hits in fixed windows
     * (rate_counters), on the store's counter pool (asynchronous commit: a crash loses at most the
     * last moments of counts).
     * Returns, for each hit, its window's count including it (hits of one window count in their order).
     */
    async countHits(hits: readonly CounterHit[]): Promise<number[]> {
      // A statement may upsert a row once: hits of the same window are added up first.
      const windows = new Map<string, { key: string; start: number; expires: number; n: number; total: number }>();
      const of = hits.map((h) => {
        const id = `${h.windowStart}\u0000${h.key}`;
        let w = windows.get(id);
        if (!w) windows.set(id, (w = { key: h.key, start: h.windowStart, expires: h.windowStart + 2 * h.windowMs, n: 0, total: 0 }));
        w.n++;
        return { w, nth: w.n };
      });
      const list = [...windows.values()];
      const r = await counterPool.query<{ key: string; window_start: string; n: number }>({
        name: 'serpq_count_hits',
        text: `INSERT INTO rate_counters AS c (key, window_start, n, expires_at)
               SELECT * FROM unnest($1::text[], $2::bigint[], $3::int[], $4::bigint[])
               ON CONFLICT (key, window_start) DO UPDATE SET n = c.n + excluded.n
               RETURNING key, window_start, n`,
        values: [list.map((w) => w.key), list.map((w) => w.start), list.map((w) => w.n), list.map((w) => w.expires)],
      });
      for (const row of r.rows) {
        const w = windows.get(`${row.window_start}\u0000${row.key}`);
        if (w) w.total = row.n;
      }
      return of.map(({ w, nth }) => w.total - w.n + nth);
    },
  };
}
