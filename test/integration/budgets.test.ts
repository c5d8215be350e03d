/**
 * Budgets on the calendar through the admin API and the vendor protocol, on both stores: a call that
 * would pass a budget is refused with 40203 at no cost; a day in America/New_York resets at local
 * midnight and a month on the 1st (time travel); a budget added after spending counts the period's
 * spend; a budget for one API holds that API only; removing a budget lifts it.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type TestApp, eachDialect, imagesTask, makeTestApp } from '../helpers/app.js';

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
});
