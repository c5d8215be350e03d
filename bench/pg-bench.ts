import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createAccount } from '../src/services/accounts.js';
import { PostgresStore, quoteIdent } from '../src/store/postgres/postgres-store.js';
import { httpGet, runLoad, type LoadRun } from './load.js';
import { type Child, pinSelf, startCommProbe } from './proc.js';
import type { BenchContext, Pairing } from './run.js';
import { EMPTY_LOGIN, HIGH_LIMITS, BENCH_PASSWORD, READY_LOGIN, READY_ROWS } from './seed.js';
import { ensurePgSeeded, pgClient, pgUrl, schemaSizes } from './seed-pg.js';
import { fmtInt, markdownTable, median, round, table } from './stats.js';

/**
 * `npm run bench -- --pg`: serpq on PostgreSQL.
 *
 *  1. Seeds (or reuses) schemas with 1M and 10M tasks (bench/seed-pg.ts) in database serpq_bench.
 *  2. tasks_ready full page and empty list on 1M and on 10M, each against the same bare node:http
 *     baseline, interleaved rounds; PostgreSQL's CPU (all `postgres` processes) is reported too.
 *  3. Flatness: sequential full-page latency 1M vs 10M.
 *  4. task_post ingest (workers off) into a fresh schema; synchronous_commit as the server has it (on).
 *  5. One API process vs two `serpq serve --no-workers` on the same schema, load split across both:
 *     tasks_ready full page req/s and ingest tasks/s. Nothing is pinned in this step (2 cores).
 *
 * Flags: --pg-server <postgres://...> (default postgres://postgres@127.0.0.1:5432), --pg-db <name>
 * (default serpq_bench), --pg-rows <n> (default 1000000), --pg-big-rows <n> (default 10000000),
 * --reseed.
 */

const PG_COMM = 'postgres';
/** CPU of every `postgres` process (this server's, including other databases' backends). */
const pgCpu = () => startCommProbe(PG_COMM);

