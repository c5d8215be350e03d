/**
 * POST /v3/serp/id_list, the locations/languages lists and GET /v3/appendix/user_data: the services
 * against a real store of each dialect, and (through `withRoutes`) the routes on the real HTTP stack.
 * Responses are checked against the vendor's OpenAPI document when it is present.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { WireEnvelope } from '../../src/contracts/envelope.js';
import { type TravelClock, createManualClock } from '../../src/domain/clock.js';
import { LANGUAGES, LOCATIONS } from '../../src/domain/reference.js';
import { DAY, formatDateTime } from '../../src/domain/time-format.js';
import type { CallContext } from '../../src/services/deps.js';
import { idList, monthsBefore } from '../../src/services/id-list.js';
import { languagesFor, locationsFor, referenceList } from '../../src/services/reference-lists.js';
import { createUsage, type Usage } from '../../src/services/usage.js';
import { userData } from '../../src/services/user-data.js';
import type { ProcessStore } from '../../src/process/open-store.js';
import type { NewTask } from '../../src/store/store.js';
import { ADMIN_TOKEN, type TestApp, basicAuth, eachDialect, imagesTask, makeTestApp, postImages } from '../helpers/app.js';
import { type Dialect, createTestStore } from '../helpers/dialects.js';
import { openapiAvailable, validateResponseForUrl } from '../helpers/openapi.js';

const STRICT = { requireAllProperties: true } as const;

/** Errors of a body against the official schema of its URL; none when the document is absent. */
function schemaErrors(method: 'get' | 'post', url: string, body: unknown, strict = true): string[] {
  if (!openapiAvailable()) return [];
  return validateResponseForUrl(method, url, body, strict ? STRICT : {});
}

type Row = Record<string, unknown>;
const resultOf = (body: WireEnvelope): Row[] => (body.tasks?.[0]?.result ?? []) as Row[];

async function ctxFor(store: ProcessStore, login: string, url: string): Promise<CallContext> {
  const account = await store.accountByLogin(login);
  if (!account) throw new Error(`no account ${login}`);
  return { account, url, startedAt: performance.now() };
}

function liveTask(id: string, postedAt: number, data: Record<string, unknown>): NewTask {
  return {
    id,
    se: 'google',
    seType: 'organic',
    priority: 1,
    tag: null,
    data: JSON.stringify({ api: 'serp', function: 'live', se: 'google', se_type: 'organic', ...data }),
    postbackUrl: null,
    postbackData: null,
    pingbackUrl: null,
    costMicro: 2000,
    postedAt,
    runAfter: postedAt,
    readyJson: '{}',
  };
}

