/**
 * Account controls (daily cost cap 40203, duplicate limits 40205/40206) against a real store of each
 * dialect, their admin API settings, and the in-process usage counters.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock, type TravelClock } from '../../src/domain/clock.js';
import { STATUS } from '../../src/domain/status-codes.js';
import { DAY, HOUR } from '../../src/domain/time-format.js';
import { checkTaskControls, hasTaskControls, payloadHash } from '../../src/services/account-controls.js';
import { createUsage, minuteKey, usageFnOf } from '../../src/services/usage.js';
import { DEFAULT_LIMITS, type AccountRow, type NewTask, type Store } from '../../src/store/store.js';
import { ADMIN_TOKEN, type TestApp, eachDialect, makeTestApp } from '../helpers/app.js';
import { newTaskRow } from '../helpers/new-task.js';
import { type TestStore, createTestStore } from '../helpers/dialects.js';

describe('payloadHash', () => {
  const data = {
    api: 'serp',
    function: 'task_post',
    se: 'google',
    se_type: 'images',
    keyword: 'a b',
    location_code: 2840,
    language_code: 'en',
    tag: 'x',
  };

  it('is stable across key order and ignores the echo keys', () => {
    const h = payloadHash('google', 'images', 'task_post', data);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    const reordered = { tag: 'x', language_code: 'en', location_code: 2840, keyword: 'a b' };
    expect(payloadHash('google', 'images', 'task_post', reordered)).toBe(h);
    expect(payloadHash('google', 'images', 'task_post', { ...data, function: 'other', api: 'x' })).toBe(h);
  });

  it('differs by endpoint and by any posted field', () => {
    const h = payloadHash('google', 'images', 'task_post', data);
    expect(payloadHash('google', 'images', 'live/advanced', data)).not.toBe(h);
    expect(payloadHash('google', 'organic', 'task_post', data)).not.toBe(h);
    expect(payloadHash('bing', 'images', 'task_post', data)).not.toBe(h);
    expect(payloadHash('google', 'images', 'task_post', { ...data, keyword: 'a  b' })).not.toBe(h);
    expect(payloadHash('google', 'images', 'task_post', { ...data, tag: 'y' })).not.toBe(h);
    expect(payloadHash('google', 'images', 'task_post', { ...data, location_code: '2840' })).not.toBe(h);
  });
});

describe('usage counters', () => {
  it('counts per account and function, for the current UTC day and minute', () => {
    const clock = createManualClock(Date.UTC(2026, 0, 15, 23, 58, 30));
    const usage = createUsage(clock);
    expect(usage.snapshot(1)).toEqual({ day: { value: '2026-01-15', counts: {} }, minute: { value: '2026-01-15 23:58', counts: {} } });
    usage.record(1, 'task_post');
    usage.record(1, 'task_post', 4);
    usage.record(1, 'task_get/advanced');
    usage.record(2, 'tasks_ready');
    expect(usage.snapshot(1).minute.counts).toEqual({ task_post: 5, 'task_get/advanced': 1 });
    expect(usage.snapshot(2).day.counts).toEqual({ tasks_ready: 1 });

    clock.advance(60_000); // 23:59:30: a new minute, the same day
    usage.record(1, 'id_list');
    expect(usage.snapshot(1)).toEqual({
      day: { value: '2026-01-15', counts: { task_post: 5, 'task_get/advanced': 1, id_list: 1 } },
      minute: { value: '2026-01-15 23:59', counts: { id_list: 1 } },
    });
    clock.advance(60_000); // 00:00:30: a new day
    expect(usage.snapshot(1)).toEqual({ day: { value: '2026-01-16', counts: {} }, minute: { value: '2026-01-16 00:00', counts: {} } });
    expect(minuteKey(Date.UTC(2026, 4, 3, 7, 5, 59))).toBe('2026-05-03 07:05');
  });

  it('maps request paths to the vendor’s function names', () => {
    expect(usageFnOf('/v3/serp/google/images/task_post')).toBe('task_post');
    expect(usageFnOf('/v3/serp/google/images/task_get/advanced/0115-x?y=1')).toBe('task_get/advanced');
    expect(usageFnOf('/v3/serp/google/organic/live/html')).toBe('live/html');
    expect(usageFnOf('/v3/serp/tasks_ready')).toBe('tasks_ready');
    expect(usageFnOf('/v3/serp/google/tasks_ready')).toBe('tasks_ready');
    expect(usageFnOf('/v3/serp/google/images/tasks_ready')).toBe('tasks_ready');
    expect(usageFnOf('/v3/serp/google/images/tasks_fixed')).toBe('tasks_fixed');
    expect(usageFnOf('/v3/serp/errors')).toBe('errors');
    expect(usageFnOf('/v3/serp/id_list')).toBe('id_list');
    expect(usageFnOf('/v3/serp/google/locations')).toBe('locations');
    expect(usageFnOf('/v3/serp/google/locations/us')).toBe('locations');
    expect(usageFnOf('/v3/serp/google/ads_search/locations')).toBe('locations');
    expect(usageFnOf('/v3/serp/bing/languages')).toBe('languages');
    expect(usageFnOf('/v3/serp/google/ai_mode/languages')).toBe('languages');
    expect(usageFnOf('/v3/appendix/errors')).toBe('appendix_errors');
    expect(usageFnOf('/v3/appendix/webhook_resend')).toBe('webhook_resend');
    expect(usageFnOf('/v3/appendix/user_data')).toBeNull(); // it records itself
    expect(usageFnOf('/v3/serp/google/images/task_get/other/x')).toBeNull();
    expect(usageFnOf('/admin/accounts')).toBeNull();
    expect(usageFnOf('/healthz')).toBeNull();
  });
});

eachDialect('checkTaskControls', (dialect) => {
  let ts: TestStore;
  let store: Store;
  let clock: TravelClock;
  let seq = 0;

  beforeEach(async () => {
    ts = await createTestStore(dialect, `controls-${expect.getState().currentTestName}`);
    store = ts.store;
    await store.migrate();
    // 22:00 UTC: two hours before the day (and the cost cap) resets.
    clock = createManualClock(Date.UTC(2026, 0, 15, 22, 0, 0));
  });
  afterEach(async () => {
    await ts.cleanup();
  });

  async function account(patch: Parameters<Store['updateAccount']>[1]): Promise<AccountRow> {
    await store.createAccount({
      login: 'alice',
      passwordHash: 'h',
      balanceMicro: 100_000_000,
      limits: DEFAULT_LIMITS,
      createdAt: clock.now(),
    });
    return (await store.updateAccount('alice', patch))!;
  }

  function task(hash: string, costMicro: number, postedAt = clock.now()): NewTask {
    const id = `01152200-0001-0066-0000-${(++seq).toString(16).padStart(12, '0')}`;
    return newTaskRow(id, postedAt, { costMicro, readyJson: '{}', payloadHash: hash });
  }

  const codes = (out: Array<{ code: number } | null>) => out.map((s) => s?.code ?? null);

  it('lets everything through when no control is set', async () => {
    const a = await account({});
    expect(hasTaskControls(a)).toBe(false);
    await store.postTasks(a.id, [task('h', 600), task('h', 600)]);
    expect(
      await checkTaskControls(store, clock, a, [
        { payloadHash: 'h', costMicro: 10_000_000 },
        { payloadHash: 'h', costMicro: 1 },
      ]),
    ).toEqual([null, null]);
  });

  it('applies the daily cost cap to the UTC day’s spend plus earlier candidates of the call', async () => {
    const a = await account({ dailyCostLimitMicro: 3000 });
    expect(hasTaskControls(a)).toBe(true);
    // Yesterday's spend does not count; today's does.
    await store.postTasks(a.id, [task('old', 5000, clock.now() - DAY), task('x', 1200, clock.now() - HOUR)]);
    const out = await checkTaskControls(store, clock, a, [
      { payloadHash: 'a', costMicro: 600 },
      { payloadHash: 'b', costMicro: 1200 }, // 1200 + 600 + 1200 = 3000: exactly the cap
      { payloadHash: 'c', costMicro: 600 }, // would be 3600
      { payloadHash: 'd', costMicro: 0 },
    ]);
    expect(codes(out)).toEqual([null, null, 40203, null]);
    expect(out[2]).toBe(STATUS.COST_LIMIT);
    // After 00:00 UTC the cap starts again.
    clock.advance(2 * HOUR);
    expect(
      codes(
        await checkTaskControls(store, clock, a, [
          { payloadHash: 'c', costMicro: 3000 },
          { payloadHash: 'e', costMicro: 1 },
        ]),
      ),
    ).toEqual([null, 40203]);
  });

  it('limits identical tasks per hour (40205) and per day (40206), counting the call’s own', async () => {
    const a = await account({ duplicateLimitHour: 10, duplicateLimitDay: 20 });
    // 8 identical tasks in the last hour, 10 more earlier today, 30 yesterday.
    await store.postTasks(a.id, [
      ...Array.from({ length: 8 }, () => task('dup', 600, clock.now() - 30 * 60_000)),
      ...Array.from({ length: 10 }, () => task('dup', 600, clock.now() - 3 * HOUR)),
      ...Array.from({ length: 30 }, () => task('dup', 600, clock.now() - DAY - HOUR)),
      task('other', 600),
    ]);
    const call = [...Array.from({ length: 3 }, () => ({ payloadHash: 'dup', costMicro: 600 })), { payloadHash: 'other', costMicro: 600 }];
    expect(codes(await checkTaskControls(store, clock, a, call))).toEqual([null, null, 40205, null]);
    // Two hours later the hour window is empty, but the day has 18 + ... identical tasks.
    await store.postTasks(a.id, [task('dup', 600), task('dup', 600)]); // the day: 20
    clock.advance(HOUR + 1);
    expect(
      codes(
        await checkTaskControls(store, clock, a, [
          { payloadHash: 'dup', costMicro: 600 },
          { payloadHash: 'new', costMicro: 600 },
        ]),
      ),
    ).toEqual([40206, null]);
    // Hour limit off: only the day counts; a rejected candidate uses no cost budget.
    const b = (await store.updateAccount('alice', { duplicateLimitHour: null, dailyCostLimitMicro: 1_000_000 }))!;
    clock.advance(HOUR); // 00:00:00.001 of the next day: every window is fresh
    const many = Array.from({ length: 22 }, () => ({ payloadHash: 'dup', costMicro: 600 }));
    expect(codes(await checkTaskControls(store, clock, b, many))).toEqual([...Array(20).fill(null), 40206, 40206]);
  });

  it('checks the hour limit before the day limit and both before the cost cap', async () => {
    const a = await account({ duplicateLimitHour: 10, duplicateLimitDay: 10, dailyCostLimitMicro: 0 });
    await store.postTasks(
      a.id,
      Array.from({ length: 10 }, () => task('dup', 0)),
    );
    expect(
      codes(
        await checkTaskControls(store, clock, a, [
          { payloadHash: 'dup', costMicro: 600 },
          { payloadHash: 'new', costMicro: 600 },
          { payloadHash: 'free', costMicro: 0 },
        ]),
      ),
    ).toEqual([40205, 40203, null]);
  });
});

describe('account controls in the admin API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const admin = async (method: 'POST' | 'PATCH' | 'GET', url: string, body?: unknown) => {
    const res = await t.app.http.inject({
      method,
      url,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      payload: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.statusCode, body: JSON.parse(res.body) as Record<string, unknown> };
  };

  it('creates, shows, changes and clears the controls', async () => {
    const created = await admin('POST', '/admin/accounts', {
      login: 'ctl',
      password: 'pw',
      balance: 5,
      daily_cost_limit: 1.25,
      duplicate_limit_hour: 10,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ login: 'ctl', daily_cost_limit: 1.25, duplicate_limit_hour: 10, duplicate_limit_day: null });
    const row = await t.app.store.accountByLogin('ctl');
    expect(row).toMatchObject({ dailyCostLimitMicro: 1_250_000, duplicateLimitHour: 10, duplicateLimitDay: null });

    const patched = await admin('PATCH', '/admin/accounts/ctl', { duplicate_limit_day: 100, daily_cost_limit: null });
    expect(patched.body).toMatchObject({ daily_cost_limit: null, duplicate_limit_hour: 10, duplicate_limit_day: 100 });
    const listed = await admin('GET', '/admin/accounts');
    expect((listed.body.accounts as Array<Record<string, unknown>>).find((a) => a.login === 'ctl')).toMatchObject({
      daily_cost_limit: null,
      duplicate_limit_day: 100,
    });
    expect((await admin('PATCH', '/admin/accounts/ctl', { duplicate_limit_hour: null })).body).toMatchObject({
      duplicate_limit_hour: null,
    });
    // Other accounts show the defaults: no controls.
    expect((listed.body.accounts as Array<Record<string, unknown>>).find((a) => a.login === 'demo')).toMatchObject({
      daily_cost_limit: null,
      duplicate_limit_hour: null,
      duplicate_limit_day: null,
    });
  });

  it('refuses values the vendor does not allow, before creating anything', async () => {
    for (const bad of [
      { duplicate_limit_hour: 5 },
      { duplicate_limit_hour: 15 },
      { duplicate_limit_day: 110 },
      { duplicate_limit_day: '20' },
      { daily_cost_limit: -1 },
      { daily_cost_limit: 'lots' },
    ]) {
      const res = await admin('PATCH', '/admin/accounts/demo', bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      const create = await admin('POST', '/admin/accounts', { login: 'never', password: 'pw', ...bad });
      expect(create.status, JSON.stringify(bad)).toBe(400);
    }
    expect(await t.app.store.accountByLogin('never')).toBeNull();
    expect((await admin('PATCH', '/admin/accounts/demo', { daily_cost_limit: 0, duplicate_limit_day: 10 })).body).toMatchObject({
      daily_cost_limit: 0,
      duplicate_limit_day: 10,
    });
  });
});
