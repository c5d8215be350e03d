import { beforeAll, describe, expect, it } from 'vitest';
import { STATUS } from '../status-codes.js';
import { findEndpoint, loadAllApis } from './index.js';
import type { ApiCatalog, ApiName, Endpoint, HttpMethod } from './types.js';
import { checkTask, echoBase, type TaskCheck } from './validate.js';

const catalogs = new Map<ApiName, ApiCatalog>();

beforeAll(async () => {
  for (const c of await loadAllApis()) catalogs.set(c.api, c);
});

function endpoint(path: string, method: HttpMethod = 'POST'): Endpoint {
  const api = path.split('/')[0] as ApiName;
  const e = findEndpoint(catalogs.get(api)!, method, path);
  if (!e) throw new Error(`no endpoint ${method} ${path}`);
  return e;
}

/** The failing field of a check (40501), or 'ok'. */
function verdict(r: TaskCheck): string {
  if (r.ok) return 'ok';
  expect(r.code).toBe(STATUS.INVALID_FIELD.code);
  const m = /^Invalid Field: '(.+)'\.$/.exec(r.message);
  expect(m, r.message).not.toBeNull();
  return m![1]!;
}

const SV = 'keywords_data/google_ads/search_volume/task_post';
const RK = 'dataforseo_labs/google/ranked_keywords/live';

describe('checkTask: Keywords Data google_ads/search_volume/task_post', () => {
  const check = (task: unknown) => verdict(checkTask(endpoint(SV), task));

  it('requires keywords: missing, empty, not an array, or not an object at all', () => {
    for (const task of [{}, { keywords: [] }, { keywords: null }, { keywords: 'seo' }, 'seo', 42, null, ['seo']]) {
      expect(check(task), JSON.stringify(task)).toBe('keywords');
    }
  });

  it('refuses more than 1000 keywords, a keyword over 80 characters, a keyword that is not a string', () => {
    expect(check({ keywords: Array.from({ length: 1000 }, (_, i) => `kw ${i}`) })).toBe('ok');
    expect(check({ keywords: Array.from({ length: 1001 }, (_, i) => `kw ${i}`) })).toBe('keywords');
    expect(check({ keywords: ['a'.repeat(80)] })).toBe('ok');
    expect(check({ keywords: ['ok', 'a'.repeat(81)] })).toBe('keywords');
    expect(check({ keywords: ['ok', 5] })).toBe('keywords');
  });

  it('checks JSON types, accepting numeric strings for numbers as the SERP parser does', () => {
    const kw = { keywords: ['seo'] };
    expect(check({ ...kw, location_code: 2840 })).toBe('ok');
    expect(check({ ...kw, location_code: '2840' })).toBe('ok');
    expect(check({ ...kw, location_code: 'US' })).toBe('location_code');
    expect(check({ ...kw, location_code: 28.4 })).toBe('location_code');
    expect(check({ ...kw, location_name: 2840 })).toBe('location_name');
    expect(check({ ...kw, search_partners: 'true' })).toBe('search_partners');
    expect(check({ ...kw, tag: 'x'.repeat(255) })).toBe('ok');
    expect(check({ ...kw, tag: 'x'.repeat(256) })).toBe('tag');
    expect(check({ ...kw, postback_url: 'https://example.com/pb?id=$id&tag=$tag' })).toBe('ok');
    expect(check({ ...kw, postback_url: 'ftp://example.com' })).toBe('postback_url');
    expect(check({ ...kw, pingback_url: 'not a url' })).toBe('pingback_url');
  });

  it('echoes api, function, se and the posted fields it knows, in posted order; no defaults, no unknown or null fields', () => {
    const r = checkTask(endpoint(SV), { language_code: 'en', foo: 1, keywords: ['seo'], tag: null, location_code: '2840' });
    expect(r.ok).toBe(true);
    expect(JSON.stringify(r.data)).toBe(
      JSON.stringify({
        api: 'keywords_data',
        function: 'search_volume',
        se: 'google_ads',
        language_code: 'en',
        keywords: ['seo'],
        location_code: '2840',
      }),
    );
    // params: the effective task, numeric strings as numbers, every documented default.
    expect(r.ok && r.params).toEqual({
      keywords: ['seo'],
      language_code: 'en',
      location_code: 2840,
      search_partners: false,
      include_adult_keywords: false,
      sort_by: 'relevance',
    });
  });

  it('echoes every documented default with defaults: "all", none with "none"', () => {
    const all = checkTask(endpoint(SV), { keywords: ['seo'] }, { defaults: 'all' });
    expect(all.data).toMatchObject({ keywords: ['seo'], search_partners: false, include_adult_keywords: false, sort_by: 'relevance' });
    const none = checkTask(endpoint(SV), { keywords: ['seo'] }, { defaults: 'none' });
    expect(none.data).toEqual({ api: 'keywords_data', function: 'search_volume', se: 'google_ads', keywords: ['seo'] });
  });

  it('echoes the posted fields on a failure too, as SERP does', () => {
    const r = checkTask(endpoint(SV), { keywords: ['seo'], location_code: 'US', tag: 't' });
    expect(r).toEqual({
      ok: false,
      code: 40501,
      message: "Invalid Field: 'location_code'.",
      data: { api: 'keywords_data', function: 'search_volume', se: 'google_ads', keywords: ['seo'], location_code: 'US', tag: 't' },
    });
  });
});

