import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createClient } from '../src/client/index.js';
import { findSeType } from '../src/domain/catalog.js';
import { parseTaskRequest } from '../src/domain/task-request.js';
import { createSandboxExecutor } from '../src/executors/sandbox/sandbox-executor.js';
import { DEFAULT_MATCH, cassetteLine, cassetteRequest, matchKey } from '../src/executors/replay/cassette.js';
import { openCassettes } from '../src/executors/replay/library.js';
import { cpuTimeMs, sleep, spawnChild, waitForOutput } from './proc.js';
import type { BenchContext } from './run.js';
import { fmtInt, median, round, table } from './stats.js';

/**
 * `npm run bench -- --replay`: the replay executor against the sandbox, in one run.
 *
 *  - Execution: N google/organic tasks (default 10,000; 2,000 with --quick) are queued once through
 *    task_post on a `serve --no-workers`; each round copies that queue and drains it with one
 *    `serpq worker` (pinned to the server core), once with the sandbox and once with
 *    `--executor replay` on N cassettes of exactly those requests (`--replay-miss error`, so a miss
 *    would show as a 40102 and is counted). tasks/s = N / drain time; ratio = median over rounds
 *    (`--replay-rounds`, default 3) of replay / sandbox (target >= 0.8).
 *  - Lookup: a folder of 1,000 and one of 100,000 cassettes, opened in this process; the mean time
 *    of `has` alone, of what an execution does (the task's match key, then `has`) and of `find`
 *    (index + read + parse of the line, what a task_get does) over 1,000 keys spread over each
 *    folder; flat means the 100,000 / 1,000 ratio stays near 1 (a bigger map also costs some CPU
 *    cache misses, which `has` alone shows most).
 */
const TASKS_PER_CALL = 100;

interface Drain {
  readonly tasksPerSec: number;
  readonly cpuMsPerTask: number;
  readonly ok: number;
}

function organic(i: number) {
  return { keyword: `replay bench ${i}`, location_code: 2840, language_code: 'en', depth: 10 };
}

/** N cassettes of the bench's requests, rendered by the sandbox (a realistic size per line). */
function writeCassettes(dir: string, n: number, small = false): void {
  mkdirSync(dir, { recursive: true });
  const def = findSeType('google', 'organic')!;
  const sandbox = createSandboxExecutor({ latency: { normal: 0, high: 0 } });
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const parsed = parseTaskRequest(def, organic(i), 'task_post');
    if (!parsed.ok) throw new Error(`bench request ${i}: ${parsed.field}`);
    const input = { id: `bench-${i}`, def, request: parsed.task, params: parsed.data, postedAt: 0 };
    const advanced = small ? { keyword: organic(i).keyword, items: [] } : sandbox.render!(input, 'advanced', '2026-12-01 00:00:00 +00:00');
    lines.push(
      cassetteLine({
        se: 'google',
        se_type: 'organic',
        request: cassetteRequest(def, parsed.task, parsed.data),
        results: { advanced },
        recorded_at: '2026-12-01 00:00:00 +00:00',
        source: 'bench',
      }),
    );
  }
  writeFileSync(join(dir, 'google.organic.jsonl'), lines.join('\n') + '\n');
}

async function seedQueue(ctx: BenchContext, db: string, n: number): Promise<void> {
  const { child, base } = await ctx.startSerpq(db, ['--no-workers']);
  const c = createClient({ baseUrl: base, login: 'demo', password: 'demo' });
  for (let i = 0; i < n; i += TASKS_PER_CALL) {
    const body = Array.from({ length: Math.min(TASKS_PER_CALL, n - i) }, (_, k) => organic(i + k));
    const env = await c.taskPost('google', 'organic', body);
    const created = (env.tasks ?? []).filter((t) => t.status_code === 20100).length;
    if (created !== body.length) throw new Error(`task_post created ${created}/${body.length}`);
  }
  await child.stop();
}

async function drain(ctx: BenchContext, template: string, db: string, n: number, executor: string[]): Promise<Drain> {
  for (const ext of ['', '-wal', '-shm']) if (existsSync(db + ext)) rmSync(db + ext);
  copyFileSync(template, db);
  const worker = spawnChild(ctx.serpqCmd.command, [...ctx.serpqCmd.prefix, 'worker', '--db', db, '--log-level', 'silent', ...executor], {
    cpu: ctx.serverCpu,
    cwd: ctx.root,
  });
  await waitForOutput(worker, /serpq worker (\S+) running/, 120_000);
  const counter = new Database(db, { readonly: true, fileMustExist: true });
  const countDone = counter.prepare('SELECT count(*) FROM tasks WHERE state = 2').pluck();
  const t0 = performance.now();
  const cpu0 = cpuTimeMs(worker.pid);
  let first: { t: number; done: number } | null = null;
  let done = 0;
  while (done < n && performance.now() - t0 < 300_000) {
    await sleep(50);
    done = countDone.get() as number;
    if (done > 0 && !first) first = { t: performance.now(), done };
  }
  const end = performance.now();
  const cpuMs = cpuTimeMs(worker.pid) - cpu0;
  const ok = counter.prepare('SELECT count(*) FROM tasks WHERE status_code = 20000').pluck().get() as number;
  counter.close();
  await worker.stop();
  const from = first ?? { t: t0, done: 0 };
  return { tasksPerSec: (done - from.done) / ((end - from.t) / 1000), cpuMsPerTask: cpuMs / done, ok };
}

