import { TASK_STATE } from '../../domain/task.js';
import Database from 'better-sqlite3';
import type {
  AccountLimits,
  AccountPatch,
  AccountRow,
  AttemptRecord,
  AttemptRow,
  Completion,
  DeliveryJob,
  DeliveryRow,
  ErrorQuery,
  ErrorRow,
  NewAccount,
  LiveOutcome,
  OwnerRow,
  RelayAccepted,
  RelayForwarding,
  RelayRow,
  RelayUsage,
  StoredResultsQuery,
  StoredResultsRow,
  NewTask,
  PostOutcome,
  ReadyScope,
  RetentionCut,
  Store,
  TaskIdQuery,
  TaskIdRow,
  TaskRow,
  QueueStats,
  FailedTaskRow,
  FailedWebhookRow,
  MinuteCompletions,
} from '../store.js';
import { withBusyRetry } from '../map-db-error.js';
import { storedResultsSql } from '../stored-results-sql.js';
import { RESET_TABLES } from '../reset-tables.js';
import { SQLITE_MIGRATIONS } from './migrations.js';
import { type SqliteDeliveries, prepareDeliveries } from './deliveries.js';
import { type SqliteOwners, prepareOwners } from './owners.js';
import { type SqliteRelay, prepareRelay } from './relay.js';
import { type SqliteDashboard, prepareDashboard } from './dashboard.js';
import { fundInOrder } from '../../domain/pricing.js';
import { type RawAccount, type RawTask, toAccount, toTask } from '../row-mappers.js';

export interface SqliteStoreOptions {
  /** A file path or `:memory:`. */
  readonly path: string;
}

