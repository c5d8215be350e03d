/**
 * Forward-only migrations of the SQLite store. A released migration is never edited: add a new one.
 * Each runs in its own transaction together with the row that records it, so a crash leaves either
 * both or neither; SQLite has one writer, so concurrent migrators simply queue (busy_timeout).
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'accounts and tasks',
    sql: `
CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  login TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  balance_micro INTEGER NOT NULL DEFAULT 0,
  total_deposits_micro INTEGER NOT NULL DEFAULT 0,
  tasks_ready_per_minute INTEGER NOT NULL,
  requests_per_minute INTEGER NOT NULL,
  concurrent_requests INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);

-- state: 0 queued, 1 running, 2 done. listed: a done task eligible for tasks_ready (no postback,
-- or its postback failed). ready_json: the tasks_ready row, written once at task_post.
CREATE TABLE tasks (
  id TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL,
  se TEXT NOT NULL,
  se_type TEXT NOT NULL,
  state INTEGER NOT NULL DEFAULT 0,
  status_code INTEGER,
  status_message TEXT,
  priority INTEGER NOT NULL,
  tag TEXT,
  data TEXT NOT NULL,
  postback_url TEXT,
  postback_data TEXT,
  pingback_url TEXT,
  cost_micro INTEGER NOT NULL,
  posted_at INTEGER NOT NULL,
  run_after INTEGER NOT NULL,
  completed_at INTEGER,
  collected_at INTEGER,
  lease_owner TEXT,
  lease_expires_at INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  webhook_state TEXT NOT NULL DEFAULT 'none',
  listed INTEGER NOT NULL DEFAULT 0,
  ready_json TEXT NOT NULL
);

-- The ready set: partial and covering (ready_json is in the index), so a tasks_ready page is one
-- index range scan whose cost depends on the page, not on how many tasks are stored. One index per
-- URL scope (all SERP, one engine, one engine and type).
CREATE INDEX tasks_ready_all ON tasks (account_id, completed_at, ready_json)
  WHERE listed = 1 AND collected_at IS NULL;
CREATE INDEX tasks_ready_se ON tasks (account_id, se, completed_at, ready_json)
  WHERE listed = 1 AND collected_at IS NULL;
CREATE INDEX tasks_ready_type ON tasks (account_id, se, se_type, completed_at, ready_json)
  WHERE listed = 1 AND collected_at IS NULL;

-- The queue: due tasks in order; and running tasks by lease expiry, to reclaim after a crash.
CREATE INDEX tasks_queue ON tasks (run_after) WHERE state = 0;
CREATE INDEX tasks_leases ON tasks (lease_expires_at) WHERE state = 1;

CREATE INDEX tasks_account_posted ON tasks (account_id, posted_at);

-- Stored results (compressed JSON) for executors that do not render on read.
CREATE TABLE task_results (
  task_id TEXT NOT NULL,
  fn TEXT NOT NULL,
  body BLOB NOT NULL,
  PRIMARY KEY (task_id, fn)
) WITHOUT ROWID;
`,
  },
  {
    version: 2,
    name: 'webhook outbox, delivery log, settings',
    sql: `
-- Small shared settings (the time-travel clock offset, so it survives a restart).
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- Opt-in webhook extensions per account (off by default: the vendor's single attempt, unsigned).
ALTER TABLE accounts ADD COLUMN webhook_retries INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN webhook_secret TEXT;

-- The outbox: one row per webhook of a completed task, written in the completion transaction.
-- state: pending (to send, or to retry at next_attempt_at), delivered, failed (no more attempts).
CREATE TABLE webhook_deliveries (
  id INTEGER PRIMARY KEY,
  task_id TEXT NOT NULL,
  account_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  url TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_owner TEXT,
  lease_expires_at INTEGER,
  created_at INTEGER NOT NULL,
  UNIQUE (task_id, kind)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';

-- Every attempt: the delivery log, and the source of the webhook rows of POST /v3/serp/errors.
CREATE TABLE webhook_attempts (
  id INTEGER PRIMARY KEY,
  delivery_id INTEGER NOT NULL,
  task_id TEXT NOT NULL,
  account_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  url TEXT NOT NULL,
  method TEXT NOT NULL,
  attempted_at INTEGER NOT NULL,
  ok INTEGER NOT NULL,
  http_code INTEGER,
  duration_ms REAL NOT NULL,
  response TEXT,
  error TEXT
);
CREATE INDEX webhook_attempts_task ON webhook_attempts (task_id);
CREATE INDEX webhook_attempts_failed ON webhook_attempts (account_id, attempted_at) WHERE ok = 0;

-- Tasks whose execution failed, by completion time (the task rows of POST /v3/serp/errors).
CREATE INDEX tasks_failed ON tasks (account_id, completed_at) WHERE state = 2 AND status_code <> 20000;
`,
  },
  {
    version: 3,
    name: 'retention index',
    sql: `
-- Retention deletes the oldest tasks in bounded batches, by posting time.
CREATE INDEX tasks_posted ON tasks (posted_at);
`,
  },
  {
    version: 4,
    name: 'task method, payload hash, account cost and duplicate limits',
    sql: `
-- The function a task was made with: 'task_post', or 'live/advanced' etc. for stored live tasks
-- (id_list urls, serp/errors functions).
ALTER TABLE tasks ADD COLUMN method TEXT NOT NULL DEFAULT 'task_post';
-- Hash of the posted payload, for the duplicate-task limits (40205/40206); null when not tracked.
ALTER TABLE tasks ADD COLUMN payload_hash TEXT;
CREATE INDEX tasks_payload ON tasks (account_id, payload_hash, posted_at) WHERE payload_hash IS NOT NULL;

-- Account controls (null = off): daily cost cap (40203, UTC day) and duplicate-task limits.
ALTER TABLE accounts ADD COLUMN daily_cost_limit_micro INTEGER;
ALTER TABLE accounts ADD COLUMN duplicate_limit_hour INTEGER;
ALTER TABLE accounts ADD COLUMN duplicate_limit_day INTEGER;
`,
  },
  {
    version: 5,
    name: 'webhook receiving host',
    sql: `
-- The receiving host (the URL's authority, lower case) of each webhook: the dispatcher claims past
-- hosts whose calls already fill their share, so one slow receiver never holds up the others.
ALTER TABLE webhook_deliveries ADD COLUMN host TEXT GENERATED ALWAYS AS (
  lower(substr(substr(url, instr(url, '://') + 3), 1, min(
    instr(substr(url, instr(url, '://') + 3) || '/', '/'),
    instr(substr(url, instr(url, '://') + 3) || '?', '?'),
    instr(substr(url, instr(url, '://') + 3) || '#', '#')) - 1))
) VIRTUAL;
CREATE INDEX webhook_deliveries_due_host ON webhook_deliveries (next_attempt_at, host) WHERE state = 'pending';
DROP INDEX webhook_deliveries_due;
`,
  },
  {
    version: 6,
    name: 'claim owners',
    sql: `
-- Every process that holds claims registers here and heartbeats (real clock). A claim whose owner is
-- gone is freed at once instead of waiting for its lease (see src/worker/owners.ts).
CREATE TABLE owners (
  id TEXT PRIMARY KEY,
  machine TEXT NOT NULL,
  pid INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL
);
CREATE INDEX tasks_lease_owner ON tasks (lease_owner) WHERE state = 1;
CREATE INDEX webhook_deliveries_lease_owner ON webhook_deliveries (lease_owner) WHERE lease_owner IS NOT NULL;
`,
  },
  {
    version: 7,
    name: 'relay forwarding records',
    sql: `
-- The relay executor's record of each forwarded task: 'forwarding' is written before the upstream
-- task_post and 'forwarded' with the upstream id after it (times on the real clock).
CREATE TABLE relay_tasks (
  task_id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  upstream_id TEXT,
  forwarded_at INTEGER NOT NULL,
  checked_at INTEGER,
  attempts INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX relay_tasks_checked ON relay_tasks (checked_at) WHERE state = 'forwarded';
`,
  },
  {
    version: 8,
    name: 'relay cache, shared calls, usage and the upstream budget',
    sql: `
-- The relay's cache and in-flight sharing: what decides a task's SERP, the task whose upstream result
-- it takes, and where its result came from ('upstream', 'cache', 'shared').
ALTER TABLE relay_tasks ADD COLUMN account_id INTEGER;
ALTER TABLE relay_tasks ADD COLUMN request_key TEXT;
ALTER TABLE relay_tasks ADD COLUMN leader_id TEXT;
ALTER TABLE relay_tasks ADD COLUMN source TEXT NOT NULL DEFAULT 'upstream';
-- What the upstream charged for it (its task_post answer), micro-USD.
ALTER TABLE relay_tasks ADD COLUMN upstream_cost INTEGER;
CREATE INDEX relay_tasks_request_key ON relay_tasks (request_key) WHERE request_key IS NOT NULL;
CREATE INDEX relay_tasks_leader ON relay_tasks (leader_id) WHERE state = 'following';
-- Per account: tasks sent upstream and tasks served without an upstream call.
CREATE TABLE relay_usage (
  account_id INTEGER PRIMARY KEY,
  relayed INTEGER NOT NULL DEFAULT 0,
  cache_hits INTEGER NOT NULL DEFAULT 0
);
-- The upstream account's budget, shared by every process: recent calls per kind (a sliding window)
-- and the concurrency slots held, each lapsing with the call timeout.
CREATE TABLE upstream_calls (kind TEXT NOT NULL, at INTEGER NOT NULL);
CREATE INDEX upstream_calls_kind_at ON upstream_calls (kind, at);
CREATE TABLE upstream_slots (slot TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
`,
  },
  {
    version: 9,
    name: 'upstream budget counted per second',
    sql: `
-- The upstream budget as calls per second of the clock: a window's count is a sum of at most 61
-- rows, whatever the rate (a row per call made every check slower as the minute filled).
DROP TABLE upstream_calls;
CREATE TABLE upstream_call_counts (
  kind TEXT NOT NULL,
  second INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (kind, second)
);
`,
  },
  {
    version: 10,
    name: 'operator dashboard indexes',
    sql: `
-- The dashboard, over every account: completions per minute (covering: the count by status reads the
-- index only), the latest failed tasks, and the latest failed webhook attempts. Failures are rare, so
-- their partial indexes stay small; the existing per-account ones cannot order across accounts.
CREATE INDEX tasks_completed ON tasks (completed_at, status_code) WHERE state = 2;
CREATE INDEX tasks_failed_at ON tasks (completed_at) WHERE state = 2 AND status_code <> 20000;
CREATE INDEX webhook_attempts_failed_at ON webhook_attempts (attempted_at) WHERE ok = 0;
`,
  },
  {
    version: 11,
    name: 'tasks of every API',
    sql: `
-- Every DataForSEO API on one task table: the API a task belongs to (its path's first segment).
-- id_list and errors are per API; tasks posted before this migration are SERP tasks.
ALTER TABLE tasks ADD COLUMN api TEXT NOT NULL DEFAULT 'serp';
`,
  },
  {
    version: 12,
    name: 'account subscriptions',
    sql: `
-- The subscriptions an account lacks: a JSON array of API path prefixes (SUBSCRIPTION_APIS keys, e.g.
-- ["backlinks"]) whose live calls answer 40204. Empty, the default, is every subscription.
ALTER TABLE accounts ADD COLUMN no_subscriptions TEXT NOT NULL DEFAULT '[]';
`,
  },
  {
    version: 13,
    name: 'tasks_ready per API',
    sql: `
-- tasks_ready of every API: each scope (an API, one engine or group of it, one type) is a range of its
-- own partial covering index, now keyed by the API first, so that serp/tasks_ready lists SERP tasks
-- only and a SERP page stays one index range whatever the other APIs hold. The ready set is small
-- (completed, uncollected tasks of 3 days), so rebuilding these indexes is quick.
DROP INDEX tasks_ready_all;
DROP INDEX tasks_ready_se;
DROP INDEX tasks_ready_type;
CREATE INDEX tasks_ready_api ON tasks (account_id, api, completed_at, ready_json)
  WHERE listed = 1 AND collected_at IS NULL;
CREATE INDEX tasks_ready_se ON tasks (account_id, api, se, completed_at, ready_json)
  WHERE listed = 1 AND collected_at IS NULL;
CREATE INDEX tasks_ready_type ON tasks (account_id, api, se, se_type, completed_at, ready_json)
  WHERE listed = 1 AND collected_at IS NULL;
`,
  },
  {
    version: 14,
    name: 'budgets on the calendar',
    sql: `
-- An account's budgets: an amount per day, week or month of an IANA time zone, for every API or one
-- (api NULL: all). alert_at: a JSON array of fractions of the amount at which an alert goes.
CREATE TABLE budgets (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id INTEGER NOT NULL,
  period TEXT NOT NULL,
  amount_micro INTEGER NOT NULL,
  api TEXT,
  time_zone TEXT NOT NULL DEFAULT 'UTC',
  alert_at TEXT NOT NULL DEFAULT '[0.8,1]',
  alert_url TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX budgets_account ON budgets (account_id);
-- The alerts sent: one per budget, period and threshold, whichever process saw the threshold crossed.
CREATE TABLE budget_alerts (
  budget_id INTEGER NOT NULL,
  period_start INTEGER NOT NULL,
  threshold REAL NOT NULL,
  sent_at INTEGER NOT NULL,
  PRIMARY KEY (budget_id, period_start, threshold)
);
`,
  },
  {
    version: 15,
    name: 'budget alerts in the outbox',
    sql: `
-- A budget alert is sent as a webhook through the outbox: a delivery of kind 'budget_alert' whose
-- task_id is a synthetic key (budget-<id>-<period start>-<threshold>, no task row) and whose body,
-- fixed when the alert is claimed, is kept here. Deliveries of tasks have none (built at send time).
ALTER TABLE webhook_deliveries ADD COLUMN payload TEXT;
-- The delivery of each alert claimed (null when the budget has no alert_url: recorded, not sent).
ALTER TABLE budget_alerts ADD COLUMN delivery_id INTEGER;
`,
  },
  {
    version: 16,
    name: 'relay live answers',
    sql: `
-- The relay's cache of live calls of every API (--relay-cache-ttl): the upstream's 20000 answer to a
-- request (its path and normalized fields, hashed), stored at the process clock's stored_at and
-- shared by every node of the store. Valid while stored_at is within the TTL; older rows are deleted
-- a few at a time as new answers are stored (by stored_at).
CREATE TABLE relay_answers (
  request_key TEXT PRIMARY KEY,
  body BLOB NOT NULL,
  stored_at INTEGER NOT NULL
);
CREATE INDEX relay_answers_stored_at ON relay_answers (stored_at);
`,
  },
  {
    version: 17,
    name: 'spend counters',
    sql: `
-- Spend counters (src/store/spend-buckets.ts): micro-USD charged per account, API and quarter hour of
-- the tasks' posted_at (bucket: posted_at floored to 15 minutes). Every write that sets or changes a
-- task's cost_micro adds the difference here in the same transaction, so the budgets, the daily cost
-- cap and the spend metric sum a period's buckets instead of its tasks. Retention keeps them (money
-- history, ~96 rows per account and API a day). Keyed by account, then bucket: a period is one range.
CREATE TABLE spend_buckets (
  account_id INTEGER NOT NULL,
  bucket INTEGER NOT NULL,
  api TEXT NOT NULL,
  micro INTEGER NOT NULL,
  PRIMARY KEY (account_id, bucket, api)
) WITHOUT ROWID;
-- The spend of every account since a time (the metrics' spend today).
CREATE INDEX spend_buckets_bucket ON spend_buckets (bucket);
-- The tasks stored before this migration, counted once (one scan of the tasks table).
INSERT INTO spend_buckets (account_id, bucket, api, micro)
  SELECT account_id, (posted_at / 900000) * 900000, api, sum(cost_micro) FROM tasks
  GROUP BY 1, 2, 3 HAVING sum(cost_micro) <> 0;
`,
  },
];
