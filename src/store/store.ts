import type { AccountLimits, AccountRow } from '../domain/account.js';
import type { Budget, NewBudget } from '../domain/budgets.js';
import type { QueueStats, WebhookState } from '../domain/task.js';
import type { WebhookKind } from '../domain/webhooks.js';

/**
 * The Store port: every persistent read and write serpq makes. Feature code depends on this
 * interface only; the SQLite adapter (default, embedded) and the PostgreSQL adapter implement it,
 * and the shared contract tests in test/integration run against both. Times are epoch ms from the
 * injected clock; money is integer micro-USD.
 *
 * Each adapter holds hand-written SQL and its own forward-only migrations rather than a query
 * builder: the hot paths (claims, completion, the tasks_ready page) need raw prepared statements and
 * dialect-specific locking anyway, and the contract tests keep the two adapters' behaviour equal.
 * Differences between engines are capabilities (optional members below), never branches in features.
 */

// The account as the domain knows it (the authenticated caller of every request), kept in the domain
// so that every layer may name it; re-exported here for the store's adapters.
export { type AccountLimits, type AccountRow, DEFAULT_LIMITS } from '../domain/account.js';

export interface NewAccount {
  readonly login: string;
  readonly passwordHash: string;
  readonly balanceMicro: number;
  readonly limits: AccountLimits;
  /** The subscriptions (API path prefixes) the account lacks; absent = has every one. */
  readonly noSubscriptions?: readonly string[];
  readonly createdAt: number;
}

export interface AccountPatch {
  readonly passwordHash?: string;
  readonly balanceMicro?: number;
  readonly limits?: Partial<AccountLimits>;
  readonly webhookRetries?: boolean;
  readonly webhookSecret?: string | null;
  /** null turns the cap off. */
  readonly dailyCostLimitMicro?: number | null;
  readonly duplicateLimitHour?: number | null;
  readonly duplicateLimitDay?: number | null;
  /** The whole list of subscriptions (API path prefixes) the account lacks; [] = has every one. */
  readonly noSubscriptions?: readonly string[];
}

export interface NewTask {
  readonly id: string;
  /** The API the task belongs to (the first segment of its path); 'serp' when omitted. */
  readonly api?: string;
  readonly se: string;
  readonly seType: string;
  readonly priority: number;
  readonly tag: string | null;
  /** JSON text of the `data` echo (posted fields plus filled defaults); the task's request. */
  readonly data: string;
  readonly postbackUrl: string | null;
  readonly postbackData: string | null;
  readonly pingbackUrl: string | null;
  readonly costMicro: number;
  readonly postedAt: number;
  /** Not claimable before this time (sandbox latency). */
  readonly runAfter: number;
  /** The tasks_ready row of this task as JSON text: it never changes, so it is written once. */
  readonly readyJson: string;
  /**
   * Hash of the posted payload (se, type, function and posted fields), for the duplicate-task limits
   * (40205/40206). Optional: tasks without one are never counted as duplicates.
   */
  readonly payloadHash?: string | null;
}

export interface TaskRow {
  readonly id: string;
  readonly accountId: number;
  /** The API the task belongs to ('serp', 'keywords_data', …). */
  readonly api: string;
  readonly se: string;
  readonly seType: string;
  readonly state: 'queued' | 'running' | 'done';
  readonly statusCode: number | null;
  readonly statusMessage: string | null;
  readonly priority: number;
  readonly tag: string | null;
  readonly data: string;
  readonly postbackUrl: string | null;
  readonly postbackData: string | null;
  readonly pingbackUrl: string | null;
  readonly costMicro: number;
  readonly postedAt: number;
  readonly runAfter: number;
  readonly completedAt: number | null;
  readonly collectedAt: number | null;
  readonly leaseOwner: string | null;
  readonly leaseExpiresAt: number | null;
  readonly attempts: number;
  readonly webhookState: WebhookState;
  readonly listed: boolean;
  /** The function the task was made with: 'task_post', or for live tasks e.g. 'live/advanced'. */
  readonly method: string;
}