/**
 * The embedded store: better-sqlite3 in WAL mode. WAL with synchronous=NORMAL keeps every committed
 * transaction across a crash of the process (kill -9); only a power loss may drop the last commits,
 * which is the usual trade for an embedded default. One connection, one writer: statements are
 * prepared once and run synchronously, so a task_post transaction never interleaves with another.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly #db: Database.Database;
  #stmts!: ReturnType<SqliteStore['prepare']>;
  #deliveries!: SqliteDeliveries;
  #owners!: SqliteOwners;
  #relay!: SqliteRelay;
  #dashboard!: SqliteDashboard;
  /** Runs a function in a transaction; made once (better-sqlite3 builds a wrapper per transaction() call). */
  readonly #inTx: Database.Transaction<(fn: () => unknown) => unknown>;

  constructor(options: SqliteStoreOptions) {
    this.#db = new Database(options.path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.pragma('cache_size = -65536');
    this.#db.pragma('temp_store = MEMORY');
    this.#inTx = this.#db.transaction((fn: () => unknown) => fn());
  }

  /** `fn` in one BEGIN IMMEDIATE transaction (the write lock first: no upgrade deadlocks between processes). */
  #immediate<T>(fn: () => T): T {
    return this.#inTx.immediate(fn) as T;
  }

  /** The underlying connection, for tests and benchmarks that seed data in bulk. */
  get database(): Database.Database {
    return this.#db;
  }

  async migrate(): Promise<void> {
    const db = this.#db;
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    for (const m of SQLITE_MIGRATIONS) {
      // BEGIN IMMEDIATE takes the write lock first, so two processes migrating at once run one after
      // the other and the second sees the first's row.
      withBusyRetry(() =>
        db
          .transaction(() => {
            const done = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(m.version);
            if (done) return;
            db.exec(m.sql);
            db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
          })
          .immediate(),
      );
    }
    this.#stmts = this.prepare();
    this.#deliveries = prepareDeliveries(db, (fn) => this.#immediate(fn));
    this.#owners = prepareOwners(db, (fn) => this.#immediate(fn));
    this.#relay = prepareRelay(db, (fn) => this.#immediate(fn));
    this.#dashboard = prepareDashboard(db);
  }

  private prepare() {
    const db = this.#db;
    const readyCols = 'ready_json';
    const readyWhere = 'listed = 1 AND collected_at IS NULL AND completed_at >= ?';
    return {
      insertAccount: db.prepare(
        `INSERT INTO accounts (login, password_hash, balance_micro, total_deposits_micro, tasks_ready_per_minute, requests_per_minute, concurrent_requests, created_at)
         VALUES (@login, @passwordHash, @balance, @balance, @trpm, @rpm, @cc, @createdAt) RETURNING *`,
      ),
      accountByLogin: db.prepare('SELECT * FROM accounts WHERE login = ?'),
      accountById: db.prepare('SELECT * FROM accounts WHERE id = ?'),
      listAccounts: db.prepare('SELECT * FROM accounts ORDER BY id'),
      countAccounts: db.prepare('SELECT count(*) AS n FROM accounts').pluck(),
      balance: db.prepare('SELECT balance_micro FROM accounts WHERE id = ?').pluck(),
      debit: db.prepare('UPDATE accounts SET balance_micro = balance_micro - ? WHERE id = ?'),
      insertTask: db.prepare(
        `INSERT INTO tasks (id, account_id, se, se_type, priority, tag, data, postback_url, postback_data, pingback_url, cost_micro, posted_at, run_after, ready_json, webhook_state, payload_hash)
         VALUES (@id, @accountId, @se, @seType, @priority, @tag, @data, @postbackUrl, @postbackData, @pingbackUrl, @costMicro, @postedAt, @runAfter, @readyJson, @webhookState, @payloadHash)`,
      ),
      // A live task is stored completed: never listed on tasks_ready, collected by its own answer,
      // no webhooks.
      insertLive: db.prepare(
        `INSERT INTO tasks (id, account_id, se, se_type, state, status_code, status_message, priority, tag, data, postback_url, postback_data, pingback_url,
                            cost_micro, posted_at, run_after, completed_at, collected_at, ready_json, webhook_state, listed, method, payload_hash)
         VALUES (@id, @accountId, @se, @seType, 2, @statusCode, @statusMessage, @priority, @tag, @data, NULL, NULL, NULL,
                 @costMicro, @postedAt, @runAfter, @completedAt, @completedAt, @readyJson, 'none', 0, @method, @payloadHash)`,
      ),
      taskIdsAsc: db.prepare(
        `SELECT id, se, se_type, method, posted_at, completed_at, status_code, cost_micro, data FROM tasks
         WHERE account_id = @account AND posted_at >= @from AND posted_at <= @to ORDER BY posted_at, id LIMIT @limit OFFSET @offset`,
      ),
      taskIdsDesc: db.prepare(
        `SELECT id, se, se_type, method, posted_at, completed_at, status_code, cost_micro, data FROM tasks
         WHERE account_id = @account AND posted_at >= @from AND posted_at <= @to ORDER BY posted_at DESC, id DESC LIMIT @limit OFFSET @offset`,
      ),
      spentSince: db.prepare('SELECT coalesce(sum(cost_micro), 0) FROM tasks WHERE account_id = ? AND posted_at >= ?').pluck(),
      countDuplicates: db
        .prepare('SELECT count(*) FROM tasks INDEXED BY tasks_payload WHERE account_id = ? AND payload_hash = ? AND posted_at >= ?')
        .pluck(),
      // Claim: due queued tasks in run_after order, then expired leases (a crashed worker's tasks).
      claimQueued: db.prepare(
        `UPDATE tasks SET state = ${TASK_STATE.running}, lease_owner = @owner, lease_expires_at = @expires, attempts = attempts + 1
         WHERE id IN (SELECT id FROM tasks WHERE state = ${TASK_STATE.queued} AND run_after <= @now ORDER BY run_after LIMIT @limit)
         RETURNING *`,
      ),
      claimExpired: db.prepare(
        `UPDATE tasks SET lease_owner = @owner, lease_expires_at = @expires, attempts = attempts + 1
         WHERE id IN (SELECT id FROM tasks WHERE state = ${TASK_STATE.running} AND lease_expires_at < @now ORDER BY lease_expires_at LIMIT @limit)
         RETURNING *`,
      ),
      // Completion is a compare-and-set on the lease: a worker whose lease expired and was taken over
      // cannot complete the task a second time.
      complete: db.prepare(
        `UPDATE tasks SET state = ${TASK_STATE.done}, status_code = @code, status_message = @message, completed_at = @now,
           lease_owner = NULL, lease_expires_at = NULL,
           cost_micro = coalesce(@cost, cost_micro),
           listed = CASE WHEN postback_url IS NULL THEN 1 ELSE 0 END
         WHERE id = @id AND state = ${TASK_STATE.running} AND lease_owner = @owner
         RETURNING account_id, cost_micro, postback_url, pingback_url`,
      ),
      // The outbox rows are written in the completion transaction: a crash can never leave a
      // completed task whose webhook is forgotten.
      insertDelivery: db.prepare(
        `INSERT OR IGNORE INTO webhook_deliveries (task_id, account_id, kind, url, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      purgeResults: db.prepare(
        `DELETE FROM task_results WHERE task_id IN (
           SELECT r.task_id FROM task_results r JOIN tasks t ON t.id = r.task_id WHERE t.completed_at < ? LIMIT ?)`,
      ),
      purgeAttempts: db.prepare(
        'DELETE FROM webhook_attempts WHERE id IN (SELECT id FROM webhook_attempts WHERE attempted_at < ? ORDER BY id LIMIT ?)',
      ),
      oldTasks: db.prepare('SELECT id FROM tasks WHERE posted_at < ? ORDER BY posted_at LIMIT ?').pluck(),
      purgeTask: db.prepare('DELETE FROM tasks WHERE id = ?'),
      unlistStale: db.prepare(
        `UPDATE tasks SET listed = 0 WHERE id IN (
           SELECT id FROM tasks INDEXED BY tasks_ready_all WHERE listed = 1 AND collected_at IS NULL AND completed_at < ? LIMIT ?)`,
      ),
      purgeTaskResults: db.prepare('DELETE FROM task_results WHERE task_id = ?'),
      purgeTaskDeliveries: db.prepare('DELETE FROM webhook_deliveries WHERE task_id = ?'),
      getSetting: db.prepare('SELECT value FROM settings WHERE key = ?').pluck(),
      setSetting: db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      refund: db.prepare('UPDATE accounts SET balance_micro = balance_micro + ? WHERE id = ?'),
      costOf: db.prepare('SELECT cost_micro FROM tasks WHERE id = ?').pluck(),
      insertResult: db.prepare('INSERT OR REPLACE INTO task_results (task_id, fn, body) VALUES (?, ?, ?)'),
      addResult: db.prepare('INSERT OR IGNORE INTO task_results (task_id, fn, body) VALUES (?, ?, ?)'),
      nextQueued: db.prepare(`SELECT min(run_after) FROM tasks WHERE state = ${TASK_STATE.queued}`).pluck(),
      nextLease: db.prepare(`SELECT min(lease_expires_at) FROM tasks WHERE state = ${TASK_STATE.running}`).pluck(),
      // Each part reads a partial index (the queue, the leases, the ready set), never the whole table.
      queueStats: db.prepare(
        `SELECT (SELECT count(*) FROM tasks WHERE state = ${TASK_STATE.queued}) AS queued,
                (SELECT min(posted_at) FROM tasks WHERE state = ${TASK_STATE.queued}) AS oldest,
                (SELECT count(*) FROM tasks WHERE state = ${TASK_STATE.running}) AS running,
                (SELECT count(*) FROM tasks INDEXED BY tasks_ready_all WHERE listed = 1 AND collected_at IS NULL) AS ready`,
      ),
      readyAll: db
        .prepare(
          `SELECT ${readyCols} FROM tasks INDEXED BY tasks_ready_all WHERE account_id = ? AND ${readyWhere} ORDER BY completed_at LIMIT ?`,
        )
        .pluck(),
      readySe: db
        .prepare(
          `SELECT ${readyCols} FROM tasks INDEXED BY tasks_ready_se WHERE account_id = ? AND se = ? AND ${readyWhere} ORDER BY completed_at LIMIT ?`,
        )
        .pluck(),
      readyType: db
        .prepare(
          `SELECT ${readyCols} FROM tasks INDEXED BY tasks_ready_type WHERE account_id = ? AND se = ? AND se_type = ? AND ${readyWhere} ORDER BY completed_at LIMIT ?`,
        )
        .pluck(),
      oldestAll: db
        .prepare(
          `SELECT completed_at FROM tasks INDEXED BY tasks_ready_all WHERE account_id = ? AND ${readyWhere} ORDER BY completed_at LIMIT 1`,
        )
        .pluck(),
      oldestSe: db
        .prepare(
          `SELECT completed_at FROM tasks INDEXED BY tasks_ready_se WHERE account_id = ? AND se = ? AND ${readyWhere} ORDER BY completed_at LIMIT 1`,
        )
        .pluck(),
      oldestType: db
        .prepare(
          `SELECT completed_at FROM tasks INDEXED BY tasks_ready_type WHERE account_id = ? AND se = ? AND se_type = ? AND ${readyWhere} ORDER BY completed_at LIMIT 1`,
        )
        .pluck(),
      // total_changes() counts this connection's row changes (no lock, ~0.1 µs); data_version moves
      // when another connection commits (~1 µs, it reads the WAL index).
      ownChanges: db.prepare('SELECT total_changes()').pluck(),
      dataVersion: db.prepare('PRAGMA data_version').pluck(),
      taskById: db.prepare('SELECT * FROM tasks WHERE id = ?'),
      markCollected: db.prepare('UPDATE tasks SET collected_at = ? WHERE id = ? AND collected_at IS NULL'),
      resultOf: db.prepare('SELECT body FROM task_results WHERE task_id = ? AND fn = ?').pluck(),
    };
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }

  async ping(): Promise<boolean> {
    return this.#db.open && this.#db.prepare('SELECT 1').pluck().get() === 1;
  }

  async createAccount(a: NewAccount): Promise<AccountRow> {
    const row = this.#stmts.insertAccount.get({
      login: a.login,
      passwordHash: a.passwordHash,
      balance: a.balanceMicro,
      trpm: a.limits.tasksReadyPerMinute,
      rpm: a.limits.requestsPerMinute,
      cc: a.limits.concurrentRequests,
      createdAt: a.createdAt,
    }) as RawAccount;
    return toAccount(row);
  }

  async updateAccount(login: string, patch: AccountPatch): Promise<AccountRow | null> {
    const sets: string[] = [];
    const params: Record<string, unknown> = { login };
    if (patch.passwordHash !== undefined) {
      sets.push('password_hash = @passwordHash');
      params.passwordHash = patch.passwordHash;
    }
    if (patch.balanceMicro !== undefined) {
      // A raised balance counts as a deposit (user_data money.total).
      sets.push('total_deposits_micro = total_deposits_micro + max(0, @balance - balance_micro)', 'balance_micro = @balance');
      params.balance = patch.balanceMicro;
    }
    const limitCols: Record<keyof AccountLimits, string> = {
      tasksReadyPerMinute: 'tasks_ready_per_minute',
      requestsPerMinute: 'requests_per_minute',
      concurrentRequests: 'concurrent_requests',
    };
    for (const [k, col] of Object.entries(limitCols) as [keyof AccountLimits, string][]) {
      const v = patch.limits?.[k];
      if (v !== undefined) {
        sets.push(`${col} = @${k}`);
        params[k] = v;
      }
    }
    if (patch.webhookRetries !== undefined) {
      sets.push('webhook_retries = @webhookRetries');
      params.webhookRetries = patch.webhookRetries ? 1 : 0;
    }
    if (patch.webhookSecret !== undefined) {
      sets.push('webhook_secret = @webhookSecret');
      params.webhookSecret = patch.webhookSecret;
    }
    const controlCols = {
      dailyCostLimitMicro: 'daily_cost_limit_micro',
      duplicateLimitHour: 'duplicate_limit_hour',
      duplicateLimitDay: 'duplicate_limit_day',
    } as const;
    for (const [k, col] of Object.entries(controlCols) as [keyof typeof controlCols, string][]) {
      const v = patch[k];
      if (v !== undefined) {
        sets.push(`${col} = @${k}`);
        params[k] = v;
      }
    }
    if (sets.length === 0) return this.accountByLogin(login);
    const row = this.#db.prepare(`UPDATE accounts SET ${sets.join(', ')} WHERE login = @login RETURNING *`).get(params) as
      RawAccount | undefined;
    return row ? toAccount(row) : null;
  }

  async accountByLogin(login: string): Promise<AccountRow | null> {
    const r = this.#stmts.accountByLogin.get(login) as RawAccount | undefined;
    return r ? toAccount(r) : null;
  }

  async accountById(id: number): Promise<AccountRow | null> {
    const r = this.#stmts.accountById.get(id) as RawAccount | undefined;
    return r ? toAccount(r) : null;
  }

  async listAccounts(): Promise<AccountRow[]> {
    return (this.#stmts.listAccounts.all() as RawAccount[]).map(toAccount);
  }

  async countAccounts(): Promise<number> {
    return this.#stmts.countAccounts.get() as number;
  }

  async postTasks(accountId: number, tasks: readonly NewTask[]): Promise<PostOutcome> {
    const s = this.#stmts;
    return withBusyRetry(() =>
      this.#immediate((): PostOutcome => {
        const pay = fundInOrder(tasks, s.balance.get(accountId) as number);
        for (const t of pay.funded) {
          s.insertTask.run({
            ...t,
            payloadHash: t.payloadHash ?? null,
            accountId,
            webhookState: t.postbackUrl || t.pingbackUrl ? 'pending' : 'none',
          });
        }
        if (pay.spentMicro > 0) s.debit.run(pay.spentMicro, accountId);
        return { accepted: pay.accepted, balanceMicro: pay.balanceMicro };
      }),
    );
  }

  async insertLiveTask(accountId: number, task: NewTask, outcome: LiveOutcome): Promise<boolean> {
    const s = this.#stmts;
    return withBusyRetry(() =>
      this.#immediate((): boolean => {
        const balance = s.balance.get(accountId) as number | undefined;
        if (balance === undefined || task.costMicro > balance) return false;
        s.insertLive.run({
          id: task.id,
          accountId,
          se: task.se,
          seType: task.seType,
          statusCode: outcome.statusCode,
          statusMessage: outcome.statusMessage,
          priority: task.priority,
          tag: task.tag,
          data: task.data,
          costMicro: task.costMicro,
          postedAt: task.postedAt,
          runAfter: task.runAfter,
          completedAt: outcome.completedAt,
          readyJson: task.readyJson,
          method: outcome.method,
          payloadHash: task.payloadHash ?? null,
        });
        if (task.costMicro > 0) s.debit.run(task.costMicro, accountId);
        for (const r of outcome.results ?? []) s.insertResult.run(task.id, r.fn, r.body);
        return true;
      }),
    );
  }

  async listTaskIds(accountId: number, q: TaskIdQuery): Promise<TaskIdRow[]> {
    const stmt = q.sort === 'desc' ? this.#stmts.taskIdsDesc : this.#stmts.taskIdsAsc;
    const rows = stmt.all({ account: accountId, from: q.from, to: q.to, limit: q.limit, offset: q.offset }) as Array<{
      id: string;
      se: string;
      se_type: string;
      method: string;
      posted_at: number;
      completed_at: number | null;
      status_code: number | null;
      cost_micro: number;
      data: string;
    }>;
    return rows.map((r) => ({
      id: r.id,
      se: r.se,
      seType: r.se_type,
      fn: r.method,
      postedAt: r.posted_at,
      completedAt: r.completed_at,
      statusCode: r.status_code,
      costMicro: r.cost_micro,
      data: r.data,
    }));
  }

  async spentSince(accountId: number, since: number): Promise<number> {
    return this.#stmts.spentSince.get(accountId, since) as number;
  }

  async countDuplicates(accountId: number, payloadHash: string, since: number): Promise<number> {
    return this.#stmts.countDuplicates.get(accountId, payloadHash, since) as number;
  }

  async claimTasks(owner: string, now: number, leaseMs: number, limit: number): Promise<TaskRow[]> {
    const s = this.#stmts;
    return withBusyRetry(() =>
      this.#immediate(() => {
        const params = { owner, now, expires: now + leaseMs, limit };
        const rows = s.claimQueued.all(params) as RawTask[];
        if (rows.length < limit) rows.push(...(s.claimExpired.all({ ...params, limit: limit - rows.length }) as RawTask[]));
        return rows.map(toTask);
      }),
    );
  }

  async completeTasks(completions: readonly Completion[], now: number): Promise<number> {
    const s = this.#stmts;
    return withBusyRetry(() =>
      this.#immediate(() => {
        let n = 0;
        for (const c of completions) {
          const before = c.costMicro !== undefined ? (s.costOf.get(c.id) as number | undefined) : undefined;
          const row = s.complete.get({
            id: c.id,
            owner: c.leaseOwner,
            code: c.statusCode,
            message: c.statusMessage,
            now,
            cost: c.costMicro ?? null,
          }) as { account_id: number; cost_micro: number; postback_url: string | null; pingback_url: string | null } | undefined;
          if (!row) continue;
          n++;
          if (row.postback_url) s.insertDelivery.run(c.id, row.account_id, 'postback', row.postback_url, now, now);
          if (row.pingback_url) s.insertDelivery.run(c.id, row.account_id, 'pingback', row.pingback_url, now, now);
          // The final cost replaces the charge: the difference is refunded, or charged when it is higher.
          if (before !== undefined && before !== row.cost_micro) s.refund.run(before - row.cost_micro, row.account_id);
          for (const r of c.results ?? []) s.insertResult.run(c.id, r.fn, r.body);
        }
        return n;
      }),
    );
  }

  async nextDueAt(): Promise<number | null> {
    const q = this.#stmts.nextQueued.get() as number | null;
    const l = this.#stmts.nextLease.get() as number | null;
    if (q === null) return l;
    if (l === null) return q;
    return Math.min(q, l);
  }

  async queueStats(): Promise<QueueStats> {
    const r = this.#stmts.queueStats.get() as { queued: number; oldest: number | null; running: number; ready: number };
    return { queued: r.queued, running: r.running, oldestQueuedAt: r.oldest, ready: r.ready };
  }

  async completionsByMinute(since: number, until: number): Promise<MinuteCompletions[]> {
    return this.#dashboard.completionsByMinute(since, until);
  }

  async latestFailedTasks(since: number, limit: number): Promise<FailedTaskRow[]> {
    return this.#dashboard.latestFailedTasks(since, limit);
  }

  async latestFailedWebhooks(since: number, limit: number): Promise<FailedWebhookRow[]> {
    return this.#dashboard.latestFailedWebhooks(since, limit);
  }

  async listReady(accountId: number, scope: ReadyScope, since: number, limit: number): Promise<string[]> {
    return this.listReadySync(accountId, scope, since, limit);
  }

  readonly listReadySync = (accountId: number, scope: ReadyScope, since: number, limit: number): string[] => {
    const s = this.#stmts;
    const [stmt, args] =
      scope.se && scope.seType
        ? [s.readyType, [accountId, scope.se, scope.seType, since, limit]]
        : scope.se
          ? [s.readySe, [accountId, scope.se, since, limit]]
          : [s.readyAll, [accountId, since, limit]];
    // Most polls find nothing: a single-row step answers that in a third of the time `.all()` takes.
    if (stmt.get(...args) === undefined) return [];
    return stmt.all(...args) as string[];
  };

  readonly oldestReadySync = (accountId: number, scope: ReadyScope, since: number): number | null => {
    const s = this.#stmts;
    const at =
      scope.se && scope.seType
        ? s.oldestType.get(accountId, scope.se, scope.seType, since)
        : scope.se
          ? s.oldestSe.get(accountId, scope.se, since)
          : s.oldestAll.get(accountId, since);
    return (at as number | undefined) ?? null;
  };

  #stamp = { changes: -1, version: -1, n: 0 };
  readonly changeStampSync = (): number => {
    const st = this.#stamp;
    const changes = this.#stmts.ownChanges.get() as number;
    const version = this.#stmts.dataVersion.get() as number;
    if (changes !== st.changes || version !== st.version) {
      st.changes = changes;
      st.version = version;
      st.n++;
    }
    return st.n;
  };

  async taskById(id: string): Promise<TaskRow | null> {
    const r = this.#stmts.taskById.get(id) as RawTask | undefined;
    return r ? toTask(r) : null;
  }

  async tasksByIds(ids: readonly string[]): Promise<TaskRow[]> {
    // Point lookups on one prepared statement: as cheap as a set query here, and no SQL built per call.
    const out: TaskRow[] = [];
    for (const id of ids) {
      const r = this.#stmts.taskById.get(id) as RawTask | undefined;
      if (r) out.push(toTask(r));
    }
    return out;
  }

  async markCollected(id: string, now: number): Promise<void> {
    withBusyRetry(() => this.#stmts.markCollected.run(now, id));
  }

  async addResult(id: string, fn: string, body: Buffer): Promise<void> {
    withBusyRetry(() => this.#stmts.addResult.run(id, fn, body));
  }

  async resultOf(id: string, fn: string): Promise<Buffer | null> {
    return (this.#stmts.resultOf.get(id, fn) as Buffer | undefined) ?? null;
  }

  async reset(): Promise<void> {
    withBusyRetry(() =>
      this.#db.transaction(() => {
        for (const t of RESET_TABLES) this.#db.prepare(`DELETE FROM ${t}`).run();
      })(),
    );
  }

  async storedResults(q: StoredResultsQuery): Promise<StoredResultsRow[]> {
    const sql = storedResultsSql((n) => `@p${n}`, q.accountId !== undefined);
    const params: Record<string, unknown> = { p1: q.since, p2: q.after?.completedAt ?? -1, p3: q.after?.id ?? '', p4: q.limit };
    if (q.accountId !== undefined) params.p5 = q.accountId;
    const rows = this.#db.prepare(sql).all(params) as Array<{
      id: string;
      se: string;
      se_type: string;
      data: string;
      completed_at: number;
    }>;
    const results = this.#db.prepare('SELECT fn, body FROM task_results WHERE task_id = ? ORDER BY fn');
    return rows.map((r) => ({
      id: r.id,
      se: r.se,
      seType: r.se_type,
      data: r.data,
      completedAt: r.completed_at,
      results: results.all(r.id) as Array<{ fn: string; body: Buffer }>,
    }));
  }

  async claimDeliveries(
    owner: string,
    now: number,
    leaseMs: number,
    limit: number,
    skipHosts: readonly string[] = [],
  ): Promise<DeliveryJob[]> {
    return this.#deliveries.claim(owner, now, leaseMs, limit, skipHosts);
  }
  async claimDeliveriesOf(owner: string, taskIds: readonly string[], now: number, leaseMs: number): Promise<DeliveryJob[]> {
    return this.#deliveries.claimOf(owner, taskIds, now, leaseMs);
  }

  async releaseDeliveries(ids: readonly number[], owner: string, dueAt: number | null): Promise<void> {
    this.#deliveries.release(ids, owner, dueAt);
  }

  async recordAttempt(a: AttemptRecord): Promise<boolean> {
    return this.#deliveries.recordAttempt(a);
  }

  async recordAttempts(batch: readonly AttemptRecord[]): Promise<boolean[]> {
    return this.#deliveries.recordAttempts(batch);
  }

  async nextDeliveryAt(): Promise<number | null> {
    return this.#deliveries.nextAt();
  }

  async resendWebhooks(accountId: number, taskIds: readonly string[], now: number): Promise<boolean[]> {
    return this.#deliveries.resend(accountId, taskIds, now);
  }

  async listErrors(accountId: number, q: ErrorQuery): Promise<ErrorRow[]> {
    return this.#deliveries.listErrors(accountId, q);
  }

  async deliveriesOf(taskId: string): Promise<{ deliveries: DeliveryRow[]; attempts: AttemptRow[] }> {
    return this.#deliveries.of(taskId);
  }

  async purgeExpired(cut: RetentionCut, batch: number): Promise<number> {
    const s = this.#stmts;
    // One short write transaction per table: readers never wait long behind retention.
    let n = withBusyRetry(() => s.purgeResults.run(cut.resultsBefore, batch).changes);
    n += withBusyRetry(() => s.purgeAttempts.run(cut.attemptsBefore, batch).changes);
    // Never-collected tasks past the 3-day window leave the ready indexes (they stay retrievable).
    n += withBusyRetry(() => s.unlistStale.run(cut.readyBefore, batch).changes);
    n += withBusyRetry(() =>
      this.#immediate(() => {
        const ids = s.oldTasks.all(cut.tasksBefore, batch) as string[];
        for (const id of ids) {
          s.purgeTaskResults.run(id);
          s.purgeTaskDeliveries.run(id);
          s.purgeTask.run(id);
        }
        return ids.length;
      }),
    );
    return n;
  }

  async getSetting(key: string): Promise<string | null> {
    return (this.#stmts.getSetting.get(key) as string | undefined) ?? null;
  }

  async setSetting(key: string, value: string): Promise<void> {
    withBusyRetry(() => this.#stmts.setSetting.run(key, value));
  }

  async addToSetting(key: string, by: number): Promise<number> {
    return this.#owners.addToSetting(key, by);
  }

  // ---- claim owners --------------------------------------------------------------------------

  async registerOwner(owner: OwnerRow): Promise<void> {
    this.#owners.register(owner);
  }

  async heartbeat(owner: string, at: number, taskLeaseUntil: number, deliveryLeaseUntil: number): Promise<boolean> {
    return this.#owners.heartbeat(owner, at, taskLeaseUntil, deliveryLeaseUntil);
  }

  async listOwners(): Promise<OwnerRow[]> {
    return this.#owners.list();
  }

  async releaseOwners(ids: readonly string[]): Promise<number> {
    return this.#owners.release(ids);
  }

  // ---- relay ---------------------------------------------------------------------------------

  async relayRows(taskIds: readonly string[]): Promise<RelayRow[]> {
    return this.#relay.rows(taskIds);
  }

  async relayForwarding(tasks: readonly RelayForwarding[], at: number): Promise<void> {
    this.#relay.forwarding(tasks, at);
  }

  async relayForget(taskIds: readonly string[]): Promise<void> {
    this.#relay.forget(taskIds);
  }

  async relayForwarded(rows: readonly RelayAccepted[], owner: string, at: number, leaseUntil: number): Promise<number> {
    return this.#relay.forwarded(rows, owner, at, leaseUntil);
  }

  async relayDue(before: number, at: number, limit: number): Promise<RelayRow[]> {
    return this.#relay.due(before, at, limit);
  }

  async relayInFlight(): Promise<number> {
    return this.#relay.inFlight();
  }

  async relayCached(requestKey: string, since: number): Promise<RelayRow | null> {
    return this.#relay.cached(requestKey, since);
  }

  async relayLeaderOf(requestKey: string): Promise<string | null> {
    return this.#relay.leaderOf(requestKey);
  }

  async relayFollow(task: RelayForwarding, leaderId: string, owner: string, at: number, leaseUntil: number): Promise<boolean> {
    return this.#relay.follow(task, leaderId, owner, at, leaseUntil);
  }

  async relayCacheHit(task: RelayForwarding, leader: RelayRow, at: number): Promise<void> {
    this.#relay.cacheHit(task, leader, at);
  }

  async relayClose(leaderId: string): Promise<RelayRow[]> {
    return this.#relay.close(leaderId);
  }

  async relayOrphans(limit: number): Promise<RelayRow[]> {
    return this.#relay.orphans(limit);
  }

  async relayFinish(taskIds: readonly string[]): Promise<void> {
    this.#relay.finish(taskIds);
  }

  async relayUsage(accountId?: number): Promise<RelayUsage[]> {
    return this.#relay.usage(accountId);
  }

  async upstreamHit(kind: string, limit: number, now: number, windowMs: number): Promise<number> {
    return this.#relay.hit(kind, limit, now, windowMs);
  }

  async upstreamCallCount(kind: string, now: number, windowMs: number): Promise<number> {
    return this.#relay.callCount(kind, now, windowMs);
  }

  async upstreamEnter(slot: string, max: number, now: number, expiresAt: number): Promise<boolean> {
    return this.#relay.enter(slot, max, now, expiresAt);
  }

  async upstreamSlotIds(): Promise<string[]> {
    return this.#relay.slotIds();
  }

  async upstreamLeave(slot: string): Promise<void> {
    this.#relay.leave(slot);
  }

  async deferTasks(ids: readonly string[], owner: string, runAfter: number): Promise<void> {
    this.#relay.defer(ids, owner, runAfter);
  }
}
