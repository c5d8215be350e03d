import { afterEach, beforeEach, expect, it } from 'vitest';
import { type TestApp, eachDialect, imagesTask, makeTestApp, postImages, readyIds } from '../helpers/app.js';

const ADV = '/v3/serp/google/images/task_get/advanced/';
const HTML = '/v3/serp/google/images/task_get/html/';

interface ImagesResult {
  keyword: string;
  type: string;
  se_domain: string;
  location_code: number;
  language_code: string;
  check_url: string;
  datetime: string;
  item_types: string[];
  items_count: number;
  items: Array<{ type: string; rank_group: number; rank_absolute: number; url?: string }>;
}

eachDialect('task_get', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp({ dialect, latency: 'normal=120s,high=30s' });
  });
  afterEach(async () => {
    await t.close();
  });

  it('answers 40602 with a null result until the task completes, without collecting it', async () => {
    const [id] = await postImages(t, [imagesTask('queued one', { tag: 'q' })]);
    await t.runWorkers(); // not due yet: latency 120 s
    const res = await t.request('GET', ADV + id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status_code: 20000, tasks_count: 1, tasks_error: 0 });
    expect(res.body.tasks![0]).toMatchObject({
      id,
      status_code: 40602,
      status_message: 'Task In Queue.',
      result_count: 0,
      result: null,
      path: ['v3', 'serp', 'google', 'images', 'task_get', 'advanced', id],
    });
    expect(res.body.tasks![0].data).toMatchObject({ function: 'task_get', keyword: 'queued one', tag: 'q' });

    t.advance(121);
    await t.runWorkers();
    expect(await readyIds(t)).toEqual([id]); // the 40602 answer did not collect it
  });

  it('completes high-priority tasks sooner (per-priority latency)', async () => {
    const [normal, high] = await postImages(t, [imagesTask('n'), imagesTask('h', { priority: 2 })]);
    t.advance(31);
    await t.runWorkers();
    expect(await readyIds(t)).toEqual([high]);
    t.advance(90);
    await t.runWorkers();
    expect((await readyIds(t)).sort()).toEqual([normal, high].sort());
  });

  it('returns the advanced result and the html page of the same SERP; the first get collects', async () => {
    const [id] = await postImages(t, [imagesTask('golden retriever', { depth: 30, location_code: 2826 })]);
    t.advance(121);
    await t.runWorkers();

    const adv = await t.request('GET', ADV + id);
    const task = adv.body.tasks![0];
    expect(task).toMatchObject({ id, status_code: 20000, status_message: 'Ok.', cost: 0, result_count: 1 });
    const r = task.result![0] as ImagesResult;
    expect(r).toMatchObject({
      keyword: 'golden retriever',
      type: 'images',
      se_domain: 'google.co.uk',
      location_code: 2826,
      language_code: 'en',
    });
    expect(r.check_url).toContain('google.co.uk/search?q=golden%20retriever');
    expect(r.datetime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+00:00$/);
    expect(r.items_count).toBe(r.items.length);
    expect(r.items.filter((i) => i.type === 'images_search')).toHaveLength(30);
    expect(r.item_types).toEqual(expect.arrayContaining(['carousel', 'images_search', 'related_searches']));
    expect(r.items.map((i) => i.rank_absolute)).toEqual(r.items.map((_, k) => k + 1));
    expect(await readyIds(t)).toEqual([]);

    // Repeat gets are allowed and deterministic.
    const again = await t.request('GET', ADV + id);
    expect(again.body.tasks![0].result).toEqual(task.result);

    const html = await t.request('GET', HTML + id);
    const h = html.body.tasks![0];
    expect(h).toMatchObject({ status_code: 20000, result_count: 1, path: ['v3', 'serp', 'google', 'images', 'task_get', 'html', id] });
    const page = h.result![0] as { items: Array<{ page: number; html: string }>; items_count: number };
    expect(page.items_count).toBe(1);
    expect(page.items[0].page).toBe(1);
    expect(page.items[0].html).toContain('golden retriever');
    const firstUrl = r.items.find((i) => i.type === 'images_search')!.url!;
    expect(page.items[0].html).toContain(firstUrl.replace(/&/g, '&amp;'));
  });

  it('renders the same SERP for the same request and a different one for another keyword', async () => {
    const [a, b, c] = await postImages(t, [imagesTask('red panda'), imagesTask('red panda'), imagesTask('blue whale')]);
    t.advance(121);
    await t.runWorkers();
    const items = async (id: string) =>
      ((await t.request('GET', ADV + id)).body.tasks![0].result![0] as ImagesResult).items.filter((i) => i.type === 'images_search');
    expect(await items(a)).toEqual(await items(b));
    expect(await items(a)).not.toEqual(await items(c));
  });

  it('answers 40401 for unknown or malformed ids and 40001 for another account’s task', async () => {
    const [id] = await postImages(t, [imagesTask('private')]);
    t.advance(121);
    await t.runWorkers();
    for (const unknown of ['01151400-0001-0066-0000-000000000001', 'not-an-id']) {
      const res = await t.request('GET', ADV + unknown);
      expect(res.body.tasks![0]).toMatchObject({ status_code: 40401, status_message: 'Task Not Found.', result: null });
    }
    const other = await t.addAccount('other');
    const res = await t.request('GET', ADV + id, { auth: other });
    expect(res.body.tasks![0]).toMatchObject({ status_code: 40001, result: null });
    expect(JSON.stringify(res.body)).not.toContain('private');
    // The owner still finds it listed: the other account did not collect it.
    expect(await readyIds(t)).toEqual([id]);
  });

  it('answers 404/40400 for task_get/regular, which google/images does not have', async () => {
    const [id] = await postImages(t, [imagesTask()]);
    const res = await t.request('GET', '/v3/serp/google/images/task_get/regular/' + id);
    expect(res.status).toBe(404);
    expect(res.body.status_code).toBe(40400);
  });

  it('expires html after 7 days and advanced after 30 days with 40403', async () => {
    const [id] = await postImages(t, [imagesTask()]);
    t.advance(121);
    await t.runWorkers();
    t.advance(7 * 86400 - 200);
    expect((await t.request('GET', HTML + id)).body.tasks![0].status_code).toBe(20000);
    t.advance(400);
    expect((await t.request('GET', HTML + id)).body.tasks![0]).toMatchObject({
      status_code: 40403,
      status_message: 'Results Expired.',
      result: null,
    });
    expect((await t.request('GET', ADV + id)).body.tasks![0].status_code).toBe(20000);
    t.advance(23 * 86400);
    expect((await t.request('GET', ADV + id)).body.tasks![0].status_code).toBe(40403);
  });

  it('serves the vendor example for the magic id, with every item type', async () => {
    const res = await t.request('GET', ADV + '00000000-0000-0000-0000-000000000000');
    const task = res.body.tasks![0];
    expect(task.status_code).toBe(20000);
    const r = task.result![0] as ImagesResult & { spell: unknown; refinement_chips: unknown };
    expect(new Set(r.items.map((i) => i.type))).toEqual(new Set(['carousel', 'images_search', 'related_searches']));
    expect(r.spell).not.toBeNull();
    expect(r.refinement_chips).not.toBeNull();
    const html = await t.request('GET', HTML + '00000000-0000-0000-0000-000000000000');
    expect(html.body.tasks![0].status_code).toBe(20000);
  });
});
