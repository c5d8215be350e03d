import { afterEach, beforeEach, expect, it } from 'vitest';
import { findSeType } from '../../src/domain/catalog.js';
import { ADMIN_TOKEN, type TestApp, eachDialect, makeTestApp, minimalTask } from '../helpers/app.js';
import { type Family, parsePrometheusText, sampleValue } from '../helpers/prometheus-text.js';
import { type WebhookSink, startSink } from '../helpers/webhook-sink.js';

const ORGANIC = findSeType('google', 'organic')!;
const TASK_POST = '/v3/serp/google/organic/task_post';
const GO = { se: 'google', se_type: 'organic' };

async function scrape(t: TestApp, auth: string | null = `Bearer ${ADMIN_TOKEN}`): Promise<Map<string, Family>> {
  const res = await t.app.http.inject({ method: 'GET', url: '/metrics', headers: auth ? { authorization: auth } : {} });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(res.body);
}

async function post(t: TestApp, tasks: Record<string, unknown>[]): Promise<void> {
  const res = await t.request('POST', TASK_POST, { body: tasks });
  expect(res.status).toBe(200);
}

eachDialect('GET /metrics', (dialect) => {
  let t: TestApp;
  let sink: WebhookSink | null = null;
  beforeEach(async () => {
    t = await makeTestApp({ dialect });
  });
  afterEach(async () => {
    await t.close();
    await sink?.close();
    sink = null;
  });

  it('needs the admin token: 401 JSON without it or with a wrong one', async () => {
    for (const auth of [undefined, 'Bearer wrong-token', `Basic ${Buffer.from('demo:demo').toString('base64')}`]) {
      const res = await t.app.http.inject({ method: 'GET', url: '/metrics', headers: auth ? { authorization: auth } : {} });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      // A token that was sent and is wrong is refused, not "required".
      expect(res.json()).toEqual({
        error: expect.stringContaining(auth === 'Bearer wrong-token' ? 'admin token refused' : 'admin token required'),
      });
    }
  });

  it("exports each account's spend today by API, from the charges in the store", async () => {
    const team = await t.addAccount('metrics-team', { balance: 10 });
    await post(t, [minimalTask(ORGANIC, 'spend a'), minimalTask(ORGANIC, 'spend b')]);
    const labs = await t.request('POST', '/v3/dataforseo_labs/google/domain_rank_overview/live', {
      auth: team,
      body: [{ target: 'metrics.example', location_code: 2840 }],
    });
    const labsCost = labs.body.tasks![0]!.cost;
    expect(labsCost).toBeGreaterThan(0);
    const m = await scrape(t);
    const demoSerp = sampleValue(m, 'serpq_spent_today_usd', { account: 'demo', api: 'serp' })!;
    expect(demoSerp).toBeGreaterThan(0);
    expect(sampleValue(m, 'serpq_spent_today_usd', { account: 'metrics-team', api: 'dataforseo_labs' })).toBeCloseTo(labsCost, 9);
    expect(sampleValue(m, 'serpq_spent_today_usd', { account: 'metrics-team', api: 'serp' })).toBeUndefined();
    // The next UTC day starts at 0.
    t.advance(86_400);
    expect(sampleValue(await scrape(t), 'serpq_spent_today_usd', { account: 'demo', api: 'serp' })).toBeUndefined();
  });

  it('counts tasks posted and completed by engine and type, and the queue before and after the workers', async () => {
    await post(t, [minimalTask(ORGANIC, 'a'), minimalTask(ORGANIC, 'b'), minimalTask(ORGANIC, 'c'), { keyword: 'no location' }]);
    t.advance(10);
    let m = await scrape(t);
    expect(sampleValue(m, 'serpq_tasks_posted_total', GO)).toBe(3);
    expect(sampleValue(m, 'serpq_queue_depth')).toBe(3);
    expect(sampleValue(m, 'serpq_queue_oldest_age_seconds')).toBe(10);
    expect(sampleValue(m, 'serpq_tasks_ready')).toBe(0);
    expect(sampleValue(m, 'serpq_tasks_completed_total', GO)).toBeUndefined();

    expect(await t.runWorkers()).toBe(3);
    // The store's counts are cached for 2 s of the process clock: unchanged until it moves.
    m = await scrape(t);
    expect(sampleValue(m, 'serpq_queue_depth')).toBe(3);
    expect(sampleValue(m, 'serpq_tasks_completed_total', GO)).toBe(3);
    t.advance(2);
    m = await scrape(t);
    expect(sampleValue(m, 'serpq_queue_depth')).toBe(0);
    expect(sampleValue(m, 'serpq_queue_oldest_age_seconds')).toBe(0);
    expect(sampleValue(m, 'serpq_tasks_running')).toBe(0);
    expect(sampleValue(m, 'serpq_tasks_ready')).toBe(3);
    expect(sampleValue(m, 'serpq_tasks_failed_total', { ...GO, status_code: '40102' })).toBeUndefined();

    // Collected tasks leave the ready count.
    const ready = await t.request('GET', '/v3/serp/google/organic/tasks_ready');
    const id = (ready.body.tasks?.[0]?.result as Array<{ id: string }>)[0].id;
    expect((await t.request('GET', `/v3/serp/google/organic/task_get/regular/${id}`)).body.tasks?.[0]?.status_code).toBe(20000);
    t.advance(2);
    expect(sampleValue(await scrape(t), 'serpq_tasks_ready')).toBe(2);
  });

  it('counts failed executions with their status code', async () => {
    await t.injectFaults(40102, 2);
    await post(t, [minimalTask(ORGANIC, 'x'), minimalTask(ORGANIC, 'y'), minimalTask(ORGANIC, 'z')]);
    await t.runWorkers();
    const m = await scrape(t);
    expect(sampleValue(m, 'serpq_tasks_failed_total', { ...GO, status_code: '40102' })).toBe(2);
    expect(sampleValue(m, 'serpq_tasks_completed_total', GO)).toBe(1);
  });

  it('counts HTTP requests by route pattern and status, never by raw URL', async () => {
    await post(t, [minimalTask(ORGANIC)]);
    await post(t, [minimalTask(ORGANIC)]);
    await t.request('GET', '/v3/serp/google/organic/task_get/regular/00000000-0000-0000-0000-000000000000');
    await t.request('GET', '/v3/serp/tasks_ready', { auth: null });
    await t.request('GET', '/no/such/path');
    const m = await scrape(t);
    const requests = (labels: Record<string, string>) => sampleValue(m, 'serpq_http_requests_total', labels);
    expect(requests({ method: 'POST', route: '/v3/serp/:se/:seType/task_post', status_code: '200' })).toBe(2);
    expect(requests({ method: 'GET', route: '/v3/serp/:se/:seType/task_get/:fn/:id', status_code: '200' })).toBe(1);
    expect(requests({ method: 'GET', route: '/v3/serp/tasks_ready', status_code: '401' })).toBe(1);
    expect(requests({ method: 'GET', route: 'unmatched', status_code: '404' })).toBe(1);
    const duration = { method: 'POST', route: '/v3/serp/:se/:seType/task_post', status_code: '200' };
    expect(sampleValue(m, 'serpq_http_request_duration_seconds_count', duration)).toBe(2);
    expect(sampleValue(m, 'serpq_http_request_duration_seconds_bucket', { ...duration, le: '+Inf' })).toBe(2);
    const routes = m.get('serpq_http_requests_total')!.samples.map((s) => s.labels.route);
    expect(routes.filter((r) => /google|0000/.test(r))).toEqual([]);
  });

  it('counts webhook attempts by kind and outcome, with their latency', async () => {
    sink = await startSink();
    await post(t, [
      { ...minimalTask(ORGANIC, 'ok'), pingback_url: `${sink.base}/ok/ping?id=$id` },
      { ...minimalTask(ORGANIC, 'bad'), pingback_url: `${sink.base}/s500/ping?id=$id` },
      { ...minimalTask(ORGANIC, 'pb'), postback_url: `${sink.base}/ok/pb?id=$id`, postback_data: 'regular' },
    ]);
    await t.runWorkers();
    expect(await t.runDeliveries()).toBe(3);
    const m = await scrape(t);
    expect(sampleValue(m, 'serpq_webhook_attempts_total', { kind: 'pingback', outcome: 'delivered' })).toBe(1);
    expect(sampleValue(m, 'serpq_webhook_attempts_total', { kind: 'pingback', outcome: 'http_error' })).toBe(1);
    expect(sampleValue(m, 'serpq_webhook_attempts_total', { kind: 'postback', outcome: 'delivered' })).toBe(1);
    expect(sampleValue(m, 'serpq_webhook_attempt_duration_seconds_count', { kind: 'pingback', outcome: 'http_error' })).toBe(1);
  });

  it('exports process metrics on the app registry', async () => {
    const m = await scrape(t);
    expect(m.get('process_cpu_user_seconds_total')?.type).toBe('counter');
    expect(m.get('nodejs_heap_size_used_bytes')?.type).toBe('gauge');
  });
});

eachDialect('GET /metrics with --metrics-public', (dialect) => {
  it('answers without the admin token; each app counts only its own requests', async () => {
    const t = await makeTestApp({ dialect, env: { SERPQ_METRICS_PUBLIC: '1' } });
    try {
      await post(t, [minimalTask(ORGANIC)]);
      const m = await scrape(t, null);
      expect(sampleValue(m, 'serpq_tasks_posted_total', GO)).toBe(1);
      expect(sampleValue(m, 'serpq_queue_depth')).toBe(1);
    } finally {
      await t.close();
    }
  });
});
