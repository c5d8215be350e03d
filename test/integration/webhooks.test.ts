import { createHmac } from 'node:crypto';
import { SerpGoogleImagesTaskGetAdvancedResponseInfo } from 'dataforseo-client';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ADMIN_TOKEN, type TestApp, eachDialect, imagesTask, makeTestApp, postImages, readyIds } from '../helpers/app.js';
import { type WebhookSink, startSink } from '../helpers/webhook-sink.js';
import { openapiAvailable, validateResponseForUrl } from '../helpers/openapi.js';

interface ErrorsRow {
  id: string;
  datetime: string;
  function: string;
  error_code: number | null;
  error_message: string | null;
  http_url: string | null;
  http_method: string | null;
  http_code: number | null;
  http_time: number | null;
  http_response: string | null;
}

async function errors(t: TestApp, query: Record<string, unknown> = {}): Promise<ErrorsRow[]> {
  const res = await t.request('POST', '/v3/serp/errors', { body: [query] });
  expect(res.body.tasks![0].status_code).toBe(20000);
  if (openapiAvailable()) expect(validateResponseForUrl('post', '/v3/serp/errors', res.body, { requireAllProperties: true })).toEqual([]);
  return res.body.tasks![0].result as ErrorsRow[];
}

async function admin(t: TestApp, method: 'GET' | 'PATCH', url: string, body?: unknown) {
  const res = await t.app.http.inject({
    method,
    url,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    payload: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json() as Record<string, unknown>;
}

// Every rule holds whether calls are made on the main thread or on courier threads (the default of
// `serpq serve`: bodies built and sent off the event loop).
for (const threads of ['0', '2']) {
  eachDialect(`webhooks, ${threads === '0' ? 'inline' : 'courier threads'}`, (dialect) => {
    let t: TestApp;
    let sink: WebhookSink;
    beforeEach(async () => {
      t = await makeTestApp({ dialect, env: { SERPQ_WEBHOOK_THREADS: threads } });
      sink = await startSink();
    });
    afterEach(async () => {
      await t.close();
      await sink.close();
    });

    it('pings with GET, substituting $id and the URL-encoded $tag; pingback tasks stay listed until collected', async () => {
      const [id, untagged] = await postImages(t, [
        imagesTask('a', { tag: 'batch 7/x&y#z', pingback_url: `${sink.base}/ok/ping?id=$id&tag=$tag` }),
        imagesTask('b', { pingback_url: `${sink.base}/ok/ping?id=$id&tag=$tag` }),
      ]);
      await t.runWorkers();
      expect(await t.runDeliveries()).toBe(2);
      const byId = (x: string) => sink.requests.find((r) => r.url.includes(x))!;
      expect(byId(id)).toMatchObject({ method: 'GET', url: `/ok/ping?id=${id}&tag=batch%207%2Fx%26y%23z` });
      expect(byId(untagged).url).toBe(`/ok/ping?id=${untagged}&tag=`);
      expect((await readyIds(t)).sort()).toEqual([id, untagged].sort());
      await t.request('GET', `/v3/serp/google/images/task_get/advanced/${id}`);
      expect(await readyIds(t)).toEqual([untagged]);
    });

    it('posts the gzip-compressed task_get envelope; a delivered task is not listed', async () => {
      const [adv, html] = await postImages(t, [
        imagesTask('postback advanced', { tag: 'pb', postback_url: `${sink.base}/ok/pb?id=$id`, postback_data: 'advanced' }),
        imagesTask('postback html', { postback_url: `${sink.base}/s204/pb?id=$id`, postback_data: 'html' }),
      ]);
      await t.runWorkers();
      expect(await readyIds(t)).toEqual([]); // not listed while the postback is pending
      await t.runDeliveries();
      expect(sink.requests).toHaveLength(2);

      const a = sink.requests.find((r) => r.url.includes(adv))!;
      expect(a.method).toBe('POST');
      expect(a.headers['content-type']).toBe('application/json');
      expect(a.headers['content-encoding']).toBe('gzip');
      expect(a.raw.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
      const envelope = JSON.parse(a.body);
      // Exactly what task_get/advanced answers for the task.
      const direct = (await t.request('GET', `/v3/serp/google/images/task_get/advanced/${adv}`)).body;
      expect(envelope.tasks[0]).toMatchObject({
        id: adv,
        status_code: 20000,
        path: ['v3', 'serp', 'google', 'images', 'task_get', 'advanced', adv],
      });
      expect(envelope.tasks[0].data).toEqual(direct.tasks![0].data);
      expect(envelope.tasks[0].result).toEqual(direct.tasks![0].result);
      // The official client's task_get model parses it.
      const parsed = SerpGoogleImagesTaskGetAdvancedResponseInfo.fromJS(envelope);
      expect(parsed.tasks?.[0]?.result?.[0]?.items_count).toBeGreaterThan(0);

      const h = JSON.parse(sink.requests.find((r) => r.url.includes(html))!.body);
      expect(h.tasks[0].path).toEqual(['v3', 'serp', 'google', 'images', 'task_get', 'html', html]);
      expect(h.tasks[0].result[0].items[0].html).toContain('postback html');
      expect(await readyIds(t)).toEqual([adv].filter(() => false)); // both delivered (200 and 204): none listed
      expect(await errors(t)).toEqual([]);
    });

    it('lands each receiver outcome where the rules say: 200..300 delivered, anything else listed and logged', async () => {
      // The slow receiver answers once all nine calls have arrived, so it must not time out before the
      // last of them is sent: a loaded machine can spread the nine over more than the suite's 400 ms.
      await t.close();
      t = await makeTestApp({ dialect, env: { SERPQ_WEBHOOK_THREADS: threads, SERPQ_WEBHOOK_TIMEOUT_MS: '3000' } });
      const outcomes: Array<[string, boolean]> = [
        ['ok', true],
        ['s204', true],
        ['s300', true],
        ['slow', true],
        ['s301', false],
        ['s404', false],
        ['s500', false],
        ['hang', false],
        ['reset', false],
      ];
      const ids = await postImages(
        t,
        outcomes.map(([path]) => imagesTask(path, { postback_url: `${sink.base}/${path}/pb?id=$id`, postback_data: 'advanced' })),
      );
      await t.runWorkers();
      const delivering = t.runDeliveries();
      // The slow receiver answers only after every other call has reached the sink.
      await sink.waitFor(outcomes.length);
      sink.releaseSlow();
      await delivering;
      const listed = new Set(await readyIds(t));
      outcomes.forEach(([path, delivered], i) => expect({ path, listed: listed.has(ids[i]) }).toEqual({ path, listed: !delivered }));
      // The redirect was not followed.
      expect(sink.requests.some((r) => r.url.startsWith('/ok/redirected'))).toBe(false);

      const rows = await errors(t, { filtered_function: 'postback_url' });
      expect(rows.map((r) => r.id).sort()).toEqual(ids.filter((_, i) => !outcomes[i][1]).sort());
      const row = (path: string) => rows.find((r) => r.id === ids[outcomes.findIndex(([p]) => p === path)])!;
      expect(row('s404')).toMatchObject({
        function: 'postback_url',
        http_method: 'POST',
        http_code: 404,
        http_url: `${sink.base}/s404/pb?id=${row('s404').id}`,
        error_message: `${sink.base}/s404/pb?id=${row('s404').id}`,
        http_response: 'no such hook',
      });
      expect(row('s500').http_response!.length).toBeLessThanOrEqual(4096);
      expect(row('hang')).toMatchObject({ http_code: null });
      expect(row('hang').http_response).toMatch(/timeout/);
      expect(row('reset').http_code).toBeNull();
      expect(row('s404').datetime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+00:00$/);
      expect(typeof row('s404').http_time).toBe('number');
    });

    it('refuses internal addresses unless the operator allows them', async () => {
      const strict = await makeTestApp({ dialect, env: { SERPQ_ALLOW_PRIVATE_WEBHOOKS: '0' } });
      try {
        const port = new URL(sink.base).port;
        const ids = await postImages(strict, [
          imagesTask('a', { postback_url: `${sink.base}/ok/pb`, postback_data: 'advanced' }),
          imagesTask('b', { postback_url: `http://localhost:${port}/ok/pb`, postback_data: 'advanced' }),
          imagesTask('c', { pingback_url: `http://[::1]:${port}/ok/ping` }),
          imagesTask('d', { pingback_url: 'http://169.254.169.254/latest/meta-data' }),
        ]);
        await strict.runWorkers();
        await strict.runDeliveries();
        expect(sink.requests).toHaveLength(0);
        expect((await readyIds(strict)).sort()).toEqual([...ids].sort());
        const rows = await errors(strict);
        expect(rows).toHaveLength(4);
        for (const r of rows) expect(r.http_response).toMatch(/not allowed/);
      } finally {
        await strict.close();
      }
    });

    it('lists tasks whose execution failed in serp/errors, with filters, limit and offset', async () => {
      await t.injectFaults(40101, 2);
      const ids = await postImages(t, [imagesTask('x'), imagesTask('y')]);
      await t.runWorkers();
      ids.push(...(await postImages(t, [imagesTask('z', { pingback_url: `${sink.base}/s500/p` })])));
      await t.runWorkers();
      await t.runDeliveries();
      const all = await errors(t);
      expect(all).toHaveLength(3);
      const failed = await errors(t, { filtered_function: 'serp/google/images/task_post' });
      expect(failed.map((r) => r.id).sort()).toEqual([ids[0], ids[1]].sort());
      expect(failed[0]).toMatchObject({ error_code: 40101, error_message: 'Internal SE Server Error.' });
      expect((await errors(t, { filtered_function: 'pingback_url' })).map((r) => r.id)).toEqual([ids[2]]);
      expect(await errors(t, { limit: 2 })).toHaveLength(2);
      expect(await errors(t, { limit: 2, offset: 2 })).toHaveLength(1);
      t.advance(3600);
      expect(await errors(t, { datetime_from: new Date(t.clock.now() - 60_000).toISOString() })).toEqual([]);
      const bad = await t.request('POST', '/v3/serp/errors', { body: [{ limit: 5000 }] });
      expect(bad.body.tasks![0]).toMatchObject({ status_code: 40501, status_message: "Invalid Field: 'limit'." });
      // Another account sees none of it.
      const other = await t.addAccount('other');
      const res = await t.request('POST', '/v3/serp/errors', { body: [{}], auth: other });
      expect(res.body.tasks![0].result).toEqual([]);
    });

    it('re-sends webhooks with webhook_resend, free, for the caller’s own tasks only', async () => {
      const [id] = await postImages(t, [imagesTask('r', { postback_url: `${sink.base}/flip/pb?id=$id`, postback_data: 'advanced' })]);
      await t.runWorkers();
      await t.runDeliveries();
      expect(await readyIds(t)).toEqual([id]); // failed: listed
      sink.flip.ok = true;
      const other = await t.addAccount('other');
      const foreign = await t.request('POST', '/v3/appendix/webhook_resend', { body: [{ id }], auth: other });
      expect(foreign.body.tasks![0].status_code).toBe(40401);
      const res = await t.request('POST', '/v3/appendix/webhook_resend', {
        body: [{ id }, { id: '01151400-0001-0066-0000-000000000009' }, { id: 'bad' }],
      });
      expect(res.body).toMatchObject({ status_code: 20000, cost: 0, tasks_count: 3 });
      expect(res.body.tasks!.map((x) => [x.status_code, x.result])).toEqual([
        [20000, null],
        [40401, null],
        [40501, null],
      ]);
      expect(res.body.tasks![0].id).toBe(id);
      if (openapiAvailable()) expect(validateResponseForUrl('post', '/v3/appendix/webhook_resend', res.body)).toEqual([]);
      await t.runDeliveries();
      expect(sink.requests).toHaveLength(2);
      expect(sink.requests[1].url).toBe(`/flip/pb?id=${id}`);
      const log = await admin(t, 'GET', `/admin/tasks/${id}/deliveries`);
      expect((log.attempts as Array<{ ok: boolean; http_code: number }>).map((a) => [a.ok, a.http_code])).toEqual([
        [false, 500],
        [true, 200],
      ]);
    });

    it('retries on the published schedule when an account opts in, keeping the task listed meanwhile', async () => {
      const patched = await admin(t, 'PATCH', '/admin/accounts/demo', { webhook_retries: true });
      expect(patched.webhook_retries).toBe(true);
      const [id] = await postImages(t, [imagesTask('retry', { postback_url: `${sink.base}/flip/pb?id=$id`, postback_data: 'advanced' })]);
      await t.runWorkers();
      await t.runDeliveries();
      expect(sink.requests).toHaveLength(1);
      expect(await readyIds(t)).toEqual([id]);
      await t.runDeliveries();
      expect(sink.requests).toHaveLength(1); // the retry is not due yet
      t.advance(5);
      await t.runDeliveries();
      expect(sink.requests).toHaveLength(2);
      sink.flip.ok = true;
      t.advance(5 * 60);
      await t.runDeliveries();
      expect(sink.requests).toHaveLength(3);
      const log = await admin(t, 'GET', `/admin/tasks/${id}/deliveries`);
      expect(log.deliveries).toEqual([expect.objectContaining({ kind: 'postback', state: 'delivered', attempts: 3 })]);
      // Without the opt-in there is exactly one attempt.
      await admin(t, 'PATCH', '/admin/accounts/demo', { webhook_retries: false });
      sink.flip.ok = false;
      const [once] = await postImages(t, [imagesTask('once', { postback_url: `${sink.base}/flip/pb?id=$id`, postback_data: 'advanced' })]);
      await t.runWorkers();
      await t.runDeliveries();
      t.advance(86400);
      await t.runDeliveries();
      expect(sink.requests.filter((r) => r.url.includes(once))).toHaveLength(1);
    });

    it('signs webhooks in the Standard Webhooks format when the account has a secret', async () => {
      const patched = await admin(t, 'PATCH', '/admin/accounts/demo', { webhook_secret: true });
      const secret = patched.webhook_secret as string;
      expect(secret).toMatch(/^whsec_/);
      await postImages(t, [
        imagesTask('signed', { postback_url: `${sink.base}/ok/pb`, postback_data: 'advanced', pingback_url: `${sink.base}/ok/ping` }),
      ]);
      await t.runWorkers();
      await t.runDeliveries();
      expect(sink.requests).toHaveLength(2);
      for (const r of sink.requests) {
        const id = r.headers['webhook-id'] as string;
        const ts = r.headers['webhook-timestamp'] as string;
        const expected = createHmac('sha256', Buffer.from(secret.slice(6), 'base64'))
          .update(`${id}.${ts}.${r.body}`)
          .digest('base64');
        expect(r.headers['webhook-signature']).toBe(`v1,${expected}`);
        expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(60);
      }
      // Unsigned by default.
      await admin(t, 'PATCH', '/admin/accounts/demo', { webhook_secret: null });
      await postImages(t, [imagesTask('plain', { pingback_url: `${sink.base}/ok/plain` })]);
      await t.runWorkers();
      await t.runDeliveries();
      expect(sink.requests[2].headers['webhook-signature']).toBeUndefined();
    });
  });
}
