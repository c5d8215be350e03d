/** The webhook outbox of the PostgreSQL store (the Outbox role): deliveries claimed, attempted and recorded; resends and the errors list. */
import { TASK_STATE } from '../../domain/task.js';
import type { WebhookKind } from '../../domain/webhooks.js';
import type { AttemptRecord, AttemptRow, DeliveryJob, DeliveryRow, ErrorQuery, ErrorRow, Outbox } from '../store.js';
import { type RawDelivery, type RawErrorRow, deliveryStateAfter, toDeliveryJob, toErrorRow } from '../row-mappers.js';
import type { PostgresConnection } from './connection.js';

export function outbox(conn: PostgresConnection): Outbox {
  const { query, tx, channels } = conn;

  async function recordAttempt(a: AttemptRecord): Promise<boolean> {
    const q = attemptStatement(a);
    const r = await query<{ n: number }>(q.name, q.text, q.values);
    return r.rows[0].n > 0;
  }

  return {
    async claimDeliveries(
      owner: string,
      now: number,
      leaseMs: number,
      limit: number,
      skipHosts: readonly string[] = [],
    ): Promise<DeliveryJob[]> {
      if (limit <= 0) return [];
      const r = await query<RawDelivery>(
        'serpq_claim_deliveries',
        `WITH c AS MATERIALIZED (
           SELECT id FROM webhook_deliveries
           WHERE state = 'pending' AND next_attempt_at <= $2 AND (lease_expires_at IS NULL OR lease_expires_at < $2)
             AND NOT (coalesce(host, '') = ANY($5::text[]))
           ORDER BY next_attempt_at LIMIT $4 FOR UPDATE SKIP LOCKED
         )
         UPDATE webhook_deliveries d SET lease_owner = $1, lease_expires_at = $3
         FROM c WHERE d.id = c.id
         RETURNING d.id, d.task_id, d.account_id, d.kind, d.url, coalesce(d.host, '') AS host, d.attempts, d.payload`,
        [owner, now, now + leaseMs, limit, skipHosts],
      );
      return r.rows.map(toDeliveryJob);
    },

    async claimDeliveriesOf(owner: string, taskIds: readonly string[], now: number, leaseMs: number): Promise<DeliveryJob[]> {
      if (taskIds.length === 0) return [];
      const r = await query<RawDelivery>(
        'serpq_claim_deliveries_of',
        `WITH c AS MATERIALIZED (
           SELECT id FROM webhook_deliveries
           WHERE task_id = ANY($4::text[]) AND state = 'pending' AND next_attempt_at <= $2
             AND (lease_expires_at IS NULL OR lease_expires_at < $2)
           ORDER BY id FOR UPDATE SKIP LOCKED
         )
         UPDATE webhook_deliveries d SET lease_owner = $1, lease_expires_at = $3
         FROM c WHERE d.id = c.id
         RETURNING d.id, d.task_id, d.account_id, d.kind, d.url, coalesce(d.host, '') AS host, d.attempts, d.payload`,
        [owner, now, now + leaseMs, taskIds],
      );
      return r.rows.map(toDeliveryJob).sort((a, b) => a.id - b.id);
    },

    async releaseDeliveries(ids: readonly number[], owner: string, dueAt: number | null): Promise<void> {
      if (ids.length === 0) return;
      await query(
        'serpq_release_deliveries',
        'UPDATE webhook_deliveries SET lease_owner = NULL, lease_expires_at = NULL, next_attempt_at = coalesce($1::bigint, next_attempt_at) WHERE id = ANY($2::bigint[]) AND lease_owner = $3',
        [dueAt, ids, owner],
      );
    },

    recordAttempt,

    async recordAttempts(batch: readonly AttemptRecord[]): Promise<boolean[]> {
      if (batch.length === 0) return [];
      if (batch.length === 1) return [await recordAttempt(batch[0] as AttemptRecord)];
      // One transaction: one commit (one WAL flush) for the whole batch.
      return tx(async (c) => {
        const out: boolean[] = [];
        for (const a of batch) {
          const q = attemptStatement(a);
          const r = await c.query<{ n: number }>({ name: q.name, text: q.text, values: q.values });
          out.push(r.rows[0].n > 0);
        }
        return out;
      });
    },

    async nextDeliveryAt(): Promise<number | null> {
      const r = await query<{ at: number | null }>(
        'serpq_next_delivery',
        "SELECT min(greatest(next_attempt_at, coalesce(lease_expires_at, 0))) AS at FROM webhook_deliveries WHERE state = 'pending'",
      );
      return r.rows[0].at;
    },

    async resendWebhooks(accountId: number, taskIds: readonly string[], now: number): Promise<boolean[]> {
      if (taskIds.length === 0) return [];
      // One statement: (re)queue the webhooks of the account's completed tasks that have any, and wake
      // the dispatchers at commit.
      const r = await query<{ id: string }>(
        'serpq_resend_webhooks',
        `WITH t AS (
           SELECT id, postback_url, pingback_url FROM tasks
           WHERE id = ANY($2::text[]) AND account_id = $1::bigint AND state = ${TASK_STATE.done}
             AND (coalesce(postback_url, '') <> '' OR coalesce(pingback_url, '') <> '')
         ), up AS (
           INSERT INTO webhook_deliveries (task_id, account_id, kind, url, host, next_attempt_at, created_at)
           SELECT id, $1::bigint, 'postback', postback_url, webhook_host(postback_url), $3::bigint, $3::bigint FROM t WHERE postback_url <> ''
           UNION ALL
           SELECT id, $1::bigint, 'pingback', pingback_url, webhook_host(pingback_url), $3::bigint, $3::bigint FROM t WHERE pingback_url <> ''
           ON CONFLICT (task_id, kind) DO UPDATE
             SET state = 'pending', next_attempt_at = excluded.next_attempt_at, lease_owner = NULL, lease_expires_at = NULL, host = excluded.host
           RETURNING 1
         ), wake AS (
           SELECT pg_notify($4, '') FROM (SELECT 1 FROM up LIMIT 1) x
         )
         SELECT id, (SELECT count(*) FROM wake) AS woke FROM t`,
        [accountId, taskIds, now, channels.deliveries],
      );
      const found = new Set(r.rows.map((x) => x.id));
      return taskIds.map((id) => found.has(id));
    },

    async listErrors(accountId: number, q: ErrorQuery): Promise<ErrorRow[]> {
      const r = await query<RawErrorRow>(
        'serpq_list_errors',
        `SELECT * FROM (
           SELECT task_id AS id, attempted_at AS at, kind || '_url' AS "function", NULL::int AS error_code, url AS error_message,
                  url AS http_url, method AS http_method, http_code, duration_ms AS http_time_ms, coalesce(response, error) AS http_response
           FROM webhook_attempts WHERE account_id = $1 AND NOT ok AND attempted_at >= $2 AND attempted_at <= $3
             AND EXISTS (SELECT 1 FROM tasks t WHERE t.id = task_id AND t.api = $7)
           UNION ALL
           SELECT id, completed_at, api || CASE WHEN se = '' THEN '' ELSE '/' || se END || CASE WHEN se_type = '' THEN '' ELSE '/' || se_type END || '/' || method, status_code, status_message,
                  NULL::text, NULL::text, NULL::int, NULL::float8, NULL::text
           FROM tasks WHERE account_id = $1 AND api = $7 AND state = ${TASK_STATE.done} AND status_code <> 20000 AND completed_at >= $2 AND completed_at <= $3
         ) e WHERE $4::text IS NULL OR "function" = $4::text
         ORDER BY at DESC, id COLLATE "C" LIMIT $5 OFFSET $6`,
        [accountId, q.from, q.to, q.fn, q.limit, q.offset, q.api],
      );
      return r.rows.map(toErrorRow);
    },

    async deliveriesOf(taskId: string): Promise<{ deliveries: DeliveryRow[]; attempts: AttemptRow[] }> {
      const [d, a] = await Promise.all([
        query<{ kind: WebhookKind; state: DeliveryRow['state']; attempts: number; next_attempt_at: number }>(
          'serpq_deliveries_of',
          'SELECT kind, state, attempts, next_attempt_at FROM webhook_deliveries WHERE task_id = $1 ORDER BY kind COLLATE "C"',
          [taskId],
        ),
        query<{
          kind: WebhookKind;
          url: string;
          method: string;
          attempted_at: number;
          ok: boolean;
          http_code: number | null;
          duration_ms: number;
          response: string | null;
          error: string | null;
        }>(
          'serpq_attempts_of',
          'SELECT kind, url, method, attempted_at, ok, http_code, duration_ms, response, error FROM webhook_attempts WHERE task_id = $1 ORDER BY id',
          [taskId],
        ),
      ]);
      return {
        deliveries: d.rows.map((x) => ({ kind: x.kind, state: x.state, attempts: x.attempts, nextAttemptAt: x.next_attempt_at })),
        attempts: a.rows.map((x) => ({
          kind: x.kind,
          url: x.url,
          method: x.method,
          attemptedAt: x.attempted_at,
          ok: x.ok,
          httpCode: x.http_code,
          durationMs: x.duration_ms,
          response: x.response,
          error: x.error,
        })),
      };
    },
  };
}

