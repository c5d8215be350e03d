import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Child, cpuTimeMs, sleep } from './proc.js';
import { type ProfileSummary, summarizeProfile } from './profile.js';
import type { BenchContext } from './run.js';
import { KEYWORDS } from './seed.js';
import { fmtInt, markdownTable, percentile, round, table } from './stats.js';

/**
 * `npm run bench -- --relay-latency`: what the relay adds to a live call of another API, and what it
 * costs per forwarded task, in one run.
 *
 * Processes (real serpq, each on its own SQLite file in a temp dir): the upstream (sandbox, standing
 * for the vendor) on core 0; two relays in front of it on core 1 with this runner: one as installed
 * by default (cache off), one with `--relay-cache-ttl 1h`. `--upstream-limits` are generous on both,
 * so that the upstream budget is not what is measured (its store round trips are).
 *
 * 1. Added latency of a live call: `dataforseo_labs/google/ranked_keywords/live` (`limit`
 *    `--relay-latency-limit`, default 10), one call at a time on a keep-alive connection, the same
 *    body straight to the upstream and through the relay, interleaved (upstream, relay, relay with the
 *    cache, each with a target of its own, so no call is a cache hit), `--relay-latency-calls` times
 *    (default 1000; 200 with --quick) after a warm-up. Added latency = the relay's percentile minus
 *    the upstream's (p50, p99), and the median of the per-call differences. Also: the cache's hits
 *    (an equal call again) against the upstream call they save. Target: below 2 ms p50, 10 ms p99.
 * 2. Relay CPU per forwarded task: `--relay-latency-tasks` (default 1000; 300 with --quick) tasks of
 *    the type `--relay-latency-type` (default `serp/google/organic`; another API's task type, e.g.
 *    `keywords_data/google_ads/search_volume`, once the relay forwards it, with
 *    `--relay-latency-task '{"keywords":["kw $i"]}'`, `$i` the task's number) posted to the relay in
 *    calls of 100, until its tasks_ready lists them all (read every 100 ms, not collected): the
 *    relay's CPU time over that (from /proc) per task, and the upstream's.
 *
 * `--relay-latency-profile`: the cache-off relay runs under node --cpu-prof; its busy time is
 * summarised on stdout and the profile written to bench/results/profiles/relay-latency/.
 */

const LABS = 'dataforseo_labs/google/ranked_keywords/live';
const UPSTREAM_LIMITS = 'requests=1000000,concurrent=30,tasks_ready=100000';
const LIMITS = { tasks_ready_per_minute: 1_000_000, requests_per_minute: 1_000_000, concurrent_requests: 1000 };
const TASKS_PER_CALL = 100;

interface Side {
  readonly name: string;
  readonly base: string;
  readonly child: Child;
}

