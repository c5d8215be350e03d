import { createHash } from 'node:crypto';
import pg from 'pg';
import { findSeType } from '../src/domain/catalog.js';
import { ID_FAMILY, newId } from '../src/domain/ids.js';
import { taskPostPriceMicro } from '../src/domain/pricing.js';
import { parseTaskRequest } from '../src/domain/task-request.js';
import { createAccount } from '../src/services/accounts.js';
import { readyRowJson } from '../src/services/post-tasks.js';
import { PG_MIGRATIONS } from '../src/store/postgres/migrations.js';
import { PostgresStore, quoteIdent } from '../src/store/postgres/postgres-store.js';
import { BENCH_PASSWORD, EMPTY_LOGIN, FILLER_ACCOUNTS, HIGH_LIMITS, KEYWORDS, KIND, READY_LOGIN, READY_ROWS, planRows } from './seed.js';

/**
 * Seeds a serpq PostgreSQL schema for the benchmark: the same accounts, row plan and row shapes as
 * bench/seed.ts (SQLite), generated server-side.
 *
 *  - Schema and accounts by the real store (`PostgresStore.migrate()`, `createAccount`).
 *  - The 10,000 distinct request bodies (2000 keywords x 5 tags) are validated and priced in Node by
 *    `parseTaskRequest` / `taskPostPriceMicro` and uploaded once into a helper table.
 *  - Rows come from `INSERT ... SELECT FROM generate_series(...)`, one statement per chunk of at most
 *    500,000 rows, on two connections at once. Ids, `date_posted` and `ready_json` are built by SQL
 *    expressions that reproduce `newId` (Kyiv MMDDHHmm prefix, account shard, family 0066; the last group
 *    is a bijective scramble of the row number, so ids are unique) and `readyRowJson`; after the load
 *    a sample of rows is checked byte for byte against the Node functions.
 *  - The primary key and the secondary indexes (read from the catalog, so they always match the
 *    migrations) are dropped before the load and built afterwards; then VACUUM (ANALYZE), which also
 *    sets the visibility map that lets tasks_ready be an index-only scan.
 *
 * Unlike the SQLite seed, rows are stored segment by segment (account, kind), not in posting-time
 * order: a sort of 10M wide rows would double the seeding time, and with index-only scans the heap
 * order does not matter to tasks_ready.
 *
 * Cache: a table `bench_seed_info` in the schema holds the seed format, the row count and a hash of the
 * PostgreSQL migrations; a rerun reuses the schema when they match and moves the 1000 bench-ready rows
 * back into the last hour (then VACUUMs, which only visits the pages that changed).
 */

const SEED_FORMAT = 1;
const MIGRATIONS_HASH = createHash('sha256').update(JSON.stringify(PG_MIGRATIONS)).digest('hex').slice(0, 16);
const DAY = 24 * 3600_000;
const CHUNK = 500_000;
const TAGS = [null, 'bench-a', 'bench-b', 'campaign-2025', 'client-42'] as const;

export interface PgSeedInfo {
  readonly format: number;
  readonly total: number;
  readonly migrations: string;
  readonly readyAccountId: number;
  readonly emptyAccountId: number;
  readyBase: number;
  readonly seedMs: number;
  readonly loadMs: number;
  readonly indexMs: number;
  readonly vacuumMs: number;
  readonly seededAt: string;
}

export interface PgSeedOutcome extends PgSeedInfo {
  readonly reused: boolean;
  readonly url: string;
  readonly schema: string;
}

export function pgUrl(server: string, database: string, schema?: string): string {
  return `${server.replace(/\/$/, '')}/${database}${schema ? `?schema=${schema}` : ''}`;
}

/** Creates the database when missing (connects to `postgres` for that). */
export async function ensureDatabase(server: string, database: string): Promise<void> {
  const admin = new pg.Client({ connectionString: pgUrl(server, 'postgres') });
  await admin.connect();
  try {
    const r = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (r.rowCount === 0) await admin.query(`CREATE DATABASE ${quoteIdent(database)}`);
  } finally {
    await admin.end();
  }
}

async function client(server: string, database: string, schema: string | null): Promise<pg.Client> {
  const c = new pg.Client({
    connectionString: pgUrl(server, database),
    ...(schema ? { options: `-c search_path=${quoteIdent(schema)}` } : {}),
  });
  await c.connect();
  return c;
}

