import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { ProcessStore } from '../../src/process/open-store.js';

/**
 * The store dialects the shared tests run against: SQLite always; PostgreSQL when
 * SERPQ_TEST_PG_URL names a server (e.g. postgres://postgres@127.0.0.1:5432/test). Each PostgreSQL
 * test store lives in its own fresh schema, so test files can run in parallel on one database.
 */
export type Dialect = 'sqlite' | 'postgres';

const PG_URL = process.env.SERPQ_TEST_PG_URL || undefined;

export const DIALECTS: Array<Dialect> = PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];

let skipNoted = false;

/** Says once per process that the PostgreSQL variants were not run. */
export function pgSkipNote(): void {
  if (PG_URL || skipNoted) return;
  skipNoted = true;
  console.warn('PostgreSQL tests skipped: set SERPQ_TEST_PG_URL');
}

export interface TestStore {
  /** Not migrated yet: call `store.migrate()`. */
  readonly store: ProcessStore;
  /** The same database as a SERPQ_DB / --db value (PostgreSQL: the URL with `?schema=`). */
  readonly url: string;
  /** Closes the store and deletes its database (temp folder, or DROP SCHEMA ... CASCADE). */
  cleanup(): Promise<void>;
}

/** A fresh, empty store of the dialect; `name` (e.g. the test's title) only seeds the schema name. */
export async function createTestStore(dialect: Dialect, name: string): Promise<TestStore> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'serpq-store-'));
    const path = join(dir, 'serpq.db');
    const store = new SqliteStore({ path });
    return {
      store,
      url: path,
      async cleanup() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (!PG_URL) throw new Error('SERPQ_TEST_PG_URL is not set');
  const schema = `t_${createHash('sha256').update(name).digest('hex').slice(0, 8)}_${randomBytes(4).toString('hex')}`;
  const url = withSchema(PG_URL, schema);
  const store = new PostgresStore({ url, poolSize: 4 });
  return {
    store,
    url,
    async cleanup() {
      await store.close();
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      try {
        await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}

function withSchema(url: string, schema: string): string {
  return url + (url.includes('?') ? '&' : '?') + 'schema=' + encodeURIComponent(schema);
}
