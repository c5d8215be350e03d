import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { findSeType } from '../src/domain/catalog.js';
import { ID_FAMILY, newId } from '../src/domain/ids.js';
import { taskPostPriceMicro } from '../src/domain/pricing.js';
import { parseTaskRequest } from '../src/domain/task-request.js';
import { createAccount } from '../src/services/accounts.js';
import { readyRowJson } from '../src/services/post-tasks.js';
import { SQLITE_MIGRATIONS } from '../src/store/sqlite/migrations.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';

/**
 * Seeds a serpq SQLite database for the benchmark, directly through better-sqlite3 (no HTTP):
 * migrations by the real store, accounts by the real createAccount, rows in the exact shape task_post
 * and the worker write them (ids by newId, ready_json by readyRowJson, data by parseTaskRequest).
 *
 * Layout for `total` rows (the bench accounts' share is a fixed fraction, the rest is filler):
 *  - bench-ready: exactly READY_ROWS listed, uncollected tasks completed in the last hour (a full
 *    tasks_ready page), plus 10% of total collected and 2% completed 4-30 days ago, never collected
 *    (in the ready index but outside the 3-day window).
 *  - bench-empty: no task in the window: 10% collected, 2% old uncollected.
 *  - 8 filler accounts: the rest; per account 0.5% of total ready (so the ready indexes hold other
 *    accounts' rows), 5% postback tasks (listed = 0), 10% old uncollected, the others collected.
 * Every task is done (state 2); the queue is empty.
 *
 * The file is cached next to a sidecar JSON (`<db>.json`); a rerun reuses it when the sidecar and
 * the row count match, and moves the bench-ready rows' completion time to the last hour again.
 */

export const READY_ROWS = 1000;
export const BENCH_PASSWORD = 'bench-password';
export const READY_LOGIN = 'bench-ready';
export const EMPTY_LOGIN = 'bench-empty';
const FILLERS = 8;
const SEED_FORMAT = 2;
/** The cache is only valid for the exact schema it was seeded with (migrations may still change in development). */
const MIGRATIONS_HASH = createHash('sha256').update(JSON.stringify(SQLITE_MIGRATIONS)).digest('hex').slice(0, 16);
const DAY = 24 * 3600_000;

export const HIGH_LIMITS = { tasks_ready_per_minute: 100_000_000, requests_per_minute: 100_000_000, concurrent_requests: 1000 };

export interface SeedInfo {
  readonly format: number;
  readonly total: number;
  readonly migrations: string;
  readonly readyAccountId: number;
  readonly emptyAccountId: number;
  /** completed_at of the bench-ready rows is readyBase + i (ms), i < READY_ROWS. */
  readyBase: number;
  readonly seedMs: number;
  readonly seededAt: string;
  readonly fileBytes: number;
}

export interface SeedOutcome extends SeedInfo {
  readonly reused: boolean;
}

// Keywords: 40 x 50 combinations, deterministic.
const HEADS = [
  'albert einstein',
  'iphone',
  'mountain',
  'sunset',
  'coffee',
  'golden retriever',
  'tesla',
  'paris',
  'sushi',
  'guitar',
  'wedding dress',
  'kitchen',
  'tattoo',
  'bmw',
  'cat',
  'lighthouse',
  'garden',
  'football',
  'watch',
  'sneakers',
  'living room',
  'pizza',
  'bicycle',
  'desert',
  'forest',
  'anime',
  'logo',
  'wallpaper',
  'cake',
  'horse',
  'yacht',
  'castle',
  'robot',
  'rose',
  'piano',
  'beach',
  'skyline',
  'owl',
  'volcano',
  'library',
];
const TAILS = [
  '',
  ' wallpaper',
  ' 4k',
  ' drawing',
  ' aesthetic',
  ' black and white',
  ' vintage',
  ' minimalist',
  ' hd',
  ' png',
  ' ideas',
  ' photography',
  ' at night',
  ' in winter',
  ' cartoon',
  ' close up',
  ' sketch',
  ' watercolor',
  ' poster',
  ' icon',
  ' background',
  ' art',
  ' design',
  ' interior',
  ' 2025',
  ' clipart',
  ' outline',
  ' neon',
  ' retro',
  ' modern',
  ' cute',
  ' realistic',
  ' abstract',
  ' pattern',
  ' texture',
  ' logo png',
  ' transparent',
  ' banner',
  ' illustration',
  ' collage',
  ' portrait',
  ' landscape',
  ' macro',
  ' aerial view',
  ' infographic',
  ' meme',
  ' sticker',
  ' 3d render',
  ' pixel art',
  ' oil painting',
];
export const KEYWORDS: readonly string[] = HEADS.flatMap((h) => TAILS.map((t) => h + t));