export async function ensurePgSeeded(
  server: string,
  database: string,
  schema: string,
  total: number,
  options: { force?: boolean; log?: (s: string) => void } = {},
): Promise<PgSeedOutcome> {
  const log = options.log ?? (() => {});
  await ensureDatabase(server, database);
  const url = pgUrl(server, database, schema);
  if (!options.force) {
    const c = await client(server, database, schema);
    try {
      const has = await c.query("SELECT to_regclass('bench_seed_info') IS NOT NULL AS t");
      if (has.rows[0].t) {
        const info = JSON.parse((await c.query<{ v: string }>('SELECT v FROM bench_seed_info')).rows[0]?.v ?? 'null') as PgSeedInfo | null;
        if (info && info.format === SEED_FORMAT && info.total === total && info.migrations === MIGRATIONS_HASH) {
          const newBase = Date.now() - 3600_000;
          const delta = newBase - info.readyBase;
          const moved = await c.query(
            'UPDATE tasks SET completed_at = completed_at + $1 WHERE account_id = $2 AND listed AND collected_at IS NULL AND completed_at >= $3 AND completed_at < $4',
            [delta, info.readyAccountId, info.readyBase, info.readyBase + READY_ROWS],
          );
          if (moved.rowCount === READY_ROWS) {
            info.readyBase = newBase;
            await c.query('UPDATE bench_seed_info SET v = $1', [JSON.stringify(info)]);
            await c.query('VACUUM (ANALYZE) tasks');
            log(`reusing ${url} (${total.toLocaleString('en-US')} tasks)`);
            return { ...info, reused: true, url, schema };
          }
          log(`cached ${url}: ${moved.rowCount} ready rows instead of ${READY_ROWS}, seeding again`);
        } else {
          log(`cached ${url}: seed info does not match (format/rows/migrations), seeding again`);
        }
      }
    } finally {
      await c.end();
    }
  }
  return { ...(await seedPg(server, database, schema, total, log)), reused: false, url, schema };
}