describe('checkTask: DataForSEO Labs google/ranked_keywords/live', () => {
  const check = (task: unknown, options?: Parameters<typeof checkTask>[2]) => verdict(checkTask(endpoint(RK), task, options));
  const t = (extra: Record<string, unknown> = {}) => ({ target: 'dataforseo.com', ...extra });

  it('requires target; location and language are optional here', () => {
    expect(check({})).toBe('target');
    expect(check({ target: '' })).toBe('target');
    expect(check({ target: '   ' })).toBe('target');
    expect(check({ target: ['dataforseo.com'] })).toBe('target');
    expect(check(t())).toBe('ok');
  });

  it('checks limit against its documented maximum, enums and array items', () => {
    expect(check(t({ limit: 1000 }))).toBe('ok');
    expect(check(t({ limit: 1001 }))).toBe('limit');
    expect(check(t({ limit: 10.5 }))).toBe('limit');
    expect(check(t({ offset: 'ten' }))).toBe('offset');
    expect(check(t({ historical_serp_mode: 'all' }))).toBe('ok');
    expect(check(t({ historical_serp_mode: 'past' }))).toBe('historical_serp_mode');
    expect(check(t({ item_types: ['organic', 'paid'] }))).toBe('ok');
    expect(check(t({ item_types: ['organic', 'bogus'] }))).toBe('item_types');
    expect(check(t({ item_types: 'organic' }))).toBe('item_types');
    expect(check(t({ load_rank_absolute: 1 }))).toBe('load_rank_absolute');
  });

  it('reports the first failing field in the documented order', () => {
    expect(check({ limit: 5000, target: 5 })).toBe('target');
    expect(check(t({ order_by: 'x', limit: 5000 }))).toBe('limit');
  });

  it('takes the vendor filter grammar: nested and/or, at most 8 conditions, known operators', () => {
    const sv = (n: number) => ['keyword_data.keyword_info.search_volume', '>', n];
    expect(check(t({ filters: sv(0) }))).toBe('ok');
    expect(
      check(
        t({
          filters: [
            ['ranked_serp_element.serp_item.rank_group', '<=', 10],
            'and',
            [['keyword_data.keyword', 'like', '%seo%'], 'or', ['keyword_data.keyword_info.cpc', 'in', [1, 2]]],
          ],
        }),
      ),
    ).toBe('ok');
    const eight: unknown[] = [sv(0)];
    for (let i = 1; i < 8; i++) eight.push('and', sv(i));
    expect(check(t({ filters: eight }))).toBe('ok');
    expect(check(t({ filters: [...eight, 'or', sv(9)] }))).toBe('filters');
    expect(check(t({ filters: ['keyword_data.keyword', 'contains', 'seo'] }))).toBe('filters');
    expect(check(t({ filters: ['keyword_data.keyword', 'in', 'seo'] }))).toBe('filters');
    expect(check(t({ filters: [sv(1), 'xor', sv(2)] }))).toBe('filters');
    expect(check(t({ filters: ['keyword_data.keyword', 'regex', '(a+)+$'] }))).toBe('filters');
    expect(check(t({ filters: 'keyword_data.keyword,like,%seo%' }))).toBe('filters');
  });

  it('takes order_by rules "field,asc|desc", at most 3', () => {
    expect(check(t({ order_by: ['keyword_data.keyword_info.search_volume,desc'] }))).toBe('ok');
    expect(check(t({ order_by: ['a,asc', 'b,desc', 'c,asc'] }))).toBe('ok');
    expect(check(t({ order_by: ['a,asc', 'b,desc', 'c,asc', 'd,asc'] }))).toBe('order_by');
    expect(check(t({ order_by: ['rank_group'] }))).toBe('order_by');
    expect(check(t({ order_by: ['rank_group,sideways'] }))).toBe('order_by');
    expect(check(t({ order_by: 'rank_group,desc' }))).toBe('order_by');
  });

  it('asks isFilterField about the fields of filters and order_by', () => {
    const known = new Set(['keyword_data.keyword', 'ranked_serp_element.serp_item.etv']);
    const seen: string[] = [];
    const isFilterField = (param: string, field: string) => {
      seen.push(`${param}:${field}`);
      return known.has(field);
    };
    expect(
      check(t({ filters: ['keyword_data.keyword', 'like', '%a%'], order_by: ['ranked_serp_element.serp_item.etv,desc'] }), {
        isFilterField,
      }),
    ).toBe('ok');
    expect(seen).toEqual(['filters:keyword_data.keyword', 'order_by:ranked_serp_element.serp_item.etv']);
    expect(check(t({ order_by: ['etv,desc'] }), { isFilterField })).toBe('order_by');
    expect(check(t({ filters: ['etv', '>', 1] }), { isFilterField })).toBe('filters');
  });

  it('echoes se_type (not se) and function as the vendor does for Labs', () => {
    const r = checkTask(endpoint(RK), t({ limit: 3, filters: ['keyword_data.keyword', 'like', '%seo%'] }));
    expect(r.data).toEqual({
      api: 'dataforseo_labs',
      function: 'ranked_keywords',
      se_type: 'google',
      target: 'dataforseo.com',
      limit: 3,
      filters: ['keyword_data.keyword', 'like', '%seo%'],
    });
    expect(r.ok && r.params).toMatchObject({ limit: 3, offset: 0, historical_serp_mode: 'live', item_types: ['organic', 'paid'] });
  });
});