const KIND_READY = 0;
const KIND_COLLECTED = 1;
const KIND_OLD = 2;
const KIND_POSTBACK = 3;

export const FILLER_ACCOUNTS = FILLERS;
export const KIND = Object.freeze({ READY: KIND_READY, COLLECTED: KIND_COLLECTED, OLD: KIND_OLD, POSTBACK: KIND_POSTBACK });

export interface PlanSegment {
  readonly account: number;
  readonly kind: number;
  readonly n: number;
}

/** How `total` rows split into (account, kind) segments; shared by the SQLite and PostgreSQL seeds. */
export function planRows(total: number, readyId: number, emptyId: number, fillerIds: readonly number[]): PlanSegment[] {
  const plan: PlanSegment[] = [];
  const pct = (p: number) => Math.round(total * p);
  plan.push({ account: readyId, kind: KIND_READY, n: READY_ROWS });
  plan.push({ account: readyId, kind: KIND_COLLECTED, n: pct(0.1) });
  plan.push({ account: readyId, kind: KIND_OLD, n: pct(0.02) });
  plan.push({ account: emptyId, kind: KIND_COLLECTED, n: pct(0.1) });
  plan.push({ account: emptyId, kind: KIND_OLD, n: pct(0.02) });
  const used = plan.reduce((a, p) => a + p.n, 0);
  if (used > total) throw new Error(`total ${total} is too small for the bench accounts (${used} rows)`);
  const fillers = fillerIds.length;
  const perFiller = Math.floor((total - used) / fillers);
  for (let f = 0; f < fillers; f++) {
    const n = f === fillers - 1 ? total - used - perFiller * (fillers - 1) : perFiller;
    const ready = Math.min(n, pct(0.005));
    const postback = Math.min(n - ready, pct(0.05));
    const old = Math.min(n - ready - postback, pct(0.1));
    plan.push({ account: fillerIds[f], kind: KIND_READY, n: ready });
    plan.push({ account: fillerIds[f], kind: KIND_POSTBACK, n: postback });
    plan.push({ account: fillerIds[f], kind: KIND_OLD, n: old });
    plan.push({ account: fillerIds[f], kind: KIND_COLLECTED, n: n - ready - postback - old });
  }
  return plan;
}

function sidecarPath(dbPath: string): string {
  return `${dbPath}.json`;
}

function removeDb(dbPath: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal', '.json']) rmSync(dbPath + suffix, { force: true });
}

function readSidecar(dbPath: string): SeedInfo | null {
  try {
    return JSON.parse(readFileSync(sidecarPath(dbPath), 'utf8')) as SeedInfo;
  } catch {
    return null;
  }
}

