/**
 * The task flow of one task type of each task-based API outside SERP (Keywords Data, Merchant, App
 * Data, Business Data, AI Optimization, On-Page Lighthouse), on the real HTTP stack and both store
 * dialects: task_post (checked and priced by the catalog), the worker, tasks_ready at the type and API
 * scopes, every task_get function, ownership and path checks, id_list and errors per API, the 3-day
 * tasks_ready window and 30-day retention, postbacks and pingbacks, and bad input. Requests are built
 * from the catalog's documented required fields (minimalRequest).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WireEnvelope } from '../../src/contracts/envelope.js';
import { type ApiCatalog, type ApiName, type Endpoint, loadApi } from '../../src/domain/api-catalog/index.js';
import { taskGetPath, taskPostEndpoint, typeColumns } from '../../src/domain/api-catalog/tasks.js';
import { checkTask } from '../../src/domain/api-catalog/validate.js';
import { endpointChargeMicro } from '../../src/domain/api-pricing.js';
import { formatDateTime } from '../../src/domain/time-format.js';
import { type TestApp, eachDialect, makeTestApp } from '../helpers/app.js';
import { minimalRequest } from '../helpers/catalog-requests.js';
import { findPathTemplate, openapiAvailable, validateResponseForUrl } from '../helpers/openapi.js';
import { type WebhookSink, startSink } from '../helpers/webhook-sink.js';

const FULL_OPENAPI = fileURLToPath(new URL('../../../shared/dataforseo/openapi-full.yaml', import.meta.url));
const DAY = 86_400;
type Row = Record<string, unknown>;

interface Spec {
  readonly type: string;
  readonly api: ApiCatalog;
  readonly post: Endpoint;
  readonly request: Row;
  /** task_get functions (null: `task_get/{id}`). */
  readonly fns: readonly (string | null)[];
  /** The API-wide tasks_ready path listing the type, when the catalog has one. */
  readonly apiScope: string | null;
  /** Another type's task_get URL builder of the same API, and the code it answers for this type's id. */
  readonly others: ReadonlyArray<{ url: (id: string) => string; code: 40002 | 40003 }>;
  readonly hasIdList: boolean;
  readonly hasErrors: boolean;
  /** The field a task without it is rejected for (the first required field or required group). */
  readonly required: string;
}

async function specOf(type: string): Promise<Spec> {
  const api = await loadApi(type.split('/')[0] as ApiName);
  const post = taskPostEndpoint(api, type)!;
  const { se, seType } = typeColumns(type);
  const others: Array<Spec['others'][number]> = [];
  const candidates = Object.values(api.types)
    .filter((o) => o.type !== type && o.taskPost && o.taskGet.length > 0 && o.type !== 'on_page')
    .sort((a, b) => a.type.localeCompare(b.type));
  const sameSe = candidates.find((o) => typeColumns(o.type).se === se && typeColumns(o.type).seType !== seType);
  const otherSe = candidates.find((o) => typeColumns(o.type).se !== se);
  if (sameSe) others.push({ url: (id) => taskGetPath(sameSe.type, sameSe.taskGet[0]!, id), code: 40003 });
  if (otherSe) others.push({ url: (id) => taskGetPath(otherSe.type, otherSe.taskGet[0]!, id), code: 40002 });
  const rules = post.request!;
  return {
    type,
    api,
    post,
    request: minimalRequest(post),
    fns: api.types[type]!.taskGet,
    apiScope: api.tasksReady.find((s) => s.types.length > 1 && s.types.includes(type))?.path ?? null,
    others,
    hasIdList: api.endpoints.some((e) => e.kind === 'id_list'),
    hasErrors: api.endpoints.some((e) => e.kind === 'errors'),
    required: rules.fields.find((f) => f.required)?.name ?? rules.oneOf.find((g) => g.required)!.fields[0]!,
  };
}

const SPECS = await Promise.all(
  [
    'keywords_data/google_ads/search_volume',
    'merchant/google/products',
    'app_data/google/app_searches',
    'business_data/google/reviews',
    'ai_optimization/chat_gpt/llm_responses',
    'on_page/lighthouse',
  ].map(specOf),
);
const byType = (type: string) => SPECS.find((s) => s.type === type)!;

