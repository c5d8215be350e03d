/**
 * The admin API's shapes as the dashboard reads them (GET /admin/dashboard, GET /admin/events; see
 * src/admin/dashboard-data.ts). Kept apart from the server's types so the browser build never
 * pulls in server modules.
 */
export interface Queue {
  readonly queued: number;
  readonly running: number;
  readonly ready: number;
  readonly oldest_queued_age_seconds: number;
}

export interface Overview {
  readonly now: string;
  readonly time_travel: boolean;
  readonly offset_seconds: number;
  readonly fault_injection: boolean;
  readonly queue: Queue;
  readonly completed_per_minute: ReadonlyArray<{ readonly minute: string; readonly done: number; readonly failed: number }>;
}

export interface Limits {
  readonly tasks_ready_per_minute: number;
  readonly requests_per_minute: number;
  readonly concurrent_requests: number;
}

/** A budget on the calendar as GET /admin/accounts/:login/budgets shows it. */
export interface Budget {
  readonly id: number;
  readonly period: 'day' | 'week' | 'month';
  /** USD per period. */
  readonly amount: number;
  /** One API, or null for every API. */
  readonly api: string | null;
  readonly time_zone: string;
  readonly alert_at: readonly number[];
  readonly alert_url: string | null;
  /** USD spent in the current period. */
  readonly spent: number;
  readonly period_start: string;
  readonly resets_at: string;
  /** The alerts of the current period; delivery null when there is no alert_url (recorded, not sent). */
  readonly alerts: ReadonlyArray<{
    readonly threshold: number;
    readonly sent_at: string;
    readonly delivery: { readonly state: 'pending' | 'delivered' | 'failed'; readonly attempts: number } | null;
  }>;
}

export interface Account {
  readonly login: string;
  readonly balance: number;
  readonly spent_today: number;
  /** Today's spend (UTC day) per API in USD; APIs without any are absent. */
  readonly spent_today_by_api: Readonly<Record<string, number>>;
  readonly budgets: readonly Budget[];
  readonly daily_cost_limit: number | null;
  readonly limits: Limits;
  /** On a relay: tasks sent upstream, and tasks served from the cache or a shared call. */
  readonly tasks_relayed: number;
  readonly cache_hits: number;
}

export interface FailedTask {
  readonly id: string;
  readonly login: string | null;
  readonly se: string;
  readonly se_type: string;
  readonly function: string;
  readonly status_code: number;
  readonly status_message: string | null;
  readonly completed_at: string;
}

export interface FailedWebhook {
  /** The task's id, or a budget alert's outbox key (kind 'budget_alert'). */
  readonly task_id: string;
  /** The budget of a budget alert; null for a task's webhook. */
  readonly budget_id: number | null;
  readonly login: string | null;
  readonly kind: string;
  readonly url: string;
  readonly failed_at: string;
  readonly http_code: number | null;
  readonly error: string | null;
  readonly state: 'pending' | 'delivered' | 'failed';
  readonly attempts: number;
}

/** A relay's upstream (GET /admin/upstream) with the tasks relayed and cache hits of every account. */
export interface Upstream {
  readonly url: string;
  readonly reachable: boolean | null;
  readonly balance: number | null;
  /** Tasks with the upstream, their results not collected yet. */
  readonly in_flight: number;
  readonly calls_in_flight: number;
  readonly calls_last_minute: number;
  readonly limits: { readonly requests_per_minute: number; readonly concurrent_requests: number; readonly tasks_ready_per_minute: number };
  readonly last_error: string | null;
  readonly tasks_relayed: number;
  readonly cache_hits: number;
}

export interface Snapshot {
  readonly overview: Overview;
  readonly accounts: readonly Account[];
  readonly failures: { readonly tasks: readonly FailedTask[]; readonly webhooks: readonly FailedWebhook[] };
  /** null when the server does not relay. */
  readonly upstream: Upstream | null;
}

/** GET /admin/tasks/:id (see src/admin/task-view.ts). */
export interface TaskDetails {
  readonly id: string;
  readonly login: string | null;
  readonly api: string;
  readonly se: string;
  readonly se_type: string;
  readonly function: string;
  readonly state: 'queued' | 'running' | 'completed' | 'failed';
  readonly status_code: number | null;
  readonly status_message: string | null;
  readonly priority: number;
  readonly tag: string | null;
  readonly cost: number;
  readonly posted_at: string;
  readonly due_at: string;
  readonly lease_expires_at: string | null;
  readonly executions: number;
  readonly completed_at: string | null;
  readonly collected: boolean;
  readonly collected_at: string | null;
  readonly on_tasks_ready: boolean;
  readonly postback_url: string | null;
  readonly pingback_url: string | null;
  readonly webhook_state: 'none' | 'pending' | 'delivered' | 'failed';
  readonly deliveries: ReadonlyArray<{
    readonly kind: string;
    readonly state: 'pending' | 'delivered' | 'failed';
    readonly attempts: number;
    readonly next_attempt_at: string;
  }>;
  readonly attempts: ReadonlyArray<{
    readonly kind: string;
    readonly url: string;
    readonly method: string;
    readonly attempted_at: string;
    readonly ok: boolean;
    readonly http_code: number | null;
    readonly duration_ms: number;
    readonly response: string | null;
    readonly error: string | null;
  }>;
}
