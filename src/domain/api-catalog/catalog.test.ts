import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ClientReader } from '../../../scripts/lib/client-reader.js';
import { API_NAMES, type ApiCatalog, type ApiName, type Endpoint, type SchemaNode, loadAllApis, matchEndpoint } from './index.js';

/**
 * The generated catalog (generated/*.ts) as data: its lookups, kinds and rules always (the modules are
 * committed); its completeness against the vendor's files when they are present.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const OPENAPI = resolve(process.env.SERPQ_OPENAPI_FULL_FILE || resolve(ROOT, '../shared/dataforseo/openapi-full.yaml'));
const CLIENT = resolve(ROOT, 'node_modules/dataforseo-client');

let apis: Map<ApiName, ApiCatalog>;
beforeAll(async () => {
  const all = await loadAllApis();
  apis = new Map(all.map((c) => [c.api, c]));
});

const api = (name: ApiName) => apis.get(name)!;
const allEndpoints = (): Endpoint[] => [...apis.values()].flatMap((c) => c.endpoints);
function endpoint(method: 'GET' | 'POST', path: string): Endpoint {
  const name = path.split('/')[0] as ApiName;
  const e = api(name).endpoints.find((x) => x.method === method && x.path === path);
  if (!e) throw new Error(`${method} ${path} is not in the catalog`);
  return e;
}
const field = (e: Endpoint, name: string) => e.request?.fields.find((f) => f.name === name);
/** The one-of group holding a field, its fields sorted. */
function groupOf(e: Endpoint, name: string) {
  const g = e.request?.oneOf.find((x) => x.fields.includes(name));
  return g && { fields: [...g.fields].sort(), required: g.required };
}

