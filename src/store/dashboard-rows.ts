import type { WebhookKind } from '../domain/webhooks.js';
import type { DeliveryRow, FailedTaskRow, FailedWebhookRow } from './store.js';

/** Row mappers of the dashboard's reads (sqlite/dashboard.ts, postgres/dashboard.ts), shared by both dialects. */

/**
 * How many failed attempts are read per delivery wanted: a delivery retried several times has several
 * failures in a row, and only its latest is shown. Bounded, so the read stays a short index range.
 */
export const FAILED_ATTEMPTS_PER_ROW = 4;

export interface RawFailedTask {
  id: string;
  account_id: number;
  login: string | null;
  se: string;
  se_type: string;
  method: string;
  status_code: number;
  status_message: string | null;
  completed_at: number;
}

export interface RawFailedWebhook {
  delivery_id: number;
  task_id: string;
  account_id: number;
  login: string | null;
  kind: WebhookKind;
  url: string;
  attempted_at: number;
  http_code: number | null;
  error: string | null;
  state: DeliveryRow['state'];
  attempts: number;
}

export function toFailedTask(r: RawFailedTask): FailedTaskRow {
  return {
    id: r.id,
    accountId: r.account_id,
    login: r.login,
    se: r.se,
    seType: r.se_type,
    method: r.method,
    statusCode: r.status_code,
    statusMessage: r.status_message,
    completedAt: r.completed_at,
  };
}

/** Failed attempts newest first → one row per delivery (its latest failure), at most `limit`. */
export function latestPerDelivery(rows: readonly RawFailedWebhook[], limit: number): FailedWebhookRow[] {
  const seen = new Set<number>();
  const out: FailedWebhookRow[] = [];
  for (const r of rows) {
    if (seen.has(r.delivery_id)) continue;
    seen.add(r.delivery_id);
    out.push({
      deliveryId: r.delivery_id,
      taskId: r.task_id,
      accountId: r.account_id,
      login: r.login,
      kind: r.kind,
      url: r.url,
      failedAt: r.attempted_at,
      httpCode: r.http_code,
      error: r.error,
      state: r.state,
      attempts: r.attempts,
    });
    if (out.length === limit) break;
  }
  return out;
}
