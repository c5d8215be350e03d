import Database from 'better-sqlite3';
import { withBusyRetry } from '../map-db-error.js';
import { SQLITE_MIGRATIONS } from './migrations.js';
const STATES = ['queued', 'running', 'done'];
function toTask(r) {
    return {
        id: r.id,
        accountId: r.account_id,
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
        webhookState: r.webhook_state,
        listed: r.listed === 1,
    };
}
function toAccount(r) {
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
        createdAt: r.created_at,
    };
}
/**
 * The embedded store: better-sqlite3 in WAL mode. WAL with synchronous=NORMAL keeps every committed
 * transaction across a crash of the process (kill -9); only a power loss may drop the last commits,
 * which is the usual trade for an embedded default. One connection, one writer: statements are
 * prepared once and run synchronously, so a task_post transaction never interleaves with another.
 */
export class SqliteStore {
    kind = 'sqlite';
    #db;
    #stmts;
    constructor(options) {
        this.#db = new Database(options.path);
        this.#db.pragma('journal_mode = WAL');
        this.#db.pragma('synchronous = NORMAL');
        this.#db.pragma('busy_timeout = 5000');
        this.#db.pragma('cache_size = -65536');
        this.#db.pragma('temp_store = MEMORY');
    }
    /** The underlying connection, for tests and benchmarks that seed data in bulk. */
    get database() {
        return this.#db;
    }
    async migrate() {
        const db = this.#db;
        db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
        for (const m of SQLITE_MIGRATIONS) {
            // BEGIN IMMEDIATE takes the write lock first, so two processes migrating at once run one after
            // the other and the second sees the first's row.
            withBusyRetry(() => db.transaction(() => {
                const done = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(m.version);
                if (done)
                    return;
                db.exec(m.sql);
                db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
            }).immediate());
        }
        this.#stmts = this.prepare();
    }
    prepare() {
        const db = this.#db;
        const readyCols = 'ready_json';
        const readyWhere = 'listed = 1 AND collected_at IS NULL AND completed_at >= ?';
        return {
            insertAccount: db.prepare(`INSERT INTO accounts (login, password_hash, balance_micro, total_deposits_micro, tasks_ready_per_minute, requests_per_minute, concurrent_requests, created_at)
         VALUES (@login, @passwordHash, @balance, @balance, @trpm, @rpm, @cc, @createdAt) RETURNING *`),
            accountByLogin: db.prepare('SELECT * FROM accounts WHERE login = ?'),
            accountById: db.prepare('SELECT * FROM accounts WHERE id = ?'),
            listAccounts: db.prepare('SELECT * FROM accounts ORDER BY id'),
            countAccounts: db.prepare('SELECT count(*) AS n FROM accounts').pluck(),
            balance: db.prepare('SELECT balance_micro FROM accounts WHERE id = ?').pluck(),
            debit: db.prepare('UPDATE accounts SET balance_micro = balance_micro - ? WHERE id = ?'),
            insertTask: db.prepare(`INSERT INTO tasks (id, account_id, se, se_type, priority, tag, data, postback_url, postback_data, pingback_url, cost_micro, posted_at, run_after, ready_json, webhook_state)
         VALUES (@id, @accountId, @se, @seType, @priority, @tag, @data, @postbackUrl, @postbackData, @pingbackUrl, @costMicro, @postedAt, @runAfter, @readyJson, @webhookState)`),
            // Claim: due queued tasks in run_after order, then expired leases (a crashed worker's tasks).
            claimQueued: db.prepare(`UPDATE tasks SET state = 1, lease_owner = @owner, lease_expires_at = @expires, attempts = attempts + 1
         WHERE id IN (SELECT id FROM tasks WHERE state = 0 AND run_after <= @now ORDER BY run_after LIMIT @limit)
         RETURNING *`),
            claimExpired: db.prepare(`UPDATE tasks SET lease_owner = @owner, lease_expires_at = @expires, attempts = attempts + 1
         WHERE id IN (SELECT id FROM tasks WHERE state = 1 AND lease_expires_at < @now ORDER BY lease_expires_at LIMIT @limit)
         RETURNING *`),
            // Completion is a compare-and-set on the lease: a worker whose lease expired and was taken over
            // cannot complete the task a second time.
            complete: db.prepare(`UPDATE tasks SET state = 2, status_code = @code, status_message = @message, completed_at = @now,
           lease_owner = NULL, lease_expires_at = NULL,
           cost_micro = coalesce(@cost, cost_micro),
           listed = CASE WHEN postback_url IS NULL THEN 1 ELSE 0 END
         WHERE id = @id AND state = 1 AND lease_owner = @owner
         RETURNING account_id, cost_micro`),
            refund: db.prepare('UPDATE accounts SET balance_micro = balance_micro + ? WHERE id = ?'),
            costOf: db.prepare('SELECT cost_micro FROM tasks WHERE id = ?').pluck(),
            insertResult: db.prepare('INSERT OR REPLACE INTO task_results (task_id, fn, body) VALUES (?, ?, ?)'),
            nextQueued: db.prepare('SELECT min(run_after) FROM tasks WHERE state = 0').pluck(),
            nextLease: db.prepare('SELECT min(lease_expires_at) FROM tasks WHERE state = 1').pluck(),
            readyAll: db.prepare(`SELECT ${readyCols} FROM tasks INDEXED BY tasks_ready_all WHERE account_id = ? AND ${readyWhere} ORDER BY completed_at LIMIT ?`).pluck(),
            readySe: db.prepare(`SELECT ${readyCols} FROM tasks INDEXED BY tasks_ready_se WHERE account_id = ? AND se = ? AND ${readyWhere} ORDER BY completed_at LIMIT ?`).pluck(),
            readyType: db.prepare(`SELECT ${readyCols} FROM tasks INDEXED BY tasks_ready_type WHERE account_id = ? AND se = ? AND se_type = ? AND ${readyWhere} ORDER BY completed_at LIMIT ?`).pluck(),
            taskById: db.prepare('SELECT * FROM tasks WHERE id = ?'),
            markCollected: db.prepare('UPDATE tasks SET collected_at = ? WHERE id = ? AND collected_at IS NULL'),
            resultOf: db.prepare('SELECT body FROM task_results WHERE task_id = ? AND fn = ?').pluck(),
        };
    }
    async close() {
        if (this.#db.open)
            this.#db.close();
    }
    async ping() {
        return this.#db.open && this.#db.prepare('SELECT 1').pluck().get() === 1;
    }
    async createAccount(a) {
        const row = this.#stmts.insertAccount.get({
            login: a.login,
            passwordHash: a.passwordHash,
            balance: a.balanceMicro,
            trpm: a.limits.tasksReadyPerMinute,
            rpm: a.limits.requestsPerMinute,
            cc: a.limits.concurrentRequests,
            createdAt: a.createdAt,
        });
        return toAccount(row);
    }
    async updateAccount(login, patch) {
        const sets = [];
        const params = { login };
        if (patch.passwordHash !== undefined) {
            sets.push('password_hash = @passwordHash');
            params.passwordHash = patch.passwordHash;
        }
        if (patch.balanceMicro !== undefined) {
            // A raised balance counts as a deposit (user_data money.total).
            sets.push('total_deposits_micro = total_deposits_micro + max(0, @balance - balance_micro)', 'balance_micro = @balance');
            params.balance = patch.balanceMicro;
        }
        const limitCols = {
            tasksReadyPerMinute: 'tasks_ready_per_minute',
            requestsPerMinute: 'requests_per_minute',
            concurrentRequests: 'concurrent_requests',
        };
        for (const [k, col] of Object.entries(limitCols)) {
            const v = patch.limits?.[k];
            if (v !== undefined) {
                sets.push(`${col} = @${k}`);
                params[k] = v;
            }
        }
        if (sets.length === 0)
            return this.accountByLogin(login);
        const row = this.#db.prepare(`UPDATE accounts SET ${sets.join(', ')} WHERE login = @login RETURNING *`).get(params);
        return row ? toAccount(row) : null;
    }
    async accountByLogin(login) {
        const r = this.#stmts.accountByLogin.get(login);
        return r ? toAccount(r) : null;
    }
    async accountById(id) {
        const r = this.#stmts.accountById.get(id);
        return r ? toAccount(r) : null;
    }
    async listAccounts() {
        return this.#stmts.listAccounts.all().map(toAccount);
    }
    async countAccounts() {
        return this.#stmts.countAccounts.get();
    }
    async postTasks(accountId, tasks) {
        const s = this.#stmts;
        return withBusyRetry(() => this.#db
            .transaction(() => {
            let balance = s.balance.get(accountId);
            let spent = 0;
            const accepted = [];
            for (const t of tasks) {
                if (t.costMicro > balance) {
                    accepted.push(false);
                    continue;
                }
                balance -= t.costMicro;
                spent += t.costMicro;
                s.insertTask.run({
                    ...t,
                    accountId,
                    webhookState: t.postbackUrl || t.pingbackUrl ? 'pending' : 'none',
                });
                accepted.push(true);
            }
            if (spent > 0)
                s.debit.run(spent, accountId);
            return { accepted, balanceMicro: balance };
        })
            .immediate());
    }
    async claimTasks(owner, now, leaseMs, limit) {
        const s = this.#stmts;
        return withBusyRetry(() => this.#db
            .transaction(() => {
            const params = { owner, now, expires: now + leaseMs, limit };
            const rows = s.claimQueued.all(params);
            if (rows.length < limit)
                rows.push(...s.claimExpired.all({ ...params, limit: limit - rows.length }));
            return rows.map(toTask);
        })
            .immediate());
    }
    async completeTasks(completions, now) {
        const s = this.#stmts;
        return withBusyRetry(() => this.#db
            .transaction(() => {
            let n = 0;
            for (const c of completions) {
                const before = c.costMicro !== undefined ? s.costOf.get(c.id) : undefined;
                const row = s.complete.get({
                    id: c.id,
                    owner: c.leaseOwner,
                    code: c.statusCode,
                    message: c.statusMessage,
                    now,
                    cost: c.costMicro ?? null,
                });
                if (!row)
                    continue;
                n++;
                if (before !== undefined && before > row.cost_micro)
                    s.refund.run(before - row.cost_micro, row.account_id);
                for (const r of c.results ?? [])
                    s.insertResult.run(c.id, r.fn, r.body);
            }
            return n;
        })
            .immediate());
    }
    async nextDueAt() {
        const q = this.#stmts.nextQueued.get();
        const l = this.#stmts.nextLease.get();
        if (q === null)
            return l;
        if (l === null)
            return q;
        return Math.min(q, l);
    }
    async listReady(accountId, scope, since, limit) {
        const s = this.#stmts;
        if (scope.se && scope.seType)
            return s.readyType.all(accountId, scope.se, scope.seType, since, limit);
        if (scope.se)
            return s.readySe.all(accountId, scope.se, since, limit);
        return s.readyAll.all(accountId, since, limit);
    }
    async taskById(id) {
        const r = this.#stmts.taskById.get(id);
        return r ? toTask(r) : null;
    }
    async markCollected(id, now) {
        withBusyRetry(() => this.#stmts.markCollected.run(now, id));
    }
    async resultOf(id, fn) {
        return this.#stmts.resultOf.get(id, fn) ?? null;
    }
}