function lookupCost(dir: string, n: number): { hasNs: number; taskUs: number; findUs: number; openMs: number } {
  const t0 = performance.now();
  const lib = openCassettes(dir, DEFAULT_MATCH);
  const openMs = performance.now() - t0;
  const def = findSeType('google', 'organic')!;
  const tasks = Array.from({ length: 1000 }, (_, k) => {
    const parsed = parseTaskRequest(def, organic((k * 7919) % n), 'task_post');
    if (!parsed.ok) throw new Error('bench request');
    return parsed;
  });
  const keys = tasks.map((p) => matchKey('google', 'organic', cassetteRequest(def, p.task, p.data), DEFAULT_MATCH));
  let hits = 0;
  // What an execution does: the task's match key, then the hit test.
  const t0k = process.hrtime.bigint();
  for (let r = 0; r < 20; r++)
    for (const p of tasks)
      if (lib.has(matchKey('google', 'organic', cassetteRequest(def, p.task, p.data), DEFAULT_MATCH), 'advanced')) hits++;
  const taskUs = Number(process.hrtime.bigint() - t0k) / (20 * tasks.length) / 1000;
  const h0 = process.hrtime.bigint();
  for (let r = 0; r < 200; r++) for (const k of keys) if (lib.has(k, 'advanced')) hits++;
  const hasNs = Number(process.hrtime.bigint() - h0) / (200 * keys.length);
  const f0 = process.hrtime.bigint();
  // Past the kept parsed lines: every find reads its line.
  for (let r = 0; r < 5; r++) for (const k of keys) if (lib.find(k, 'advanced')) hits++;
  const findUs = Number(process.hrtime.bigint() - f0) / (5 * keys.length) / 1000;
  lib.close();
  if (hits !== 225 * keys.length) throw new Error(`lookup: ${hits} hits of ${225 * keys.length}`);
  return { hasNs, taskUs, findUs, openMs };
}

export async function runReplayBench(ctx: BenchContext): Promise<void> {
  const argOf = (name: string, fallback: number) => {
    const i = ctx.argv.indexOf(name);
    return i >= 0 && ctx.argv[i + 1] ? Number(ctx.argv[i + 1]) : fallback;
  };
  const n = argOf('--replay-tasks', ctx.quick ? 2000 : 10_000);
  const rounds = argOf('--replay-rounds', ctx.quick ? 1 : 3);
  const dir = mkdtempSync(join(tmpdir(), 'serpq-bench-replay-'));
  try {
    const cassettes = join(dir, 'cassettes');
    const template = join(dir, 'queue.db');
    await ctx.phase('replay: cassettes and queue', async () => {
      writeCassettes(cassettes, n);
      await seedQueue(ctx, template, n);
    });
    const sandbox: Drain[] = [];
    const replay: Drain[] = [];
    await ctx.phase('replay: execution', async () => {
      for (let r = 0; r < rounds; r++) {
        sandbox.push(await drain(ctx, template, join(dir, 'run.db'), n, ['--executor', 'sandbox']));
        replay.push(
          await drain(ctx, template, join(dir, 'run.db'), n, ['--executor', 'replay', '--cassettes', cassettes, '--replay-miss', 'error']),
        );
        const s = sandbox[r]!;
        const p = replay[r]!;
        if (p.ok !== n) throw new Error(`replay round ${r + 1}: ${p.ok}/${n} tasks completed from cassettes`);
        ctx.log(
          `  round ${r + 1}: sandbox ${fmtInt(s.tasksPerSec)} tasks/s, replay ${fmtInt(p.tasksPerSec)} tasks/s (${round(p.tasksPerSec / s.tasksPerSec, 3)}x)`,
        );
      }
    });
    const ratio = median(replay.map((p, i) => p.tasksPerSec / sandbox[i]!.tasksPerSec));
    const lookups = await ctx.phase('replay: lookup', async () => {
      const out: Array<{ n: number; hasNs: number; taskUs: number; findUs: number; openMs: number }> = [];
      for (const size of [1000, 100_000]) {
        const folder = join(dir, `lookup-${size}`);
        writeCassettes(folder, size, true);
        out.push({ n: size, ...lookupCost(folder, size) });
      }
      return out;
    });
    ctx.log('');
    ctx.log(`replay execution (${fmtInt(n)} google/organic tasks, one worker on core ${ctx.serverCpu}):`);
    ctx.log(
      table(
        ['executor', 'tasks/s (median)', 'worker cpu ms/task'],
        [
          ['sandbox', fmtInt(median(sandbox.map((s) => s.tasksPerSec))), String(round(median(sandbox.map((s) => s.cpuMsPerTask)), 3))],
          ['replay', fmtInt(median(replay.map((s) => s.tasksPerSec))), String(round(median(replay.map((s) => s.cpuMsPerTask)), 3))],
        ],
      ),
    );
    ctx.log(`  replay / sandbox: ${round(ratio, 3)}x (target >= 0.8)`);
    ctx.log('cassette lookup:');
    ctx.log(
      table(
        ['cassettes', 'open ms', 'has ns', 'task key + has us', 'find us'],
        lookups.map((l) => [
          fmtInt(l.n),
          String(round(l.openMs, 0)),
          String(round(l.hasNs, 0)),
          String(round(l.taskUs, 2)),
          String(round(l.findUs, 2)),
        ]),
      ),
    );
    const [a, b] = lookups;
    ctx.log(
      `  100,000 / 1,000: has ${round(b!.hasNs / a!.hasNs, 2)}x, task key + has ${round(b!.taskUs / a!.taskUs, 2)}x, find ${round(b!.findUs / a!.findUs, 2)}x (flat = about 1)`,
    );
    mkdirSync(ctx.results, { recursive: true });
    writeFileSync(
      join(ctx.results, 'replay.json'),
      JSON.stringify({ machine: ctx.machine, n, rounds, sandbox, replay, ratio, lookups }, null, 2),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
