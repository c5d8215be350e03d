/** The PostgreSQL store: its lifecycle (construction, migrate, close, ping, reset, listen) and the composition of its role objects. */
import { adoptRoles } from '../compose-roles.js';
import type pg from 'pg';
import type {
  Accounts,
  Budgets,
  DashboardReads,
  Outbox,
  Owners,
  Purge,
  RelayAnswers,
  ReadyReads,
  Results,
  Settings,
  Store,
  StoreListeners,
  TaskHistory,
  TaskIntake,
  TaskQueue,
  TaskReads,
} from '../store.js';
import { RESET_TABLES } from '../reset-tables.js';
import { type StoreFailureListener, createStoreFailures } from '../store-failures.js';
import {
  type Channels,
  type PostgresConnection,
  type PostgresStoreOptions,
  connection,
  listenTo,
  parsePostgresUrl,
  quoteIdent,
} from './connection.js';
import { MIGRATION_LOCK_KEY, PG_MIGRATIONS, PG_SCHEMA_MIGRATIONS_DDL } from './migrations.js';
import { accounts } from './accounts.js';
import { tasks } from './tasks.js';
import { results } from './results.js';
import { ready } from './ready.js';
import { outbox } from './outbox.js';
import { type SharedCounters, usage } from './usage.js';
import { owners } from './owners.js';
import { settings } from './settings.js';
import { budgets } from './budgets.js';
import { dashboard } from './dashboard.js';
import { type RelayMembers, relay } from './relay.js';
import { relayAnswers } from './relay-answers.js';

export { type PostgresStoreOptions, parsePostgresUrl, quoteIdent };

/** Every role the store's members come from, each one factory's object. */
type Roles = Accounts &
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
  SharedCounters &
  RelayMembers;

/** The members the constructor assigns from the role objects (declaration merging with the class). */
export interface PostgresStore extends Roles {}

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
  readonly #conn: PostgresConnection;
  readonly #listeners = new Set<() => Promise<void>>();
  readonly #failures = createStoreFailures('postgres');

  constructor(options: PostgresStoreOptions) {
    const conn = connection(options, (source, err) => this.#failures.report('pool', source, err));
    this.#conn = conn;
    // No statement needs the schema to be written (they are prepared on first use, per connection):
    // every role is in place from the start, before migrate().
    const roles: Roles = {
      ...accounts(conn),
      ...budgets(conn),
      ...tasks(conn),
      ...results(conn),
      ...ready(conn),
      ...outbox(conn),
      ...usage(conn),
      ...owners(conn),
      ...settings(conn),
      ...dashboard(conn),
      ...relay(conn),
      ...relayAnswers(conn),
    };
    adoptRoles(this, PostgresStore.prototype, roles);
  }

  /** The schema every connection uses (null: the server's default search_path). */
  get schema(): string | null {
    return this.#conn.schema;
  }

  /** Capability (store-failures.ts): failures no caller sees, such as an idle connection that broke. */
  observeFailures(listener: StoreFailureListener): void {
    this.#failures.observeFailures(listener);
  }

  /** The underlying pool, for tests and benchmarks that seed data in bulk. */
  get pool(): pg.Pool {
    return this.#conn.pool;
  }

  /** The NOTIFY channels of this store (schema-qualified when a schema is set). */
  get channels(): Channels {
    return this.#conn.channels;
  }

  async migrate(): Promise<void> {
    const schema = this.#conn.schema;
    await this.#conn.tx(async (c) => {
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
    const { pool, counterPool } = this.#conn;
    await Promise.all([...this.#listeners].map((stop) => stop()));
    if (!counterPool.ended) await counterPool.end();
    if (!pool.ended) await pool.end();
  }

  async ping(): Promise<boolean> {
    try {
      const r = await this.#conn.pool.query<{ one: number }>('SELECT 1 AS one');
      return r.rows[0]?.one === 1;
    } catch {
      return false;
    }
  }

  async reset(): Promise<void> {
    // rate_counters exists on PostgreSQL only (SQLite counts limits in the process).
    await this.#conn.query(undefined, `TRUNCATE ${[...RESET_TABLES, 'rate_counters'].join(', ')}`);
  }

  /** Relays the store's wake-ups (see listenTo in connection.ts): a hint only, polling stays the truth. */
  async listen(handlers: StoreListeners): Promise<() => Promise<void>> {
    const stopListening = await listenTo(this.#conn.clientConfig, this.#conn.channels, handlers);
    const stop = async () => {
      this.#listeners.delete(stop);
      await stopListening();
    };
    this.#listeners.add(stop);
    return stop;
  }
}
