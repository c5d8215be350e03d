/** The SQLite store's connection: the better-sqlite3 database with its pragmas, the BEGIN IMMEDIATE transaction runner, and the path check made before opening. */
import { closeSync, constants, accessSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';

export interface SqliteStoreOptions {
  /** A file path or `:memory:`. */
  readonly path: string;
}

/** What every part of the SQLite store works through: one per store, made by `connection()`. */
export interface SqliteConnection {
  readonly db: Database.Database;
  /** `fn` in one BEGIN IMMEDIATE transaction (the write lock first: no upgrade deadlocks between processes). */
  readonly immediate: <T>(fn: () => T) => T;
}

/**
 * Opens the database in WAL mode. WAL with synchronous=NORMAL keeps every committed transaction
 * across a crash of the process (kill -9); only a power loss may drop the last commits, which is the
 * usual trade for an embedded default.
 */
export function connection(options: SqliteStoreOptions): SqliteConnection {
  const db = new Database(options.path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  /** Runs a function in a transaction; made once (better-sqlite3 builds a wrapper per transaction() call). */
  const inTx: Database.Transaction<(fn: () => unknown) => unknown> = db.transaction((fn: () => unknown) => fn());
  return {
    db,
    immediate: <T>(fn: () => T): T => inTx.immediate(fn) as T,
  };
}

/**
 * What is wrong with a SQLite path before anything is opened or created there, in words a user can
 * act on, or null when the store may open it: a missing or unwritable folder, a folder where a file
 * was meant, a file that is not a SQLite database. better-sqlite3's own messages ("unable to open
 * database file", "file is not a database") name neither the path nor the setting.
 */
const SQLITE_HEADER = 'SQLite format 3\0';

function accessible(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}

export function sqlitePathProblem(path: string): string | null {
  if (path === ':memory:' || path === '') return null;
  const full = resolve(path);
  let stat;
  try {
    stat = statSync(full);
  } catch {
    // No file yet: it is created in its folder, which must exist and be writable.
    const folder = dirname(full);
    let dir;
    try {
      dir = statSync(folder);
    } catch {
      return `the folder ${folder} does not exist: create it, or name a file in an existing folder`;
    }
    if (!dir.isDirectory()) return `${folder} is not a folder`;
    if (!accessible(folder, constants.W_OK)) return `the folder ${folder} is not writable: the database file cannot be created there`;
    return null;
  }
  if (stat.isDirectory()) return `${full} is a folder, not a SQLite file: name a file, e.g. ${join(path, 'serpq.db')}`;
  if (!stat.isFile()) return `${full} is not a regular file`;
  if (!accessible(full, constants.R_OK | constants.W_OK)) return `${full} cannot be read and written by this user`;
  // An empty file is a new database; anything else must start with SQLite's header.
  if (stat.size > 0) {
    const head = Buffer.alloc(SQLITE_HEADER.length);
    const fd = openSync(full, 'r');
    try {
      readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
    if (head.toString('latin1') !== SQLITE_HEADER) return `${full} is not a SQLite database file: name a serpq database or a new file`;
  }
  return null;
}
