import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import pg from 'pg';
import { PostgresStore, parsePostgresUrl, quoteIdent } from '../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

/**
 * A normalized, deterministic description of the schema a dialect's migrations leave behind: tables,
 * columns, primary keys, unique constraints, indexes (and, on PostgreSQL, the functions the
 * migrations create). It is committed as test/schema/{sqlite,postgres}.json; `scripts/dump-schema.ts`
 * writes it and test/integration/schema.test.ts checks the migrations still produce it, so a
 * migration that changes the schema shows up as a reviewed diff (graphile-worker's committed
 * `schema.sql`, pg-boss's `gen:manifest:check`).
 *
 * The two dialects are also compared with each other: the same tables, column names, type families,
 * nullability, defaults, keys and index names, except for the deliberate differences listed in
 * KNOWN_DIALECT_DIFFERENCES (copied into both files with their reasons).
 */

export type SchemaDialect = 'sqlite' | 'postgres';

/**
 * A portable type family: SQLite's affinity names, plus the PostgreSQL types SQLite has no word for
 * (boolean, json, time). An unknown PostgreSQL type is its own family, so it shows up rather than hides.
 */
export type TypeFamily = 'integer' | 'real' | 'numeric' | 'text' | 'blob' | 'boolean' | 'json' | 'time' | (string & {});

export interface ColumnDescription {
  readonly type: TypeFamily;
  /** The dialect's own spelling, lower case (SQLite: as declared; PostgreSQL: format_type()). */
  readonly sqlType: string;
  readonly nullable: boolean;
  /** The default as the dialect reports it, literal casts dropped (`'none'::text` is `'none'`). */
  readonly default?: string;
  /** Values assigned by the database: a PostgreSQL identity, or SQLite's rowid alias (INTEGER PRIMARY KEY). */
  readonly identity?: 'always' | 'by default' | 'rowid';
  /** A generated column: 'virtual' or 'stored'. */
  readonly generated?: 'virtual' | 'stored';
}

export interface IndexDescription {
  /** Key columns in order (`name desc` when descending; an expression as the dialect prints it). */
  readonly columns: readonly string[];
  /** PostgreSQL INCLUDE columns (SQLite has none: covering columns are trailing keys there). */
  readonly include?: readonly string[];
  readonly unique: boolean;
  /** The predicate of a partial index, whitespace collapsed, as the dialect prints it. */
  readonly where?: string;
  /** The access method when it is not a B-tree (PostgreSQL). */
  readonly method?: string;
}

export interface TableDescription {
  readonly columns: Readonly<Record<string, ColumnDescription>>;
  readonly primaryKey: readonly string[];
  /** UNIQUE constraints (their backing indexes are not listed under `indexes`: their names are the dialect's). */
  readonly unique?: readonly (readonly string[])[];
  /** Named indexes (CREATE INDEX), not the ones behind PRIMARY KEY or UNIQUE constraints. */
  readonly indexes: Readonly<Record<string, IndexDescription>>;
  /** SQLite WITHOUT ROWID. */
  readonly withoutRowid?: true;
}

export interface SchemaDescription {
  readonly '//': string;
  readonly dialect: SchemaDialect;
  /** schema_migrations as the store recorded it: version -> name. */
  readonly migrations: Readonly<Record<string, string>>;
  readonly tables: Readonly<Record<string, TableDescription>>;
  /** PostgreSQL functions in the schema: `name(args)` -> `returns <type> language <l> <volatility>: <body>`. */
  readonly functions?: Readonly<Record<string, string>>;
  /** KNOWN_DIALECT_DIFFERENCES, copied so a reader of one file learns what the other dialect does differently. */
  readonly knownDialectDifferences: Readonly<Record<string, string>>;
}

/**
 * Every difference between the two dialects' migrated schemas that is deliberate, keyed by the line
 * compareDialects() reports for it, with the reason. The schema test fails on a difference not listed
 * here, and on an entry that no longer occurs (so the list never outlives what it explains).
 */
