import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { machineKey } from '../../src/worker/owners.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { basicAuth, imagesTask } from '../helpers/app.js';
import { createTestStore, pgSkipNote, type TestStore } from '../helpers/dialects.js';
import { killAllServers, startServer, startWorker } from '../helpers/server-process.js';
import { type WebhookSink, startSink } from '../helpers/webhook-sink.js';

/**
 * Work resumes within seconds of a crash, on the real clock (no clock move, no settle): a restarted
 * process frees the claims of its dead predecessor at start, and a live process frees those of an
 * owner whose heartbeat stopped. These tests measure the time from the restart (or the kill) until
 * every accepted task is executed and every webhook delivered or its task listed, by reading the
 * database beside the running processes, and hold it under 5 s.
 */
pgSkipNote();

const TOKEN = 'recovery-time-admin-token';
const AUTH = basicAuth('demo', 'demo');
const HAS_PG = Boolean(process.env.SERPQ_TEST_PG_URL);
const LIMIT_MS = 5000;

async function post(base: string, tasks: Record<string, unknown>[]): Promise<string[]> {
  const res = await fetch(`${base}/v3/serp/google/images/task_post`, {
    method: 'POST',
    headers: { authorization: AUTH },
    body: JSON.stringify(tasks),
  });
  const json = (await res.json()) as { tasks: Array<{ id: string; status_code: number }> };
  for (const t of json.tasks) expect(t.status_code).toBe(20100);
  return json.tasks.map((t) => t.id);
}

/** True once every task is done and its webhooks are settled (delivered, or failed and listed). */
async function finished(store: Store, ids: readonly string[]): Promise<boolean> {
  const rows = await store.tasksByIds(ids);
  return rows.length === ids.length && rows.every((t) => t.state === 'done' && t.webhookState !== 'pending');
}

/**
 * Reads the database every 25 ms until `done` holds; returns the milliseconds it took. This watches
 * real processes doing real work; the test's timeout bounds a hang.
 */
async function timeUntil(done: () => Promise<boolean>): Promise<number> {
  const start = performance.now();
  while (!(await done())) await new Promise((r) => setTimeout(r, 25));
  return performance.now() - start;
}