/** A tiny deterministic PRNG (mulberry32), so two seeds of the same size look alike. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Returns the cached database when valid, otherwise seeds it afresh. */
export async function ensureSeeded(
  dbPath: string,
  total: number,
  options: { force?: boolean; log?: (s: string) => void } = {},
): Promise<SeedOutcome> {
  const log = options.log ?? (() => {});
  const info = options.force ? null : readSidecar(dbPath);
  if (info && existsSync(dbPath) && info.format === SEED_FORMAT && info.total === total && info.migrations === MIGRATIONS_HASH) {
    const store = new SqliteStore({ path: dbPath });
    await store.migrate();
    const db = store.database;
    const count = db.prepare('SELECT count(*) FROM tasks').pluck().get() as number;
    if (count === total) {
      // Move the ready rows back into the 3-day window (completed in the last hour).
      const newBase = Date.now() - 3600_000;
      const delta = newBase - info.readyBase;
      const moved = db
        .prepare(
          'UPDATE tasks SET completed_at = completed_at + ? WHERE account_id = ? AND state = 2 AND listed = 1 AND collected_at IS NULL AND completed_at >= ? AND completed_at < ?',
        )
        .run(delta, info.readyAccountId, info.readyBase, info.readyBase + READY_ROWS).changes;
      db.pragma('wal_checkpoint(TRUNCATE)');
      await store.close();
      if (moved === READY_ROWS) {
        info.readyBase = newBase;
        writeFileSync(sidecarPath(dbPath), JSON.stringify(info, null, 2));
        log(`reusing ${dbPath} (${total.toLocaleString('en-US')} tasks)`);
        return { ...info, reused: true };
      }
      log(`cached ${dbPath}: ${moved} ready rows instead of ${READY_ROWS}, seeding again`);
    } else {
      await store.close();
      log(`cached ${dbPath}: ${count} rows instead of ${total}, seeding again`);
    }
  }
  return { ...(await seed(dbPath, total, log)), reused: false };
}