const task0 = (b: WireEnvelope) => b.tasks![0]!;
const resultOf = (b: WireEnvelope): Row[] => (task0(b).result ?? []) as Row[];
const getUrls = (s: Spec, id: string) => s.fns.map((fn) => taskGetPath(s.type, fn, id));

const previousOpenapi = process.env.SERPQ_OPENAPI_FILE;
beforeAll(() => {
  if (existsSync(FULL_OPENAPI)) process.env.SERPQ_OPENAPI_FILE = FULL_OPENAPI;
});
afterAll(() => {
  if (previousOpenapi === undefined) delete process.env.SERPQ_OPENAPI_FILE;
  else process.env.SERPQ_OPENAPI_FILE = previousOpenapi;
});

eachDialect('every task-based API: the task flow', (dialect) => {
  // One app per dialect; each test has its own account, so tasks_ready, id_list, errors, balances
  // and rate limits are its own.
  let t: TestApp;
  let login = '';
  let me = '';
  let accounts = 0;
  beforeAll(async () => {
    t = await makeTestApp({ dialect });
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(async () => {
    login = `user${++accounts}`;
    me = await t.addAccount(login, { balance: 100 });
  });
  afterEach(async () => {
    // Leave nothing queued or undelivered for the next test.
    await t.runWorkers();
    await t.runDeliveries();
  });

  const call = (method: 'GET' | 'POST', url: string, opts: Parameters<TestApp['request']>[2] = {}) =>
    t.request(method, url, { ...opts, auth: opts.auth ?? me });
  const balance = async () =>
    ((await t.request('GET', `/admin/accounts/${login}`, { auth: `Bearer ${t.adminToken}` })).body as unknown as { balance: number })
      .balance;
  const ready = async (url: string, auth?: string): Promise<Row[]> => {
    const res = await call('GET', url, { auth });
    expect([res.status, res.body.status_code, task0(res.body).status_code]).toEqual([200, 20000, 20000]);
    if (openapiAvailable() && findPathTemplate('get', url))
      expect(validateResponseForUrl('get', url, res.body, { nullRefs: true })).toEqual([]);
    return resultOf(res.body);
  };
  const readyIds = async (s: Spec) => (await ready(`/v3/${s.type}/tasks_ready`)).map((r) => r.id);
  const postOne = async (s: Spec, extra: Row = {}, auth?: string): Promise<string> => {
    const res = await call('POST', `/v3/${s.type}/task_post`, { body: [{ ...s.request, ...extra }], auth });
    expect([res.status, res.body.status_code, task0(res.body).status_code], task0(res.body).status_message).toEqual([200, 20000, 20100]);
    return task0(res.body).id;
  };
  const get = async (url: string, auth?: string) => {
    const res = await call('GET', url, { auth });
    expect([res.status, res.body.status_code]).toEqual([200, 20000]);
    return task0(res.body);
  };
  const window = () => ({ datetime_from: formatDateTime(t.clock.now() - 60_000), datetime_to: formatDateTime(t.clock.now()) });

  it.each(SPECS)('$type: posted at its price, run, listed, read by every function, collected, deterministic', async (s) => {
    const before = await balance();
    const res = await call('POST', `/v3/${s.type}/task_post`, { body: [{ ...s.request, tag: 'flow-1' }] });
    const posted = task0(res.body);
    expect([res.status, posted.status_code], posted.status_message).toEqual([200, 20100]);
    const checked = checkTask(s.post, { ...s.request, tag: 'flow-1' });
    if (!checked.ok) throw new Error(checked.message);
    const price = endpointChargeMicro(s.post.path, { live: false, priority: 1 }, checked.params, null) / 1e6;
    expect(price).toBeGreaterThan(0);
    expect([posted.cost, res.body.cost]).toEqual([price, price]);
    expect(before - (await balance())).toBeCloseTo(price, 9);
    const id = posted.id;

    // Queued: every function answers 40602, nothing is listed.
    for (const url of getUrls(s, id)) expect(await get(url)).toMatchObject({ id, status_code: 40602, result: null });
    expect(await readyIds(s)).toEqual([]);

    expect(await t.runWorkers()).toBe(1);
    const rows = await ready(`/v3/${s.type}/tasks_ready`);
    expect(rows.map((r) => r.id)).toEqual([id]);
    const row = rows[0]!;
    expect(row).toMatchObject({ id, tag: 'flow-1' });
    // date_posted where the type's tasks_ready schema has it (Lighthouse rows are id, tag, endpoint_json).
    if ('date_posted' in row) expect(row.date_posted).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+00:00$/);
    else expect(s.type).toBe('on_page/lighthouse');
    const endpoints = Object.entries(row).filter(([k, v]) => k.startsWith('endpoint') && v !== null);
    expect(endpoints.map(([, v]) => v).sort()).toEqual(getUrls(s, id).sort());
    if (s.apiScope) expect((await ready(`/v3/${s.apiScope}`)).map((r) => r.id)).toEqual([id]);
    expect((await ready('/v3/serp/tasks_ready')).map((r) => r.id)).toEqual([]);

    const first = new Map<string, string>();
    for (const [field, url] of endpoints as Array<[string, string]>) {
      const res = await call('GET', url);
      const task = task0(res.body);
      expect([field, res.body.status_code, task.status_code, task.id], task.status_message).toEqual([field, 20000, 20000, id]);
      expect(Array.isArray(task.result) && task.result.length > 0, `${url}: a non-empty result`).toBe(true);
      expect(task.data).toMatchObject({ ...s.request, tag: 'flow-1', api: s.api.api, function: s.type.split('/').pop() });
      if (openapiAvailable() && findPathTemplate('get', url))
        expect(validateResponseForUrl('get', url, res.body, { nullRefs: true })).toEqual([]);
      first.set(url, JSON.stringify(task.result));
    }
    expect(await readyIds(s)).toEqual([]);
    if (s.apiScope) expect(await ready(`/v3/${s.apiScope}`)).toEqual([]);
    t.advance(3600); // read later: the same bytes (rendered from the task, not the clock)
    for (const [url, result] of first) expect(JSON.stringify((await get(url)).result)).toBe(result);
  });

  it.each(SPECS)('$type: another account gets 40001 without data, another type 40003/40002, an unknown id 40401', async (s) => {
    const id = await postOne(s, { tag: 'secret-tag' });
    await t.runWorkers();
    const intruder = await t.addAccount(`${login}-intruder`);
    for (const url of getUrls(s, id)) {
      const task = await get(url, intruder);
      expect([task.status_code, task.result]).toEqual([40001, null]);
      for (const [k, v] of Object.entries({ ...s.request, tag: 'secret-tag' })) expect(task.data?.[k], k).not.toEqual(v);
    }
    expect(await readyIds(s)).toEqual([id]); // the intruder's reads collected nothing
    for (const other of s.others) {
      const task = await get(other.url(id));
      expect({ url: other.url(id), code: task.status_code, result: task.result }).toEqual({
        url: other.url(id),
        code: other.code,
        result: null,
      });
    }
    for (const bad of ['00000000-0000-0000-0000-000000000000', 'not-an-id']) {
      for (const url of getUrls(s, bad)) expect(await get(url)).toMatchObject({ status_code: 40401, result: null });
    }
    expect(await readyIds(s)).toEqual([id]);
  });

  it.each(SPECS)('$type: id_list of its own API lists it; a faulted run answers 40102 and is listed by errors', async (s) => {
    const ok = await postOne(s);
    await t.runWorkers();
    await t.injectFaults(40102, 1);
    const faulted = await postOne(s);
    await t.runWorkers();
    const urls = getUrls(s, faulted);
    for (const url of urls) expect(await get(url)).toMatchObject({ id: faulted, status_code: 40102, result: null });
    if (!s.hasIdList) return; // the catalog has no id_list / errors for this API (AI Optimization)
    const listed = resultOf((await call('POST', `/v3/${s.api.api}/id_list`, { body: [window()] })).body);
    expect(listed.find((r) => r.id === ok)).toMatchObject({ url: `v3/${s.type}/task_post`, status: '20000' });
    expect(listed.find((r) => r.id === faulted)).toMatchObject({ url: `v3/${s.type}/task_post`, status: '40102' });
    for (const other of ['serp', s.api.api === 'merchant' ? 'app_data' : 'merchant']) {
      const rows = resultOf((await call('POST', `/v3/${other}/id_list`, { body: [window()] })).body);
      expect(rows.map((r) => r.id)).not.toContain(ok);
    }
    if (!s.hasErrors) return;
    const errors = resultOf((await call('POST', `/v3/${s.api.api}/errors`, { body: [{}] })).body);
    expect(errors.map((r) => r.id)).toEqual([faulted]);
    expect(errors[0]).toMatchObject({ function: `${s.type}/task_post`, error_code: 40102 });
    const serpErrors = resultOf((await call('POST', '/v3/serp/errors', { body: [{}] })).body);
    expect(serpErrors.map((r) => r.id)).not.toContain(faulted);
  });

  it.each(SPECS)('$type: leaves tasks_ready after 3 days uncollected; results expire after 30 days', async (s) => {
    const id = await postOne(s);
    await t.runWorkers();
    t.advance(3 * DAY - 60);
    expect(await readyIds(s)).toEqual([id]);
    t.advance(61);
    expect(await readyIds(s)).toEqual([]);
    t.advance(27 * DAY);
    for (const url of getUrls(s, id)) expect(await get(url)).toMatchObject({ id, status_code: 40403, result: null });
  });

  it.each(SPECS)('$type: rejects a task without its required field, a non-array body, and the 101st task', async (s) => {
    const before = await balance();
    const missing = { ...s.request };
    delete missing[s.required];
    const res = await call('POST', `/v3/${s.type}/task_post`, { body: [missing] });
    expect([res.status, res.body.status_code, res.body.cost]).toEqual([200, 20000, 0]);
    expect(task0(res.body)).toMatchObject({ status_code: 40501, status_message: `Invalid Field: '${s.required}'.`, cost: 0 });
    await t.runWorkers();
    expect(await readyIds(s)).toEqual([]);
    expect(await balance()).toBe(before);

    for (const raw of [JSON.stringify(s.request), '"text"', '12']) {
      const bad = await call('POST', `/v3/${s.type}/task_post`, { rawBody: raw, headers: { 'content-type': 'application/json' } });
      expect([bad.status, bad.body.status_code, bad.body.status_message]).toEqual([200, 40503, 'POST Data Is Invalid.']);
    }

    const many = await call('POST', `/v3/${s.type}/task_post`, { body: Array.from({ length: 101 }, () => s.request) });
    expect(many.status).toBe(200);
    expect(many.body.tasks!.slice(0, 100).every((x) => x.status_code === 20100)).toBe(true);
    expect(many.body.tasks![100]).toMatchObject({
      status_code: 40006,
      status_message: 'You can set no more than 100 tasks at a time.',
      cost: 0,
    });
    expect(many.body.tasks_error).toBe(1);
  });

  describe('webhooks', () => {
    let sink: WebhookSink;
    beforeEach(async () => {
      sink = await startSink();
    });
    afterEach(async () => {
      await sink.close();
    });
    it.each([
      { type: 'merchant/google/products', fn: 'advanced' as string | null, extra: { postback_data: 'advanced' } },
      { type: 'keywords_data/google_ads/search_volume', fn: null, extra: {} },
    ])(
      '$type: a postback carries the task_get envelope and unlists the task; a pingback GETs and keeps it',
      async ({ type, fn, extra }) => {
        const s = byType(type);
        const pb = await postOne(s, { tag: 'pb', postback_url: `${sink.base}/ok/pb?id=$id`, ...extra });
        const ping = await postOne(s, { tag: 'ping', pingback_url: `${sink.base}/ok/ping?id=$id&tag=$tag` });
        await t.runWorkers();
        expect(await t.runDeliveries()).toBe(2);
        expect(sink.requests.map((r) => `${r.method} ${r.url}`).sort()).toEqual(
          [`GET /ok/ping?id=${ping}&tag=ping`, `POST /ok/pb?id=${pb}`].sort(),
        );
        const post = sink.requests.find((r) => r.method === 'POST')!;
        expect(post.headers['content-encoding']).toBe('gzip');
        expect(await readyIds(s)).toEqual([ping]);

        const sent = (JSON.parse(post.body) as WireEnvelope).tasks![0]!;
        const direct = await get(taskGetPath(s.type, fn, pb));
        expect(sent.id).toBe(pb);
        expect({ status_code: sent.status_code, data: sent.data, result: sent.result }).toEqual({
          status_code: direct.status_code,
          data: direct.data,
          result: direct.result,
        });
        expect(direct.status_code).toBe(20000);
        expect(sent.path).toEqual(taskGetPath(s.type, fn, pb).split('/').slice(1));
      },
    );
  });
});
