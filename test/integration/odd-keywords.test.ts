import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/domain/catalog.js';
import { type TestApp, makeTestApp, minimalTask } from '../helpers/app.js';

/**
 * Keywords a client can send that are awkward to render: a lone UTF-16 surrogate (valid JSON, not
 * valid Unicode; encodeURIComponent throws on it), HTML and URL metacharacters, and a very long
 * one. Every type of the catalog takes them, and every task_get and live function answers in the
 * vendor's envelope: never a 500.
 */
const ODD = ['lone \ud800 surrogate', '<script>alert("x")</script> & %zz ?a=b#c', 'long '.repeat(140).trim()];

describe('odd keywords on every type', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  for (const def of CATALOG.filter((d) => d.subject === 'keyword' || d.subject === 'keyword_optional')) {
    it(`${def.se}/${def.seType}`, async () => {
      const base = `/v3/serp/${def.se}/${def.seType}`;
      const posted = await t.request('POST', `${base}/task_post`, { body: ODD.map((k) => minimalTask(def, k)) });
      expect(posted.status).toBe(200);
      const ids = (posted.body.tasks ?? []).filter((task) => task.status_code === 20100).map((task) => task.id);
      expect(ids.length, JSON.stringify(posted.body.tasks?.map((task) => task.status_message))).toBeGreaterThan(0);
      await t.runWorkers();
      for (const id of ids) {
        for (const fn of def.getFunctions) {
          const got = await t.request('GET', `${base}/task_get/${fn}/${id}`);
          expect(got.status, `task_get/${fn}: ${got.text.slice(0, 200)}`).toBe(200);
          expect(got.body.tasks?.[0]?.status_code).toBe(20000);
        }
      }
      for (const fn of def.live) {
        const live = await t.request('POST', `${base}/live/${fn}`, { body: [minimalTask(def, ODD[0])] });
        expect(live.status, `live/${fn}: ${live.text.slice(0, 200)}`).toBe(200);
      }
    });
  }
});
