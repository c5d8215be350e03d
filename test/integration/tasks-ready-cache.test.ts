import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServiceDeps } from '../../src/services/deps.js';
import { listReady } from '../../src/services/list-ready.js';
import { type TestApp, basicAuth, eachDialect, imagesTask, makeTestApp, postImages, readyIds } from '../helpers/app.js';
import { killAllServers, startServer, startWorker } from '../helpers/server-process.js';

/**
 * tasks_ready pages kept as bytes (src/services/list-ready.ts): the same bytes as a fresh read, and
 * never a page the ready set has left behind: after a completion, a collection, the 3-day window
 * passing, and when another process on the same SQLite file completes or collects.
 */
const READY = '/v3/serp/google/images/tasks_ready';
const SCOPES = [READY, '/v3/serp/google/tasks_ready', '/v3/serp/tasks_ready', `${READY}?x=1`];

/** The envelope text without this call's own fields (id, time). */
function normalise(text: string): string {
  return text.replace(/"time":"[^"]*"/g, '"time":"T"').replace(/("tasks":\[\{"id":")[^"]*"/, '$1ID"');
}

eachDialect('tasks_ready page cache', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp({ dialect });
    await t.app.store.updateAccount('demo', { limits: { tasksReadyPerMinute: 10_000 } });
  });
  afterEach(async () => {
    await t.close();
  });

  /** The page as the uncached (async) path builds it at this moment. */
  const fresh = async (url: string): Promise<string> => {
    const [, se, seType] = /^\/v3\/serp(?:\/([^/?]+))?(?:\/([^/?]+))?\/tasks_ready/.exec(url) ?? [];
    const account = (await t.app.store.accountByLogin('demo'))!;
    const deps = { store: t.app.store, clock: t.app.clock } as unknown as ServiceDeps;
    return listReady(deps, { account, url, startedAt: performance.now() }, { api: 'serp', se, seType });
  };

  it('answers the same bytes as a fresh read, apart from the call id and time, on repeated calls', async () => {
    await postImages(t, [imagesTask('a "quoted" \\ keyword'), imagesTask('ünïcødé ✓ 𝄞'), imagesTask('plain')]);
    await t.runWorkers();
    for (const url of SCOPES) {
      const first = await t.request('GET', url);
      const second = await t.request('GET', url);
      expect(first.body.tasks![0].result_count).toBe(3);
      expect(normalise(second.text)).toBe(normalise(first.text));
      expect(normalise(second.text)).toBe(normalise(await fresh(url)));
      expect(second.body.tasks![0].id).not.toBe(first.body.tasks![0].id);
    }
    // A page past the size kept as text (sent as head + cached bytes).
    const ids = await postImages(
      t,
      Array.from({ length: 100 }, (_, i) => imagesTask(`kw ${i} ${'x'.repeat(40)}`)),
    );
    await t.runWorkers();
    await t.request('GET', READY);
    const big = await t.request('GET', READY);
    expect(big.body.tasks![0].result_count).toBe(103);
    expect(big.text.length).toBeGreaterThan(8 * 1024);
    expect(normalise(big.text)).toBe(normalise(await fresh(READY)));
    expect(Number(big.headers['content-length'])).toBe(Buffer.byteLength(big.text));
    expect((big.body.tasks![0].result as Array<{ id: string }>).map((r) => r.id)).toEqual(expect.arrayContaining(ids));
  });

  it('shows a completion at once after a cached empty page', async () => {
    expect(await readyIds(t)).toEqual([]);
    expect(await readyIds(t)).toEqual([]);
    const [id] = await postImages(t, [imagesTask('eiffel tower')]);
    expect(await readyIds(t)).toEqual([]);
    await t.runWorkers();
    expect(await readyIds(t)).toEqual([id]);
    expect(await readyIds(t, '/v3/serp/tasks_ready')).toEqual([id]);
  });

  it('drops a collected task at once from a cached page', async () => {
    const ids = await postImages(t, [imagesTask('one'), imagesTask('two')]);
    await t.runWorkers();
    expect(new Set(await readyIds(t))).toEqual(new Set(ids));
    expect(new Set(await readyIds(t))).toEqual(new Set(ids));
    const got = await t.request('GET', `/v3/serp/google/images/task_get/advanced/${ids[0]}`);
    expect(got.body.tasks![0].status_code).toBe(20000);
    expect(await readyIds(t)).toEqual([ids[1]]);
    expect(await readyIds(t, '/v3/serp/google/tasks_ready')).toEqual([ids[1]]);
  });

  it('drops tasks when the 3-day window passes them (clock advanced, nothing written)', async () => {
    const [old] = await postImages(t, [imagesTask('old')]);
    await t.runWorkers();
    t.advance(3600);
    const [young] = await postImages(t, [imagesTask('young')]);
    await t.runWorkers();
    expect(await readyIds(t)).toEqual([old, young]);
    // Exactly at the edge the oldest is still in (completed_at >= now - 3 days) ...
    t.advance(3 * 86_400 - 3600);
    expect(await readyIds(t)).toEqual([old, young]);
    // ... one second later it is gone, and the younger one an hour after that.
    t.advance(1);
    expect(await readyIds(t)).toEqual([young]);
    t.advance(3600);
    expect(await readyIds(t)).toEqual([]);
  });

  it('keeps separate accounts and scopes apart', async () => {
    const other = await t.addAccount('other-acct', { limits: { tasks_ready_per_minute: 10_000 } });
    const [mine] = await postImages(t, [imagesTask('mine')]);
    await t.runWorkers();
    expect(await readyIds(t)).toEqual([mine]);
    expect(await readyIds(t, READY, other)).toEqual([]);
    expect(await readyIds(t, '/v3/serp/bing/tasks_ready')).toEqual([]);
    const [theirs] = await postImages(t, [imagesTask('theirs')], other);
    await t.runWorkers();
    expect(await readyIds(t, READY, other)).toEqual([theirs]);
    expect(await readyIds(t)).toEqual([mine]);
  });
});