/** Outcome of one accepted task_post call: which candidates were stored (in order) and the new balance. */
export interface PostOutcome {
  readonly accepted: readonly boolean[];
  readonly balanceMicro: number;
}

/** What a worker writes when a task finishes. */
export interface Completion {
  readonly id: string;
  readonly leaseOwner: string;
  readonly statusCode: number;
  readonly statusMessage: string;
  /**
   * Stored results by function, compressed by the caller. Absent for executors that render on read
   * (the deterministic sandbox stores nothing but the request).
   */
  readonly results?: ReadonlyArray<{ readonly fn: string; readonly body: Buffer }>;
  /**
   * The final cost (fewer results than the depth paid for, or what an upstream charged): the account
   * is refunded the difference, or charged it when higher; omitted = unchanged.
   */
  readonly costMicro?: number;
}

/** One hit of a shared per-minute counter. */
export interface CounterHit {
  readonly key: string;
  readonly windowStart: number;
  readonly windowMs: number;
}

/** A webhook to send, claimed from the outbox under a lease. */
export interface DeliveryJob {
  readonly id: number;
  readonly taskId: string;
  readonly accountId: number;
  readonly kind: WebhookKind;
  /** The URL as posted, with `$id` / `$tag` still in it. */
  readonly url: string;
  /** The receiving host: the URL's authority in lower case (the key of the per-host bound). */
  readonly host: string;
  /** Attempts made before this one. */
  readonly attempts: number;
  /** The body fixed when the delivery was queued (a budget alert's JSON); null for a task's webhooks, built at send time. */
  readonly payload: string | null;
}

/** The outcome of one attempt, recorded with the delivery's new state in one transaction. */
export interface AttemptRecord {
  readonly deliveryId: number;
  readonly owner: string;
  readonly taskId: string;
  readonly accountId: number;
  readonly kind: WebhookKind;
  /** The URL actually called. */
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly attemptedAt: number;
  readonly ok: boolean;
  readonly httpCode: number | null;
  readonly durationMs: number;
  readonly response: string | null;
  readonly error: string | null;
  /** After a failure: when to try again (retries on), or null when this was the last attempt. */
  readonly nextAttemptAt: number | null;
}

export interface AttemptRow {
  readonly kind: WebhookKind;
  readonly url: string;
  readonly method: string;
  readonly attemptedAt: number;
  readonly ok: boolean;
  readonly httpCode: number | null;
  readonly durationMs: number;
  readonly response: string | null;
  readonly error: string | null;
}

export interface DeliveryRow {
  readonly kind: WebhookKind;
  readonly state: 'pending' | 'delivered' | 'failed';
  readonly attempts: number;
  readonly nextAttemptAt: number;
}

/** One row of POST /v3/serp/errors: a failed webhook attempt or a task whose execution failed. */
export interface ErrorRow {
  readonly id: string;
  readonly at: number;
  readonly function: string;
  readonly errorCode: number | null;
  readonly errorMessage: string | null;
  readonly httpUrl: string | null;
  readonly httpMethod: string | null;
  readonly httpCode: number | null;
  readonly httpTimeMs: number | null;
  readonly httpResponse: string | null;
}

export interface ErrorQuery {
  /** The API whose failed tasks and webhooks are listed (errors is per API). */
  readonly api: string;
  readonly from: number;
  readonly to: number;
  readonly fn: string | null;
  readonly limit: number;
  readonly offset: number;
}

export interface RetentionCut {
  readonly now: number;
  /** Uncollected tasks completed before this leave the ready indexes (tasks_ready no longer shows them). */
  readonly readyBefore: number;
  readonly resultsBefore: number;
  readonly attemptsBefore: number;
  readonly tasksBefore: number;
}

/** The queue as the metrics gauges show it, over every account. */
export type { QueueStats } from '../domain/task.js';