async function seed(dbPath: string, total: number, log: (s: string) => void): Promise<SeedInfo> {
  const started = performance.now();
  removeDb(dbPath);
  const store = new SqliteStore({ path: dbPath });
  await store.migrate();
  const now = Date.now();
  const mk = (login: string) =>
    createAccount(store, now - 40 * DAY, { login, password: BENCH_PASSWORD, balance: 1_000_000, limits: HIGH_LIMITS });
  const readyAcct = await mk(READY_LOGIN);
  const emptyAcct = await mk(EMPTY_LOGIN);
  const fillers = [];
  for (let i = 1; i <= FILLERS; i++) fillers.push(await mk(`bench-filler-${i}`));

  // Row plan: kind and account per row, then a posting time; rows are inserted in posting-time order
  // (as a live system writes them), which also keeps newId's per-minute prefix cache warm.
  const plan = planRows(
    total,
    readyAcct.id,
    emptyAcct.id,
    fillers.map((f) => f.id),
  );

  const rand = rng(0x5e7f00d + total);
  const accountOf = new Int32Array(total);
  const kindOf = new Uint8Array(total);
  const completedAt = new Float64Array(total);
  let k = 0;
  const readyBase = now - 3600_000;
  let benchReady = 0;
  for (const p of plan) {
    for (let i = 0; i < p.n; i++, k++) {
      accountOf[k] = p.account;
      kindOf[k] = p.kind;
      let c: number;
      if (p.kind === KIND_READY)
        c = p.account === readyAcct.id ? readyBase + benchReady++ : now - 2 * DAY + rand() * (2 * DAY - 2 * 3600_000);
      else if (p.kind === KIND_OLD) c = now - 30 * DAY + rand() * (26 * DAY);
      else c = now - 30 * DAY + rand() * (30 * DAY - 2 * 3600_000);
      completedAt[k] = Math.floor(c);
    }
  }
  const order = new Uint32Array(total);
  for (let i = 0; i < total; i++) order[i] = i;
  order.sort((a, b) => completedAt[a] - completedAt[b]);

  // Request JSON (the stored `data`) per keyword and tag, from the real validator.
  const def = findSeType('google', 'images');
  if (!def) throw new Error('google/images is not in the catalog');
  const TAGS = [null, 'bench-a', 'bench-b', 'campaign-2025', 'client-42'];
  const dataCache = new Map<string, { data: string; cost: number }>();
  const requestOf = (kw: string, tag: string | null) => {
    const key = `${kw}|${tag}`;
    let hit = dataCache.get(key);
    if (!hit) {
      const parsed = parseTaskRequest(def, { keyword: kw, location_code: 2840, language_code: 'en', ...(tag ? { tag } : {}) }, 'task_post');
      if (!parsed.ok) throw new Error(`seed task invalid: ${parsed.field}`);
      hit = { data: JSON.stringify(parsed.data), cost: taskPostPriceMicro(def, parsed.task) };
      dataCache.set(key, hit);
    }
    return hit;
  };

  const db = store.database;
  // Bulk-load settings: no journal, no fsync, a big page cache, and the secondary indexes built
  // after the load (one sort each instead of a million B-tree inserts). Restored to WAL afterwards.
  const indexes = db
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tasks' AND sql IS NOT NULL")
    .all() as { name: string; sql: string }[];
  db.pragma('journal_mode = DELETE');
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -524288');
  for (const ix of indexes) db.exec(`DROP INDEX ${ix.name}`);

  const insert = db.prepare(
    `INSERT INTO tasks (id, account_id, se, se_type, state, status_code, status_message, priority, tag, data, postback_url, postback_data,
       pingback_url, cost_micro, posted_at, run_after, completed_at, collected_at, lease_owner, lease_expires_at, attempts, webhook_state, listed, ready_json)
     VALUES (?, ?, 'google', 'images', 2, 20000, 'Ok.', 1, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, NULL, NULL, 1, ?, ?, ?)`,
  );
  const BATCH = 50_000;
  const insertBatch = db.transaction((from: number, to: number) => {
    for (let j = from; j < to; j++) {
      const r = order[j];
      const kind = kindOf[r];
      const account = accountOf[r];
      const completed = completedAt[r];
      const posted = completed - 1000 - Math.floor(rand() * 60_000);
      const kw = KEYWORDS[Math.floor(rand() * KEYWORDS.length)];
      const tag = TAGS[Math.floor(rand() * TAGS.length)] ?? null;
      const { data, cost } = requestOf(kw, tag);
      const id = newId(posted, account, ID_FAMILY.TASK_POST);
      const postback = kind === KIND_POSTBACK;
      const collected = kind === KIND_COLLECTED || postback ? Math.min(now - 60_000, completed + Math.floor(rand() * 3600_000)) : null;
      insert.run(
        id,
        account,
        tag,
        data,
        postback ? 'https://hooks.example.com/serp?id=$id' : null,
        postback ? 'advanced' : null,
        cost,
        posted,
        posted,
        completed,
        collected,
        postback ? 'delivered' : 'none',
        postback ? 0 : 1,
        readyRowJson(def, id, posted, tag),
      );
    }
  });
  for (let from = 0; from < total; from += BATCH) {
    insertBatch(from, Math.min(total, from + BATCH));
    if ((from / BATCH) % 5 === 4)
      log(`  seeded ${Math.min(total, from + BATCH).toLocaleString('en-US')} / ${total.toLocaleString('en-US')} tasks`);
  }
  const loadedMs = performance.now() - started;
  for (const ix of indexes) db.exec(ix.sql);
  // The balances the tasks would have debited are irrelevant here: every account keeps 1,000,000 USD.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  await store.close();

  const seedMs = performance.now() - started;
  log(
    `seeded ${dbPath}: ${total.toLocaleString('en-US')} tasks in ${(seedMs / 1000).toFixed(1)} s (rows ${(loadedMs / 1000).toFixed(1)} s, indexes ${((seedMs - loadedMs) / 1000).toFixed(1)} s)`,
  );
  const { size } = statSync(dbPath);
  const info: SeedInfo = {
    format: SEED_FORMAT,
    total,
    migrations: MIGRATIONS_HASH,
    readyAccountId: readyAcct.id,
    emptyAccountId: emptyAcct.id,
    readyBase,
    seedMs: Math.round(seedMs),
    seededAt: new Date().toISOString(),
    fileBytes: size,
  };
  writeFileSync(sidecarPath(dbPath), JSON.stringify(info, null, 2));
  return info;
}