export async function runPgBench(ctx: BenchContext): Promise<void> {
  const { log, phase, argv } = ctx;
  const opt = (name: string, fallback: string) => {
    const i = argv.indexOf(name);
    return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback;
  };
  const started = performance.now();
  const server = opt('--pg-server', process.env.SERPQ_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432');
  const database = opt('--pg-db', 'serpq_bench');
  const smallRows = Number(opt('--pg-rows', ctx.quick ? '100000' : '1000000'));
  const bigRows = Number(opt('--pg-big-rows', ctx.quick ? '1000000' : '10000000'));
  const rounds = ctx.quick ? 1 : 3;
  const ingestS = ctx.quick ? 4 : 10;
  const scaleS = ctx.quick ? 3 : 5;
  const readyHeaders = { authorization: ctx.basic(READY_LOGIN) };
  const emptyHeaders = { authorization: ctx.basic(EMPTY_LOGIN) };
  const READY_PATH = '/v3/serp/tasks_ready';

  const settings = await (async () => {
    const c = await pgClient(server, 'postgres', null);
    try {
      const names = [
        'server_version',
        'shared_buffers',
        'max_connections',
        'synchronous_commit',
        'wal_level',
        'max_wal_size',
        'autovacuum',
        'fsync',
        'work_mem',
      ];
      const r = await c.query<{ name: string; setting: string }>(
        'SELECT name, current_setting(name) AS setting FROM unnest($1::text[]) AS name',
        [names],
      );
      return Object.fromEntries(r.rows.map((x) => [x.name, x.setting]));
    } finally {
      await c.end();
    }
  })();
  log(
    `\nPostgreSQL ${settings.server_version} at ${server}/${database}: ${Object.entries(settings)
      .filter(([k]) => k !== 'server_version')
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
  );

  const seeds = await phase('pg seed', async () => {
    const small = await ensurePgSeeded(server, database, `bench_${smallRows}`, smallRows, {
      force: argv.includes('--reseed'),
      log: (s) => log(`  ${s}`),
    });
    const big = await ensurePgSeeded(server, database, `bench_${bigRows}`, bigRows, {
      force: argv.includes('--reseed'),
      log: (s) => log(`  ${s}`),
    });
    const sizes = { small: await schemaSizes(server, database, small.schema), big: await schemaSizes(server, database, big.schema) };
    for (const [k, s] of Object.entries(sizes)) {
      log(
        `  ${k}: ${fmtInt(s.rows)} rows, tasks total ${round(s.totalBytes / 2 ** 30, 2)} GiB (heap ${round(s.heapBytes / 2 ** 30, 2)} GiB = ${fmtInt(s.heapBytes / s.rows)} B/row; all = ${fmtInt(s.totalBytes / s.rows)} B/row); ${s.indexes.map((i) => `${i.name} ${fmtInt(i.bytes / 2 ** 20)} MiB`).join(', ')}`,
      );
    }
    return { small, big, sizes };
  });

  const children: ({ child: Child } | null)[] = [];
  const stopAll = async () => {
    for (const c of children.splice(0)) await c?.child.stop();
  };
  try {
    // ---- tasks_ready at 1M and at 10M against the same baseline
    const smallSrv = await ctx.startSerpq(seeds.small.url);
    children.push(smallSrv);
    const fullAnswer = await httpGet(smallSrv.base + READY_PATH, readyHeaders);
    const fullEnv = ctx.expectPage(fullAnswer.body, READY_ROWS, 'serpq (pg) full page');
    const emptyAnswer = await httpGet(smallSrv.base + READY_PATH, emptyHeaders);
    const emptyEnv = ctx.expectPage(emptyAnswer.body, 0, 'serpq (pg) empty list');
    const fullFile = join(ctx.data, 'pg-ready-full.json');
    const emptyFile = join(ctx.data, 'pg-ready-empty.json');
    writeFileSync(fullFile, JSON.stringify(fullEnv));
    writeFileSync(emptyFile, JSON.stringify(emptyEnv));
    const bare = await ctx.startBare(fullFile, emptyFile);
    children.push(bare);
    const bareFull = await httpGet(bare.base + '/full');
    const bareEmpty = await httpGet(bare.base + '/empty');
    ctx.expectPage(bareFull.body, READY_ROWS, 'bare full page');
    const bytes = {
      full: { bare: Buffer.byteLength(bareFull.body), serpq: Buffer.byteLength(fullAnswer.body) },
      empty: { bare: Buffer.byteLength(bareEmpty.body), serpq: Buffer.byteLength(emptyAnswer.body) },
    };
    const pairOpts = { rounds, serpqProbe: pgCpu, probeName: 'postgres' };
    const pairs = async (label: string, srv: { child: Child; base: string }) => ({
      full: await phase(`pg tasks_ready full page, ${label}`, () =>
        ctx.throughputPairing(
          'full ',
          bare.base + '/full',
          bare.child,
          srv.base + READY_PATH,
          srv.child,
          readyHeaders,
          bytes.full,
          pairOpts,
        ),
      ),
      empty: await phase(`pg tasks_ready empty list, ${label}`, () =>
        ctx.throughputPairing(
          'empty',
          bare.base + '/empty',
          bare.child,
          srv.base + READY_PATH,
          srv.child,
          emptyHeaders,
          bytes.empty,
          pairOpts,
        ),
      ),
    });
    const atSmall = await pairs(fmtInt(smallRows), smallSrv);
    const bigSrv = await ctx.startSerpq(seeds.big.url);
    children.push(bigSrv);
    ctx.expectPage((await httpGet(bigSrv.base + READY_PATH, readyHeaders)).body, READY_ROWS, 'serpq (pg, big) full page');
    const atBig = await pairs(fmtInt(bigRows), bigSrv);
    await bare.child.stop();

    const flat = await phase(`pg latency flatness ${fmtInt(smallRows)} vs ${fmtInt(bigRows)}`, () =>
      ctx.flatness(smallSrv, bigSrv, smallRows, bigRows, readyHeaders),
    );
    await stopAll();

    // ---- ingest, one process
    const ingestUrl = async (): Promise<string> => {
      const schema = 'bench_ingest';
      const c = await pgClient(server, database, null);
      await c.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
      await c.end();
      const url = pgUrl(server, database, schema);
      const store = new PostgresStore({ url });
      await store.migrate();
      await createAccount(store, Date.now(), { login: 'bench-ingest', password: BENCH_PASSWORD, balance: 1_000_000, limits: HIGH_LIMITS });
      await store.close();
      return url;
    };
    const countTasks = async (_url: string): Promise<number> => {
      const c = await pgClient(server, database, 'bench_ingest');
      try {
        return Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM tasks')).rows[0].n);
      } finally {
        await c.end();
      }
    };
    const checkPost = async (base: string) => {
      const body = ctx.ingestBodies()[0];
      const r = await httpGet(
        `${base}/v3/serp/google/images/task_post`,
        { authorization: ctx.basic('bench-ingest'), 'content-type': 'application/json' },
        'POST',
        body,
      );
      const created = (JSON.parse(r.body) as { tasks: { status_code: number }[] }).tasks.filter((t) => t.status_code === 20100).length;
      if (created !== 100) throw new Error(`pg task_post created ${created}/100: ${r.body.slice(0, 300)}`);
    };

    const ingest = await phase('pg task_post ingest (1 process, pinned)', async () => {
      const url = await ingestUrl();
      const s = await ctx.startSerpq(url);
      children.push(s);
      await checkPost(s.base);
      await runLoad({ url: s.base, connections: 12, durationS: 1, requests: ctx.ingestRequests() });
      const before = await countTasks(url);
      const la = loadavg()[0];
      const r = await runLoad({
        url: s.base,
        connections: 12,
        durationS: ingestS,
        requests: ctx.ingestRequests(),
        serverPid: s.child.pid,
        cpuProbe: pgCpu,
      });
      const after = await countTasks(url);
      if (r.errors || r.non2xx) throw new Error(`pg ingest: ${r.errors} errors, ${r.non2xx} non-2xx`);
      await stopAll();
      const out = {
        tasksPerSec: (after - before) / r.durationS,
        accepted: after - before,
        callP50Ms: r.p50Ms,
        callP99Ms: r.p99Ms,
        serverCpu: r.serverCpu,
        pgCpu: r.probeCpu,
        loadGenCpu: r.loadGenCpu,
        tasksPerServerCpuSec: (after - before) / r.durationS / r.serverCpu,
        tasksPerPgCpuSec: (after - before) / r.durationS / r.probeCpu,
        loadAverage: la,
      };
      log(
        `  ingest: ${fmtInt(out.tasksPerSec)} tasks/s (calls p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms; serpq cpu ${round(r.serverCpu * 100, 0)}%, postgres cpu ${round(r.probeCpu * 100, 0)}%, load gen ${round(r.loadGenCpu * 100, 0)}%)`,
      );
      return out;
    });

    // ---- one API process vs two, nothing pinned
    const scaling = await phase('pg one vs two API processes (unpinned)', async () => {
      pinSelf('0-' + String(Math.max(1, Number(ctx.machine.cpus) - 1)));
      try {
        const measure = async (procs: number, kind: 'ready' | 'ingest') => {
          const url = kind === 'ready' ? seeds.small.url : await ingestUrl();
          const srvs: { child: Child; base: string }[] = [];
          for (let i = 0; i < procs; i++) {
            const s = await ctx.startSerpq(url, ['--no-workers'], [], null);
            srvs.push(s);
            children.push(s);
          }
          if (kind === 'ingest') for (const s of srvs) await checkPost(s.base);
          const conns = kind === 'ready' ? 8 : 12;
          const load = (s: { child: Child; base: string }, durationS: number, withPid: boolean) =>
            kind === 'ready'
              ? runLoad({
                  url: s.base + READY_PATH,
                  connections: conns / procs,
                  durationS,
                  headers: readyHeaders,
                  serverPid: withPid ? s.child.pid : undefined,
                })
              : runLoad({
                  url: s.base,
                  connections: conns / procs,
                  durationS,
                  requests: ctx.ingestRequests(),
                  serverPid: withPid ? s.child.pid : undefined,
                });
          await Promise.all(srvs.map((s) => load(s, 1, false)));
          const before = kind === 'ingest' ? await countTasks(url) : 0;
          const pgProbe = pgCpu();
          const t0 = performance.now();
          const la = loadavg()[0];
          const runs: LoadRun[] = await Promise.all(srvs.map((s) => load(s, scaleS, true)));
          const wall = performance.now() - t0;
          const pgShare = pgProbe() / wall;
          const after = kind === 'ingest' ? await countTasks(url) : 0;
          for (const r of runs)
            if (r.errors || r.non2xx) throw new Error(`scaling ${kind} x${procs}: ${r.errors} errors, ${r.non2xx} non-2xx`);
          await stopAll();
          const rate = kind === 'ready' ? runs.reduce((a, r) => a + r.rps, 0) : (after - before) / median(runs.map((r) => r.durationS));
          const row = {
            procs,
            kind,
            rate,
            perProcess: runs.map((r) => (kind === 'ready' ? r.rps : r.rps * 100)),
            p50Ms: median(runs.map((r) => r.p50Ms)),
            p99Ms: Math.max(...runs.map((r) => r.p99Ms)),
            serverCpu: runs.reduce((a, r) => a + r.serverCpu, 0),
            serverCpuEach: runs.map((r) => round(r.serverCpu, 2)),
            pgCpu: pgShare,
            // One runner process generates the load for both servers: its CPU is counted once.
            loadGenCpu: Math.max(...runs.map((r) => r.loadGenCpu)),
            loadAverage: la,
          };
          log(
            `  ${kind} x${procs}: ${fmtInt(rate)} ${kind === 'ready' ? 'req/s' : 'tasks/s'} (p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms; serpq cpu ${row.serverCpuEach.map((c) => `${round(c * 100, 0)}%`).join(' + ')}, postgres ${round(pgShare * 100, 0)}%, load gen ${round(row.loadGenCpu * 100, 0)}%, load avg ${round(la, 2)})`,
          );
          return row;
        };
        const rows = [];
        for (const kind of ['ready', 'ingest'] as const) {
          // Two alternating passes (1, 2, 2, 1), so drift does not favour one side; medians reported.
          const one = [await measure(1, kind)];
          const two = [await measure(2, kind), await measure(2, kind)];
          one.push(await measure(1, kind));
          rows.push({ kind, one, two });
        }
        return rows;
      } finally {
        pinSelf(ctx.loadCpu);
      }
    });

    // ---- summary
    const pairSummary = (p: Pairing) => ({
      bareRps: median(p.bare.map((r) => r.rps)),
      serpqRps: median(p.serpq.map((r) => r.rps)),
      ratio: median(p.ratios),
      ratios: p.ratios.map((r) => round(r, 3)),
      cpuRatio: median(p.cpuRatios),
      serpqCpu: median(p.serpq.map((r) => r.serverCpu)),
      pgCpu: median(p.serpq.map((r) => r.probeCpu)),
      serpqP50Ms: median(p.serpq.map((r) => r.p50Ms)),
      serpqP99Ms: median(p.serpq.map((r) => r.p99Ms)),
      bareP50Ms: median(p.bare.map((r) => r.p50Ms)),
    });
    const S = {
      fullSmall: pairSummary(atSmall.full),
      emptySmall: pairSummary(atSmall.empty),
      fullBig: pairSummary(atBig.full),
      emptyBig: pairSummary(atBig.empty),
    };
    const flatWorst = Math.max(...flat.map((f) => f.ratio));
    // Two passes per side: their mean (a nearest-rank median of two would be the lower one).
    const med = (rows: { rate: number }[]) => rows.reduce((a, r) => a + r.rate, 0) / rows.length;
    const scale = Object.fromEntries(
      scaling.map((s) => [s.kind, { one: med(s.one), two: med(s.two), speedup: med(s.two) / med(s.one), oneRuns: s.one, twoRuns: s.two }]),
    ) as Record<
      'ready' | 'ingest',
      { one: number; two: number; speedup: number; oneRuns: (typeof scaling)[number]['one']; twoRuns: (typeof scaling)[number]['two'] }
    >;
    const results = {
      date: new Date().toISOString(),
      command: 'npm run bench -- ' + argv.join(' '),
      machine: ctx.machine,
      postgres: { server, database, settings },
      seed: {
        small: { ...seeds.small, sizes: seeds.sizes.small },
        big: { ...seeds.big, sizes: seeds.sizes.big },
      },
      tasksReady: { ...S, rounds: { small: atSmall, big: atBig } },
      flatness: { scopes: flat, worstRatio: flatWorst, target: 1.5, pass: flatWorst <= 1.5 },
      ingest: { ...ingest, target: 10_000, pass: ingest.tasksPerSec >= 10_000 },
      scaling: scale,
      seconds: round((performance.now() - started) / 1000, 1),
    };
    writeFileSync(join(ctx.results, 'pg.json'), JSON.stringify(results, null, 2));
    const yes = (b: boolean) => (b ? 'PASS' : 'MISS');
    const pgNote = (x: ReturnType<typeof pairSummary>) =>
      `${round(x.ratio, 3)}x [${x.ratios.join(', ')}]; serpq cpu ${round(x.serpqCpu * 100, 0)}%, postgres ${round(x.pgCpu * 100, 0)}%`;
    const rows: string[][] = [
      [
        `tasks_ready full page, req/s (${fmtInt(smallRows)} tasks)`,
        fmtInt(S.fullSmall.bareRps),
        fmtInt(S.fullSmall.serpqRps),
        pgNote(S.fullSmall),
        '',
        '',
      ],
      [
        `tasks_ready full page, req/s (${fmtInt(bigRows)} tasks)`,
        fmtInt(S.fullBig.bareRps),
        fmtInt(S.fullBig.serpqRps),
        pgNote(S.fullBig),
        '',
        '',
      ],
      [
        `tasks_ready empty list, req/s (${fmtInt(smallRows)} tasks)`,
        fmtInt(S.emptySmall.bareRps),
        fmtInt(S.emptySmall.serpqRps),
        pgNote(S.emptySmall),
        '',
        '',
      ],
      [
        `tasks_ready empty list, req/s (${fmtInt(bigRows)} tasks)`,
        fmtInt(S.emptyBig.bareRps),
        fmtInt(S.emptyBig.serpqRps),
        pgNote(S.emptyBig),
        '',
        '',
      ],
      ...flat.map((f) => [
        `p50 ${f.scope}, ms (${fmtInt(smallRows)} -> ${fmtInt(bigRows)})`,
        String(round(f.smallP50Ms, 3)),
        String(round(f.bigP50Ms, 3)),
        `${round(f.ratio, 3)}x (service ${round(f.smallServerP50Ms, 2)} -> ${round(f.bigServerP50Ms, 2)} ms)`,
        '<= 1.5x',
        yes(f.ratio <= 1.5),
      ]),
      [
        'task_post ingest (100/call, workers off), tasks/s',
        '',
        fmtInt(ingest.tasksPerSec),
        `serpq cpu ${round(ingest.serverCpu * 100, 0)}%, postgres ${round(ingest.pgCpu * 100, 0)}%; p50 ${ingest.callP50Ms} ms, p99 ${ingest.callP99Ms} ms`,
        '>= 10,000',
        yes(ingest.tasksPerSec >= 10_000),
      ],
      [
        'tasks_ready full page, 1 vs 2 API processes, req/s',
        fmtInt(scale.ready.one),
        fmtInt(scale.ready.two),
        `${round(scale.ready.speedup, 2)}x`,
        '',
        '',
      ],
      [
        'task_post ingest, 1 vs 2 API processes, tasks/s',
        fmtInt(scale.ingest.one),
        fmtInt(scale.ingest.two),
        `${round(scale.ingest.speedup, 2)}x`,
        '',
        '',
      ],
    ];
    const header = ['measure (PostgreSQL)', 'baseline / 1 proc', 'serpq / 2 procs', 'ratio / detail', 'target', ''];
    log('\n== PostgreSQL summary (' + results.date + ')\n');
    log(table(header, rows));
    log(`\nPostgreSQL part: ${results.seconds} s; results: ${join(ctx.results, 'pg.json')}`);
    writeFileSync(join(ctx.results, 'pg.md'), markdownTable(header.slice(0, 5).concat(['result']), rows) + '\n');
  } finally {
    await stopAll();
  }
}