export const KNOWN_DIALECT_DIFFERENCES: Readonly<Record<string, string>> = Object.freeze({
  'table rate_counters: postgres only':
    'Per-minute request counters shared by the API nodes of a PostgreSQL deployment. On SQLite one process serves HTTP and counts the limits in memory (src/services/rate-limiter.ts).',
  'migration 3: "retention index" (sqlite) vs "shared rate-limit counters" (postgres)':
    'Released migrations are never renamed. PostgreSQL 3 created rate_counters besides the retention index tasks_posted that SQLite 3 created.',
  'column webhook_deliveries.host: generated virtual (sqlite) vs not generated (postgres)':
    "SQLite derives the host from url in a virtual column. PostgreSQL's inserts write webhook_host(url): adding a generated column would have rewritten a large outbox, a nullable one without a default is instant.",
});

/* ------------------------------------------------------------------------- */
/* Files                                                                      */
/* ------------------------------------------------------------------------- */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Where each dialect's description is committed. */
export const SCHEMA_FILES: Readonly<Record<SchemaDialect, string>> = Object.freeze({
  sqlite: join(ROOT, 'test/schema/sqlite.json'),
  postgres: join(ROOT, 'test/schema/postgres.json'),
});

/** The command that rewrites the committed descriptions after a deliberate migration change. */
export const DUMP_COMMAND = 'npx tsx scripts/dump-schema.ts';

/** The committed description of a dialect, or undefined when the file does not exist yet. */
export function readCommitted(dialect: SchemaDialect): SchemaDescription | undefined {
  const file = SCHEMA_FILES[dialect];
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SchemaDescription) : undefined;
}

function header(dialect: SchemaDialect): string {
  const env = dialect === 'postgres' ? ' with SERPQ_TEST_PG_URL set (or --pg URL)' : '';
  return (
    `Generated by scripts/dump-schema.ts: what the ${dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} migrations produce. Do not edit. ` +
    `After a deliberate migration change run \`${DUMP_COMMAND}\`${env}; \`${DUMP_COMMAND} --check\` and test/integration/schema.test.ts verify it.`
  );
}

/* ------------------------------------------------------------------------- */
/* Migrating a fresh database                                                 */
/* ------------------------------------------------------------------------- */

export interface MigrateOptions {
  /** PostgreSQL server (a postgres:// URL); required for 'postgres'. A fresh schema is made in it and dropped after. */
  readonly pgUrl?: string;
  /** SQL run after the migrations, before describing: lets the schema test show that drift is caught. */
  readonly extraSql?: string;
}

/** Migrates a fresh database of the dialect with the store's own migrate() and describes the result. */
export async function migrateAndDescribe(dialect: SchemaDialect, options: MigrateOptions = {}): Promise<SchemaDescription> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'serpq-schema-'));
    const store = new SqliteStore({ path: join(dir, 'serpq.db') });
    try {
      await store.migrate();
      if (options.extraSql) store.database.exec(options.extraSql);
      return describeSqlite(store.database);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (!options.pgUrl) throw new Error('describing the PostgreSQL schema needs a server URL (SERPQ_TEST_PG_URL or --pg)');
  // The server URL without serpq's own parameters; the store gets a fresh schema through `?schema=`.
  const { connectionString } = parsePostgresUrl(options.pgUrl);
  const schema = `schema_dump_${randomBytes(6).toString('hex')}`;
  const store = new PostgresStore({ url: `${connectionString}${connectionString.includes('?') ? '&' : '?'}schema=${schema}`, poolSize: 1 });
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await store.migrate();
    if (options.extraSql) await client.query(`SET search_path TO ${quoteIdent(schema)}; ${options.extraSql}`);
    return await describePostgres(client, schema);
  } finally {
    await store.close();
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
    } finally {
      await client.end();
    }
  }
}

/* ------------------------------------------------------------------------- */
/* SQLite                                                                     */
/* ------------------------------------------------------------------------- */