describe('the generated catalog', () => {
  it('has one module per API, each holding only its own paths, sorted, each path and method once', () => {
    expect([...apis.keys()]).toEqual([...API_NAMES]);
    for (const c of apis.values()) {
      const keys = c.endpoints.map((e) => `${e.path} ${e.method}`);
      expect(keys).toEqual([...keys].sort());
      expect(new Set(keys).size).toBe(keys.length);
      for (const e of c.endpoints) {
        expect(e.api).toBe(c.api);
        expect(e.path.split('/')[0]).toBe(c.api);
      }
    }
  });

  it('classifies task endpoints by their path: type, kind and function', () => {
    const post = endpoint('POST', 'keywords_data/google_ads/search_volume/task_post');
    expect(post).toMatchObject({ kind: 'task_post', type: 'keywords_data/google_ads/search_volume', fn: null, inOpenApi: true });
    expect(post).toMatchObject({ clientClass: 'KeywordsDataApi', clientMethod: 'googleAdsSearchVolumeTaskPost' });
    expect(endpoint('GET', 'keywords_data/google_ads/search_volume/task_get/{id}')).toMatchObject({
      kind: 'task_get',
      fn: null,
      idIn: 'path',
      params: ['id'],
    });
    expect(endpoint('GET', 'merchant/google/products/task_get/advanced/{id}')).toMatchObject({
      kind: 'task_get',
      type: 'merchant/google/products',
      fn: 'advanced',
    });
    expect(endpoint('POST', 'serp/google/organic/live/regular')).toMatchObject({
      kind: 'live',
      type: 'serp/google/organic',
      fn: 'regular',
    });
    expect(endpoint('GET', 'serp/google/organic/tasks_fixed')).toMatchObject({ kind: 'tasks_fixed', type: 'serp/google/organic' });
    expect(endpoint('GET', 'serp/tasks_ready')).toMatchObject({ kind: 'tasks_ready', type: null });
    expect(endpoint('GET', 'merchant/google/products/tasks_ready')).toMatchObject({
      kind: 'tasks_ready',
      type: 'merchant/google/products',
    });
    expect(endpoint('GET', 'on_page/lighthouse/task_get/json/{id}')).toMatchObject({ type: 'on_page/lighthouse', fn: 'json' });
  });

  it('classifies the API-wide and reference endpoints', () => {
    expect(endpoint('POST', 'backlinks/id_list').kind).toBe('id_list');
    expect(endpoint('POST', 'merchant/errors').kind).toBe('errors');
    expect(endpoint('GET', 'serp/google/locations').kind).toBe('locations');
    expect(endpoint('GET', 'serp/google/languages').kind).toBe('languages');
    expect(endpoint('GET', 'keywords_data/google_trends/categories').kind).toBe('categories');
    expect(endpoint('GET', 'dataforseo_labs/available_filters').kind).toBe('available_filters');
    expect(endpoint('GET', 'keywords_data/google_ads/status').kind).toBe('status');
    expect(endpoint('GET', 'keywords_data/google_ads/locations/{country}')).toMatchObject({
      kind: 'reference',
      ref: 'locations_country',
      params: ['country'],
    });
    expect(endpoint('GET', 'ai_optimization/chat_gpt/llm_responses/models')).toMatchObject({ kind: 'reference', ref: 'models' });
    expect(endpoint('GET', 'appendix/errors')).toMatchObject({ kind: 'reference', ref: 'error_codes' });
    expect(endpoint('POST', 'appendix/webhook_resend')).toMatchObject({ kind: 'action', ref: 'webhook_resend', idIn: 'body' });
    expect(endpoint('POST', 'serp/screenshot')).toMatchObject({ kind: 'live', type: 'serp/screenshot' });
  });

  it('treats On-Page functions as task_get functions of the crawl type on_page', () => {
    expect(endpoint('GET', 'on_page/summary/{id}')).toMatchObject({ kind: 'task_get', type: 'on_page', fn: 'summary', idIn: 'path' });
    expect(endpoint('POST', 'on_page/pages')).toMatchObject({ kind: 'task_get', type: 'on_page', fn: 'pages', idIn: 'body' });
    expect(field(endpoint('POST', 'on_page/pages'), 'id')).toMatchObject({ type: 'string', required: true });
    expect(endpoint('POST', 'on_page/force_stop')).toMatchObject({ kind: 'action', type: 'on_page', ref: 'force_stop' });
    expect(endpoint('POST', 'on_page/instant_pages')).toMatchObject({ kind: 'live', type: 'on_page/instant_pages' });
    const onPage = api('on_page').types.on_page!;
    expect(onPage).toMatchObject({ taskPost: true, tasksReady: ['on_page/tasks_ready'] });
    expect(onPage.taskGet).toEqual(expect.arrayContaining(['summary', 'pages', 'resources', 'links', 'raw_html', 'waterfall']));
  });

  it('reads request rules: required fields, item limits, numeric bounds, values, defaults', () => {
    const sv = endpoint('POST', 'keywords_data/google_ads/search_volume/task_post');
    expect(field(sv, 'keywords')).toMatchObject({ type: 'array', items: 'string', required: true, maxItems: 1000, maxLength: 80 });
    expect(field(sv, 'tag')).toMatchObject({ type: 'string', maxLength: 255 });
    expect(field(sv, 'location_code')).toMatchObject({ type: 'integer' });
    expect(field(sv, 'location_code')!.required).toBeUndefined();

    const ranked = endpoint('POST', 'dataforseo_labs/google/ranked_keywords/live');
    expect(ranked).toMatchObject({ kind: 'live', type: 'dataforseo_labs/google/ranked_keywords', fn: null });
    expect(field(ranked, 'target')).toMatchObject({ type: 'string', required: true });
    expect(field(ranked, 'limit')).toMatchObject({ type: 'integer', default: 100, max: 1000 });
    expect(field(ranked, 'order_by')).toMatchObject({ type: 'array', maxItems: 3 });
    expect(field(ranked, 'item_types')).toMatchObject({ enum: expect.arrayContaining(['organic', 'paid']), default: ['organic', 'paid'] });

    const organic = endpoint('POST', 'serp/google/organic/task_post');
    expect(field(organic, 'priority')).toMatchObject({ type: 'integer', enum: [1, 2], default: 1 });
    expect(field(organic, 'keyword')).toMatchObject({ required: true, maxLength: 700 });
    expect(field(organic, 'postback_data')).toMatchObject({ conditional: true, enum: ['regular', 'advanced', 'html'] });
    expect(field(organic, 'device')).toMatchObject({ enum: ['desktop', 'mobile'], default: 'desktop' });
  });

  it('reads one-of groups: which location and language fields stand in for each other', () => {
    const organic = endpoint('POST', 'serp/google/organic/task_post');
    expect(groupOf(organic, 'location_code')).toEqual({
      fields: ['location_code', 'location_coordinate', 'location_name'],
      required: true,
    });
    expect(groupOf(organic, 'language_code')).toEqual({ fields: ['language_code', 'language_name'], required: true });
    expect(field(organic, 'location_code')).toMatchObject({ conditional: true });
    const ranked = endpoint('POST', 'dataforseo_labs/google/ranked_keywords/live');
    expect(groupOf(ranked, 'location_code')).toEqual({ fields: ['location_code', 'location_name'], required: false });
    const generate = endpoint('POST', 'content_generation/generate/live');
    expect(groupOf(generate, 'max_tokens')).toEqual({ fields: ['max_new_tokens', 'max_tokens'], required: true });
  });

  it('describes each type: functions, tasks_fixed, tasks_ready scopes, postbacks', () => {
    const sv = api('keywords_data').types['keywords_data/google_ads/search_volume']!;
    expect(sv).toMatchObject({ taskPost: true, taskGet: [null], live: [null], tasksFixed: false, postback: true, postbackData: null });
    expect(sv.tasksReady).toEqual(['keywords_data/google_ads/search_volume/tasks_ready']);
    const products = api('merchant').types['merchant/google/products']!;
    expect(products).toMatchObject({ taskGet: ['advanced', 'html'], postbackData: ['advanced', 'html'] });
    expect(products.tasksReady).toEqual(['merchant/google/products/tasks_ready', 'merchant/tasks_ready']);
    const organic = api('serp').types['serp/google/organic']!;
    expect(organic).toMatchObject({ taskGet: ['regular', 'advanced', 'html'], live: ['regular', 'advanced', 'html'], tasksFixed: true });
    const serpWide = api('serp').tasksReady.find((s) => s.path === 'serp/tasks_ready')!;
    expect(serpWide.types).toContain('serp/google/organic');
    expect(serpWide.types).toContain('serp/youtube/video_info');
    // DataForSEO Labs is live only.
    expect(api('dataforseo_labs').tasksReady).toEqual([]);
    expect(Object.values(api('dataforseo_labs').types).every((t) => !t.taskPost && t.live.length > 0)).toBe(true);
  });

  it('has the AI Optimization API, which only the newer client lists', () => {
    const ai = api('ai_optimization');
    expect(ai.endpoints.length).toBeGreaterThanOrEqual(50);
    expect(endpoint('POST', 'ai_optimization/chat_gpt/llm_responses/task_post')).toMatchObject({ kind: 'task_post', inOpenApi: false });
    expect(endpoint('GET', 'ai_optimization/chat_gpt/llm_scraper/task_get/advanced/{id}')).toMatchObject({
      kind: 'task_get',
      fn: 'advanced',
    });
    expect(endpoint('POST', 'ai_optimization/llm_mentions/search_mentions/live')).toMatchObject({
      kind: 'live',
      clientClass: 'AiOptimizationApi',
    });
    expect(field(endpoint('POST', 'ai_optimization/chat_gpt/llm_responses/live'), 'user_prompt')).toMatchObject({ required: true });
  });

  it('gives every endpoint with a result a schema whose refs all resolve', () => {
    const check = (c: ApiCatalog, node: SchemaNode, where: string): void => {
      switch (node.t) {
        case 'ref':
          expect(c.schemas[node.n], `${where}: ${node.n}`).toBeDefined();
          return;
        case 'object':
          for (const v of Object.values(node.p)) check(c, v, where);
          return;
        case 'array':
          return check(c, node.i, where);
        case 'map':
          return check(c, node.v, where);
        case 'union':
          for (const n of Object.values(node.m)) expect(c.schemas[n], `${where}: ${n}`).toBeDefined();
      }
    };
    for (const c of apis.values()) {
      for (const e of c.endpoints) if (e.result) check(c, e.result, e.path);
      for (const [name, node] of Object.entries(c.schemas)) check(c, node, name);
    }
    const sv = endpoint('GET', 'keywords_data/google_ads/search_volume/task_get/{id}').result!;
    expect(sv.t).toBe('ref');
    const item = api('keywords_data').schemas[(sv as { n: string }).n]!;
    expect(item).toMatchObject({ t: 'object', p: { keyword: { t: 'string' }, search_volume: { t: 'number' } } });
    // SERP per-type results are src/executors/sandbox/schema-data.ts's: omitted here.
    expect(endpoint('GET', 'serp/google/organic/task_get/advanced/{id}').result).toBeNull();
    expect(endpoint('GET', 'serp/tasks_ready').result).not.toBeNull();
  });

  it('keeps every endpoint consistent with its type', () => {
    for (const c of apis.values()) {
      for (const e of c.endpoints) {
        if (e.kind === 'task_post' || e.kind === 'task_get' || e.kind === 'live' || e.kind === 'tasks_fixed') {
          expect(c.types[e.type!], e.path).toBeDefined();
        }
        if (e.method === 'GET') expect(e.request).toBeNull();
        expect(e.params).toEqual([...e.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]));
        expect(matchEndpoint(c, e.method, e.path.replace(/\{[^}]+\}/g, 'x'))?.endpoint).toBe(e);
      }
    }
  });
});

