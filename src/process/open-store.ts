import { dbConfigError } from '../config.js';
import { sqlitePathProblem } from '../store/sqlite/connection.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { RelayLedger } from '../executors/relay/ledger.js';
import type { Store } from '../store/store.js';

/**
 * A process's store: every role of the Store port, and the relay's ledger, which each dialect also
 * implements (the relay executor's port, defined beside it).
 */
export type ProcessStore = Store & RelayLedger;

/**
 * A store from a --db value: a postgres:// URL (optionally `?schema=name`), else a SQLite path or
 * `:memory:`. Opens it after checking, before anything is created, that it can be: a missing
 * folder, a folder or a non-SQLite file where the database should be, or a PostgreSQL server that
 * cannot be reached stop the command with one line naming the setting and its value.
 */
export async function openStore(db: string): Promise<ProcessStore> {
  if (/^postgres(ql)?:\/\//i.test(db)) {
    const [{ PostgresStore }, { postgresProblem }] = await Promise.all([
      import('../store/postgres/postgres-store.js'),
      import('../store/postgres/connection.js'),
    ]);
    const problem = await postgresProblem(db);
    if (problem) throw dbConfigError(db, problem);
    return new PostgresStore({ url: db });
  }
  const problem = sqlitePathProblem(db);
  if (problem) throw dbConfigError(db, problem);
  try {
    return new SqliteStore({ path: db });
  } catch (err) {
    throw dbConfigError(db, `cannot be opened as a SQLite database (${(err as Error).message})`);
  }
}