/** SQLite's type affinity rules (https://www.sqlite.org/datatype3.html#determination_of_column_affinity), in order. */
function sqliteFamily(declared: string): TypeFamily {
  const t = declared.toUpperCase();
  if (t.includes('INT')) return 'integer';
  if (/CHAR|CLOB|TEXT/.test(t)) return 'text';
  if (t === '' || t.includes('BLOB')) return 'blob';
  if (/REAL|FLOA|DOUB/.test(t)) return 'real';
  return 'numeric';
}

function collapse(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim();
}

/** The description of a migrated SQLite database (read through PRAGMAs, so it is what SQLite holds). */
export function describeSqlite(db: Database.Database): SchemaDescription {
  const tables: Record<string, TableDescription> = {};
  const list = db.prepare(`SELECT name, wr FROM pragma_table_list WHERE schema = 'main' AND type = 'table' ORDER BY name`).all() as Array<{
    name: string;
    wr: number;
  }>;
  for (const { name, wr } of list) {
    if (name.startsWith('sqlite_')) continue;
    const cols = db.prepare('SELECT * FROM pragma_table_xinfo(?) ORDER BY name').all(name) as Array<{
      name: string;
      type: string;
      notnull: number;
      dflt_value: string | null;
      pk: number;
      hidden: number;
    }>;
    const primaryKey = cols
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name);
    const columns: Record<string, ColumnDescription> = {};
    for (const c of cols) {
      // An INTEGER PRIMARY KEY of a rowid table is the rowid: SQLite assigns it when the insert leaves it out.
      const rowid = !wr && primaryKey.length === 1 && primaryKey[0] === c.name && c.type.toUpperCase() === 'INTEGER';
      columns[c.name] = {
        type: sqliteFamily(c.type),
        sqlType: c.type.toLowerCase(),
        // A rowid never holds NULL (inserting one assigns the next rowid), whatever notnull says. Any other
        // PRIMARY KEY column of a rowid table without NOT NULL can: a documented SQLite quirk, kept visible.
        nullable: c.notnull === 0 && !rowid,
        ...(c.dflt_value !== null ? { default: c.dflt_value } : {}),
        ...(rowid ? { identity: 'rowid' as const } : {}),
        ...(c.hidden === 2 ? { generated: 'virtual' as const } : c.hidden === 3 ? { generated: 'stored' as const } : {}),
      };
    }
    const unique: string[][] = [];
    const indexes: Record<string, IndexDescription> = {};
    const idxList = db.prepare('SELECT name, "unique", origin, partial FROM pragma_index_list(?) ORDER BY name').all(name) as Array<{
      name: string;
      unique: number;
      origin: 'c' | 'u' | 'pk';
      partial: number;
    }>;
    for (const idx of idxList) {
      const keys = (
        db.prepare('SELECT seqno, cid, name, "desc" FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno').all(idx.name) as Array<{
          cid: number;
          name: string | null;
          desc: number;
        }>
      ).map((k) => (k.name ?? '<expression>') + (k.desc ? ' desc' : ''));
      if (idx.origin === 'pk') continue; // described by primaryKey
      if (idx.origin === 'u') {
        unique.push(keys);
        continue;
      }
      const sql = (db.prepare(`SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?`).get(idx.name) as { sql: string | null })
        ?.sql;
      const where = idx.partial && sql ? /\bWHERE\b([\s\S]*)$/i.exec(sql)?.[1] : undefined;
      indexes[idx.name] = { columns: keys, unique: idx.unique === 1, ...(where ? { where: collapse(where) } : {}) };
    }
    tables[name] = {
      columns,
      primaryKey,
      ...(unique.length ? { unique: unique.sort(byJson) } : {}),
      indexes,
      ...(wr ? { withoutRowid: true as const } : {}),
    };
  }
  return {
    '//': header('sqlite'),
    dialect: 'sqlite',
    migrations: readMigrations(db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as MigrationRow[]),
    tables,
    knownDialectDifferences: { ...KNOWN_DIALECT_DIFFERENCES },
  };
}

/* ------------------------------------------------------------------------- */
/* PostgreSQL                                                                 */
/* ------------------------------------------------------------------------- */

