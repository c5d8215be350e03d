import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { machineKey } from '../../src/runtime/process-identity.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { basicAuth, imagesTask } from '../helpers/app.js';
import { createTestStore, pgSkipNote, type TestStore } from '../helpers/dialects.js';
import { type WorkerProcess, killAllServers, startServer, startWorker } from '../helpers/server-process.js';
import { type SinkRequest, type WebhookSink, startSink } from '../helpers/webhook-sink.js';

/**
 * Work resumes within seconds of a crash, on the real clock (no clock move; the measured work is done
 * by the processes' own loops, not by a settle): a restarted process frees the claims of its dead
 * predecessor at start, and a live process frees those of an owner whose heartbeat stopped. These tests measure the time from the restart (or the kill) until
 * every accepted task is executed and its webhook has reached the receiver, and hold it under 5 s.
 * Each task has a postback or pingback to the test's sink, so its completion is an event there: the
 * test waits on the sink's arrivals, then reads the database once, after the processes stored the
 * outcomes (POST /admin/settle, or a worker's graceful stop).
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

/**
 * A sink condition: a webhook of every one of `ids` arrived among the requests from number `from` on
 * (the ids are the `$id` of the webhook URLs). Requests before `from` (calls of a killed process,
 * hanging at the receiver) do not count.
 */
function everyIdSeen(ids: readonly string[], from = 0): (received: readonly SinkRequest[]) => boolean {
  const seen = new Set<string>();
  let read = from;
  return (received) => {
    for (; read < received.length; read++) {
      const id = new URL(received[read]!.url, 'http://sink').searchParams.get('id');
      if (id) seen.add(id);
    }
    return ids.every((id) => seen.has(id));
  };
}

/** POST /admin/settle: answers once the server's due work is done and its calls in flight have their outcomes stored. */
async function settle(base: string): Promise<void> {
  const res = await fetch(`${base}/admin/settle`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: '{}',
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`POST /admin/settle: ${res.status} ${text}`);
}

/** SIGTERM: the worker stops after storing the outcomes of its calls in flight, and exits 0. */
async function stopGracefully(worker: WorkerProcess): Promise<void> {
  const { child } = worker;
  expect(child.exitCode === null && child.signalCode === null, `the worker exited early:\n${worker.output()}`).toBe(true);
  const gone = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = (await gone) as [number | null];
  expect(code, worker.output()).toBe(0);
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
    const afterKill = sink.requests.length; // the calls hanging at the kill are not deliveries
    sink.flip.ok = true; // the receiver answers from now on

    server = await startServer(flags);
    const restarted = performance.now();
    await sink.waitUntil(everyIdSeen(ids, afterKill));
    const ms = performance.now() - restarted;
    await settle(server.base);
    const store = new SqliteStore({ path: db });
    await store.migrate();
    try {
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
    sink = await startSink();
    const flags = { db, adminToken: TOKEN, extraArgs: ['--allow-private-webhooks'] };
    // Ingest without workers, then leave half the tasks claimed by the killed process itself, as if
    // it died mid-execution (the sandbox executes instantly, so a real kill rarely lands there). Each
    // task pings the sink once it is done.
    let server = await startServer({ ...flags, noWorkers: true });
    const ids: string[] = [];
    for (let c = 0; c < 3; c++)
      ids.push(
        ...(await post(
          server.base,
          Array.from({ length: 100 }, (_, i) => imagesTask(`c${c}-${i}`, { pingback_url: `${sink!.base}/ok/ping?id=$id` })),
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

      server = await startServer(flags);
      const restarted = performance.now();
      await sink.waitUntil(everyIdSeen(ids));
      const ms = performance.now() - restarted;
      await settle(server.base);
      const rows = await store.tasksByIds(ids);
      expect(rows.filter((t) => t.statusCode === 20000 && t.leaseOwner === null)).toHaveLength(300);
      expect(rows.filter((t) => t.webhookState === 'delivered')).toHaveLength(300);
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
    await sink.waitFor(32); // its share of calls (32 per host) hangs at the receiver
    // The doomed worker sends nothing more while its calls hang: every later call is the survivor's,
    // including those it makes before the kill (held too, then answered when the hold is released).
    const survivorFrom = sink.requests.length;
    const survivor = await startWorker({ db: ts.url, extraArgs: ['--allow-private-webhooks'], env });
    await doomed.kill();
    const killedAt = performance.now();
    sink.flip.ok = true; // answers the survivor's held calls (the doomed worker's died with it), and the later ones at once
    await sink.waitUntil(everyIdSeen(ids, survivorFrom));
    const ms = performance.now() - killedAt;
    await stopGracefully(survivor); // the outcomes of its last calls are stored before it exits
    const rows = await ts.store.tasksByIds(ids);
    expect(rows.filter((t) => t.webhookState === 'delivered')).toHaveLength(100);
    console.info(`recovery (PostgreSQL, worker killed): 100 postbacks settled ${Math.round(ms)} ms after the kill`);
    expect(ms).toBeLessThan(LIMIT_MS);
  });

  it('an owner on another machine that stops heartbeating loses its claims after the timeout, not before', async () => {
    ts = await createTestStore('postgres', 'recovery-time-pg-silent');
    sink = await startSink();
    const api = await startServer({ db: ts.url, adminToken: TOKEN, noWorkers: true });
    // Each task pings the sink once it is done.
    const ids = await post(
      api.base,
      Array.from({ length: 50 }, (_, i) => imagesTask(`s${i}`, { pingback_url: `${sink!.base}/ok/ping?id=$id` })),
    );
    const store = new PostgresStore({ url: ts.url, poolSize: 2 });
    try {
      const now = Date.now();
      await store.registerOwner({ id: 'p-remote', machine: 'another-machine', pid: 1, startedAt: now, heartbeatAt: now });
      expect(await store.claimTasks('p-remote', now, 120_000, 50)).toHaveLength(50);
      const started = performance.now();
      await startWorker({ db: ts.url, extraArgs: ['--heartbeat-timeout', '2s', '--allow-private-webhooks'] });
      const running = performance.now();
      await sink.waitUntil(everyIdSeen(ids));
      const ms = performance.now() - running;
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
