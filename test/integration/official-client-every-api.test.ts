/**
 * The vendor's official TypeScript client (dataforseo-client), every API class, against a real serpq
 * HTTP server: each method of a live endpoint or reference list outside the SERP engine, called with
 * a request built from the documented required fields, returns a 2xxxx status, and the client parses
 * the answer into its models without throwing. The task methods of the other APIs' task types
 * (task_post, tasks_ready, task_get) likewise, in the order a user calls them.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { basicAuth, callLiveMethods, callTaskMethods, liveMethods, taskMethods } from '../helpers/official-client-runs.js';
import { type TestApp, makeTestApp } from '../helpers/app.js';

let t: TestApp;
let base = '';

beforeAll(async () => {
  t = await makeTestApp();
  await t.request('PATCH', '/admin/accounts/demo', { auth: `Bearer ${t.adminToken}`, body: { balance: 1_000_000 } });
  await t.app.http.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.http.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await t.close();
});

it('every method of every API class for a served endpoint returns 2xxxx', async () => {
  const endpoints = await liveMethods();
  expect(endpoints.length).toBeGreaterThan(200);
  // Every class (Appendix's status here; its other lists have routes and tests of their own).
  expect(new Set(endpoints.map((e) => e.clientClass)).size).toBe(12);
  expect(await callLiveMethods(base, basicAuth('demo', 'demo'), endpoints)).toEqual([]);
}, 300_000);

it('every task_post, tasks_ready and task_get method of the other APIs returns 2xxxx, in the order a user calls them', async () => {
  const endpoints = await taskMethods();
  expect(endpoints.filter((e) => e.kind === 'task_post').length).toBeGreaterThan(40);
  const failures = await callTaskMethods(base, basicAuth('demo', 'demo'), endpoints, async () => {
    // On-Page crawls take time: the clock moves past them.
    t.advance(60);
    await t.runWorkers();
  });
  expect(failures).toEqual([]);
}, 300_000);