function pgFamily(typname: string): TypeFamily {
  switch (typname) {
    case 'int2':
    case 'int4':
    case 'int8':
      return 'integer';
    case 'float4':
    case 'float8':
      return 'real';
    case 'numeric':
      return 'numeric';
    case 'text':
    case 'varchar':
    case 'bpchar':
    case 'name':
      return 'text';
    case 'bytea':
      return 'blob';
    case 'bool':
      return 'boolean';
    case 'json':
    case 'jsonb':
      return 'json';
    case 'date':
    case 'timestamp':
    case 'timestamptz':
      return 'time';
    default:
      return typname;
  }
}

/** A literal default without its cast (`'none'::text` -> `'none'`); anything else as PostgreSQL prints it. */
function pgDefault(expr: string): string {
  const m = /^('(?:[^']|'')*'|-?\d+(?:\.\d+)?)::[a-z ]+$/.exec(expr);
  return m ? m[1]! : expr;
}

/** The description of a migrated PostgreSQL schema (read from pg_catalog). */
export async function describePostgres(client: pg.ClientBase, schema: string): Promise<SchemaDescription> {
  const cols = await client.query<{
    table: string;
    name: string;
    sql_type: string;
    typname: string;
    notnull: boolean;
    dflt: string | null;
    identity: string;
    generated: string;
  }>(
    `SELECT c.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS sql_type, t.typname,
            a.attnotnull AS notnull, pg_get_expr(d.adbin, d.adrelid) AS dflt, a.attidentity AS identity, a.attgenerated AS generated
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY c.relname, a.attname`,
    [schema],
  );
  const cons = await client.query<{ table: string; type: 'p' | 'u'; columns: string[] }>(
    `SELECT c.relname AS table, con.contype AS type,
            array(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns
       FROM pg_constraint con
       JOIN pg_class c ON c.oid = con.conrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND con.contype IN ('p', 'u')`,
    [schema],
  );
  const idx = await client.query<{
    table: string;
    name: string;
    unique: boolean;
    nkeys: number;
    options: string;
    method: string;
    pred: string | null;
    columns: string[];
  }>(
    `SELECT t.relname AS table, i.relname AS name, ix.indisunique AS unique, ix.indnkeyatts AS nkeys, ix.indoption::text AS options,
            am.amname AS method, pg_get_expr(ix.indpred, ix.indrelid, true) AS pred,
            array(SELECT pg_get_indexdef(ix.indexrelid, k, true) FROM generate_series(1, ix.indnatts) k ORDER BY k) AS columns
       FROM pg_index ix
       JOIN pg_class i ON i.oid = ix.indexrelid
       JOIN pg_class t ON t.oid = ix.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       JOIN pg_am am ON am.oid = i.relam
      WHERE n.nspname = $1
        AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = ix.indexrelid AND con.contype IN ('p', 'u'))`,
    [schema],
  );
  const fns = await client.query<{
    signature: string;
    result: string;
    language: string;
    volatility: string;
    parallel: string;
    body: string;
  }>(
    `SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS signature, pg_get_function_result(p.oid) AS result,
            l.lanname AS language, p.provolatile AS volatility, p.proparallel AS parallel, p.prosrc AS body
       FROM pg_proc p
       JOIN pg_namespace n ON n.oid = p.pronamespace
       JOIN pg_language l ON l.oid = p.prolang
      WHERE n.nspname = $1`,
    [schema],
  );
  const migrations = await client.query<MigrationRow>(`SELECT version, name FROM ${quoteIdent(schema)}.schema_migrations ORDER BY version`);

  const tables: Record<
    string,
    { columns: Record<string, ColumnDescription>; primaryKey: string[]; unique: string[][]; indexes: Record<string, IndexDescription> }
  > = {};
  const table = (name: string) => (tables[name] ??= { columns: {}, primaryKey: [], unique: [], indexes: {} });
  for (const c of cols.rows) {
    table(c.table).columns[c.name] = {
      type: pgFamily(c.typname),
      sqlType: c.sql_type,
      nullable: !c.notnull,
      ...(c.dflt !== null && c.generated === '' ? { default: pgDefault(c.dflt) } : {}),
      ...(c.identity === 'a' ? { identity: 'always' as const } : c.identity === 'd' ? { identity: 'by default' as const } : {}),
      ...(c.generated === 's' ? { generated: 'stored' as const } : c.generated === 'v' ? { generated: 'virtual' as const } : {}),
    };
  }
  for (const c of cons.rows) {
    if (c.type === 'p') table(c.table).primaryKey = c.columns;
    else table(c.table).unique.push(c.columns);
  }
  for (const i of idx.rows) {
    // indoption per key column: bit 0 is DESC (bit 1, NULLS FIRST, follows DESC by default).
    const options = i.options.split(' ').map(Number);
    const keys = i.columns.slice(0, i.nkeys).map((col, k) => col + ((options[k] ?? 0) & 1 ? ' desc' : ''));
    const include = i.columns.slice(i.nkeys);
    table(i.table).indexes[i.name] = {
      columns: keys,
      ...(include.length ? { include } : {}),
      unique: i.unique,
      ...(i.pred !== null ? { where: collapse(i.pred) } : {}),
      ...(i.method !== 'btree' ? { method: i.method } : {}),
    };
  }
  const VOLATILITY: Record<string, string> = { i: 'immutable', s: 'stable', v: 'volatile' };
  const PARALLEL: Record<string, string> = { s: 'parallel safe', r: 'parallel restricted', u: 'parallel unsafe' };
  const functions: Record<string, string> = {};
  for (const f of [...fns.rows].sort((a, b) => cmp(a.signature, b.signature))) {
    functions[f.signature] =
      `returns ${f.result} language ${f.language} ${VOLATILITY[f.volatility] ?? f.volatility} ${PARALLEL[f.parallel] ?? f.parallel}: ${collapse(f.body)}`;
  }
  return {
    '//': header('postgres'),
    dialect: 'postgres',
    migrations: readMigrations(migrations.rows),
    tables: Object.fromEntries(
      Object.keys(tables)
        .sort(cmp)
        .map((name) => {
          const t = tables[name]!;
          return [
            name,
            {
              columns: sortKeys(t.columns),
              primaryKey: t.primaryKey,
              ...(t.unique.length ? { unique: t.unique.sort(byJson) } : {}),
              indexes: sortKeys(t.indexes),
            },
          ];
        }),
    ),
    functions,
    knownDialectDifferences: { ...KNOWN_DIALECT_DIFFERENCES },
  };
}

