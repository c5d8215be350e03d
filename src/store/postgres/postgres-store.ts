import { TASK_STATE } from '../../domain/task.js';
import pg from 'pg';
import type { ClientConfig, PoolClient, QueryResult, QueryResultRow } from 'pg';
import type {
  AccountPatch,
  AccountRow,
  AttemptRecord,
  AttemptRow,
  Completion,
  CounterHit,
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
  StoreListeners,
  TaskIdQuery,
  TaskIdRow,
  TaskRow,
  QueueStats,
  FailedTaskRow,
  FailedWebhookRow,
  MinuteCompletions,
} from '../store.js';
import { isRetryableDbError } from '../map-db-error.js';
import { type StoreFailureListener, createStoreFailures } from '../store-failures.js';
import { type Channels, listenTo } from './listener.js';
import { MAX_ATTEMPTS, SCHEMA_NAME, TYPES, backoff, channelName, parsePostgresUrl, quoteIdent } from './connection.js';
import * as deliveries from './deliveries.js';
import * as owners from './owners.js';
import * as relay from './relay.js';
import * as accounts from './accounts.js';
import * as results from './results.js';
import { countHits } from './counters.js';
import * as dashboard from './dashboard.js';
import { MIGRATION_LOCK_KEY, PG_MIGRATIONS, PG_SCHEMA_MIGRATIONS_DDL } from './migrations.js';
import { fundInOrder } from '../../domain/pricing.js';
import { type RawTask, toTask } from '../row-mappers.js';

export { parsePostgresUrl, quoteIdent };

export interface PostgresStoreOptions {
  /**
   * A postgres:// or postgresql:// URL as pg accepts it, plus serpq's own `?schema=<name>` parameter:
   * every connection then uses that schema (search_path), created by migrate() if missing. The
   * parameter is removed before the URL is given to pg.
   */
  readonly url: string;
  /** Overrides `?schema=` of the URL. Letters, digits and underscores, at most 63 characters. */
  readonly schema?: string;
  /** Connections in the pool (default 10). */
  readonly poolSize?: number;
}

/**
 * The PostgreSQL store: the same schema and semantics as the SQLite store, for several serpq
 * processes sharing one database. Every hot path is one statement or one short transaction, and is
 * safe under concurrency: claims take rows with FOR UPDATE SKIP LOCKED, completion is a
 * compare-and-set on the lease, and task_post locks the account row while it debits. Statements run
 * under READ COMMITTED; deadlocks and serialization failures are retried a few times.
 *
 * Wake-ups: postTasks NOTIFYs `serpq_tasks`, and completions that write outbox rows as well as
 * resendWebhooks NOTIFY `serpq_deliveries` (schema-qualified when a schema is set); `listen()` relays
 * them. Every completion also NOTIFYs `serpq_ready`, for whoever waits for tasks to become ready. The notifications are sent with the commit (pg_notify inside the transaction).
 */
