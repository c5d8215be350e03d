/** Budgets in the SQLite store (the Budgets role): an account's budgets and the alerts sent for them. */
import { type RawBudget, toBudget } from '../row-mappers.js';
import type { Budgets } from '../store.js';
import type { SqliteConnection } from './connection.js';

export function budgets(conn: SqliteConnection): Budgets {
  const { db } = conn;
  const s = {
    insert: db.prepare(
      `INSERT INTO budgets (account_id, period, amount_micro, api, time_zone, alert_at, alert_url, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
    ),
    ofAccount: db.prepare('SELECT * FROM budgets WHERE account_id = ? ORDER BY id'),
    remove: db.prepare('DELETE FROM budgets WHERE account_id = ? AND id = ?'),
    removeAlerts: db.prepare('DELETE FROM budget_alerts WHERE budget_id = ?'),
    claim: db.prepare('INSERT INTO budget_alerts (budget_id, period_start, threshold, sent_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
  };
  return {
    async addBudget(b, now) {
      const row = s.insert.get(
        b.accountId,
        b.period,
        b.amountMicro,
        b.api,
        b.timeZone,
        JSON.stringify(b.alertAt),
        b.alertUrl,
        now,
      ) as RawBudget;
      return toBudget(row);
    },
    async budgetsOf(accountId) {
      return (s.ofAccount.all(accountId) as RawBudget[]).map(toBudget);
    },
    async deleteBudget(accountId, id) {
      return conn.immediate(() => {
        const gone = s.remove.run(accountId, id).changes > 0;
        if (gone) s.removeAlerts.run(id);
        return gone;
      });
    },
    async claimBudgetAlert(budgetId, periodStart, threshold, at) {
      return s.claim.run(budgetId, periodStart, threshold, at).changes > 0;
    },
  };
}