/* ------------------------------------------------------------------------- */
/* Comparing                                                                  */
/* ------------------------------------------------------------------------- */

type MigrationRow = { version: number; name: string };

function readMigrations(rows: MigrationRow[]): Record<string, string> {
  return Object.fromEntries(rows.map((r) => [String(r.version), r.name]));
}

/** Code-point order, not the locale's: the files must not depend on the machine that wrote them. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byJson(a: unknown, b: unknown): number {
  return cmp(JSON.stringify(a), JSON.stringify(b));
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.keys(o)
      .sort(cmp)
      .map((k) => [k, o[k]!]),
  );
}

/**
 * One line per fact of a description (`column tasks.state: {...}`), so two descriptions compare as
 * sets of lines and a drift reads as the lines that came and went.
 */
export function descriptionLines(d: SchemaDescription): string[] {
  const j = (v: unknown) => JSON.stringify(v);
  const lines = [`dialect: ${d.dialect}`];
  for (const [v, name] of Object.entries(d.migrations ?? {})) lines.push(`migration ${v}: ${j(name)}`);
  for (const [t, table] of Object.entries(d.tables ?? {})) {
    lines.push(`table ${t}${table.withoutRowid ? ' (without rowid)' : ''}: primary key ${j(table.primaryKey)}`);
    for (const [c, col] of Object.entries(table.columns ?? {})) lines.push(`column ${t}.${c}: ${j(col)}`);
    for (const u of table.unique ?? []) lines.push(`unique ${t}: ${j(u)}`);
    for (const [i, index] of Object.entries(table.indexes ?? {})) lines.push(`index ${t}.${i}: ${j(index)}`);
  }
  for (const [f, def] of Object.entries(d.functions ?? {})) lines.push(`function ${f}: ${j(def)}`);
  for (const [what, why] of Object.entries(d.knownDialectDifferences ?? {})) lines.push(`known difference ${j(what)}: ${j(why)}`);
  return lines;
}