export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  readonly #pool: pg.Pool;
  readonly #clientConfig: ClientConfig;
  readonly #counterPool: pg.Pool;
  readonly #schema: string | null;
  readonly #channels: Channels;
  readonly #listeners = new Set<() => Promise<void>>();
  readonly #failures = createStoreFailures('postgres');

  constructor(options: PostgresStoreOptions) {
    const parsed = parsePostgresUrl(options.url);
    const schema = options.schema ?? parsed.schema;
    if (schema !== null && !SCHEMA_NAME.test(schema)) {
      throw new Error(`invalid PostgreSQL schema name '${schema}': use letters, digits and underscores (at most 63)`);
    }
    this.#schema = schema;
    const pgOptions = [parsed.options, schema ? `-c search_path=${quoteIdent(schema)}` : null].filter(Boolean).join(' ');
    this.#clientConfig = {
      connectionString: parsed.connectionString,
      types: TYPES,
      ...(pgOptions ? { options: pgOptions } : {}),
    };
    this.#pool = new pg.Pool({ ...this.#clientConfig, max: options.poolSize ?? 10 });
    // An idle connection that breaks (server restart) is dropped by the pool; without a listener the
    // 'error' event would crash the process. No caller sees it: it is reported (store-failures.ts).
    this.#pool.on('error', (err) => this.#failures.report('pool', 'main', err));
    // Rate-limit counters do not need to reach disk before the answer: a crash loses at most the
    // last moments of counts. A small pool of its own commits them asynchronously.
    this.#counterPool = new pg.Pool({
      ...this.#clientConfig,
      options: [pgOptions, '-c synchronous_commit=off'].filter(Boolean).join(' '),
      max: 2,
    });
    this.#counterPool.on('error', (err) => this.#failures.report('pool', 'counters', err));
    this.#channels = {
      tasks: channelName('serpq_tasks', schema),
      deliveries: channelName('serpq_deliveries', schema),
      ready: channelName('serpq_ready', schema),
      settings: channelName('serpq_settings', schema),
    };
  }

  /** The schema every connection uses (null: the server's default search_path). */
  get schema(): string | null {
    return this.#schema;
  }

  /** Capability (store-failures.ts): failures no caller sees, such as an idle connection that broke. */
  observeFailures(listener: StoreFailureListener): void {
    this.#failures.observeFailures(listener);
  }

  /** The underlying pool, for tests and benchmarks that seed data in bulk. */
  get pool(): pg.Pool {
    return this.#pool;
  }

  /** One statement (autocommit: atomic on its own), retried on deadlock / serialization failure. */
  async #query<R extends QueryResultRow>(name: string | undefined, text: string, values: unknown[] = []): Promise<QueryResult<R>> {
    for (let i = 1; ; i++) {
      try {
        return await this.#pool.query<R>(name ? { name, text, values } : { text, values });
      } catch (err) {
        if (i >= MAX_ATTEMPTS || !isRetryableDbError(err)) throw err;
        await backoff(i);
      }
    }
  }

  /** A transaction on one pooled connection, retried as a whole on deadlock / serialization failure. */
  async #tx<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    for (let i = 1; ; i++) {
      const client = await this.#pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const out = await fn(client);
        await client.query('COMMIT');
        return out;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        if (i >= MAX_ATTEMPTS || !isRetryableDbError(err)) throw err;
      } finally {
        client.release(broken);
      }
      await backoff(i);
    }
  }

  async migrate(): Promise<void> {
    const schema = this.#schema;
    await this.#tx(async (c) => {
      // Several processes may start at once: the lock makes them migrate one after the other, and
      // it is released with the transaction.
      await c.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
      if (schema) {
        await c.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
        await c.query(`SET LOCAL search_path TO ${quoteIdent(schema)}`);
      }
      await c.query(PG_SCHEMA_MIGRATIONS_DDL);
      const done = new Set((await c.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
      for (const m of PG_MIGRATIONS) {
        if (done.has(m.version)) continue;
        await c.query(m.sql);
        await c.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, Date.now()]);
      }
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.#listeners].map((stop) => stop()));
    if (!this.#counterPool.ended) await this.#counterPool.end();
    if (!this.#pool.ended) await this.#pool.end();
  }

  async ping(): Promise<boolean> {
    try {
      const r = await this.#pool.query<{ one: number }>('SELECT 1 AS one');
      return r.rows[0]?.one === 1;
    } catch {
      return false;
    }
  }

  // ---- accounts (accounts.ts) ---------------------------------------------------------------

  createAccount(a: NewAccount): Promise<AccountRow> {
    return accounts.createAccount(this.#q, a);
  }

  updateAccount(login: string, patch: AccountPatch): Promise<AccountRow | null> {
    return accounts.updateAccount(this.#q, login, patch);
  }

  accountByLogin(login: string): Promise<AccountRow | null> {
    return accounts.accountByLogin(this.#q, login);
  }

  accountById(id: number): Promise<AccountRow | null> {
    return accounts.accountById(this.#q, id);
  }

  listAccounts(): Promise<AccountRow[]> {
    return accounts.listAccounts(this.#q);
  }

  countAccounts(): Promise<number> {
    return accounts.countAccounts(this.#q);
  }

  // ---- tasks ---------------------------------------------------------------------------------

  async postTasks(accountId: number, tasks: readonly NewTask[]): Promise<PostOutcome> {
    return this.#tx(async (c) => {
      // The account row lock serializes task_post calls of one account across processes; calls of
      // different accounts do not wait for each other.
      const b = await c.query<{ balance_micro: number }>({
        name: 'serpq_balance_for_update',
        text: 'SELECT balance_micro FROM accounts WHERE id = $1 FOR UPDATE',
        values: [accountId],
      });
      if (!b.rows[0]) throw new Error(`postTasks: no account ${accountId}`);
      const { accepted, funded: picked, spentMicro: spent, balanceMicro: balance } = fundInOrder(tasks, b.rows[0].balance_micro);
      if (picked.length > 0) {
        // One statement: every accepted row from arrays, the debit, and the wake-up (sent at commit).
        await c.query({
          name: 'serpq_post_tasks',
          text: `WITH ins AS (
              INSERT INTO tasks (id, account_id, se, se_type, priority, tag, data, postback_url, postback_data, pingback_url,
                                 cost_micro, posted_at, run_after, ready_json, webhook_state, payload_hash)
              SELECT u.id, $15::bigint, u.se, u.se_type, u.priority, u.tag, u.data, u.postback_url, u.postback_data, u.pingback_url,
                     u.cost_micro, u.posted_at, u.run_after, u.ready_json, u.webhook_state, u.payload_hash
              FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                          $10::bigint[], $11::bigint[], $12::bigint[], $13::text[], $14::text[], $18::text[])
                AS u(id, se, se_type, priority, tag, data, postback_url, postback_data, pingback_url,
                     cost_micro, posted_at, run_after, ready_json, webhook_state, payload_hash)
              RETURNING 1
            ), debit AS (
              UPDATE accounts SET balance_micro = balance_micro - $16::bigint WHERE id = $15::bigint
            )
            SELECT (SELECT count(*) FROM ins) AS n, pg_notify($17, '')`,
          values: [
            picked.map((t) => t.id),
            picked.map((t) => t.se),
            picked.map((t) => t.seType),
            picked.map((t) => t.priority),
            picked.map((t) => t.tag),
            picked.map((t) => t.data),
            picked.map((t) => t.postbackUrl),
            picked.map((t) => t.postbackData),
            picked.map((t) => t.pingbackUrl),
            picked.map((t) => t.costMicro),
            picked.map((t) => t.postedAt),
            picked.map((t) => t.runAfter),
            picked.map((t) => t.readyJson),
            picked.map((t) => (t.postbackUrl || t.pingbackUrl ? 'pending' : 'none')),
            accountId,
            spent,
            this.#channels.tasks,
            picked.map((t) => t.payloadHash ?? null),
          ],
        });
      }
      return { accepted, balanceMicro: balance };
    });
  }

  async insertLiveTask(accountId: number, task: NewTask, outcome: LiveOutcome): Promise<boolean> {
    const results = outcome.results ?? [];
    // One statement, so one transaction: the conditional debit (the row lock serializes it with
    // task_post calls of the account), the completed task, its results. Nothing when the balance
    // does not cover the cost.
    const r = await this.#query<{ n: number }>(
      'serpq_insert_live_task',
      `WITH debit AS (
         UPDATE accounts SET balance_micro = balance_micro - $11::bigint
         WHERE id = $1::bigint AND balance_micro >= $11::bigint
         RETURNING id
       ), ins AS (
         INSERT INTO tasks (id, account_id, se, se_type, state, status_code, status_message, priority, tag, data,
                            cost_micro, posted_at, run_after, completed_at, collected_at, ready_json, webhook_state, listed, method, payload_hash)
         SELECT $2::text, $1::bigint, $3::text, $4::text, 2, $5::int, $6::text, $7::int, $8::text, $9::text,
                $11::bigint, $12::bigint, $13::bigint, $14::bigint, $14::bigint, $10::text, 'none', false, $15::text, $16::text
         FROM debit
         RETURNING id
       ), stored AS (
         INSERT INTO task_results (task_id, fn, body)
         SELECT ins.id, r.fn, r.body FROM ins, unnest($17::text[], $18::bytea[]) AS r(fn, body)
         ON CONFLICT (task_id, fn) DO UPDATE SET body = excluded.body
       )
       SELECT count(*)::int AS n FROM ins`,
      [
        accountId,
        task.id,
        task.se,
        task.seType,
        outcome.statusCode,
        outcome.statusMessage,
        task.priority,
        task.tag,
        task.data,
        task.readyJson,
        task.costMicro,
        task.postedAt,
        task.runAfter,
        outcome.completedAt,
        outcome.method,
        task.payloadHash ?? null,
        results.map((x) => x.fn),
        results.map((x) => x.body),
      ],
    );
    return r.rows[0].n > 0;
  }

  async listTaskIds(accountId: number, q: TaskIdQuery): Promise<TaskIdRow[]> {
    const order = q.sort === 'desc' ? 'posted_at DESC, id COLLATE "C" DESC' : 'posted_at, id COLLATE "C"';
    const r = await this.#query<{
      id: string;
      se: string;
      se_type: string;
      method: string;
      posted_at: number;
      completed_at: number | null;
      status_code: number | null;
      cost_micro: number;
      data: string;
    }>(
      q.sort === 'desc' ? 'serpq_task_ids_desc' : 'serpq_task_ids_asc',
      `SELECT id, se, se_type, method, posted_at, completed_at, status_code, cost_micro, data FROM tasks
       WHERE account_id = $1 AND posted_at >= $2 AND posted_at <= $3 ORDER BY ${order} LIMIT $4 OFFSET $5`,
      [accountId, q.from, q.to, q.limit, q.offset],
    );
    return r.rows.map((x) => ({
      id: x.id,
      se: x.se,
      seType: x.se_type,
      fn: x.method,
      postedAt: x.posted_at,
      completedAt: x.completed_at,
      statusCode: x.status_code,
      costMicro: x.cost_micro,
      data: x.data,
    }));
  }

  async spentSince(accountId: number, since: number): Promise<number> {
    const r = await this.#query<{ n: number }>(
      'serpq_spent_since',
      'SELECT coalesce(sum(cost_micro), 0)::bigint AS n FROM tasks WHERE account_id = $1 AND posted_at >= $2',
      [accountId, since],
    );
    return r.rows[0].n;
  }

  async countDuplicates(accountId: number, payloadHash: string, since: number): Promise<number> {
    const r = await this.#query<{ n: number }>(
      'serpq_count_duplicates',
      'SELECT count(*)::int AS n FROM tasks WHERE account_id = $1 AND payload_hash = $2 AND posted_at >= $3',
      [accountId, payloadHash, since],
    );
    return r.rows[0].n;
  }

  async claimTasks(owner: string, now: number, leaseMs: number, limit: number): Promise<TaskRow[]> {
    if (limit <= 0) return [];
    const params = [owner, now, now + leaseMs, limit];
    // Due queued tasks in run_after order, then expired leases (a crashed worker's tasks). SKIP LOCKED:
    // concurrent claimers take disjoint rows without waiting for each other. Each is one statement.
    const rows = (
      await this.#query<RawTask>(
        'serpq_claim_queued',
        `WITH c AS MATERIALIZED (
           SELECT id FROM tasks WHERE state = ${TASK_STATE.queued} AND run_after <= $2 ORDER BY run_after LIMIT $4 FOR UPDATE SKIP LOCKED
         )
         UPDATE tasks t SET state = ${TASK_STATE.running}, lease_owner = $1, lease_expires_at = $3, attempts = t.attempts + 1
         FROM c WHERE t.id = c.id
         RETURNING t.*`,
        params,
      )
    ).rows;
    if (rows.length < limit) {
      params[3] = limit - rows.length;
      const expired = await this.#query<RawTask>(
        'serpq_claim_expired',
        `WITH c AS MATERIALIZED (
           SELECT id FROM tasks WHERE state = ${TASK_STATE.running} AND lease_expires_at < $2 ORDER BY lease_expires_at LIMIT $4 FOR UPDATE SKIP LOCKED
         )
         UPDATE tasks t SET lease_owner = $1, lease_expires_at = $3, attempts = t.attempts + 1
         FROM c WHERE t.id = c.id
         RETURNING t.*`,
        params,
      );
      rows.push(...expired.rows);
    }
    return rows.map(toTask);
  }

  async completeTasks(completions: readonly Completion[], now: number): Promise<number> {
    // The first completion of an id wins, as in SQLite (a second one fails the lease check there).
    const seen = new Set<string>();
    const list = completions.filter((c) => !seen.has(c.id) && seen.add(c.id));
    if (list.length === 0) return 0;
    const results = list.flatMap((c) => (c.results ?? []).map((r) => ({ id: c.id, fn: r.fn, body: r.body })));
    // One statement, so one transaction: lock the tasks whose lease the completer still holds (in id
    // order), complete them (compare-and-set on state and lease owner: a worker whose lease expired
    // and was taken over completes nothing), write their outbox rows, settle changed costs (refund or charge the difference), store
    // results, and wake the dispatchers when outbox rows were written (NOTIFY is sent at commit).
    // "Running" is written `lease_owner = owner AND state <> 2` (a lease owner is only ever set on a
    // running task): spelled `state = 1`, it lets the planner pick the partial lease index, whose
    // statistics lag behind bursts of claims (autovacuum), and scan every running task per
    // completion; this way the rows are found through the primary key.
    const r = await this.#query<{ n: number }>(
      'serpq_complete_tasks',
      `WITH c AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::bigint[]) AS c(id, owner, code, message, cost)
       ), prev AS MATERIALIZED (
         SELECT t.id, t.cost_micro FROM tasks t JOIN c ON c.id = t.id
         WHERE t.lease_owner = c.owner AND t.state <> ${TASK_STATE.done}
         ORDER BY t.id FOR UPDATE OF t
       ), done AS (
         UPDATE tasks t SET state = ${TASK_STATE.done}, status_code = c.code, status_message = c.message, completed_at = $6::bigint,
           lease_owner = NULL, lease_expires_at = NULL, cost_micro = coalesce(c.cost, t.cost_micro),
           listed = t.postback_url IS NULL
         FROM c, prev
         WHERE t.id = c.id AND prev.id = t.id AND t.lease_owner = c.owner AND t.state <> ${TASK_STATE.done}
         RETURNING t.id, t.account_id, prev.cost_micro AS before, t.cost_micro AS after, t.postback_url, t.pingback_url
       ), outbox AS (
         INSERT INTO webhook_deliveries (task_id, account_id, kind, url, host, next_attempt_at, created_at)
         SELECT id, account_id, 'postback', postback_url, webhook_host(postback_url), $6::bigint, $6::bigint FROM done WHERE postback_url <> ''
         UNION ALL
         SELECT id, account_id, 'pingback', pingback_url, webhook_host(pingback_url), $6::bigint, $6::bigint FROM done WHERE pingback_url <> ''
         ON CONFLICT (task_id, kind) DO NOTHING
         RETURNING 1
       ), refund AS (
         UPDATE accounts a SET balance_micro = a.balance_micro + r.amount
         FROM (SELECT account_id, sum(before - after)::bigint AS amount FROM done WHERE before <> after GROUP BY account_id) r
         WHERE a.id = r.account_id
       ), stored AS (
         INSERT INTO task_results (task_id, fn, body)
         SELECT r.task_id, r.fn, r.body FROM unnest($7::text[], $8::text[], $9::bytea[]) AS r(task_id, fn, body)
         WHERE r.task_id IN (SELECT id FROM done)
         ON CONFLICT (task_id, fn) DO UPDATE SET body = excluded.body
       ), wake AS (
         SELECT pg_notify($10, '') FROM (SELECT 1 FROM outbox LIMIT 1) x
       ), ready AS (
         SELECT pg_notify($11, '') FROM (SELECT 1 FROM done LIMIT 1) x
       )
       SELECT (SELECT count(*) FROM done)::int AS n, (SELECT count(*) FROM wake)::int AS woke, (SELECT count(*) FROM ready)::int AS readied`,
      [
        list.map((c) => c.id),
        list.map((c) => c.leaseOwner),
        list.map((c) => c.statusCode),
        list.map((c) => c.statusMessage),
        list.map((c) => c.costMicro ?? null),
        now,
        results.map((x) => x.id),
        results.map((x) => x.fn),
        results.map((x) => x.body),
        this.#channels.deliveries,
        this.#channels.ready,
      ],
    );
    return r.rows[0].n;
  }

  async nextDueAt(): Promise<number | null> {
    const r = await this.#query<{ q: number | null; l: number | null }>(
      'serpq_next_due',
      `SELECT (SELECT min(run_after) FROM tasks WHERE state = ${TASK_STATE.queued}) AS q, (SELECT min(lease_expires_at) FROM tasks WHERE state = ${TASK_STATE.running}) AS l`,
    );
    const { q, l } = r.rows[0];
    if (q === null) return l;
    if (l === null) return q;
    return Math.min(q, l);
  }

  async queueStats(): Promise<QueueStats> {
    // Each part reads a partial index (the queue, the leases, the ready set), never the whole table.
    const r = await this.#query<{ queued: number; oldest: number | null; running: number; ready: number }>(
      'serpq_queue_stats',
      `SELECT (SELECT count(*)::int FROM tasks WHERE state = ${TASK_STATE.queued}) AS queued,
              (SELECT min(posted_at) FROM tasks WHERE state = ${TASK_STATE.queued}) AS oldest,
              (SELECT count(*)::int FROM tasks WHERE state = ${TASK_STATE.running}) AS running,
              (SELECT count(*)::int FROM tasks WHERE listed AND collected_at IS NULL) AS ready`,
    );
    const row = r.rows[0];
    return { queued: row.queued, running: row.running, oldestQueuedAt: row.oldest === null ? null : Number(row.oldest), ready: row.ready };
  }

  completionsByMinute(since: number, until: number): Promise<MinuteCompletions[]> {
    return dashboard.completionsByMinute(this.#q, since, until);
  }

  latestFailedTasks(since: number, limit: number): Promise<FailedTaskRow[]> {
    return dashboard.latestFailedTasks(this.#q, since, limit);
  }

  latestFailedWebhooks(since: number, limit: number): Promise<FailedWebhookRow[]> {
    return dashboard.latestFailedWebhooks(this.#q, since, limit);
  }

  async listReady(accountId: number, scope: ReadyScope, since: number, limit: number): Promise<string[]> {
    // Each scope is a range scan of its partial covering index (INCLUDE ready_json).
    const where = 'listed AND collected_at IS NULL';
    let r: QueryResult<{ ready_json: string }>;
    if (scope.se && scope.seType) {
      r = await this.#query(
        'serpq_ready_type',
        `SELECT ready_json FROM tasks WHERE account_id = $1 AND se = $2 AND se_type = $3 AND ${where} AND completed_at >= $4 ORDER BY completed_at LIMIT $5`,
        [accountId, scope.se, scope.seType, since, limit],
      );
    } else if (scope.se) {
      r = await this.#query(
        'serpq_ready_se',
        `SELECT ready_json FROM tasks WHERE account_id = $1 AND se = $2 AND ${where} AND completed_at >= $3 ORDER BY completed_at LIMIT $4`,
        [accountId, scope.se, since, limit],
      );
    } else {
      r = await this.#query(
        'serpq_ready_all',
        `SELECT ready_json FROM tasks WHERE account_id = $1 AND ${where} AND completed_at >= $2 ORDER BY completed_at LIMIT $3`,
        [accountId, since, limit],
      );
    }
    return r.rows.map((x) => x.ready_json);
  }

  async taskById(id: string): Promise<TaskRow | null> {
    const r = await this.#query<RawTask>('serpq_task_by_id', 'SELECT * FROM tasks WHERE id = $1', [id]);
    return r.rows[0] ? toTask(r.rows[0]) : null;
  }

  async tasksByIds(ids: readonly string[]): Promise<TaskRow[]> {
    if (ids.length === 0) return [];
    const r = await this.#query<RawTask>('serpq_tasks_by_ids', 'SELECT * FROM tasks WHERE id = ANY($1::text[])', [ids]);
    return r.rows.map(toTask);
  }

  async markCollected(id: string, now: number): Promise<void> {
    await this.#query('serpq_mark_collected', 'UPDATE tasks SET collected_at = $1 WHERE id = $2 AND collected_at IS NULL', [now, id]);
  }

  async addResult(id: string, fn: string, body: Buffer): Promise<void> {
    await this.#query(
      'serpq_add_result',
      'INSERT INTO task_results (task_id, fn, body) VALUES ($1, $2, $3) ON CONFLICT (task_id, fn) DO NOTHING',
      [id, fn, body],
    );
  }

  async resultOf(id: string, fn: string): Promise<Buffer | null> {
    const r = await this.#query<{ body: Buffer }>('serpq_result_of', 'SELECT body FROM task_results WHERE task_id = $1 AND fn = $2', [
      id,
      fn,
    ]);
    return r.rows[0]?.body ?? null;
  }

  async reset(): Promise<void> {
    await results.reset(this.#q);
  }

  storedResults(q: StoredResultsQuery): Promise<StoredResultsRow[]> {
    return results.storedResults(this.#q, q);
  }

  // ---- webhooks ------------------------------------------------------------------------------

  async claimDeliveries(
    owner: string,
    now: number,
    leaseMs: number,
    limit: number,
    skipHosts: readonly string[] = [],
  ): Promise<DeliveryJob[]> {
    return deliveries.claimDeliveries(this.#q, owner, now, leaseMs, limit, skipHosts);
  }
  async claimDeliveriesOf(owner: string, taskIds: readonly string[], now: number, leaseMs: number): Promise<DeliveryJob[]> {
    return deliveries.claimDeliveriesOf(this.#q, owner, taskIds, now, leaseMs);
  }

  async releaseDeliveries(ids: readonly number[], owner: string, dueAt: number | null): Promise<void> {
    await deliveries.releaseDeliveries(this.#q, ids, owner, dueAt);
  }

  async recordAttempt(a: AttemptRecord): Promise<boolean> {
    return deliveries.recordAttempt(this.#q, a);
  }

  async recordAttempts(batch: readonly AttemptRecord[]): Promise<boolean[]> {
    return deliveries.recordAttempts(this.#q, (fn) => this.#tx(fn), batch);
  }

  async nextDeliveryAt(): Promise<number | null> {
    return deliveries.nextDeliveryAt(this.#q);
  }

  async resendWebhooks(accountId: number, taskIds: readonly string[], now: number): Promise<boolean[]> {
    return deliveries.resendWebhooks(this.#q, this.#channels.deliveries, accountId, taskIds, now);
  }

  async listErrors(accountId: number, q: ErrorQuery): Promise<ErrorRow[]> {
    return deliveries.listErrors(this.#q, accountId, q);
  }

  async deliveriesOf(taskId: string): Promise<{ deliveries: DeliveryRow[]; attempts: AttemptRow[] }> {
    return deliveries.deliveriesOf(this.#q, taskId);
  }

  // ---- shared counters and retention (results.ts) ---------------------------------------------------------

  countHits(hits: readonly CounterHit[]): Promise<number[]> {
    return countHits(this.#counterPool, hits);
  }

  purgeExpired(cut: RetentionCut, batch: number): Promise<number> {
    return results.purgeExpired(this.#q, cut, batch);
  }

  // ---- settings ------------------------------------------------------------------------------

  async getSetting(key: string): Promise<string | null> {
    const r = await this.#query<{ value: string }>('serpq_get_setting', 'SELECT value FROM settings WHERE key = $1', [key]);
    return r.rows[0]?.value ?? null;
  }

  async setSetting(key: string, value: string): Promise<void> {
    await this.#query(
      'serpq_set_setting',
      'INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      [key, value],
    );
  }

  async addToSetting(key: string, by: number): Promise<number> {
    return owners.addToSetting(this.#q, this.#channels.settings, key, by);
  }

  // ---- wake-ups ------------------------------------------------------------------------------

  /** The NOTIFY channels of this store (schema-qualified when a schema is set). */
  get channels(): Channels {
    return this.#channels;
  }

  /** Relays the store's wake-ups (see listener.ts): a hint only, polling stays the truth. */
  async listen(handlers: StoreListeners): Promise<() => Promise<void>> {
    const stopListening = await listenTo(this.#clientConfig, this.#channels, handlers);
    const stop = async () => {
      this.#listeners.delete(stop);
      await stopListening();
    };
    this.#listeners.add(stop);
    return stop;
  }

  // ---- claim owners --------------------------------------------------------------------------

  async registerOwner(owner: OwnerRow): Promise<void> {
    await owners.registerOwner(this.#q, owner);
  }

  async heartbeat(owner: string, at: number, taskLeaseUntil: number, deliveryLeaseUntil: number): Promise<boolean> {
    return owners.heartbeat(this.#q, owner, at, taskLeaseUntil, deliveryLeaseUntil);
  }

  async listOwners(): Promise<OwnerRow[]> {
    return owners.listOwners(this.#q);
  }

  async releaseOwners(ids: readonly string[]): Promise<number> {
    return owners.releaseOwners((fn) => this.#tx(fn), ids);
  }

  // ---- relay ---------------------------------------------------------------------------------

  async relayRows(taskIds: readonly string[]): Promise<RelayRow[]> {
    return relay.relayRows(this.#q, taskIds);
  }

  async relayForwarding(tasks: readonly RelayForwarding[], at: number): Promise<void> {
    await relay.relayForwarding(this.#q, tasks, at);
  }

  async relayForget(taskIds: readonly string[]): Promise<void> {
    await relay.relayForget(this.#q, taskIds);
  }

  async relayForwarded(rows: readonly RelayAccepted[], owner: string, at: number, leaseUntil: number): Promise<number> {
    return relay.relayForwarded((fn) => this.#tx(fn), rows, owner, at, leaseUntil);
  }

  async relayDue(before: number, at: number, limit: number): Promise<RelayRow[]> {
    return relay.relayDue((fn) => this.#tx(fn), before, at, limit);
  }

  async relayInFlight(): Promise<number> {
    return relay.relayInFlight(this.#q);
  }

  async relayCached(requestKey: string, since: number): Promise<RelayRow | null> {
    return relay.relayCached(this.#q, requestKey, since);
  }

  async relayLeaderOf(requestKey: string): Promise<string | null> {
    return relay.relayLeaderOf(this.#q, requestKey);
  }

  async relayFollow(task: RelayForwarding, leaderId: string, owner: string, at: number, leaseUntil: number): Promise<boolean> {
    return relay.relayFollow((fn) => this.#tx(fn), task, leaderId, owner, at, leaseUntil);
  }

  async relayCacheHit(task: RelayForwarding, leader: RelayRow, at: number): Promise<void> {
    await relay.relayCacheHit((fn) => this.#tx(fn), task, leader, at);
  }

  async relayClose(leaderId: string): Promise<RelayRow[]> {
    return relay.relayClose((fn) => this.#tx(fn), leaderId);
  }

  async relayOrphans(limit: number): Promise<RelayRow[]> {
    return relay.relayOrphans(this.#q, limit);
  }

  async relayFinish(taskIds: readonly string[]): Promise<void> {
    await relay.relayFinish((fn) => this.#tx(fn), taskIds);
  }

  async relayUsage(accountId?: number): Promise<RelayUsage[]> {
    return relay.relayUsage(this.#q, accountId);
  }

  async upstreamHit(kind: string, limit: number, now: number, windowMs: number): Promise<number> {
    return relay.upstreamHit((fn) => this.#tx(fn), kind, limit, now, windowMs);
  }

  async upstreamCallCount(kind: string, now: number, windowMs: number): Promise<number> {
    return relay.upstreamCallCount(this.#q, kind, now, windowMs);
  }

  async upstreamEnter(slot: string, max: number, now: number, expiresAt: number): Promise<boolean> {
    return relay.upstreamEnter((fn) => this.#tx(fn), slot, max, now, expiresAt);
  }

  async upstreamSlotIds(): Promise<string[]> {
    const r = await this.#q<{ slot: string }>('serpq_upstream_slot_ids', 'SELECT slot FROM upstream_slots');
    return r.rows.map((x) => x.slot);
  }

  async upstreamLeave(slot: string): Promise<void> {
    await relay.upstreamLeave(this.#q, slot);
  }

  async deferTasks(ids: readonly string[], owner: string, runAfter: number): Promise<void> {
    await relay.deferTasks(this.#q, ids, owner, runAfter);
  }

  readonly #q = <R extends QueryResultRow>(name: string | undefined, text: string, values?: unknown[]) =>
    this.#query<R>(name, text, values);
}