/**
 * The statement recording one attempt: the lease compare-and-set, the attempt row and the task, in
 * one statement (so atomic even outside a transaction). Returns n = 1, or 0 when the lease was lost.
 */
function attemptStatement(a: AttemptRecord): { name: string; text: string; values: unknown[] } {
  const state = deliveryStateAfter(a);
  // The task's listing follows the webhook: a failed postback puts the task on tasks_ready (the
  // vendor's rule), a delivered one leaves it off; a pingback only records its outcome.
  // A budget alert has no task: its delivery and attempt rows are all there is to write.
  let taskUpdate: string | null;
  const extra: unknown[] = [];
  if (a.kind === 'postback') {
    taskUpdate = a.ok
      ? `UPDATE tasks SET webhook_state = 'delivered' WHERE id = $5 AND webhook_state = 'pending' AND EXISTS (SELECT 1 FROM s)`
      : `UPDATE tasks SET listed = true, webhook_state = 'failed' WHERE id = $5 AND EXISTS (SELECT 1 FROM s)`;
  } else if (a.kind === 'pingback') {
    taskUpdate = `UPDATE tasks SET webhook_state = $16 WHERE id = $5 AND postback_url IS NULL AND webhook_state <> 'failed' AND EXISTS (SELECT 1 FROM s)`;
    extra.push(a.ok ? 'delivered' : 'failed');
  } else {
    taskUpdate = null;
  }
  const name =
    a.kind === 'postback'
      ? a.ok
        ? 'serpq_attempt_postback_ok'
        : 'serpq_attempt_postback_failed'
      : a.kind === 'pingback'
        ? 'serpq_attempt_pingback'
        : 'serpq_attempt_budget_alert';
  // One statement, so one transaction: the lease compare-and-set, the attempt row, the task.
  // "Pending" is spelled as the complement of the other two states so that the delivery is found
  // through its primary key, never through the partial due index (see completeTasks).
  return {
    name,
    text: `WITH s AS (
       UPDATE webhook_deliveries SET attempts = attempts + 1, state = $3, next_attempt_at = coalesce($4::bigint, next_attempt_at),
         lease_owner = NULL, lease_expires_at = NULL
       WHERE id = $1 AND lease_owner = $2 AND state NOT IN ('delivered', 'failed')
       RETURNING id
     ), a AS (
       INSERT INTO webhook_attempts (delivery_id, task_id, account_id, kind, url, method, attempted_at, ok, http_code, duration_ms, response, error)
       SELECT id, $5::text, $6::bigint, $7::text, $8::text, $9::text, $10::bigint, $11::boolean, $12::int, $13::float8, $14::text, $15::text FROM s
     )${
       taskUpdate === null
         ? ''
         : `, t AS (
       ${taskUpdate}
     )`
     }
     SELECT count(*)::int AS n FROM s`,
    values: [
      a.deliveryId,
      a.owner,
      state,
      a.nextAttemptAt,
      a.taskId,
      a.accountId,
      a.kind,
      a.url,
      a.method,
      a.attemptedAt,
      a.ok,
      a.httpCode,
      a.durationMs,
      a.response,
      a.error,
      ...extra,
    ],
  };
}
