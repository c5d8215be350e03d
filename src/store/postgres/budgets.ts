/** Budgets in the PostgreSQL store (the Budgets role): an account's budgets and the alerts sent for them, shared by every node. */
import { budgetAlertKey } from '../../domain/budgets.js';
import { type RawBudget, type RawBudgetAlert, toBudget, toBudgetAlert } from '../row-mappers.js';
import type { Budgets } from '../store.js';
import type { PostgresConnection } from './connection.js';

export function budgets(conn: PostgresConnection): Budgets {
  const { query, tx, channels } = conn;
  return {
    async addBudget(b, now) {
      const r = await query<RawBudget>(
        'serpq_add_budget',
        `INSERT INTO budgets (account_id, period, amount_micro, api, time_zone, alert_at, alert_url, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
        [b.accountId, b.period, b.amountMicro, b.api, b.timeZone, JSON.stringify(b.alertAt), b.alertUrl, now],
      );
      return toBudget(r.rows[0]!);
    },
    async budgetsOf(accountId) {
      const r = await query<RawBudget>('serpq_budgets_of', 'SELECT * FROM budgets WHERE account_id = $1 ORDER BY id', [accountId]);
      return r.rows.map(toBudget);
    },
    async deleteBudget(accountId, id) {
      const r = await query(
        'serpq_delete_budget',
        // Its alerts go with it, sent or not (a pending one is no longer news).
        `WITH gone AS (DELETE FROM budgets WHERE account_id = $1 AND id = $2 RETURNING id),
              alerts AS (DELETE FROM budget_alerts WHERE budget_id IN (SELECT id FROM gone) RETURNING delivery_id),
              deliveries AS (DELETE FROM webhook_deliveries WHERE id IN (SELECT delivery_id FROM alerts))
         SELECT count(*)::int AS n FROM gone`,
        [accountId, id],
      );
      return (r.rows[0] as { n: number }).n > 0;
    },
    async claimBudgetAlert(budgetId, periodStart, threshold, at, payload) {
      // The claim and the alert's delivery in one transaction: an alert claimed is an alert queued,
      // and the dispatchers of every node are woken at commit.
      return tx(async (c) => {
        const claimed = await c.query({
          name: 'serpq_claim_budget_alert',
          text: 'INSERT INTO budget_alerts (budget_id, period_start, threshold, sent_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
          values: [budgetId, periodStart, threshold, at],
        });
        if ((claimed.rowCount ?? 0) === 0) return false;
        if (payload === undefined) return true;
        await c.query({
          name: 'serpq_queue_budget_alert',
          text: `WITH d AS (
                   INSERT INTO webhook_deliveries (task_id, account_id, kind, url, host, next_attempt_at, created_at, payload)
                   SELECT $4::text, account_id, 'budget_alert', alert_url, webhook_host(alert_url), $5::bigint, $5::bigint, $6::text
                   FROM budgets WHERE id = $1 AND alert_url IS NOT NULL
                   ON CONFLICT (task_id, kind) DO NOTHING RETURNING id
                 ), l AS (
                   UPDATE budget_alerts SET delivery_id = d.id FROM d WHERE budget_id = $1 AND period_start = $2 AND threshold = $3
                 )
                 SELECT pg_notify($7, '') FROM d`,
          values: [budgetId, periodStart, threshold, budgetAlertKey(budgetId, periodStart, threshold), at, payload, channels.deliveries],
        });
        return true;
      });
    },
    async budgetAlertsOf(budgetId, periodStart) {
      const r = await query<RawBudgetAlert>(
        'serpq_budget_alerts_of',
        `SELECT a.threshold, a.sent_at, d.state, d.attempts, d.next_attempt_at
         FROM budget_alerts a LEFT JOIN webhook_deliveries d ON d.id = a.delivery_id
         WHERE a.budget_id = $1 AND a.period_start = $2 ORDER BY a.threshold`,
        [budgetId, periodStart],
      );
      return r.rows.map(toBudgetAlert);
    },
    async resendBudgetAlerts(budgetId, periodStart, now) {
      const r = await query<{ n: number }>(
        'serpq_resend_budget_alerts',
        `WITH up AS (
           UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = $3, lease_owner = NULL, lease_expires_at = NULL
           WHERE id IN (SELECT delivery_id FROM budget_alerts WHERE budget_id = $1 AND period_start = $2)
           RETURNING 1
         ), wake AS (
           SELECT pg_notify($4, '') FROM (SELECT 1 FROM up LIMIT 1) x
         )
         SELECT (SELECT count(*) FROM up)::int AS n, (SELECT count(*) FROM wake) AS woke`,
        [budgetId, periodStart, now, channels.deliveries],
      );
      return r.rows[0]!.n;
    },
  };
}

/**
 * Retention of budget alerts (called by purgeExpired): the alerts of periods that started before
 * `before`, with their deliveries, at most `batch`. Retention passes the tasks' cut (180 days), long
 * after the longest period (a month) is over, so no alert of a current period is forgotten.
 */
export async function purgeBudgetAlerts(conn: PostgresConnection, before: number, batch: number): Promise<number> {
  const r = await conn.query(
    'serpq_purge_budget_alerts',
    `WITH old AS (
       SELECT budget_id, period_start, threshold, delivery_id FROM budget_alerts WHERE period_start < $1 LIMIT $2 FOR UPDATE SKIP LOCKED
     ), d AS (DELETE FROM webhook_deliveries WHERE id IN (SELECT delivery_id FROM old))
     DELETE FROM budget_alerts a USING old
     WHERE a.budget_id = old.budget_id AND a.period_start = old.period_start AND a.threshold = old.threshold`,
    [before, batch],
  );
  return r.rowCount ?? 0;
}