describe('tasks_ready page cache across processes sharing one SQLite file', () => {
  const TOKEN = 'ready-cache-admin-token';
  const AUTH = basicAuth('demo', 'demo');
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'serpq-ready-cache-'));
  });
  afterEach(async () => {
    await killAllServers();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Calls made per server and path (the metrics must count each once). */
  const calls = new Map<string, number>();
  const get = async (base: string, path: string) => {
    calls.set(base + path, (calls.get(base + path) ?? 0) + 1);
    const res = await fetch(base + path, { headers: { authorization: AUTH } });
    const text = await res.text();
    expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(text));
    return { text, ids: ((JSON.parse(text).tasks[0].result ?? []) as Array<{ id: string }>).map((r) => r.id) };
  };

  it('shows completions by a worker process and drops tasks collected through another server', async () => {
    const db = join(dir, 'serpq.db');
    const api = await startServer({ db, adminToken: TOKEN, noWorkers: true });
    const other = await startServer({ db, adminToken: TOKEN, noWorkers: true });
    // The test polls tasks_ready until the worker is done: more than the default 20 calls a minute
    // on a slow machine, and a 40202 answer lists nothing.
    const raised = await fetch(`${api.base}/admin/accounts/demo`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ limits: { tasks_ready_per_minute: 100_000 } }),
    });
    expect(raised.status).toBe(200);
    const posted = await fetch(`${api.base}/v3/serp/google/images/task_post`, {
      method: 'POST',
      headers: { authorization: AUTH },
      body: JSON.stringify(
        Array.from({ length: 60 }, (_, i) => ({ keyword: `kw ${i} ${'y'.repeat(120)}`, location_code: 2840, language_code: 'en' })),
      ),
    });
    const ids = ((await posted.json()) as { tasks: Array<{ id: string }> }).tasks.map((x) => x.id);
    // Cached while empty: nothing has run yet.
    expect((await get(api.base, READY)).ids).toEqual([]);
    expect((await get(api.base, READY)).ids).toEqual([]);

    // Another process completes them: the API server's page must follow (it never writes meanwhile).
    // Polled back to back (each poll is a real round trip), bounded by the test's timeout.
    const worker = await startWorker({ db });
    let seen: string[] = [];
    while (seen.length < ids.length) seen = (await get(api.base, READY)).ids;
    expect(new Set(seen)).toEqual(new Set(ids));
    await worker.kill();

    // Cached full page (bytes), identical to what the other server reads fresh.
    const a = await get(api.base, READY);
    const b = await get(other.base, READY);
    expect(normalise(a.text)).toBe(normalise(b.text));

    // Collected through the other server: gone from the API server's very next answer.
    const got = await fetch(`${other.base}/v3/serp/google/images/task_get/advanced/${ids[0]}`, { headers: { authorization: AUTH } });
    expect(((await got.json()) as { tasks: Array<{ status_code: number }> }).tasks[0].status_code).toBe(20000);
    const after = await get(api.base, READY);
    expect(after.ids).toHaveLength(ids.length - 1);
    expect(after.ids).not.toContain(ids[0]);
    expect((await get(api.base, '/v3/serp/tasks_ready')).ids).not.toContain(ids[0]);

    // The raw path's answers are counted under the route pattern of their scope.
    const scraped = await (await fetch(`${api.base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    const count = (route: string) =>
      Number(
        new RegExp(
          `serpq_http_requests_total\\{method="GET",route="${route.replace(/[/:]/g, (c) => `\\${c}`)}",status_code="200"\\} (\\d+)`,
        ).exec(scraped)?.[1] ?? 0,
      );
    // Every call counted once: the two while empty, the polls, the cached page, the one after the collection.
    expect(count('/v3/serp/:se/:seType/tasks_ready')).toBe(calls.get(api.base + READY));
    expect(calls.get(api.base + READY)).toBeGreaterThanOrEqual(5);
    expect(count('/v3/serp/tasks_ready')).toBe(1);
    expect(scraped).toMatch(
      /serpq_http_request_duration_seconds_count\{method="GET",route="\/v3\/serp\/tasks_ready",status_code="200"\} 1/,
    );
  }, 90_000);
});