describe('recovery time after kill -9 (SQLite, one process)', () => {
  let dir = '';
  let sink: WebhookSink | null = null;
  afterEach(async () => {
    await killAllServers();
    await sink?.close();
    sink = null;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('postbacks in flight at the kill: every one delivered within 5 s of the restart', async () => {
    dir = mkdtempSync(join(tmpdir(), 'serpq-recovery-'));
    const db = join(dir, 'serpq.db');
    sink = await startSink();
    const flags = { db, adminToken: TOKEN, extraArgs: ['--allow-private-webhooks'], env: { SERPQ_WEBHOOK_TIMEOUT_MS: '60000' } };
    let server = await startServer(flags);
    const ids: string[] = [];
    for (let c = 0; c < 2; c++) {
      const tasks = Array.from({ length: 100 }, (_, i) =>
        imagesTask(`r${c}-${i}`, { postback_url: `${sink!.base}/hold/pb?id=$id`, postback_data: 'advanced' }),
      );
      ids.push(...(await post(server.base, tasks)));
    }
    await sink.waitFor(32); // the host's share of calls is in flight and hanging: claimed under 60 s leases
    await server.kill();
    sink.flip.ok = true; // the receiver answers from now on

    server = await startServer(flags);
    const store = new SqliteStore({ path: db });
    await store.migrate();
    try {
      const ms = await timeUntil(() => finished(store, ids));
      const rows = await store.tasksByIds(ids);
      expect(rows.filter((t) => t.webhookState === 'delivered')).toHaveLength(200);
      console.info(`recovery (SQLite, delivery): 200 postbacks settled ${Math.round(ms)} ms after the restart`);
      expect(ms).toBeLessThan(LIMIT_MS);
    } finally {
      await store.close();
    }
  });

  it('tasks claimed by the killed process: executed within 5 s of the restart, each completed once', async () => {
    dir = mkdtempSync(join(tmpdir(), 'serpq-recovery-'));
    const db = join(dir, 'serpq.db');
    // Ingest without workers, then leave half the tasks claimed by the killed process itself, as if
    // it died mid-execution (the sandbox executes instantly, so a real kill rarely lands there).
    let server = await startServer({ db, adminToken: TOKEN, noWorkers: true });
    const ids: string[] = [];
    for (let c = 0; c < 3; c++)
      ids.push(
        ...(await post(
          server.base,
          Array.from({ length: 100 }, (_, i) => imagesTask(`c${c}-${i}`)),
        )),
      );
    const deadPid = server.child.pid!;
    await server.kill();
    const store = new SqliteStore({ path: db });
    await store.migrate();
    try {
      const now = Date.now();
      await store.registerOwner({ id: 'p-killed', machine: machineKey(), pid: deadPid, startedAt: now - 1000, heartbeatAt: now });
      expect(await store.claimTasks('p-killed', now, 120_000, 150)).toHaveLength(150);

      server = await startServer({ db, adminToken: TOKEN });
      const ms = await timeUntil(() => finished(store, ids));
      const rows = await store.tasksByIds(ids);
      expect(rows.filter((t) => t.statusCode === 20000 && t.leaseOwner === null)).toHaveLength(300);
      expect(rows.filter((t) => t.attempts === 2)).toHaveLength(150); // claimed by the dead one, then once more
      console.info(`recovery (SQLite, execution): 150 claimed + 150 queued tasks done ${Math.round(ms)} ms after the restart`);
      expect(ms).toBeLessThan(LIMIT_MS);
    } finally {
      await store.close();
    }
  });
});

describe.runIf(HAS_PG)('recovery time on PostgreSQL: a worker killed while another runs', () => {
  let ts: TestStore | null = null;
  let sink: WebhookSink | null = null;
  afterEach(async () => {
    await killAllServers();
    await sink?.close();
    sink = null;
    await ts?.cleanup();
    ts = null;
  });

  it('the live worker takes the dead one’s claims at once (same machine) and delivers everything within 5 s', async () => {
    ts = await createTestStore('postgres', 'recovery-time-pg-kill');
    sink = await startSink();
    const env = { SERPQ_WEBHOOK_TIMEOUT_MS: '60000' };
    const api = await startServer({ db: ts.url, adminToken: TOKEN, noWorkers: true });
    const ids = await post(
      api.base,
      Array.from({ length: 100 }, (_, i) =>
        imagesTask(`w${i}`, { postback_url: `${sink!.base}/hold/pb?id=$id`, postback_data: 'advanced' }),
      ),
    );
    const doomed = await startWorker({ db: ts.url, extraArgs: ['--allow-private-webhooks'], env });
    await sink.waitFor(32); // its share of calls hangs at the receiver
    await startWorker({ db: ts.url, extraArgs: ['--allow-private-webhooks'], env });
    await doomed.kill();
    const killedAt = performance.now();
    sink.flip.ok = true;
    await timeUntil(() => finished(ts!.store, ids));
    const ms = performance.now() - killedAt;
    const rows = await ts.store.tasksByIds(ids);
    expect(rows.filter((t) => t.webhookState === 'delivered')).toHaveLength(100);
    console.info(`recovery (PostgreSQL, worker killed): 100 postbacks settled ${Math.round(ms)} ms after the kill`);
    expect(ms).toBeLessThan(LIMIT_MS);
  });

  it('an owner on another machine that stops heartbeating loses its claims after the timeout, not before', async () => {
    ts = await createTestStore('postgres', 'recovery-time-pg-silent');
    const api = await startServer({ db: ts.url, adminToken: TOKEN, noWorkers: true });
    const ids = await post(
      api.base,
      Array.from({ length: 50 }, (_, i) => imagesTask(`s${i}`)),
    );
    const store = new PostgresStore({ url: ts.url, poolSize: 2 });
    try {
      const now = Date.now();
      await store.registerOwner({ id: 'p-remote', machine: 'another-machine', pid: 1, startedAt: now, heartbeatAt: now });
      expect(await store.claimTasks('p-remote', now, 120_000, 50)).toHaveLength(50);
      const started = performance.now();
      await startWorker({ db: ts.url, extraArgs: ['--heartbeat-timeout', '2s'] });
      const ms = await timeUntil(() => finished(store, ids));
      const total = performance.now() - started;
      const rows = await store.tasksByIds(ids);
      expect(rows.every((t) => t.attempts === 2 && t.statusCode === 20000)).toBe(true);
      console.info(
        `recovery (PostgreSQL, silent owner, 2 s timeout): claims taken and done ${Math.round(total)} ms after the worker started`,
      );
      // Never before the owner had been silent for the timeout; then within a beat and a poll.
      expect(Date.now() - now).toBeGreaterThanOrEqual(2000);
      expect(ms).toBeLessThan(2000 + LIMIT_MS);
    } finally {
      await store.close();
    }
  });
});