/** Tasks completed in one minute of the clock, over every account (the dashboard's chart). */
export interface MinuteCompletions {
  /** Start of the minute, epoch ms. */
  readonly minute: number;
  /** Completed with 20000. */
  readonly done: number;
  /** Completed with another status code. */
  readonly failed: number;
}

/** A task whose execution failed (a status other than 20000), for the operator: any account. */
export interface FailedTaskRow {
  readonly id: string;
  readonly accountId: number;
  /** The account's login; null when the account is gone. */
  readonly login: string | null;
  readonly se: string;
  readonly seType: string;
  /** 'task_post' or e.g. 'live/advanced'. */
  readonly method: string;
  readonly statusCode: number;
  readonly statusMessage: string | null;
  readonly completedAt: number;
}

/** A webhook delivery with a failed attempt, for the operator: its latest failure and its state now. */
export interface FailedWebhookRow {
  readonly deliveryId: number;
  readonly taskId: string;
  readonly accountId: number;
  readonly login: string | null;
  readonly kind: WebhookKind;
  /** The URL called by the failed attempt. */
  readonly url: string;
  readonly failedAt: number;
  /** The receiver's HTTP code; null when no answer came (timeout, refused, reset). */
  readonly httpCode: number | null;
  /** The network error, or the start of the receiver's answer (at most 200 characters). */
  readonly error: string | null;
  /** The delivery now: a resend makes it pending, then delivered or failed again. */
  readonly state: DeliveryRow['state'];
  readonly attempts: number;
}

/** What a live call stores: its already-completed task (never on tasks_ready, already collected). */
export interface LiveOutcome {
  readonly statusCode: number;
  readonly statusMessage: string;
  readonly completedAt: number;
  /** The function called, e.g. 'live/advanced' or 'live/html'. */
  readonly method: string;
  /** Stored results by function, compressed by the caller (optional, as for Completion). */
  readonly results?: ReadonlyArray<{ readonly fn: string; readonly body: Buffer }>;
}

/** A page of POST /v3/serp/id_list: the account's tasks posted in [from, to]. */
export interface TaskIdQuery {
  /** The API whose tasks are listed (id_list is per API). */
  readonly api: string;
  readonly from: number;
  readonly to: number;
  readonly limit: number;
  readonly offset: number;
  /** By posting time (then id); 'asc' oldest first. */
  readonly sort: 'asc' | 'desc';
}

export interface TaskIdRow {
  readonly id: string;
  readonly api: string;
  readonly se: string;
  readonly seType: string;
  /** The task's function: 'task_post' or e.g. 'live/advanced' (the `method` column). */
  readonly fn: string;
  readonly postedAt: number;
  readonly completedAt: number | null;
  readonly statusCode: number | null;
  readonly costMicro: number;
  /** JSON text of the task's `data` echo. */
  readonly data: string;
}

/**
 * A process that holds claims (task leases, delivery leases). It heartbeats on the real clock; a claim
 * whose owner has gone silent (or, on the same machine, whose process is gone) is free to take.
 */
export interface OwnerRow {
  readonly id: string;
  /** Where the process runs: a key that is equal for processes that can see each other's pids. */
  readonly machine: string;
  readonly pid: number;
  readonly startedAt: number;
  /** Last heartbeat, epoch ms of the real clock (not the time-travel clock). */
  readonly heartbeatAt: number;
}

/**
 * What a tasks_ready path lists: an API's tasks, of one engine (or group) when `se` is given, of one
 * type when `seType` is given too. A given empty string is a value (On-Page's crawl tasks have none).
 */
export type ReadyScope = { readonly api: string; readonly se?: string; readonly seType?: string };

export interface StoredResultsQuery {
  readonly since: number;
  readonly accountId?: number;
  /** The last row of the previous page. */
  readonly after?: { readonly completedAt: number; readonly id: string };
  readonly limit: number;
}

export interface StoredResultsRow {
  readonly id: string;
  /** The task's API (`serp`, or another API's task type's: `keywords_data`, …). */
  readonly api: string;
  readonly se: string;
  readonly seType: string;
  /** The posted fields (JSON). */
  readonly data: string;
  readonly completedAt: number;
  readonly results: ReadonlyArray<{ readonly fn: string; readonly body: Buffer }>;
}

