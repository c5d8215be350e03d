export const SQLITE_MIGRATIONS = [
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
];
