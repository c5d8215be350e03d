import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { renderImagesAdvanced, type ImagesRenderInput } from '../src/executors/sandbox/google-images.js';
import { renderOrganicAdvanced } from '../src/executors/sandbox/organic.js';
import type { SerpRenderInput } from '../src/executors/sandbox/render-input.js';
import { createAccount } from '../src/services/accounts.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { httpGet, runLoad, sequential, type LoadRun } from './load.js';
import { runPgBench } from './pg-bench.js';
import { summarizeProfile } from './profile.js';
import { runRelayBench } from './relay.js';
import { runRelayLatencyBench } from './relay-latency.js';
import { runReplayBench } from './replay.js';
import { runStartupBench } from './startup.js';
import { runCatalogIngestBench } from './catalog-ingest.js';
import { runCatalogRenderBench } from './catalog-render.js';
import { runEmulatorStartBench } from './emulator-start.js';
import { runWebhookBench } from './webhooks.js';
import { type Child, HAS_TASKSET, cpuModel, pinSelf, sleep, spawnChild, waitForOutput } from './proc.js';
import { BENCH_PASSWORD, EMPTY_LOGIN, HIGH_LIMITS, KEYWORDS, READY_LOGIN, READY_ROWS, ensureSeeded } from './seed.js';
import { fmtInt, markdownTable, mean, median, percentile, round, table } from './stats.js';

/**
 * `npm run bench`: serpq against a bare node:http baseline, in one run, on this machine.
 *
 *  1. tasks_ready full page (1000 rows) and empty list: serpq (1M stored tasks) vs a bare node:http
 *     server answering JSON.stringify of the same envelope; interleaved rounds, median of ratios.
 *  2. Latency flatness: sequential tasks_ready p50 with 10k vs 1M stored tasks (same 1000-row page).
 *  3. task_post ingest over HTTP (100 tasks per call, workers off), then execution by `serpq worker`.
 *  4. Sandbox render micro-benchmark (google/images advanced, depth 100).
 *
 * Servers and workers run in child processes pinned to core 0, this process (autocannon, SQLite
 * polling) to core 1, when taskset exists. Flags: --quick (short smoke run), --reseed,
 * --rows <n> (default 1000000), --rounds <n> (default 5), --profile (instead of measuring: CPU
 * profiles of serpq under the empty-list, full-page and task_post loads, summarised on stdout and
 * written to bench/results/profiles/). Other parts: --webhooks (bench/webhooks.ts), --pg
 * (bench/pg-bench.ts), --relay (bench/relay.ts), --relay-latency (bench/relay-latency.ts: a live Labs call through the
 * relay against the upstream alone, and the relay's CPU per forwarded task), --replay (bench/replay.ts), --startup (bench/startup.ts),
 * --catalog (bench/catalog-render.ts: the sandbox's render time for every other API; bench/catalog-ingest.ts:
 * ingest of Google Ads tasks of 1,000 keywords against SERP tasks).
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BENCH = join(ROOT, 'bench');
const DATA = join(BENCH, '.data');
const RESULTS = join(BENCH, 'results');
const BUILD = join(DATA, 'build');
const ADMIN_TOKEN = 'bench-admin-token';
const SERVER_CPU = 0;
const LOAD_CPU = 1;

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const option = (name: string, fallback: number) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] ? Number(argv[i + 1]) : fallback;
};
const QUICK = flag('--quick');
const ROWS = option('--rows', QUICK ? 100_000 : 1_000_000);
const SMALL_ROWS = 10_000;
const ROUNDS = option('--rounds', QUICK ? 1 : 5);
const WARM_S = 1;
const MEASURE_S = QUICK ? 2 : 3;
const READY_CONNECTIONS = 8;
const FLAT_REQUESTS = QUICK ? 60 : 200;
const FLAT_BLOCK = QUICK ? 30 : 50;
const INGEST_S = QUICK ? 4 : 10;
const INGEST_CONNECTIONS = 12;
const TASKS_PER_CALL = 100;
const EXEC_CAP_S = QUICK ? 15 : 45;
const RENDER_ITERATIONS = QUICK ? 500 : 3000;

const basic = (login: string) => 'Basic ' + Buffer.from(`${login}:${BENCH_PASSWORD}`).toString('base64');
const log = (s: string) => console.log(s);
const phaseTimes: Record<string, number> = {};
const loadAverages: Record<string, number> = {};
async function phase<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  log(
    `\n== ${name} (load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')})`,
  );
  loadAverages[name] = loadavg()[0];
  try {
    return await fn();
  } finally {
    phaseTimes[name] = round((performance.now() - t0) / 1000, 1);
  }
}

/** What the PostgreSQL, webhook and relay parts (bench/pg-bench.ts, bench/webhooks.ts, bench/relay.ts) use from this runner. */
export interface BenchContext {
  readonly root: string;
  readonly data: string;
  readonly results: string;
  readonly quick: boolean;
  readonly argv: readonly string[];
  readonly machine: Record<string, unknown>;
  readonly serverCpu: number;
  readonly loadCpu: number;
  readonly adminToken: string;
  readonly serpqCmd: { command: string; prefix: string[]; how: string };
  log(s: string): void;
  phase<T>(name: string, fn: () => Promise<T>): Promise<T>;
  startSerpq(db: string, extra?: string[], nodeArgs?: string[], cpu?: number | string | null): Promise<{ child: Child; base: string }>;
  startBare(fullFile: string, emptyFile: string): Promise<{ child: Child; base: string }>;
  throughputPairing: typeof throughputPairing;
  flatness: typeof flatness;
  expectPage: typeof expectPage;
  ingestRequests(login?: string): ReturnType<typeof ingestRequests>;
  ingestBodies(): string[];
  basic(login: string): string;
  readonly loadAverages: Record<string, number>;
  readonly phaseTimes: Record<string, number>;
}

