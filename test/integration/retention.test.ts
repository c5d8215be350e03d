import { afterEach, beforeEach, expect, it } from 'vitest';
import { type TestApp, eachDialect, imagesTask, makeTestApp, postImages } from '../helpers/app.js';
import { startSink, type WebhookSink } from '../helpers/webhook-sink.js';

eachDialect('retention', (dialect) => {
  let t: TestApp;
  let sink: WebhookSink;
  beforeEach(async () => {
    t = await makeTestApp({ dialect });
    sink = await startSink();
  });
  afterEach(async () => {
    await t.close();
    await sink.close();
  });

  it('deletes webhook attempts after 7 days and tasks after 180 days, in bounded batches', async () => {
    const ids = await postImages(
      t,
      Array.from({ length: 25 }, (_, i) => imagesTask(`r${i}`, { pingback_url: `${sink.base}/s500/p?id=$id` })),
    );
    await t.runWorkers();
    await t.runDeliveries();
    const errorsCount = async () => ((await t.request('POST', '/v3/serp/errors', { body: [{}] })).body.tasks![0].result ?? []).length;
    expect(await errorsCount()).toBe(25);
    await t.app.retention!.runOnce(); // nothing is old yet
    expect(await errorsCount()).toBe(25);

    t.advance(8 * 86400);
    expect(await t.app.retention!.runOnce()).toBeGreaterThanOrEqual(25);
    expect(await errorsCount()).toBe(0);
    // Results are past the html window but the task and its advanced result remain.
    const adv = await t.request('GET', `/v3/serp/google/images/task_get/advanced/${ids[0]}`);
    expect(adv.body.tasks![0].status_code).toBe(20000);

    t.advance(31 * 86400);
    expect((await t.request('GET', `/v3/serp/google/images/task_get/advanced/${ids[1]}`)).body.tasks![0].status_code).toBe(40403);

    t.advance(142 * 86400); // 181 days after posting
    // Batches of 10 per table: one batch takes 10 of the 25 tasks, further runs the rest.
    const small = await import('../../src/worker/retention.js').then((m) =>
      m.createRetention({ store: t.app.store, clock: t.app.clock, batch: 10 }),
    );
    const gone = async () => {
      let n = 0;
      for (const id of ids)
        if ((await t.request('GET', `/v3/serp/google/images/task_get/advanced/${id}`)).body.tasks![0].status_code === 40401) n++;
      return n;
    };
    await small.runOnce(1);
    expect(await gone()).toBe(10);
    await small.runOnce();
    expect(await gone()).toBe(25);
  });
});
