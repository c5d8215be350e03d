/**
 * `npm run bench -- --catalog` (second part): ingest of Google Ads search_volume tasks of 1,000
 * keywords each through a real serpq process's HTTP stack (task_post in calls of 100 tasks, then the
 * worker completing them, then task_get rendering one 1,000-keyword result), against SERP Google
 * organic tasks of one keyword posted and completed the same way in the same run: the baseline.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { percentile, round, table } from './stats.js';

interface IngestBenchContext {
  readonly results: string;
  readonly quick: boolean;
  log(s: string): void;
}

const ADMIN = 'bench-admin-token';
const AUTH = `Basic ${Buffer.from('demo:demo').toString('base64')}`;

interface Figures {
  readonly tasks: number;
  readonly postMsPerCall: number[];
  readonly tasksPerSec: number;
  readonly completeMs: number;
  readonly getMs: number[];
}

async function ingest(
  base: string,
  app: Awaited<ReturnType<typeof createApp>>,
  path: string,
  task: (i: number) => object,
  calls: number,
): Promise<Figures> {
  const postMsPerCall: number[] = [];
  const ids: string[] = [];
  const t0 = performance.now();
  for (let c = 0; c < calls; c++) {
    const body = JSON.stringify(Array.from({ length: 100 }, (_, k) => task(c * 100 + k)));
    const s = performance.now();
    const res = await fetch(`${base}/v3/${path}/task_post`, {
      method: 'POST',
      headers: { authorization: AUTH, 'content-type': 'application/json' },
      body,
    });
    const json = (await res.json()) as { tasks: Array<{ id: string; status_code: number }> };
    postMsPerCall.push(performance.now() - s);
    for (const t of json.tasks) if (t.status_code === 20100) ids.push(t.id);
  }
  const posted = performance.now();
  const c0 = performance.now();
  while ((await app.worker!.runOnce()) > 0);
  const completeMs = performance.now() - c0;
  const getMs: number[] = [];
  for (const id of ids.slice(0, 20)) {
    const s = performance.now();
    const res = await fetch(`${base}/v3/${path}/task_get${path.startsWith('serp/') ? '/advanced' : ''}/${id}`, {
      headers: { authorization: AUTH },
    });
    await res.arrayBuffer();
    getMs.push(performance.now() - s);
  }
  return { tasks: ids.length, postMsPerCall, tasksPerSec: ids.length / ((posted - t0) / 1000), completeMs, getMs };
}

export async function runCatalogIngestBench(ctx: IngestBenchContext): Promise<void> {
  const calls = ctx.quick ? 3 : 20;
  const dir = mkdtempSync(join(tmpdir(), 'serpq-ingest-'));
  const config = loadConfig(
    { SERPQ_DB: join(dir, 'bench.db'), SERPQ_ADMIN_TOKEN: ADMIN, SERPQ_SANDBOX_LATENCY: '0', SERPQ_LOG_LEVEL: 'silent', SERPQ_PORT: '0' },
    {},
  );
  const app = await createApp(config);
  try {
    await app.http.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.http.server.address() as AddressInfo).port}`;
    await fetch(`${base}/admin/accounts/demo`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ balance: 10_000_000 }),
    });
    const serp = await ingest(
      base,
      app,
      'serp/google/organic',
      (i) => ({ keyword: `running shoes ${i}`, location_code: 2840, language_code: 'en' }),
      calls,
    );
    const ads = await ingest(
      base,
      app,
      'keywords_data/google_ads/search_volume',
      (i) => ({ keywords: Array.from({ length: 1000 }, (_, k) => `running shoes ${i} ${k}`), location_code: 2840 }),
      calls,
    );
    const row = (name: string, f: Figures, keywords: number) => [
      name,
      String(f.tasks),
      round(percentile(f.postMsPerCall, 50), 1).toString(),
      round(f.tasksPerSec, 0).toString(),
      round((f.tasksPerSec * keywords) / 1000, 1).toString(),
      round(f.completeMs / f.tasks, 3).toString(),
      round(percentile(f.getMs, 50), 1).toString(),
    ];
    ctx.log('== catalog ingest: task_post in calls of 100 tasks over HTTP, then the worker, then task_get (SQLite, sandbox)');
    ctx.log(
      table(
        ['type', 'tasks', 'task_post call p50 ms', 'tasks/s', 'k keywords/s', 'complete ms/task', 'task_get p50 ms'],
        [row('serp/google/organic (1 keyword)', serp, 1), row('google_ads/search_volume (1,000 keywords)', ads, 1000)],
      ),
    );
    ctx.log(
      `Google Ads ingest vs SERP baseline: ${round(ads.tasksPerSec / serp.tasksPerSec, 2)}x the tasks/s, ` +
        `${round((ads.tasksPerSec * 1000) / serp.tasksPerSec, 0)}x the keywords/s`,
    );
    writeFileSync(join(ctx.results, 'catalog-ingest.json'), JSON.stringify({ date: new Date().toISOString(), calls, serp, ads }, null, 2));
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
