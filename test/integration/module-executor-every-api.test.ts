import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { WireEnvelope } from '../../src/contracts/envelope.js';
import { type TestApp, makeTestApp } from '../helpers/app.js';

/**
 * Executors of the user's own for every API: a module with `executeApi` receives the API, the path
 * and the checked fields of each live call and task of another API, its `result` arrays are checked
 * against the catalog's schema of the endpoint's result, and a wrong one fails the call or task with
 * 50000 and a log line. A module without it serves SERP only, as before.
 */
const LABS = 'dataforseo_labs/google/ranked_keywords/live';
const LABS_TASK = { target: 'module.example', location_code: 2840, language_code: 'en', limit: 3 };
const VOLUME = 'keywords_data/google_ads/search_volume';
const VOLUME_TASK = { keywords: ['module shoes'], location_code: 2840, language_code: 'en' };

const first = (env: WireEnvelope) => env.tasks![0]!;

describe('module executors serving other APIs', () => {
  let dir: string;
  let labsResult: unknown[];
  let volumeResult: unknown[];
  const apps: TestApp[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'serpq-module-apis-'));
    // Results in the official shapes: the sandbox's, which the module hands back as its own.
    const sandbox = await makeTestApp();
    labsResult = first((await sandbox.request('POST', `/v3/${LABS}`, { body: [LABS_TASK] })).body).result!;
    const id = first((await sandbox.request('POST', `/v3/${VOLUME}/task_post`, { body: [VOLUME_TASK] })).body).id;
    await sandbox.runWorkers();
    volumeResult = first((await sandbox.request('GET', `/v3/${VOLUME}/task_get/${id}`)).body).result!;
    await sandbox.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => {
    for (const a of apps.splice(0)) await a.close();
    vi.restoreAllMocks();
  });

  function moduleFile(name: string, body: string): string {
    const file = join(dir, name);
    writeFileSync(file, body);
    return file;
  }

  async function withModule(file: string): Promise<TestApp> {
    const a = await makeTestApp({ env: { SERPQ_EXECUTOR: file } });
    apps.push(a);
    return a;
  }

  const serving = () =>
    moduleFile(
      'every-api.mjs',
      `
const LABS = ${JSON.stringify(labsResult)};
const VOLUME = ${JSON.stringify(volumeResult)};
export default function factory() {
  return {
    async execute() { return { status_code: 40102 }; },
    async executeApi(task) {
      globalThis.__serpqModuleSeen = [...(globalThis.__serpqModuleSeen ?? []), task];
      if (task.path === '${LABS}') {
        if (task.data.target === 'bad.example') return { result: [{ ...LABS[0], itemz_count: 1 }] };
        if (task.data.target === 'boom.example') throw new Error('fetcher exploded');
        return { result: LABS.map((r) => ({ ...r, target: task.data.target })) };
      }
      if (task.path === '${VOLUME}') {
        if (task.data.keywords[0] === 'wrong type') return { results: { task_get: [{ ...VOLUME[0], search_volume: 'many' }] } };
        return { results: { task_get: VOLUME.map((r) => ({ ...r, keyword: task.data.keywords[0] })) } };
      }
      return { status_code: 40400 };
    },
  };
}
`,
    );

  it('answers a Labs live call and a Keywords Data task with the module’s results, given the API, path and fields', async () => {
    const t = await withModule(serving());
    const got = first((await t.request('POST', `/v3/${LABS}`, { body: [{ ...LABS_TASK, tag: 'x' }] })).body);
    expect(got.status_code).toBe(20000);
    expect(got.result).toEqual((labsResult as Array<Record<string, unknown>>).map((r) => ({ ...r, target: 'module.example' })));

    const posted = first((await t.request('POST', `/v3/${VOLUME}/task_post`, { body: [{ ...VOLUME_TASK }] })).body);
    expect(posted.status_code).toBe(20100);
    await t.runWorkers();
    const task = first((await t.request('GET', `/v3/${VOLUME}/task_get/${posted.id}`)).body);
    expect(task.status_code).toBe(20000);
    expect(task.result).toEqual((volumeResult as Array<Record<string, unknown>>).map((r) => ({ ...r, keyword: 'module shoes' })));
    const ready = first((await t.request('GET', `/v3/${VOLUME}/tasks_ready`)).body);
    expect(ready.result).toEqual([]);

    const seen = (globalThis as { __serpqModuleSeen?: Array<Record<string, unknown>> }).__serpqModuleSeen!;
    expect(seen[0]).toMatchObject({ id: null, api: 'dataforseo_labs', path: LABS, kind: 'live', functions: [], data: LABS_TASK });
    expect(seen[1]).toMatchObject({
      id: posted.id,
      api: 'keywords_data',
      path: VOLUME,
      kind: 'task',
      functions: ['task_get'],
      data: VOLUME_TASK,
    });
  });

  it('fails a result that does not match the schema, and a throw, with 50000 and a log line', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: unknown) => void lines.push(String(line)));
    const t = await withModule(serving());
    const bad = first((await t.request('POST', `/v3/${LABS}`, { body: [{ ...LABS_TASK, target: 'bad.example' }] })).body);
    expect(bad.status_code).toBe(50000);
    const boom = first((await t.request('POST', `/v3/${LABS}`, { body: [{ ...LABS_TASK, target: 'boom.example' }] })).body);
    expect(boom.status_code).toBe(50000);
    const posted = first(
      (await t.request('POST', `/v3/${VOLUME}/task_post`, { body: [{ ...VOLUME_TASK, keywords: ['wrong type'] }] })).body,
    );
    await t.runWorkers();
    expect(first((await t.request('GET', `/v3/${VOLUME}/task_get/${posted.id}`)).body).status_code).toBe(50000);
    expect(lines).toEqual([
      expect.stringMatching(
        /every-api\.mjs: task \(a live call\): dataforseo_labs\/google\/ranked_keywords\/live: result\[0\]\.itemz_count: not a field/,
      ),
      expect.stringMatching(
        /every-api\.mjs: task \(a live call\): dataforseo_labs\/google\/ranked_keywords\/live: threw: fetcher exploded/,
      ),
      expect.stringMatching(
        new RegExp(
          `every-api\\.mjs: task ${posted.id}: keywords_data/google_ads/search_volume/task_get: result\\[0\\]\\.search_volume: expected a number, got string`,
        ),
      ),
    ]);
  });

  it('a module without executeApi serves SERP only: the other APIs answer 404', async () => {
    const t = await withModule(
      moduleFile('serp-only.mjs', 'export default () => ({ async execute() { return { status_code: 40102 }; } });'),
    );
    const got = await t.request('POST', `/v3/${LABS}`, { body: [LABS_TASK] });
    expect(got.status).toBe(404);
    expect(got.body.status_code).toBe(40400);
  });
});
