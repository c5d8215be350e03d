import { microToUsd } from '../domain/pricing.js';
import { READY_WINDOW_MS } from '../domain/task.js';
import { STATUS } from '../domain/status-codes.js';
import type { Accounts, Outbox, TaskRow } from '../store/store.js';

/**
 * One task as the operator looks it up (GET /admin/tasks/:id, the dashboard's "Find a task"), and
 * its webhook log (also GET /admin/tasks/:id/deliveries). Plain admin JSON: snake_case, times in
 * ISO, money in USD.
 */

/** A done task is `completed` with 20000 and `failed` with any other vendor code (40102, 40501...). */
export type TaskLookupState = 'queued' | 'running' | 'completed' | 'failed';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function lookupState(t: Pick<TaskRow, 'state' | 'statusCode'>): TaskLookupState {
  if (t.state !== 'done') return t.state;
  return t.statusCode === STATUS.OK.code ? 'completed' : 'failed';
}

/** The webhooks of a task: each delivery's state now, and every attempt made, oldest first. */
export async function deliveryLog(store: Pick<Outbox, 'deliveriesOf'>, taskId: string) {
  const log = await store.deliveriesOf(taskId);
  return {
    deliveries: log.deliveries.map((d) => ({
      kind: d.kind,
      state: d.state,
      attempts: d.attempts,
      next_attempt_at: iso(d.nextAttemptAt),
    })),
    attempts: log.attempts.map((a) => ({
      kind: a.kind,
      url: a.url,
      method: a.method,
      attempted_at: iso(a.attemptedAt),
      ok: a.ok,
      http_code: a.httpCode,
      duration_ms: Math.round(a.durationMs * 10) / 10,
      response: a.response,
      error: a.error,
    })),
  };
}

export type TaskView = Awaited<ReturnType<typeof taskView>>;

/**
 * The task of `task` with its account's login (null when the account is gone) at `now`. No start
 * time is stored: `due_at` is when it could start (posted plus the sandbox latency), and a running
 * task's `lease_expires_at` says until when its worker holds it.
 */
export async function taskView(store: Pick<Accounts, 'accountById'> & Pick<Outbox, 'deliveriesOf'>, task: TaskRow, now: number) {
  const [account, log] = await Promise.all([store.accountById(task.accountId), deliveryLog(store, task.id)]);
  const done = task.state === 'done';
  return {
    id: task.id,
    login: account?.login ?? null,
    api: task.api,
    se: task.se,
    se_type: task.seType,
    function: task.method,
    state: lookupState(task),
    status_code: task.statusCode,
    status_message: task.statusMessage,
    priority: task.priority,
    tag: task.tag,
    cost: microToUsd(task.costMicro),
    posted_at: iso(task.postedAt),
    due_at: iso(task.runAfter),
    lease_expires_at: task.state === 'running' ? iso(task.leaseExpiresAt) : null,
    // Times a worker took it (more than 1 after a lease expired, e.g. a crashed process).
    executions: task.attempts,
    completed_at: iso(task.completedAt),
    collected: task.collectedAt !== null,
    collected_at: iso(task.collectedAt),
    // What tasks_ready answers now: listed (no postback, or it failed), not collected, within the window.
    on_tasks_ready: done && task.listed && task.collectedAt === null && (task.completedAt ?? 0) >= now - READY_WINDOW_MS,
    postback_url: task.postbackUrl,
    pingback_url: task.pingbackUrl,
    webhook_state: task.webhookState,
    ...log,
  };
}
