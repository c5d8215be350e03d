import { beforeAll, describe, expect, it } from 'vitest';
import { findEndpoint, loadAllApis, type ApiCatalog, type ApiName } from '../../../domain/api-catalog/index.js';
import { renderEndpointResult } from './render.js';
import { DATETIME } from '../../../../test/helpers/catalog-render-support.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const apis = new Map<ApiName, ApiCatalog>();
beforeAll(async () => {
  for (const a of await loadAllApis()) apis.set(a.api, a);
});

function call(api: ApiName, path: string, params: Record<string, unknown>): Obj {
  const a = apis.get(api)!;
  const e = findEndpoint(a, path.includes('{id}') ? 'GET' : 'POST', path)!;
  return (renderEndpointResult(a, e, params, { datetime: DATETIME }) as Obj[])[0]!;
}

const IDEAS = 'dataforseo_labs/google/keyword_ideas/live';
const base = { keywords: ['running shoes'], location_code: 2840, language_code: 'en' };
const kws = (r: Obj): string[] => (r.items as Obj[]).map((i) => i.keyword);

describe('item lists: limit, offset, paging tokens, filters, order_by', () => {
  it('applies the documented default limit, and limit and offset', () => {
    // keyword_ideas documents limit 700 by default; referring_domains 100
    const e = findEndpoint(apis.get('dataforseo_labs')!, 'POST', IDEAS)!;
    expect(e.request!.fields.find((f) => f.name === 'limit')!.default).toBe(700);
    const byDefault = call('dataforseo_labs', IDEAS, base);
    expect(byDefault.items_count).toBe(Math.min(700, byDefault.total_count));
    expect(call('backlinks', 'backlinks/referring_domains/live', { target: 'nike.com' }).items_count).toBe(100);
    const all = call('dataforseo_labs', IDEAS, { ...base, limit: 100 });
    expect(all.items).toHaveLength(100);
    expect(all.items_count).toBe(100);
    expect(all.total_count).toBeGreaterThan(100);
    expect(all.offset).toBe(0);
    const page = call('dataforseo_labs', IDEAS, { ...base, limit: 10, offset: 20 });
    expect(page.items_count).toBe(10);
    expect(page.offset).toBe(20);
    expect(page.total_count).toBe(all.total_count);
    // pages are slices of one sequence
    expect(kws(page)).toEqual(kws(all).slice(20, 30));
  });

  it('returns a paging token that continues where the page ended, and none on the last page', () => {
    const first = call('dataforseo_labs', IDEAS, { ...base, limit: 10 });
    expect(typeof first.offset_token).toBe('string');
    const next = call('dataforseo_labs', IDEAS, { ...base, limit: 10, offset_token: first.offset_token });
    expect(kws(next)).toEqual(kws(call('dataforseo_labs', IDEAS, { ...base, limit: 10, offset: 10 })));
    const small = call('backlinks', 'backlinks/referring_domains/live', { target: 'tiny-blog-about-cats.net', limit: 1000 });
    expect(small.items_count).toBe(Math.min(1000, small.total_count));
    if (small.total_count <= 1000) expect(small.search_after_token ?? null).toBeNull();
  });

  it('sorts by order_by', () => {
    const r = call('dataforseo_labs', IDEAS, { ...base, limit: 50, order_by: ['keyword_info.search_volume,desc'] });
    const v = (r.items as Obj[]).map((i) => i.keyword_info.search_volume as number);
    expect(v).toEqual([...v].sort((a, b) => b - a));
    const asc = call('backlinks', 'backlinks/referring_domains/live', { target: 'nike.com', limit: 50, order_by: ['rank,asc'] });
    const ranks = (asc.items as Obj[]).map((i) => i.rank as number);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('filters, and estimates the total that passes', () => {
    const unfiltered = call('dataforseo_labs', IDEAS, { ...base, limit: 100 });
    const r = call('dataforseo_labs', IDEAS, { ...base, limit: 20, filters: [['keyword_info.search_volume', '>=', 50]] });
    expect(r.items.length).toBeGreaterThan(0);
    for (const i of r.items as Obj[]) expect(i.keyword_info.search_volume).toBeGreaterThanOrEqual(50);
    expect(r.total_count).toBeLessThanOrEqual(unfiltered.total_count);
    expect(r.total_count).toBeGreaterThanOrEqual(r.items_count);
    const none = call('dataforseo_labs', IDEAS, { ...base, limit: 20, filters: [['keyword', '=', 'no such keyword at all']] });
    expect(none.items).toEqual([]);
    expect(none.total_count).toBe(0);
    const combined = call('dataforseo_labs', IDEAS, {
      ...base,
      limit: 10,
      filters: [['keyword', 'like', '%best%'], 'or', ['keyword', 'like', '%price%']],
      order_by: ['keyword_info.cpc,asc'],
    });
    for (const i of combined.items as Obj[]) expect(/best|price/.test(i.keyword)).toBe(true);
    const cpc = (combined.items as Obj[]).map((i) => i.keyword_info.cpc as number);
    expect(cpc).toEqual([...cpc].sort((a, b) => a - b));
  });

  it('keeps counts consistent: total ≥ items, ranks ascending in SERP-like lists', () => {
    const products = call('merchant', 'merchant/amazon/products/task_get/advanced/{id}', {
      keyword: 'running shoes',
      location_code: 2840,
      language_code: 'en',
      depth: 30,
    });
    expect(products.items_count).toBe(products.items.length);
    const abs = (products.items as Obj[]).map((i) => i.rank_absolute as number);
    expect(abs).toEqual(abs.map((_, i) => i + 1));
    const anchors = call('backlinks', 'backlinks/anchors/live', { target: 'nike.com', limit: 25 });
    expect(anchors.items_count).toBe(25);
    expect(anchors.total_count).toBeGreaterThanOrEqual(25);
    for (const a of anchors.items as Obj[]) expect(a.referring_domains).toBeLessThanOrEqual(a.backlinks);
  });

  it('lists one item per requested keyword or target, in order', () => {
    const targets = ['nike.com', 'adidas.com', 'https://www.puma.com/us/en'];
    const ranks = call('backlinks', 'backlinks/bulk_ranks/live', { targets });
    expect((ranks.items as Obj[]).map((i) => i.target)).toEqual(targets);
    const kd = call('dataforseo_labs', 'dataforseo_labs/google/bulk_keyword_difficulty/live', {
      keywords: ['a', 'b', 'c'],
      location_code: 2840,
      language_code: 'en',
    });
    expect((kd.items as Obj[]).map((i) => i.keyword)).toEqual(['a', 'b', 'c']);
  });

  it('draws time series oldest first, in the requested range', () => {
    const r = call('backlinks', 'backlinks/timeseries_summary/live', {
      target: 'nike.com',
      date_from: '2024-06-01',
      date_to: '2024-12-31',
      group_range: 'month',
    });
    const dates = (r.items as Obj[]).map((i) => i.date as string);
    expect(dates[0]!.startsWith('2024-06-01')).toBe(true);
    expect(dates[dates.length - 1]!.startsWith('2024-12-01')).toBe(true);
    expect(dates).toEqual([...dates].sort());
    expect(r.date_from).toBe('2024-06-01');
  });
});