// ---------------------------------------------------------------------------------------------------
// Children

function build(): { command: string; prefix: string[]; how: string } {
  const main = join(BUILD, 'cli', 'main.js');
  try {
    execFileSync(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
        '-p',
        join(ROOT, 'tsconfig.build.json'),
        '--outDir',
        BUILD,
        '--declaration',
        'false',
        '--sourceMap',
        'false',
      ],
      {
        cwd: ROOT,
        stdio: 'pipe',
      },
    );
  } catch (err) {
    // tsc emits despite type errors (a work tree may be mid-edit); only a missing file is fatal.
    log(`  tsc reported errors (building anyway): ${String((err as { stdout?: Buffer }).stdout ?? err).slice(0, 500)}`);
  }
  // The command line as the package runs it (dist/bin: scripts/build-cli.mjs), except for the parts
  // that print CPU profiles (--profile, --relay), whose function names read better per file.
  const bundled = join(BUILD, 'bin', 'main.js');
  if (!flag('--profile') && !flag('--relay') && !flag('--relay-latency-profile') && existsSync(main)) {
    try {
      execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs'), '--out', join(BUILD, 'bin')], { cwd: ROOT, stdio: 'pipe' });
      return { command: process.execPath, prefix: [bundled], how: `node ${bundled}` };
    } catch (err) {
      log(`  bundling failed (running the per-file build): ${String((err as { stderr?: Buffer }).stderr ?? err).slice(0, 500)}`);
    }
  }
  if (existsSync(main)) return { command: process.execPath, prefix: [main], how: `node ${main}` };
  log('  no compiled build: running src/cli/main.ts through tsx');
  return {
    command: process.execPath,
    prefix: ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts')],
    how: 'node --import tsx src/cli/main.ts',
  };
}

let serpqCmd: { command: string; prefix: string[]; how: string };

async function startSerpq(
  db: string,
  extra: string[] = ['--no-workers'],
  nodeArgs: string[] = [],
  cpu: number | string | null = SERVER_CPU,
): Promise<{ child: Child; base: string }> {
  const child = spawnChild(
    serpqCmd.command,
    [
      ...nodeArgs,
      ...serpqCmd.prefix,
      'serve',
      '--db',
      db,
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--admin-token',
      ADMIN_TOKEN,
      '--log-level',
      'silent',
      ...extra,
    ],
    { cpu: cpu ?? undefined, cwd: ROOT },
  );
  const port = await waitForOutput(child, /serving the DataForSEO v3 SERP API at http:\/\/127\.0\.0\.1:(\d+)/);
  return { child, base: `http://127.0.0.1:${port}` };
}

async function startBare(fullFile: string, emptyFile: string): Promise<{ child: Child; base: string }> {
  const child = spawnChild(process.execPath, ['--import', 'tsx', join(BENCH, 'bare-server.ts'), fullFile, emptyFile], {
    cpu: SERVER_CPU,
    cwd: ROOT,
  });
  const port = await waitForOutput(child, /bare listening on (\d+)/);
  return { child, base: `http://127.0.0.1:${port}` };
}

// ---------------------------------------------------------------------------------------------------
// Checks

interface Envelope {
  status_code: number;
  tasks: { status_code: number; result_count: number; result: unknown[] | null }[] | null;
}

function expectPage(body: string, rows: number, what: string): Envelope {
  const env = JSON.parse(body) as Envelope;
  const t = env.tasks?.[0];
  if (env.status_code !== 20000 || !t || t.status_code !== 20000 || t.result_count !== rows) {
    throw new Error(`${what}: expected ${rows} rows, got ${body.slice(0, 400)}`);
  }
  return env;
}

// ---------------------------------------------------------------------------------------------------
// 1. tasks_ready throughput vs bare node:http

export interface Pairing {
  readonly name: string;
  readonly bare: LoadRun[];
  readonly serpq: LoadRun[];
  readonly ratios: number[];
  /** serpq / bare in requests per second of server CPU (robust to other load on the machine). */
  readonly cpuRatios: number[];
  readonly bodyBytes: { bare: number; serpq: number };
}

