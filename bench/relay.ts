import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { type SerpqClient, createClient } from '../src/client/index.js';
import { type Child, cpuTimeMs, sleep } from './proc.js';
import { type ProfileSummary, summarizeProfile } from './profile.js';
import type { BenchContext } from './run.js';
import { KEYWORDS } from './seed.js';
import { fmtInt, markdownTable, median, percentile, round, table } from './stats.js';

/**
 * `npm run bench -- --relay`: the relay executor end to end, against the upstream alone, in one run.
 *
 * Two real serpq processes, each on its own SQLite file in a temp dir:
 *  - the upstream (`serve`, sandbox executor, `--sandbox-latency 0`), standing for the vendor, pinned
 *    to core 0; its demo account gets a high balance and limits through PATCH /admin/accounts/demo;
 *  - the relay (`serve --executor relay`, upstream account demo, `--upstream-limits
 *    requests=1000000,concurrent=30,tasks_ready=100000` so that the budget is not what is measured),
 *    on core 1 with this runner (the client).
 *
 * A flow is what a client does, with serpq's own client (src/client): N google/organic tasks
 * (keywords varied, location 2840, language en) posted in task_post calls of 100 (POST_CONCURRENCY
 * calls at once, the accounts taking turns), while one loop per account reads
 * /v3/serp/google/organic/tasks_ready and fetches task_get/advanced of every row it lists
 * (GET_CONCURRENCY at once), checking the keyword of each result, until every task is collected; an
 * empty list is read again after POLL_IDLE_MS. The same flow runs against the upstream alone
 * (baseline) and against the relay, in alternating rounds (`--relay-rounds`, default 3), after one
 * warm-up flow on each side.
 *
 *  - tasks/s: N / (last task_get answer - first task_post sent), per flow; the ratio is the median
 *    over rounds of relay / upstream (the two flows of a round run back to back; target >= 0.8).
 *  - post -> listed, per task: from the moment the task_post call carrying it was sent to the answer
 *    of the first tasks_ready call that listed it (the client's view); added latency is the relay's
 *    percentile minus the upstream's.
 *  - CPU per task: each server's CPU time over the flow (from /proc) / N, which other load on the
 *    machine moves less than wall time; its inverse is the rate that server could reach on one core.
 *  - Where a relayed task's time goes, per task, from both databases (every process writes Date.now()
 *    of the same machine): relay posted -> upstream posted (claim and forwarding), upstream posted ->
 *    completed (the sandbox), upstream completed -> collected (waiting for the relay's next
 *    collection round: its tasks_ready), upstream collected -> relay completed (the relay's
 *    task_get of every function of the type, and storing), relay completed -> listed to the client.
 *
 * Flags: --relay-tasks <n> (default 2000; 600 with --quick), --relay-rounds <n>, --relay-accounts <n>
 * (default 2: demo and bench-relay-2, ...; the relay forwards the tasks of all of them in shared calls),
 * --relay-upstream-limits <spec> (the relay's --upstream-limits, default the generous one above),
 * --relay-profile (the relay runs under node --cpu-prof: its busy time summarised on stdout, the
 * profile written to bench/results/profiles/relay/).
 */

const TASKS_PER_CALL = 100;
const POST_CONCURRENCY = 4;
const GET_CONCURRENCY = 8;
const POLL_IDLE_MS = 20;
const FLOW_CAP_MS = 60_000;
const PASSWORD = 'bench-relay-password';
const LIMITS = { tasks_ready_per_minute: 100_000, requests_per_minute: 1_000_000, concurrent_requests: 1000 };
const UPSTREAM_LIMITS = 'requests=1000000,concurrent=30,tasks_ready=100000';

interface Account {
  readonly login: string;
  readonly password: string;
}