/** What `Store.listen` relays. */
export interface StoreListeners {
  /** Tasks were posted. */
  readonly onTasks: () => void;
  /** Webhook deliveries were queued. */
  readonly onDeliveries: () => void;
  /** A setting changed through addToSetting (e.g. the clock moved): its key and new value. */
  readonly onSetting?: (key: string, value: string) => void;
}

/*
 * The store port, by role. Each consumer declares the roles it uses (a worker gets the TaskQueue
 * and TaskReads, not the whole store), as graphile-worker hands its worker getJob/completeJob/
 * failJob only; `Store`, the intersection of every role, is for the composition root and the
 * dialects that implement it.
 */

/** Opening, migrating and closing a store, its health, and the admin reset (the composition root's). */
export interface StoreLifecycle {
  readonly kind: 'sqlite' | 'postgres';
  migrate(): Promise<void>;
  close(): Promise<void>;
  ping(): Promise<boolean>;
  /** Wipes accounts, tasks, results, deliveries, relay records, counters and settings (POST /admin/reset); keeps the schema and the registered processes. */
  reset(): Promise<void>;
}

/** Accounts with their balances and limits. */
export interface Accounts {
  createAccount(a: NewAccount): Promise<AccountRow>;
  updateAccount(login: string, patch: AccountPatch): Promise<AccountRow | null>;
  accountByLogin(login: string): Promise<AccountRow | null>;
  accountById(id: number): Promise<AccountRow | null>;
  listAccounts(): Promise<AccountRow[]>;
  countAccounts(): Promise<number>;
}

/** task_post and live calls: tasks stored together with the debit of their cost. */
export interface TaskIntake {
  /**
   * Stores the tasks of one task_post call atomically with the balance debit. Candidates are taken
   * in order while the balance covers them; the rest are not stored (the caller answers 40210).
   * Nothing is visible to other readers before the commit, and the call returns after it.
   */
  postTasks(accountId: number, tasks: readonly NewTask[]): Promise<PostOutcome>;
  /**
   * Stores the already-completed task of a live call (state done, not listed on tasks_ready,
   * collected at completion, no webhooks) with its results, atomically with the debit of its cost
   * under the same balance rule as postTasks. False (nothing stored, nothing debited) when the
   * balance does not cover the cost.
   */
  insertLiveTask(accountId: number, task: NewTask, outcome: LiveOutcome): Promise<boolean>;
  /**
   * Makes a queued task of the account due at `at` when it was due later (On-Page's force_stop ends a
   * crawl now). False when the task is not the account's, not queued, or due already.
   */
  expediteTask(accountId: number, id: string, at: number): Promise<boolean>;
}

/** An account's budgets on the calendar (domain/budgets.ts) and the alerts sent for them. */
export interface Budgets {
  addBudget(budget: NewBudget, now: number): Promise<Budget>;
  /** The account's budgets, oldest first. */
  budgetsOf(accountId: number): Promise<Budget[]>;
  /** False when the account has no such budget. */
  deleteBudget(accountId: number, id: number): Promise<boolean>;
  /**
   * Records that the alert of a budget's period at a threshold is sent: true the first time only,
   * whichever process asks (so an alert goes once per threshold and period). With `payload` (the
   * alert's JSON body) and a budget that has an alert_url, the alert's webhook is queued in the outbox
   * in the same transaction (kind 'budget_alert', keyed by `budgetAlertKey`, due at `at`).
   */
  claimBudgetAlert(budgetId: number, periodStart: number, threshold: number, at: number, payload?: string): Promise<boolean>;
  /** The alerts claimed for a budget's period, by threshold, each with its delivery now (null: not sent, no alert_url). */
  budgetAlertsOf(budgetId: number, periodStart: number): Promise<BudgetAlertRow[]>;
  /** Queues the deliveries of a budget's alerts of a period again, due at `now`; returns how many. */
  resendBudgetAlerts(budgetId: number, periodStart: number, now: number): Promise<number>;
}

