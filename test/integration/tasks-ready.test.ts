import { afterEach, beforeEach, expect, it } from 'vitest';
import { type TestApp, eachDialect, imagesTask, makeTestApp, postImages, readyIds } from '../helpers/app.js';

const READY = '/v3/serp/google/images/tasks_ready';

eachDialect('tasks_ready', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp({ dialect });
  });
  afterEach(async () => {
    await t.close();
  });

  it('lists completed, uncollected tasks at all three scopes with the vendor row shape', async () => {
    const [id] = await postImages(t, [imagesTask('eiffel tower', { tag: 'batch-7' })]);
    expect(await readyIds(t)).toEqual([]); // not executed yet
    await t.runWorkers();

    for (const [url, path, data] of [
      [READY, ['v3', 'serp', 'google', 'images', 'tasks_ready'], { api: 'serp', function: 'tasks_ready', se: 'google', se_type: 'images' }],
      ['/v3/serp/google/tasks_ready', ['v3', 'serp', 'google', 'tasks_ready'], { api: 'serp', function: 'tasks_ready', se: 'google' }],
      ['/v3/serp/tasks_ready', ['v3', 'serp', 'tasks_ready'], { api: 'serp', function: 'tasks_ready' }],
    ] as const) {
      const res = await t.request('GET', url);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status_code: 20000, status_message: 'Ok.', cost: 0, tasks_count: 1, tasks_error: 0 });
      expect(res.body.time).toMatch(/^\d+\.\d{4} sec\.$/);
      const task = res.body.tasks![0];
      expect(task.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(task.id).not.toBe(id); // the call's own id, not a task's
      expect(task).toMatchObject({ status_code: 20000, cost: 0, result_count: 1, path, data });
      expect(task.result).toEqual([
        {
          id,
          se: 'google',
          se_type: 'images',
          date_posted: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+00:00$/),
          tag: 'batch-7',
          endpoint_regular: null,
          endpoint_advanced: `/v3/serp/google/images/task_get/advanced/${id}`,
          endpoint_html: `/v3/serp/google/images/task_get/html/${id}`,
        },
      ]);
    }
  });

  it('answers 404/40400 for unknown engines and types', async () => {
    for (const url of ['/v3/serp/nosuch/tasks_ready', '/v3/serp/google/nosuch/tasks_ready']) {
      const res = await t.request('GET', url);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ status_code: 40400, status_message: 'Not Found.', tasks: null });
    }
  });

  it('returns at most 1000 rows, oldest completion first; the rest appear as earlier ones are collected', async () => {
    await t.app.store.updateAccount('demo', { limits: { tasksReadyPerMinute: 1000 } });
    const ids: string[] = [];
    // 11 calls of 100 tasks, each batch completed 1 s after the previous one.
    for (let b = 0; b < 11; b++) {
      ids.push(
        ...(await postImages(
          t,
          Array.from({ length: 100 }, (_, i) => imagesTask(`kw ${b}-${i}`)),
        )),
      );
      await t.runWorkers();
      t.advance(1);
    }
    const first = await readyIds(t);
    expect(first).toHaveLength(1000);
    expect(new Set(first).size).toBe(1000);
    expect(new Set(first)).toEqual(new Set(ids.slice(0, 1000)));

    // Collect the first 100 (the oldest batch): the 11th batch becomes visible.
    for (const id of first.filter((x) => ids.indexOf(x) < 100)) {
      const res = await t.request('GET', `/v3/serp/google/images/task_get/advanced/${id}`);
      expect(res.body.tasks![0].status_code).toBe(20000);
    }
    const second = await readyIds(t);
    expect(second).toHaveLength(1000);
    expect(new Set(second)).toEqual(new Set(ids.slice(100, 1100)));
  });

  it('keeps a task listed for 3 days after completion, then drops it', async () => {
    const [id] = await postImages(t, [imagesTask()]);
    await t.runWorkers();
    t.advance(3 * 86400 - 60);
    expect(await readyIds(t)).toEqual([id]);
    t.advance(120);
    expect(await readyIds(t)).toEqual([]);
    // Still retrievable by task_get (30-day retention).
    const res = await t.request('GET', `/v3/serp/google/images/task_get/advanced/${id}`);
    expect(res.body.tasks![0].status_code).toBe(20000);
  });

  it('drops a task once it is collected by either task_get function', async () => {
    const [a, b] = await postImages(t, [imagesTask('one'), imagesTask('two')]);
    await t.runWorkers();
    expect((await readyIds(t)).sort()).toEqual([a, b].sort());
    await t.request('GET', `/v3/serp/google/images/task_get/html/${a}`);
    expect(await readyIds(t)).toEqual([b]);
    await t.request('GET', `/v3/serp/google/images/task_get/advanced/${b}`);
    expect(await readyIds(t)).toEqual([]);
  });

  it('does not list tasks posted with a postback_url; lists pingback tasks until collected', async () => {
    const [withPostback, withPingback, plain] = await postImages(t, [
      imagesTask('a', { postback_url: 'https://client.example/pb?id=$id', postback_data: 'advanced' }),
      imagesTask('b', { pingback_url: 'https://client.example/ping?id=$id&tag=$tag' }),
      imagesTask('c'),
    ]);
    await t.runWorkers();
    const listed = await readyIds(t);
    expect(listed).not.toContain(withPostback);
    expect(listed.sort()).toEqual([withPingback, plain].sort());
    // The postback task is complete and retrievable all the same.
    const res = await t.request('GET', `/v3/serp/google/images/task_get/advanced/${withPostback}`);
    expect(res.body.tasks![0].status_code).toBe(20000);
  });

  it('shows each account only its own tasks', async () => {
    const other = await t.addAccount('other');
    const mine = await postImages(t, [imagesTask('mine')]);
    const theirs = await postImages(t, [imagesTask('theirs')], other);
    await t.runWorkers();
    expect(await readyIds(t, '/v3/serp/tasks_ready')).toEqual(mine);
    expect(await readyIds(t, '/v3/serp/tasks_ready', other)).toEqual(theirs);
  });

  it('allows 20 calls per minute per account, then answers 40202 in an HTTP 200', async () => {
    const other = await t.addAccount('other');
    for (let i = 0; i < 20; i++) {
      const res = await t.request('GET', i % 2 ? READY : '/v3/serp/tasks_ready');
      expect(res.body.status_code).toBe(20000);
    }
    const limited = await t.request('GET', READY);
    expect(limited.status).toBe(200);
    expect(limited.body).toMatchObject({ status_code: 40202, status_message: 'The rate-limit per minute has been exceeded.' });
    // Another account has its own budget; other endpoints are not affected.
    expect((await t.request('GET', READY, { auth: other })).body.status_code).toBe(20000);
    expect((await t.request('GET', '/v3/appendix/errors')).body.status_code).toBe(20000);
    // The window slides with the clock.
    t.advance(61);
    expect((await t.request('GET', READY)).body.status_code).toBe(20000);
  });

  it('honours a per-account tasks_ready limit set through the admin API', async () => {
    const res = await t.app.http.inject({
      method: 'PATCH',
      url: '/admin/accounts/demo',
      headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ limits: { tasks_ready_per_minute: 3 } }),
    });
    expect(res.statusCode).toBe(200);
    for (let i = 0; i < 3; i++) expect((await t.request('GET', READY)).body.status_code).toBe(20000);
    expect((await t.request('GET', READY)).body.status_code).toBe(40202);
  });

  it('lists tasks whose execution failed, so the client learns the error from task_get', async () => {
    await t.injectFaults(40102);
    const [id] = await postImages(t, [imagesTask()]);
    await t.runWorkers();
    expect(await readyIds(t)).toEqual([id]);
    const res = await t.request('GET', `/v3/serp/google/images/task_get/advanced/${id}`);
    expect(res.body.tasks![0]).toMatchObject({ status_code: 40102, status_message: 'No Search Results.', result: null });
    expect(res.body.tasks_error).toBe(1);
    expect(await readyIds(t)).toEqual([]);
  });

  it('answers the same over a socket (raw fast path) as through the router', async () => {
    await t.app.store.updateAccount('demo', { limits: { tasksReadyPerMinute: 8 } });
    const ids = await postImages(t, [imagesTask('socket', { tag: 's' })]);
    await t.runWorkers();
    await t.app.http.listen({ host: '127.0.0.1', port: 0 });
    const { port } = t.app.http.server.address() as { port: number };
    const normalize = (text: string) =>
      text
        .replace(/"time":"[^"]+"/g, '"time":"T"')
        .replace(
          /"id":"[0-9a-f-]{36}","status_code":20000,"status_message":"Ok.","time":"T","cost":0,"result_count"/,
          '"id":"CALL","status_code":20000,"status_message":"Ok.","time":"T","cost":0,"result_count"',
        );
    const urls = [
      '/v3/serp/tasks_ready',
      '/v3/serp/google/tasks_ready',
      '/v3/serp/google/images/tasks_ready',
      '/v3/serp/google/images/tasks_ready?x=1',
      '/v3/serp/nosuch/tasks_ready',
      '/v3/serp/google/nosuch/tasks_ready',
    ];
    for (const url of urls) {
      const viaSocket = await fetch(`http://127.0.0.1:${port}${url}`, { headers: { authorization: t.demoAuth } });
      const viaRouter = await t.request('GET', url);
      expect({ url, status: viaSocket.status }).toEqual({ url, status: viaRouter.status });
      expect(normalize(await viaSocket.text())).toBe(normalize(viaRouter.text));
      expect(viaSocket.headers.get('content-type')).toBe('application/json; charset=utf-8');
    }
    expect(ids).toHaveLength(1);
    // The four valid URLs were called twice each: the 8 calls of the minute are used (404s do not count).
    const limited = await fetch(`http://127.0.0.1:${port}/v3/serp/tasks_ready`, { headers: { authorization: t.demoAuth } });
    expect(((await limited.json()) as { status_code: number }).status_code).toBe(40202);
    const noAuth = await fetch(`http://127.0.0.1:${port}/v3/serp/tasks_ready`);
    expect(noAuth.status).toBe(401);
    expect(noAuth.headers.get('www-authenticate')).toBe('Basic realm="DataForSEO REST API"');
    expect(((await noAuth.json()) as { status_code: number }).status_code).toBe(40100);
    expect(limited.headers.get('x-ratelimit-limit')).toBe('2000');
  });
});
