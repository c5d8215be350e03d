/**
 * The vendor's official TypeScript client (dataforseo-client), every API class, against a real serpq
 * HTTP server: each method of a live endpoint or reference list outside the SERP engine, called with
 * a request built from the documented required fields, returns a 2xxxx status, and the client parses
 * the answer into its models without throwing. The task methods of the other APIs' task types
 * (task_post, tasks_ready, task_get) likewise, in the order a user calls them.
 */
import type { AddressInfo } from 'node:net';
import * as client from 'dataforseo-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Endpoint, API_NAMES, loadApi } from '../../src/domain/api-catalog/index.js';
import { createSandboxExecutor } from '../../src/executors/sandbox/sandbox-executor.js';
import { servesTaskEndpoint } from '../../src/services/catalog-tasks.js';
import { isCrawlEndpoint } from '../../src/services/on-page.js';
import { servesEndpoint } from '../../src/services/endpoint-calls.js';
import { minimalRequest } from '../helpers/catalog-requests.js';
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

const authFetch = {
  fetch: (url: RequestInfo, init?: RequestInit) =>
    fetch(url, { ...init, headers: { ...init?.headers, Authorization: `Basic ${btoa('demo:demo')}` } }),
};

interface ClientAnswer {
  status_code?: number;
  tasks?: Array<{ status_code?: number; status_message?: string }>;
}

it('every method of every API class for a served endpoint returns 2xxxx', async () => {
  const endpoints: Endpoint[] = [];
  // The SERP engine's own live paths have tests of their own (official-client*.test.ts).
  const serpEngine = /^serp\/[^/]+\/[^/]+\/live/;
  for (const name of API_NAMES)
    for (const e of (await loadApi(name)).endpoints) if (e.clientMethod && servesEndpoint(e) && !serpEngine.test(e.path)) endpoints.push(e);
  const classes = new Set(endpoints.map((e) => e.clientClass));
  expect(endpoints.length).toBeGreaterThan(200);
  // Every class (Appendix's status here; its other lists have routes and tests of their own).
  expect(classes.size).toBe(12);
  const failures: string[] = [];
  for (const e of endpoints) {
    const Api = (
      client as unknown as Record<
        string,
        new (base: string, http: unknown) => Record<string, (...args: unknown[]) => Promise<ClientAnswer>>
      >
    )[e.clientClass!];
    if (!Api) {
      failures.push(`${e.clientClass} is not exported by the client`);
      continue;
    }
    const api = new Api(base, authFetch);
    const args = e.method === 'POST' ? [[minimalRequest(e)]] : e.params.map((p) => (p === 'country' ? 'us' : 'x'));
    try {
      const answer = await api[e.clientMethod!]!(...args);
      const code = answer?.tasks?.[0]?.status_code ?? answer?.status_code;
      if (!code || code < 20000 || code >= 30000)
        failures.push(`${e.clientClass}.${e.clientMethod}: ${code} ${answer?.tasks?.[0]?.status_message}`);
    } catch (err) {
      failures.push(`${e.clientClass}.${e.clientMethod}: threw ${(err as Error).message?.slice(0, 200)}`);
    }
  }
  expect(failures).toEqual([]);
}, 300_000);

/** What the test app runs (its executor is not exposed): the task endpoints it serves. */
const sandbox = createSandboxExecutor({ latency: { normal: 0, high: 0 } });

type ClientClass = new (base: string, http: unknown) => Record<string, (...args: unknown[]) => Promise<ClientAnswer>>;

it('every task_post, tasks_ready and task_get method of the other APIs returns 2xxxx, in the order a user calls them', async () => {
  const endpoints: Endpoint[] = [];
  for (const name of API_NAMES)
    for (const e of (await loadApi(name)).endpoints) if (e.clientMethod && servesTaskEndpoint(e, sandbox)) endpoints.push(e);
  const byKind = (kind: string) => endpoints.filter((e) => e.kind === kind);
  expect(byKind('task_post').length).toBeGreaterThan(40);
  const failures: string[] = [];
  const call = async (e: Endpoint, ...args: unknown[]): Promise<ClientAnswer | null> => {
    const Api = (client as unknown as Record<string, ClientClass>)[e.clientClass!];
    try {
      const answer = await new Api!(base, authFetch)[e.clientMethod!]!(...args);
      const code = answer?.tasks?.[0]?.status_code ?? answer?.status_code;
      if (!code || code < 20000 || code >= 30000)
        failures.push(`${e.clientClass}.${e.clientMethod}: ${code} ${answer?.tasks?.[0]?.status_message}`);
      return answer;
    } catch (err) {
      failures.push(`${e.clientClass}.${e.clientMethod}: threw ${(err as Error).message?.slice(0, 200)}`);
      return null;
    }
  };
  const ids = new Map<string, string>();
  for (const e of byKind('task_post')) {
    const answer = (await call(e, [minimalRequest(e)])) as { tasks?: Array<{ id?: string }> } | null;
    const id = answer?.tasks?.[0]?.id;
    if (id) ids.set(e.type!, id);
  }
  // On-Page crawls take time: the clock moves past them.
  t.advance(60);
  await t.runWorkers();
  for (const e of byKind('tasks_ready')) await call(e);
  for (const e of byKind('task_get')) {
    const id = ids.get(e.type!);
    // On-Page's functions over a crawl take the crawl's id in a posted task.
    if (id) await call(e, e.idIn === 'body' ? [{ ...minimalRequest(e), id }] : id);
    else failures.push(`${e.clientClass}.${e.clientMethod}: no task of ${e.type} was posted`);
  }
  expect(failures).toEqual([]);
}, 300_000);