/** An alert claimed for a budget's period, and its webhook delivery. */
export interface BudgetAlertRow {
  readonly threshold: number;
  readonly sentAt: number;
  readonly delivery: Pick<DeliveryRow, 'state' | 'attempts' | 'nextAttemptAt'> | null;
}

/**
 * What an account spent and posted: the budgets, the daily cost cap and the duplicate-task limits
 * read it. Spend is read from per-quarter-hour counters kept with every charge (store/spend-buckets.ts):
 * a `since` on a 15-minute edge (every zone's day, week and month start) reads only counters.
 */
export interface TaskHistory {
  /** Micro-USD charged for the account's tasks posted at or after `since` (the daily cost cap). */
  spentSince(accountId: number, since: number): Promise<number>;
  /** The same, per API (`{serp: 1800, keywords_data: 50000}`); APIs with nothing charged since are absent. */
  spentByApiSince(accountId: number, since: number): Promise<Record<string, number>>;
  /** How many of the account's tasks with this payload hash were posted at or after `since`. */
  countDuplicates(accountId: number, payloadHash: string, since: number): Promise<number>;
}

/** The queue the workers run: claim due tasks, complete them, give them back. */
export interface TaskQueue {
  /** Claims up to `limit` due tasks (queued and run_after <= now, or running with an expired lease). */
  claimTasks(owner: string, now: number, leaseMs: number, limit: number): Promise<TaskRow[]>;
  /** Completes tasks whose lease `owner` still holds; returns how many completed. */
  completeTasks(completions: readonly Completion[], now: number): Promise<number>;
  /** Gives claimed tasks back to the queue, due at `runAfter` (a retry after an upstream failure). */
  deferTasks(ids: readonly string[], owner: string, runAfter: number): Promise<void>;
  /** Earliest time a queued task becomes due, or a running lease expires (null when idle). */
  nextDueAt(): Promise<number | null>;
}

/** Tasks read by id (task_get, webhooks, the admin API) and id_list; collection. */
export interface TaskReads {
  taskById(id: string): Promise<TaskRow | null>;
  /** The tasks of these ids that exist, in any order (one round trip for a batch of deliveries). */
  tasksByIds(ids: readonly string[]): Promise<TaskRow[]>;
  /** id_list rows: the account's tasks (any state, standard and live) posted in the window. */
  listTaskIds(accountId: number, q: TaskIdQuery): Promise<TaskIdRow[]>;
  /** Sets collected_at on the first collection; no-op afterwards. */
  markCollected(id: string, now: number): Promise<void>;
}

/** The stored results of completed tasks, per function. */
export interface Results {
  resultOf(id: string, fn: string): Promise<Buffer | null>;
  /** Stores a completed task's result for one more function (fetched after completion), if none is stored. */
  addResult(id: string, fn: string, body: Buffer): Promise<void>;
  /**
   * Completed tasks (20000) with stored results, in completion order after a cursor: what
   * `serpq cassettes export` writes. Tasks the relay served from its cache or a shared call are
   * left out (their results are their leader's).
   */
  storedResults(q: StoredResultsQuery): Promise<StoredResultsRow[]>;
}

/** tasks_ready: an account's completed, uncollected tasks, and the synchronous capabilities of its fast path. */
export interface ReadyReads {
  /** tasks_ready rows (JSON text) for an account and scope, completed at or after `since`, oldest first. */
  listReady(accountId: number, scope: ReadyScope, since: number, limit: number): Promise<string[]>;
  /**
   * Capability: the same read without a promise, for stores that read synchronously (embedded SQLite).
   * The tasks_ready fast path uses it when present; a networked store leaves it undefined.
   */
  readonly listReadySync?: (accountId: number, scope: ReadyScope, since: number, limit: number) => string[];
  /**
   * Capability (synchronous stores): the completion time of the oldest row `listReadySync` would
   * return first, or null when none; read when a page is cached, to know when the window drops it.
   */
  readonly oldestReadySync?: (accountId: number, scope: ReadyScope, since: number) => number | null;
  /**
   * Capability (synchronous stores): a number that differs from the last one returned whenever any
   * row was changed since, by this connection or committed by any other (another process on the same
   * file). Equal stamps mean every read gives the same rows: cached tasks_ready pages are keyed by it.
   */
  readonly changeStampSync?: () => number;
}

