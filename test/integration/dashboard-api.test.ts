import { type IncomingMessage, request } from 'node:http';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { CHART_MINUTES } from '../../src/admin/dashboard-data.js';
import { type SseEvent, createSseParser } from '../../src/dashboard/sse.js';
import { ADMIN_TOKEN, type TestApp, eachDialect, imagesTask, makeTestApp, postImages } from '../helpers/app.js';
import { type WebhookSink, startSink } from '../helpers/webhook-sink.js';

/** The admin endpoints the dashboard reads, in process (inject) and, for the event stream, over a socket. */

const BEARER = { authorization: `Bearer ${ADMIN_TOKEN}` };

eachDialect('dashboard admin API', (dialect) => {
  let t: TestApp;
  let sink: WebhookSink | null = null;
  beforeEach(async () => {
    t = await makeTestApp({ dialect, env: { SERPQ_PORT: '0' } });
  });
  afterEach(async () => {
    await t.close();
    await sink?.close();
    sink = null;
  });

  async function get(url: string) {
    const res = await t.app.http.inject({ method: 'GET', url, headers: BEARER });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }

  it('needs the admin token on every endpoint: 401 JSON without it or with a wrong one', async () => {
    const calls = [
      ['GET', '/admin/overview'],
      ['GET', '/admin/failures'],
      ['GET', '/admin/dashboard'],
      ['GET', '/admin/events'],
      ['POST', '/admin/tasks/01151200-1535-0066-0000-000000000001/resend'],
      ['GET', '/admin/tasks/01151200-1535-0066-0000-000000000001'],
    ] as const;
    for (const [method, url] of calls) {
      for (const auth of [undefined, 'Bearer wrong-token', `Basic ${Buffer.from('demo:demo').toString('base64')}`]) {
        const res = await t.app.http.inject({ method, url, headers: auth ? { authorization: auth } : {} });
        expect(res.statusCode, `${method} ${url}`).toBe(401);
        expect(res.headers['www-authenticate']).toBe('Bearer');
        // A token that was sent and is wrong is refused, not "required".
        expect(res.json()).toEqual({
          error: expect.stringContaining(auth === 'Bearer wrong-token' ? 'admin token refused' : 'admin token required'),
        });
      }
    }
  });

  it('shows the queue, and tasks completed per minute over the last 30 minutes, cached for 2 s', async () => {
    await postImages(t, [imagesTask('a'), imagesTask('b'), imagesTask('c')]);
    t.advance(10);
    let o = await get('/admin/overview');
    expect(o).toMatchObject({
      time_travel: true,
      fault_injection: true,
      queue: { queued: 3, running: 0, ready: 0, oldest_queued_age_seconds: 10 },
    });
    expect(o.now).toBe(new Date(t.clock.now()).toISOString());
    expect(o.completed_per_minute).toHaveLength(CHART_MINUTES);
    expect(o.completed_per_minute.every((m: { done: number; failed: number }) => m.done === 0 && m.failed === 0)).toBe(true);

    await t.injectFaults(40102, 1);
    expect(await t.runWorkers()).toBe(3);
    t.advance(2);
    o = await get('/admin/overview');
    expect(o.queue).toEqual({ queued: 0, running: 0, ready: 3, oldest_queued_age_seconds: 0 });
    const minute = Math.floor(t.clock.now() / 60_000) * 60_000;
    expect(o.completed_per_minute.at(-1)).toEqual({ minute: new Date(minute).toISOString(), done: 2, failed: 1 });
    expect(o.completed_per_minute[0].minute).toBe(new Date(minute - (CHART_MINUTES - 1) * 60_000).toISOString());

    // Minutes later the counts have moved left along the chart, still read from the store.
    t.advance(180);
    o = await get('/admin/overview');
    expect(o.completed_per_minute.at(-4)).toEqual({ minute: new Date(minute).toISOString(), done: 2, failed: 1 });
    expect(o.completed_per_minute.at(-1)).toMatchObject({ done: 0, failed: 0 });
  });

  it('lists failed tasks and failed webhooks of every account; resend sends the webhook again', async () => {
    sink = await startSink();
    const other = await t.addAccount('other');
    await t.injectFaults(40102, 1);
    const [failed] = await postImages(t, [imagesTask('fails')], other);
    const [hooked] = await postImages(t, [imagesTask('hooked', { postback_url: `${sink.base}/flip/$id`, postback_data: 'advanced' })]);
    const [plain] = await postImages(t, [imagesTask('plain')]);
    await t.runWorkers();
    await t.runDeliveries();

    let f = await get('/admin/failures');
    expect(f.tasks).toEqual([
      {
        id: failed,
        login: 'other',
        se: 'google',
        se_type: 'images',
        function: 'task_post',
        status_code: 40102,
        status_message: expect.any(String),
        completed_at: new Date(t.clock.now()).toISOString(),
      },
    ]);
    expect(f.webhooks).toEqual([
      {
        task_id: hooked,
        budget_id: null,
        login: 'demo',
        kind: 'postback',
        url: `${sink.base}/flip/${hooked}`,
        failed_at: new Date(t.clock.now()).toISOString(),
        http_code: 500,
        error: 'HTTP 500',
        state: 'failed',
        attempts: 1,
      },
    ]);

    const resend = (id: string) => t.app.http.inject({ method: 'POST', url: `/admin/tasks/${id}/resend`, headers: BEARER });
    expect((await resend('01151200-1535-0066-0000-00000000abcd')).statusCode).toBe(404);
    const none = await resend(plain);
    expect(none.statusCode).toBe(409);
    expect(none.json().error).toMatch(/no webhook/);

    sink.flip.ok = true;
    const res = await resend(hooked.toUpperCase());
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ task_id: hooked, resent: true });
    expect(await t.runDeliveries()).toBe(1);
    expect(sink.requests.map((r) => r.url)).toEqual([`/flip/${hooked}`, `/flip/${hooked}`]);
    t.advance(2);
    f = await get('/admin/failures');
    expect(f.webhooks).toEqual([expect.objectContaining({ task_id: hooked, http_code: 500, state: 'delivered', attempts: 2 })]);
  });

  it('looks a task up by id: state, account, times, cost, tasks_ready and its webhooks; 404 for an unknown id', async () => {
    sink = await startSink();
    const unknown = await t.app.http.inject({ method: 'GET', url: '/admin/tasks/01151200-1535-0066-0000-00000000abcd', headers: BEARER });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: "no task '01151200-1535-0066-0000-00000000abcd'" });

    const other = await t.addAccount('other');
    const postedAt = new Date(t.clock.now()).toISOString();
    const hook = { postback_url: `${sink.base}/s500/$id`, postback_data: 'advanced' };
    const [id] = await postImages(t, [imagesTask('looked up', { tag: 'mine', priority: 2, ...hook })], other);
    let task = await get(`/admin/tasks/${id}`);
    expect(task).toEqual({
      id,
      login: 'other',
      api: 'serp',
      se: 'google',
      se_type: 'images',
      function: 'task_post',
      state: 'queued',
      status_code: null,
      status_message: null,
      priority: 2,
      tag: 'mine',
      cost: expect.any(Number),
      posted_at: postedAt,
      due_at: postedAt,
      lease_expires_at: null,
      executions: 0,
      completed_at: null,
      collected: false,
      collected_at: null,
      on_tasks_ready: false,
      postback_url: `${sink.base}/s500/$id`,
      pingback_url: null,
      // Owed once it completes.
      webhook_state: 'pending',
      deliveries: [],
      attempts: [],
    });
    // The cost is what the account paid for it.
    const account = await get('/admin/accounts/other');
    expect(task.cost).toBeGreaterThan(0);
    expect(task.cost).toBeCloseTo(100 - account.balance, 6);

    // Executed; its postback is refused, which lists it on tasks_ready (the vendor's rule).
    t.advance(5);
    await t.runWorkers();
    await t.runDeliveries();
    const completedAt = new Date(t.clock.now()).toISOString();
    task = await get(`/admin/tasks/${id.toUpperCase()}`);
    expect(task).toMatchObject({
      state: 'completed',
      status_code: 20000,
      executions: 1,
      completed_at: completedAt,
      collected: false,
      on_tasks_ready: true,
      webhook_state: 'failed',
      deliveries: [{ kind: 'postback', state: 'failed', attempts: 1 }],
      attempts: [
        { kind: 'postback', url: `${sink.base}/s500/${id}`, method: 'POST', attempted_at: completedAt, ok: false, http_code: 500 },
      ],
    });

    // Collected by task_get: off tasks_ready.
    t.advance(5);
    const got = await t.request('GET', `/v3/serp/google/images/task_get/advanced/${id}`, { auth: other });
    expect(got.body.tasks?.[0]?.status_code).toBe(20000);
    task = await get(`/admin/tasks/${id}`);
    expect(task).toMatchObject({ collected: true, collected_at: new Date(t.clock.now()).toISOString(), on_tasks_ready: false });

    // An execution that failed with a vendor code is `failed`, with that code.
    await t.injectFaults(40102, 1);
    const [failed] = await postImages(t, [imagesTask('fails')]);
    await t.runWorkers();
    expect(await get(`/admin/tasks/${failed}`)).toMatchObject({ login: 'demo', state: 'failed', status_code: 40102, on_tasks_ready: true });
  });

  it('shows accounts with balance, spend today (UTC day) and limits in one snapshot', async () => {
    await postImages(t, [imagesTask('a'), imagesTask('b')]);
    const snap = await get('/admin/dashboard');
    expect(Object.keys(snap).sort()).toEqual(['accounts', 'failures', 'overview', 'upstream']);
    // Only a relay has an upstream (test/e2e/dashboard.test.ts shows one).
    expect(snap.upstream).toBeNull();
    const demo = snap.accounts.find((a: { login: string }) => a.login === 'demo');
    expect(demo.spent_today).toBeGreaterThan(0);
    expect(demo.spent_today).toBeCloseTo(100 - demo.balance, 6);
    expect(demo.limits).toEqual({ tasks_ready_per_minute: 20, requests_per_minute: 2000, concurrent_requests: 30 });
    expect(demo).not.toHaveProperty('password_hash');
    // A new UTC day starts the day's spend at 0.
    t.advance(24 * 3600);
    const next = await get('/admin/dashboard');
    expect(next.accounts.find((a: { login: string }) => a.login === 'demo').spent_today).toBe(0);
  });

  it("shows each account's budgets (spend this period, alerts) and its spend today by API", async () => {
    sink = await startSink();
    const admin = async (method: 'POST' | 'GET', url: string, body?: unknown) =>
      (
        await t.app.http.inject({
          method,
          url,
          headers: { ...BEARER, 'content-type': 'application/json' },
          payload: body === undefined ? undefined : JSON.stringify(body),
        })
      ).json();
    const budget = await admin('POST', '/admin/accounts/demo/budgets', {
      period: 'week',
      amount: 0.0006,
      api: 'serp',
      time_zone: 'Europe/Berlin',
      alert_url: `${sink.base}/s500/alert`,
    });
    await admin('POST', '/admin/accounts/demo/budgets', { period: 'month', amount: 5, api: 'dataforseo_labs' });
    await postImages(t, [imagesTask('a')]);
    const labs = await t.request('POST', '/v3/dataforseo_labs/google/domain_rank_overview/live', {
      body: [{ target: 'budget.example', location_code: 2840 }],
    });
    expect(labs.body.tasks![0]!.status_code).toBe(20000);
    await t.runDeliveries();
    // The snapshot is cached for 2 s of the clock.
    t.advance(3);
    const demo = (await get('/admin/dashboard')).accounts.find((a: { login: string }) => a.login === 'demo');
    expect(Object.keys(demo.spent_today_by_api).sort()).toEqual(['dataforseo_labs', 'serp']);
    expect(demo.spent_today_by_api.serp).toBe(0.0006);
    expect(demo.spent_today_by_api.serp + demo.spent_today_by_api.dataforseo_labs).toBeCloseTo(demo.spent_today, 9);
    expect(demo.budgets).toEqual([
      expect.objectContaining({
        id: budget.id,
        period: 'week',
        amount: 0.0006,
        api: 'serp',
        time_zone: 'Europe/Berlin',
        spent: 0.0006,
        resets_at: '2026-01-18T23:00:00.000Z',
        alerts: [
          expect.objectContaining({ threshold: 0.8, delivery: { state: 'failed', attempts: 1, next_attempt_at: null } }),
          expect.objectContaining({ threshold: 1, delivery: { state: 'failed', attempts: 1, next_attempt_at: null } }),
        ],
      }),
      expect.objectContaining({
        period: 'month',
        amount: 5,
        api: 'dataforseo_labs',
        spent: demo.spent_today_by_api.dataforseo_labs,
        alerts: [],
      }),
    ]);
    // The failed alerts are in the failures list by budget, not by task; other accounts show no budget.
    const failures = await get('/admin/failures');
    expect(failures.webhooks.map((w: { kind: string; budget_id: number | null }) => [w.kind, w.budget_id])).toEqual([
      ['budget_alert', budget.id],
      ['budget_alert', budget.id],
    ]);
    await t.addAccount('quiet');
    t.advance(3);
    const quiet = (await get('/admin/dashboard')).accounts.find((a: { login: string }) => a.login === 'quiet');
    expect(quiet).toMatchObject({ budgets: [], spent_today_by_api: {} });
  });

  it('streams snapshots as server-sent events over a socket; a posted task shows in the next one', async () => {
    const base = (await t.app.listen()).replace('localhost', '127.0.0.1');
    // node:http rather than fetch: undici opens a spare connection after an abort, which the server's
    // close would then wait for (a client artefact, not the stream's).
    const req = request(`${base}/admin/events`, { headers: BEARER });
    const res = await new Promise<IncomingMessage>((resolve) => req.on('response', resolve).end());
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache, no-transform');

    const events: SseEvent[] = [];
    let wake: () => void = () => {};
    const parser = createSseParser((e) => {
      events.push(e);
      wake();
    });
    res.setEncoding('utf8');
    res.on('data', (text: string) => parser.push(text));
    type Queue = { queued: number; running: number; ready: number };
    const next = (test: (snap: { overview: { queue: Queue } }) => boolean) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (events.some((e) => e.event === 'snapshot' && test(JSON.parse(e.data)))) resolve();
          else wake = check;
        };
        check();
      });

    await next(() => true);
    expect(events[0].event).toBe('snapshot');
    expect(Object.keys(JSON.parse(events[0].data)).sort()).toEqual(['accounts', 'failures', 'overview', 'upstream']);
    // task_post through this process sends a snapshot soon; the listening app's workers may already
    // have run it, so the task is queued, running or ready.
    await postImages(t, [imagesTask('streamed')]);
    await next(({ overview: { queue: q } }) => q.queued + q.running + q.ready === 1);
    req.destroy();
  });

  it('closes with a stream open (the stream ends instead of holding the server)', async () => {
    const base = (await t.app.listen()).replace('localhost', '127.0.0.1');
    const res = await fetch(`${base}/admin/events`, { headers: BEARER });
    const reader = res.body!.getReader();
    await reader.read();
    const ended = (async () => {
      for (;;) if ((await reader.read().catch(() => ({ done: true }))).done) return true;
    })();
    await t.app.http.close();
    expect(await ended).toBe(true);
  });
});
