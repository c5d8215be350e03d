import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresStore, parsePostgresUrl } from '../../src/store/postgres/postgres-store.js';
import { basicAuth } from '../helpers/app.js';
import { createTestStore, pgSkipNote, type TestStore } from '../helpers/dialects.js';
import { type ServerProcess, killAllServers, startServer, startWorker } from '../helpers/server-process.js';

const TOKEN = 'multi-process-admin-token';
const AUTH = basicAuth('demo', 'demo');
const TOTAL = 20_000;
const HAS_PG = Boolean(process.env.SERPQ_TEST_PG_URL);

interface Envelope {
  status_code: number;
  tasks: Array<{ id: string; status_code: number; result: Array<{ id: string }> | null }> | null;
}

async function call(base: string, method: 'GET' | 'POST', path: string, body?: unknown, auth = AUTH): Promise<Envelope> {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: auth },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as Envelope;
}

async function admin(base: string, method: 'POST' | 'PATCH', path: string, body: unknown): Promise<void> {
  const res = await fetch(base + path, { method, headers: { authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
}

/** Posts TOTAL tasks in calls of 100 spread over the API nodes, 8 calls in flight; returns the accepted ids. */
async function postAll(apis: ServerProcess[], prefix: string): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  const calls = TOTAL / 100;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let c = next++; c < calls; c = next++) {
        const tasks = Array.from({ length: 100 }, (_, i) => ({
          keyword: `${prefix} ${c}-${i}`,
          location_code: 2840,
          language_code: 'en',
          depth: 1,
        }));
        const res = await call(apis[c % apis.length].base, 'POST', '/v3/serp/google/images/task_post', tasks);
        for (const t of res.tasks ?? []) {
          expect(t.status_code).toBe(20100);
          ids.push(t.id);
        }
      }
    }),
  );
  return ids;
}

/**
 * Completions in the worker processes, as events: the store NOTIFYs its `ready` channel with every
 * completion (at commit, so the tasks are listed by then). `count` is how many have arrived.
 */
interface Completions {
  count: number;
  /** Resolves once more than `seen` notifications have arrived. */
  after(seen: number): Promise<void>;
  close(): Promise<void>;
}

async function listenForCompletions(url: string): Promise<Completions> {
  const store = new PostgresStore({ url });
  const channel = store.channels.ready;
  const client = new pg.Client({ connectionString: parsePostgresUrl(url).connectionString });
  await store.close();
  let waiters: (() => void)[] = [];
  const completions: Completions = {
    count: 0,
    after(seen) {
      return new Promise<void>((resolve) => {
        const check = () => (completions.count > seen ? resolve() : waiters.push(check));
        check();
      });
    },
    close: () => client.end(),
  };
  client.on('notification', (m) => {
    if (m.channel !== channel) return;
    completions.count++;
    const woken = waiters;
    waiters = [];
    for (const w of woken) w();
  });
  await client.connect();
  await client.query(`LISTEN "${channel.replace(/"/g, '""')}"`);
  return completions;
}

/**
 * Collects through tasks_ready and task_get from either API node until every id is collected: each
 * listed exactly once per page, collected exactly once, never listed after collection. The workers run
 * in other processes: an empty page waits for their next completion, counted from before the page was
 * read so that none is missed (the test's timeout bounds a hang).
 */
async function drain(
  apis: ServerProcess[],
  completions: Completions,
  expected: Set<string>,
  onProgress?: (collected: number) => Promise<void>,
): Promise<void> {
  const collected = new Set<string>();
  let round = 0;
  while (collected.size < expected.size) {
    const api = apis[round++ % apis.length];
    const seen = completions.count;
    const page = await call(api.base, 'GET', '/v3/serp/tasks_ready');
    expect(page.status_code).toBe(20000);
    const ids = (page.tasks?.[0].result ?? []).map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    if (ids.length === 0) {
      await completions.after(seen);
      continue;
    }
    let k = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = k++; i < ids.length; i = k++) {
          const id = ids[i];
          expect(collected.has(id)).toBe(false); // never listed after collection
          expect(expected.has(id)).toBe(true);
          const got = await call(apis[i % apis.length].base, 'GET', `/v3/serp/google/images/task_get/advanced/${id}`);
          expect(got.tasks?.[0].status_code).toBe(20000);
          collected.add(id);
        }
      }),
    );
    await onProgress?.(collected.size);
  }
  expect(collected.size).toBe(expected.size);
  const last = await call(apis[0].base, 'GET', '/v3/serp/tasks_ready');
  expect(last.tasks?.[0].result).toEqual([]);
}

describe.skipIf(!HAS_PG)('many processes on one PostgreSQL', () => {
  let db: TestStore | null = null;
  let completions: Completions | null = null;
  afterEach(async () => {
    await killAllServers();
    await completions?.close();
    await db?.cleanup();
  });

  it('two API and two worker processes: 20,000 tasks listed and collected exactly once, also with a worker killed mid-run', async () => {
    pgSkipNote();
    db = await createTestStore('postgres', 'multi-process');
    const common = { db: db.url, adminToken: TOKEN, timeTravel: true, noWorkers: true };
    // Both API nodes start at once on the fresh database: migrations and the demo account must cope.
    const apis = await Promise.all([startServer(common), startServer(common)]);
    await admin(apis[0].base, 'PATCH', '/admin/accounts/demo', {
      balance: 1000,
      limits: { tasks_ready_per_minute: 1_000_000, requests_per_minute: 1_000_000, concurrent_requests: 1000 },
    });
    const workers = await Promise.all([startWorker({ db: db.url, timeTravel: true }), startWorker({ db: db.url, timeTravel: true })]);

    completions = await listenForCompletions(db.url);

    const first = await postAll(apis, 'round one');
    expect(new Set(first).size).toBe(TOTAL);
    await drain(apis, completions, new Set(first));

    // Round two: tasks due a minute after posting (API nodes restarted with latency); once the clock
    // makes them due, one worker is killed while they run, and its claimed tasks are taken over by
    // the other once their leases expire (the clock is moved past them).
    await Promise.all(apis.map((a) => a.kill()));
    const latent = await Promise.all([startServer({ ...common, latency: '60s' }), startServer({ ...common, latency: '60s' })]);
    const second = await postAll(latent, 'round two');
    expect(new Set(second).size).toBe(TOTAL);
    await admin(latent[0].base, 'POST', '/admin/clock', { advance_seconds: 61 });
    let killed = false;
    await drain(latent, completions, new Set(second), async (n) => {
      if (!killed && n > 0) {
        killed = true;
        await workers[0].kill();
        // Past the 120 s lease of whatever the killed worker had claimed.
        await admin(latent[1].base, 'POST', '/admin/clock', { advance_seconds: 121 });
      }
    });
    expect(killed).toBe(true);
  }, 240_000);
});
