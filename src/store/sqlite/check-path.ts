import { closeSync, constants, accessSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

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