/** The webhook outbox: deliveries claimed, attempted and recorded; resends and the errors list. */
export interface Outbox {
  /**
   * Claims due webhook deliveries (pending and due, not leased or lease expired), oldest due first,
   * passing over those addressed to `skipHosts`.
   */
  claimDeliveries(owner: string, now: number, leaseMs: number, limit: number, skipHosts?: readonly string[]): Promise<DeliveryJob[]>;
  /**
   * Claims the due, unclaimed deliveries of these tasks (the webhooks of tasks this process just
   * completed, handed to its dispatcher without a scan of the outbox); those another process claimed
   * first, or already sent, are left out.
   */
  claimDeliveriesOf(owner: string, taskIds: readonly string[], now: number, leaseMs: number): Promise<DeliveryJob[]>;
  /** Gives claimed deliveries back unsent, due again at `dueAt` (null: when they were due, keeping their place). */
  releaseDeliveries(ids: readonly number[], owner: string, dueAt: number | null): Promise<void>;
  /**
   * Records an attempt and its consequences atomically: the delivery's state, and for a postback the
   * task's listing (a failed postback puts the task on tasks_ready). False when the lease was lost.
   */
  recordAttempt(a: AttemptRecord): Promise<boolean>;
  /** recordAttempt for several attempts in one transaction (one commit); per attempt, the same answer. */
  recordAttempts(batch: readonly AttemptRecord[]): Promise<boolean[]>;
  /** Earliest time a pending delivery is due or a delivery lease expires (null when none). */
  nextDeliveryAt(): Promise<number | null>;
  /** Queues the webhooks of the account's completed tasks again; per id, whether it had any. */
  resendWebhooks(accountId: number, taskIds: readonly string[], now: number): Promise<boolean[]>;
  listErrors(accountId: number, q: ErrorQuery): Promise<ErrorRow[]>;
  deliveriesOf(taskId: string): Promise<{ deliveries: DeliveryRow[]; attempts: AttemptRow[] }>;
}

/** The processes that hold claims, their heartbeats, and freeing the claims of dead ones. */
export interface Owners {
  /** Registers (or registers again) a process that holds claims, with its first heartbeat. */
  registerOwner(owner: OwnerRow): Promise<void>;
  /**
   * One heartbeat of `owner` at `at` (real clock): refreshes its row and renews its claims, the leases
   * of its running tasks to `taskLeaseUntil` and of its claimed deliveries to `deliveryLeaseUntil`
   * (process clock). False when its row is gone (another process took it for dead and freed its
   * claims): the caller registers again.
   */
  heartbeat(owner: string, at: number, taskLeaseUntil: number, deliveryLeaseUntil: number): Promise<boolean>;
  listOwners(): Promise<OwnerRow[]>;
  /**
   * Takes these owners for dead: frees their claims at once (their running tasks become claimable,
   * their claimed deliveries unclaimed) and removes their rows, in one transaction. Completion stays a
   * compare-and-set on the lease owner, so an owner wrongly taken for dead completes nothing that
   * another process claimed meanwhile. Returns the claims freed.
   */
  releaseOwners(ids: readonly string[]): Promise<number>;
}

/** Small shared settings (the time-travel offset). */
export interface Settings {
  /** Small shared settings, e.g. the time-travel offset. */
  getSetting(key: string): Promise<string | null>;
  setSetting(key: string, value: string): Promise<void>;
  /**
   * Adds `by` to a numeric setting atomically (a missing one counts as 0) and returns the new value,
   * so concurrent moves through several processes add up. Stores shared by several processes
   * announce the new value to their listeners (`listen`'s `onSetting`).
   */
  addToSetting(key: string, by: number): Promise<number>;
}

