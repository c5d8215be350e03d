/**
 * The live endpoints and reference lists of every API outside the SERP engine, on the real HTTP
 * stack: every such endpoint of the catalog answers a request built from its documented required
 * fields with 20000 (and, where the vendor's OpenAPI file is present and lists the path, a body valid
 * against its schema); answers are deterministic; calls are checked against the request rules,
 * charged at the vendor's price and listed by their own API's id_list.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireEnvelope } from '../../src/contracts/envelope.js';
import { type Endpoint, API_NAMES, loadApi } from '../../src/domain/api-catalog/index.js';
import { createSandboxExecutor } from '../../src/executors/sandbox/sandbox-executor.js';
import { servesTaskEndpoint } from '../../src/services/catalog-tasks.js';
import { isCrawlEndpoint } from '../../src/services/on-page.js';
import { servesEndpoint } from '../../src/services/endpoint-calls.js';
import { formatDateTime } from '../../src/domain/time-format.js';
import { minimalRequest } from '../helpers/catalog-requests.js';
import { type TestApp, basicAuth, makeTestApp } from '../helpers/app.js';
import { validateResponseForUrl } from '../helpers/openapi.js';

const FULL_OPENAPI = fileURLToPath(new URL('../../../shared/dataforseo/openapi-full.yaml', import.meta.url));
const HAS_FULL = existsSync(FULL_OPENAPI);

/**
 * Where the vendor's two files disagree, serpq follows the newer official client (the catalog's
 * source), and the May 2025 OpenAPI file's check fails there: path, the failing field, and why.
 */
const NEWER_CLIENT_WINS: ReadonlyArray<{ path: string; field: RegExp; why: string }> = [
  {
    path: '/v3/keywords_data/google_trends/explore/live',
    field: /\.data\[\d+\]\.values\[\d+\]: expected string, got integer/,
    why: "the client types a google_trends_map row's values as numbers",
  },
  {
    path: '/v3/keywords_data/google_trends/explore/task_get/',
    field: /\.data\[\d+\]\.values\[\d+\]: expected string, got integer/,
    why: "the client types a google_trends_map row's values as numbers",
  },
  {
    path: '/v3/merchant/amazon/',
    field: /\.videos\[\d+\]\.preview: expected number, got string/,
    why: "the client's VideoElement has the preview image's URL as a string",
  },
  {
    path: '/v3/app_data/google/app_reviews/task_get/advanced/',
    field: /\.responses: expected object, got array/,
    why: "the client types a Google Play review's responses as an array",
  },
  {
    path: '/v3/business_data/google/questions_and_answers/task_get/',
    field: /\.items_without_answers\[\d+\]\.items: expected object, got array/,
    why: "the client types a question's items as an array of answers",
  },
  {
    path: '/v3/business_data/trustpilot/reviews/task_get/',
    field: /\.reviews_count: expected number, got string/,
    why: "the client types Trustpilot's reviews_count as a string",
  },
  {
    path: '/v3/on_page/content_parsing',
    field: /\.(ratings\[\d+\]|rating)\.(rating_value|rating_count|max_rating_value|relative_rating): expected string/,
    why: "the client's rating model (ContententRatingInfo) has numbers",
  },
  {
    path: '/v3/on_page/microdata',
    field: /\.inspection_info\.fields: expected object, got array/,
    why: "the client types a microdata item's fields as an array (MicrodataInspectionInfo)",
  },
  {
    path: '/v3/on_page/content_parsing/live',
    field: /\.(ratings\[\d+\]|rating)\.(rating_value|rating_count|max_rating_value|relative_rating): expected string/,
    why: "the client's rating model (ContententRatingInfo) has numbers",
  },
  {
    path: '/v3/content_analysis/search/live',
    field: /\.(ratings\[\d+\]|rating)\.(rating_value|rating_count|max_rating_value|relative_rating): expected string/,
    why: "the client's rating model (ContententRatingInfo) has numbers",
  },
  {
    path: '/v3/business_data/google/questions_and_answers/live',
    field: /\.items_without_answers\[\d+\]\.items: expected object, got array/,
    why: "the client types a question's items as an array of answers",
  },
];

