import { beforeAll, describe, expect, it } from 'vitest';
import { findEndpoint, loadAllApis, type ApiCatalog, type ApiName } from '../../../domain/api-catalog/index.js';
import { renderEndpointResult } from './render.js';
import { DATETIME } from '../../../../test/helpers/catalog-render-support.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const apis = new Map<ApiName, ApiCatalog>();
beforeAll(async () => {
  for (const a of await loadAllApis()) apis.set(a.api, a);
});

function call(api: ApiName, path: string, params: Record<string, unknown>, datetime = DATETIME): Obj[] {
  const a = apis.get(api)!;
  const e = findEndpoint(a, path.includes('{id}') ? 'GET' : 'POST', path);
  if (!e) throw new Error(`no endpoint ${path}`);
  return renderEndpointResult(a, e, params, { datetime }) as Obj[];
}

const US = { location_code: 2840, language_code: 'en' };
const KWS = ['running shoes', 'trail running shoes', 'buy running shoes online', 'marathon training plan'];

describe('a keyword has the same metrics everywhere', () => {
  it('Keywords Data search_volume returns one result per keyword, in order, echoing location and language', () => {
    const rows = call('keywords_data', 'keywords_data/google_ads/search_volume/live', { keywords: KWS, ...US });
    expect(rows.map((r) => r.keyword)).toEqual(KWS);
    for (const r of rows) {
      expect(r.location_code).toBe(2840);
      expect(r.language_code).toBe('en');
    }
    // location_name resolves to the same location code
    const byName = call('keywords_data', 'keywords_data/google_ads/search_volume/live', {
      keywords: KWS,
      location_name: 'United States',
      language_name: 'English',
    });
    expect(byName.map((r) => r.search_volume)).toEqual(rows.map((r) => r.search_volume));
    expect(byName[0]!.location_code).toBe(2840);
    expect(byName[0]!.language_code).toBe('en');
  });

  it('Keywords Data and DataForSEO Labs agree on volume, CPC, competition and monthly searches', () => {
    const kd = call('keywords_data', 'keywords_data/google_ads/search_volume/live', { keywords: KWS, ...US });
    const kdTask = call('keywords_data', 'keywords_data/google_ads/search_volume/task_get/{id}', { keywords: KWS, ...US });
    const labs = call('dataforseo_labs', 'dataforseo_labs/google/keyword_overview/live', { keywords: KWS, ...US })[0]!.items as Obj[];
    const kdBy = new Map(kd.map((r) => [r.keyword, r]));
    expect(kdTask.map((r) => r.search_volume)).toEqual(kd.map((r) => r.search_volume));
    for (const item of labs) {
      const k = kdBy.get(item.keyword)!;
      const info = item.keyword_info;
      expect(info.search_volume).toBe(k.search_volume);
      expect(info.cpc).toBe(k.cpc);
      expect(info.competition_level).toBe(k.competition);
      expect(Math.round(info.competition * 100)).toBe(k.competition_index);
      expect(info.low_top_of_page_bid).toBe(k.low_top_of_page_bid);
      expect(info.monthly_searches).toEqual(k.monthly_searches);
    }
    // Labs lists show the same facts for a keyword they contain
    const ideas = call('dataforseo_labs', 'dataforseo_labs/google/keyword_ideas/live', {
      keywords: ['running shoes'],
      ...US,
      limit: 50,
    })[0]!.items as Obj[];
    const diff = call('dataforseo_labs', 'dataforseo_labs/google/bulk_keyword_difficulty/live', {
      keywords: ideas.map((i) => i.keyword),
      ...US,
    })[0]!.items as Obj[];
    const vol = call('keywords_data', 'keywords_data/google_ads/search_volume/live', { keywords: ideas.map((i) => i.keyword), ...US });
    ideas.forEach((item, i) => {
      expect(diff[i]!.keyword).toBe(item.keyword);
      expect(diff[i]!.keyword_difficulty).toBe(item.keyword_properties.keyword_difficulty);
      expect(vol[i]!.search_volume).toBe(item.keyword_info.search_volume);
    });
  });

  it('a keyword search intent agrees between search_intent and keyword_overview', () => {
    const intents = call('dataforseo_labs', 'dataforseo_labs/google/search_intent/live', { keywords: KWS, language_code: 'en' })[0]!
      .items as Obj[];
    const labs = call('dataforseo_labs', 'dataforseo_labs/google/keyword_overview/live', { keywords: KWS, ...US })[0]!.items as Obj[];
    intents.forEach((it, i) => expect(it.keyword_intent.label).toBe(labs[i]!.search_intent_info.main_intent));
    expect(intents.find((i) => i.keyword === 'buy running shoes online')!.keyword_intent.label).toBe('transactional');
  });

  it('metrics are plausible: buckets, CPC range and decimals, competition level, difficulty, 12 months before the task', () => {
    const many = Array.from({ length: 200 }, (_, i) => `keyword number ${i}`).concat(['shoes', 'pizza', 'insurance', 'buy cheap flights']);
    const rows = call('keywords_data', 'keywords_data/google_ads/search_volume/live', { keywords: many, ...US });
    const labs = call('dataforseo_labs', 'dataforseo_labs/google/keyword_overview/live', { keywords: many.slice(0, 100), ...US })[0]!
      .items as Obj[];
    for (const r of rows) {
      expect(r.search_volume).toBeGreaterThanOrEqual(10);
      expect(r.search_volume).toBeLessThanOrEqual(2_240_000);
      expect(r.cpc).toBeGreaterThanOrEqual(0.05);
      expect(r.cpc).toBeLessThanOrEqual(25);
      expect(Math.round(r.cpc * 100) / 100).toBe(r.cpc);
      expect(r.low_top_of_page_bid).toBeLessThanOrEqual(r.high_top_of_page_bid);
      const level = r.competition_index < 34 ? 'LOW' : r.competition_index < 67 ? 'MEDIUM' : 'HIGH';
      expect(r.competition).toBe(level);
      const months = r.monthly_searches as Obj[];
      expect(months).toHaveLength(12);
      expect(months[0]).toMatchObject({ year: 2025, month: 2 });
      expect(months[11]).toMatchObject({ year: 2024, month: 3 });
      const mean = months.reduce((a, m) => a + m.search_volume, 0) / 12;
      expect(mean).toBeGreaterThan(r.search_volume * 0.5);
      expect(mean).toBeLessThan(r.search_volume * 1.6);
    }
    for (const item of labs) {
      const kd = item.keyword_properties.keyword_difficulty;
      expect(kd).toBeGreaterThanOrEqual(0);
      expect(kd).toBeLessThanOrEqual(100);
      expect(item.keyword_info.competition).toBeGreaterThanOrEqual(0);
      expect(item.keyword_info.competition).toBeLessThanOrEqual(1);
    }
    // a power law: most keywords are small, a few are large
    const sorted = rows.map((r) => r.search_volume as number).sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]!).toBeLessThan(5_000);
    expect(sorted[sorted.length - 1]!).toBeGreaterThan(sorted[Math.floor(sorted.length / 2)]! * 10);
  });

  it('monthly searches end with the month before the task datetime, whatever that is', () => {
    const jan = call(
      'keywords_data',
      'keywords_data/google_ads/search_volume/live',
      { keywords: ['pizza'], ...US },
      '2025-01-15 10:00:00 +00:00',
    )[0]!;
    expect(jan.monthly_searches[0]).toMatchObject({ year: 2024, month: 12 });
    const feb = call(
      'keywords_data',
      'keywords_data/google_ads/search_volume/live',
      { keywords: ['pizza'], ...US },
      '2025-02-15 10:00:00 +00:00',
    )[0]!;
    // the same month has the same volume seen from either date
    expect(feb.monthly_searches[1]).toEqual(jan.monthly_searches[0]);
  });
});