async function throughputPairing(
  name: string,
  bareUrl: string,
  bare: Child,
  serpqUrl: string,
  serpq: Child,
  headers: Record<string, string>,
  bodyBytes: { bare: number; serpq: number },
  options: { rounds?: number; serpqProbe?: () => () => number; probeName?: string } = {},
): Promise<Pairing> {
  const out: Pairing = { name, bare: [], serpq: [], ratios: [], cpuRatios: [], bodyBytes };
  const one = async (who: 'bare' | 'serpq') => {
    const url = who === 'bare' ? bareUrl : serpqUrl;
    const pid = who === 'bare' ? bare.pid : serpq.pid;
    const cpuProbe = who === 'serpq' ? options.serpqProbe : undefined;
    await runLoad({ url, connections: READY_CONNECTIONS, durationS: WARM_S, headers });
    const r = await runLoad({ url, connections: READY_CONNECTIONS, durationS: MEASURE_S, headers, serverPid: pid, cpuProbe });
    if (r.errors > 0 || r.non2xx > 0) throw new Error(`${name} ${who}: ${r.errors} errors, ${r.non2xx} non-2xx`);
    const probe = cpuProbe ? `, ${options.probeName ?? 'probe'} cpu ${round(r.probeCpu * 100, 0)}%` : '';
    log(
      `  ${name} ${who.padEnd(5)} ${fmtInt(r.rps).padStart(7)} req/s  p50 ${r.p50Ms} ms  p99 ${r.p99Ms} ms  ${round(r.mbPerSec, 1)} MB/s  server cpu ${round(r.serverCpu * 100, 0)}% (${fmtInt(r.perServerCpuSec)} req per cpu-s), load gen cpu ${round(r.loadGenCpu * 100, 0)}%${probe}`,
    );
    return r;
  };
  for (let i = 0; i < (options.rounds ?? ROUNDS); i++) {
    // Alternate who goes first, so a slow drift of the machine does not favour one side.
    const order: ('bare' | 'serpq')[] = i % 2 === 0 ? ['bare', 'serpq'] : ['serpq', 'bare'];
    const got: Partial<Record<'bare' | 'serpq', LoadRun>> = {};
    for (const who of order) got[who] = await one(who);
    out.bare.push(got.bare as LoadRun);
    out.serpq.push(got.serpq as LoadRun);
    out.ratios.push((got.serpq as LoadRun).rps / (got.bare as LoadRun).rps);
    out.cpuRatios.push((got.serpq as LoadRun).perServerCpuSec / (got.bare as LoadRun).perServerCpuSec);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// 2. Latency flatness: the same 1000-row page, small vs big database, sequential requests

export interface FlatRow {
  readonly scope: string;
  readonly requests: number;
  readonly smallP50Ms: number;
  readonly bigP50Ms: number;
  readonly smallP99Ms: number;
  readonly bigP99Ms: number;
  readonly smallServerP50Ms: number;
  readonly bigServerP50Ms: number;
  readonly ratio: number;
  readonly serverRatio: number;
}

async function flatness(
  smallServer: { base: string },
  big: { base: string },
  smallRows: number,
  bigRows: number,
  headers: Record<string, string>,
): Promise<FlatRow[]> {
  const scopes = ['/v3/serp/tasks_ready', '/v3/serp/google/tasks_ready', '/v3/serp/google/images/tasks_ready'];
  const check = (b: string) => {
    if (!b.includes(`"result_count":${READY_ROWS},`)) throw new Error(`flatness: page is not ${READY_ROWS} rows: ${b.slice(0, 300)}`);
  };
  const rows: FlatRow[] = [];
  for (const scope of scopes) {
    for (const s of [smallServer, big]) await sequential(s.base + scope, headers, 30, check);
    const acc = { small: { c: [] as number[], s: [] as number[] }, big: { c: [] as number[], s: [] as number[] } };
    for (let done = 0; done < FLAT_REQUESTS; done += FLAT_BLOCK) {
      for (const [key, s] of [
        ['small', smallServer],
        ['big', big],
      ] as const) {
        const r = await sequential(s.base + scope, headers, FLAT_BLOCK, check);
        acc[key].c.push(...r.samples);
        acc[key].s.push(...r.serverTimes);
      }
    }
    const row: FlatRow = {
      scope,
      requests: acc.small.c.length,
      smallP50Ms: median(acc.small.c),
      bigP50Ms: median(acc.big.c),
      smallP99Ms: percentile(acc.small.c, 99),
      bigP99Ms: percentile(acc.big.c, 99),
      smallServerP50Ms: median(acc.small.s),
      bigServerP50Ms: median(acc.big.s),
      ratio: median(acc.big.c) / median(acc.small.c),
      serverRatio: median(acc.big.s) / median(acc.small.s),
    };
    log(
      `  ${scope}: p50 ${round(row.smallP50Ms, 3)} ms (${fmtInt(smallRows)}) vs ${round(row.bigP50Ms, 3)} ms (${fmtInt(bigRows)}) = ${round(row.ratio, 3)}x; service time p50 ${round(row.smallServerP50Ms, 2)} vs ${round(row.bigServerP50Ms, 2)} ms`,
    );
    rows.push(row);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------
// 3. Ingest and execution

function ingestBodies(): string[] {
  const bodies: string[] = [];
  for (let b = 0; b < 64; b++) {
    const tasks = [];
    for (let i = 0; i < TASKS_PER_CALL; i++) {
      const n = b * TASKS_PER_CALL + i;
      const task: Record<string, unknown> = {
        keyword: `${KEYWORDS[(n * 7) % KEYWORDS.length]} ${n % 97}`,
        location_code: 2840,
        language_code: 'en',
      };
      if (n % 5 === 0) task.tag = `batch-${b}`;
      if (n % 10 === 3) task.priority = 2;
      if (n % 20 === 7) task.depth = 200;
      tasks.push(task);
    }
    bodies.push(JSON.stringify(tasks));
  }
  return bodies;
}

interface IngestResult {
  readonly tasksPerSec: number;
  readonly callsPerSec: number;
  readonly callP50Ms: number;
  readonly callP99Ms: number;
  readonly serverCpu: number;
  /** Tasks accepted per second of server CPU time. */
  readonly tasksPerServerCpuSec: number;
  readonly tasksAccepted: number;
  readonly durationS: number;
}

interface ExecResult {
  readonly queued: number;
  readonly completed: number;
  readonly tasksPerSec: number;
  readonly drained: boolean;
  readonly drainS: number;
  readonly workerCpu: number;
  /** Tasks completed per second of worker CPU time. */
  readonly tasksPerWorkerCpuSec: number;
  readonly curve: { t: number; done: number }[];
}

/** A fresh database with one ingest account (1,000,000 USD, high limits). */
async function freshIngestDb(name: string): Promise<string> {
  const db = join(DATA, name);
  removeDb(db);
  const store = new SqliteStore({ path: db });
  await store.migrate();
  await createAccount(store, Date.now(), { login: 'bench-ingest', password: BENCH_PASSWORD, balance: 1_000_000, limits: HIGH_LIMITS });
  await store.close();
  return db;
}

function removeDb(db: string): void {
  for (const s of ['', '-wal', '-shm']) rmSync(db + s, { force: true });
}

function ingestRequests(login = 'bench-ingest') {
  const bodies = ingestBodies();
  let next = 0;
  return [
    {
      method: 'POST',
      path: '/v3/serp/google/images/task_post',
      headers: { authorization: basic(login), 'content-type': 'application/json' },
      setupRequest: (req: { body?: string | Buffer }) => ({ ...req, body: bodies[next++ % bodies.length] }),
    },
  ];
}

async function ingestAndExecute(): Promise<{ ingest: IngestResult; exec: ExecResult }> {
  const db = await freshIngestDb('ingest.db');
  const { child, base } = await startSerpq(db, ['--no-workers']);
  const counter = new Database(db, { readonly: true, fileMustExist: true });
  const countAll = counter.prepare('SELECT count(*) FROM tasks').pluck();
  const bodies = ingestBodies();
  const requests = ingestRequests();
  // One checked call first: all 100 tasks must be created (20100), or the numbers mean nothing.
  const check = await httpGet(
    `${base}/v3/serp/google/images/task_post`,
    { authorization: basic('bench-ingest'), 'content-type': 'application/json' },
    'POST',
    bodies[0],
  );
  const checked = JSON.parse(check.body) as { tasks: { status_code: number }[] };
  const created = checked.tasks.filter((t) => t.status_code === 20100).length;
  if (created !== TASKS_PER_CALL) throw new Error(`task_post created ${created}/${TASKS_PER_CALL}: ${check.body.slice(0, 400)}`);

  await runLoad({ url: base, connections: INGEST_CONNECTIONS, durationS: WARM_S, requests });
  const before = countAll.get() as number;
  const r = await runLoad({ url: base, connections: INGEST_CONNECTIONS, durationS: INGEST_S, requests, serverPid: child.pid });
  const after = countAll.get() as number;
  if (r.errors > 0 || r.non2xx > 0) throw new Error(`ingest: ${r.errors} errors, ${r.non2xx} non-2xx`);
  await child.stop();
  const ingest: IngestResult = {
    tasksPerSec: (after - before) / r.durationS,
    callsPerSec: r.rps,
    callP50Ms: r.p50Ms,
    callP99Ms: r.p99Ms,
    serverCpu: r.serverCpu,
    tasksPerServerCpuSec: (after - before) / r.durationS / r.serverCpu,
    tasksAccepted: after - before,
    durationS: r.durationS,
  };
  log(
    `  ingest: ${fmtInt(ingest.tasksPerSec)} tasks/s (${fmtInt(r.rps)} calls/s of ${TASKS_PER_CALL}, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, server cpu ${round(r.serverCpu * 100, 0)}%, ${fmtInt(ingest.tasksPerServerCpuSec)} tasks per server cpu-s)`,
  );

  // Execution: one `serpq worker` process drains the queue; progress read from SQLite.
  const countDone = counter.prepare('SELECT count(*) FROM tasks WHERE state = 2').pluck();
  const queued = countAll.get() as number;
  const worker = spawnChild(serpqCmd.command, [...serpqCmd.prefix, 'worker', '--db', db, '--log-level', 'silent'], {
    cpu: SERVER_CPU,
    cwd: ROOT,
  });
  await waitForOutput(worker, /serpq worker (\S+) running/);
  const { cpuTimeMs } = await import('./proc.js');
  const curve: { t: number; done: number }[] = [];
  const t0 = performance.now();
  const cpu0 = cpuTimeMs(worker.pid);
  let done = 0;
  let firstAt: { t: number; done: number } | null = null;
  let lastBelow: { t: number; done: number } | null = null;
  while (performance.now() - t0 < EXEC_CAP_S * 1000) {
    await sleep(250);
    const t = (performance.now() - t0) / 1000;
    done = countDone.get() as number;
    curve.push({ t: round(t, 2), done });
    if (done > 0 && !firstAt) firstAt = { t, done };
    if (done < queued) lastBelow = { t, done };
    if (done >= queued) break;
  }
  const elapsed = (performance.now() - t0) / 1000;
  const workerCpuMs = cpuTimeMs(worker.pid) - cpu0;
  const workerCpu = workerCpuMs / (elapsed * 1000);
  await worker.stop();
  counter.close();
  const drained = done >= queued;
  // Rate over the window where the worker was busy: from the first observed progress to the end.
  const end = drained ? { t: elapsed, done } : (lastBelow ?? { t: elapsed, done });
  const start = firstAt ?? { t: 0, done: 0 };
  const tasksPerSec = end.t > start.t ? (end.done - start.done) / (end.t - start.t) : Number.NaN;
  const exec: ExecResult = {
    queued,
    completed: done,
    tasksPerSec,
    drained,
    drainS: round(elapsed, 2),
    workerCpu,
    tasksPerWorkerCpuSec: done / (workerCpuMs / 1000),
    curve,
  };
  log(
    `  execution: ${fmtInt(tasksPerSec)} tasks/s (${fmtInt(done)}/${fmtInt(queued)} done in ${round(elapsed, 1)} s${drained ? '' : ', cap reached'}, worker cpu ${round(workerCpu * 100, 0)}%, ${fmtInt(exec.tasksPerWorkerCpuSec)} tasks per worker cpu-s)`,
  );
  removeDb(db);
  return { ingest, exec };
}

// ---------------------------------------------------------------------------------------------------
// 4. Render micro-benchmark

/** Google organic, 100 organic results (the issue's target: under 1 ms on average). */
function organicRenderBench(): { meanUs: number; p50Us: number; p99Us: number; bytes: number } {
  const input = (i: number): SerpRenderInput => ({
    taskId: `11281630-0001-0066-0000-${(0x100000000000 + i).toString(16).slice(-12)}`,
    se: 'google',
    seType: 'organic',
    fn: 'advanced',
    keyword: KEYWORDS[i % KEYWORDS.length],
    locationCode: 2840,
    locationName: 'United States',
    countryIso: 'US',
    languageCode: 'en',
    seDomain: 'google.com',
    device: 'desktop',
    os: 'windows',
    depth: 100,
    datetime: '2026-11-28 16:30:00 +00:00',
    params: {},
  });
  let sink = 0;
  for (let i = 0; i < 300; i++) sink += (renderOrganicAdvanced(input(i)) as { items_count: number }).items_count;
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RENDER_ITERATIONS; i++) {
    const t0 = performance.now();
    const r = renderOrganicAdvanced(input(i)) as { items_count: number };
    times.push(performance.now() - t0);
    sink += r.items_count;
    if (i < 100) bytes += JSON.stringify(r).length;
  }
  if (sink === 0) log('  (render produced no items)');
  return {
    meanUs: mean(times) * 1000,
    p50Us: percentile(times, 50) * 1000,
    p99Us: percentile(times, 99) * 1000,
    bytes: Math.round(bytes / 100),
  };
}

function renderBench(): { meanUs: number; p50Us: number; p99Us: number; stringifyMeanUs: number; bytes: number; iterations: number } {
  const input = (i: number): ImagesRenderInput => ({
    taskId: `11281630-0001-0066-0000-${(0x100000000000 + i).toString(16).slice(-12)}`,
    keyword: KEYWORDS[i % KEYWORDS.length],
    locationCode: 2840,
    languageCode: 'en',
    countryIso: 'US',
    seDomain: 'google.com',
    os: 'windows',
    depth: 100,
    datetime: '2026-11-28 16:30:00 +00:00',
  });
  let sink = 0;
  for (let i = 0; i < 300; i++) sink += renderImagesAdvanced(input(i)).items_count;
  const times: number[] = [];
  for (let i = 0; i < RENDER_ITERATIONS; i++) {
    const t0 = performance.now();
    const r = renderImagesAdvanced(input(i));
    times.push(performance.now() - t0);
    sink += r.items_count;
  }
  let bytes = 0;
  const t1 = performance.now();
  for (let i = 0; i < RENDER_ITERATIONS; i++) bytes += JSON.stringify(renderImagesAdvanced(input(i))).length;
  const withStringify = (performance.now() - t1) / RENDER_ITERATIONS;
  if (sink === 0) log('  (render produced no items)');
  return {
    meanUs: mean(times) * 1000,
    p50Us: percentile(times, 50) * 1000,
    p99Us: percentile(times, 99) * 1000,
    stringifyMeanUs: withStringify * 1000,
    bytes: Math.round(bytes / RENDER_ITERATIONS),
    iterations: RENDER_ITERATIONS,
  };
}

// ---------------------------------------------------------------------------------------------------
// --profile: where serpq's CPU goes under each load (node --cpu-prof), instead of measuring.

async function profileMode(bigDb: string): Promise<void> {
  const dir = join(RESULTS, 'profiles');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const out: Record<string, unknown> = {};
  const cases: { name: string; db: () => Promise<string>; load: (base: string, pid: number) => Promise<LoadRun>; perRequest: number }[] = [
    {
      name: 'tasks_ready-empty',
      db: async () => bigDb,
      load: (base, pid) =>
        runLoad({
          url: base + '/v3/serp/tasks_ready',
          connections: READY_CONNECTIONS,
          durationS: 5,
          headers: { authorization: basic(EMPTY_LOGIN) },
          serverPid: pid,
        }),
      perRequest: 1,
    },
    {
      name: 'tasks_ready-full',
      db: async () => bigDb,
      load: (base, pid) =>
        runLoad({
          url: base + '/v3/serp/tasks_ready',
          connections: READY_CONNECTIONS,
          durationS: 5,
          headers: { authorization: basic(READY_LOGIN) },
          serverPid: pid,
        }),
      perRequest: 1,
    },
    {
      name: 'task_post',
      db: () => freshIngestDb('profile-ingest.db'),
      load: (base, pid) =>
        runLoad({ url: base, connections: INGEST_CONNECTIONS, durationS: 5, requests: ingestRequests(), serverPid: pid }),
      perRequest: TASKS_PER_CALL,
    },
  ];
  for (const c of cases) {
    await phase(`profile ${c.name}`, async () => {
      const caseDir = join(dir, c.name);
      mkdirSync(caseDir, { recursive: true });
      const db = await c.db();
      const s = await startSerpq(db, ['--no-workers'], ['--cpu-prof', '--cpu-prof-dir', caseDir]);
      const r = await c.load(s.base, s.child.pid);
      await s.child.stop();
      if (c.name === 'task_post') removeDb(db);
      const { readdirSync } = await import('node:fs');
      const file = readdirSync(caseDir).find((f) => f.endsWith('.cpuprofile'));
      if (!file) throw new Error(`no profile written in ${caseDir}`);
      const summary = summarizeProfile(join(caseDir, file), `file://${BUILD}/`);
      const usPerUnit = (summary.busyMs * 1000) / (r.requests * c.perRequest);
      log(
        `  ${fmtInt(r.rps)} req/s, server cpu ${round(r.serverCpu * 100, 0)}%; profiled busy time ${round(usPerUnit, 1)} us per ${c.perRequest === 1 ? 'request' : 'task'}`,
      );
      log('  self time:');
      for (const f of summary.self.slice(0, 15))
        log(
          `    ${(f.share * 100).toFixed(1).padStart(5)}%  ${round(f.share * usPerUnit, 1)
            .toString()
            .padStart(6)} us  ${f.fn}`,
        );
      log('  inclusive, serpq code:');
      for (const f of summary.inclusive.slice(0, 12))
        log(
          `    ${(f.share * 100).toFixed(1).padStart(5)}%  ${round(f.share * usPerUnit, 1)
            .toString()
            .padStart(6)} us  ${f.fn}`,
        );
      out[c.name] = { load: r, usPerUnit, ...summary };
    });
  }
  writeFileSync(join(RESULTS, 'profile.json'), JSON.stringify(out, null, 2));
  log(`\nprofiles: ${dir} (open the .cpuprofile files in Chrome DevTools); summary: ${join(RESULTS, 'profile.json')}`);
}

// ---------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = performance.now();
  mkdirSync(DATA, { recursive: true });
  mkdirSync(RESULTS, { recursive: true });
  const pinned = pinSelf(LOAD_CPU);
  const machine = {
    cpus: cpus().length,
    cpuModel: cpuModel(),
    memGiB: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    taskset: HAS_TASKSET && pinned ? `servers/workers on core ${SERVER_CPU}, load generator on core ${LOAD_CPU}` : 'not pinned',
  };
  log(`serpq benchmark${QUICK ? ' (--quick)' : ''}: ${machine.cpus} x ${machine.cpuModel}, node ${machine.node}, ${machine.taskset}`);

  serpqCmd = await phase('build', async () => build());
  log(`  serpq runs as: ${serpqCmd.how}`);

  // Parts: a plain run is SQLite + webhooks; --sqlite, --webhooks, --pg, --relay, --replay, --startup select parts explicitly.
  const explicit =
    flag('--sqlite') ||
    flag('--webhooks') ||
    flag('--pg') ||
    flag('--relay') ||
    flag('--relay-latency') ||
    flag('--replay') ||
    flag('--startup') ||
    flag('--catalog');
  const parts = {
    sqlite: explicit ? flag('--sqlite') || flag('--profile') : true,
    webhooks: explicit ? flag('--webhooks') : !flag('--profile'),
    pg: flag('--pg'),
    relay: flag('--relay'),
    relayLatency: flag('--relay-latency'),
    replay: flag('--replay'),
    startup: flag('--startup'),
    catalog: flag('--catalog'),
  };
  log(
    `  parts: ${Object.entries(parts)
      .filter(([, v]) => v)
      .map(([k]) => k)
      .join(', ')}`,
  );
  const ctx: BenchContext = {
    root: ROOT,
    data: DATA,
    results: RESULTS,
    quick: QUICK,
    argv,
    machine,
    serverCpu: SERVER_CPU,
    loadCpu: LOAD_CPU,
    adminToken: ADMIN_TOKEN,
    serpqCmd,
    log,
    phase,
    startSerpq,
    startBare,
    throughputPairing,
    flatness,
    expectPage,
    ingestRequests,
    ingestBodies,
    basic,
    loadAverages,
    phaseTimes,
  };
  if (parts.sqlite) await sqliteBench(started, machine);
  if (parts.webhooks) await runWebhookBench(ctx);
  if (parts.pg) await runPgBench(ctx);
  if (parts.relay) await runRelayBench(ctx);
  if (parts.relayLatency) await runRelayLatencyBench(ctx);
  if (parts.replay) await runReplayBench(ctx);
  if (parts.catalog) {
    await runCatalogRenderBench(ctx);
    await runCatalogIngestBench(ctx);
  }
  if (parts.startup) {
    await runStartupBench(ctx);
    await runEmulatorStartBench(ctx);
  }
}

/** The SQLite part: tasks_ready vs bare, flatness, ingest and execution, render (or --profile). */
async function sqliteBench(started: number, machine: Record<string, unknown>): Promise<void> {
  const bigDb = join(DATA, `serpq-${ROWS}.db`);
  const smallDb = join(DATA, `serpq-${SMALL_ROWS}.db`);
  const seeded = await phase('seed', async () => {
    const big = await ensureSeeded(bigDb, ROWS, { force: flag('--reseed'), log: (s) => log(`  ${s}`) });
    const small = await ensureSeeded(smallDb, SMALL_ROWS, { force: flag('--reseed'), log: (s) => log(`  ${s}`) });
    return { big, small };
  });

  const readyHeaders = { authorization: basic(READY_LOGIN) };
  const emptyHeaders = { authorization: basic(EMPTY_LOGIN) };
  const READY_PATH = '/v3/serp/tasks_ready';

  if (flag('--profile')) {
    await profileMode(bigDb);
    return;
  }

  const big = await startSerpq(bigDb);
  let bareServer: { child: Child; base: string } | null = null;
  let small: { child: Child; base: string } | null = null;
  try {
    // Real serpq bodies, parsed once, become the baseline's objects.
    const fullAnswer = await httpGet(big.base + READY_PATH, readyHeaders);
    const fullEnv = expectPage(fullAnswer.body, READY_ROWS, 'serpq full page');
    const emptyAnswer = await httpGet(big.base + READY_PATH, emptyHeaders);
    const emptyEnv = expectPage(emptyAnswer.body, 0, 'serpq empty list');
    const fullFile = join(DATA, 'ready-full.json');
    const emptyFile = join(DATA, 'ready-empty.json');
    writeFileSync(fullFile, JSON.stringify(fullEnv));
    writeFileSync(emptyFile, JSON.stringify(emptyEnv));
    bareServer = await startBare(fullFile, emptyFile);
    const bareFull = await httpGet(bareServer.base + '/full');
    expectPage(bareFull.body, READY_ROWS, 'bare full page');
    const bareEmpty = await httpGet(bareServer.base + '/empty');
    expectPage(bareEmpty.body, 0, 'bare empty list');
    log(
      `  bodies: full page ${fmtInt(Buffer.byteLength(fullAnswer.body))} B (bare ${fmtInt(Buffer.byteLength(bareFull.body))} B), empty ${fmtInt(Buffer.byteLength(emptyAnswer.body))} B (bare ${fmtInt(Buffer.byteLength(bareEmpty.body))} B)`,
    );

    const bareRef = bareServer;
    const full = await phase('tasks_ready full page', () =>
      throughputPairing('full ', bareRef.base + '/full', bareRef.child, big.base + READY_PATH, big.child, readyHeaders, {
        bare: Buffer.byteLength(bareFull.body),
        serpq: Buffer.byteLength(fullAnswer.body),
      }),
    );
    // The bare server ignores the header; sending it keeps the request bytes alike.
    const empty = await phase('tasks_ready empty list', () =>
      throughputPairing('empty', bareRef.base + '/empty', bareRef.child, big.base + READY_PATH, big.child, emptyHeaders, {
        bare: Buffer.byteLength(bareEmpty.body),
        serpq: Buffer.byteLength(emptyAnswer.body),
      }),
    );
    await bareServer.child.stop();
    bareServer = null;

    const flat = await phase('latency flatness', async () => {
      const smallServer = await startSerpq(smallDb);
      small = smallServer;
      const rows = await flatness(smallServer, big, SMALL_ROWS, ROWS, readyHeaders);
      await smallServer.child.stop();
      small = null;
      return rows;
    });
    await big.child.stop();

    const render = await phase('sandbox render', async () => {
      const r = renderBench();
      log(
        `  renderImagesAdvanced depth 100: mean ${round(r.meanUs, 1)} us, p50 ${round(r.p50Us, 1)} us, p99 ${round(r.p99Us, 1)} us; with JSON.stringify ${round(r.stringifyMeanUs, 1)} us (${fmtInt(r.bytes)} B)`,
      );
      const o = organicRenderBench();
      log(
        `  renderOrganicAdvanced (google) depth 100: mean ${round(o.meanUs, 1)} us, p50 ${round(o.p50Us, 1)} us, p99 ${round(o.p99Us, 1)} us (${fmtInt(o.bytes)} B of JSON)`,
      );
      return { ...r, organic: o };
    });

    const { ingest, exec } = await phase('task_post ingest and execution', ingestAndExecute);

    // -------------------------------------------------------------------------------------------
    // Summary
    const pairingSummary = (p: Pairing, target: number) => ({
      bareRpsMedian: median(p.bare.map((r) => r.rps)),
      serpqRpsMedian: median(p.serpq.map((r) => r.rps)),
      ratioMedian: median(p.ratios),
      ratios: p.ratios.map((r) => round(r, 3)),
      cpuRatioMedian: median(p.cpuRatios),
      cpuRatios: p.cpuRatios.map((r) => round(r, 3)),
      barePerCpuSec: median(p.bare.map((r) => r.perServerCpuSec)),
      serpqPerCpuSec: median(p.serpq.map((r) => r.perServerCpuSec)),
      bareP50Ms: median(p.bare.map((r) => r.p50Ms)),
      serpqP50Ms: median(p.serpq.map((r) => r.p50Ms)),
      serpqP99Ms: median(p.serpq.map((r) => r.p99Ms)),
      bareCpu: median(p.bare.map((r) => r.serverCpu)),
      serpqCpu: median(p.serpq.map((r) => r.serverCpu)),
      bodyBytes: p.bodyBytes,
      target,
      pass: median(p.ratios) >= target,
    });
    const fullS = pairingSummary(full, 0.7);
    const emptyS = pairingSummary(empty, 0.5);
    const flatWorst = Math.max(...flat.map((f) => f.ratio));
    const results = {
      date: new Date().toISOString(),
      command: 'npm run bench' + (argv.length ? ' -- ' + argv.join(' ') : ''),
      machine,
      serpq: serpqCmd.how,
      settings: {
        rows: ROWS,
        smallRows: SMALL_ROWS,
        rounds: ROUNDS,
        warmS: WARM_S,
        measureS: MEASURE_S,
        readyConnections: READY_CONNECTIONS,
        flatRequests: FLAT_REQUESTS,
        ingestS: INGEST_S,
        ingestConnections: INGEST_CONNECTIONS,
        tasksPerCall: TASKS_PER_CALL,
      },
      seed: { big: seeded.big, small: seeded.small },
      tasksReadyFull: { ...fullS, rounds: { bare: full.bare, serpq: full.serpq } },
      tasksReadyEmpty: { ...emptyS, rounds: { bare: empty.bare, serpq: empty.serpq } },
      flatness: { scopes: flat, worstRatio: flatWorst, target: 1.5, pass: flatWorst <= 1.5 },
      ingest: { ...ingest, target: 20_000, pass: ingest.tasksPerSec >= 20_000 },
      execution: exec,
      render,
      phaseSeconds: phaseTimes,
      loadAverage1mAtPhaseStart: loadAverages,
      totalSeconds: round((performance.now() - started) / 1000, 1),
    };
    writeFileSync(join(RESULTS, 'latest.json'), JSON.stringify(results, null, 2));

    const yes = (b: boolean) => (b ? 'PASS' : 'MISS');
    const rows: string[][] = [
      [
        'tasks_ready full page (1000 rows), req/s',
        fmtInt(fullS.bareRpsMedian),
        fmtInt(fullS.serpqRpsMedian),
        `${round(fullS.ratioMedian, 3)}x [${fullS.ratios.join(', ')}]`,
        '>= 0.7x',
        yes(fullS.pass),
      ],
      [
        '  same, per second of server CPU',
        fmtInt(fullS.barePerCpuSec),
        fmtInt(fullS.serpqPerCpuSec),
        `${round(fullS.cpuRatioMedian, 3)}x [${fullS.cpuRatios.join(', ')}]`,
        '>= 0.7x',
        yes(fullS.cpuRatioMedian >= 0.7),
      ],
      [
        'tasks_ready empty list, req/s',
        fmtInt(emptyS.bareRpsMedian),
        fmtInt(emptyS.serpqRpsMedian),
        `${round(emptyS.ratioMedian, 3)}x [${emptyS.ratios.join(', ')}]`,
        '>= 0.5x',
        yes(emptyS.pass),
      ],
      [
        '  same, per second of server CPU',
        fmtInt(emptyS.barePerCpuSec),
        fmtInt(emptyS.serpqPerCpuSec),
        `${round(emptyS.cpuRatioMedian, 3)}x [${emptyS.cpuRatios.join(', ')}]`,
        '>= 0.5x',
        yes(emptyS.cpuRatioMedian >= 0.5),
      ],
      ...flat.map((f) => [
        `p50 ${f.scope}, ms (${fmtInt(SMALL_ROWS)} -> ${fmtInt(ROWS)} tasks)`,
        String(round(f.smallP50Ms, 3)),
        String(round(f.bigP50Ms, 3)),
        `${round(f.ratio, 3)}x`,
        '<= 1.5x',
        yes(f.ratio <= 1.5),
      ]),
      [
        'task_post ingest (100/call, workers off), tasks/s',
        '',
        fmtInt(ingest.tasksPerSec),
        `server cpu ${round(ingest.serverCpu * 100, 0)}%`,
        '>= 20,000',
        yes(ingest.tasksPerSec >= 20_000),
      ],
      [
        '  same, per second of server CPU',
        '',
        fmtInt(ingest.tasksPerServerCpuSec),
        '',
        '>= 20,000',
        yes(ingest.tasksPerServerCpuSec >= 20_000),
      ],
      [
        'execution (1 serpq worker), tasks/s',
        '',
        fmtInt(exec.tasksPerSec),
        exec.drained
          ? `drained ${fmtInt(exec.completed)} in ${exec.drainS} s`
          : `${fmtInt(exec.completed)}/${fmtInt(exec.queued)} in ${exec.drainS} s`,
        '',
        '',
      ],
      ['  same, per second of worker CPU', '', fmtInt(exec.tasksPerWorkerCpuSec), `worker cpu ${round(exec.workerCpu * 100, 0)}%`, '', ''],
      [
        'render google/images advanced depth 100, us',
        '',
        String(round(render.meanUs, 1)),
        `p50 ${round(render.p50Us, 1)}, +stringify ${round(render.stringifyMeanUs, 1)}`,
        '',
        '',
      ],
      [
        'render google/organic advanced 100 results, us',
        '',
        String(round(render.organic.meanUs, 1)),
        `p50 ${round(render.organic.p50Us, 1)}, p99 ${round(render.organic.p99Us, 1)}`,
        '< 1000',
        render.organic.meanUs < 1000 ? 'PASS' : 'MISS',
      ],
    ];
    const header = ['measure', 'baseline', 'serpq', 'ratio / detail', 'target', ''];
    log('\n== summary (' + results.date + ')\n');
    log(table(header, rows));
    log(
      `\nseed: ${fmtInt(ROWS)} tasks ${seeded.big.reused ? 'reused from cache' : `seeded in ${round(seeded.big.seedMs / 1000, 1)} s`} (${round(seeded.big.fileBytes / 2 ** 20, 0)} MiB); server cpu during full page: bare ${round(fullS.bareCpu * 100, 0)}%, serpq ${round(fullS.serpqCpu * 100, 0)}%`,
    );
    log(
      `phases (s): ${Object.entries(phaseTimes)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}; total ${results.totalSeconds} s`,
    );
    log(`results: ${join(RESULTS, 'latest.json')}`);
    writeFileSync(join(RESULTS, 'latest.md'), markdownTable(header.slice(0, 5).concat(['result']), rows) + '\n');
  } finally {
    const left: ({ child: Child } | null)[] = [bareServer, small, big];
    for (const s of left) await s?.child.stop();
  }
}

main().catch((err) => {
  console.error('bench failed:', err instanceof Error ? err.stack : err);
  process.exitCode = 1;
});