describe('checkTask: one-of groups', () => {
  it('a required location group with none given fails on its first field', () => {
    const e = endpoint('dataforseo_labs/google/keyword_ideas/live');
    expect(verdict(checkTask(e, { keywords: ['phone'] }))).toBe('location_name');
    expect(verdict(checkTask(e, { keywords: ['phone'], location_name: '' }))).toBe('location_name');
    expect(verdict(checkTask(e, { keywords: ['phone'], location_code: 2840 }))).toBe('ok');
    expect(verdict(checkTask(e, { keywords: ['phone'], location_name: 'United States' }))).toBe('ok');
    // A required field listed before the group is reported first.
    expect(verdict(checkTask(e, {}))).toBe('keywords');
  });

  it('checks each required group where its first field is documented', () => {
    const e = endpoint('dataforseo_labs/google/related_keywords/live');
    expect(verdict(checkTask(e, { keyword: 'phone' }))).toBe('location_name');
    expect(verdict(checkTask(e, { keyword: 'phone', location_code: 2840 }))).toBe('language_name');
    expect(verdict(checkTask(e, { keyword: 'phone', location_code: 2840, language_code: 'en' }))).toBe('ok');
    expect(verdict(checkTask(e, { keyword: 'phone', location_code: 2840, language_code: 'en', depth: 5 }))).toBe('depth');
    expect(verdict(checkTask(e, { keyword: 'phone', location_code: 2840, language_code: 'en', depth: -1 }))).toBe('depth');
  });

  it('a group that is not required asks for nothing (search_volume location)', () => {
    expect(verdict(checkTask(endpoint(SV), { keywords: ['seo'] }))).toBe('ok');
  });
});

