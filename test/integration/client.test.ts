import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SerpqHttpError, createClient } from '../../src/client/index.js';
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

  it('throws a typed error with the envelope on 401 and 404', async () => {
    const bad = createClient({ baseUrl: base, login: 'demo', password: 'wrong' });
    await expect(bad.tasksReady()).rejects.toMatchObject({ status: 401, body: { status_code: 40100 } });
    const c = createClient({ baseUrl: base, login: 'demo', password: 'demo' });
    const err = await c.taskPost('google', 'nosuch', [imagesTask()]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SerpqHttpError);
    expect((err as SerpqHttpError).body?.status_code).toBe(40400);
  });
});