/**
 * What changed from `expected` (the committed description) to `actual` (what the migrations produce
 * now): `- line` for a fact that went away, `+ line` for one that appeared. Empty when they agree.
 * The header comment is not compared: rewording it is not drift.
 */
export function diffDescriptions(expected: SchemaDescription | undefined, actual: SchemaDescription): string[] {
  if (!expected) return ['(no committed description)'];
  const before = new Set(descriptionLines(expected));
  const after = new Set(descriptionLines(actual));
  const gone = [...before].filter((l) => !after.has(l)).map((l) => ['- ', l] as const);
  const came = [...after].filter((l) => !before.has(l)).map((l) => ['+ ', l] as const);
  // Ordered by fact (`column tasks.state`), the removal before the addition, so a change reads as a pair.
  const fact = (l: string) => l.slice(0, l.indexOf(': ') >>> 0);
  return [...gone, ...came].sort((a, b) => cmp(fact(a[1]), fact(b[1])) || cmp(b[0], a[0]) || cmp(a[1], b[1])).map(([sign, l]) => sign + l);
}

/**
 * SQLite has no boolean: a PostgreSQL BOOLEAN column is an INTEGER 0/1 there, with default 0/1 for
 * false/true. Every other family must match.
 */
function sameType(s: ColumnDescription, p: ColumnDescription): boolean {
  return s.type === p.type || (s.type === 'integer' && p.type === 'boolean');
}

function sameDefault(s: ColumnDescription, p: ColumnDescription): boolean {
  if (p.type === 'boolean' && s.type === 'integer') {
    const asInt = p.default === 'false' ? '0' : p.default === 'true' ? '1' : p.default;
    return s.default === asInt;
  }
  return s.default === p.default;
}

function generation(c: ColumnDescription): string {
  return c.generated ? `generated ${c.generated}` : 'not generated';
}

function onlyIn<T>(a: Record<string, T>, b: Record<string, T>): string[] {
  return Object.keys(a).filter((k) => !(k in b));
}

/**
 * The differences between the SQLite and the PostgreSQL descriptions, one line each, sorted. Compared:
 * migration versions and names; tables; column names, type families, nullability (not of primary
 * key columns: SQLite lets a non-INTEGER PRIMARY KEY column of a rowid table hold NULL, a documented
 * legacy quirk), defaults and generation; primary keys; unique constraints; index names, columns
 * (PostgreSQL's INCLUDE columns count as trailing keys: SQLite covers with trailing keys) and whether
 * they are unique or partial. Not compared: exact types (INTEGER vs BIGINT), identities (SQLite's
 * rowid alias is not an identity), predicates' spelling (`listed = 1` vs `listed`), functions.
 */
