/** The webhook outbox of the SQLite store: deliveries claimed, attempted and recorded, resends and the errors list (the Outbox role). The outbox rows themselves are written by the completion transaction (tasks.ts). */
import { TASK_STATE } from '../../domain/task.js';
import type { WebhookKind } from '../../domain/webhooks.js';
import type { AttemptRecord, DeliveryRow, Outbox } from '../store.js';
import { withBusyRetry } from '../map-db-error.js';
import { type RawDelivery, type RawErrorRow, deliveryStateAfter, toDeliveryJob, toErrorRow } from '../row-mappers.js';
import type { SqliteConnection } from './connection.js';

export function outbox(conn: SqliteConnection): Outbox {
  const { db, immediate } = conn;
  const s = {
    claimDeliveries: db.prepare(
      `UPDATE webhook_deliveries SET lease_owner = @owner, lease_expires_at = @expires
       WHERE id IN (SELECT id FROM webhook_deliveries INDEXED BY webhook_deliveries_due_host
                    WHERE state = 'pending' AND next_attempt_at <= @now AND (lease_expires_at IS NULL OR lease_expires_at < @now)
                      AND host NOT IN (SELECT value FROM json_each(@skip))
                    ORDER BY next_attempt_at LIMIT @limit)
       RETURNING id, task_id, account_id, kind, url, host, attempts, payload`,
    ),
    // Through the (task_id, kind) key: one probe per task, whatever the outbox holds.
    claimDeliveriesOf: db.prepare(
      `UPDATE webhook_deliveries SET lease_owner = @owner, lease_expires_at = @expires
       WHERE task_id IN (SELECT value FROM json_each(@ids)) AND state = 'pending' AND next_attempt_at <= @now
         AND (lease_expires_at IS NULL OR lease_expires_at < @now)
       RETURNING id, task_id, account_id, kind, url, host, attempts, payload`,
    ),
    releaseDelivery: db.prepare(
      'UPDATE webhook_deliveries SET lease_owner = NULL, lease_expires_at = NULL, next_attempt_at = coalesce(?, next_attempt_at) WHERE id = ? AND lease_owner = ?',
    ),
    settleDelivery: db.prepare(
      `UPDATE webhook_deliveries SET attempts = attempts + 1, state = @state, next_attempt_at = coalesce(@next, next_attempt_at),
         lease_owner = NULL, lease_expires_at = NULL
       WHERE id = @id AND lease_owner = @owner AND state = 'pending'`,
    ),
    insertAttempt: db.prepare(
      `INSERT INTO webhook_attempts (delivery_id, task_id, account_id, kind, url, method, attempted_at, ok, http_code, duration_ms, response, error)
       VALUES (@deliveryId, @taskId, @accountId, @kind, @url, @method, @attemptedAt, @ok, @httpCode, @durationMs, @response, @error)`,
    ),
    // A failed postback puts the task on tasks_ready (the vendor's rule); success leaves it off.
    postbackFailed: db.prepare("UPDATE tasks SET listed = 1, webhook_state = 'failed' WHERE id = ?"),
    postbackDelivered: db.prepare("UPDATE tasks SET webhook_state = 'delivered' WHERE id = ? AND webhook_state = 'pending'"),
    pingbackOutcome: db.prepare("UPDATE tasks SET webhook_state = ? WHERE id = ? AND postback_url IS NULL AND webhook_state <> 'failed'"),
    nextDelivery: db
      .prepare("SELECT min(max(next_attempt_at, coalesce(lease_expires_at, 0))) FROM webhook_deliveries WHERE state = 'pending'")
      .pluck(),
    taskForResend: db.prepare('SELECT id, account_id, state, postback_url, pingback_url FROM tasks WHERE id = ?'),
    resend: db.prepare(
      `INSERT INTO webhook_deliveries (task_id, account_id, kind, url, next_attempt_at, created_at) VALUES (@taskId, @accountId, @kind, @url, @now, @now)
       ON CONFLICT (task_id, kind) DO UPDATE SET state = 'pending', next_attempt_at = @now, lease_owner = NULL, lease_expires_at = NULL`,
    ),
    deliveriesOf: db.prepare('SELECT kind, state, attempts, next_attempt_at FROM webhook_deliveries WHERE task_id = ? ORDER BY kind'),
    attemptsOf: db.prepare(
      'SELECT kind, url, method, attempted_at, ok, http_code, duration_ms, response, error FROM webhook_attempts WHERE task_id = ? ORDER BY id',
    ),
    errors: db.prepare(
      `SELECT * FROM (
         SELECT task_id AS id, attempted_at AS at, kind || '_url' AS function, NULL AS error_code, url AS error_message,
                url AS http_url, method AS http_method, http_code, duration_ms AS http_time_ms, coalesce(response, error) AS http_response
         FROM webhook_attempts WHERE account_id = @account AND ok = 0 AND attempted_at >= @from AND attempted_at <= @to
           AND EXISTS (SELECT 1 FROM tasks t WHERE t.id = task_id AND t.api = @api)
         UNION ALL
         SELECT id, completed_at, api || CASE WHEN se = '' THEN '' ELSE '/' || se END || CASE WHEN se_type = '' THEN '' ELSE '/' || se_type END || '/' || method, status_code, status_message,
                NULL, NULL, NULL, NULL, NULL
         FROM tasks WHERE account_id = @account AND api = @api AND state = ${TASK_STATE.done} AND status_code <> 20000 AND completed_at >= @from AND completed_at <= @to
       ) WHERE @fn IS NULL OR function = @fn
       ORDER BY at DESC, id LIMIT @limit OFFSET @offset`,
    ),
  };

  const settle = (a: AttemptRecord): boolean => {
    const changed = s.settleDelivery.run({ id: a.deliveryId, owner: a.owner, state: deliveryStateAfter(a), next: a.nextAttemptAt }).changes;
    if (changed === 0) return false;
    s.insertAttempt.run({ ...a, ok: a.ok ? 1 : 0 });
    // A budget alert has no task: its delivery row is all there is to settle.
    if (a.kind === 'postback') {
      if (a.ok) s.postbackDelivered.run(a.taskId);
      else s.postbackFailed.run(a.taskId);
    } else if (a.kind === 'pingback') {
      s.pingbackOutcome.run(a.ok ? 'delivered' : 'failed', a.taskId);
    }
    return true;
  };

  const recordAttempts = (batch: readonly AttemptRecord[]): boolean[] => withBusyRetry(() => immediate(() => batch.map(settle)));

  return {
    async claimDeliveries(owner, now, leaseMs, limit, skipHosts = []) {
      const skip = JSON.stringify(skipHosts);
      const rows = withBusyRetry(() => s.claimDeliveries.all({ owner, now, expires: now + leaseMs, limit, skip })) as RawDelivery[];
      return rows.map(toDeliveryJob);
    },

    async claimDeliveriesOf(owner, taskIds, now, leaseMs) {
      if (taskIds.length === 0) return [];
      const ids = JSON.stringify(taskIds);
      const rows = withBusyRetry(() => s.claimDeliveriesOf.all({ owner, now, expires: now + leaseMs, ids })) as RawDelivery[];
      return rows.map(toDeliveryJob).sort((a, b) => a.id - b.id);
    },

    async releaseDeliveries(ids, owner, dueAt) {
      withBusyRetry(() => immediate(() => ids.forEach((id) => s.releaseDelivery.run(dueAt, id, owner))));
    },

    async recordAttempt(a) {
      return recordAttempts([a])[0] as boolean;
    },

    async recordAttempts(batch) {
      return recordAttempts(batch);
    },

    async nextDeliveryAt() {
      return s.nextDelivery.get() as number | null;
    },

    async resendWebhooks(accountId, taskIds, now) {
      return withBusyRetry(() =>
        immediate(() =>
          taskIds.map((taskId) => {
            const t = s.taskForResend.get(taskId) as
              { id: string; account_id: number; state: number; postback_url: string | null; pingback_url: string | null } | undefined;
            if (!t || t.account_id !== accountId || t.state !== TASK_STATE.done || (!t.postback_url && !t.pingback_url)) return false;
            if (t.postback_url) s.resend.run({ taskId, accountId, kind: 'postback', url: t.postback_url, now });
            if (t.pingback_url) s.resend.run({ taskId, accountId, kind: 'pingback', url: t.pingback_url, now });
            return true;
          }),
        ),
      );
    },

    async listErrors(accountId, q) {
      const rows = s.errors.all({
        account: accountId,
        api: q.api,
        from: q.from,
        to: q.to,
        fn: q.fn,
        limit: q.limit,
        offset: q.offset,
      }) as RawErrorRow[];
      return rows.map(toErrorRow);
    },

    async deliveriesOf(taskId) {
      const deliveries = (
        s.deliveriesOf.all(taskId) as Array<{
          kind: WebhookKind;
          state: DeliveryRow['state'];
          attempts: number;
          next_attempt_at: number;
        }>
      ).map((d) => ({ kind: d.kind, state: d.state, attempts: d.attempts, nextAttemptAt: d.next_attempt_at }));
      const attempts = (
        s.attemptsOf.all(taskId) as Array<{
          kind: WebhookKind;
          url: string;
          method: string;
          attempted_at: number;
          ok: number;
          http_code: number | null;
          duration_ms: number;
          response: string | null;
          error: string | null;
        }>
      ).map((a) => ({
        kind: a.kind,
        url: a.url,
        method: a.method,
        attemptedAt: a.attempted_at,
        ok: a.ok === 1,
        httpCode: a.http_code,
        durationMs: a.duration_ms,
        response: a.response,
        error: a.error,
      }));
      return { deliveries, attempts };
    },
  };
}
