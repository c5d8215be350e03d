import { describe, expect, it } from 'vitest';
import { openapiAvailable, validateResponse } from '../../../test/helpers/openapi.js';
import { renderLocalFinderAdvanced, renderLocalFinderHtml, renderMapsAdvanced } from './maps.js';
import { renderNewsAdvanced, renderNewsHtml } from './news.js';
import { renderOrganicAdvanced, renderOrganicHtml, renderOrganicRegular, type OrganicItem } from './organic.js';
import type { SerpRenderInput } from './render-input.js';
import { escapeHtml } from './serp-vocab.js';
import { renderYoutubeOrganicAdvanced } from './youtube.js';

const base: SerpRenderInput = {
  taskId: '07111443-1535-0139-0000-c2e548119c99',
  se: 'google',
  seType: 'organic',
  fn: 'advanced',
  keyword: 'albert einstein',
  locationCode: 2840,
  locationName: 'New York,New York,United States',
  countryIso: 'US',
  languageCode: 'en',
  seDomain: 'google.com',
  device: 'desktop',
  os: 'windows',
  depth: 100,
  datetime: '2025-01-02 03:04:05 +00:00',
  params: {},
};

const ENGINES = ['google', 'bing', 'yahoo', 'baidu', 'naver', 'seznam'] as const;
const HOME: Record<string, Partial<SerpRenderInput>> = {
  google: {},
  bing: { seDomain: 'bing.com' },
  yahoo: { seDomain: 'search.yahoo.com' },
  baidu: { seDomain: 'baidu.com', countryIso: 'CN', languageCode: 'zh_CN', locationCode: 2156, locationName: 'China' },
  naver: { seDomain: 'naver.com', countryIso: 'KR', languageCode: 'ko', locationCode: 2410, locationName: 'South Korea' },
  seznam: { seDomain: 'seznam.cz', countryIso: 'CZ', languageCode: 'cs', locationCode: 2203, locationName: 'Czechia' },
};
const KEYWORDS = [
  'albert einstein',
  'best running shoes',
  'how to tie a tie',
  'pizza near me',
  'election news today',
  'chocolate cake recipe',
  'python list comprehension',
  'diabetes symptoms',
  'iphon',
  'C++ <b>&"\'',
  '東京 タワー',
];

const input = (se: string, over: Partial<SerpRenderInput> = {}): SerpRenderInput => ({ ...base, se, ...HOME[se], ...over });
const organic = (items: Array<{ type: string }>): OrganicItem[] => items.filter((i): i is OrganicItem => i.type === 'organic');

/** Ranks: rank_absolute is 1..n; rank_group counts per type in order. */
function checkRanks(items: Array<{ type: string; rank_group: number; rank_absolute: number }>): void {
  const perType = new Map<string, number>();
  items.forEach((item, i) => {
    expect(item.rank_absolute).toBe(i + 1);
    const n = (perType.get(item.type) ?? 0) + 1;
    perType.set(item.type, n);
    expect(item.rank_group).toBe(n);
  });
}