export function compareDialects(sqlite: SchemaDescription, postgres: SchemaDescription): string[] {
  const out: string[] = [];
  const sm = sqlite.migrations;
  const pm = postgres.migrations;
  for (const v of onlyIn(sm, pm)) out.push(`migration ${v}: sqlite only`);
  for (const v of onlyIn(pm, sm)) out.push(`migration ${v}: postgres only`);
  for (const v of Object.keys(sm).filter((k) => k in pm && sm[k] !== pm[k])) {
    out.push(`migration ${v}: ${JSON.stringify(sm[v])} (sqlite) vs ${JSON.stringify(pm[v])} (postgres)`);
  }
  const st = sqlite.tables;
  const pt = postgres.tables;
  for (const t of onlyIn(st, pt)) out.push(`table ${t}: sqlite only`);
  for (const t of onlyIn(pt, st)) out.push(`table ${t}: postgres only`);
  for (const t of Object.keys(st).filter((k) => k in pt)) {
    const s = st[t]!;
    const p = pt[t]!;
    for (const c of onlyIn(s.columns, p.columns)) out.push(`column ${t}.${c}: sqlite only`);
    for (const c of onlyIn(p.columns, s.columns)) out.push(`column ${t}.${c}: postgres only`);
    for (const c of Object.keys(s.columns).filter((k) => k in p.columns)) {
      const sc = s.columns[c]!;
      const pc = p.columns[c]!;
      const at = `column ${t}.${c}`;
      if (!sameType(sc, pc)) out.push(`${at}: type ${sc.type} (sqlite) vs ${pc.type} (postgres)`);
      if (!p.primaryKey.includes(c) && sc.nullable !== pc.nullable) {
        out.push(`${at}: ${sc.nullable ? 'nullable' : 'not null'} (sqlite) vs ${pc.nullable ? 'nullable' : 'not null'} (postgres)`);
      }
      if (!sameDefault(sc, pc)) out.push(`${at}: default ${sc.default ?? 'none'} (sqlite) vs ${pc.default ?? 'none'} (postgres)`);
      if (sc.generated !== pc.generated) out.push(`${at}: ${generation(sc)} (sqlite) vs ${generation(pc)} (postgres)`);
    }
    const keys = JSON.stringify;
    if (keys(s.primaryKey) !== keys(p.primaryKey))
      out.push(`table ${t}: primary key ${keys(s.primaryKey)} (sqlite) vs ${keys(p.primaryKey)} (postgres)`);
    const su = new Set((s.unique ?? []).map((u) => keys(u)));
    const pu = new Set((p.unique ?? []).map((u) => keys(u)));
    for (const u of su) if (!pu.has(u)) out.push(`unique ${t} ${u}: sqlite only`);
    for (const u of pu) if (!su.has(u)) out.push(`unique ${t} ${u}: postgres only`);
    for (const i of onlyIn(s.indexes, p.indexes)) out.push(`index ${t}.${i}: sqlite only`);
    for (const i of onlyIn(p.indexes, s.indexes)) out.push(`index ${t}.${i}: postgres only`);
    for (const i of Object.keys(s.indexes).filter((k) => k in p.indexes)) {
      const si = s.indexes[i]!;
      const pi = p.indexes[i]!;
      const at = `index ${t}.${i}`;
      const sCols = [...si.columns, ...(si.include ?? [])];
      const pCols = [...pi.columns, ...(pi.include ?? [])];
      if (keys(sCols) !== keys(pCols)) out.push(`${at}: columns ${keys(sCols)} (sqlite) vs ${keys(pCols)} (postgres)`);
      if (si.unique !== pi.unique)
        out.push(`${at}: ${si.unique ? 'unique' : 'not unique'} (sqlite) vs ${pi.unique ? 'unique' : 'not unique'} (postgres)`);
      if ((si.where === undefined) !== (pi.where === undefined)) {
        out.push(`${at}: ${si.where ? 'partial' : 'not partial'} (sqlite) vs ${pi.where ? 'partial' : 'not partial'} (postgres)`);
      }
    }
  }
  return out.sort(cmp);
}

/**
 * compareDialects() against KNOWN_DIALECT_DIFFERENCES: `unexpected` differences (not listed) and
 * `stale` entries (listed, no longer occurring). Both must be empty.
 */
export function checkDialectDifferences(sqlite: SchemaDescription, postgres: SchemaDescription): { unexpected: string[]; stale: string[] } {
  const found = compareDialects(sqlite, postgres);
  return {
    unexpected: found.filter((d) => !(d in KNOWN_DIALECT_DIFFERENCES)),
    stale: Object.keys(KNOWN_DIALECT_DIFFERENCES).filter((d) => !found.includes(d)),
  };
}
