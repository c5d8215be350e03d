/** The operator dashboard's reads of the PostgreSQL store (the DashboardReads role): queue stats, completions per minute, latest failures. */
import { TASK_STATE } from '../../domain/task.js';
import type { DashboardReads, FailedTaskRow, FailedWebhookRow, MinuteCompletions, QueueStats } from '../store.js';
import { FAILED_ATTEMPTS_PER_ROW, type RawFailedTask, type RawFailedWebhook, latestPerDelivery, toFailedTask } from '../dashboard-rows.js';
import { spendEdgeAtOrAfter } from '../spend-buckets.js';
import type { PostgresConnection } from './connection.js';

/**
 * Every read is over every account. completionsByMinute, latestFailedTasks and latestFailedWebhooks
 * are each a range scan of one partial index of migration 10; the completions index INCLUDEs
 * status_code, so the count is index-only.
 */
export function dashboard(conn: PostgresConnection): DashboardReads {
  const { query } = conn;
  return {
    async queueStats(): Promise<QueueStats> {
      // Each part reads a partial index (the queue, the leases, the ready set), never the whole table.
      const r = await query<{ queued: number; oldest: number | null; running: number; ready: number }>(
        'serpq_queue_stats',
        `SELECT (SELECT count(*)::int FROM tasks WHERE state = ${TASK_STATE.queued}) AS queued,
                (SELECT min(posted_at) FROM tasks WHERE state = ${TASK_STATE.queued}) AS oldest,
                (SELECT count(*)::int FROM tasks WHERE state = ${TASK_STATE.running}) AS running,
                (SELECT count(*)::int FROM tasks WHERE listed AND collected_at IS NULL) AS ready`,
      );
      const row = r.rows[0];
      return {
        queued: row.queued,
        running: row.running,
        oldestQueuedAt: row.oldest === null ? null : Number(row.oldest),
        ready: row.ready,
      };
    },

    async spendByAccount(since: number): Promise<Array<{ login: string; api: string; micro: number }>> {
      // The spend counters' buckets from the first edge at or after `since`, plus the tasks posted
      // before that edge (none when `since` is on one, as the metrics' UTC day start is).
      const r = await query<{ login: string; api: string; micro: string | number }>(
        'serpq_spend_by_account',
        `SELECT a.login, x.api, sum(x.micro)::bigint AS micro FROM (
           SELECT account_id, api, micro FROM spend_buckets WHERE bucket >= $2
           UNION ALL
           SELECT account_id, api, cost_micro FROM tasks WHERE posted_at >= $1 AND posted_at < $2
         ) x JOIN accounts a ON a.id = x.account_id
         GROUP BY a.login, x.api HAVING sum(x.micro) > 0 ORDER BY 1, 2`,
        [since, spendEdgeAtOrAfter(since)],
      );
      return r.rows.map((x) => ({ login: x.login, api: x.api, micro: Number(x.micro) }));
    },

    async completionsByMinute(since: number, until: number): Promise<MinuteCompletions[]> {
      const r = await query<{ minute: number; done: number; failed: number }>(
        'serpq_completions_by_minute',
        `SELECT (completed_at / 60000) * 60000 AS minute,
                count(*) FILTER (WHERE status_code = 20000)::int AS done,
                count(*) FILTER (WHERE status_code <> 20000)::int AS failed
         FROM tasks WHERE state = ${TASK_STATE.done} AND completed_at >= $1 AND completed_at < $2
         GROUP BY 1 ORDER BY 1`,
        [since, until],
      );
      return r.rows.map((m) => ({ minute: Number(m.minute), done: m.done, failed: m.failed }));
    },

    async latestFailedTasks(since: number, limit: number): Promise<FailedTaskRow[]> {
      const r = await query<RawFailedTask>(
        'serpq_latest_failed_tasks',
        `SELECT t.id, t.account_id, a.login, t.se, t.se_type, t.method, t.status_code, t.status_message, t.completed_at
         FROM tasks t LEFT JOIN accounts a ON a.id = t.account_id
         WHERE t.state = ${TASK_STATE.done} AND t.status_code <> 20000 AND t.completed_at >= $1
         ORDER BY t.completed_at DESC, t.id COLLATE "C" LIMIT $2`,
        [since, limit],
      );
      return r.rows.map(toFailedTask);
    },

    async latestFailedWebhooks(since: number, limit: number): Promise<FailedWebhookRow[]> {
      const r = await query<RawFailedWebhook>(
        'serpq_latest_failed_webhooks',
        `SELECT w.delivery_id, w.task_id, w.account_id, a.login, w.kind, w.url, w.attempted_at, w.http_code,
                coalesce(w.error, substr(w.response, 1, 200)) AS error, d.state, d.attempts
         FROM webhook_attempts w
         JOIN webhook_deliveries d ON d.id = w.delivery_id
         LEFT JOIN accounts a ON a.id = w.account_id
         WHERE NOT w.ok AND w.attempted_at >= $1
         ORDER BY w.attempted_at DESC, w.id DESC LIMIT $2`,
        [since, limit * FAILED_ATTEMPTS_PER_ROW],
      );
      return latestPerDelivery(r.rows, limit);
    },
  };
}