/** Counts over every account for the dashboard and the metrics gauges. */
export interface DashboardReads {
  /** Counts over every account for the metrics gauges (one round trip; read at most every few seconds). */
  queueStats(): Promise<QueueStats>;
  /** Completions per minute of the clock in [since, until), over every account; minutes without any are left out. */
  completionsByMinute(since: number, until: number): Promise<MinuteCompletions[]>;
  /** Failed tasks completed at or after `since`, over every account, newest first (a partial index on failures). */
  latestFailedTasks(since: number, limit: number): Promise<FailedTaskRow[]>;
  /**
   * Deliveries with a failed attempt at or after `since`, over every account, newest failure first,
   * each once (its latest failure), with the delivery's state now.
   */
  latestFailedWebhooks(since: number, limit: number): Promise<FailedWebhookRow[]>;
  /** Micro-USD charged for the tasks posted at or after `since`, per account (its login) and API; none: left out. */
  spendByAccount(since: number): Promise<Array<{ readonly login: string; readonly api: string; readonly micro: number }>>;
}

/** Retention's deletions. */
export interface Purge {
  /**
   * Deletes what retention no longer keeps, at most `batch` rows per table per call (so no lock is
   * held long): stored results of tasks completed before `resultsBefore`, webhook attempts before
   * `attemptsBefore`, tasks (with their outbox rows) posted before `tasksBefore`, expired counters;
   * and takes uncollected tasks completed before `readyBefore` off the ready indexes.
   * Returns how many rows went.
   */
  purgeExpired(cut: RetentionCut, batch: number): Promise<number>;
}

/**
 * The relay's cache of live calls (`--relay-cache-ttl`): the upstream's successful answer to a
 * request, by its key, shared by every process on the store. Times are the process clock's.
 */
export interface RelayAnswers {
  /**
   * The answer stored for `requestKey` at or after `since`, or null; when there is one, it counts as a
   * cache hit of `accountId` (relay_usage), in the same statement.
   */
  relayAnswer(requestKey: string, since: number, accountId: number): Promise<Buffer | null>;
  /**
   * Stores (or replaces) the answer for `requestKey` at `at`, and deletes up to 100 answers stored
   * before `expiredBefore` (so expired answers go as new ones come, a few at a time).
   */
  putRelayAnswer(requestKey: string, body: Buffer, at: number, expiredBefore: number): Promise<void>;
  /** Counts a cache hit of `accountId` that read no stored answer (it shared an equal call in flight). */
  countRelayHit(accountId: number): Promise<void>;
}

/** Capabilities of a store shared by several processes (PostgreSQL): wake-ups and shared limit counters. */
export interface SharedStore {
  /**
   * Capability: wake-ups from other processes sharing the store (PostgreSQL LISTEN/NOTIFY). A hint
   * only: workers and delivery loops keep polling. Returns a function that stops listening.
   */
  listen?(handlers: StoreListeners): Promise<() => Promise<void>>;
  /**
   * Capability of stores shared by several API nodes (PostgreSQL): counts one hit per entry of `hits`
   * (its key in the fixed window starting at its windowStart) in one statement, and returns each
   * window's count including that hit (hits of one window in a batch count in their order). Stores
   * used by one process leave it undefined, and limits are counted in process (exact sliding windows).
   */
  countHits?(hits: readonly CounterHit[]): Promise<number[]>;
}

/** Every role: what each dialect implements and the composition root hands out, role by role. */
export type Store = StoreLifecycle &
  Accounts &
  Budgets &
  TaskIntake &
  TaskHistory &
  TaskQueue &
  TaskReads &
  Results &
  ReadyReads &
  Outbox &
  Owners &
  Settings &
  DashboardReads &
  Purge &
  RelayAnswers &
  SharedStore;
