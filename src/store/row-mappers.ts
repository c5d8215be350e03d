import type { Budget, BudgetPeriod } from '../domain/budgets.js';
import type { WebhookState } from '../domain/task.js';
import type { WebhookKind } from '../domain/webhooks.js';
import type { RelayRow, RelayUsage } from '../domain/relay-records.js';
import type {
  AccountRow,
  AttemptRecord,
  BudgetAlertRow,
  DeliveryJob,
  DeliveryRow,
  ErrorRow,
  OwnerRow,
  TaskIdRow,
  TaskRow,
} from './store.js';

/**
 * Row mappers shared by the adapters: the snake_case columns as the drivers return them, to the
 * camelCase rows of the Store port.
 */
const STATES = ['queued', 'running', 'done'] as const;

/** A tasks row as either driver returns it (SQLite has no booleans: 0/1). */
export interface RawTask {
  id: string;
  account_id: number;
  api: string;
  se: string;
  se_type: string;
  state: number;
  status_code: number | null;
  status_message: string | null;
  priority: number;
  tag: string | null;
  data: string;
  postback_url: string | null;
  postback_data: string | null;
  pingback_url: string | null;
  cost_micro: number;
  posted_at: number;
  run_after: number;
  completed_at: number | null;
  collected_at: number | null;
  lease_owner: string | null;
  lease_expires_at: number | null;
  attempts: number;
  webhook_state: string;
  listed: number | boolean;
  method: string;
}

/** An accounts row as either driver returns it. */
export interface RawAccount {
  id: number;
  login: string;
  password_hash: string;
  balance_micro: number;
  total_deposits_micro: number;
  tasks_ready_per_minute: number;
  requests_per_minute: number;
  concurrent_requests: number;
  webhook_retries: number | boolean;
  webhook_secret: string | null;
  daily_cost_limit_micro: number | null;
  duplicate_limit_hour: number | null;
  duplicate_limit_day: number | null;
  /** JSON text: an array of API path prefixes. */
  no_subscriptions: string;
  created_at: number;
}

export function toTask(r: RawTask): TaskRow {
  return {
    id: r.id,
    accountId: r.account_id,
    api: r.api,
    se: r.se,
    seType: r.se_type,
    state: STATES[r.state] ?? 'queued',
    statusCode: r.status_code,
    statusMessage: r.status_message,
    priority: r.priority,
    tag: r.tag,
    data: r.data,
    postbackUrl: r.postback_url,
    postbackData: r.postback_data,
    pingbackUrl: r.pingback_url,
    costMicro: r.cost_micro,
    postedAt: r.posted_at,
    runAfter: r.run_after,
    completedAt: r.completed_at,
    collectedAt: r.collected_at,
    leaseOwner: r.lease_owner,
    leaseExpiresAt: r.lease_expires_at,
    attempts: r.attempts,
    webhookState: r.webhook_state as WebhookState,
    listed: r.listed === 1 || r.listed === true,
    method: r.method,
  };
}