async function seedPg(server: string, database: string, schema: string, total: number, log: (s: string) => void): Promise<PgSeedInfo> {
  const started = performance.now();
  const c1 = await client(server, database, null);
  await c1.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
  await c1.end();
  const url = pgUrl(server, database, schema);
  const store = new PostgresStore({ url });
  await store.migrate();
  const now = Date.now();
  const mk = (login: string) =>
    createAccount(store, now - 40 * DAY, { login, password: BENCH_PASSWORD, balance: 1_000_000, limits: HIGH_LIMITS });
  const readyAcct = await mk(READY_LOGIN);
  const emptyAcct = await mk(EMPTY_LOGIN);
  const fillers = [];
  for (let i = 1; i <= FILLER_ACCOUNTS; i++) fillers.push(await mk(`bench-filler-${i}`));
  await store.close();
  const plan = planRows(
    total,
    readyAcct.id,
    emptyAcct.id,
    fillers.map((f) => f.id),
  );

  const def = findSeType('google', 'images');
  if (!def) throw new Error('google/images is not in the catalog');
  const variants: { k: number; tag: string | null; data: string; cost: number }[] = [];
  for (const kw of KEYWORDS) {
    for (const tag of TAGS) {
      const parsed = parseTaskRequest(def, { keyword: kw, location_code: 2840, language_code: 'en', ...(tag ? { tag } : {}) }, 'task_post');
      if (!parsed.ok) throw new Error(`seed task invalid: ${parsed.field}`);
      variants.push({ k: variants.length, tag, data: JSON.stringify(parsed.data), cost: taskPostPriceMicro(def, parsed.task) });
    }
  }

  const a = await client(server, database, schema);
  const b = await client(server, database, schema);
  const conns = [a, b];
  for (const c of conns) {
    await c.query(
      "SET synchronous_commit = off; SET maintenance_work_mem = '1GB'; SET work_mem = '64MB'; SET max_parallel_maintenance_workers = 2",
    );
  }
  await a.query('CREATE UNLOGGED TABLE bench_seed_req (k int PRIMARY KEY, tag text, data text NOT NULL, cost bigint NOT NULL)');
  await a.query('INSERT INTO bench_seed_req SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::bigint[])', [
    variants.map((v) => v.k),
    variants.map((v) => v.tag),
    variants.map((v) => v.data),
    variants.map((v) => v.cost),
  ]);
  await a.query('ANALYZE bench_seed_req');

  // Indexes off during the load: the primary key and every secondary index of tasks.
  const indexes = (
    await a.query<{ name: string; def: string }>(
      "SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = $1 AND tablename = 'tasks' AND indexname <> 'tasks_pkey'",
      [schema],
    )
  ).rows;
  const pkDef = (
    await a.query<{ d: string }>(
      "SELECT pg_get_constraintdef(oid) AS d FROM pg_constraint WHERE conname = 'tasks_pkey' AND conrelid = 'tasks'::regclass",
    )
  ).rows[0]?.d;
  if (!pkDef) throw new Error('tasks_pkey not found');
  for (const ix of indexes) await a.query(`DROP INDEX ${quoteIdent(ix.name)}`);
  await a.query('ALTER TABLE tasks DROP CONSTRAINT tasks_pkey');

  // Chunks: (account, kind, first row number, count); row numbers are global, so ids are unique.
  const readyBase = now - 3600_000;
  const chunks: { account: number; kind: number; from: number; n: number; benchReady: boolean }[] = [];
  let rowNo = 0;
  for (const p of plan) {
    for (let off = 0; off < p.n; off += CHUNK) {
      const n = Math.min(CHUNK, p.n - off);
      chunks.push({
        account: p.account,
        kind: p.kind,
        from: rowNo + off,
        n,
        benchReady: p.kind === KIND.READY && p.account === readyAcct.id,
      });
    }
    rowNo += p.n;
  }
  const H = 3600_000;
  const completedExpr = (ch: (typeof chunks)[number]): string => {
    if (ch.benchReady) return `${readyBase}::bigint + (g - ${ch.from + 1})`;
    if (ch.kind === KIND.READY) return `${now - 2 * DAY}::bigint + floor(random() * ${2 * DAY - 2 * H})::bigint`;
    if (ch.kind === KIND.OLD) return `${now - 30 * DAY}::bigint + floor(random() * ${26 * DAY})::bigint`;
    return `${now - 30 * DAY}::bigint + floor(random() * ${30 * DAY - 2 * H})::bigint`;
  };
  const insertSql = (ch: (typeof chunks)[number]): string => {
    const postback = ch.kind === KIND.POSTBACK;
    const collected = ch.kind === KIND.COLLECTED || postback;
    const shard = (ch.account & 0xffff).toString(16).padStart(4, '0');
    return `
      INSERT INTO tasks (id, account_id, se, se_type, state, status_code, status_message, priority, tag, data, postback_url, postback_data,
        pingback_url, cost_micro, posted_at, run_after, completed_at, collected_at, lease_owner, lease_expires_at, attempts, webhook_state, listed, ready_json)
      SELECT x.id, ${ch.account}, 'google', 'images', 2, 20000, 'Ok.', 1, r.tag, r.data,
        ${postback ? "'https://hooks.example.com/serp?id=$id'" : 'NULL'}, ${postback ? "'advanced'" : 'NULL'}, NULL, r.cost,
        x.posted, x.posted, x.completed,
        ${collected ? `least(${now - 60_000}::bigint, x.completed + floor(random() * ${H})::bigint)` : 'NULL'},
        NULL, NULL, 1, ${postback ? "'delivered'" : "'none'"}, ${postback ? 'false' : 'true'},
        '{"id":"' || x.id || '","se":"google","se_type":"images","date_posted":"'
          || to_char(to_timestamp(x.posted / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' +00:00","tag":'
          || CASE WHEN r.tag IS NULL THEN 'null' ELSE '"' || r.tag || '"' END
          || ',"endpoint_regular":null,"endpoint_advanced":"/v3/serp/google/images/task_get/advanced/' || x.id
          || '","endpoint_html":"/v3/serp/google/images/task_get/html/' || x.id || '"}'
      FROM (
        SELECT y.k, y.posted, y.completed,
          to_char(to_timestamp(y.posted / 60000 * 60) AT TIME ZONE 'Europe/Kyiv', 'MMDDHH24MI') || '-${shard}-${ID_FAMILY.TASK_POST}-0000-'
            || lpad(to_hex((y.g * 25214903917 + 11) & 281474976710655), 12, '0') AS id
        FROM (
          SELECT z.g, z.k, z.completed, z.completed - 1000 - floor(random() * 60000)::bigint AS posted
          FROM (SELECT g, floor(random() * ${variants.length})::int AS k, ${completedExpr(ch)} AS completed
                FROM generate_series(${ch.from + 1}::bigint, ${ch.from + ch.n}::bigint) g) z
        ) y
      ) x JOIN bench_seed_req r ON r.k = x.k`;
  };
  let next = 0;
  let done = 0;
  let lastLog = 0;
  const workerLoop = async (c: pg.Client) => {
    while (next < chunks.length) {
      const ch = chunks[next++];
      await c.query(insertSql(ch));
      done += ch.n;
      if (done - lastLog >= 1_000_000 || done === total) {
        lastLog = done;
        log(
          `  seeded ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} tasks (${((performance.now() - started) / 1000).toFixed(0)} s)`,
        );
      }
    }
  };
  await Promise.all(conns.map(workerLoop));
  const loadedAt = performance.now();

  // Primary key, then the secondary indexes, two at a time (one per connection).
  await a.query(`ALTER TABLE tasks ADD CONSTRAINT tasks_pkey ${pkDef}`);
  const pending = [...indexes];
  await Promise.all(
    conns.map(async (c) => {
      for (let ix = pending.shift(); ix; ix = pending.shift()) await c.query(ix.def);
    }),
  );
  const indexedAt = performance.now();
  await a.query('DROP TABLE bench_seed_req');
  await a.query('VACUUM (ANALYZE) tasks');
  await a.query('VACUUM (ANALYZE) accounts');
  const vacuumedAt = performance.now();

  // The SQL-built rows must be exactly what serpq writes: check a sample against the Node functions.
  const sample = await a.query<{ id: string; account_id: number; posted_at: number; tag: string | null; ready_json: string }>(
    'SELECT id, account_id::int AS account_id, posted_at::float8 AS posted_at, tag, ready_json FROM tasks TABLESAMPLE SYSTEM (0.1) LIMIT 200',
  );
  for (const r of sample.rows) {
    const want = readyRowJson(def, r.id, r.posted_at, r.tag);
    const prefix = newId(r.posted_at, r.account_id, ID_FAMILY.TASK_POST).slice(0, 24);
    if (r.ready_json !== want || r.id.slice(0, 24) !== prefix) {
      throw new Error(`seeded row differs from serpq's shape:\n  got  ${r.id} ${r.ready_json}\n  want ${prefix}... ${want}`);
    }
  }

  const info: PgSeedInfo = {
    format: SEED_FORMAT,
    total,
    migrations: MIGRATIONS_HASH,
    readyAccountId: readyAcct.id,
    emptyAccountId: emptyAcct.id,
    readyBase,
    seedMs: Math.round(performance.now() - started),
    loadMs: Math.round(loadedAt - started),
    indexMs: Math.round(indexedAt - loadedAt),
    vacuumMs: Math.round(vacuumedAt - indexedAt),
    seededAt: new Date().toISOString(),
  };
  await a.query('CREATE TABLE bench_seed_info (v text NOT NULL)');
  await a.query('INSERT INTO bench_seed_info (v) VALUES ($1)', [JSON.stringify(info)]);
  await a.end();
  await b.end();
  log(
    `seeded ${url}: ${total.toLocaleString('en-US')} tasks in ${(info.seedMs / 1000).toFixed(1)} s (rows ${(info.loadMs / 1000).toFixed(1)} s, indexes ${(info.indexMs / 1000).toFixed(1)} s, vacuum ${(info.vacuumMs / 1000).toFixed(1)} s; ${sample.rowCount} sampled rows match serpq's shape)`,
  );
  return info;
}

