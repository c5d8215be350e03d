/**
 * Budgets on the calendar through the admin API and the vendor protocol, on both stores: a call that
 * would pass a budget is refused with 40203 at no cost; a day in America/New_York resets at local
 * midnight and a month on the 1st (time travel); a budget added after spending counts the period's
 * spend; a budget for one API holds that API only; removing a budget lifts it. Alerts go to a real
 * receiver on 127.0.0.1 as signed webhooks, once per threshold and period, through the outbox
 * (retries, delivery log, resend).
 */
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestApp, eachDialect, imagesTask, makeTestApp } from '../helpers/app.js';
import { type SinkRequest, type WebhookSink, startSink } from '../helpers/webhook-sink.js';

// The test clock starts at 2026-01-15 12:00 UTC (07:00 in New York); an images task costs 0.0006 USD.
const TASK = 0.0006;

eachDialect('budgets on the calendar', (dialect) => {
  let t: TestApp;
  let auth: string;
  const admin = () => `Bearer ${t.adminToken}`;
  beforeEach(async () => {
    t = await makeTestApp({ dialect });
    auth = await t.addAccount('team', { balance: 100 });
  });
  afterEach(async () => {
    await t.close();
  });

  const addBudget = async (body: Record<string, unknown>, login = 'team') =>
    t.request('POST', `/admin/accounts/${login}/budgets`, { auth: admin(), body });
  const budgets = async () =>
    (await t.request('GET', '/admin/accounts/team/budgets', { auth: admin() })).body as unknown as {
      budgets: Array<Record<string, unknown>>;
    };
  /** Posts one images task: its code and cost. */
  const post = async (keyword: string) => {
    const res = await t.request('POST', '/v3/serp/google/images/task_post', { auth, body: [imagesTask(keyword)] });
    return [res.body.tasks![0]!.status_code, res.body.tasks![0]!.cost];
  };

  it('refuses a call past a daily budget in New York with 40203 at no cost, until local midnight', async () => {
    const created = await addBudget({ period: 'day', amount: 0.002, time_zone: 'America/New_York' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      period: 'day',
      amount: 0.002,
      api: null,
      time_zone: 'America/New_York',
      alert_at: [0.8, 1],
      spent: 0,
      period_start: '2026-01-15T05:00:00.000Z',
      resets_at: '2026-01-16T05:00:00.000Z',
    });
    for (let i = 0; i < 3; i++) expect(await post(`within ${i}`)).toEqual([20100, TASK]);
    expect(await post('past the budget')).toEqual([40203, 0]);
    expect((await budgets()).budgets[0]).toMatchObject({ spent: 0.0018 });
    // 23:59 in New York: still the same day; UTC midnight passed long ago.
    t.advance((16 * 60 + 59) * 60);
    expect(await post('still today')).toEqual([40203, 0]);
    t.advance(61);
    expect(await post('a new day')).toEqual([20100, TASK]);
    expect((await budgets()).budgets[0]).toMatchObject({ spent: TASK, period_start: '2026-01-16T05:00:00.000Z' });
  });

  it('resets a monthly budget on the 1st, not 30 days after', async () => {
    await addBudget({ period: 'month', amount: 0.0012 });
    expect(await post('one')).toEqual([20100, TASK]);
    expect(await post('two')).toEqual([20100, TASK]);
    expect(await post('three')).toEqual([40203, 0]);
    t.advance(17 * 86_400 - 12 * 3600 - 60); // 2026-01-31 23:59 UTC
    expect(await post('last day of January')).toEqual([40203, 0]);
    t.advance(60);
    expect(await post('first of February')).toEqual([20100, TASK]);
    expect((await budgets()).budgets[0]).toMatchObject({ period_start: '2026-02-01T00:00:00.000Z', resets_at: '2026-03-01T00:00:00.000Z' });
  });

  it('counts what was spent in the period before the budget was added, and lifts when removed', async () => {
    expect(await post('before one')).toEqual([20100, TASK]);
    expect(await post('before two')).toEqual([20100, TASK]);
    const created = await addBudget({ period: 'week', amount: 0.0015 });
    expect(created.body).toMatchObject({ spent: 0.0012, period_start: '2026-01-12T00:00:00.000Z', resets_at: '2026-01-19T00:00:00.000Z' });
    expect(await post('after')).toEqual([40203, 0]);
    const id = (created.body as unknown as { id: number }).id;
    expect((await t.request('DELETE', `/admin/accounts/team/budgets/${id}`, { auth: admin() })).status).toBe(200);
    expect((await budgets()).budgets).toEqual([]);
    expect(await post('no budget')).toEqual([20100, TASK]);
    expect((await t.request('DELETE', `/admin/accounts/team/budgets/${id}`, { auth: admin() })).status).toBe(404);
  });

  it('holds a budget for one API on that API only, live calls included, and only for its account', async () => {
    await addBudget({ period: 'day', amount: 0.015, api: 'dataforseo_labs' });
    const labs = async (target: string, who = auth) =>
      (
        await t.request('POST', '/v3/dataforseo_labs/google/domain_rank_overview/live', {
          auth: who,
          body: [{ target, location_code: 2840 }],
        })
      ).body.tasks![0]!.status_code;
    expect(await labs('first.example')).toBe(20000);
    expect(await labs('second.example')).toBe(40203);
    // SERP is not held by it, nor another account.
    expect((await post('serp is free of it'))[0]).toBe(20100);
    const other = await t.addAccount('other-team', { balance: 100 });
    expect(await labs('second.example', other)).toBe(20000);
    // Tasks of another API's type are held by an all-API budget.
    await addBudget({ period: 'day', amount: 0.02 });
    const ads = await t.request('POST', '/v3/keywords_data/google_ads/search_volume/task_post', {
      auth,
      body: [{ keywords: ['budget keyword'], location_code: 2840 }],
    });
    expect([ads.body.tasks![0]!.status_code, ads.body.tasks![0]!.cost]).toEqual([40203, 0]);
  });

  it('refuses bad budgets with a message naming the field, and unknown accounts with 404', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ period: 'year', amount: 1 }, /period/],
      [{ period: 'day', amount: 0 }, /amount/],
      [{ period: 'day', amount: 1, api: 'no_such_api' }, /api/],
      [{ period: 'day', amount: 1, time_zone: 'Mars/Olympus' }, /time_zone/],
      [{ period: 'day', amount: 1, alert_at: [0, 1] }, /alert_at/],
      [{ period: 'day', amount: 1, alert_url: 'ftp://x' }, /alert_url/],
    ];
    for (const [body, message] of cases) {
      const res = await addBudget(body);
      expect(res.status).toBe(400);
      expect(res.text).toMatch(message);
    }
    expect((await addBudget({ period: 'day', amount: 1 }, 'nobody')).status).toBe(404);
    expect((await budgets()).budgets).toEqual([]);
    expect((await t.request('GET', '/admin/accounts/team/budgets', { auth: null })).status).toBe(401);
  });

  describe('alerts', () => {
    let sink: WebhookSink;
    beforeEach(async () => {
      sink = await startSink();
    });
    afterEach(async () => {
      await sink.close();
    });

    const patchTeam = async (body: Record<string, unknown>) =>
      (await t.request('PATCH', '/admin/accounts/team', { auth: admin(), body })).body as unknown as Record<string, unknown>;
    const alertsOf = async (i = 0) => (await budgets()).budgets[i]!.alerts as Array<Record<string, unknown>>;
    const bodies = () => sink.requests.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    /** The Standard Webhooks signature a receiver computes with the account's secret. */
    const signatureOf = (r: SinkRequest, secret: string) =>
      'v1,' +
      createHmac('sha256', Buffer.from(secret.slice(6), 'base64'))
        .update(`${String(r.headers['webhook-id'])}.${String(r.headers['webhook-timestamp'])}.${r.body}`)
        .digest('base64');

    it('sends one signed alert at 80% and one at 100%, none again in the period, and again in the next', async () => {
      const secret = (await patchTeam({ webhook_secret: true })).webhook_secret as string;
      const created = await addBudget({ period: 'day', amount: 0.003, alert_url: `${sink.base}/ok/alerts` });
      const id = (created.body as unknown as { id: number }).id;
      for (let i = 0; i < 3; i++) expect(await post(`below ${i}`)).toEqual([20100, TASK]);
      expect(await t.runDeliveries()).toBe(0);
      expect(await post('at 80%')).toEqual([20100, TASK]);
      expect(await t.runDeliveries()).toBe(1);
      expect(await post('at 100%')).toEqual([20100, TASK]);
      expect(await post('refused')).toEqual([40203, 0]);
      expect(await post('refused again')).toEqual([40203, 0]);
      expect(await t.runDeliveries()).toBe(1);
      expect(await t.runDeliveries()).toBe(0);
      expect(bodies()).toEqual([
        {
          login: 'team',
          budget_id: id,
          threshold: 0.8,
          spent: 0.0024,
          amount: 0.003,
          period: 'day',
          period_start: '2026-01-15T00:00:00.000Z',
          resets_at: '2026-01-16T00:00:00.000Z',
          api: null,
          time_zone: 'UTC',
          refused: false,
        },
        expect.objectContaining({ budget_id: id, threshold: 1, spent: 0.003, refused: false }),
      ]);
      for (const r of sink.requests) {
        expect(r).toMatchObject({ method: 'POST', url: '/ok/alerts' });
        expect(r.headers['content-type']).toBe('application/json');
        expect(r.headers['user-agent']).toBe('serpq-webhooks/1');
        expect(r.headers['webhook-signature']).toBe(signatureOf(r, secret));
      }
      expect(sink.requests.map((r) => r.headers['webhook-id'])).toEqual([
        `msg_budget-${id}-${Date.UTC(2026, 0, 15)}-0.8`,
        `msg_budget-${id}-${Date.UTC(2026, 0, 15)}-1`,
      ]);
      expect(await alertsOf()).toEqual([
        { threshold: 0.8, sent_at: expect.any(String), delivery: { state: 'delivered', attempts: 1, next_attempt_at: null } },
        { threshold: 1, sent_at: expect.any(String), delivery: { state: 'delivered', attempts: 1, next_attempt_at: null } },
      ]);
      // The next day: a new period, its alerts go again.
      t.advance(12 * 3600);
      expect(await alertsOf()).toEqual([]);
      for (let i = 0; i < 4; i++) expect(await post(`tomorrow ${i}`)).toEqual([20100, TASK]);
      expect(await t.runDeliveries()).toBe(1);
      expect(bodies()[2]).toMatchObject({ threshold: 0.8, period_start: '2026-01-16T00:00:00.000Z', spent: 0.0024 });
      // Alerts are no task's webhooks: the vendor's errors list never shows them.
      const errors = await t.request('POST', '/v3/serp/errors', { auth, body: [{}] });
      expect(errors.body.tasks![0]!.result).toEqual([]);
    });

    it('sends the 100% alert when a call is first refused, below 100%', async () => {
      await addBudget({ period: 'day', amount: 0.001, alert_url: `${sink.base}/ok/refused` });
      expect(await post('60%')).toEqual([20100, TASK]);
      expect(await t.runDeliveries()).toBe(0);
      expect(await post('would be 120%')).toEqual([40203, 0]);
      expect(await post('refused again')).toEqual([40203, 0]);
      expect(await t.runDeliveries()).toBe(1);
      expect(bodies()).toEqual([expect.objectContaining({ threshold: 1, spent: TASK, amount: 0.001, refused: true })]);
      // Unsigned without a secret.
      expect(sink.requests[0]!.headers['webhook-signature']).toBeUndefined();
      expect(await alertsOf()).toEqual([
        expect.objectContaining({ threshold: 1, delivery: expect.objectContaining({ state: 'delivered' }) }),
      ]);
    });

    it('retries a failing receiver on the account’s schedule, logs each attempt, and resends on request', async () => {
      await patchTeam({ webhook_retries: true });
      const created = await addBudget({ period: 'week', amount: 0.0006, alert_at: [1], alert_url: `${sink.base}/flip/alert` });
      const id = (created.body as unknown as { id: number }).id;
      expect(await post('all of it')).toEqual([20100, TASK]);
      expect(await t.runDeliveries()).toBe(1);
      expect(await alertsOf()).toEqual([expect.objectContaining({ delivery: expect.objectContaining({ state: 'pending', attempts: 1 }) })]);
      expect(await t.runDeliveries()).toBe(0); // the retry is due in 5 s
      t.advance(5);
      expect(await t.runDeliveries()).toBe(1);
      sink.flip.ok = true;
      t.advance(5 * 60);
      expect(await t.runDeliveries()).toBe(1);
      expect(sink.requests).toHaveLength(3);
      expect(new Set(sink.requests.map((r) => r.body)).size).toBe(1);
      expect(await alertsOf()).toEqual([
        { threshold: 1, sent_at: expect.any(String), delivery: { state: 'delivered', attempts: 3, next_attempt_at: null } },
      ]);
      // The failed attempts are in the delivery log the dashboard reads (not a task's: no task link).
      const failures = (await t.request('GET', '/admin/failures', { auth: admin() })).body as unknown as {
        webhooks: Array<Record<string, unknown>>;
      };
      expect(failures.webhooks).toEqual([
        expect.objectContaining({ kind: 'budget_alert', login: 'team', budget_id: id, http_code: 500, state: 'delivered', attempts: 3 }),
      ]);

      // Resend: the period's alert again, the same body and message id.
      const resent = await t.request('POST', `/admin/accounts/team/budgets/${id}/alerts/resend`, { auth: admin() });
      expect(resent.body).toEqual({ budget_id: id, resent: 1 });
      expect(await t.runDeliveries()).toBe(1);
      expect(sink.requests).toHaveLength(4);
      expect(sink.requests[3]!.body).toBe(sink.requests[0]!.body);
      expect(sink.requests[3]!.headers['webhook-id']).toBe(sink.requests[0]!.headers['webhook-id']);
      expect((await alertsOf())[0]).toMatchObject({ delivery: { state: 'delivered', attempts: 4 } });
      expect((await t.request('POST', `/admin/accounts/team/budgets/999/alerts/resend`, { auth: admin() })).status).toBe(404);
      expect((await t.request('POST', `/admin/accounts/nobody/budgets/${id}/alerts/resend`, { auth: admin() })).status).toBe(404);
    });

    it('makes one attempt without the retry opt-in', async () => {
      await addBudget({ period: 'day', amount: 0.0006, alert_url: `${sink.base}/s500/alert` });
      // One call crossing both thresholds raises both alerts.
      expect(await post('all of it')).toEqual([20100, TASK]);
      expect(await t.runDeliveries()).toBe(2);
      const failed = { state: 'failed', attempts: 1, next_attempt_at: null };
      expect(await alertsOf()).toEqual([
        expect.objectContaining({ threshold: 0.8, delivery: failed }),
        expect.objectContaining({ threshold: 1, delivery: failed }),
      ]);
      t.advance(3600);
      expect(await t.runDeliveries()).toBe(0);
      expect(sink.requests).toHaveLength(2);
    });

    it('records alerts of a budget without alert_url, and sends nothing', async () => {
      await addBudget({ period: 'day', amount: 0.0012 });
      expect(await post('half')).toEqual([20100, TASK]);
      expect(await post('all')).toEqual([20100, TASK]);
      expect(await post('refused')).toEqual([40203, 0]);
      expect(await t.runDeliveries()).toBe(0);
      expect(sink.requests).toEqual([]);
      expect(await alertsOf()).toEqual([
        { threshold: 0.8, sent_at: '2026-01-15T12:00:00.000Z', delivery: null },
        { threshold: 1, sent_at: '2026-01-15T12:00:00.000Z', delivery: null },
      ]);
    });
  });
});