describe('organic renderers', () => {
  it('are deterministic and depend on the keyword', () => {
    for (const se of ENGINES) {
      const a = renderOrganicAdvanced(input(se));
      expect(renderOrganicAdvanced(input(se, { taskId: 'other' }))).toEqual(a);
      const b = renderOrganicAdvanced(input(se, { keyword: 'golden retriever puppy' }));
      expect(organic(b.items).map((i) => i.url)).not.toEqual(organic(a.items).map((i) => i.url));
    }
  });

  it('only timestamps move with datetime', () => {
    const strip = (v: unknown): unknown =>
      JSON.parse(JSON.stringify(v), (k, x) => (k === 'timestamp' || k === 'datetime' || k === 'check_url' || k === 'year' ? undefined : x));
    const a = renderOrganicAdvanced(base);
    const b = renderOrganicAdvanced({ ...base, datetime: '2025-01-02 09:04:05 +00:00' });
    expect(strip(b)).toEqual(strip(a));
  });

  it('depend on the location: domain, language and market sites', () => {
    const us = renderOrganicAdvanced({ ...base, keyword: 'best running shoes' });
    const de = renderOrganicAdvanced({
      ...base,
      keyword: 'best running shoes',
      seDomain: 'google.de',
      countryIso: 'DE',
      languageCode: 'de',
      locationCode: 2276,
      locationName: 'Germany',
    });
    expect(de.check_url.startsWith('https://www.google.de/search?q=best%20running%20shoes&num=100&hl=de&gl=DE')).toBe(true);
    expect(de.se_domain).toBe('google.de');
    expect(organic(de.items).map((i) => i.url)).not.toEqual(organic(us.items).map((i) => i.url));
    expect(organic(de.items).some((i) => i.domain.endsWith('.com') && i.domain.includes('walmart'))).toBe(false);
  });

  it('depth controls the organic count; ranks, pages and counts are consistent', () => {
    for (const se of ENGINES) {
      for (const depth of [1, 7, 10, 30, 100]) {
        const r = renderOrganicAdvanced(input(se, { depth }));
        const org = organic(r.items);
        expect(org).toHaveLength(depth);
        expect(r.items_count).toBe(r.items.length);
        checkRanks(r.items);
        const pageSize = se === 'naver' ? 15 : 10;
        expect(r.pages_count).toBe(Math.max(1, Math.ceil(depth / pageSize)));
        org.forEach((o, i) => expect(o.page).toBe(Math.floor(i / pageSize) + 1));
        expect(r.item_types).toEqual([...new Set(r.items.map((i) => i.type))]);
        expect(r.se_results_count).toBeGreaterThan(1000);
        expect(new Set(org.map((o) => o.url)).size).toBe(org.length);
      }
    }
  });

  it('uses engine check URLs', () => {
    expect(renderOrganicAdvanced(input('bing')).check_url.startsWith('https://www.bing.com/search?q=albert+einstein')).toBe(true);
    expect(renderOrganicAdvanced(input('yahoo')).check_url.startsWith('https://search.yahoo.com/search?p=albert+einstein')).toBe(true);
    expect(renderOrganicAdvanced(input('baidu')).check_url.startsWith('https://www.baidu.com/s?wd=albert%20einstein')).toBe(true);
    expect(renderOrganicAdvanced(input('naver')).check_url).toContain('https://search.naver.com/search.naver?');
    expect(renderOrganicAdvanced(input('naver')).check_url).toContain('query=albert%20einstein');
    expect(renderOrganicAdvanced(input('seznam')).check_url.startsWith('https://search.seznam.cz/?q=albert%20einstein')).toBe(true);
  });

  it('shows intent-dependent features on Google', () => {
    const types = (keyword: string): Set<string> => {
      const all = new Set<string>();
      for (const loc of [2840, 2826, 2036, 2124]) {
        for (const t of renderOrganicAdvanced({ ...base, keyword, locationCode: loc, depth: 10 }).item_types) all.add(t);
      }
      return all;
    };
    expect(types('pizza near me').has('local_pack')).toBe(true);
    expect(types('best running shoes').has('paid')).toBe(true);
    expect(types('what is photosynthesis').has('people_also_ask')).toBe(true);
    expect(types('election news today').has('top_stories')).toBe(true);
    expect(types('albert einstein').has('local_pack')).toBe(false);
  });

  it('regular keeps only organic and paid items, re-ranked', () => {
    for (const se of ENGINES) {
      const r = renderOrganicRegular(input(se, { keyword: 'best running shoes', depth: 20 }));
      expect(r.items.every((i) => i.type === 'organic' || i.type === 'paid')).toBe(true);
      expect(organic(r.items)).toHaveLength(20);
      expect(r.items_count).toBe(r.items.length);
      checkRanks(r.items);
    }
  });

  it('html holds one page per 10 results with the same results, escaped', () => {
    const adv = renderOrganicAdvanced({ ...base, depth: 30 });
    const html = renderOrganicHtml({ ...base, depth: 30 });
    expect(html).toMatchObject({
      keyword: base.keyword,
      type: 'organic',
      se_domain: 'google.com',
      location_code: 2840,
      language_code: 'en',
      datetime: base.datetime,
    });
    expect(html.items.map((i) => i.page)).toEqual([1, 2, 3]);
    expect(html.items_count).toBe(3);
    for (const o of organic(adv.items)) expect(html.items[o.page - 1].html).toContain('href="' + escapeHtml(o.url) + '"');
    const hostile = renderOrganicHtml({ ...base, keyword: '<script>alert("x")</script>', depth: 10 }).items[0].html;
    expect(hostile).not.toContain('<script>');
  });

  it('survives odd keywords', () => {
    for (const keyword of ['', 'a', 'bad \ud800 keyword', '???', '   ']) {
      for (const se of ENGINES) expect(() => renderOrganicHtml(input(se, { keyword, depth: 20 }))).not.toThrow();
    }
  });
});

