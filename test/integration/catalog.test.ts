import { afterAll, beforeAll, expect, it } from 'vitest';
import { CATALOG, type ResultFunction } from '../../src/domain/catalog.js';
import { livePriceMicro, microToUsd, taskPostPriceMicro } from '../../src/domain/pricing.js';
import { type TestApp, eachDialect, makeTestApp, minimalTask } from '../helpers/app.js';
import { findPathTemplate, openapiAvailable, validateResponseForUrl } from '../helpers/openapi.js';

const FUNCTIONS: ResultFunction[] = ['regular', 'advanced', 'html'];
const CONFORMANCE = openapiAvailable();

function conforms(method: 'get' | 'post', url: string, body: unknown): void {
  // bing/local_pack is documented by the vendor but absent from the official OpenAPI file.
  if (!CONFORMANCE || !findPathTemplate(method, url)) return;
  expect({ url, errors: validateResponseForUrl(method, url, body) }).toEqual({ url, errors: [] });
}

/**
 * Table-driven over the catalog: every type's task_post, tasks_ready rows, task_get functions (and the
 * 404 of the missing ones), tasks_fixed and live endpoints answer as the catalog says, and (when the
 * official OpenAPI file is present) every answer validates against the schema of its path.
 */
eachDialect('every engine and type', (dialect) => {
  let t: TestApp;
  const posted = new Map<string, string>();
  beforeAll(async () => {
    t = await makeTestApp({ dialect });
    await t.app.store.updateAccount('demo', {
      limits: { tasksReadyPerMinute: 100_000, requestsPerMinute: 100_000 },
      balanceMicro: 1_000_000_000,
    });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('task_post creates a task of every type, priced by the catalog', async () => {
    for (const def of CATALOG) {
      const url = `/v3/serp/${def.se}/${def.seType}/task_post`;
      const res = await t.request('POST', url, { body: [minimalTask(def)] });
      const task = res.body.tasks?.[0];
      expect({ url, code: task?.status_code, message: task?.status_message }).toEqual({ url, code: 20100, message: 'Task Created.' });
      expect(task!.cost).toBe(microToUsd(taskPostPriceMicro(def, { priority: 1, depth: def.depth?.default ?? 10, hasOperators: false })));
      expect(task!.data).toMatchObject({ api: 'serp', function: 'task_post', se: def.se, se_type: def.seType, device: def.devices[0] });
      conforms('post', url, res.body);
      posted.set(`${def.se}/${def.seType}`, task!.id);
    }
    expect(posted.size).toBe(CATALOG.length);
    await t.runWorkers();
  });

  it('lists every task at its type and engine scope with the catalog’s endpoint fields', async () => {
    for (const def of CATALOG) {
      const id = posted.get(`${def.se}/${def.seType}`)!;
      const url = `/v3/serp/${def.se}/${def.seType}/tasks_ready`;
      const res = await t.request('GET', url);
      const rows = res.body.tasks![0].result as Array<Record<string, unknown>>;
      expect({ url, rows: rows.map((r) => r.id) }).toEqual({ url, rows: [id] });
      for (const fn of FUNCTIONS) {
        expect(rows[0][`endpoint_${fn}`]).toBe(
          def.getFunctions.includes(fn) ? `/v3/serp/${def.se}/${def.seType}/task_get/${fn}/${id}` : null,
        );
      }
      conforms('get', url, res.body);
    }
    for (const se of new Set(CATALOG.map((d) => d.se))) {
      const res = await t.request('GET', `/v3/serp/${se}/tasks_ready`);
      const ids = (res.body.tasks![0].result as Array<{ id: string }>).map((r) => r.id).sort();
      expect(ids).toEqual(
        CATALOG.filter((d) => d.se === se)
          .map((d) => posted.get(`${d.se}/${d.seType}`)!)
          .sort(),
      );
    }
  });

  it('answers tasks_fixed where the type has it and 404 elsewhere', async () => {
    for (const def of CATALOG) {
      const url = `/v3/serp/${def.se}/${def.seType}/tasks_fixed`;
      const res = await t.request('GET', url);
      expect({ url, status: res.status }).toEqual({ url, status: def.tasksFixed ? 200 : 404 });
      if (def.tasksFixed) conforms('get', url, res.body);
    }
  });

  it('returns a result for every task_get function of every type, and 404 for the functions a type lacks', async () => {
    for (const def of CATALOG) {
      const id = posted.get(`${def.se}/${def.seType}`)!;
      for (const fn of FUNCTIONS) {
        const url = `/v3/serp/${def.se}/${def.seType}/task_get/${fn}/${id}`;
        const res = await t.request('GET', url);
        if (!def.getFunctions.includes(fn)) {
          expect({ url, status: res.status }).toEqual({ url, status: 404 });
          continue;
        }
        const task = res.body.tasks![0];
        expect({ url, code: task.status_code, results: task.result_count }).toEqual({ url, code: 20000, results: 1 });
        conforms('get', url, res.body);
      }
      // The example id answers for every function too.
      const example = await t.request(
        'GET',
        `/v3/serp/${def.se}/${def.seType}/task_get/${def.getFunctions[0]}/00000000-0000-0000-0000-000000000000`,
      );
      expect(example.body.tasks![0].status_code).toBe(20000);
    }
  });

  it('runs every live endpoint synchronously at the live price; other live paths are 404', async () => {
    for (const def of CATALOG) {
      for (const fn of FUNCTIONS) {
        const url = `/v3/serp/${def.se}/${def.seType}/live/${fn}`;
        const res = await t.request('POST', url, { body: [minimalTask(def, 'live keyword'), minimalTask(def, 'second')] });
        if (!def.live.includes(fn)) {
          expect({ url, status: res.status }).toEqual({ url, status: 404 });
          continue;
        }
        const [first, extra] = res.body.tasks!;
        expect({ url, code: first.status_code, results: first.result_count }).toEqual({ url, code: 20000, results: 1 });
        expect(first.cost).toBe(microToUsd(livePriceMicro(def, { depth: def.depth?.default ?? 10, hasOperators: false })));
        expect(first.data).toMatchObject({ function: 'live', se: def.se, se_type: def.seType });
        expect(extra).toMatchObject({ status_code: 40000, cost: 0 });
        expect(res.body.cost).toBe(first.cost);
        conforms('post', url, res.body);
      }
    }
    // Live tasks never appear on tasks_ready.
    const ready = await t.request('GET', '/v3/serp/tasks_ready');
    expect(ready.body.tasks![0].result).toEqual([]);
  });
});
