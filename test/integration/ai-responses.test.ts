/**
 * AI-optimized responses (`.ai` appended to a live, task_get or reference path) on the real HTTP
 * stack: the same call as without the suffix, answered cropped by the vendor's documented rules, at
 * the same price; depth and limit default to 10; other paths with `.ai` answer 404.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireEnvelope } from '../../src/contracts/envelope.js';
import { type TestApp, makeTestApp } from '../helpers/app.js';

type Ai = { id?: string; status_code: number; status_message: string; items?: Array<Record<string, unknown>> };
const ai = (r: { body: WireEnvelope }) => r.body as unknown as Ai;

/** Every value under `v`, with the key it is under. */
function* walk(v: unknown, key = ''): Generator<[string, unknown]> {
  yield [key, v];
  if (Array.isArray(v)) for (const x of v) yield* walk(x, key);
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) yield* walk(x, k);
}

describe('AI-optimized responses (.ai)', () => {
  let t: TestApp;
  const admin = () => ({ auth: `Bearer ${t.adminToken}` });
  const balance = async () => ((await t.request('GET', '/admin/accounts/demo', admin())).body as unknown as { balance: number }).balance;
  beforeAll(async () => {
    t = await makeTestApp();
    await t.request('PATCH', '/admin/accounts/demo', { ...admin(), body: { balance: 1000 } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers a live call cropped by every rule, at the same price as without the suffix', async () => {
    const body = [{ keywords: ['buy shoes', 'red shoes'], location_code: 2840 }];
    const b0 = await balance();
    const plain = await t.request('POST', '/v3/keywords_data/google_ads/search_volume/live', { body });
    const b1 = await balance();
    const cropped = await t.request('POST', '/v3/keywords_data/google_ads/search_volume/live.ai', { body });
    const b2 = await balance();
    expect(b0 - b1).toBeGreaterThan(0);
    expect(b1 - b2).toBeCloseTo(b0 - b1, 9);
    const a = ai(cropped);
    expect(Object.keys(a)).toEqual(['id', 'status_code', 'status_message', 'items']);
    expect([a.status_code, a.status_message]).toEqual([20000, 'Ok.']);
    const rows = plain.body.tasks![0]!.result as Array<Record<string, unknown>>;
    expect(a.items).toHaveLength(rows.length);
    for (const [i, row] of rows.entries()) {
      const item = a.items![i]!;
      for (const [k, v] of Object.entries(row)) {
        if (v === null || v === false || v === '' || (Array.isArray(v) && v.length === 0)) expect(item).not.toHaveProperty(k);
      }
      const months = row.monthly_searches as Array<{ year: number; month: number; search_volume: number }>;
      expect(item.monthly_searches).toEqual(
        Object.fromEntries(months.map((m) => [`${m.year}-${String(m.month).padStart(2, '0')}`, m.search_volume])),
      );
      expect(item.search_volume).toBe(row.search_volume);
    }
  });

  it('rounds floats to 3 decimals, removes position and xpath, and defaults limit and depth to 10', async () => {
    const labs = (suffix: string, extra: Record<string, unknown> = {}) =>
      t.request('POST', `/v3/dataforseo_labs/google/ranked_keywords/live${suffix}`, {
        body: [{ target: 'example.com', location_code: 2840, language_code: 'en', ...extra }],
      });
    const plain = (await labs('')).body.tasks![0]!.result![0] as { items: unknown[] };
    expect(plain.items.length).toBeGreaterThan(10);
    const cropped = ai(await labs('.ai')).items![0] as { items: unknown[]; items_count: number };
    expect([cropped.items.length, cropped.items_count]).toEqual([10, 10]);
    expect((ai(await labs('.ai', { limit: 20 })).items![0] as { items: unknown[] }).items).toHaveLength(20);
    for (const [k, v] of walk(cropped)) {
      expect(['position', 'xpath']).not.toContain(k);
      if (typeof v === 'number') expect(Math.round(v * 1000) / 1000).toBe(v);
      expect(v).not.toBeNull();
      expect(v).not.toBe(false);
    }

    // Google Images: depth 100 by default, 10 in an AI-optimized call; xpath removed from each item.
    const images = (suffix: string) =>
      t.request('POST', `/v3/serp/google/images/live/advanced${suffix}`, {
        body: [{ keyword: 'running shoes', location_code: 2840, language_code: 'en' }],
      });
    const main = (items: Array<{ type?: string }>) => items.filter((i) => i.type === 'images_search').length;
    const plainImages = (await images('')).body.tasks![0]!.result![0] as { items: Array<{ type?: string; xpath?: string }> };
    expect(main(plainImages.items)).toBeGreaterThan(10);
    expect(plainImages.items.some((i) => typeof i.xpath === 'string')).toBe(true);
    const croppedImages = ai(await images('.ai')).items![0] as { items: Array<{ type?: string }> };
    expect(main(croppedImages.items)).toBe(10);
    for (const [k] of walk(croppedImages)) expect(['position', 'xpath']).not.toContain(k);
  });

  it('answers task_get of a completed task cropped, for SERP and for another API', async () => {
    const post = await t.request('POST', '/v3/merchant/google/products/task_post', {
      body: [{ keyword: 'running shoes', location_code: 2840, language_code: 'en' }],
    });
    const id = post.body.tasks![0]!.id;
    await t.runWorkers();
    const a = ai(await t.request('GET', `/v3/merchant/google/products/task_get/advanced/${id}.ai`));
    expect([a.id, a.status_code]).toEqual([id, 20000]);
    expect((a.items![0] as { keyword: string }).keyword).toBe('running shoes');
    const queued = await t.request('POST', '/v3/serp/google/organic/task_post', {
      body: [{ keyword: 'trail shoes', location_code: 2840, language_code: 'en' }],
    });
    const serpId = queued.body.tasks![0]!.id;
    const inQueue = ai(await t.request('GET', `/v3/serp/google/organic/task_get/regular/${serpId}.ai`));
    expect(inQueue).toEqual({ id: serpId, status_code: 40602, status_message: 'Task In Queue.' });
    await t.runWorkers();
    const done = ai(await t.request('GET', `/v3/serp/google/organic/task_get/regular/${serpId}.ai`));
    expect(done.status_code).toBe(20000);
    expect((done.items![0] as { keyword: string }).keyword).toBe('trail shoes');
  });

  it('lists countries only for a locations list without a country, and all locations of a country with one', async () => {
    const all = ai(await t.request('GET', '/v3/serp/google/locations.ai')).items!;
    expect(all.length).toBeGreaterThan(100);
    expect(all.every((l) => l.location_type === 'Country')).toBe(true);
    const us = ai(await t.request('GET', '/v3/serp/google/locations/us.ai')).items!;
    expect(us.some((l) => l.location_type !== 'Country')).toBe(true);
    expect(us.every((l) => l.country_iso_code === 'US')).toBe(true);
  });

  it('answers 404 for .ai on paths without an AI-optimized answer, and the refusal of bad credentials cropped', async () => {
    for (const [method, url] of [
      ['GET', '/v3/serp/tasks_ready.ai'],
      ['GET', '/v3/merchant/tasks_ready.ai'],
      ['POST', '/v3/serp/google/organic/task_post.ai'],
      ['POST', '/v3/serp/id_list.ai'],
      ['GET', '/v3/no_such_api/thing.ai'],
    ] as const) {
      const res = await t.request(method, url, { body: method === 'POST' ? [{}] : undefined });
      expect([url, res.status, res.body.status_code]).toEqual([url, 404, 40400]);
    }
    const denied = await t.request('POST', '/v3/dataforseo_labs/google/ranked_keywords/live.ai', {
      auth: 'Basic bm9ib2R5Om5vcGU=',
      body: [{}],
    });
    expect(denied.status).toBe(401);
    expect(denied.body).toEqual({ status_code: 40100, status_message: expect.any(String) });
  });
});
