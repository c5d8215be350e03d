/**
 * `npm run bench -- --catalog`: the sandbox's render time for every API outside the SERP engine, per
 * API family: each live endpoint of the catalog rendered for many different subjects (cold: a new
 * keyword or target each time, as a test suite's calls are), p50 and p99 per family, the slowest
 * endpoint, and the same figures as a ratio to serializing the answer (JSON.stringify of the
 * rendered result), the least any server must spend on it. Target (issue): p50 under 1 ms.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_NAMES, type Endpoint, loadApi } from '../src/domain/api-catalog/index.js';
import { checkTask } from '../src/domain/api-catalog/validate.js';
import { renderEndpointResult } from '../src/executors/sandbox/catalog/render.js';
import { servesEndpoint } from '../src/services/endpoint-calls.js';
import { minimalRequest } from '../test/helpers/catalog-requests.js';
import { percentile, round, table } from './stats.js';

interface CatalogBenchContext {
  readonly results: string;
  readonly quick: boolean;
  log(s: string): void;
}

const DATETIME = '2026-12-01 12:00:00 +00:00';

/** A request of `e` for the `i`-th subject: its documented required fields, with the subject varied. */
function variant(e: Endpoint, i: number): Record<string, unknown> {
  const task = minimalRequest(e);
  for (const [k, v] of Object.entries(task)) {
    if (typeof v === 'string' && /keyword|target|url|domain|topic|text|prompt/.test(k)) task[k] = `${v} ${i}`;
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) task[k] = v.map((x) => `${x} ${i}`);
  }
  if (e.request?.fields.some((f) => f.name === 'limit')) task.limit = 100;
  return task;
}

export async function runCatalogRenderBench(ctx: CatalogBenchContext): Promise<void> {
  const iterations = ctx.quick ? 60 : 300;
  const rows: string[][] = [];
  const out: Record<string, unknown> = {};
  for (const name of API_NAMES) {
    if (name === 'serp' || name === 'appendix') continue;
    const api = await loadApi(name);
    const live = api.endpoints.filter((e) => e.kind === 'live' && servesEndpoint(e));
    if (live.length === 0) continue;
    const times: number[] = [];
    const ratios: number[] = [];
    let slowest = { path: '', p50: 0 };
    for (const e of live) {
      const own: number[] = [];
      for (let i = 0; i < iterations; i++) {
        const checked = checkTask(e, variant(e, i));
        const params = checked.ok ? checked.params : minimalRequest(e);
        const t0 = performance.now();
        const result = renderEndpointResult(api, e, params, { datetime: DATETIME });
        const t1 = performance.now();
        JSON.stringify(result);
        const t2 = performance.now();
        own.push(t1 - t0);
        ratios.push((t1 - t0) / Math.max(t2 - t1, 0.001));
      }
      times.push(...own);
      const p50 = percentile(own, 50);
      if (p50 > slowest.p50) slowest = { path: e.path, p50 };
    }
    const p50 = percentile(times, 50);
    const p99 = percentile(times, 99);
    out[name] = { endpoints: live.length, p50Ms: p50, p99Ms: p99, renderToStringifyP50: percentile(ratios, 50), slowest };
    rows.push([
      name,
      String(live.length),
      round(p50, 3).toString(),
      round(p99, 2).toString(),
      `${round(percentile(ratios, 50), 1)}x`,
      `${slowest.path.replace(`${name}/`, '')} (${round(slowest.p50, 2)} ms)`,
      p50 < 1 ? 'MET' : 'MISSED',
    ]);
  }
  ctx.log('== catalog sandbox render: every live endpoint outside the SERP engine, a new subject per call, limit 100 where there is one');
  ctx.log(table(['API', 'endpoints', 'p50 ms', 'p99 ms', 'render / stringify (p50)', 'slowest endpoint (p50)', 'p50 < 1 ms'], rows));
  writeFileSync(
    join(ctx.results, 'catalog-render.json'),
    JSON.stringify({ date: new Date().toISOString(), iterations, apis: out }, null, 2),
  );
  ctx.log(`results: ${join(ctx.results, 'catalog-render.json')}`);
}
