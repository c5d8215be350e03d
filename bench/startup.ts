import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { BenchContext } from './run.js';
import { type Child, sleep, spawnChild } from './proc.js';
import { fmtInt, markdownTable, median, round, table } from './stats.js';

/**
 * `npm run bench -- --startup`: start-up time and resident memory of `serpq serve --db :memory:`,
 * against a bare node:http process started the same way, in one run.
 *
 * serpq runs as users run the package: `node <build>/bin/main.js serve --db :memory: --host
 * 127.0.0.1 --port <free> --log-level silent --admin-token <t>` (the build is the runner's own
 * `tsc -p tsconfig.build.json` into bench/.data/build and scripts/build-cli.mjs into its bin/, the
 * same steps as `npm run build`, kept apart from dist/). Workers, the sandbox executor and the webhook threads are at their
 * defaults. The baseline is `node bench/bare-readyz.mjs <port>`: node:http answering 200 to
 * everything. Both run on all cores (not pinned: start-up uses several threads, as it does for a
 * user).
 *
 *  - ready: from just before spawn() to the first 200 from GET /readyz, which the runner polls
 *    every 2 ms on a fresh connection (a refused connect costs ~0.1 ms); --startup-spawns (default
 *    20, 6 with --quick) spawns of each, bare and serpq alternating (who goes first alternates too);
 *    the median of each and the median of the per-pair ratios.
 *  - RSS (VmRSS of /proc/<pid>/status, the resident memory `ps`/`top` show): right after ready, after
 *    a settle of STARTUP_SETTLE_MS, and after 1,000 mixed requests (then the same settle), on
 *    --startup-rss-runs (default 3) more spawns of each; medians. The mix, 4 at a time with
 *    keep-alive, as the demo account (its limits raised through PATCH /admin/accounts/demo first,
 *    so tasks_ready is not answered 40202): 30% task_post of one google/organic or google/images
 *    task, 30% tasks_ready (all, /google, /google/organic), 25% task_get advanced of a task posted
 *    earlier, 10% user_data, 5% appendix/errors. No webhooks.
 */

const SETTLE_MS = 2000;
const MIX_REQUESTS = 1000;
const MIX_CONCURRENCY = 4;
const POLL_MS = 2;
const ADMIN_TOKEN = 'bench-startup-token';
const DEMO = 'Basic ' + Buffer.from('demo:demo').toString('base64');

