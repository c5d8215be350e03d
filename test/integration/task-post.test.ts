import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type TestApp, eachDialect, imagesTask, makeTestApp, postImages } from '../helpers/app.js';

const POST = '/v3/serp/google/images/task_post';

async function balance(t: TestApp, login = 'demo'): Promise<number> {
  return (await t.app.store.accountByLogin(login))!.balanceMicro;
}

eachDialect('task_post', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp({ dialect });
  });
  afterEach(async () => {
    await t.close();
  });

  it('creates tasks with 20100, charges them and echoes data with filled defaults', async () => {
    const before = await balance(t);
    const res = await t.request('POST', POST, { body: [imagesTask('albert einstein', { tag: 't1' })] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status_code: 20000, status_message: 'Ok.', cost: 0.0006, tasks_count: 1, tasks_error: 0 });
    const task = res.body.tasks![0];
    expect(task).toMatchObject({
      status_code: 20100,
      status_message: 'Task Created.',
      cost: 0.0006,
      result_count: 0,
      path: ['v3', 'serp', 'google', 'images', 'task_post'],
      result: null,
    });
    expect(task.data).toEqual({
      api: 'serp',
      function: 'task_post',
      se: 'google',
      se_type: 'images',
      keyword: 'albert einstein',
      location_code: 2840,
      language_code: 'en',
      tag: 't1',
      device: 'desktop',
      os: 'windows',
    });
    expect(await balance(t)).toBe(before - 600);
  });

  it('keeps an idle connection open for 72 s, so a client that pauses between calls never races its close', async () => {
    await t.app.http.listen({ host: '127.0.0.1', port: 0 });
    const { port } = t.app.http.server.address() as { port: number };
    const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: POST, headers: { authorization: t.demoAuth } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.headers));
      });
      req.on('error', reject);
      req.end(JSON.stringify([imagesTask('kept alive')]));
    });
    expect(headers).toMatchObject({ connection: 'keep-alive', 'keep-alive': 'timeout=72' });
    expect(t.app.http.server.keepAliveTimeout).toBe(72_000);
  });

  it('prices by priority, depth blocks of 100 and search operators', async () => {
    const res = await t.request('POST', POST, {
      body: [
        imagesTask('a'),
        imagesTask('b', { priority: 2 }),
        imagesTask('c', { depth: 150 }),
        imagesTask('d', { depth: 700, priority: 2 }),
        imagesTask('site:example.com cats'),
      ],
    });
    expect(res.body.tasks!.map((x) => x.cost)).toEqual([0.0006, 0.0012, 0.0012, 0.0084, 0.003]);
    expect(res.body.cost).toBe(0.0144);
  });

  it('accepts location and language by name, by code, and as coordinates', async () => {
    const ids = await postImages(t, [
      { keyword: 'a', location_name: 'London,England,United Kingdom', language_name: 'English' },
      { keyword: 'b', location_code: 2276, language_code: 'de' },
      { keyword: 'c', location_coordinate: '53.476225,-2.243572,200', language_code: 'en' },
      { keyword: 'd', location_code: '2840', language_code: 'en', os: 'macos', depth: '20' },
    ]);
    expect(ids).toHaveLength(4);
  });

  it('rejects each invalid task on its own with 40501 naming the field, at no cost', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ location_code: 2840, language_code: 'en' }, 'keyword'],
      [imagesTask(''), 'keyword'],
      [imagesTask('x'.repeat(701)), 'keyword'],
      [imagesTask('cache:example.com'), 'keyword'],
      [imagesTask('a', { location_code: 1 }), 'location_code'],
      [imagesTask('a', { location_code: 'abc' }), 'location_code'],
      [{ keyword: 'a', language_code: 'en' }, 'location_code'],
      [{ keyword: 'a', location_name: 'Nowhere,,Land', language_code: 'en' }, 'location_name'],
      [{ keyword: 'a', location_coordinate: '@53.4,-2.2', language_code: 'en' }, 'location_coordinate'],
      [{ keyword: 'a', location_coordinate: '53.4,-2.2,5', language_code: 'en' }, 'location_coordinate'],
      [{ keyword: 'a', location_code: 2840 }, 'language_code'],
      [imagesTask('a', { language_code: 'xx' }), 'language_code'],
      [{ keyword: 'a', location_code: 2840, language_name: 'Klingon' }, 'language_name'],
      [imagesTask('a', { depth: 701 }), 'depth'],
      [imagesTask('a', { depth: 0 }), 'depth'],
      [imagesTask('a', { depth: 1.5 }), 'depth'],
      [imagesTask('a', { priority: 3 }), 'priority'],
      [imagesTask('a', { os: 'android' }), 'os'],
      [imagesTask('a', { device: 'mobile' }), 'device'],
      [imagesTask('a', { tag: 't'.repeat(256) }), 'tag'],
      [imagesTask('a', { tag: 5 }), 'tag'],
      [imagesTask('a', { max_crawl_pages: 101 }), 'max_crawl_pages'],
      [imagesTask('a', { se_domain: 'not a domain' }), 'se_domain'],
      [imagesTask('a', { postback_url: 'https://client.example/pb' }), 'postback_data'],
      [imagesTask('a', { postback_url: 'https://client.example/pb', postback_data: 'regular' }), 'postback_data'],
      [imagesTask('a', { postback_url: 'ftp://client.example/pb', postback_data: 'advanced' }), 'postback_url'],
      [imagesTask('a', { pingback_url: 'not a url' }), 'pingback_url'],
      [imagesTask('a', { url: 'https://www.google.com/search?q=x' }), 'url'],
    ];
    const before = await balance(t);
    const res = await t.request('POST', POST, { body: [...cases.map((c) => c[0]), imagesTask('valid')] });
    expect(res.status).toBe(200);
    expect(res.body.status_code).toBe(20000);
    expect(res.body.tasks_count).toBe(cases.length + 1);
    expect(res.body.tasks_error).toBe(cases.length);
    cases.forEach(([, field], i) => {
      const task = res.body.tasks![i];
      expect({ i, code: task.status_code, message: task.status_message, cost: task.cost }).toEqual({
        i,
        code: 40501,
        message: `Invalid Field: '${field}'.`,
        cost: 0,
      });
      expect(task.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(task.result).toBeNull();
    });
    expect(res.body.tasks![cases.length].status_code).toBe(20100);
    expect(res.body.cost).toBe(0.0006);
    expect(await balance(t)).toBe(before - 600);
    // Only the valid task was queued.
    expect(await t.runWorkers()).toBe(1);
  });

  it('decodes %## and + in the keyword; the result carries the decoded keyword', async () => {
    const [id] = await postImages(t, [imagesTask('albert%20einstein+quotes 100%25 %zz')]);
    await t.runWorkers();
    const res = await t.request('GET', `/v3/serp/google/images/task_get/advanced/${id}`);
    const task = res.body.tasks![0];
    expect((task.data as Record<string, unknown>).keyword).toBe('albert%20einstein+quotes 100%25 %zz');
    expect((task.result![0] as { keyword: string }).keyword).toBe('albert einstein quotes 100% %zz');
  });

  it('processes the first 100 tasks and rejects the 101st and later with 40006', async () => {
    const body = Array.from({ length: 103 }, (_, i) => imagesTask(`kw ${i}`));
    const res = await t.request('POST', POST, { body });
    expect(res.body.tasks_count).toBe(103);
    expect(res.body.tasks!.slice(0, 100).every((x) => x.status_code === 20100)).toBe(true);
    for (const task of res.body.tasks!.slice(100)) {
      expect(task).toMatchObject({ status_code: 40006, status_message: 'You can set no more than 100 tasks at a time.', cost: 0 });
    }
    expect(res.body.tasks_error).toBe(3);
    expect(res.body.cost).toBe(0.06);
  });

  it('answers 40502 for an empty body and 40503 for a malformed one, without a stack trace', async () => {
    for (const raw of ['', '   ', '[]']) {
      const res = await t.request('POST', POST, { rawBody: raw, headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status_code: 40502, status_message: 'POST Data Is Empty.', tasks_count: 0 });
    }
    for (const raw of ['[{', '{"keyword":"a"}', '"text"', 'null x', '12']) {
      const res = await t.request('POST', POST, { rawBody: raw, headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status_code: 40503, status_message: 'POST Data Is Invalid.' });
    }
    // Any content type is read as JSON, as the vendor does.
    const form = await t.request('POST', POST, { rawBody: JSON.stringify([imagesTask()]), headers: { 'content-type': 'text/plain' } });
    expect(form.body.tasks![0].status_code).toBe(20100);
    // A non-object task is an invalid task, not a crash.
    const odd = await t.request('POST', POST, { body: [null, 5, 'x', [], imagesTask()] });
    expect(odd.body.tasks!.map((x) => x.status_code)).toEqual([40501, 40501, 40501, 40501, 20100]);
  });

  it('accepts a gzip-compressed body', async () => {
    const res = await t.request('POST', POST, {
      rawBody: gzipSync(JSON.stringify([imagesTask('gzipped')])),
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(res.body.tasks![0].status_code).toBe(20100);
    const broken = await t.request('POST', POST, {
      rawBody: Buffer.from('not gzip'),
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(broken.status).toBe(200);
    expect(broken.body.status_code).toBe(40503);
  });

  it('answers 402/40200 when the balance is exhausted, and 40210 for tasks the balance cannot cover', async () => {
    const poor = await t.addAccount('poor', { balance: 0.001 });
    // 0.001 USD covers one normal task (0.0006) but not a second.
    const res = await t.request('POST', POST, { body: [imagesTask('a'), imagesTask('b')], auth: poor });
    expect(res.status).toBe(200);
    expect(res.body.tasks!.map((x) => x.status_code)).toEqual([20100, 40210]);
    expect(res.body.tasks![1]).toMatchObject({
      cost: 0,
      status_message: "Insufficient funds. Your account's balance is too low to complete this request.",
    });
    expect(res.body.cost).toBe(0.0006);
    expect(await balance(t, 'poor')).toBe(400);

    // Nothing affordable at all: the whole call is refused with 402.
    const none = await t.request('POST', POST, { body: [imagesTask('c', { priority: 2 })], auth: poor });
    expect(none.status).toBe(402);
    expect(none.body.status_code).toBe(40210);
    expect(await balance(t, 'poor')).toBe(400);

    const empty = await t.addAccount('empty', { balance: 0 });
    const refused = await t.request('POST', POST, { body: [imagesTask('d')], auth: empty });
    expect(refused.status).toBe(402);
    expect(refused.body).toMatchObject({ status_code: 40200, status_message: 'Payment Required.', tasks: null });
    expect(await t.runWorkers()).toBe(1); // only the one paid task was queued
  });

  it('answers 404/40400 for an unknown engine or type and for task_post with GET', async () => {
    for (const [method, url] of [
      ['POST', '/v3/serp/google/nosuch/task_post'],
      ['POST', '/v3/serp/nosuch/images/task_post'],
      ['GET', POST],
      ['GET', '/v3/nothing'],
    ] as const) {
      const res = await t.request(method, url, { body: method === 'POST' ? [imagesTask()] : undefined });
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ status_code: 40400, status_message: 'Not Found.' });
    }
  });

  it('gives every task a distinct vendor-shaped id that starts with the Kyiv-time minute', async () => {
    const ids = await postImages(
      t,
      Array.from({ length: 100 }, (_, i) => imagesTask(`k${i}`)),
    );
    expect(new Set(ids).size).toBe(100);
    // The manual clock starts at 2026-01-15 12:00 UTC = 14:00 in Kyiv (UTC+2 in winter).
    for (const id of ids) expect(id).toMatch(/^01151400-0001-0066-0000-[0-9a-f]{12}$/);
  });
});