/** Errors no listed disagreement explains (a path ending in '/' covers the paths it starts, i.e. any task id). */
function unexplained(url: string, errors: readonly string[]): string[] {
  const covers = (path: string) => (path.endsWith('/') ? url.startsWith(path) : url === path);
  return errors.filter((e) => !NEWER_CLIENT_WINS.some((k) => covers(k.path) && k.field.test(e)));
}

type Row = Record<string, unknown>;
const firstTask = (b: WireEnvelope) => b.tasks![0]!;
const resultOf = (b: WireEnvelope): Row[] => (firstTask(b).result ?? []) as Row[];

/** A concrete URL for an endpoint template (path parameters filled). */
function urlOf(e: Endpoint): string {
  return `/v3/${e.path.replace('{country}', 'us').replace(/\{[^}]+\}/g, 'x')}`;
}

/** Endpoints answered here: every API but the SERP engine's own paths (they have their own tests). */
async function servedEndpoints(): Promise<Endpoint[]> {
  const out: Endpoint[] = [];
  for (const name of API_NAMES) {
    const api = await loadApi(name);
    for (const e of api.endpoints) if (servesEndpoint(e) && !(e.api === 'serp' && /^serp\/[^/]+\/[^/]+\/live/.test(e.path))) out.push(e);
  }
  return out;
}

