import { afterEach, beforeEach, expect, it } from 'vitest';
import { findSeType } from '../../src/domain/catalog.js';
import type { Executor } from '../../src/executors/executor.js';
import { runLive } from '../../src/services/live.js';
import { type TestApp, eachDialect, makeTestApp } from '../helpers/app.js';

eachDialect('live', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp({ dialect });
  });
  afterEach(async () => {
    await t.close();
  });

  it('answers 50401 when the executor does not finish in time, and keeps the task for id_list', async () => {
    const hanging: Executor = { name: 'hanging', latencyMs: () => 0, execute: () => new Promise(() => {}) };
    const account = (await t.app.store.accountByLogin('demo'))!;
    const def = findSeType('google', 'organic')!;
    const out = await runLive(
      { store: t.app.store, clock: t.app.clock, executor: hanging, notifyQueued: () => {}, notifyDeliveries: () => {} },
      { account, url: '/v3/serp/google/organic/live/advanced', startedAt: performance.now() },
      def,
      'advanced',
      [{ keyword: 'slow', location_code: 2840, language_code: 'en' }],
      50, // the vendor's limit is 120 s; a short one here
    );
    expect(out.httpStatus).toBe(200);
    expect(out.body.tasks![0]).toMatchObject({ status_code: 50401, status_message: 'Internal Error - Timeout.', result: null });
    const ids = await t.request('POST', '/v3/serp/id_list', {
      body: [{ datetime_from: '2026-01-15 11:00:00 +00:00', datetime_to: '2026-01-15 12:00:00 +00:00' }],
    });
    const rows = ids.body.tasks![0].result as Array<{ id: string; status: string; url: string }>;
    expect(rows.find((r) => r.id === out.body.tasks![0].id)).toMatchObject({
      status: '50401',
      url: 'v3/serp/google/organic/live/advanced',
    });
  });

  it('rejects bad live bodies with the vendor codes and charges nothing', async () => {
    const before = (await t.app.store.accountByLogin('demo'))!.balanceMicro;
    const url = '/v3/serp/google/organic/live/advanced';
    expect((await t.request('POST', url, { rawBody: '', headers: { 'content-type': 'application/json' } })).body.status_code).toBe(40502);
    expect((await t.request('POST', url, { rawBody: '{', headers: { 'content-type': 'application/json' } })).body.status_code).toBe(40503);
    const invalid = await t.request('POST', url, { body: [{ keyword: 'x', location_code: 1, language_code: 'en' }] });
    expect(invalid.body.tasks![0]).toMatchObject({ status_code: 40501, status_message: "Invalid Field: 'location_code'.", cost: 0 });
    expect((await t.app.store.accountByLogin('demo'))!.balanceMicro).toBe(before);
  });
});
