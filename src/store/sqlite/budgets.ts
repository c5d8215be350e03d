/** Budgets in the SQLite store (the Budgets role): an account's budgets and the alerts sent for them. */
import { budgetAlertKey } from '../../domain/budgets.js';
import { withBusyRetry } from '../map-db-error.js';
import { type RawBudget, type RawBudgetAlert, toBudget, toBudgetAlert } from '../row-mappers.js';
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
    removeAlertDeliveries: db.prepare(
      'DELETE FROM webhook_deliveries WHERE id IN (SELECT delivery_id FROM budget_alerts WHERE budget_id = ?)',
    ),
    claim: db.prepare('INSERT INTO budget_alerts (budget_id, period_start, threshold, sent_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
    // The alert's webhook, when the budget has somewhere to send it (its key makes a second insert a no-op).
    queue: db.prepare(
      `INSERT INTO webhook_deliveries (task_id, account_id, kind, url, next_attempt_at, created_at, payload)
       SELECT @key, account_id, 'budget_alert', alert_url, @at, @at, @payload FROM budgets WHERE id = @budget AND alert_url IS NOT NULL
       ON CONFLICT (task_id, kind) DO NOTHING RETURNING id`,
    ),
    link: db.prepare('UPDATE budget_alerts SET delivery_id = ? WHERE budget_id = ? AND period_start = ? AND threshold = ?'),
    alerts: db.prepare(
      `SELECT a.threshold, a.sent_at, d.state, d.attempts, d.next_attempt_at
       FROM budget_alerts a LEFT JOIN webhook_deliveries d ON d.id = a.delivery_id
       WHERE a.budget_id = ? AND a.period_start = ? ORDER BY a.threshold`,
    ),
    resend: db.prepare(
      `UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = @now, lease_owner = NULL, lease_expires_at = NULL
       WHERE id IN (SELECT delivery_id FROM budget_alerts WHERE budget_id = @budget AND period_start = @start)`,
    ),
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
        if (gone) {
          // Its alerts go with it, sent or not (a pending one is no longer news).
          s.removeAlertDeliveries.run(id);
          s.removeAlerts.run(id);
        }
        return gone;
      });
    },
    async claimBudgetAlert(budgetId, periodStart, threshold, at, payload) {
      // The claim and the alert's delivery in one transaction: an alert claimed is an alert queued.
      return withBusyRetry(() =>
        conn.immediate(() => {
          if (s.claim.run(budgetId, periodStart, threshold, at).changes === 0) return false;
          if (payload === undefined) return true;
          const key = budgetAlertKey(budgetId, periodStart, threshold);
          const queued = s.queue.get({ key, at, payload, budget: budgetId }) as { id: number } | undefined;
          if (queued) s.link.run(queued.id, budgetId, periodStart, threshold);
          return true;
        }),
      );
    },
    async budgetAlertsOf(budgetId, periodStart) {
      return (s.alerts.all(budgetId, periodStart) as RawBudgetAlert[]).map(toBudgetAlert);
    },
    async resendBudgetAlerts(budgetId, periodStart, now) {
      return withBusyRetry(() => s.resend.run({ now, budget: budgetId, start: periodStart }).changes);
    },
  };
}

/**
 * Retention of budget alerts (called by purgeExpired): the alerts of periods that started before
 * `before`, with their deliveries, at most `batch`. Retention passes the tasks' cut (180 days), long
 * after the longest period (a month) is over, so no alert of a current period is forgotten.
 */
export function purgeBudgetAlerts(conn: SqliteConnection, before: number, batch: number): number {
  const old = conn.db.prepare('SELECT rowid AS r, delivery_id AS d FROM budget_alerts WHERE period_start < ? LIMIT ?');
  const alert = conn.db.prepare('DELETE FROM budget_alerts WHERE rowid = ?');
  const delivery = conn.db.prepare('DELETE FROM webhook_deliveries WHERE id = ?');
  return withBusyRetry(() =>
    conn.immediate(() => {
      const rows = old.all(before, batch) as Array<{ r: number; d: number | null }>;
      for (const row of rows) {
        if (row.d !== null) delivery.run(row.d);
        alert.run(row.r);
      }
      return rows.length;
    }),
  );
}
