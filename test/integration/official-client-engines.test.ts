import * as client from 'dataforseo-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG, type SeTypeDef } from '../../src/domain/catalog.js';
import { type TestApp, makeTestApp, minimalTask } from '../helpers/app.js';

/** The client method name prefix of a type: google/local_finder -> googleLocalFinder. */
function methodPrefix(def: SeTypeDef): string {
  const camel = `${def.se}_${def.seType}`.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  return camel;
}

type AnyFn = (...args: unknown[]) => Promise<{
  status_code?: number;
  tasks?: Array<{ id?: string; status_code?: number; result?: Array<Record<string, unknown>> | null }>;
}>;

/**
 * The vendor's official TypeScript client drives a task flow for every engine and type it has
 * methods for: task_post, tasks_ready, task_get/advanced (and one live call per engine where it exists).
 */
describe('official dataforseo-client against every engine', () => {
  let t: TestApp;
  let serp: Record<string, AnyFn>;
  beforeAll(async () => {
    t = await makeTestApp();
    await t.app.store.updateAccount('demo', { limits: { tasksReadyPerMinute: 100_000, requestsPerMinute: 100_000 } });
    await t.app.http.listen({ host: '127.0.0.1', port: 0 });
    const { port } = t.app.http.server.address() as { port: number };
    const authFetch = (url: RequestInfo, init?: RequestInit) =>
      fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), Authorization: `Basic ${btoa('demo:demo')}` } });
    const api = new client.SerpApi(`http://127.0.0.1:${port}`, { fetch: authFetch });
    serp = api as unknown as Record<string, AnyFn>;
  });
  afterAll(async () => {
    await t?.close();
  });

  const covered = CATALOG.filter((def) => `${methodPrefix(def)}TaskPost` in client.SerpApi.prototype);

  it('has client methods for nearly every type', () => {
    // bing/local_pack is in neither the official client nor its OpenAPI file, and the
    // client has no methods for google/events either.
    expect(CATALOG.filter((d) => !covered.includes(d)).map((d) => `${d.se}/${d.seType}`)).toEqual(['google/events', 'bing/local_pack']);
  });

  it('posts, lists and collects a task of every type through the client', async () => {
    const ids = new Map<SeTypeDef, string>();
    for (const def of covered) {
      const p = methodPrefix(def);
      const posted = await serp[`${p}TaskPost`].call(serp, [minimalTask(def)]);
      const task = posted.tasks?.[0];
      expect({ type: p, code: task?.status_code }).toEqual({ type: p, code: 20100 });
      ids.set(def, task!.id!);
    }
    await t.runWorkers();
    for (const def of covered) {
      const p = methodPrefix(def);
      const ready = await serp[`${p}TasksReady`].call(serp);
      expect((ready.tasks?.[0].result ?? []).map((r) => r.id)).toContain(ids.get(def));
      const got = await serp[`${p}TaskGetAdvanced`].call(serp, ids.get(def));
      expect({ type: p, code: got.tasks?.[0].status_code, n: got.tasks?.[0].result?.length }).toEqual({ type: p, code: 20000, n: 1 });
    }
  });

  it('runs a live call of every engine that has one', async () => {
    const engines = new Set<string>();
    for (const def of covered) {
      if (engines.has(def.se) || !def.live.includes('advanced')) continue;
      const name = `${methodPrefix(def)}LiveAdvanced`;
      if (!(name in client.SerpApi.prototype)) continue;
      engines.add(def.se);
      const res = await serp[name].call(serp, [minimalTask(def)]);
      expect({ name, code: res.tasks?.[0].status_code }).toEqual({ name, code: 20000 });
    }
    expect([...engines].sort()).toEqual(['bing', 'google', 'yahoo', 'youtube']);
  });
});