interface FlowResult {
  readonly side: 'upstream' | 'relay';
  readonly tasks: number;
  readonly seconds: number;
  readonly tasksPerSec: number;
  /** From the first task_post sent to the last answered. */
  readonly postSeconds: number;
  readonly listedMs: number[];
  readonly collectedMs: number[];
  readonly readyCalls: number;
  readonly emptyReadyCalls: number;
  /** CPU used during the flow, as a fraction of one core. */
  readonly cpu: { upstream: number; relay: number; runner: number };
  /** CPU ms per task: the upstream's and the relay's (0 for the upstream alone). */
  readonly cpuMsPerTask: { upstream: number; relay: number };
  /** Per task: Date.now() at the task_post sent, first listed, collected. */
  readonly times: Map<string, { sent: number; listed: number; collected: number }>;
  readonly startedAt: number;
}

async function admin(ctx: BenchContext, base: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${ctx.adminToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`admin ${method} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as unknown;
}

/** demo (raised to a high balance and limits) and `count - 1` more accounts of the same. */
async function setUpAccounts(ctx: BenchContext, base: string, count: number): Promise<Account[]> {
  await admin(ctx, base, 'PATCH', '/admin/accounts/demo', { balance: 1_000_000, limits: LIMITS });
  const out: Account[] = [{ login: 'demo', password: 'demo' }];
  for (let i = 2; i <= count; i++) {
    const login = `bench-relay-${i}`;
    await admin(ctx, base, 'POST', '/admin/accounts', { login, password: PASSWORD, balance: 1_000_000, limits: LIMITS });
    out.push({ login, password: PASSWORD });
  }
  return out;
}

/** Runs `fn` over `items`, at most `limit` at once. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

let keywordSeq = 0;

/** Posts `n` tasks to `base` and collects them as a client would (see the header). */
async function flow(
  side: 'upstream' | 'relay',
  base: string,
  accounts: readonly Account[],
  n: number,
  pids: { upstream: number; relay: number },
): Promise<Omit<FlowResult, 'side'>> {
  const clients: SerpqClient[] = accounts.map((a) =>
    createClient({ baseUrl: base, login: a.login, password: a.password, timeoutMs: 60_000 }),
  );
  const batches: { account: number; tasks: Record<string, unknown>[] }[] = [];
  const want = accounts.map(() => 0);
  for (let b = 0; b * TASKS_PER_CALL < n; b++) {
    const account = b % accounts.length;
    const tasks: Record<string, unknown>[] = [];
    for (let i = 0; i < TASKS_PER_CALL && b * TASKS_PER_CALL + i < n; i++, keywordSeq++) {
      tasks.push({ keyword: `${KEYWORDS[(keywordSeq * 7) % KEYWORDS.length]} ${keywordSeq}`, location_code: 2840, language_code: 'en' });
    }
    want[account] += tasks.length;
    batches.push({ account, tasks });
  }
  const sentAt = new Map<string, number>();
  const keywordOf = new Map<string, string>();
  const listedAt = new Map<string, number>();
  const collectedAt = new Map<string, number>();
  const gotKeyword = new Map<string, string>();
  let readyCalls = 0;
  let emptyReadyCalls = 0;
  let lastPosted = 0;

  const cpu0 = { upstream: cpuTimeMs(pids.upstream), relay: pids.relay ? cpuTimeMs(pids.relay) : 0, runner: process.cpuUsage() };
  const t0 = Date.now();
  const deadline = t0 + FLOW_CAP_MS;
  let nextBatch = 0;
  const poster = async () => {
    while (nextBatch < batches.length) {
      const b = batches[nextBatch++];
      const at = Date.now();
      const env = await clients[b.account].taskPost('google', 'organic', b.tasks);
      const tasks = env.tasks ?? [];
      const created = tasks.filter((t) => t.status_code === 20100).length;
      if (created !== b.tasks.length)
        throw new Error(`${side} task_post created ${created}/${b.tasks.length}: ${JSON.stringify(env).slice(0, 400)}`);
      tasks.forEach((t, i) => {
        sentAt.set(t.id, at);
        keywordOf.set(t.id, String(b.tasks[i].keyword));
      });
      lastPosted = Date.now();
    }
  };
  const collector = async (a: number) => {
    const c = clients[a];
    let got = 0;
    while (got < want[a]) {
      if (Date.now() > deadline)
        throw new Error(`${side}: ${got}/${want[a]} tasks of ${accounts[a].login} collected after ${FLOW_CAP_MS} ms`);
      const rows = await c.readyRows({ se: 'google', seType: 'organic' });
      readyCalls++;
      const seen = Date.now();
      const fresh = rows.filter((r) => !collectedAt.has(r.id));
      if (fresh.length === 0) {
        emptyReadyCalls++;
        await sleep(POLL_IDLE_MS);
        continue;
      }
      for (const r of fresh) if (!listedAt.has(r.id)) listedAt.set(r.id, seen);
      await pool(fresh, GET_CONCURRENCY, async (r) => {
        const env = await c.taskGet('google', 'organic', 'advanced', r.id);
        const t = env.tasks?.[0];
        const result = t?.result?.[0] as { keyword?: string } | undefined;
        if (t?.status_code !== 20000 || !result) throw new Error(`${side} task_get ${r.id}: ${JSON.stringify(env).slice(0, 400)}`);
        collectedAt.set(r.id, Date.now());
        gotKeyword.set(r.id, String(result.keyword));
        got++;
      });
    }
  };
  await Promise.all([...Array.from({ length: POST_CONCURRENCY }, poster), ...accounts.map((_, a) => collector(a))]);
  const t1 = Date.now();
  const runner = process.cpuUsage(cpu0.runner);
  const upCpuMs = cpuTimeMs(pids.upstream) - cpu0.upstream;
  const relayCpuMs = pids.relay ? cpuTimeMs(pids.relay) - cpu0.relay : 0;
  const wallMs = Math.max(1, t1 - t0);

  const times = new Map<string, { sent: number; listed: number; collected: number }>();
  for (const [id, sent] of sentAt) {
    const listed = listedAt.get(id);
    const collected = collectedAt.get(id);
    if (listed === undefined || collected === undefined) throw new Error(`${side}: task ${id} was posted but not collected`);
    if (gotKeyword.get(id) !== keywordOf.get(id))
      throw new Error(`${side}: task ${id} answered '${gotKeyword.get(id)}', posted '${keywordOf.get(id)}'`);
    times.set(id, { sent, listed, collected });
  }
  if (times.size !== n || collectedAt.size !== n) throw new Error(`${side}: posted ${times.size}, collected ${collectedAt.size} of ${n}`);
  return {
    tasks: n,
    seconds: wallMs / 1000,
    tasksPerSec: n / (wallMs / 1000),
    postSeconds: (lastPosted - t0) / 1000,
    listedMs: [...times.values()].map((t) => t.listed - t.sent),
    collectedMs: [...times.values()].map((t) => t.collected - t.sent),
    readyCalls,
    emptyReadyCalls,
    cpu: {
      upstream: upCpuMs / wallMs,
      relay: relayCpuMs / wallMs,
      runner: (runner.user + runner.system) / 1000 / wallMs,
    },
    cpuMsPerTask: { upstream: upCpuMs / n, relay: relayCpuMs / n },
    times,
    startedAt: t0,
  };
}

interface Breakdown {
  /** Per-stage p50 / p99 (ms) of the relayed tasks. */
  readonly stages: { name: string; p50: number; p99: number; mean: number }[];
  /**
   * Per relay flow, the collection rounds seen upstream: tasks whose first task_get came together
   * (gaps under a second), from how long after the flow's first post, and over how long.
   */
  readonly rounds: { at: number; tasks: number; spanMs: number }[][];
  /** Relayed tasks with no upstream task tagged with their id (left out of the stages). */
  readonly unmatched: number;
}

/** Where each relayed task's time went (every measured relay flow), from the relay's and the upstream's databases. */
function breakdown(relayDb: string, upstreamDb: string, measured: readonly FlowResult[]): Breakdown {
  const since = Math.min(...measured.map((m) => m.startedAt)) - 1000;
  const relay = new Database(relayDb, { readonly: true, fileMustExist: true });
  const up = new Database(upstreamDb, { readonly: true, fileMustExist: true });
  try {
    const relayRows = new Map(
      (
        relay.prepare('SELECT id, posted_at AS p, completed_at AS c FROM tasks WHERE posted_at >= ?').all(since) as {
          id: string;
          p: number;
          c: number;
        }[]
      ).map((r) => [r.id, r]),
    );
    const upRows = new Map(
      (
        up
          .prepare('SELECT tag, posted_at AS p, completed_at AS c, collected_at AS g FROM tasks WHERE tag IS NOT NULL AND posted_at >= ?')
          .all(since) as { tag: string; p: number; c: number; g: number }[]
      ).map((r) => [r.tag, r]),
    );
    const stage: Record<string, number[]> = { forward: [], execute: [], wait: [], collect: [], serve: [] };
    const rounds: { at: number; tasks: number; spanMs: number }[][] = [];
    let unmatched = 0;
    for (const m of measured) {
      const collectedTimes: number[] = [];
      for (const [id, t] of m.times) {
        const r = relayRows.get(id);
        const u = upRows.get(id);
        if (!r) throw new Error(`relay task ${id} is not in the relay database`);
        // Matched by the upstream tag, which the relay sets to its own task id.
        if (!u) {
          unmatched++;
          continue;
        }
        stage.forward.push(u.p - r.p);
        stage.execute.push(u.c - u.p);
        stage.wait.push(u.g - u.c);
        stage.collect.push(r.c - u.g);
        stage.serve.push(t.listed - r.c);
        collectedTimes.push(u.g);
      }
      // Rounds: the upstream's collected_at in clusters separated by more than a second.
      collectedTimes.sort((a, b) => a - b);
      const mine: { at: number; tasks: number; spanMs: number }[] = [];
      let start = 0;
      for (let i = 1; i <= collectedTimes.length; i++) {
        if (i === collectedTimes.length || collectedTimes[i] - collectedTimes[i - 1] > 1000) {
          mine.push({ at: collectedTimes[start] - m.startedAt, tasks: i - start, spanMs: collectedTimes[i - 1] - collectedTimes[start] });
          start = i;
        }
      }
      rounds.push(mine);
    }
    const names: Record<string, string> = {
      forward: 'relay posted -> upstream posted (claim, forward)',
      execute: 'upstream posted -> completed (sandbox)',
      wait: 'upstream completed -> collected (waiting for the relay)',
      collect: 'upstream collected -> relay completed (task_gets, store)',
      serve: 'relay completed -> listed to the client',
    };
    const stages = Object.entries(stage).map(([k, v]) => ({
      name: names[k],
      p50: percentile(v, 50),
      p99: percentile(v, 99),
      mean: v.reduce((a, b) => a + b, 0) / v.length,
    }));
    return { stages, rounds, unmatched };
  } finally {
    relay.close();
    up.close();
  }
}

export async function runRelayBench(ctx: BenchContext): Promise<void> {
  const { log, phase } = ctx;
  const started = performance.now();
  const opt = (name: string, fallback: number) => {
    const i = ctx.argv.indexOf(name);
    return i >= 0 && ctx.argv[i + 1] ? Number(ctx.argv[i + 1]) : fallback;
  };
  const n = opt('--relay-tasks', ctx.quick ? 600 : 2000);
  const roundsN = opt('--relay-rounds', ctx.quick ? 1 : 3);
  const accountsN = opt('--relay-accounts', 2);
  const limitsAt = ctx.argv.indexOf('--relay-upstream-limits');
  const upstreamLimits = limitsAt >= 0 && ctx.argv[limitsAt + 1] ? ctx.argv[limitsAt + 1] : UPSTREAM_LIMITS;
  const warmN = Math.min(n, 200 * accountsN);
  const dir = mkdtempSync(join(tmpdir(), 'serpq-bench-relay-'));
  const upDb = join(dir, 'upstream.db');
  const relayDb = join(dir, 'relay.db');
  const children: Child[] = [];
  const profileDir = ctx.argv.includes('--relay-profile') ? join(ctx.results, 'profiles', 'relay') : null;
  if (profileDir) {
    rmSync(profileDir, { recursive: true, force: true });
    mkdirSync(profileDir, { recursive: true });
  }

  try {
    const setup = await phase('relay: start upstream and relay', async () => {
      const up = await ctx.startSerpq(upDb, ['--sandbox-latency', '0'], [], ctx.serverCpu);
      children.push(up.child);
      const upAccounts = await setUpAccounts(ctx, up.base, accountsN);
      const relay = await ctx.startSerpq(
        relayDb,
        [
          '--executor',
          'relay',
          '--upstream-url',
          up.base,
          '--upstream-login',
          'demo',
          '--upstream-password',
          'demo',
          '--upstream-limits',
          upstreamLimits,
        ],
        profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
        ctx.loadCpu,
      );
      children.push(relay.child);
      const relayAccounts = await setUpAccounts(ctx, relay.base, accountsN);
      log(
        `  upstream ${up.base} (pid ${up.child.pid}, core ${ctx.serverCpu}), relay ${relay.base} (pid ${relay.child.pid}, core ${ctx.loadCpu}, with this runner); ${accountsN} account(s) a side; databases in ${dir}`,
      );
      return { up, relay, upAccounts, relayAccounts };
    });
    const { up, relay, upAccounts, relayAccounts } = setup;
    const pids = { upstream: up.child.pid, relay: relay.child.pid };
    const one = async (side: 'upstream' | 'relay', tasks: number): Promise<FlowResult> => {
      const r = await flow(side, side === 'upstream' ? up.base : relay.base, side === 'upstream' ? upAccounts : relayAccounts, tasks, {
        upstream: pids.upstream,
        relay: side === 'relay' ? pids.relay : 0,
      });
      const res: FlowResult = { side, ...r };
      log(
        `  ${side.padEnd(8)} ${fmtInt(tasks)} tasks in ${round(res.seconds, 2)} s = ${fmtInt(res.tasksPerSec).padStart(5)} tasks/s (posted in ${round(res.postSeconds, 2)} s); post -> listed p50 ${fmtInt(percentile(res.listedMs, 50))} ms, p99 ${fmtInt(percentile(res.listedMs, 99))} ms; post -> collected p99 ${fmtInt(percentile(res.collectedMs, 99))} ms; tasks_ready calls ${res.readyCalls} (${res.emptyReadyCalls} empty); cpu upstream ${round(res.cpu.upstream * 100, 0)}% (${round(res.cpuMsPerTask.upstream, 2)} ms/task)${side === 'relay' ? `, relay ${round(res.cpu.relay * 100, 0)}% (${round(res.cpuMsPerTask.relay, 2)} ms/task)` : ''}, runner ${round(res.cpu.runner * 100, 0)}%`,
      );
      return res;
    };

    await phase('relay: warm-up', async () => {
      await one('upstream', warmN);
      await one('relay', warmN);
    });
    const flows = await phase(`relay: ${roundsN} round(s) of ${fmtInt(n)} tasks a side`, async () => {
      const out: { upstream: FlowResult[]; relay: FlowResult[] } = { upstream: [], relay: [] };
      for (let i = 0; i < roundsN; i++) {
        // Alternate who goes first, so a slow drift of the machine does not favour one side.
        const order: ('upstream' | 'relay')[] = i % 2 === 0 ? ['upstream', 'relay'] : ['relay', 'upstream'];
        for (const side of order) out[side].push(await one(side, n));
      }
      return out;
    });
    const status = (await admin(ctx, relay.base, 'GET', '/admin/upstream')) as Record<string, unknown>;
    for (const c of children.splice(0).reverse()) await c.stop();
    const profile = profileDir ? relayProfile(profileDir, ctx) : null;

    const parts = breakdown(relayDb, upDb, flows.relay);
    log(
      `  where a relayed task's time goes (${flows.relay.length} relay flow(s) of ${fmtInt(n)} tasks${parts.unmatched ? `; ${fmtInt(parts.unmatched)} without an upstream task tagged with their id, left out` : ''}), ms:`,
    );
    for (const s of parts.stages)
      log(
        `    ${s.name.padEnd(62)} p50 ${fmtInt(s.p50).padStart(6)}  p99 ${fmtInt(s.p99).padStart(6)}  mean ${fmtInt(s.mean).padStart(6)}`,
      );
    for (const [i, rs] of parts.rounds.entries())
      log(
        `  collection rounds of relay flow ${i + 1} (upstream collected_at clusters): ${rs
          .map((r) => `+${round(r.at / 1000, 2)} s: ${fmtInt(r.tasks)} tasks over ${fmtInt(r.spanMs)} ms`)
          .join('; ')}`,
      );

    const med = (side: 'upstream' | 'relay', f: (r: FlowResult) => number) => median(flows[side].map(f));
    const upRate = med('upstream', (r) => r.tasksPerSec);
    const relayRate = med('relay', (r) => r.tasksPerSec);
    // Each relay flow over the upstream flow of the same round (run back to back); the median of those.
    const ratios = flows.relay.map((r, i) => r.tasksPerSec / flows.upstream[i].tasksPerSec);
    const ratio = median(ratios);
    const lat = (side: 'upstream' | 'relay', p: number) => med(side, (r) => percentile(r.listedMs, p));
    const added = { p50: lat('relay', 50) - lat('upstream', 50), p99: lat('relay', 99) - lat('upstream', 99) };
    const results = {
      date: new Date().toISOString(),
      command: 'npm run bench -- ' + ctx.argv.join(' '),
      machine: ctx.machine,
      serpq: ctx.serpqCmd.how,
      layout: `upstream on core ${ctx.serverCpu}; relay and runner on core ${ctx.loadCpu}`,
      settings: {
        tasks: n,
        rounds: roundsN,
        accounts: accountsN,
        warmupTasks: warmN,
        tasksPerCall: TASKS_PER_CALL,
        postConcurrency: POST_CONCURRENCY,
        getConcurrency: GET_CONCURRENCY,
        pollIdleMs: POLL_IDLE_MS,
        upstreamLimits,
      },
      upstream: flows.upstream.map(summary),
      relay: flows.relay.map(summary),
      upstreamTasksPerSec: upRate,
      relayTasksPerSec: relayRate,
      ratio,
      ratios,
      listedMs: {
        upstream: { p50: lat('upstream', 50), p99: lat('upstream', 99) },
        relay: { p50: lat('relay', 50), p99: lat('relay', 99) },
        added,
      },
      breakdown: parts,
      relayUpstreamStatus: status,
      relayProfile: profile,
      seconds: round((performance.now() - started) / 1000, 1),
    };
    writeFileSync(join(ctx.results, 'relay.json'), JSON.stringify(results, null, 2));

    const yes = (b: boolean) => (b ? 'PASS' : 'MISS');
    const rows: string[][] = [
      [
        `tasks/s end to end (${fmtInt(n)} google/organic, ${accountsN} acct)`,
        fmtInt(upRate),
        fmtInt(relayRate),
        `${round(ratio, 3)}x [${ratios.map((r) => round(r, 3)).join(', ')}]`,
        '>= 0.8x',
        yes(ratio >= 0.8),
      ],
      ['post -> listed p50, ms', fmtInt(lat('upstream', 50)), fmtInt(lat('relay', 50)), `added ${fmtInt(added.p50)} ms`, '', ''],
      ['post -> listed p99, ms', fmtInt(lat('upstream', 99)), fmtInt(lat('relay', 99)), `added ${fmtInt(added.p99)} ms`, '', ''],
      [
        'post -> collected p99, ms',
        fmtInt(med('upstream', (r) => percentile(r.collectedMs, 99))),
        fmtInt(med('relay', (r) => percentile(r.collectedMs, 99))),
        '',
        '',
        '',
      ],
      [
        'cpu during the flow (upstream / relay / runner)',
        `${round(med('upstream', (r) => r.cpu.upstream) * 100, 0)}% / - / ${round(med('upstream', (r) => r.cpu.runner) * 100, 0)}%`,
        `${round(med('relay', (r) => r.cpu.upstream) * 100, 0)}% / ${round(med('relay', (r) => r.cpu.relay) * 100, 0)}% / ${round(med('relay', (r) => r.cpu.runner) * 100, 0)}%`,
        '',
        '',
        '',
      ],
      [
        'CPU per task, ms (upstream / relay)',
        `${round(
          med('upstream', (r) => r.cpuMsPerTask.upstream),
          2,
        )} / -`,
        `${round(
          med('relay', (r) => r.cpuMsPerTask.upstream),
          2,
        )} / ${round(
          med('relay', (r) => r.cpuMsPerTask.relay),
          2,
        )}`,
        `tasks per cpu-s of the server the client calls: ${fmtInt(1000 / med('upstream', (r) => r.cpuMsPerTask.upstream))} vs ${fmtInt(1000 / med('relay', (r) => r.cpuMsPerTask.relay))}`,
        '',
        '',
      ],
      ...parts.stages.map((s) => [`  relay: ${s.name}, ms`, '', `${fmtInt(s.p50)} / ${fmtInt(s.p99)}`, 'p50 / p99', '', '']),
      ...parts.rounds.map((rs, i) => [
        `  relay: collection rounds, flow ${i + 1}`,
        '',
        String(rs.length),
        rs.map((r) => `${fmtInt(r.tasks)} in ${fmtInt(r.spanMs)} ms`).join(', '),
        '',
        '',
      ]),
    ];
    const header = ['measure (relay)', 'upstream alone', 'via relay', 'ratio / detail', 'target', ''];
    log('\n== relay summary (' + results.date + ')\n');
    log(table(header, rows));
    log(
      `\nupstream limits of the relay: ${upstreamLimits}; the relay's collection interval at its default (not set by this bench); upstream status: in_flight ${String(status.in_flight)}, last_error ${String(status.last_error)}`,
    );
    writeFileSync(join(ctx.results, 'relay.md'), markdownTable(header.slice(0, 5).concat(['result']), rows) + '\n');
    log(`results: ${join(ctx.results, 'relay.json')}; total ${results.seconds} s`);
  } finally {
    for (const c of children.splice(0).reverse()) await c.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The relay's CPU profile (all rounds, warm-up included), summarised on stdout. */
function relayProfile(dir: string, ctx: BenchContext): ProfileSummary {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no relay profile written in ${dir}`);
  // Paths of the build read like src/... (the build folder holds cli/main.js).
  const build = dirname(dirname(ctx.serpqCmd.prefix[ctx.serpqCmd.prefix.length - 1]));
  const s = summarizeProfile(join(dir, file), `file://${build}/`);
  ctx.log(`  relay cpu profile: ${fmtInt(s.busyMs)} ms busy; self time:`);
  for (const f of s.self.slice(0, 15)) ctx.log(`    ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.fn}`);
  ctx.log('  inclusive, serpq code:');
  for (const f of s.inclusive.slice(0, 15)) ctx.log(`    ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.fn}`);
  ctx.log(`  profile: ${join(dir, file)}`);
  return s;
}

function summary(r: FlowResult) {
  return {
    tasks: r.tasks,
    seconds: round(r.seconds, 3),
    tasksPerSec: round(r.tasksPerSec, 1),
    postSeconds: round(r.postSeconds, 3),
    listedP50Ms: percentile(r.listedMs, 50),
    listedP99Ms: percentile(r.listedMs, 99),
    collectedP50Ms: percentile(r.collectedMs, 50),
    collectedP99Ms: percentile(r.collectedMs, 99),
    readyCalls: r.readyCalls,
    emptyReadyCalls: r.emptyReadyCalls,
    cpu: { upstream: round(r.cpu.upstream, 3), relay: round(r.cpu.relay, 3), runner: round(r.cpu.runner, 3) },
    cpuMsPerTask: { upstream: round(r.cpuMsPerTask.upstream, 3), relay: round(r.cpuMsPerTask.relay, 3) },
  };
}