describe('news, maps, local finder and youtube renderers', () => {
  it('news: deterministic, keyword-dependent, depth-controlled', () => {
    const a = renderNewsAdvanced({ ...base, seType: 'news' });
    expect(renderNewsAdvanced({ ...base, seType: 'news' })).toEqual(a);
    const news = a.items.filter((i) => i.type === 'news_search');
    expect(news).toHaveLength(100);
    expect(a.items_count).toBe(a.items.length);
    checkRanks(a.items);
    const b = renderNewsAdvanced({ ...base, keyword: 'stock market' });
    expect(b.items.map((i) => i.title)).not.toEqual(a.items.map((i) => i.title));
    const html = renderNewsHtml({ ...base, depth: 150 });
    expect(html.items_count).toBe(2);
  });

  it('maps: businesses near the location, deterministic, depth-controlled', () => {
    const ny = renderMapsAdvanced({ ...base, keyword: 'pizza', depth: 40 });
    expect(renderMapsAdvanced({ ...base, keyword: 'pizza', depth: 40 })).toEqual(ny);
    expect(ny.items).toHaveLength(40);
    expect(ny.items_count).toBe(40);
    checkRanks(ny.items);
    for (const m of ny.items) {
      expect(Math.abs(m.latitude - 40.7128)).toBeLessThan(0.2);
      expect(Math.abs(m.longitude + 74.006)).toBeLessThan(0.2);
      expect(m.address).toContain('New York');
      expect(m.address_info.country_code).toBe('US');
      expect(m.feature_id.endsWith(':0x' + BigInt(m.cid).toString(16).padStart(16, '0'))).toBe(true);
      expect(m.category).toBe('Pizza restaurant');
    }
    const berlin = renderMapsAdvanced({
      ...base,
      keyword: 'pizza',
      depth: 5,
      countryIso: 'DE',
      languageCode: 'de',
      locationCode: 2276,
      locationName: 'Berlin,Berlin,Germany',
      seDomain: 'google.de',
    });
    expect(berlin.items.every((m) => Math.abs(m.latitude - 52.52) < 0.2 && m.address_info.country_code === 'DE')).toBe(true);
    const other = renderMapsAdvanced({ ...base, keyword: 'dentist', depth: 40 });
    expect(other.items.map((i) => i.title)).not.toEqual(ny.items.map((i) => i.title));
  });

  it('local finder: depth-controlled local_pack items and html pages of 20', () => {
    const r = renderLocalFinderAdvanced({ ...base, keyword: 'coffee shop', depth: 45 });
    expect(r.items).toHaveLength(45);
    checkRanks(r.items);
    expect(renderLocalFinderAdvanced({ ...base, keyword: 'coffee shop', depth: 45 })).toEqual(r);
    const html = renderLocalFinderHtml({ ...base, keyword: 'coffee shop', depth: 45 });
    expect(html.items.map((i) => i.page)).toEqual([1, 2, 3]);
    for (const it of r.items) expect(html.items[it.page - 1].html).toContain(escapeHtml(it.title));
  });

  it('youtube: deterministic, keyword-dependent, depth-controlled', () => {
    const a = renderYoutubeOrganicAdvanced({ ...base, se: 'youtube', seDomain: 'youtube.com', depth: 20 });
    expect(renderYoutubeOrganicAdvanced({ ...base, se: 'youtube', seDomain: 'youtube.com', depth: 20 })).toEqual(a);
    expect(a.items.filter((i) => i.type === 'youtube_video')).toHaveLength(20);
    expect(a.items_count).toBe(a.items.length);
    checkRanks(a.items);
    const b = renderYoutubeOrganicAdvanced({ ...base, se: 'youtube', keyword: 'lofi beats', depth: 20 });
    expect(b.items.map((i) => i.url)).not.toEqual(a.items.map((i) => i.url));
  });
});