eachDialect('appendix services', (dialect) => {
  let t: TestApp;
  let store: ProcessStore;
  let usage: Usage;

  beforeAll(async () => {
    t = await makeTestApp({ dialect });
    store = t.app.store;
    usage = createUsage(t.clock);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('id_list', () => {
    const url = '/v3/serp/id_list';
    let ids: string[];
    let liveId: string;
    let t0: number;

    beforeAll(async () => {
      t0 = t.clock.now();
      // One task per call: tasks posted at the same millisecond are ordered by id.
      ids = await postImages(t, [imagesTask('first', { tag: 'a' })]);
      t.advance(1);
      ids.push(...(await postImages(t, [imagesTask('second')])));
      await t.runWorkers();
      t.advance(10);
      ids.push(...(await postImages(t, [imagesTask('third', { priority: 2 })])));
      t.advance(10);
      const demo = await store.accountByLogin('demo');
      liveId = '01151200-0001-0139-0000-00000000abcd';
      expect(
        await store.insertLiveTask(demo!.id, liveTask(liveId, t.clock.now(), { keyword: 'live kw' }), {
          statusCode: 20000,
          statusMessage: 'Ok.',
          completedAt: t.clock.now() + 1500,
          method: 'live/advanced',
        }),
      ).toBe(true);
      // Another account's task is never listed.
      await postImages(t, [imagesTask('other')], await t.addAccount('idlist-other'));
      t.advance(5);
    });

    const window = (extra: Record<string, unknown> = {}) => [
      { datetime_from: formatDateTime(t0 - 60_000), datetime_to: formatDateTime(t.clock.now()), ...extra },
    ];

    it('lists the caller’s standard and live tasks by posting time, with status, cost and url', async () => {
      const out = await idList({ store, clock: t.clock }, await ctxFor(store, 'demo', url), window());
      expect(out.httpStatus).toBe(200);
      expect(out.body).toMatchObject({ status_code: 20000, cost: 0, tasks_count: 1, tasks_error: 0 });
      const task = out.body.tasks![0];
      expect(task).toMatchObject({
        status_code: 20000,
        path: ['v3', 'serp', 'id_list'],
        data: { api: 'serp', function: 'id_list' },
        result_count: 4,
      });
      const rows = resultOf(out.body);
      expect(rows.map((r) => r.id)).toEqual([...ids, liveId]);
      expect(rows[0]).toEqual({
        id: ids[0],
        url: 'v3/serp/google/images/task_post',
        datetime_posted: formatDateTime(t0),
        datetime_done: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+00:00$/),
        status: '20000',
        cost: 0.0006,
        metadata: null,
      });
      // Not executed yet: no completion time, "Task In Queue." as status.
      expect(rows[2]).toMatchObject({ id: ids[2], datetime_done: null, status: '40602', cost: 0.0012 });
      expect(rows[3]).toMatchObject({ id: liveId, url: 'v3/serp/google/organic/live/advanced', status: '20000', cost: 0.002 });
      expect(schemaErrors('post', url, out.body)).toEqual([]);
      if (openapiAvailable()) {
        // The check is not vacuous: a numeric status breaks the schema.
        const broken = structuredClone(out.body) as unknown as { tasks: Array<{ result: Row[] }> };
        broken.tasks[0].result[0].status = 20000;
        expect(schemaErrors('post', url, broken)).toEqual(['tasks[0].result[0].status: expected string, got integer']);
      }
    });

    it('sorts, pages, narrows the window and includes metadata on request', async () => {
      const ctx = await ctxFor(store, 'demo', url);
      const desc = await idList({ store, clock: t.clock }, ctx, window({ sort: 'desc' }));
      expect(resultOf(desc.body).map((r) => r.id)).toEqual([liveId, ids[2], ids[1], ids[0]]);
      const page = await idList({ store, clock: t.clock }, ctx, window({ limit: 2, offset: 1 }));
      expect(resultOf(page.body).map((r) => r.id)).toEqual([ids[1], ids[2]]);
      expect(page.body.tasks![0].data).toMatchObject({ limit: 2, offset: 1 });
      const narrow = await idList({ store, clock: t.clock }, ctx, [
        { datetime_from: formatDateTime(t0 + 5_000), datetime_to: formatDateTime(t0 + 15_000) },
      ]);
      expect(resultOf(narrow.body).map((r) => r.id)).toEqual([ids[2]]);
      const meta = await idList({ store, clock: t.clock }, ctx, window({ include_metadata: true }));
      const rows = resultOf(meta.body);
      expect(rows[0].metadata).toMatchObject({
        api: 'serp',
        function: 'task_post',
        se: 'google',
        se_type: 'images',
        keyword: 'first',
        tag: 'a',
        location_code: 2840,
      });
      expect(rows[3].metadata).toMatchObject({ keyword: 'live kw', se_type: 'organic' });
      expect(schemaErrors('post', url, meta.body)).toEqual([]);
    });

    it('answers 40501 naming the bad field, 40502 for no data and 40503 for a non-array', async () => {
      const ctx = await ctxFor(store, 'demo', url);
      const now = t.clock.now();
      const field = async (body: unknown) => {
        const out = await idList({ store, clock: t.clock }, ctx, body);
        expect(out.httpStatus).toBe(200);
        expect(out.body.status_code).toBe(20000);
        expect(out.body.tasks_error).toBe(1);
        const task = out.body.tasks![0];
        expect(task.status_code).toBe(40501);
        expect(task.result).toBeNull();
        return task.status_message;
      };
      const to = formatDateTime(now);
      expect(await field([{ datetime_to: to }])).toBe("Invalid Field: 'datetime_from'.");
      expect(await field([{ datetime_from: 'yesterday', datetime_to: to }])).toBe("Invalid Field: 'datetime_from'.");
      expect(await field([{ datetime_from: formatDateTime(monthsBefore(now, 6) - 1000), datetime_to: to }])).toBe(
        "Invalid Field: 'datetime_from'.",
      );
      expect(await field([{ datetime_from: formatDateTime(monthsBefore(now, 1) - 1000), datetime_to: to, include_metadata: true }])).toBe(
        "Invalid Field: 'datetime_from'.",
      );
      expect(await field([{ datetime_from: formatDateTime(now - DAY) }])).toBe("Invalid Field: 'datetime_to'.");
      expect(await field([{ datetime_from: formatDateTime(now - DAY), datetime_to: formatDateTime(now + 60_000) }])).toBe(
        "Invalid Field: 'datetime_to'.",
      );
      expect(await field([{ datetime_from: formatDateTime(now - DAY), datetime_to: formatDateTime(now - 2 * DAY) }])).toBe(
        "Invalid Field: 'datetime_to'.",
      );
      expect(await field(window({ limit: 0 }))).toBe("Invalid Field: 'limit'.");
      expect(await field(window({ limit: 1001 }))).toBe("Invalid Field: 'limit'.");
      expect(await field(window({ offset: -1 }))).toBe("Invalid Field: 'offset'.");
      expect(await field(window({ sort: 'newest' }))).toBe("Invalid Field: 'sort'.");
      expect(await field(window({ include_metadata: 'yes' }))).toBe("Invalid Field: 'include_metadata'.");
      expect(await field(['x'])).toBe("Invalid Field: 'datetime_from'.");
      // Within the 6 months (1 with metadata) and up to now: fine.
      const ok = await idList({ store, clock: t.clock }, ctx, [
        { datetime_from: formatDateTime(monthsBefore(now, 6) + 1000), datetime_to: to },
      ]);
      expect(ok.body.tasks![0].status_code).toBe(20000);

      for (const [body, code, http] of [
        [undefined, 40502, 200],
        [[], 40502, 200],
        [{ datetime_from: to }, 40503, 200],
      ] as const) {
        const out = await idList({ store, clock: t.clock }, ctx, body);
        expect(out.httpStatus).toBe(http);
        expect(out.body).toMatchObject({ status_code: code, tasks: null, tasks_count: 0 });
      }
    });
  });

  describe('locations and languages', () => {
    const list = async (url: string, req: Parameters<typeof referenceList>[2]) => {
      const out = referenceList({ clock: t.clock }, await ctxFor(store, 'demo', url), req);
      if (out) expect(schemaErrors('get', url, out.body)).toEqual([]);
      return out;
    };

    it('lists every google location and language with the vendor’s row shape', async () => {
      const loc = await list('/v3/serp/google/locations', { kind: 'locations', se: 'google' });
      expect(loc?.body.tasks?.[0]).toMatchObject({
        status_code: 20000,
        cost: 0,
        path: ['v3', 'serp', 'google', 'locations'],
        data: { api: 'serp', function: 'locations', se: 'google' },
      });
      const rows = resultOf(loc!.body);
      expect(rows.length).toBe(LOCATIONS.length);
      expect(rows).toContainEqual({
        location_code: 2840,
        location_name: 'United States',
        location_code_parent: null,
        country_iso_code: 'US',
        location_type: 'Country',
      });
      const lang = await list('/v3/serp/google/languages', { kind: 'languages', se: 'google' });
      expect(resultOf(lang!.body).length).toBe(LANGUAGES.length);
      expect(resultOf(lang!.body)).toContainEqual({ language_name: 'English', language_code: 'en' });
    });

    it('filters by country ISO code, case-insensitively; a malformed code is 40501, an unknown one empty', async () => {
      for (const code of ['us', 'US', 'Us']) {
        const out = await list(`/v3/serp/google/locations/${code}`, { kind: 'locations', se: 'google', country: code });
        const rows = resultOf(out!.body);
        expect(rows.length).toBeGreaterThan(50);
        expect(rows.every((r) => r.country_iso_code === 'US')).toBe(true);
        expect(out!.body.tasks![0].data).toMatchObject({ function: 'locations', country: code });
      }
      const unknown = await list('/v3/serp/google/locations/zz', { kind: 'locations', se: 'google', country: 'zz' });
      expect(unknown!.body.tasks![0]).toMatchObject({ status_code: 20000, result: [], result_count: 0 });
      const bad = await list('/v3/serp/google/locations/usa', { kind: 'locations', se: 'google', country: 'usa' });
      expect(bad!.body.tasks![0]).toMatchObject({ status_code: 40501, status_message: "Invalid Field: 'country'.", result: null });
      expect(bad!.body.tasks_error).toBe(1);
    });

    it('has the per-engine and per-type lists, and none for other paths', async () => {
      for (const se of ['bing', 'youtube', 'yahoo', 'baidu', 'seznam']) {
        const loc = await list(`/v3/serp/${se}/locations`, { kind: 'locations', se });
        expect(resultOf(loc!.body).length).toBe(locationsFor(se)!.length);
        const lang = await list(`/v3/serp/${se}/languages`, { kind: 'languages', se });
        expect(resultOf(lang!.body).length).toBe(languagesFor(se)!.length);
        const country = await list(`/v3/serp/${se}/locations/cz`, { kind: 'locations', se, country: 'cz' });
        expect(resultOf(country!.body).every((r) => r.country_iso_code === 'CZ')).toBe(true);
      }
      expect(locationsFor('baidu')!.every((l) => l.country_iso_code === 'CN')).toBe(true);
      expect(languagesFor('baidu')!.map((l) => l.language_code)).toEqual(['zh-CN']);
      expect(locationsFor('seznam')!.map((l) => l.location_code)).toContain(2203);
      expect(languagesFor('seznam')!.map((l) => l.language_code)).toEqual(['cs']);

      const ai = await list('/v3/serp/google/ai_mode/languages', { kind: 'languages', se: 'google', seType: 'ai_mode' });
      expect(ai!.body.tasks![0].data).toEqual({ api: 'serp', function: 'languages', se: 'google', se_type: 'ai_mode' });
      expect(resultOf(ai!.body).length).toBe(LANGUAGES.length);
      for (const seType of ['ads_advertisers', 'ads_search']) {
        const out = await list(`/v3/serp/google/${seType}/locations`, { kind: 'locations', se: 'google', seType });
        const rows = resultOf(out!.body);
        expect(rows.length).toBeGreaterThan(200);
        expect(rows.every((r) => r.location_code_parent === null)).toBe(true);
      }

      expect(await list('/v3/serp/naver/locations', { kind: 'locations', se: 'naver' })).toBeNull();
      expect(await list('/v3/serp/naver/languages', { kind: 'languages', se: 'naver' })).toBeNull();
      expect(await list('/v3/serp/google/images/locations', { kind: 'locations', se: 'google', seType: 'images' })).toBeNull();
      expect(await list('/v3/serp/google/ai_mode/locations', { kind: 'locations', se: 'google', seType: 'ai_mode' })).toBeNull();
      expect(
        await list('/v3/serp/google/ads_search/locations/us', { kind: 'locations', se: 'google', seType: 'ads_search', country: 'us' }),
      ).toBeNull();
    });
  });

  describe('user_data', () => {
    const url = '/v3/appendix/user_data';

    it('shows login, limits, usage, money and prices, reflecting real use', async () => {
      const auth = await t.addAccount('ud-user', { balance: 10, limits: { requests_per_minute: 500, tasks_ready_per_minute: 7 } });
      await postImages(t, [imagesTask('spend one'), imagesTask('spend two', { priority: 2 })], auth);
      const ads = await t.request('POST', '/v3/keywords_data/google_ads/search_volume/task_post', {
        auth,
        body: [{ keywords: ['spend three'], location_code: 2840 }],
      });
      expect(ads.body.tasks![0]!.cost).toBe(0.06);
      const account = (await store.accountByLogin('ud-user'))!;
      usage.record(account.id, 'task_post');
      usage.record(account.id, 'task_get/advanced', 3);
      usage.record(account.id, 'tasks_ready', 2);
      usage.record(account.id, 'live/html');

      const out = await userData({ store, clock: t.clock, usage }, await ctxFor(store, 'ud-user', url));
      expect(out.httpStatus).toBe(200);
      expect(out.body).toMatchObject({ status_code: 20000, cost: 0, tasks_count: 1, tasks_error: 0 });
      expect(out.body.tasks![0]).toMatchObject({
        status_code: 20000,
        path: ['v3', 'appendix', 'user_data'],
        data: { api: 'appendix', function: 'user_data' },
        result_count: 1,
      });
      const r = resultOf(out.body)[0] as any;
      expect(r.login).toBe('ud-user');
      expect(r.timezone).toBe('UTC');

      expect(r.rates.limits.minute.serp).toMatchObject({
        task_post: 500,
        tasks_ready: 7,
        tasks_fixed: 7,
        task_get: { regular: 500, advanced: 500, html: 500 },
        live: { advanced: 500 },
      });
      expect(r.rates.limits.day.serp).toMatchObject({ task_post: 500 * 1440, tasks_ready: 7 * 1440 });

      const now = t.clock.now();
      const day = new Date(now).toISOString().slice(0, 10);
      const minute = new Date(now).toISOString().slice(0, 16).replace('T', ' ');
      for (const [w, value] of [
        [r.rates.statistics.day, day],
        [r.rates.statistics.minute, minute],
      ] as const) {
        expect(w.value).toBe(value);
        expect(w.serp).toMatchObject({
          task_post: 1,
          tasks_ready: 2,
          task_get: { advanced: 3, regular: 0, html: 0 },
          live: { html: 1, advanced: 0 },
          id_list: 0,
        });
        expect(w.appendix).toMatchObject({ user_data: 1 });
        expect(w.total_serp).toBe(7);
        expect(w.total).toBe(8);
      }

      // 10 USD deposited; 0.0006 + 0.0012 spent today on SERP, 0.06 on Keywords Data (and this minute:
      // the manual clock stands still); per API, with every other API at 0.
      expect(r.money.total).toBe(10);
      expect(r.money.balance).toBe(9.9382);
      expect(r.money.limits.day).toMatchObject({ serp: null, total_serp: null, total_keywords_data: null, total: null });
      for (const [w, value] of [
        [r.money.statistics.day, day],
        [r.money.statistics.minute, minute],
      ] as const) {
        expect(w).toMatchObject({ serp: null, total_serp: 0.0018, keywords_data: null, total_keywords_data: 0.06, total: 0.0618, value });
        expect(w).toMatchObject({ total_dataforseo_labs: 0, total_on_page: 0, total_appendix: 0 });
      }
      expect(r.rates.limits.minute).toMatchObject({ total_keywords_data: 500, total_dataforseo_labs: 500, total: 500 });

      expect(r.price.serp.task_post.priority_normal).toEqual([{ cost_type: 'per_request', cost: 0.0006 }]);
      expect(r.price.serp.task_post.priority_high).toEqual([{ cost_type: 'per_request', cost: 0.0012 }]);
      expect(r.price.serp.live.advanced.priority_normal).toEqual([{ cost_type: 'per_request', cost: 0.002 }]);
      expect(r.price.serp.tasks_ready.priority_normal).toEqual([{ cost_type: 'per_request', cost: 0 }]);
      expect(r.price.appendix.user_data.priority_normal).toEqual([{ cost_type: 'per_request', cost: 0 }]);

      expect(schemaErrors('get', url, out.body, false)).toEqual([]);

      // A daily cost cap shows in money.limits; the next minute starts a new minute window.
      await store.updateAccount('ud-user', { dailyCostLimitMicro: 1_500_000 });
      t.advance(60);
      const later = resultOf((await userData({ store, clock: t.clock, usage }, await ctxFor(store, 'ud-user', url))).body)[0] as any;
      expect(later.money.limits.day).toMatchObject({ total_serp: null, total: 1.5 });
      expect(later.money.statistics.minute.total).toBe(0);
      expect(later.money.statistics.day.total).toBe(0.0618);
      expect(later.rates.statistics.minute.total).toBe(1);
      expect(later.rates.statistics.day.total).toBe(9);
    });
  });
});

// ---- HTTP --------------------------------------------------------------------------------------

/** A real app (its HTTP server has the appendix routes) on a fresh store of the dialect. */
async function withRoutes(dialect: Dialect): Promise<{
  app: App;
  clock: TravelClock;
  request: (method: 'GET' | 'POST', url: string, body?: unknown, auth?: string) => Promise<{ status: number; body: WireEnvelope }>;
  cleanup: () => Promise<void>;
}> {
  const ts = await createTestStore(dialect, `appendix-http-${process.pid}`);
  const config = loadConfig(
    { SERPQ_DB: ts.url, SERPQ_TIME_TRAVEL: '1', SERPQ_ADMIN_TOKEN: ADMIN_TOKEN, SERPQ_SANDBOX_LATENCY: '0', SERPQ_LOG_LEVEL: 'silent' },
    {},
  );
  const app = await createApp(config, { clock: createManualClock(), store: ts.store });
  await app.http.ready();
  return {
    app,
    clock: app.clock as TravelClock,
    async request(method, url, body, auth = basicAuth('demo', 'demo')) {
      const res = await app.http.inject({
        method,
        url,
        headers: { authorization: auth, 'content-type': 'application/json' },
        payload: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.statusCode, body: JSON.parse(res.body) as WireEnvelope };
    },
    async cleanup() {
      await app.close();
      await ts.cleanup();
    },
  };
}

eachDialect('appendix routes', (dialect) => {
  let h: Awaited<ReturnType<typeof withRoutes>>;
  beforeAll(async () => {
    h = await withRoutes(dialect);
  });
  afterAll(async () => {
    await h?.cleanup();
  });

  it('routes the reference lists next to the task routes, and 404s the others', async () => {
    for (const url of [
      '/v3/serp/google/locations',
      '/v3/serp/google/locations/us',
      '/v3/serp/google/languages',
      '/v3/serp/bing/locations/de',
      '/v3/serp/seznam/languages',
      '/v3/serp/google/ai_mode/languages',
      '/v3/serp/google/ads_advertisers/locations',
      '/v3/serp/google/ads_search/locations',
    ]) {
      const res = await h.request('GET', url);
      expect(res.status, url).toBe(200);
      expect(res.body.tasks?.[0]?.status_code, url).toBe(20000);
      expect(res.body.tasks?.[0]?.path, url).toEqual(url.split('/').filter(Boolean));
      expect(schemaErrors('get', url, res.body), url).toEqual([]);
    }
    for (const url of ['/v3/serp/naver/locations', '/v3/serp/google/images/locations', '/v3/serp/google/ai_mode/locations']) {
      const res = await h.request('GET', url);
      expect(res.status, url).toBe(404);
      expect(res.body.status_code, url).toBe(40400);
    }
    // The task routes still answer as before.
    const ready = await h.request('GET', '/v3/serp/google/images/tasks_ready');
    expect(ready.body.tasks?.[0]?.status_code).toBe(20000);
    // Unauthenticated: 401 before any route.
    expect((await h.request('GET', '/v3/serp/google/locations', undefined, basicAuth('demo', 'wrong'))).status).toBe(401);
  });

  it('answers id_list and user_data over HTTP, counting calls by function', async () => {
    // A fresh minute: the calls of the test before count in the day only.
    h.clock.advance(60_000);
    const now = h.clock.now();
    const posted = await h.request('POST', '/v3/serp/google/images/task_post', [imagesTask('http one')]);
    const id = posted.body.tasks![0].id;
    const list = await h.request('POST', '/v3/serp/id_list', [
      { datetime_from: formatDateTime(now - 1000), datetime_to: formatDateTime(now) },
    ]);
    expect(list.status).toBe(200);
    expect(resultOf(list.body).map((r) => r.id)).toEqual([id]);
    expect(schemaErrors('post', '/v3/serp/id_list', list.body)).toEqual([]);
    const broken = await h.request('POST', '/v3/serp/id_list');
    expect(broken.body.status_code).toBe(40502);

    const ud = await h.request('GET', '/v3/appendix/user_data');
    expect(ud.status).toBe(200);
    const r = resultOf(ud.body)[0] as any;
    expect(r.login).toBe('demo');
    expect(r.rates.statistics.minute.serp).toMatchObject({ task_post: 1, id_list: 2, tasks_ready: 0, locations: 0 });
    expect(r.rates.statistics.minute.appendix.user_data).toBe(1);
    // The day has the earlier calls too: 8 lists and tasks_ready (the 404s and the 401 are not counted).
    expect(r.rates.statistics.day.serp).toMatchObject({ task_post: 1, id_list: 2, locations: 5, languages: 3, tasks_ready: 1 });
    expect(schemaErrors('get', '/v3/appendix/user_data', ud.body, false)).toEqual([]);
  });
});
