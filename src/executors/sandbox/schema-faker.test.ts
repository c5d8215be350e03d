import { describe, expect, it } from 'vitest';
import { openapiAvailable, validateResponse } from '../../../test/helpers/openapi.js';
import type { SerpRenderInput } from './render-input.js';
import { NAMED_SCHEMAS, REQUEST_FIELDS, RESULT_SCHEMAS } from './schema-data.js';
import { mainItemType, renderFromSchema, SCHEMA_RESULT_KEYS } from './schema-faker.js';

const KEYS = Object.keys(RESULT_SCHEMAS);

/** Types addressed by an id instead of a keyword. */
function idParam(se: string, seType: string): string | null {
  if (se === 'youtube' && seType.startsWith('video_')) return 'video_id';
  if (se === 'google' && seType === 'dataset_info') return 'dataset_id';
  return null;
}

function sampleInput(key: string, overrides: { keyword?: string; id?: string; depth?: number } = {}): SerpRenderInput {
  const [se, seType, fn] = key.split('/') as [string, string, SerpRenderInput['fn']];
  const idName = idParam(se, seType);
  const keyword = idName ? null : (overrides.keyword ?? 'albert einstein');
  const params: Record<string, unknown> = { language_code: 'en', location_code: 2840 };
  if (keyword !== null) params.keyword = keyword;
  if (idName) params[idName] = overrides.id ?? (idName === 'video_id' ? 'M7lc1UVf-VE' : 'L2cvMTFqbl9fcWN6Yw==');
  if (seType === 'search_by_image') params.image_url = 'https://example.com/einstein.jpg';
  return {
    taskId: '01234567-0123-0123-0123-0123456789ab',
    se,
    seType,
    fn,
    keyword,
    locationCode: 2840,
    locationName: 'United States',
    countryIso: 'US',
    languageCode: 'en',
    seDomain: se === 'google' ? 'google.com' : se === 'baidu' ? 'baidu.com' : `${se}.com`,
    device: 'desktop',
    os: 'windows',
    depth: overrides.depth ?? 10,
    datetime: '2025-03-04 05:06:07 +00:00',
    params,
  };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function render(key: string, overrides?: Parameters<typeof sampleInput>[1]): Obj {
  const r = renderFromSchema(sampleInput(key, overrides));
  if (!isObj(r)) throw new Error(`${key}: expected an object, got ${JSON.stringify(r)}`);
  return r;
}

describe('schema data', () => {
  it('covers every SERP task_get function and the request fields of every task_post/live endpoint', () => {
    expect(KEYS.length).toBeGreaterThanOrEqual(40);
    expect(SCHEMA_RESULT_KEYS).toEqual(KEYS);
    for (const k of ['google/organic/advanced', 'google/maps/advanced', 'youtube/video_info/advanced', 'bing/organic/html']) {
      expect(KEYS).toContain(k);
    }
    expect(NAMED_SCHEMAS.BaseSerpApiElementItem?.t).toBe('union');
    const organic = REQUEST_FIELDS['google/organic/task_post']!;
    expect(organic.find((f) => f.name === 'keyword')).toMatchObject({ type: 'string', required: true });
    expect(organic.find((f) => f.name === 'depth')).toMatchObject({ type: 'integer', required: false, default: 10, max: 700 });
    expect(organic.find((f) => f.name === 'device')).toMatchObject({ enum: ['desktop', 'mobile'], default: 'desktop' });
    expect(organic.find((f) => f.name === 'os')).toMatchObject({ default: 'windows' });
    expect(organic.find((f) => f.name === 'priority')).toMatchObject({ enum: [1, 2], default: 1 });
    expect(organic.find((f) => f.name === 'postback_data')?.enum).toEqual(['regular', 'advanced', 'html']);
    const videoInfo = REQUEST_FIELDS['youtube/video_info/task_post']!;
    expect(videoInfo.find((f) => f.name === 'video_id')?.required).toBe(true);
    expect(videoInfo.some((f) => f.name === 'keyword')).toBe(false);
  });

  it('returns null for keys without a schema', () => {
    expect(renderFromSchema({ ...sampleInput('google/organic/advanced'), seType: 'no_such_type' })).toBeNull();
  });
});

describe.each(KEYS)('renderFromSchema %s', (key) => {
  const fn = key.split('/')[2];

  it('renders a deterministic object', () => {
    const a = render(key);
    const b = render(key);
    expect(a).toEqual(b);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('changes with the keyword (or the id for id-addressed types)', () => {
    const [se, seType] = key.split('/') as [string, string];
    const other = idParam(se, seType) ? render(key, { id: 'dQw4w9WgXcQ' }) : render(key, { keyword: 'pizza near me' });
    expect(other).not.toEqual(render(key));
  });

  it('keeps items_count, item_types and ranks consistent', () => {
    const r = render(key, { depth: 25 });
    const items = r.items;
    expect(Array.isArray(items)).toBe(true);
    const list = items as unknown[];
    if ('items_count' in r) expect(r.items_count).toBe(list.length);
    if (fn === 'html') {
      expect(list).toHaveLength(1);
      const page = list[0] as Obj;
      expect(page.page).toBe(1);
      expect(page.date).toBe('2025-03-04 05:06:07 +00:00');
      expect(String(page.html)).toMatch(/^<!doctype html>/);
      return;
    }
    expect(list.length).toBeGreaterThan(0);
    const types: string[] = [];
    const groups = new Map<string, number>();
    list.forEach((it, i) => {
      expect(isObj(it)).toBe(true);
      const item = it as Obj;
      const t = item.type as string;
      if (!types.includes(t)) types.push(t);
      const g = (groups.get(t) ?? 0) + 1;
      groups.set(t, g);
      if ('rank_absolute' in item) expect(item.rank_absolute).toBe(i + 1);
      if ('rank_group' in item) expect(item.rank_group).toBe(g);
    });
    if ('item_types' in r) expect(r.item_types).toEqual(types);
    const main = mainItemType(key);
    expect(main).not.toBeNull();
    expect(types).toContain(main);
    if ('keyword' in r && r.keyword !== null) expect(r.keyword).toBe('albert einstein');
    if ('datetime' in r) expect(r.datetime).toBe('2025-03-04 05:06:07 +00:00');
    if ('location_code' in r) expect(r.location_code).toBe(2840);
  });
});

describe('renderFromSchema details', () => {
  it('renders about depth items of the main type for SERPs, capped at 700', () => {
    const r = render('google/organic/advanced', { depth: 100 });
    const items = r.items as Obj[];
    expect(items.filter((i) => i.type === 'organic')).toHaveLength(100);
    expect(items.length).toBeGreaterThanOrEqual(102);
    expect(items.length).toBeLessThanOrEqual(104);
    expect(typeof r.check_url).toBe('string');
    expect(String(r.check_url)).toContain('albert+einstein');
    const big = render('google/maps/advanced', { depth: 5000 });
    expect((big.items as unknown[]).length).toBeLessThanOrEqual(700);
  });

  it('escapes the keyword in html pages', () => {
    const r = render('google/organic/html', { keyword: 'a <b> & "c"' });
    const html = String((r.items as Obj[])[0]!.html);
    expect(html).toContain('a &lt;b&gt; &amp; &quot;c&quot;');
    expect(html).not.toContain('<b>');
  });

  it('uses the requested video id for youtube video_info', () => {
    const r = render('youtube/video_info/advanced', { id: 'abcDEF12345' });
    expect(r.video_id).toBe('abcDEF12345');
    expect((r.items as Obj[])[0]!.video_id).toBe('abcDEF12345');
  });
});

function envelope(key: string, result: unknown): unknown {
  const [se, seType, fn] = key.split('/') as [string, string, string];
  const id = '01234567-0123-0123-0123-0123456789ab';
  return {
    version: '0.1.20250101',
    status_code: 20000,
    status_message: 'Ok.',
    time: '0.0 sec.',
    cost: 0,
    tasks_count: 1,
    tasks_error: 0,
    tasks: [
      {
        id,
        status_code: 20000,
        status_message: 'Ok.',
        time: '0.0 sec.',
        cost: 0,
        result_count: 1,
        path: ['v3', 'serp', se, seType, 'task_get', fn, id],
        data: {},
        result: [result],
      },
    ],
  };
}

describe.skipIf(!openapiAvailable())('renderFromSchema against the vendor OpenAPI schema', () => {
  it.each(KEYS)('%s validates with all properties present', (key) => {
    const [se, seType, fn] = key.split('/') as [string, string, string];
    const template = `/v3/serp/${se}/${seType}/task_get/${fn}/{id}`;
    // Several keywords/depths so that more optional branches are exercised.
    for (const [keyword, depth] of [
      ['albert einstein', 10],
      ['pizza near me', 40],
      ['iphone 15 pro', 3],
    ] as const) {
      const body = envelope(key, render(key, { keyword, depth, id: keyword.replace(/ /g, '').slice(0, 11) }));
      expect(validateResponse('get', template, body, { requireAllProperties: true })).toEqual([]);
    }
  });
});