export interface StartupResult {
  readonly readyMs: { bare: number[]; serpq: number[]; ratios: number[] };
  readonly rssMB: {
    bare: { ready: number[]; idle: number[]; loaded: number[] };
    serpq: { ready: number[]; idle: number[]; loaded: number[] };
  };
  readonly threads: { bare: number; serpq: number; serpqLoaded: number };
  readonly mix: { requests: number; seconds: number[]; non200: number };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** One GET on a fresh connection; resolves the status code, or 0 when the connection fails. */
function probe(port: number, path: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

function statusField(pid: number, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}
/** Resident memory in MB (10^6 bytes, the unit of the targets). */
const rssMB = (pid: number) => (statusField(pid, 'VmRSS') * 1024) / 1e6;
const threads = (pid: number) => statusField(pid, 'Threads');

interface Started {
  readonly child: Child;
  readonly port: number;
  readonly readyMs: number;
}

async function startAndWait(ctx: BenchContext, who: 'bare' | 'serpq'): Promise<Started> {
  const port = await freePort();
  const args =
    who === 'bare'
      ? [join(ctx.root, 'bench', 'bare-readyz.mjs'), String(port)]
      : [
          ...ctx.serpqCmd.prefix,
          'serve',
          '--db',
          ':memory:',
          '--host',
          '127.0.0.1',
          '--port',
          String(port),
          '--log-level',
          'silent',
          '--admin-token',
          ADMIN_TOKEN,
        ];
  const allCores = cpus()
    .map((_, i) => i)
    .join(',');
  const t0 = performance.now();
  const child = spawnChild(process.execPath, args, { cpu: allCores, cwd: ctx.root });
  for (;;) {
    const status = await probe(port, '/readyz');
    if (status === 200) return { child, port, readyMs: performance.now() - t0 };
    if (child.proc.exitCode !== null || child.proc.signalCode !== null) {
      throw new Error(`${who} exited before /readyz answered 200: ${child.output().slice(-2000)}`);
    }
    if (performance.now() - t0 > 30_000) throw new Error(`${who}: /readyz not 200 after 30 s: ${child.output().slice(-2000)}`);
    await sleep(POLL_MS);
  }
}

/** The 1,000 mixed requests; answers the number of non-200 HTTP answers. */
async function mixedRequests(base: string, serpq: boolean): Promise<number> {
  const headers = { authorization: DEMO, 'content-type': 'application/json' };
  if (serpq) {
    const r = await fetch(base + '/admin/accounts/demo', {
      method: 'PATCH',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ balance: 1_000_000, limits: { tasks_ready_per_minute: 100_000, requests_per_minute: 1_000_000 } }),
    });
    if (r.status !== 200) throw new Error(`PATCH /admin/accounts/demo: ${r.status} ${await r.text()}`);
  }
  const ids: { id: string; type: string }[] = [];
  let non200 = 0;
  let next = 0;
  const one = async (i: number) => {
    const k = i % 20;
    let url: string;
    let init: RequestInit = { headers };
    if (k < 6) {
      const type = k % 2 === 0 ? 'organic' : 'images';
      url = `${base}/v3/serp/google/${type}/task_post`;
      init = {
        method: 'POST',
        headers,
        body: JSON.stringify([{ keyword: `startup keyword ${i}`, location_code: 2840, language_code: 'en' }]),
      };
    } else if (k < 12) {
      url = base + ['/v3/serp/tasks_ready', '/v3/serp/google/tasks_ready', '/v3/serp/google/organic/tasks_ready'][k % 3];
    } else if (k < 17) {
      const t = ids.length > 0 ? ids[i % ids.length] : { id: '00000000-0000-0000-0000-000000000000', type: 'organic' };
      url = `${base}/v3/serp/google/${t.type}/task_get/advanced/${t.id}`;
    } else if (k < 19) {
      url = base + '/v3/appendix/user_data';
    } else {
      url = base + '/v3/appendix/errors';
    }
    const res = await fetch(url, init);
    const text = await res.text();
    if (res.status !== 200) non200++;
    if (serpq && k < 6) {
      const env = JSON.parse(text) as { tasks?: { id: string; status_code: number; data?: { se_type?: string } }[] };
      const t = env.tasks?.[0];
      if (!t || t.status_code !== 20100) throw new Error(`task_post: ${text.slice(0, 300)}`);
      ids.push({ id: t.id, type: k % 2 === 0 ? 'organic' : 'images' });
    }
  };
  await Promise.all(
    Array.from({ length: MIX_CONCURRENCY }, async () => {
      while (next < MIX_REQUESTS) await one(next++);
    }),
  );
  return non200;
}