describe('a target has the same metrics everywhere', () => {
  const T = 'nike.com';

  it('Backlinks summary, bulk endpoints and Labs agree on rank and referring domains', () => {
    const summary = call('backlinks', 'backlinks/summary/live', { target: T })[0]!;
    const ranks = call('backlinks', 'backlinks/bulk_ranks/live', { targets: [T, 'adidas.com'] })[0]!.items as Obj[];
    const rds = call('backlinks', 'backlinks/bulk_referring_domains/live', { targets: [T] })[0]!.items as Obj[];
    const bls = call('backlinks', 'backlinks/bulk_backlinks/live', { targets: [T] })[0]!.items as Obj[];
    expect(ranks[0]).toMatchObject({ target: T, rank: summary.rank });
    expect(rds[0]!.referring_domains).toBe(summary.referring_domains);
    expect(bls[0]!.backlinks).toBe(summary.backlinks);
    // Labs: the target's SERP items carry its main domain rank and backlinks
    const ranked = call('dataforseo_labs', 'dataforseo_labs/google/ranked_keywords/live', { target: T, ...US, limit: 20 })[0]!;
    for (const item of ranked.items as Obj[]) {
      const serp = item.ranked_serp_element.serp_item;
      expect(serp.domain).toBe(T);
      expect(serp.rank_info.main_domain_rank).toBe(summary.rank);
      expect(serp.backlinks_info.referring_domains).toBe(summary.referring_domains);
    }
    // the one-hundred scale divides by ten
    const small = call('backlinks', 'backlinks/summary/live', { target: T, rank_scale: 'one_hundred' })[0]!;
    expect(small.rank).toBe(Math.round(summary.rank / 10));
    // the history's last point is today's summary
    const history = call('backlinks', 'backlinks/history/live', { target: T })[0]!.items as Obj[];
    expect(history[history.length - 1]!.referring_domains).toBe(summary.referring_domains);
  });

  it('Backlinks counts nest: main domains ≤ domains ≤ pages ≤ backlinks, subnets ≤ IPs', () => {
    for (const t of ['nike.com', 'example.org', 'tiny-blog-about-cats.net', 'wikipedia.org', 'https://www.bbc.com/news']) {
      const s = call('backlinks', 'backlinks/summary/live', { target: t })[0]!;
      expect(s.referring_main_domains).toBeLessThanOrEqual(s.referring_domains);
      expect(s.referring_domains).toBeLessThanOrEqual(s.referring_pages);
      expect(s.referring_pages).toBeLessThanOrEqual(s.backlinks);
      expect(s.referring_subnets).toBeLessThanOrEqual(s.referring_ips);
      expect(s.referring_ips).toBeLessThanOrEqual(s.referring_domains);
      expect(s.rank).toBeGreaterThanOrEqual(0);
      expect(s.rank).toBeLessThanOrEqual(1000);
    }
  });

  it('Labs overview, traffic estimation, ranked keywords and competitors agree on organic metrics', () => {
    const overview = call('dataforseo_labs', 'dataforseo_labs/google/domain_rank_overview/live', { target: T, ...US })[0]!;
    expect(overview.items).toHaveLength(1);
    const organic = overview.items[0].metrics.organic;
    const buckets = Object.keys(organic).filter((k) => k.startsWith('pos_'));
    expect(buckets.reduce((a, k) => a + organic[k], 0)).toBe(organic.count);
    const traffic = call('dataforseo_labs', 'dataforseo_labs/google/bulk_traffic_estimation/live', { targets: [T], ...US })[0]!.items[0];
    expect(traffic.metrics.organic).toEqual({ etv: organic.etv, count: organic.count });
    const ranked = call('dataforseo_labs', 'dataforseo_labs/google/ranked_keywords/live', { target: T, ...US, limit: 5 })[0]!;
    expect(ranked.metrics.organic.count).toBe(organic.count);
    expect(ranked.total_count).toBe(organic.count + overview.items[0].metrics.paid.count);
    // a competitor's full metrics are its own overview's
    const comp = call('dataforseo_labs', 'dataforseo_labs/google/competitors_domain/live', { target: T, ...US, limit: 3 })[0]!.items[1];
    const compOverview = call('dataforseo_labs', 'dataforseo_labs/google/domain_rank_overview/live', { target: comp.domain, ...US })[0]!
      .items[0];
    expect(comp.full_domain_metrics.organic.count).toBe(compOverview.metrics.organic.count);
    expect(comp.metrics.organic.count).toBeLessThanOrEqual(comp.full_domain_metrics.organic.count);
    expect(comp.intersections).toBeLessThanOrEqual(Math.min(organic.count, compOverview.metrics.organic.count));
  });

  it('a keyword a target ranks for has the same position in ranked keywords and domain intersection', () => {
    const ranked = call('dataforseo_labs', 'dataforseo_labs/google/ranked_keywords/live', { target: T, ...US, limit: 30 })[0]!
      .items as Obj[];
    const pos = new Map(ranked.map((i) => [i.keyword_data.keyword, i.ranked_serp_element.serp_item.rank_group]));
    const inter = call('dataforseo_labs', 'dataforseo_labs/google/domain_intersection/live', {
      target1: T,
      target2: 'adidas.com',
      ...US,
      limit: 50,
    })[0]!.items as Obj[];
    let shared = 0;
    for (const i of inter) {
      const p = pos.get(i.keyword_data.keyword);
      if (p === undefined || i.first_domain_serp_element?.type !== 'organic') continue;
      expect(i.first_domain_serp_element.rank_group).toBe(p);
      shared++;
    }
    expect(shared).toBeGreaterThan(0);
    // a site ranks near the top for its own name
    expect(pos.get('nike')).toBeLessThanOrEqual(2);
    for (const p of pos.values()) expect(p).toBeGreaterThanOrEqual(1);
    for (const p of pos.values()) expect(p).toBeLessThanOrEqual(100);
  });
});
