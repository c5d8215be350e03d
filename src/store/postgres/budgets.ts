/** Budgets in the PostgreSQL store (the Budgets role): an account's budgets and the alerts sent for them, shared by every node. */
import { type RawBudget, toBudget } from '../row-mappers.js';
import type { Budgets } from '../store.js';
import type { PostgresConnection } from './connection.js';

export function budgets(conn: PostgresConnection): Budgets {
  const { query } = conn;
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
        `WITH gone AS (DELETE FROM budgets WHERE account_id = $1 AND id = $2 RETURNING id),
              alerts AS (DELETE FROM budget_alerts WHERE budget_id IN (SELECT id FROM gone))
         SELECT count(*)::int AS n FROM gone`,
        [accountId, id],
      );
      return (r.rows[0] as { n: number }).n > 0;
    },
    async claimBudgetAlert(budgetId, periodStart, threshold, at) {
      const r = await query(
        'serpq_claim_budget_alert',
        'INSERT INTO budget_alerts (budget_id, period_start, threshold, sent_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
        [budgetId, periodStart, threshold, at],
      );
      return (r.rowCount ?? 0) > 0;
    },
  };
}
