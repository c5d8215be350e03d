import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Agent, request } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createAccount } from '../src/services/accounts.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { httpGet, runLoad } from './load.js';
import { measurePostbackParts } from './postback-parts.js';
import { type Child, cpuTimeMs, pinSelf, sleep, spawnChild, waitForOutput } from './proc.js';
import type { BenchContext } from './run.js';
import { BENCH_PASSWORD, HIGH_LIMITS, KEYWORDS } from './seed.js';
import { fmtInt, markdownTable, percentile, round, table } from './stats.js';

/**
 * `npm run bench -- --webhooks`: postback delivery throughput and completion-to-delivery delay.
 *
 * serpq (`serve`, workers on, SQLite, sandbox latency 0, --allow-private-webhooks, courier threads at
 * their default of one per core), a receiver (bench/receiver.ts: bare node:http, reads the body,
 * answers 200) and this runner share the whole machine (every core); `--hook-split` instead pins serpq
 * to core 0 and the receiver with the runner to core 1. Tasks carry
 * `postback_url: http://127.0.0.1:<port>/pb?id=$id` and `postback_data: advanced` (google/images,
 * default depth 100: each postback is the gzip of a ~60 KB task_get/advanced envelope).
 *
 *  - Sustained: 20,000 tasks posted as fast as 4 connections allow, in posts of 100; delivered/s
 *    from the first post to the last arrival. Then the same burst with pingbacks (GET, no body).
 *  - Half rate: the sustained rate halved, offered for 10 s in posts of 100 (the vendor's most per
 *    call: 100 tasks completing together) and again in posts of 10 (the same rate spread out); delay
 *    is the receiver's arrival time (Date.now()) minus the task's completed_at read from the database
 *    afterwards (serpq writes it with Date.now() on the same machine). `--hook-interval <ms>` offers a
 *    fixed rate instead (posts of 100 every <ms>).
 *  - Baseline: the receiver alone (on core 0, the runner on core 1), autocannon POSTing a real captured
 *    postback body (gzip) with its headers, 32 connections (the dispatcher's per-host limit).
 *  - Parts: each part of one postback alone in this process, serpq stopped (bench/postback-parts.ts);
 *    two cores divided by their sum is the ceiling the sustained rate is measured against.
 */

const BATCH = 100;

