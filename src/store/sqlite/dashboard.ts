/** The operator dashboard's and the metrics gauges' reads of the SQLite store, over every account (the DashboardReads role). */
import { TASK_STATE } from '../../domain/task.js';
import type { DashboardReads, MinuteCompletions } from '../store.js';
import { FAILED_ATTEMPTS_PER_ROW, type RawFailedTask, type RawFailedWebhook, latestPerDelivery, toFailedTask } from '../dashboard-rows.js';
import { spendEdgeAtOrAfter } from '../spend-buckets.js';
import type { SqliteConnection } from './connection.js';

/**
 * The dashboard's reads each read one index of migration 10 (the spend, migration 17's spend
 * counters), named with INDEXED BY so the planner never falls back to a scan of the tasks table.
 */
export function dashboard(conn: SqliteConnection): DashboardReads {
  const { db } = conn;
  const s = {
    // Each part reads a partial index (the queue, the leases, the ready set), never the whole table.
    queueStats: db.prepare(
      `SELECT (SELECT count(*) FROM tasks WHERE state = ${TASK_STATE.queued}) AS queued,
                (SELECT min(posted_at) FROM tasks WHERE state = ${TASK_STATE.queued}) AS oldest,
                (SELECT count(*) FROM tasks WHERE state = ${TASK_STATE.running}) AS running,
                (SELECT count(*) FROM tasks INDEXED BY tasks_ready_api WHERE listed = 1 AND collected_at IS NULL) AS ready`,
    ),
    // The spend counters' buckets from the first edge at or after `since`, plus the tasks posted
    // before that edge (none when `since` is on one, as the metrics' UTC day start is).
    spend: db.prepare(
      `SELECT a.login AS login, x.api AS api, sum(x.micro) AS micro FROM (
         SELECT account_id, api, micro FROM spend_buckets INDEXED BY spend_buckets_bucket WHERE bucket >= @edge
         UNION ALL
         SELECT account_id, api, cost_micro FROM tasks INDEXED BY tasks_posted WHERE posted_at >= @since AND posted_at < @edge
       ) AS x JOIN accounts AS a ON a.id = x.account_id
       GROUP BY x.account_id, x.api HAVING sum(x.micro) > 0 ORDER BY 1, 2`,
    ),
    byMinute: db.prepare(
      `SELECT CAST(completed_at / 60000 AS INTEGER) * 60000 AS minute,
              sum(status_code = 20000) AS done, sum(status_code <> 20000) AS failed
       FROM tasks INDEXED BY tasks_completed
       WHERE state = ${TASK_STATE.done} AND completed_at >= ? AND completed_at < ?
       GROUP BY 1 ORDER BY 1`,
    ),
    failedTasks: db.prepare(
      `SELECT t.id, t.account_id, a.login, t.se, t.se_type, t.method, t.status_code, t.status_message, t.completed_at
       FROM tasks t INDEXED BY tasks_failed_at LEFT JOIN accounts a ON a.id = t.account_id
       WHERE t.state = ${TASK_STATE.done} AND t.status_code <> 20000 AND t.completed_at >= ?
       ORDER BY t.completed_at DESC, t.id LIMIT ?`,
    ),
    failedAttempts: db.prepare(
      `SELECT w.delivery_id, w.task_id, w.account_id, a.login, w.kind, w.url, w.attempted_at, w.http_code,
              coalesce(w.error, substr(w.response, 1, 200)) AS error, d.state, d.attempts
       FROM webhook_attempts w INDEXED BY webhook_attempts_failed_at
       JOIN webhook_deliveries d ON d.id = w.delivery_id
       LEFT JOIN accounts a ON a.id = w.account_id
       WHERE w.ok = 0 AND w.attempted_at >= ?
       ORDER BY w.attempted_at DESC, w.id DESC LIMIT ?`,
    ),
  };
  return {
    async queueStats() {
      const r = s.queueStats.get() as { queued: number; oldest: number | null; running: number; ready: number };
      return { queued: r.queued, running: r.running, oldestQueuedAt: r.oldest, ready: r.ready };
    },

    async spendByAccount(since) {
      return s.spend.all({ since, edge: spendEdgeAtOrAfter(since) }) as Array<{ login: string; api: string; micro: number }>;
    },

    async completionsByMinute(since, until) {
      return s.byMinute.all(since, until) as MinuteCompletions[];
    },

    async latestFailedTasks(since, limit) {
      return (s.failedTasks.all(since, limit) as RawFailedTask[]).map(toFailedTask);
    },

    async latestFailedWebhooks(since, limit) {
      return latestPerDelivery(s.failedAttempts.all(since, limit * FAILED_ATTEMPTS_PER_ROW) as RawFailedWebhook[], limit);
    },
  };
}