describe.skipIf(!existsSync(OPENAPI) || !ClientReader.available(CLIENT))('the catalog against the vendor files', () => {
  it('lists every URL template of the official client, with its method, class and method name', () => {
    const ops = new ClientReader(CLIENT).operations();
    expect(ops.length).toBeGreaterThanOrEqual(564);
    for (const op of ops) {
      const e = endpoint(op.method, op.url.slice('/v3/'.length));
      expect(e).toMatchObject({ clientClass: op.clientClass, clientMethod: op.clientMethod });
    }
    const fromClient = allEndpoints().filter((e) => e.clientClass !== null);
    expect(fromClient.length).toBe(ops.length);
  });

  it('lists every operation of the OpenAPI file', () => {
    const doc = parse(readFileSync(OPENAPI, 'utf8'), { maxAliasCount: -1 }) as { paths: Record<string, Record<string, unknown>> };
    let n = 0;
    for (const [url, item] of Object.entries(doc.paths)) {
      for (const m of Object.keys(item)) {
        n++;
        expect(endpoint(m.toUpperCase() as 'GET' | 'POST', url.slice('/v3/'.length)).inOpenApi, url).toBe(true);
      }
    }
    expect(n).toBeGreaterThanOrEqual(536);
    expect(allEndpoints().filter((e) => e.inOpenApi).length).toBe(n);
    // The union: every endpoint comes from at least one source.
    expect(allEndpoints().every((e) => e.inOpenApi || e.clientClass !== null)).toBe(true);
  });
});
