import { createHmac } from 'node:crypto';

/**
 * The vendor's webhook rules (pingback: GET; postback: POST of the gzip-compressed task_get envelope)
 * and serpq's opt-in extensions (retries on a published schedule, Standard Webhooks signatures).
 * Pure functions; sending lives in delivery/.
 */

/**
 * What a delivery of the outbox carries: a task's postback or pingback (the vendor's), or a budget
 * alert (serpq's: a POST of a JSON body fixed when the alert was claimed, no task behind it).
 */
export type WebhookKind = 'postback' | 'pingback' | 'budget_alert';

/** The vendor aborts a webhook that has not answered within 10 seconds. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/**
 * Opt-in retry schedule: delays after the first failed attempt, then after each further one
 * (8 attempts in all over about 27.6 hours). Without the extension there is one attempt, as with the vendor.
 */
export const RETRY_SCHEDULE_MS: readonly number[] = Object.freeze([
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3600_000,
  5 * 3600_000,
  10 * 3600_000,
  10 * 3600_000,
]);

/** Success is an answer from 200 to 300 inclusive: the vendor counts "< 200 or > 300" as failure. */
export function isWebhookSuccess(httpCode: number | null): boolean {
  return httpCode !== null && httpCode >= 200 && httpCode <= 300;
}

/**
 * When the next attempt is due after `attemptsMade` failed attempts, or null when no attempt remains.
 */
export function nextAttemptAt(attemptsMade: number, now: number, retries: boolean): number | null {
  if (!retries) return null;
  const delay = RETRY_SCHEDULE_MS[attemptsMade - 1];
  return delay === undefined ? null : now + delay;
}

/**
 * The URL to call: `$id` becomes the task id, `$tag` the URL-encoded tag (empty without one), and
 * a `#`, which would otherwise cut the URL, is sent encoded as the vendor does.
 */
export function webhookUrl(template: string, taskId: string, tag: string | null): string {
  return template
    .replace(/\$tag/g, encodeURIComponent(tag ?? ''))
    .replace(/\$id/g, taskId)
    .replace(/#/g, '%23');
}

/**
 * The receiving host of a webhook URL as the outbox records it (its `host` column): the authority
 * after `://`, up to the first `/`, `?` or `#`, in lower case; '' for a URL without `://`.
 */
export function webhookHost(url: string): string {
  const start = url.indexOf('://');
  if (start < 0) return '';
  const rest = url.slice(start + 3);
  let end = rest.length;
  for (const c of ['/', '?', '#']) {
    const i = rest.indexOf(c);
    if (i >= 0 && i < end) end = i;
  }
  return rest.slice(0, end).toLowerCase();
}

/** A new Standard Webhooks secret: `whsec_` and 24 random bytes in base64. */
export function newWebhookSecret(random: Buffer): string {
  return 'whsec_' + random.toString('base64');
}

/**
 * Standard Webhooks headers (webhook-id, webhook-timestamp, webhook-signature) for `payload`, which is
 * the JSON text before compression (what a receiver reads after gunzip), or '' for a pingback.
 */
export function signatureHeaders(secret: string, messageId: string, timestampSec: number, payload: string): Record<string, string> {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
  const signature = createHmac('sha256', key).update(`${messageId}.${timestampSec}.${payload}`).digest('base64');
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(timestampSec),
    'webhook-signature': `v1,${signature}`,
  };
}