const envelope = (se: string, seType: string, fn: string, result: unknown) => ({
  version: '0.1.20250101',
  status_code: 20000,
  status_message: 'Ok.',
  time: '0.0 sec.',
  cost: 0,
  tasks_count: 1,
  tasks_error: 0,
  tasks: [
    {
      id: base.taskId,
      status_code: 20000,
      status_message: 'Ok.',
      time: '0.0 sec.',
      cost: 0,
      result_count: 1,
      path: ['v3', 'serp', se, seType, 'task_get', fn, base.taskId],
      data: { api: 'serp', function: 'task_get', se, se_type: seType },
      result: [result],
    },
  ],
});

describe.skipIf(!openapiAvailable())('schema conformance (official OpenAPI, every property present)', () => {
  const check = (se: string, seType: string, fn: string, result: unknown): void => {
    const errors = validateResponse('get', `/v3/serp/${se}/${seType}/task_get/${fn}/{id}`, envelope(se, seType, fn, result), {
      requireAllProperties: true,
    });
    expect(errors).toEqual([]);
  };

  it.each(ENGINES)('%s organic advanced, regular and html', (se) => {
    for (const keyword of KEYWORDS) {
      const i = input(se, { keyword, depth: 30 });
      check(se, 'organic', 'advanced', renderOrganicAdvanced(i));
      check(se, 'organic', 'regular', renderOrganicRegular(i));
      check(se, 'organic', 'html', renderOrganicHtml(i));
    }
  });

  it('every Google organic item type the renderer emits is valid', () => {
    const seen = new Set<string>();
    for (let loc = 0; loc < 40; loc++) {
      for (const keyword of KEYWORDS) {
        const r = renderOrganicAdvanced({ ...base, keyword, locationCode: 2840 + loc, depth: 10 });
        r.items.forEach((i) => seen.add(i.type));
        if (loc < 3) check('google', 'organic', 'advanced', r);
      }
    }
    for (const t of [
      'organic',
      'paid',
      'featured_snippet',
      'people_also_ask',
      'related_searches',
      'top_stories',
      'images',
      'video',
      'knowledge_graph',
      'local_pack',
    ]) {
      expect(seen.has(t), t).toBe(true);
    }
  });

  it('google news advanced and html', () => {
    for (const keyword of KEYWORDS) {
      check('google', 'news', 'advanced', renderNewsAdvanced({ ...base, keyword, depth: 40 }));
      check('google', 'news', 'html', renderNewsHtml({ ...base, keyword, depth: 40 }));
    }
  });

  it('google maps advanced, local_finder advanced and html', () => {
    for (const keyword of KEYWORDS) {
      check('google', 'maps', 'advanced', renderMapsAdvanced({ ...base, keyword, depth: 40 }));
      check('google', 'local_finder', 'advanced', renderLocalFinderAdvanced({ ...base, keyword, depth: 40 }));
      check('google', 'local_finder', 'html', renderLocalFinderHtml({ ...base, keyword, depth: 40 }));
    }
  });

  it('youtube organic advanced', () => {
    for (const keyword of KEYWORDS)
      check(
        'youtube',
        'organic',
        'advanced',
        renderYoutubeOrganicAdvanced({ ...base, se: 'youtube', seDomain: 'youtube.com', keyword, depth: 40 }),
      );
  });
});
