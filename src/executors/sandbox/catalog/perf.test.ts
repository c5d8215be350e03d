import { describe, expect, it } from 'vitest';
import { findEndpoint, loadAllApis, type ApiCatalog } from '../../../domain/api-catalog/index.js';
import { renderEndpointResult } from './render.js';
import { DATETIME, isEndpointRendered, sampleParams } from '../../../../test/helpers/catalog-render-support.js';

/** Representative calls per family; `i` varies the subject so caches do not hide the work. */
const CASES: Array<[family: string, path: string, params: (i: number) => Record<string, unknown>]> = [
  [
    'labs',
    'dataforseo_labs/google/ranked_keywords/live',
    (i) => ({ target: `site${i}.com`, location_code: 2840, language_code: 'en', limit: 100 }),
  ],
  [
    'labs',
    'dataforseo_labs/google/keyword_ideas/live',
    (i) => ({ keywords: [`topic ${i}`], location_code: 2840, language_code: 'en', limit: 100 }),
  ],
  [
    'labs',
    'dataforseo_labs/google/competitors_domain/live',
    (i) => ({ target: `site${i}.com`, location_code: 2840, language_code: 'en', limit: 100 }),
  ],
  ['backlinks', 'backlinks/backlinks/live', (i) => ({ target: `site${i}.com`, limit: 100 })],
  ['backlinks', 'backlinks/referring_domains/live', (i) => ({ target: `site${i}.com`, limit: 100 })],
  ['backlinks', 'backlinks/summary/live', (i) => ({ target: `site${i}.com` })],
  [
    'keywords_data',
    'keywords_data/google_ads/search_volume/live',
    (i) => ({ keywords: Array.from({ length: 100 }, (_, k) => `kw ${i} ${k}`), location_code: 2840 }),
  ],
];

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

describe('render time (reported, not asserted)', () => {
  it('reports p50/p99 per endpoint and per API family', async () => {
    const apis = await loadAllApis();
    const byName = new Map(apis.map((a) => [a.api as string, a]));
    const rows: string[] = [];
    for (const [family, path, params] of CASES) {
      const api = byName.get(path.split('/')[0]!)!;
      const e = findEndpoint(api, 'POST', path)!;
      for (let i = 0; i < 20; i++) renderEndpointResult(api, e, params(i), { datetime: DATETIME });
      const ts: number[] = [];
      for (let i = 1000; i < 1150; i++) {
        const t0 = performance.now();
        renderEndpointResult(api, e, params(i), { datetime: DATETIME });
        ts.push(performance.now() - t0);
      }
      ts.sort((a, b) => a - b);
      rows.push(`${family.padEnd(14)} ${path.padEnd(50)} p50 ${pct(ts, 0.5).toFixed(3)} ms  p99 ${pct(ts, 0.99).toFixed(3)} ms`);
    }
    // every other endpoint, by API, with its sample request (repeated: warm caches)
    const perApi = new Map<string, number[]>();
    for (const a of apis as ApiCatalog[]) {
      for (const e of a.endpoints) {
        if (!isEndpointRendered(e)) continue;
        const p = sampleParams(a, e);
        renderEndpointResult(a, e, p, { datetime: DATETIME });
        const list = perApi.get(a.api) ?? [];
        for (let i = 0; i < 5; i++) {
          const t0 = performance.now();
          renderEndpointResult(a, e, p, { datetime: DATETIME });
          list.push(performance.now() - t0);
        }
        perApi.set(a.api, list);
      }
    }
    for (const [api, ts] of perApi) {
      ts.sort((a, b) => a - b);
      rows.push(
        `${api.padEnd(14)} ${'(every live/task_get endpoint, sample request)'.padEnd(50)} p50 ${pct(ts, 0.5).toFixed(3)} ms  p99 ${pct(ts, 0.99).toFixed(3)} ms`,
      );
    }
    console.log('catalog sandbox render times:\n' + rows.join('\n'));
    expect(rows.length).toBeGreaterThan(CASES.length);
  });
});
