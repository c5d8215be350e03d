/** The SQLite store: its construction, migrate/close/ping/reset lifecycle, and the composition of its roles. */
import type Database from 'better-sqlite3';
import type {
  Accounts,
  Budgets,
  DashboardReads,
  Outbox,
  Owners,
  Purge,
  ReadyReads,
  RelayAnswers,
  Results,
  Settings,
  Store,
  TaskHistory,
  TaskIntake,
  TaskQueue,
  TaskReads,
} from '../store.js';
import { adoptRoles } from '../compose-roles.js';
import { withBusyRetry } from '../map-db-error.js';
import { RESET_TABLES } from '../reset-tables.js';
import { SQLITE_MIGRATIONS } from './migrations.js';
import { type SqliteConnection, type SqliteStoreOptions, connection } from './connection.js';
import { accounts } from './accounts.js';
import { tasks } from './tasks.js';
import { usage } from './usage.js';
import { results } from './results.js';
import { ready } from './ready.js';
import { outbox } from './outbox.js';
import { owners } from './owners.js';
import { settings } from './settings.js';
import { budgets } from './budgets.js';
import { dashboard } from './dashboard.js';
import { type RelayMembers, relay } from './relay.js';
import { relayAnswers } from './relay-answers.js';

export type { SqliteStoreOptions } from './connection.js';

/**
 * The roles, composed into the class by `migrate()` (declaration merging: the members are the role
 * objects' own, with no method forwarding to them): ReadyReads with its synchronous capabilities,
 * and the relay executor's ledger.
 */
export interface SqliteStore
  extends
    Accounts,
    Budgets,
    TaskIntake,
    TaskHistory,
    TaskQueue,
    TaskReads,
    Results,
    Required<ReadyReads>,
    Outbox,
    Owners,
    Settings,
    DashboardReads,
    Purge,
    RelayAnswers,
    RelayMembers {}

/**
 * The embedded store: better-sqlite3 in WAL mode (connection.ts). One connection, one writer:
 * statements are prepared once and run synchronously, so a task_post transaction never interleaves
 * with another. Statements can only be prepared once the schema exists, so the role objects are made
 * and assigned by `migrate()`.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly #conn: SqliteConnection;

  constructor(options: SqliteStoreOptions) {
    this.#conn = connection(options);
  }

  /** The underlying connection, for tests and benchmarks that seed data in bulk. */
  get database(): Database.Database {
    return this.#conn.db;
  }

  async migrate(): Promise<void> {
    const conn = this.#conn;
    const db = conn.db;
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
    // Statements can only be prepared once the schema exists: the roles are adopted here (compose-roles.ts).
    adoptRoles(this, SqliteStore.prototype, {
      ...accounts(conn),
      ...budgets(conn),
      ...tasks(conn),
      ...usage(conn),
      ...results(conn),
      ...ready(conn),
      ...outbox(conn),
      ...owners(conn),
      ...settings(conn),
      ...dashboard(conn),
      ...relay(conn),
      ...relayAnswers(conn),
    });
  }

  async close(): Promise<void> {
    if (this.#conn.db.open) this.#conn.db.close();
  }

  async ping(): Promise<boolean> {
    return this.#conn.db.open && this.#conn.db.prepare('SELECT 1').pluck().get() === 1;
  }

  async reset(): Promise<void> {
    const db = this.#conn.db;
    withBusyRetry(() =>
      db.transaction(() => {
        for (const t of RESET_TABLES) db.prepare(`DELETE FROM ${t}`).run();
      })(),
    );
  }
}
