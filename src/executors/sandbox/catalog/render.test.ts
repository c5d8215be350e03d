import { beforeAll, describe, expect, it } from 'vitest';
import { loadAllApis, type ApiCatalog, type Endpoint } from '../../../domain/api-catalog/index.js';
import { renderEndpointResult } from './render.js';
import { DATETIME, isEndpointRendered, sampleParams, validate, walkValues } from '../../../../test/helpers/catalog-render-support.js';

let apis: ApiCatalog[] = [];
const cases: [ApiCatalog, Endpoint][] = [];

beforeAll(async () => {
  apis = await loadAllApis();
  for (const a of apis) for (const e of a.endpoints) if (isEndpointRendered(e)) cases.push([a, e]);
});

const render = (a: ApiCatalog, e: Endpoint, p: Record<string, unknown>, datetime = DATETIME): unknown[] =>
  renderEndpointResult(a, e, p, { datetime }) ?? [];

/** Date fields that are about the future by meaning (a registration's expiry, a stay, a delivery). */
const FUTURE_OK = /expiration|expire|check_in|check_out|delivery|cancellation|valid_until|end_date|date_to$/;

describe('every live and task_get endpoint of every API but SERP', () => {
  it('covers the catalog', () => {
    expect(cases.length).toBeGreaterThan(200);
    const byApi = new Set(cases.map(([a]) => a.api));
    for (const name of [
      'keywords_data',
      'dataforseo_labs',
      'backlinks',
      'on_page',
      'merchant',
      'app_data',
      'business_data',
      'domain_analytics',
      'content_analysis',
      'content_generation',
      'ai_optimization',
    ]) {
      expect(byApi.has(name as ApiCatalog['api'])).toBe(true);
    }
  });

  it('renders a result valid against the endpoint result schema', () => {
    const failures: string[] = [];
    for (const [a, e] of cases) {
      const result = render(a, e, sampleParams(a, e));
      if (!Array.isArray(result) || result.length === 0) {
        failures.push(`${e.path}: no result`);
        continue;
      }
      for (const r of result) {
        const errs = validate(a, e.result!, r);
        if (errs.length > 0) failures.push(`${e.method} ${e.path}: ${errs.slice(0, 3).join('; ')}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('is deterministic: the same request renders byte-identical output', () => {
    for (const [a, e] of cases) {
      const p = sampleParams(a, e);
      expect(JSON.stringify(render(a, e, { ...p }))).toBe(JSON.stringify(render(a, e, { ...p })));
    }
  });

  it('seeds from the canonical request: key order does not matter', () => {
    for (const [a, e] of cases.filter(([, e]) => e.kind === 'live').slice(0, 60)) {
      const p = sampleParams(a, e);
      const reversed = Object.fromEntries(Object.entries(p).reverse());
      expect(JSON.stringify(render(a, e, reversed))).toBe(JSON.stringify(render(a, e, p)));
    }
  });

  it('renders different answers for different inputs', () => {
    let compared = 0;
    for (const [a, e] of cases) {
      const p = sampleParams(a, e);
      const alt = { ...p };
      if (typeof p.keyword === 'string') alt.keyword = 'espresso machine';
      else if (Array.isArray(p.keywords)) alt.keywords = ['espresso machine', 'coffee grinder'];
      else if (typeof p.target === 'string') alt.target = 'bbc.co.uk';
      else if (Array.isArray(p.targets)) alt.targets = ['bbc.co.uk', 'cnn.com'];
      else continue;
      compared++;
      expect(JSON.stringify(render(a, e, alt)), e.path).not.toBe(JSON.stringify(render(a, e, p)));
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('writes no date after the task datetime (but expiries and stays)', () => {
    const now = Date.parse('2025-03-04T05:06:07Z');
    const late: string[] = [];
    for (const [a, e] of cases) {
      for (const [k, v] of walkValues(render(a, e, sampleParams(a, e)))) {
        if (typeof v !== 'string' || FUTURE_OK.test(k) || !/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2} \+00:00)?$/.test(v)) continue;
        const t = Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v.slice(0, 19).replace(' ', 'T') + 'Z');
        if (t > now) late.push(`${e.path} ${k}=${v}`);
      }
    }
    expect(late).toEqual([]);
  });

  it('echoes location_code and language_code, and keyword(s) in their order', () => {
    for (const [a, e] of cases) {
      const p = sampleParams(a, e, {});
      const result = render(a, e, p) as Array<Record<string, unknown>>;
      const first = result[0]!;
      if ('location_code' in first && p.location_code !== undefined && first.location_code !== null)
        expect(first.location_code, e.path).toBe(2840);
      if ('language_code' in first && p.language_code !== undefined && first.language_code !== null)
        expect(first.language_code, e.path).toBe('en');
    }
  });

  it('returns null for endpoints whose result is always null', () => {
    const a = apis.find((x) => x.api === 'keywords_data')!;
    const post = a.endpoints.find((e) => e.kind === 'task_post')!;
    expect(renderEndpointResult(a, post, {}, { datetime: DATETIME })).toBeNull();
  });
});