describe('every API: live endpoints and reference lists', () => {
  let t: TestApp;
  const previousOpenapi = process.env.SERPQ_OPENAPI_FILE;
  beforeAll(async () => {
    t = await makeTestApp();
    await t.request('PATCH', '/admin/accounts/demo', { auth: `Bearer ${t.adminToken}`, body: { balance: 1_000_000 } });
    if (HAS_FULL) process.env.SERPQ_OPENAPI_FILE = FULL_OPENAPI;
  });
  afterAll(async () => {
    if (previousOpenapi === undefined) delete process.env.SERPQ_OPENAPI_FILE;
    else process.env.SERPQ_OPENAPI_FILE = previousOpenapi;
    await t.close();
  });

  it('answers every served endpoint of the catalog with 20000, schema-valid where the vendor file has it', async () => {
    const endpoints = await servedEndpoints();
    expect(endpoints.length).toBeGreaterThan(200);
    const failures: string[] = [];
    for (const e of endpoints) {
      const url = urlOf(e);
      const body = e.method === 'POST' ? [minimalRequest(e)] : undefined;
      const res = await t.request(e.method, url, { body });
      const task = res.body.tasks?.[0];
      if (res.status !== 200 || res.body.status_code !== 20000 || task?.status_code !== 20000) {
        failures.push(`${e.method} ${url}: ${res.status} ${res.body.status_code} ${task?.status_code} ${task?.status_message}`);
        continue;
      }
      if (HAS_FULL && e.inOpenApi) {
        const errors = unexplained(url, validateResponseForUrl(e.method === 'GET' ? 'get' : 'post', url, res.body, { nullRefs: true }));
        if (errors.length > 0) failures.push(`${e.method} ${url}: ${errors.slice(0, 3).join('; ')}`);
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('runs a task of every task type of the other APIs: task_post, tasks_ready at each scope and task_get of each function answer 2xxxx, schema-valid', async () => {
    const sandbox = createSandboxExecutor({ latency: { normal: 0, high: 0 } });
    const endpoints: Endpoint[] = [];
    for (const name of API_NAMES)
      for (const e of (await loadApi(name)).endpoints)
        if (servesTaskEndpoint(e, sandbox) || (isCrawlEndpoint(e) && e.kind === 'task_get')) endpoints.push(e);
    const failures: string[] = [];
    const check = (e: Endpoint, url: string, res: { status: number; body: WireEnvelope }, want: number) => {
      const task = res.body.tasks?.[0];
      if (res.status !== 200 || res.body.status_code !== 20000 || task?.status_code !== want) {
        failures.push(`${e.method} ${url}: ${res.status} ${res.body.status_code} ${task?.status_code} ${task?.status_message}`);
      } else if (HAS_FULL && e.inOpenApi) {
        const errors = unexplained(url, validateResponseForUrl(e.method === 'GET' ? 'get' : 'post', url, res.body, { nullRefs: true }));
        if (errors.length > 0) failures.push(`${e.method} ${url}: ${errors.slice(0, 3).join('; ')}`);
      }
    };
    const ids = new Map<string, string>();
    for (const e of endpoints.filter((x) => x.kind === 'task_post')) {
      const url = urlOf(e);
      const res = await t.request('POST', url, { body: [{ ...minimalRequest(e), tag: e.type }] });
      check(e, url, res, 20100);
      if (firstTask(res.body).status_code === 20100) ids.set(e.type!, firstTask(res.body).id);
    }
    expect(ids.size).toBeGreaterThan(40);
    // An On-Page crawl of max_crawl_pages pages takes time: the clock moves past it.
    t.advance(60);
    await t.runWorkers();
    for (const e of endpoints.filter((x) => x.kind === 'tasks_ready')) {
      const url = urlOf(e);
      const res = await t.request('GET', url);
      check(e, url, res, 20000);
      // Each scope lists the tasks of its types, with the tag posted where the type takes one.
      const api = await loadApi(e.api);
      const types = api.tasksReady.find((s) => s.path === e.path)!.types.filter((x) => ids.has(x));
      const tagged = (type: string) =>
        endpoints.some((p) => p.kind === 'task_post' && p.type === type && p.request?.fields.some((f) => f.name === 'tag'));
      const listed = resultOf(res.body).map((r) => [r.id, r.tag]);
      expect(listed.sort()).toEqual(types.map((x) => [ids.get(x), tagged(x) ? x : null]).sort());
    }
    for (const e of endpoints.filter((x) => x.kind === 'task_get')) {
      const id = ids.get(e.type!) ?? 'none';
      // On-Page's functions over a crawl take the crawl's id in each posted task.
      const url = `/v3/${e.path.replace('{id}', id)}`;
      const res = e.idIn === 'body' ? await t.request('POST', url, { body: [{ ...minimalRequest(e), id }] }) : await t.request('GET', url);
      check(e, url, res, 20000);
      if (resultOf(res.body).length === 0) failures.push(`GET ${url}: no result`);
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('answers the status endpoints with the dates and states they stand for', async () => {
    const all = resultOf((await t.request('GET', '/v3/appendix/status')).body);
    expect(all.map((r) => r.api)).toEqual([...API_NAMES]);
    expect(all.every((r) => r.status === 'ok')).toBe(true);
    const ads = resultOf((await t.request('GET', '/v3/keywords_data/google_ads/status')).body)[0]!;
    const now = new Date(t.clock.now());
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    expect(ads).toMatchObject({
      actual_data: true,
      last_year_in_monthly_searches: lastMonth.getUTCFullYear(),
      last_month_in_monthly_searches: lastMonth.getUTCMonth() + 1,
    });
    expect(String(ads.date_update)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Date.parse(String(ads.date_update))).toBeLessThanOrEqual(t.clock.now());
    const labs = resultOf((await t.request('GET', '/v3/dataforseo_labs/status')).body)[0] as Record<string, { date_update: string }>;
    expect(labs.google!.date_update).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('answers the same request with the same result, and different inputs differently', async () => {
    const call = async (target: string) =>
      (
        await t.request('POST', '/v3/dataforseo_labs/google/ranked_keywords/live', {
          body: [{ target, location_code: 2840, language_code: 'en', limit: 20 }],
        })
      ).body;
    const [a, b, c] = [await call('example.com'), await call('example.com'), await call('example.org')];
    expect(JSON.stringify(resultOf(a))).toBe(JSON.stringify(resultOf(b)));
    expect(JSON.stringify(resultOf(a))).not.toBe(JSON.stringify(resultOf(c)));
    expect(firstTask(a).id).not.toBe(firstTask(b).id);
  });

  it('checks the request rules: a missing required field is 40501 naming it, extra tasks 40000, nothing charged for them', async () => {
    const before = (await t.request('GET', '/admin/accounts/demo', { auth: `Bearer ${t.adminToken}` })).body as unknown as {
      balance: number;
    };
    const res = await t.request('POST', '/v3/dataforseo_labs/google/ranked_keywords/live', {
      body: [{ location_code: 2840 }, { target: 'example.com' }],
    });
    expect(res.body.status_code).toBe(20000);
    expect(res.body.tasks!.map((x) => [x.status_code, x.status_message, x.cost])).toEqual([
      [40501, "Invalid Field: 'target'.", 0],
      [40000, 'You can set only one task at a time.', 0],
    ]);
    expect(res.body.cost).toBe(0);
    const after = (await t.request('GET', '/admin/accounts/demo', { auth: `Bearer ${t.adminToken}` })).body as unknown as {
      balance: number;
    };
    expect(after.balance).toBe(before.balance);
  });

  it('charges the vendor price (request plus rows returned) and lists the call in its own API id_list only', async () => {
    const res = await t.request('POST', '/v3/dataforseo_labs/google/ranked_keywords/live', {
      body: [{ target: 'example.net', location_code: 2840, language_code: 'en', limit: 10 }],
    });
    const task = firstTask(res.body);
    expect(task.status_code).toBe(20000);
    const rows = Number(resultOf(res.body)[0]!.items_count);
    expect(rows).toBeGreaterThan(0);
    expect(task.cost).toBeCloseTo(0.012 + 0.00012 * rows, 6);
    expect(res.body.cost).toBe(task.cost);
    const window = { datetime_from: formatDateTime(t.clock.now() - 60_000), datetime_to: formatDateTime(t.clock.now()) };
    const labs = await t.request('POST', '/v3/dataforseo_labs/id_list', { body: [window] });
    const listed = resultOf(labs.body).find((r) => r.id === task.id);
    expect(listed).toMatchObject({ url: 'v3/dataforseo_labs/google/ranked_keywords/live', status: '20000', cost: task.cost });
    const serp = await t.request('POST', '/v3/serp/id_list', { body: [window] });
    expect(resultOf(serp.body).some((r) => r.id === task.id)).toBe(false);
  });

  it("holds the account's daily cost cap (40203) and duplicate limit (40205) on every API's live calls and tasks, at no cost", async () => {
    const admin = `Bearer ${t.adminToken}`;
    const created = await t.request('POST', '/admin/accounts', {
      auth: admin,
      body: { login: 'capped', password: 'capped-secret', balance: 10, daily_cost_limit: 0.2, duplicate_limit_hour: 10 },
    });
    expect(created.status).toBe(201);
    const auth = basicAuth('capped', 'capped-secret');
    const labs = (target: string) =>
      t.request('POST', '/v3/dataforseo_labs/google/domain_rank_overview/live', { auth, body: [{ target, location_code: 2840 }] });
    // The duplicate limit: 10 identical calls an hour, the 11th refused.
    const same: number[] = [];
    for (let i = 0; i < 11; i++) same.push(firstTask((await labs('example.com')).body).status_code);
    expect(same).toEqual([...Array(10).fill(20000), 40205]);
    // Other calls until the day's spend would pass 0.2 USD.
    const codes: number[] = [];
    for (let i = 0; i < 30; i++) codes.push(firstTask((await labs(`example${i}.com`)).body).status_code);
    expect(codes).toContain(40203);
    expect(codes.slice(codes.indexOf(40203)).every((c) => c === 40203)).toBe(true);
    // Task types are held by the same cap.
    const task = await t.request('POST', '/v3/keywords_data/google_ads/search_volume/task_post', {
      auth,
      body: [{ keywords: ['capped keyword'], location_code: 2840 }],
    });
    expect([firstTask(task.body).status_code, firstTask(task.body).cost]).toEqual([40203, 0]);
    const user = resultOf((await t.request('GET', '/v3/appendix/user_data', { auth })).body)[0] as {
      money: { statistics: { day: Record<string, number> } };
    };
    expect(user.money.statistics.day.total_dataforseo_labs).toBeLessThanOrEqual(0.2);
    expect(user.money.statistics.day.total_dataforseo_labs).toBe(user.money.statistics.day.total);
  });

  it('holds Google Ads live calls to the documented 12 a minute per account, shared by its endpoints', async () => {
    const auth = await t.addAccount('ads-limit', { balance: 100 });
    const other = await t.addAccount('ads-other', { balance: 100 });
    const ads = (path: string, who = auth) =>
      t.request('POST', `/v3/keywords_data/google_ads/${path}/live`, { auth: who, body: [{ keywords: ['shoes'] }] });
    const codes: number[] = [];
    for (let i = 0; i < 6; i++)
      codes.push((await ads('search_volume')).body.status_code, (await ads('keywords_for_keywords')).body.status_code);
    expect(codes).toEqual(Array(12).fill(20000));
    const past = await ads('ad_traffic_by_keywords');
    expect([past.status, past.body.status_code]).toEqual([200, 40202]);
    // Another account, and another API, are not held by it.
    expect((await ads('search_volume', other)).body.status_code).toBe(20000);
    const labs = await t.request('POST', '/v3/dataforseo_labs/google/keyword_overview/live', { auth, body: [{ keywords: ['shoes'] }] });
    expect(labs.body.status_code).toBe(20000);
    t.advance(61);
    expect((await ads('search_volume')).body.status_code).toBe(20000);
  });

  it('answers 40204 at no cost to an account without the Backlinks subscription, until it is turned back on', async () => {
    const admin = `Bearer ${t.adminToken}`;
    const created = await t.request('POST', '/admin/accounts', {
      auth: admin,
      body: { login: 'no-backlinks', password: 'no-backlinks-secret', balance: 10, subscriptions: { backlinks: false } },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ subscriptions: { backlinks: false, 'ai_optimization/llm_mentions': true } });
    const auth = basicAuth('no-backlinks', 'no-backlinks-secret');
    const balance = async () =>
      ((await t.request('GET', '/admin/accounts/no-backlinks', { auth: admin })).body as unknown as { balance: number }).balance;
    const summary = (who = auth) => t.request('POST', '/v3/backlinks/summary/live', { auth: who, body: [{ target: 'example.com' }] });

    const denied = await summary();
    expect([denied.status, denied.body.status_code, denied.body.cost]).toEqual([200, 20000, 0]);
    expect(denied.body.tasks!.map((x) => [x.status_code, x.status_message, x.cost, x.result])).toEqual([
      [
        40204,
        'Access denied. Visit Plans and Subscriptions to activate your subscription and get access to this API: https://app.dataforseo.com/backlinks-subscription',
        0,
        null,
      ],
    ]);
    expect(await balance()).toBe(10);
    // Nothing kept: the backlinks id_list does not list it.
    const window = { datetime_from: formatDateTime(t.clock.now() - 60_000), datetime_to: formatDateTime(t.clock.now()) };
    const listed = await t.request('POST', '/v3/backlinks/id_list', { auth, body: [window] });
    expect(resultOf(listed.body).some((r) => r.id === firstTask(denied.body).id)).toBe(false);

    // An account with the subscription (the default) is answered; other APIs are not held.
    const withIt = await summary(t.demoAuth);
    expect([withIt.body.status_code, firstTask(withIt.body).status_code]).toEqual([20000, 20000]);
    const labs = await t.request('POST', '/v3/dataforseo_labs/google/ranked_keywords/live', {
      auth,
      body: [{ target: 'example.com', location_code: 2840, language_code: 'en', limit: 5 }],
    });
    expect([labs.body.status_code, firstTask(labs.body).status_code]).toEqual([20000, 20000]);

    // Only the APIs that had a subscription, as true or false.
    const bad = await t.request('PATCH', '/admin/accounts/no-backlinks', { auth: admin, body: { subscriptions: { serp: false } } });
    expect(bad.status).toBe(400);
    expect(
      (await t.request('PATCH', '/admin/accounts/no-backlinks', { auth: admin, body: { subscriptions: { backlinks: 'yes' } } })).status,
    ).toBe(400);

    // Turned back on through the admin API: answered and charged again.
    const patched = await t.request('PATCH', '/admin/accounts/no-backlinks', { auth: admin, body: { subscriptions: { backlinks: true } } });
    expect(patched.body).toMatchObject({ subscriptions: { backlinks: true, 'ai_optimization/llm_mentions': true } });
    const before = await balance();
    const restored = await summary();
    expect([restored.body.status_code, firstTask(restored.body).status_code]).toEqual([20000, 20000]);
    expect(firstTask(restored.body).cost).toBeGreaterThan(0);
    expect(await balance()).toBeLessThan(before);
  });

  it('lists locations and languages from the reference data, and answers 404 to a path no API has', async () => {
    const locations = await t.request('GET', '/v3/keywords_data/google_ads/locations');
    expect(resultOf(locations.body).find((r) => r.location_code === 2840)).toMatchObject({ location_name: 'United States' });
    const languages = await t.request('GET', '/v3/keywords_data/google_ads/languages');
    expect(resultOf(languages.body).find((r) => r.language_code === 'en')).toMatchObject({ language_name: 'English' });
    const unknown = await t.request('POST', '/v3/dataforseo_labs/google/no_such_endpoint/live', { body: [{ target: 'example.com' }] });
    expect([unknown.status, unknown.body.status_code]).toEqual([404, 40400]);
  });
});