export async function runWebhookBench(ctx: BenchContext): Promise<void> {
  const { log, phase } = ctx;
  const started = performance.now();
  const fixedIntervalMs = Number(optionOf(ctx.argv, '--hook-interval', '0'));
  // The whole machine by default: serpq's courier threads, the receiver and this runner share every
  // core. --hook-split pins serpq to one core and the receiver with the runner to the other.
  const split = ctx.argv.includes('--hook-split');
  const allCores = Array.from({ length: cpus().length }, (_, i) => i).join(',');
  const steadyS = ctx.quick ? 4 : 10;
  const burstTasks = ctx.quick ? 5_000 : 20_000;
  const db = join(ctx.data, 'webhooks.db');
  const bodyFile = join(ctx.data, 'postback-body.gz');
  const children: Child[] = [];
  const stopAll = async () => {
    for (const c of children.splice(0)) await c.stop();
  };
  const startReceiver = async (cpu: number | string, save?: string) => {
    const child = spawnChild(process.execPath, ['--import', 'tsx', join(ctx.root, 'bench', 'receiver.ts'), ...(save ? [save] : [])], {
      cpu,
      cwd: ctx.root,
    });
    children.push(child);
    const port = await waitForOutput(child, /receiver listening on (\d+)/);
    return { child, base: `http://127.0.0.1:${port}` };
  };

  try {
    const out = await phase('webhooks: postback delivery', async () => {
      for (const s of ['', '-wal', '-shm']) rmSync(db + s, { force: true });
      rmSync(bodyFile, { force: true });
      const store = new SqliteStore({ path: db });
      await store.migrate();
      await createAccount(store, Date.now(), { login: 'bench-hooks', password: BENCH_PASSWORD, balance: 1_000_000, limits: HIGH_LIMITS });
      await store.close();
      if (!split) pinSelf(allCores);
      const receiver = await startReceiver(split ? ctx.loadCpu : allCores, bodyFile);
      const serpq = await ctx.startSerpq(db, ['--allow-private-webhooks', '--sandbox-latency', '0'], [], split ? ctx.serverCpu : allCores);
      children.push(serpq.child);
      const hookUrl = `${receiver.base}/pb?id=$id`;
      const agent = new Agent({ keepAlive: true, maxSockets: 4 });
      const auth = ctx.basic('bench-hooks');
      let seq = 0;
      const bodyOf = (kind: 'postback' | 'pingback' = 'postback', size = BATCH) => {
        const tasks = [];
        for (let i = 0; i < size; i++, seq++) {
          const hook = kind === 'postback' ? { postback_url: hookUrl, postback_data: 'advanced' } : { pingback_url: hookUrl };
          tasks.push({
            keyword: `${KEYWORDS[(seq * 7) % KEYWORDS.length]} ${seq % 97}`,
            location_code: 2840,
            language_code: 'en',
            ...hook,
          });
        }
        return JSON.stringify(tasks);
      };
      const post = (body: string) =>
        new Promise<number>((resolve, reject) => {
          const req = request(
            `${serpq.base}/v3/serp/google/images/task_post`,
            { method: 'POST', agent, headers: { authorization: auth, 'content-type': 'application/json' } },
            (res) => {
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              res.on('error', reject);
              res.on('end', () => {
                const text = Buffer.concat(chunks).toString('utf8');
                const created = (text.match(/"status_code":20100/g) ?? []).length;
                const sent = (body.match(/"keyword"/g) ?? []).length;
                if (created !== sent) reject(new Error(`task_post created ${created}/${sent}: ${text.slice(0, 300)}`));
                else resolve(created);
              });
            },
          );
          req.on('error', (err) =>
            reject(
              new Error(
                `task_post failed (${err.message}); serpq ${serpq.child.proc.exitCode === null && !serpq.child.proc.signalCode ? 'still runs' : `exited (${serpq.child.proc.exitCode ?? serpq.child.proc.signalCode})`}; it said: ${serpq.child.output().slice(-2000)}`,
              ),
            ),
          );
          req.end(body);
        });
      const count = async () => Number((await httpGet(`${receiver.base}/count`)).body);
      const waitFor = async (n: number, capS: number) => {
        const t0 = performance.now();
        while ((await count()) < n && performance.now() - t0 < capS * 1000) await sleep(20);
        return count();
      };

      // Warm-up: 2,000 tasks, all delivered, then a clean slate.
      for (let i = 0; i < 20; i++) await post(bodyOf());
      const warm = await waitFor(2000, 30);
      if (warm < 2000) throw new Error(`webhooks warm-up: ${warm}/2000 delivered: ${serpq.child.output().slice(-1000)}`);
      await httpGet(`${receiver.base}/reset`);

      /** Posts `tasks` as fast as 4 connections allow and waits for every arrival. */
      const burst = async (kind: 'postback' | 'pingback') => {
        await httpGet(`${receiver.base}/reset`);
        const b0 = Date.now();
        const cpu0 = cpuTimeMs(serpq.child.pid);
        const bodies = Array.from({ length: burstTasks / BATCH }, () => bodyOf(kind));
        let next = 0;
        await Promise.all(
          Array.from({ length: 4 }, async () => {
            while (next < bodies.length) await post(bodies[next++]);
          }),
        );
        const postMs = Date.now() - b0;
        const got = await waitFor(burstTasks, 90);
        const st = JSON.parse((await httpGet(`${receiver.base}/stats`)).body) as { arrivals: [string, number][] };
        const last = Math.max(...st.arrivals.map(([, at]) => at));
        return {
          tasks: burstTasks,
          delivered: got,
          postMs,
          totalMs: last - b0,
          deliveredPerSec: got / ((last - b0) / 1000),
          serverCpu: (cpuTimeMs(serpq.child.pid) - cpu0) / (Date.now() - b0),
        };
      };

      /** Offers posts of `size` tasks every `intervalMs` for `seconds`; delays from completion to arrival. */
      const steadyAt = async (size: number, intervalMs: number, seconds: number) => {
        await httpGet(`${receiver.base}/reset`);
        const posts = Math.max(1, Math.round((seconds * 1000) / intervalMs));
        const cpuS0 = cpuTimeMs(serpq.child.pid);
        const cpuR0 = cpuTimeMs(receiver.child.pid);
        const t0 = Date.now();
        const pending: Promise<number>[] = [];
        let lateMax = 0;
        for (let k = 0; k < posts; k++) {
          const wait = t0 + k * intervalMs - Date.now();
          if (wait > 0) await sleep(wait);
          else lateMax = Math.max(lateMax, -wait);
          pending.push(post(bodyOf('postback', size)));
        }
        await Promise.all(pending);
        const tPosted = Date.now();
        const postedN = posts * size;
        const got = await waitFor(postedN, 60);
        const tDrained = Date.now();
        const st = JSON.parse((await httpGet(`${receiver.base}/stats`)).body) as { arrivals: [string, number][] };
        const reader = new Database(db, { readonly: true, fileMustExist: true });
        const lookup = reader.prepare('SELECT completed_at AS c, posted_at AS p FROM tasks WHERE id = ?');
        const delays: number[] = [];
        const postToDelivery: number[] = [];
        for (const [id, at] of st.arrivals) {
          const t = lookup.get(id) as { c: number | null; p: number } | undefined;
          if (!t || t.c === null) continue;
          delays.push(at - t.c);
          postToDelivery.push(at - t.p);
        }
        const failed = reader.prepare('SELECT count(*) FROM webhook_attempts WHERE NOT ok').pluck().get() as number;
        reader.close();
        const inWindow = st.arrivals.filter(([, at]) => at >= t0 + 1000 && at < tPosted).length;
        return {
          postSize: size,
          intervalMs: round(intervalMs, 1),
          offeredPerSec: round((size * 1000) / intervalMs, 0),
          posted: postedN,
          delivered: got,
          deliveredPerSec: tPosted - t0 > 1000 ? inWindow / ((tPosted - t0 - 1000) / 1000) : got / ((tDrained - t0) / 1000),
          drainAfterLastPostMs: tDrained - tPosted,
          delayP50Ms: percentile(delays, 50),
          delayP90Ms: percentile(delays, 90),
          delayP99Ms: percentile(delays, 99),
          delayMaxMs: Math.max(...delays),
          postToDeliveryP50Ms: percentile(postToDelivery, 50),
          postToDeliveryP99Ms: percentile(postToDelivery, 99),
          serverCpu: (cpuTimeMs(serpq.child.pid) - cpuS0) / (tDrained - t0),
          receiverCpu: (cpuTimeMs(receiver.child.pid) - cpuR0) / (tDrained - t0),
          failedAttempts: failed,
          postSchedulerLateMaxMs: lateMax,
          loadAverage: loadavg()[0],
        };
      };
      const logSteady = (label: string, st: Awaited<ReturnType<typeof steadyAt>>) =>
        log(
          `  ${label}: ${fmtInt(st.offeredPerSec)}/s offered in posts of ${st.postSize}: ${fmtInt(st.deliveredPerSec)} delivered/s (${fmtInt(st.delivered)}/${fmtInt(st.posted)}, drained ${st.drainAfterLastPostMs} ms after the last post); completion->delivery p50 ${st.delayP50Ms} ms, p90 ${st.delayP90Ms} ms, p99 ${st.delayP99Ms} ms, max ${st.delayMaxMs} ms; serpq cpu ${round(st.serverCpu * 100, 0)}%, failed attempts ${st.failedAttempts}`,
        );

      const sustained = await burst('postback');
      log(
        `  sustained, burst of ${fmtInt(burstTasks)}: posted in ${sustained.postMs} ms, all ${fmtInt(sustained.delivered)} delivered ${sustained.totalMs} ms after the first post = ${fmtInt(sustained.deliveredPerSec)} delivered/s; serpq cpu ${round(sustained.serverCpu * 100, 0)}%`,
      );
      const pingBurst = await burst('pingback');
      log(
        `  pingback burst of ${fmtInt(burstTasks)}: all ${fmtInt(pingBurst.delivered)} delivered ${pingBurst.totalMs} ms after the first post = ${fmtInt(pingBurst.deliveredPerSec)} delivered/s; serpq cpu ${round(pingBurst.serverCpu * 100, 0)}%`,
      );
      // Half the sustained rate, in posts of 100 and of 10 (or the fixed rate asked for).
      const half = sustained.deliveredPerSec / 2;
      const steady = fixedIntervalMs
        ? [await steadyAt(BATCH, fixedIntervalMs, steadyS)]
        : [await steadyAt(BATCH, (BATCH * 1000) / half, steadyS), await steadyAt(10, (10 * 1000) / half, steadyS)];
      for (const st of steady) logSteady(fixedIntervalMs ? 'fixed rate' : 'half the sustained rate', st);
      agent.destroy();
      await stopAll();
      return { sustained, steady, pingBurst };
    });

    const baseline = await phase('webhooks: receiver baseline', async () => {
      pinSelf(ctx.loadCpu);
      const receiver = await startReceiver(ctx.serverCpu);
      const body = readFileSync(bodyFile);
      const captured = JSON.parse(readFileSync(bodyFile + '.headers.json', 'utf8')) as Record<string, string>;
      const headers = {
        'content-type': captured['content-type'] ?? 'application/json',
        'content-encoding': captured['content-encoding'] ?? 'gzip',
        'user-agent': captured['user-agent'] ?? 'serpq-webhooks/1',
      };
      const requests = [{ method: 'POST', path: '/pb?id=baseline', headers, body }];
      await runLoad({ url: receiver.base, connections: 32, durationS: 1, requests: requests as never });
      const r = await runLoad({
        url: receiver.base,
        connections: 32,
        durationS: ctx.quick ? 2 : 5,
        requests: requests as never,
        serverPid: receiver.child.pid,
      });
      await stopAll();
      // A yardstick of this machine's speed at the time of the run, to compare runs across machines:
      // gzip (level 1, as serpq sends) of the captured postback's JSON, in this process.
      const json = gunzipSync(body);
      for (let i = 0; i < 100; i++) gzipSync(json, { level: 1 });
      const g0 = performance.now();
      for (let i = 0; i < 1000; i++) gzipSync(json, { level: 1 });
      const gzipUs = ((performance.now() - g0) / 1000) * 1000;
      log(`  yardstick: gzip level 1 of the ${fmtInt(json.length)} B postback JSON takes ${round(gzipUs, 0)} us on this machine now`);
      log(
        `  receiver alone: ${fmtInt(r.rps)} POST/s of ${fmtInt(body.length)} B gzip (p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms; receiver cpu ${round(r.serverCpu * 100, 0)}%, load gen ${round(r.loadGenCpu * 100, 0)}%)`,
      );
      return {
        rps: r.rps,
        p50Ms: r.p50Ms,
        p99Ms: r.p99Ms,
        receiverCpu: r.serverCpu,
        bodyBytes: body.length,
        errors: r.errors + r.non2xx,
        gzipYardstickUs: gzipUs,
      };
    });

    // What one postback costs at best: each part alone, in this process on one core (serpq stopped).
    const parts = await phase('webhooks: CPU per postback, part by part', async () => {
      const p = await measurePostbackParts(db, join(ctx.data, 'postback-parts.db'), ctx.quick ? 300 : 1000);
      const receiverUs = (baseline.receiverCpu / baseline.rps) * 1e6;
      const totalUs = p.renderJsonUs + p.encodeUs + p.gzipUs + p.storeTotalUs + receiverUs;
      log(
        `  body of ${fmtInt(p.jsonBytes)} B (${fmtInt(p.gzipBytes)} B gzip): render + JSON ${p.renderJsonUs} us, UTF-8 ${p.encodeUs} us, gzip ${p.gzipUs} us`,
      );
      log(
        `  store (SQLite) per task: ${Object.entries(p.storeUs)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')} = ${p.storeTotalUs} us`,
      );
      log(
        `  receiver per POST: ${round(receiverUs, 1)} us; sum ${round(totalUs, 0)} us of CPU per postback before HTTP, threads and GC: at most ${fmtInt((cpus().length * 1e6) / totalUs)}/s on ${cpus().length} cores`,
      );
      return {
        ...p,
        receiverUs: round(receiverUs, 1),
        sumUs: round(totalUs, 0),
        ceilingPerSec: Math.round((cpus().length * 1e6) / totalUs),
      };
    });

    const { sustained, steady, pingBurst } = out;
    const ratio = sustained.deliveredPerSec / parts.ceilingPerSec;
    const results = {
      date: new Date().toISOString(),
      command: 'npm run bench -- ' + ctx.argv.join(' '),
      machine: ctx.machine,
      layout: split ? 'split: serpq on core 0, receiver and runner on core 1' : 'shared: serpq, receiver and runner on every core',
      sustained,
      sustainedToCeiling: round(ratio, 3),
      steady,
      pingBurst,
      baseline,
      parts,
      seconds: round((performance.now() - started) / 1000, 1),
    };
    writeFileSync(join(ctx.results, 'webhooks.json'), JSON.stringify(results, null, 2));
    const yes = (b: boolean) => (b ? 'PASS' : 'MISS');
    const rows: string[][] = [
      [
        `postbacks delivered/s, sustained (burst of ${fmtInt(sustained.tasks)})`,
        fmtInt(parts.ceilingPerSec),
        fmtInt(sustained.deliveredPerSec),
        `${round(ratio, 2)}x the parts' ceiling; serpq cpu ${round(sustained.serverCpu * 100, 0)}%`,
        '>= 0.85x',
        yes(ratio >= 0.85),
      ],
      ...steady.map((st) => [
        `completion -> delivery p50 / p99, ms (${fmtInt(st.offeredPerSec)}/s in posts of ${st.postSize})`,
        '',
        `${st.delayP50Ms} / ${st.delayP99Ms}`,
        `p90 ${st.delayP90Ms}, max ${st.delayMaxMs}; ${fmtInt(st.delivered)}/${fmtInt(st.posted)} delivered; serpq cpu ${round(st.serverCpu * 100, 0)}%`,
        'p99 < 50',
        yes(st.delayP99Ms < 50),
      ]),
      [
        `pingbacks delivered/s, burst of ${fmtInt(pingBurst.tasks)}`,
        '',
        fmtInt(pingBurst.deliveredPerSec),
        `no body to build: outbox, dispatcher and sender alone; serpq cpu ${round(pingBurst.serverCpu * 100, 0)}%`,
        '',
        '',
      ],
      [
        'CPU per postback, parts alone (us)',
        '',
        fmtInt(parts.sumUs),
        `render+JSON ${parts.renderJsonUs}, UTF-8 ${parts.encodeUs}, gzip ${parts.gzipUs}, store ${parts.storeTotalUs}, receiver ${parts.receiverUs}: at most ${fmtInt(parts.ceilingPerSec)}/s on ${cpus().length} cores`,
        '',
        '',
      ],
      ['receiver alone, POST/s', fmtInt(baseline.rps), '', `p99 ${baseline.p99Ms} ms`, '', ''],
    ];
    const header = ['measure (webhooks)', 'baseline', 'serpq', 'detail', 'target', ''];
    log('\n== webhooks summary (' + results.date + ')\n');
    log(table(header, rows));
    writeFileSync(join(ctx.results, 'webhooks.md'), markdownTable(header.slice(0, 5).concat(['result']), rows) + '\n');
    log(`results: ${join(ctx.results, 'webhooks.json')}`);
  } finally {
    await stopAll();
    pinSelf(ctx.loadCpu);
  }
}

function optionOf(argv: readonly string[], name: string, fallback: string): string {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback;
}