export async function runStartupBench(ctx: BenchContext): Promise<StartupResult> {
  const optionOf = (name: string, fallback: number) => {
    const i = ctx.argv.indexOf(name);
    return i >= 0 && ctx.argv[i + 1] ? Number(ctx.argv[i + 1]) : fallback;
  };
  const spawns = optionOf('--startup-spawns', ctx.quick ? 6 : 20);
  const rssRuns = optionOf('--startup-rss-runs', ctx.quick ? 1 : 3);
  const out: StartupResult = {
    readyMs: { bare: [], serpq: [], ratios: [] },
    rssMB: { bare: { ready: [], idle: [], loaded: [] }, serpq: { ready: [], idle: [], loaded: [] } },
    threads: { bare: 0, serpq: 0, serpqLoaded: 0 },
    mix: { requests: MIX_REQUESTS, seconds: [], non200: 0 },
  };

  await ctx.phase('startup: spawn to first 200 on /readyz', async () => {
    // One of each first, unmeasured: the page cache holds node and the build afterwards, as it does
    // for a user who starts serpq more than once.
    for (const who of ['bare', 'serpq'] as const) await (await startAndWait(ctx, who)).child.stop();
    for (let i = 0; i < spawns; i++) {
      const order = i % 2 === 0 ? (['bare', 'serpq'] as const) : (['serpq', 'bare'] as const);
      const got: Partial<Record<'bare' | 'serpq', number>> = {};
      for (const who of order) {
        const s = await startAndWait(ctx, who);
        got[who] = s.readyMs;
        out.rssMB[who].ready.push(rssMB(s.child.pid));
        await s.child.stop();
      }
      out.readyMs.bare.push(got.bare as number);
      out.readyMs.serpq.push(got.serpq as number);
      out.readyMs.ratios.push((got.serpq as number) / (got.bare as number));
      ctx.log(`  spawn ${i + 1}: bare ${round(got.bare as number, 1)} ms, serpq ${round(got.serpq as number, 1)} ms`);
    }
  });

  await ctx.phase('startup: resident memory idle and after 1,000 mixed requests', async () => {
    for (let i = 0; i < rssRuns; i++) {
      for (const who of i % 2 === 0 ? (['bare', 'serpq'] as const) : (['serpq', 'bare'] as const)) {
        const s = await startAndWait(ctx, who);
        const pid = s.child.pid;
        const ready = rssMB(pid);
        await sleep(SETTLE_MS);
        const idle = rssMB(pid);
        if (who === 'serpq') out.threads.serpq = threads(pid);
        else out.threads.bare = threads(pid);
        const t0 = performance.now();
        const non200 = await mixedRequests(`http://127.0.0.1:${s.port}`, who === 'serpq');
        const seconds = (performance.now() - t0) / 1000;
        if (who === 'serpq') {
          out.mix.seconds.push(seconds);
          out.mix.non200 += non200;
        }
        await sleep(SETTLE_MS);
        const loaded = rssMB(pid);
        if (who === 'serpq') out.threads.serpqLoaded = threads(pid);
        out.rssMB[who].ready.push(ready);
        out.rssMB[who].idle.push(idle);
        out.rssMB[who].loaded.push(loaded);
        ctx.log(
          `  ${who.padEnd(5)} RSS ${round(ready, 1)} MB at ready, ${round(idle, 1)} MB idle, ${round(loaded, 1)} MB after ${MIX_REQUESTS} requests (${round(seconds, 2)} s, ${non200} non-200)`,
        );
        await s.child.stop();
      }
    }
  });

  const rows = [
    [
      'spawn → first 200 on /readyz, ms (median)',
      median(out.readyMs.bare),
      median(out.readyMs.serpq),
      median(out.readyMs.ratios),
      '< 200 ms',
    ],
    ['RSS at ready, MB (median)', median(out.rssMB.bare.ready), median(out.rssMB.serpq.ready), NaN, ''],
    [`RSS idle (${SETTLE_MS / 1000} s after ready), MB`, median(out.rssMB.bare.idle), median(out.rssMB.serpq.idle), NaN, '< 60 MB'],
    [
      `RSS after ${MIX_REQUESTS} mixed requests (+${SETTLE_MS / 1000} s), MB`,
      median(out.rssMB.bare.loaded),
      median(out.rssMB.serpq.loaded),
      NaN,
      '',
    ],
  ] as const;
  const cells = rows.map(([name, bare, serpq, ratio, target]) => [
    name,
    String(round(bare, 1)),
    String(round(serpq, 1)),
    String(round(Number.isNaN(ratio) ? serpq / bare : ratio, 2)) + 'x',
    target,
  ]);
  const header = ['measure', 'bare node:http', 'serpq', 'serpq / bare', 'target'];
  ctx.log('\n' + table(header, cells));
  ctx.log(
    `  ready ms: bare ${out.readyMs.bare.map((v) => round(v, 0)).join(' ')}; serpq ${out.readyMs.serpq.map((v) => round(v, 0)).join(' ')}`,
  );
  ctx.log(
    `  threads idle: bare ${out.threads.bare}, serpq ${out.threads.serpq} (${out.threads.serpqLoaded} after the requests); mix: ${fmtInt(MIX_REQUESTS)} requests in ${out.mix.seconds.map((s) => round(s, 2)).join(', ')} s, ${out.mix.non200} non-200`,
  );
  const readyOk = median(out.readyMs.serpq) < 200;
  const rssOk = median(out.rssMB.serpq.idle) < 60;
  ctx.log(`  targets: ready < 200 ms ${readyOk ? 'MET' : 'MISSED'}; idle RSS < 60 MB ${rssOk ? 'MET' : 'MISSED'}`);
  writeFileSync(join(ctx.results, 'startup.json'), JSON.stringify({ machine: ctx.machine, serpq: ctx.serpqCmd.how, ...out }, null, 2));
  writeFileSync(join(ctx.results, 'startup.md'), markdownTable(header, cells) + '\n');
  return out;
}