export interface RelationSize {
  readonly name: string;
  readonly bytes: number;
}

/** Sizes of a seeded schema: table heap (+TOAST), each index, and totals. */
export async function schemaSizes(
  server: string,
  database: string,
  schema: string,
): Promise<{ rows: number; heapBytes: number; totalBytes: number; indexes: RelationSize[]; toastBytes: number }> {
  const c = await client(server, database, schema);
  try {
    const t = await c.query<{ rows: string; heap: string; total: string; toast: string }>(
      `SELECT c.reltuples::bigint AS rows, pg_relation_size('tasks') AS heap, pg_total_relation_size('tasks') AS total,
              coalesce(pg_total_relation_size(nullif(c.reltoastrelid, 0)), 0) AS toast
       FROM pg_class c WHERE c.oid = 'tasks'::regclass`,
    );
    const ix = await c.query<{ name: string; bytes: string }>(
      "SELECT indexrelname AS name, pg_relation_size(indexrelid) AS bytes FROM pg_stat_user_indexes WHERE schemaname = $1 AND relname = 'tasks' ORDER BY 2 DESC",
      [schema],
    );
    return {
      rows: Number(t.rows[0].rows),
      heapBytes: Number(t.rows[0].heap),
      totalBytes: Number(t.rows[0].total),
      toastBytes: Number(t.rows[0].toast),
      indexes: ix.rows.map((r) => ({ name: r.name, bytes: Number(r.bytes) })),
    };
  } finally {
    await c.end();
  }
}

export { client as pgClient };
