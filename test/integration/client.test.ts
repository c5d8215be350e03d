import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SerpqHttpError, createClient } from '../../src/client/index.js';
import { formatDateTime } from '../../src/domain/time-format.js';
import { type TestApp, imagesTask, makeTestApp } from '../helpers/app.js';

describe('typed client (serpq/client)', () => {
  let t: TestApp;
  let base = '';
  beforeAll(async () => {
    t = await makeTestApp();
    await t.app.http.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(t.app.http.server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('posts, lists, collects and reads account data', async () => {
    const c = createClient({ baseUrl: base, login: 'demo', password: 'demo' });
    const posted = await c.taskPost('google', 'images', [imagesTask('client test', { tag: 'c1' })]);
    const id = posted.tasks![0].id;
    expect(posted.tasks![0].status_code).toBe(20100);
    await t.runWorkers();
    const rows = await c.readyRows({ se: 'google', seType: 'images' });
    expect(rows.map((r) => [r.id, r.tag])).toEqual([[id, 'c1']]);
    expect((await c.readyRows({ se: 'google' })).map((r) => r.id)).toEqual([id]);
    const got = await c.taskGet('google', 'images', 'advanced', id);
    expect(got.tasks![0].result_count).toBe(1);
    expect(await c.readyRows()).toEqual([]);
    const live = await c.live('google', 'organic', 'advanced', { keyword: 'client live', location_code: 2840, language_code: 'en' });
    expect(live.tasks![0].status_code).toBe(20000);
    expect((await c.userData()).tasks![0].status_code).toBe(20000);
    expect((await c.errors()).tasks![0].result).toEqual([]);
  });

  it('calls any API by its path: live, lists, id_list and errors per API, and the SERP task calls by path', async () => {
    const c = createClient({ baseUrl: base, login: 'demo', password: 'demo' });
    const live = await c.liveOf('dataforseo_labs/google/ranked_keywords/live', [
      { target: 'client.example', location_code: 2840, limit: 5 },
    ]);
    const labsId = live.tasks![0].id;
    expect(live.tasks![0].status_code).toBe(20000);
    expect((live.tasks![0].result as Array<{ items_count: number }>)[0]!.items_count).toBe(5);
    const langs = await c.request('GET', 'keywords_data/google_ads/languages');
    expect((langs.tasks![0].result as Array<{ language_code: string }>).some((l) => l.language_code === 'en')).toBe(true);
    const window = { datetime_from: formatDateTime(t.clock.now() - 60_000), datetime_to: formatDateTime(t.clock.now()) };
    expect(((await c.idList(window, 'dataforseo_labs')).tasks![0].result as Array<{ id: string }>).map((r) => r.id)).toEqual([labsId]);
    expect((await c.errors({}, 'backlinks')).tasks![0].result).toEqual([]);
    // The SERP task calls by path go where the engine-and-type calls go.
    const posted = await c.taskPostOf('serp/google/images', [imagesTask('client by path')]);
    const id = posted.tasks![0].id;
    await t.runWorkers();
    expect((await c.tasksReadyOf('serp/google/images')).tasks![0].result).toEqual([expect.objectContaining({ id })]);
    expect((await c.taskGetOf('serp/google/images', id, 'advanced')).tasks![0].status_code).toBe(20000);
    // And another API's task type, with and without a function.
    const ads = await c.taskPostOf('keywords_data/google_ads/search_volume', [{ keywords: ['client keyword'], location_code: 2840 }]);
    const products = await c.taskPostOf('merchant/google/products', [
      { keyword: 'client product', location_code: 2840, language_code: 'en' },
    ]);
    await t.runWorkers();
    expect((await c.tasksReadyOf('keywords_data/google_ads/search_volume')).tasks![0].result).toEqual([
      expect.objectContaining({ id: ads.tasks![0].id }),
    ]);
    expect((await c.tasksReadyOf('merchant')).tasks![0].result).toEqual([expect.objectContaining({ id: products.tasks![0].id })]);
    const adsResult = await c.taskGetOf('keywords_data/google_ads/search_volume', ads.tasks![0].id);
    expect((adsResult.tasks![0].result as Array<{ keyword: string }>).map((r) => r.keyword)).toEqual(['client keyword']);
    expect((await c.taskGetOf('merchant/google/products', products.tasks![0].id, 'advanced')).tasks![0].status_code).toBe(20000);
  });

  it('throws a typed error with the envelope on 401 and 404', async () => {
    const bad = createClient({ baseUrl: base, login: 'demo', password: 'wrong' });
    await expect(bad.tasksReady()).rejects.toMatchObject({ status: 401, body: { status_code: 40100 } });
    const c = createClient({ baseUrl: base, login: 'demo', password: 'demo' });
    const err = await c.taskPost('google', 'nosuch', [imagesTask()]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SerpqHttpError);
    expect((err as SerpqHttpError).body?.status_code).toBe(40400);
  });
});