/** One HTTP call on a keep-alive agent: resolves with the milliseconds to the last byte and the body. */
function timed(agent: Agent, base: string, method: string, path: string, auth: string, body?: string) {
  const url = new URL(path, base);
  return new Promise<{ ms: number; status: number; body: string }>((resolve, reject) => {
    const t0 = performance.now();
    const req = request(
      url,
      {
        method,
        agent,
        headers: {
          authorization: auth,
          'content-type': 'application/json',
          ...(body ? { 'content-length': Buffer.byteLength(body) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ ms: performance.now() - t0, status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
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

function expectOk(what: string, r: { status: number; body: string }): { cost: number; bytes: number } {
  const env = JSON.parse(r.body) as { status_code: number; tasks?: Array<{ status_code: number; cost: number }> | null };
  const t = env.tasks?.[0];
  if (r.status !== 200 || env.status_code !== 20000 || t?.status_code !== 20000)
    throw new Error(`${what}: ${r.status} ${r.body.slice(0, 300)}`);
  return { cost: t.cost, bytes: Buffer.byteLength(r.body) };
}

export async function runRelayLatencyBench(ctx: BenchContext): Promise<void> {
  const { log, phase } = ctx;
  const started = performance.now();
  const opt = (name: string, fallback: string) => {
    const i = ctx.argv.indexOf(name);
    return i >= 0 && ctx.argv[i + 1] ? ctx.argv[i + 1]! : fallback;
  };
  const calls = Number(opt('--relay-latency-calls', ctx.quick ? '200' : '1000'));
  const limit = Number(opt('--relay-latency-limit', '10'));
  const tasksN = Number(opt('--relay-latency-tasks', ctx.quick ? '300' : '1000'));
  const type = opt('--relay-latency-type', 'serp/google/organic');
  const taskTemplate = opt('--relay-latency-task', '');
  const profileDir = ctx.argv.includes('--relay-latency-profile') ? join(ctx.results, 'profiles', 'relay-latency') : null;
  if (profileDir) {
    rmSync(profileDir, { recursive: true, force: true });
    mkdirSync(profileDir, { recursive: true });
  }
  const dir = mkdtempSync(join(tmpdir(), 'serpq-bench-relay-latency-'));
  const children: Child[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const auth = 'Basic ' + Buffer.from('demo:demo').toString('base64');

  try {
    const { up, relay, cached } = await phase('relay latency: start upstream and relays', async () => {
      const upStarted = await ctx.startSerpq(join(dir, 'upstream.db'), ['--sandbox-latency', '0'], [], ctx.serverCpu);
      children.push(upStarted.child);
      await admin(ctx, upStarted.base, 'PATCH', '/admin/accounts/demo', { balance: 1_000_000, limits: LIMITS });
      const relayArgs = [
        '--executor',
        'relay',
        '--upstream-url',
        upStarted.base,
        '--upstream-login',
        'demo',
        '--upstream-password',
        'demo',
      ];
      const startRelay = async (name: string, extra: string[], nodeArgs: string[]): Promise<Side> => {
        const s = await ctx.startSerpq(
          join(dir, `${name}.db`),
          [...relayArgs, '--upstream-limits', UPSTREAM_LIMITS, ...extra],
          nodeArgs,
          ctx.loadCpu,
        );
        children.push(s.child);
        await admin(ctx, s.base, 'PATCH', '/admin/accounts/demo', { balance: 1_000_000, limits: LIMITS });
        return { name, base: s.base, child: s.child };
      };
      const r = await startRelay('relay', [], profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []);
      const c = await startRelay('relay-cache', ['--relay-cache-ttl', '1h'], []);
      log(
        `  upstream ${upStarted.base} (core ${ctx.serverCpu}); relay ${r.base}, relay with cache ${c.base} (core ${ctx.loadCpu}, with this runner)`,
      );
      return { up: { name: 'upstream', ...upStarted } as Side, relay: r, cached: c };
    });

    // ---- 1. added latency of a live Labs call --------------------------------------------------
    let seq = 0;
    const body = () => JSON.stringify([{ target: `bench-${seq++}.example`, location_code: 2840, language_code: 'en', limit }]);
    const sides = [up, relay, cached];
    const ms: Record<string, number[]> = { upstream: [], relay: [], 'relay-cache': [] };
    let bytes = 0;
    let cost = 0;
    const warm = Math.min(100, calls);
    const latency = await phase(`relay latency: ${fmtInt(calls)} live Labs calls a side (limit ${limit}), interleaved`, async () => {
      let cpu0 = { up: 0, relay: 0, cached: 0 };
      for (let i = 0; i < warm + calls; i++) {
        if (i === warm) cpu0 = { up: cpuTimeMs(up.child.pid), relay: cpuTimeMs(relay.child.pid), cached: cpuTimeMs(cached.child.pid) };
        for (const s of sides) {
          const r = await timed(agent, s.base, 'POST', `/v3/${LABS}`, auth, body());
          const ok = expectOk(`${s.name} ${LABS}`, r);
          if (i >= warm) ms[s.name]!.push(r.ms);
          if (s === up) [bytes, cost] = [ok.bytes, ok.cost];
        }
      }
      // CPU per call of each process (robust to other load on the machine, unlike wall time): the
      // upstream answered three calls per round.
      const cpuMsPerCall = {
        upstream: (cpuTimeMs(up.child.pid) - cpu0.up) / (3 * calls),
        relay: (cpuTimeMs(relay.child.pid) - cpu0.relay) / calls,
        relayCache: (cpuTimeMs(cached.child.pid) - cpu0.cached) / calls,
      };
      // The cache's hits: the same call again (stored by the first), against the upstream call they save.
      const hits: number[] = [];
      const hitBody = JSON.stringify([{ target: 'bench-hit.example', location_code: 2840, language_code: 'en', limit }]);
      expectOk('cache fill', await timed(agent, cached.base, 'POST', `/v3/${LABS}`, auth, hitBody));
      for (let i = 0; i < Math.min(calls, 300); i++) {
        const r = await timed(agent, cached.base, 'POST', `/v3/${LABS}`, auth, hitBody);
        if (expectOk('cache hit', r).cost !== 0) throw new Error('the cache hit was charged');
        hits.push(r.ms);
      }
      const p = (name: string, q: number) => percentile(ms[name]!, q);
      const diffs = (name: string) => ms[name]!.map((v, i) => v - ms.upstream![i]!);
      const out = {
        upstream: { p50: p('upstream', 50), p99: p('upstream', 99) },
        relay: { p50: p('relay', 50), p99: p('relay', 99) },
        relayCache: { p50: p('relay-cache', 50), p99: p('relay-cache', 99) },
        cacheHits: { p50: percentile(hits, 50), p99: percentile(hits, 99) },
        added: {
          relay: {
            p50: p('relay', 50) - p('upstream', 50),
            p99: p('relay', 99) - p('upstream', 99),
            medianOfDiffs: percentile(diffs('relay'), 50),
          },
          relayCache: {
            p50: p('relay-cache', 50) - p('upstream', 50),
            p99: p('relay-cache', 99) - p('upstream', 99),
            medianOfDiffs: percentile(diffs('relay-cache'), 50),
          },
        },
        cpuMsPerCall,
        answerBytes: bytes,
        upstreamCostUsd: cost,
      };
      const f = (v: number) => round(v, 2).toFixed(2);
      log(`  upstream alone      p50 ${f(out.upstream.p50)} ms  p99 ${f(out.upstream.p99)} ms  (answer ${fmtInt(bytes)} bytes)`);
      log(`  via relay           p50 ${f(out.relay.p50)} ms  p99 ${f(out.relay.p99)} ms`);
      log(
        `  via relay, cache on p50 ${f(out.relayCache.p50)} ms  p99 ${f(out.relayCache.p99)} ms (every call a miss: stored after answering)`,
      );
      log(`  cache hits          p50 ${f(out.cacheHits.p50)} ms  p99 ${f(out.cacheHits.p99)} ms`);
      log(
        `  CPU per call: upstream ${f(cpuMsPerCall.upstream)} ms, relay ${f(cpuMsPerCall.relay)} ms, relay with the cache ${f(cpuMsPerCall.relayCache)} ms`,
      );
      return out;
    });

    // ---- 2. relay CPU per forwarded task --------------------------------------------------------
    const cpu = await phase(`relay latency: relay CPU per forwarded task (${fmtInt(tasksN)} ${type} tasks)`, async () => {
      const taskOf = (i: number): Record<string, unknown> =>
        taskTemplate
          ? (JSON.parse(taskTemplate.replaceAll('$i', String(i))) as Record<string, unknown>)
          : { keyword: `${KEYWORDS[(i * 7) % KEYWORDS.length]} relay cpu ${i}`, location_code: 2840, language_code: 'en' };
      const listed = async () => {
        const r = await timed(agent, relay.base, 'GET', `/v3/${type}/tasks_ready`, auth);
        const env = JSON.parse(r.body) as { tasks?: Array<{ result_count: number }> | null };
        return env.tasks?.[0]?.result_count ?? 0;
      };
      const before = { relay: cpuTimeMs(relay.child.pid), up: cpuTimeMs(up.child.pid), at: performance.now() };
      for (let b = 0; b * TASKS_PER_CALL < tasksN; b++) {
        const tasks = Array.from({ length: Math.min(TASKS_PER_CALL, tasksN - b * TASKS_PER_CALL) }, (_, k) =>
          taskOf(b * TASKS_PER_CALL + k),
        );
        const r = await timed(agent, relay.base, 'POST', `/v3/${type}/task_post`, auth, JSON.stringify(tasks));
        const env = JSON.parse(r.body) as { tasks?: Array<{ status_code: number }> | null };
        const created = env.tasks?.filter((t) => t.status_code === 20100).length ?? 0;
        if (created !== tasks.length) throw new Error(`task_post ${type}: ${created} of ${tasks.length} created: ${r.body.slice(0, 300)}`);
      }
      const capAt = performance.now() + 120_000;
      let n = 0;
      while ((n = await listed()) < tasksN) {
        if (performance.now() > capAt) throw new Error(`only ${n} of ${tasksN} ${type} tasks listed by the relay after 120 s`);
        await sleep(100);
      }
      const seconds = (performance.now() - before.at) / 1000;
      const relayMs = cpuTimeMs(relay.child.pid) - before.relay;
      const upMs = cpuTimeMs(up.child.pid) - before.up;
      const out = { type, tasks: tasksN, seconds, relayCpuMsPerTask: relayMs / tasksN, upstreamCpuMsPerTask: upMs / tasksN };
      log(
        `  ${fmtInt(tasksN)} ${type} tasks posted and listed in ${round(seconds, 2)} s; CPU per task: relay ${round(out.relayCpuMsPerTask, 3)} ms, upstream ${round(out.upstreamCpuMsPerTask, 3)} ms`,
      );
      return out;
    });

    agent.destroy();
    for (const c of children.splice(0).reverse()) await c.stop();
    const profile = profileDir ? relayProfile(profileDir, ctx) : null;

    const results = {
      date: new Date().toISOString(),
      command: 'npm run bench -- ' + ctx.argv.join(' '),
      machine: ctx.machine,
      serpq: ctx.serpqCmd.how,
      layout: `upstream on core ${ctx.serverCpu}; relays and runner on core ${ctx.loadCpu}`,
      settings: { calls, warmup: warm, limit, endpoint: LABS, tasks: tasksN, type },
      latency,
      cpu,
      relayProfile: profile,
      seconds: round((performance.now() - started) / 1000, 1),
    };
    writeFileSync(join(ctx.results, 'relay-latency.json'), JSON.stringify(results, null, 2));
    const f = (v: number) => round(v, 2).toFixed(2);
    const yes = (b: boolean) => (b ? 'PASS' : 'MISS');
    const rows: string[][] = [
      [
        `live Labs call p50, ms (${fmtInt(calls)} calls a side)`,
        f(latency.upstream.p50),
        f(latency.relay.p50),
        `added ${f(latency.added.relay.p50)} ms`,
        '< 2 ms',
        yes(latency.added.relay.p50 < 2),
      ],
      [
        'live Labs call p99, ms',
        f(latency.upstream.p99),
        f(latency.relay.p99),
        `added ${f(latency.added.relay.p99)} ms`,
        '< 10 ms',
        yes(latency.added.relay.p99 < 10),
      ],
      ['  median of per-call differences, ms', '', '', f(latency.added.relay.medianOfDiffs), '', ''],
      [
        'live Labs call, cache on (misses), p50 / p99, ms',
        '',
        `${f(latency.relayCache.p50)} / ${f(latency.relayCache.p99)}`,
        `added ${f(latency.added.relayCache.p50)} / ${f(latency.added.relayCache.p99)} ms`,
        '',
        '',
      ],
      [
        'live Labs call, cache hit, p50 / p99, ms',
        `${f(latency.upstream.p50)} / ${f(latency.upstream.p99)}`,
        `${f(latency.cacheHits.p50)} / ${f(latency.cacheHits.p99)}`,
        'cost 0, no upstream call',
        '',
        '',
      ],
      [
        'CPU per live call, ms (upstream / relay / relay, cache on)',
        f(latency.cpuMsPerCall.upstream),
        `${f(latency.cpuMsPerCall.relay)} / ${f(latency.cpuMsPerCall.relayCache)}`,
        '',
        '',
        '',
      ],
      [`relay CPU per forwarded task, ms (${type})`, f(cpu.upstreamCpuMsPerTask), f(cpu.relayCpuMsPerTask), 'upstream / relay', '', ''],
    ];
    const header = ['measure (relay, live calls)', 'upstream alone', 'via relay', 'detail', 'target', ''];
    log('\n== relay latency summary (' + results.date + ')\n');
    log(table(header, rows));
    writeFileSync(join(ctx.results, 'relay-latency.md'), markdownTable(header.slice(0, 5).concat(['result']), rows) + '\n');
    log(`results: ${join(ctx.results, 'relay-latency.json')}; total ${results.seconds} s`);
  } finally {
    agent.destroy();
    for (const c of children.splice(0).reverse()) await c.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The cache-off relay's CPU profile, summarised on stdout. */
function relayProfile(dir: string, ctx: BenchContext): ProfileSummary {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no relay profile written in ${dir}`);
  const build = dirname(dirname(ctx.serpqCmd.prefix[ctx.serpqCmd.prefix.length - 1]!));
  const s = summarizeProfile(join(dir, file), `file://${build}/`);
  ctx.log(`  relay cpu profile: ${fmtInt(s.busyMs)} ms busy; self time:`);
  for (const f of s.self.slice(0, 20)) ctx.log(`    ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.fn}`);
  ctx.log('  inclusive, serpq code:');
  for (const f of s.inclusive.slice(0, 20)) ctx.log(`    ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.fn}`);
  ctx.log(`  profile: ${join(dir, file)}`);
  return s;
}
