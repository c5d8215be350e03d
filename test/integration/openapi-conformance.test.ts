/**
 * Every implemented endpoint's response body against the 200 response schema of the vendor's own
 * OpenAPI document (../shared/dataforseo/openapi-serp.yaml), through the real HTTP stack. Skips when
 * the document is absent. `requireAllProperties` makes every property the official result/item
 * schemas declare mandatory inside `tasks[].result`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, imagesTask, makeTestApp, postImages } from '../helpers/app.js';
import { findPathTemplate, listPaths, openapiAvailable, validateResponse, validateResponseForUrl } from '../helpers/openapi.js';

const STRICT = { requireAllProperties: true } as const;
const EXAMPLE_ID = '00000000-0000-0000-0000-000000000000';

describe.skipIf(!openapiAvailable())('responses conform to the official OpenAPI schema', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Parsing the ~1.5 MB YAML is slow on a loaded machine: do it once, up front.
    expect(listPaths().length).toBeGreaterThan(0);
    t = await makeTestApp();
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  /** Posts tasks, runs them, and returns their ids. */
  async function completed(keywords: string[], extra: Record<string, unknown> = {}): Promise<string[]> {
    const ids = await postImages(
      t,
      keywords.map((k, n) => imagesTask(k, { tag: `tag-${n}`, ...extra })),
    );
    await t.runWorkers();
    return ids;
  }

  it('has templates for the implemented paths (and none for the engine-scope tasks_ready)', () => {
    expect(findPathTemplate('post', '/v3/serp/google/images/task_post')).toBe('/v3/serp/google/images/task_post');
    expect(findPathTemplate('get', '/v3/serp/google/images/task_get/advanced/abc')).toBe('/v3/serp/google/images/task_get/advanced/{id}');
    expect(findPathTemplate('get', '/v3/serp/google/images/task_get/html/abc')).toBe('/v3/serp/google/images/task_get/html/{id}');
    expect(findPathTemplate('get', '/v3/serp/google/images/tasks_ready')).toBe('/v3/serp/google/images/tasks_ready');
    expect(findPathTemplate('get', '/v3/serp/google/images/tasks_fixed')).toBe('/v3/serp/google/images/tasks_fixed');
    expect(findPathTemplate('get', '/v3/serp/tasks_ready')).toBe('/v3/serp/tasks_ready');
    expect(findPathTemplate('get', '/v3/appendix/errors')).toBe('/v3/appendix/errors');
    expect(findPathTemplate('get', '/v3/serp/google/tasks_ready')).toBeUndefined();
  });

  it('validator sanity: a broken body is rejected', async () => {
    const [id] = await completed(['validator sanity']);
    const url = `/v3/serp/google/images/task_get/advanced/${id}`;
    const res = await t.request('GET', url);
    const body = structuredClone(res.body) as unknown as {
      tasks: Array<{ result: Array<{ items_count: unknown; items: Array<Record<string, unknown>> }> }>;
    };
    body.tasks[0]!.result[0]!.items_count = 'many';
    body.tasks[0]!.result[0]!.items[0]!.type = 'no_such_item';
    delete body.tasks[0]!.result[0]!.items[1]!.rank_group;
    const errors = validateResponseForUrl('get', url, body, STRICT);
    expect(errors).toContain('tasks[0].result[0].items_count: expected integer, got string');
    expect(errors.some((e) => e.startsWith("tasks[0].result[0].items[0]: unknown item type 'no_such_item'"))).toBe(true);
    expect(errors).toContain('tasks[0].result[0].items[1].rank_group: missing property (declared by the schema)');
  });

  describe('POST /v3/serp/google/images/task_post', () => {
    const url = '/v3/serp/google/images/task_post';

    it('one valid task (all optional fields set)', async () => {
      const res = await t.request('POST', url, {
        body: [
          imagesTask('albert einstein', {
            tag: 'conformance',
            priority: 2,
            depth: 30,
            os: 'macos',
            pingback_url: 'http://127.0.0.1:9/ping?id=$id&tag=$tag',
          }),
        ],
      });
      expect(res.status).toBe(200);
      expect(res.body.tasks?.[0]?.status_code).toBe(20100);
      expect(validateResponseForUrl('post', url, res.body, STRICT)).toEqual([]);
    });

    it('a valid task mixed with invalid ones', async () => {
      const res = await t.request('POST', url, {
        body: [
          imagesTask('valid one'),
          { location_code: 2840, language_code: 'en' },
          imagesTask('bad depth', { depth: 'x' }),
          imagesTask('bad priority', { priority: 7 }),
        ],
      });
      expect(res.status).toBe(200);
      const codes = res.body.tasks!.map((task) => task.status_code);
      expect(codes[0]).toBe(20100);
      expect(codes.slice(1).every((c) => c >= 40000)).toBe(true);
      expect(res.body.tasks_error).toBe(3);
      expect(validateResponseForUrl('post', url, res.body, STRICT)).toEqual([]);
    });

    it('more than 100 tasks', async () => {
      const body = Array.from({ length: 101 }, (_, n) => imagesTask(`kw ${n}`));
      const res = await t.request('POST', url, { body });
      expect(res.status).toBe(200);
      // The first 100 are created; every task past the 100th is refused on its own with 40006.
      expect(res.body.status_code).toBe(20000);
      const codes = res.body.tasks!.map((task) => task.status_code);
      expect(codes).toHaveLength(101);
      expect(codes.slice(0, 100).every((c) => c === 20100)).toBe(true);
      expect(codes[100]).toBe(40006);
      expect(res.body.tasks_error).toBe(1);
      expect(validateResponseForUrl('post', url, res.body, STRICT)).toEqual([]);
    });

    it('an empty body (40502)', async () => {
      const res = await t.request('POST', url, { rawBody: '', headers: { 'content-type': 'application/json' } });
      expect(res.body.status_code).toBe(40502);
      expect(validateResponseForUrl('post', url, res.body, STRICT)).toEqual([]);
    });

    it('an empty array', async () => {
      const res = await t.request('POST', url, { body: [] });
      expect(res.body.status_code).toBe(40502);
      expect(validateResponseForUrl('post', url, res.body, STRICT)).toEqual([]);
    });

    it('a malformed body (40503)', async () => {
      const res = await t.request('POST', url, { rawBody: '[{"keyword": "x",', headers: { 'content-type': 'application/json' } });
      expect(res.body.status_code).toBe(40503);
      expect(validateResponseForUrl('post', url, res.body, STRICT)).toEqual([]);
    });
  });

  describe('tasks_ready / tasks_fixed', () => {
    let ids: string[];
    beforeAll(async () => {
      ids = await completed(['ready one', 'ready two']);
    });

    it('GET /v3/serp/google/images/tasks_ready', async () => {
      const url = '/v3/serp/google/images/tasks_ready';
      const res = await t.request('GET', url);
      const listed = (res.body.tasks![0]!.result as Array<{ id: string }>).map((r) => r.id);
      expect(listed).toEqual(expect.arrayContaining(ids));
      expect(validateResponseForUrl('get', url, res.body, STRICT)).toEqual([]);
    });

    it('GET /v3/serp/tasks_ready', async () => {
      const url = '/v3/serp/tasks_ready';
      const res = await t.request('GET', url);
      const listed = (res.body.tasks![0]!.result as Array<{ id: string }>).map((r) => r.id);
      expect(listed).toEqual(expect.arrayContaining(ids));
      expect(validateResponseForUrl('get', url, res.body, STRICT)).toEqual([]);
    });

    it('GET /v3/serp/google/tasks_ready (not in the yaml: checked against /v3/serp/tasks_ready)', async () => {
      const res = await t.request('GET', '/v3/serp/google/tasks_ready');
      const listed = (res.body.tasks![0]!.result as Array<{ id: string }>).map((r) => r.id);
      expect(listed).toEqual(expect.arrayContaining(ids));
      expect(validateResponse('get', '/v3/serp/tasks_ready', res.body, STRICT)).toEqual([]);
    });

    it('GET /v3/serp/google/images/tasks_fixed', async () => {
      const url = '/v3/serp/google/images/tasks_fixed';
      const res = await t.request('GET', url);
      expect(res.body.status_code).toBe(20000);
      expect(validateResponseForUrl('get', url, res.body, STRICT)).toEqual([]);
    });
  });

  describe('task_get', () => {
    it('advanced of a completed task (every declared field present)', async () => {
      const [id] = await completed(['albert einstein']);
      const url = `/v3/serp/google/images/task_get/advanced/${id}`;
      const res = await t.request('GET', url);
      expect(res.body.tasks![0]!.status_code).toBe(20000);
      const items = (res.body.tasks![0]!.result![0] as { items: Array<{ type: string }> }).items;
      expect(new Set(items.map((i) => i.type))).toEqual(new Set(['carousel', 'images_search', 'related_searches']));
      expect(validateResponseForUrl('get', url, res.body, STRICT)).toEqual([]);
    });

    it('advanced of a completed task with a small depth and high priority', async () => {
      const [id] = await completed(['marie curie'], { depth: 10, priority: 2 });
      const url = `/v3/serp/google/images/task_get/advanced/${id}`;
      const res = await t.request('GET', url);
      expect(res.body.tasks![0]!.status_code).toBe(20000);
      expect(validateResponseForUrl('get', url, res.body, STRICT)).toEqual([]);
    });

    it('html of a completed task (every declared field present)', async () => {
      const [id] = await completed(['nikola tesla']);
      const url = `/v3/serp/google/images/task_get/html/${id}`;
      const res = await t.request('GET', url);
      expect(res.body.tasks![0]!.status_code).toBe(20000);
      expect(validateResponseForUrl('get', url, res.body, STRICT)).toEqual([]);
    });

    it(`advanced of the example id ${EXAMPLE_ID}`, async () => {
      const url = `/v3/serp/google/images/task_get/advanced/${EXAMPLE_ID}`;
      const res = await t.request('GET', url);
      expect(res.status).toBe(200);
      expect(res.body.tasks![0]!.status_code).toBe(20000);
      expect(res.body.tasks![0]!.result?.length).toBe(1);
      expect(validateResponseForUrl('get', url, res.body, STRICT)).toEqual([]);
    });

    it(`html of the example id ${EXAMPLE_ID}`, async () => {
      const url = `/v3/serp/google/images/task_get/html/${EXAMPLE_ID}`;
      const res = await t.request('GET', url);
      expect(res.status).toBe(200);
      expect(validateResponseForUrl('get', url, res.body, STRICT)).toEqual([]);
    });

    it('of a queued task (40602)', async () => {
      const q = await makeTestApp({ latency: '60s' });
      try {
        const [id] = await postImages(q, [imagesTask('still queued', { tag: 'q' })]);
        expect(await q.runWorkers()).toBe(0);
        for (const fn of ['advanced', 'html']) {
          const url = `/v3/serp/google/images/task_get/${fn}/${id}`;
          const res = await q.request('GET', url);
          expect(res.body.tasks![0]!.status_code).toBe(40602);
          expect(validateResponseForUrl('get', url, res.body, STRICT)).toEqual([]);
        }
        const readyUrl = '/v3/serp/google/images/tasks_ready';
        const empty = await q.request('GET', readyUrl);
        expect(empty.body.tasks![0]!.result).toEqual([]);
        expect(validateResponseForUrl('get', readyUrl, empty.body, STRICT)).toEqual([]);
      } finally {
        await q.close();
      }
    });

    it('of an unknown id (40401)', async () => {
      const unknown = '01234567-89ab-4cde-8f01-23456789abcd';
      for (const fn of ['advanced', 'html']) {
        const url = `/v3/serp/google/images/task_get/${fn}/${unknown}`;
        const res = await t.request('GET', url);
        expect(res.body.tasks![0]!.status_code).toBe(40401);
        expect(validateResponseForUrl('get', url, res.body, STRICT)).toEqual([]);
      }
    });

    it('of a malformed id', async () => {
      const url = '/v3/serp/google/images/task_get/advanced/not-a-task-id';
      const res = await t.request('GET', url);
      expect(res.body.tasks![0]!.status_code).toBe(40401);
      expect(validateResponseForUrl('get', url, res.body, STRICT)).toEqual([]);
    });
  });

  it('GET /v3/appendix/errors', async () => {
    const url = '/v3/appendix/errors';
    const res = await t.request('GET', url);
    expect(res.body.status_code).toBe(20000);
    const result = res.body.tasks![0]!.result as Array<{ code: number; message: string }>;
    expect(result.map((r) => r.code)).toEqual(expect.arrayContaining([20000, 40100, 40401, 40501, 40502, 40503, 40602]));
    expect(validateResponseForUrl('get', url, res.body, STRICT)).toEqual([]);
  });

  it('a 401 envelope still parses as the endpoint schema', async () => {
    const url = '/v3/serp/google/images/tasks_ready';
    const res = await t.request('GET', url, { auth: 'Basic ' + Buffer.from('demo:wrong').toString('base64') });
    expect(res.status).toBe(401);
    expect(res.body.status_code).toBe(40100);
    expect(validateResponseForUrl('get', url, res.body, STRICT)).toEqual([]);
  });
});
