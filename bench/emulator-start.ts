import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchContext } from './run.js';
import { median, round, table } from './stats.js';

/**
 * Part of `npm run bench -- --startup`: `startEmulator()` of serpq/testing, as a test file uses it,
 * from the first answer's point of view. Each sample is a fresh node process that imports the built
 * `testing/index.js`, then (clock started) calls `startEmulator()` and sends one tasks_ready with the
 * emulator's credentials over node:http, and stops the clock at the answer. The baseline, in a fresh
 * process too: node:http's createServer, listen on a free port, the same request answered with a
 * fixed body. Both clients are node:http (the global fetch costs ~30 ms at its first call, alike for
 * both). Alternating, --emulator-spawns (default 10, 4 with --quick) of each; medians.
 */
const CLIENT = `
import http from 'node:http';
const ask = (base, auth) => new Promise((resolve, reject) => {
  const req = http.get(base + '/v3/serp/tasks_ready', { headers: auth ? { authorization: auth } : {} }, (res) => {
    res.resume();
    res.on('end', () => resolve(res.statusCode));
  });
  req.on('error', reject);
});
`;

const EMULATOR = (testing: string) => `${CLIENT}
const t0 = performance.now();
const { startEmulator } = await import(${JSON.stringify(testing)});
const t1 = performance.now();
const em = await startEmulator();
const t2 = performance.now();
const status = await ask(em.baseUrl, 'Basic ' + Buffer.from(em.login + ':' + em.password).toString('base64'));
const t3 = performance.now();
await em.close();
console.log(JSON.stringify({ importMs: t1 - t0, startMs: t2 - t1, firstAnswerMs: t3 - t1, status }));
`;

const BARE = `${CLIENT}
const t1 = performance.now();
const srv = http.createServer((q, s) => { s.setHeader('content-type', 'application/json'); s.end('{"status_code":20000}'); });
await new Promise((r) => srv.listen(0, '127.0.0.1', r));
const t2 = performance.now();
const status = await ask('http://127.0.0.1:' + srv.address().port);
const t3 = performance.now();
srv.close();
console.log(JSON.stringify({ importMs: 0, startMs: t2 - t1, firstAnswerMs: t3 - t1, status }));
`;

interface Sample {
  importMs: number;
  startMs: number;
  firstAnswerMs: number;
  status: number;
}

function sample(ctx: BenchContext, script: string): Sample {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ctx.root, encoding: 'utf8' });
  const s = JSON.parse(out.trim().split('\n').pop() ?? '{}') as Sample;
  if (s.status !== 200) throw new Error(`the first answer was ${s.status}, not 200`);
  return s;
}

export async function runEmulatorStartBench(ctx: BenchContext): Promise<void> {
  const main = ctx.serpqCmd.prefix.find((p) => p.endsWith(join('cli', 'main.js')) || p.endsWith(join('bin', 'main.js')));
  if (!main) {
    ctx.log('  emulator start: no compiled build, skipped');
    return;
  }
  const testing = pathToFileURL(join(dirname(dirname(main)), 'testing', 'index.js')).href;
  const i = ctx.argv.indexOf('--emulator-spawns');
  const spawns = i >= 0 && ctx.argv[i + 1] ? Number(ctx.argv[i + 1]) : ctx.quick ? 4 : 10;
  const bare: Sample[] = [];
  const em: Sample[] = [];
  await ctx.phase('startup: startEmulator() to the first answer', async () => {
    sample(ctx, EMULATOR(testing)); // unmeasured: the page cache holds the build afterwards
    for (let n = 0; n < spawns; n++) {
      if (n % 2 === 0) {
        bare.push(sample(ctx, BARE));
        em.push(sample(ctx, EMULATOR(testing)));
      } else {
        em.push(sample(ctx, EMULATOR(testing)));
        bare.push(sample(ctx, BARE));
      }
    }
  });
  const med = (list: Sample[], k: keyof Sample) => median(list.map((s) => s[k]));
  const rows = [
    ['import serpq/testing, ms', '-', round(med(em, 'importMs'), 1), '', ''],
    [
      'startEmulator() resolved, ms',
      round(med(bare, 'startMs'), 1),
      round(med(em, 'startMs'), 1),
      `${round(med(em, 'startMs') / med(bare, 'startMs'), 1)}x`,
      '',
    ],
    [
      'start to first answer, ms',
      round(med(bare, 'firstAnswerMs'), 1),
      round(med(em, 'firstAnswerMs'), 1),
      `${round(med(em, 'firstAnswerMs') / med(bare, 'firstAnswerMs'), 1)}x`,
      `< 100 ms: ${med(em, 'firstAnswerMs') < 100 ? 'MET' : 'MISSED'}`,
    ],
  ].map((r) => r.map(String));
  ctx.log('\n' + table(['measure (after the import)', 'bare node:http', 'serpq/testing', 'serpq / bare', 'target'], rows));
  ctx.log(`  start to first answer, ms: serpq ${em.map((s) => round(s.firstAnswerMs, 0)).join(' ')}`);
}