describe('checkTask: webhooks, devices and the SERP-family echo', () => {
  it('Merchant: postback_data with a postback_url, priority values, the location group', () => {
    const e = endpoint('merchant/amazon/reviews/task_post');
    const base = { asin: 'B0023234HFD', location_code: 2840, language_code: 'en_US' };
    expect(verdict(checkTask(e, { asin: 'B0023234HFD' }))).toBe('location_name');
    expect(verdict(checkTask(e, base))).toBe('ok');
    expect(verdict(checkTask(e, { ...base, postback_url: 'https://example.com/pb?id=$id' }))).toBe('postback_data');
    expect(verdict(checkTask(e, { ...base, postback_url: 'https://example.com/pb?id=$id', postback_data: 'advanced' }))).toBe('ok');
    expect(verdict(checkTask(e, { ...base, postback_data: 'json' }))).toBe('postback_data');
    expect(verdict(checkTask(e, { ...base, priority: 3 }))).toBe('priority');
    expect(verdict(checkTask(e, { ...base, priority: '2' }))).toBe('ok');
    expect(verdict(checkTask(e, { ...base, depth: 51 }))).toBe('depth');
    const r = checkTask(e, base);
    expect(r.data).toEqual({ api: 'merchant', function: 'reviews', se: 'amazon', se_type: 'reviews', ...base });
  });

  it('SERP: device and os defaults are echoed (SPEC 1.5), os following a mobile device', () => {
    const e = endpoint('serp/google/organic/task_post');
    const task = { keyword: 'albert einstein', location_code: 2840, language_code: 'en' };
    const r = checkTask(e, task);
    expect(r.data).toEqual({
      api: 'serp',
      function: 'task_post',
      se: 'google',
      se_type: 'organic',
      ...task,
      device: 'desktop',
      os: 'windows',
    });
    const m = checkTask(e, { ...task, device: 'mobile' });
    expect(m.data).toMatchObject({ device: 'mobile', os: 'android' });
    expect(m.ok && m.params.os).toBe('android');
    expect(verdict(checkTask(e, { ...task, device: 'fridge' }))).toBe('device');
  });
});

describe('checkTask: tasks that are not objects, endpoints without rules', () => {
  it('a non-object task fails on the first required field, or 40503 when nothing is required', () => {
    expect(verdict(checkTask(endpoint('on_page/task_post'), 'x'))).toBe('target');
    const whois = endpoint('domain_analytics/whois/overview/live');
    expect(verdict(checkTask(whois, {}))).toBe('ok');
    for (const task of ['x', null, [], 5]) {
      expect(checkTask(whois, task)).toEqual({
        ok: false,
        code: STATUS.POST_DATA_INVALID.code,
        message: 'POST Data Is Invalid.',
        data: { api: 'domain_analytics', function: 'overview' },
      });
    }
  });

  it('an endpoint without request rules (GET) ignores every field', () => {
    const e = endpoint('dataforseo_labs/locations_and_languages', 'GET');
    expect(e.request).toBeNull();
    expect(checkTask(e, { anything: 1 })).toEqual({
      ok: true,
      data: { api: 'dataforseo_labs', function: 'locations_and_languages' },
      params: {},
    });
  });
});

