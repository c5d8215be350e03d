/**
 * Glossary
 * - task: one SERP request accepted by task_post (status 20100), identified by a vendor-shaped id.
 * - state: queued -> running (claimed by a worker under a lease) -> done. A done task carries the
 *   vendor status of its execution: 20000, or a terminal error such as 40102.
 * - lease: a claim with an expiry. A worker that dies leaves its lease to expire; the task is then
 *   claimable again. Executing twice is allowed, completing twice is not (completion checks the lease).
 * - listed: whether a done task is eligible for tasks_ready: always without a postback_url, otherwise
 *   only once its postback failed.
 * - collected: the first task_get of a done task sets collected_at; it is a flag, not a state.
 * - outbox / delivery: the webhook rows written in the same transaction as completion.
 * - postback: POST of the task_get envelope (gzip) to postback_url; pingback: GET of pingback_url.
 */

export type TaskState = 'queued' | 'running' | 'done';

export const TASK_STATE = Object.freeze({ queued: 0, running: 1, done: 2 } as const);

/** Webhook outcome recorded on the task: what decides listing for postback tasks. */
export type WebhookState = 'none' | 'pending' | 'delivered' | 'failed';

/** tasks_ready lists tasks completed within this window (SPEC 3.3). */
export const READY_WINDOW_MS = 3 * 24 * 3600_000;
/** task_get/advanced (and regular) results stay available this long after completion. */
export const RESULT_RETENTION_MS = 30 * 24 * 3600_000;
/** task_get/html results stay available this long. */
export const HTML_RETENTION_MS = 7 * 24 * 3600_000;
/** Rows per tasks_ready call. */
export const READY_PAGE_SIZE = 1000;
/** Tasks per task_post call. */
export const MAX_TASKS_PER_POST = 100;

/** Counts over every account (the metrics gauges and the dashboard's queue). */
export interface QueueStats {
  /** Tasks waiting to be executed (state queued, due or not yet). */
  readonly queued: number;
  /** Tasks claimed and executing (including those the relay handed to its upstream). */
  readonly running: number;
  /** posted_at of the oldest queued task; null when none is queued. */
  readonly oldestQueuedAt: number | null;
  /** Completed tasks listed on tasks_ready and not yet collected. */
  readonly ready: number;
}