/** A JSON array of strings as stored (anything else reads as empty). */
function parseStringList(text: string | null): string[] {
  try {
    const v = JSON.parse(text ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export function toAccount(r: RawAccount): AccountRow {
  return {
    id: r.id,
    login: r.login,
    passwordHash: r.password_hash,
    balanceMicro: r.balance_micro,
    totalDepositsMicro: r.total_deposits_micro,
    limits: {
      tasksReadyPerMinute: r.tasks_ready_per_minute,
      requestsPerMinute: r.requests_per_minute,
      concurrentRequests: r.concurrent_requests,
    },
    webhookRetries: r.webhook_retries === 1 || r.webhook_retries === true,
    webhookSecret: r.webhook_secret,
    dailyCostLimitMicro: r.daily_cost_limit_micro,
    duplicateLimitHour: r.duplicate_limit_hour,
    duplicateLimitDay: r.duplicate_limit_day,
    noSubscriptions: parseStringList(r.no_subscriptions),
    createdAt: r.created_at,
  };
}

/** A row of the serp/errors union as both stores select it. */
export interface RawErrorRow {
  id: string;
  at: number;
  function: string;
  error_code: number | null;
  error_message: string | null;
  http_url: string | null;
  http_method: string | null;
  http_code: number | null;
  http_time_ms: number | null;
  http_response: string | null;
}

export function toErrorRow(r: RawErrorRow): ErrorRow {
  return {
    id: r.id,
    at: r.at,
    function: r.function,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    httpUrl: r.http_url,
    httpMethod: r.http_method,
    httpCode: r.http_code,
    httpTimeMs: r.http_time_ms,
    httpResponse: r.http_response,
  };
}

/** A claimed webhook_deliveries row as both stores return it. */
export interface RawDelivery {
  id: number;
  task_id: string;
  account_id: number;
  kind: WebhookKind;
  url: string;
  host: string;
  attempts: number;
  payload: string | null;
}

export function toDeliveryJob(r: RawDelivery): DeliveryJob {
  return {
    id: r.id,
    taskId: r.task_id,
    accountId: r.account_id,
    kind: r.kind,
    url: r.url,
    host: r.host,
    attempts: r.attempts,
    payload: r.payload,
  };
}

export interface RawRelay {
  task_id: string;
  state: RelayRow['state'];
  upstream_id: string | null;
  forwarded_at: number;
  checked_at: number | null;
  attempts: number;
  account_id: number | null;
  request_key: string | null;
  leader_id: string | null;
  source: RelayRow['source'];
  upstream_cost: number | null;
}

export function toRelayRow(r: RawRelay): RelayRow {
  return {
    taskId: r.task_id,
    state: r.state,
    upstreamId: r.upstream_id,
    forwardedAt: Number(r.forwarded_at),
    checkedAt: r.checked_at === null ? null : Number(r.checked_at),
    attempts: r.attempts,
    accountId: r.account_id === null ? null : Number(r.account_id),
    requestKey: r.request_key,
    leaderId: r.leader_id,
    source: r.source,
    upstreamCostMicro: r.upstream_cost === null ? null : Number(r.upstream_cost),
  };
}

export interface RawRelayUsage {
  account_id: number;
  relayed: number;
  cache_hits: number;
}

export function toRelayUsage(r: RawRelayUsage): RelayUsage {
  return { accountId: Number(r.account_id), relayed: Number(r.relayed), cacheHits: Number(r.cache_hits) };
}

export interface RawOwner {
  id: string;
  machine: string;
  pid: number;
  started_at: number;
  heartbeat_at: number;
}

export function toOwnerRow(r: RawOwner): OwnerRow {
  return { id: r.id, machine: r.machine, pid: r.pid, startedAt: Number(r.started_at), heartbeatAt: Number(r.heartbeat_at) };
}

/** A `tasks` row as `listTaskIds` selects it (id_list), in both dialects. */
export interface RawTaskId {
  id: string;
  api: string;
  se: string;
  se_type: string;
  method: string;
  posted_at: number;
  completed_at: number | null;
  status_code: number | null;
  cost_micro: number;
  data: string;
}

export function toTaskIdRow(r: RawTaskId): TaskIdRow {
  return {
    id: r.id,
    api: r.api,
    se: r.se,
    seType: r.se_type,
    fn: r.method,
    postedAt: r.posted_at,
    completedAt: r.completed_at,
    statusCode: r.status_code,
    costMicro: r.cost_micro,
    data: r.data,
  };
}

/**
 * What one webhook attempt leaves its delivery in: delivered when it succeeded, pending while a
 * retry is scheduled, failed when none is.
 */
export function deliveryStateAfter(a: Pick<AttemptRecord, 'ok' | 'nextAttemptAt'>): DeliveryRow['state'] {
  return a.ok ? 'delivered' : a.nextAttemptAt !== null ? 'pending' : 'failed';
}

/** A budgets row as either driver returns it. */
export interface RawBudget {
  id: number | string;
  account_id: number | string;
  period: string;
  amount_micro: number | string;
  api: string | null;
  time_zone: string;
  /** JSON text: an array of fractions. */
  alert_at: string;
  alert_url: string | null;
  created_at: number | string;
}

/** A budget_alerts row joined with its delivery, as either driver returns it. */
export interface RawBudgetAlert {
  threshold: number | string;
  sent_at: number | string;
  state: DeliveryRow['state'] | null;
  attempts: number | string | null;
  next_attempt_at: number | string | null;
}

export function toBudgetAlert(r: RawBudgetAlert): BudgetAlertRow {
  return {
    threshold: Number(r.threshold),
    sentAt: Number(r.sent_at),
    delivery: r.state === null ? null : { state: r.state, attempts: Number(r.attempts), nextAttemptAt: Number(r.next_attempt_at) },
  };
}

export function toBudget(r: RawBudget): Budget {
  return {
    id: Number(r.id),
    accountId: Number(r.account_id),
    period: r.period as BudgetPeriod,
    amountMicro: Number(r.amount_micro),
    api: r.api,
    timeZone: r.time_zone,
    alertAt: JSON.parse(r.alert_at) as number[],
    alertUrl: r.alert_url,
    createdAt: Number(r.created_at),
  };
}