describe('echoBase: the head of data, per API, from the vendor documented examples', () => {
  it.each([
    ['serp/google/organic/task_post', { api: 'serp', function: 'task_post', se: 'google', se_type: 'organic' }],
    ['serp/google/organic/live/advanced', { api: 'serp', function: 'live', se: 'google', se_type: 'organic' }],
    ['keywords_data/google_ads/search_volume/live', { api: 'keywords_data', function: 'search_volume', se: 'google_ads' }],
    ['keywords_data/google_trends/explore/task_post', { api: 'keywords_data', function: 'explore', se: 'google_trends' }],
    ['dataforseo_labs/google/keyword_ideas/live', { api: 'dataforseo_labs', function: 'keyword_ideas', se_type: 'google' }],
    ['dataforseo_labs/amazon/bulk_search_volume/live', { api: 'dataforseo_labs', function: 'bulk_search_volume', se_type: 'amazon' }],
    ['backlinks/summary/live', { api: 'backlinks', function: 'summary' }],
    ['backlinks/referring_domains/live', { api: 'backlinks', function: 'referring_domains' }],
    ['merchant/amazon/reviews/task_post', { api: 'merchant', function: 'reviews', se: 'amazon', se_type: 'reviews' }],
    ['business_data/trustpilot/reviews/task_post', { api: 'business_data', function: 'reviews', se: 'trustpilot', se_type: 'reviews' }],
    [
      'domain_analytics/technologies/domain_technologies/live',
      { api: 'domain_analytics', function: 'domain_technologies', se: 'technologies' },
    ],
    ['domain_analytics/whois/overview/live', { api: 'domain_analytics', function: 'overview' }],
    ['ai_optimization/ai_keyword_data/keywords_search_volume/live', { api: 'ai_optimization', function: 'keywords_search_volume' }],
    ['ai_optimization/chat_gpt/llm_responses/live', { api: 'ai_optimization', function: 'llm_responses', se: 'chat_gpt' }],
    ['on_page/task_post', { api: 'on_page', function: 'task_post' }],
    ['on_page/instant_pages', { api: 'on_page', function: 'instant_pages' }],
    ['on_page/pages', { api: 'on_page', function: 'pages' }],
    ['backlinks/id_list', { api: 'backlinks', function: 'id_list' }],
    ['merchant/errors', { api: 'merchant', function: 'errors' }],
    ['appendix/webhook_resend', { api: 'appendix', function: 'webhook_resend' }],
  ])('%s', (path, want) => {
    expect(echoBase(endpoint(path))).toEqual(want);
  });
});

describe('checkTask over the whole catalog', () => {
  it('every POST endpoint: {} fails only on a required field or group, and every documented default passes its own check', () => {
    let endpoints = 0;
    for (const api of catalogs.values()) {
      for (const e of api.endpoints) {
        if (e.method !== 'POST' || !e.request) continue;
        endpoints++;
        const required = new Set(e.request.fields.filter((f) => f.required).map((f) => f.name));
        const groups = e.request.oneOf.filter((g) => g.required).map((g) => g.fields[0]!);
        const empty = checkTask(e, {});
        if (!empty.ok) expect([...required, ...groups], e.path).toContain(verdict(empty));
        // Every documented default must pass its own field's check.
        const defaults = Object.fromEntries(e.request.fields.filter((f) => f.default !== undefined).map((f) => [f.name, f.default]));
        const r = checkTask(e, defaults);
        if (!r.ok) expect([...required, ...groups], `${e.path} ${r.message}`).toContain(verdict(r));
      }
    }
    expect(endpoints).toBeGreaterThan(250);
  });

  it('compiles an endpoint once and checks fast', () => {
    const e = endpoint(RK);
    const task = {
      target: 'dataforseo.com',
      location_code: 2840,
      language_code: 'en',
      limit: 100,
      filters: [['keyword_data.keyword_info.search_volume', '>', 10], 'and', ['keyword_data.keyword', 'not_like', '%free%']],
      order_by: ['keyword_data.keyword_info.search_volume,desc'],
    };
    const started = performance.now();
    for (let i = 0; i < 20_000; i++) checkTask(e, task);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
