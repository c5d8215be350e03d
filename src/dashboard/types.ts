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

export interface Account {
  readonly login: string;
  readonly balance: number;
  readonly spent_today: number;
  readonly daily_cost_limit: number | null;
  readonly limits: Limits;
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
  readonly task_id: string;
  readonly login: string | null;
  readonly kind: string;
  readonly url: string;
  readonly failed_at: string;
  readonly http_code: number | null;
  readonly error: string | null;
  readonly state: 'pending' | 'delivered' | 'failed';
  readonly attempts: number;
}

export interface Snapshot {
  readonly overview: Overview;
  readonly accounts: readonly Account[];
  readonly failures: { readonly tasks: readonly FailedTask[]; readonly webhooks: readonly FailedWebhook[] };
}
