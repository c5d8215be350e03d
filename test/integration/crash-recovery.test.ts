import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { basicAuth, imagesTask } from '../helpers/app.js';
import { type ServerProcess, killAllServers, startServer } from '../helpers/server-process.js';

/**
 * "Nothing is lost": the real `serpq serve` process is killed with SIGKILL while it ingests and
 * executes tasks, then started again on the same SQLite file. Every task acknowledged with 20100 must
 * be executed after the restart, listed by tasks_ready (never twice in a page, never again once
 * collected), and collected by task_get exactly once.
 */
const TOKEN = 'crash-recovery-admin-token';
const DEMO = basicAuth('demo', 'demo');
const IMAGES = '/v3/serp/google/images';

interface Envelope {
  status_code: number;
  status_message: string;
  tasks: Array<{ id: string; status_code: number; status_message: string; result: unknown[] | null }> | null;
}

async function api(srv: ServerProcess, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: Envelope }> {
  const res = await fetch(srv.base + path, {
    method,
    headers: { authorization: DEMO, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  try {
    return { status: res.status, json: JSON.parse(text) as Envelope };
  } catch {
    throw new Error(`non-JSON ${res.status} for ${method} ${path}: ${text.slice(0, 200)}`);
  }
}

async function admin(srv: ServerProcess, method: 'POST' | 'PATCH', path: string, body: unknown): Promise<unknown> {
  const res = await fetch(srv.base + path, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`admin ${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

/** tasks_ready is limited to 20 calls a minute and the API to 2000 requests: a drain needs more. */
async function raiseLimits(srv: ServerProcess): Promise<void> {
  await admin(srv, 'PATCH', '/admin/accounts/demo', {
    limits: { tasks_ready_per_minute: 100_000, requests_per_minute: 1_000_000, concurrent_requests: 1_000 },
  });
}

function taskBatch(prefix: string, n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => imagesTask(`${prefix} ${i}`));
}

/** Posts one batch and returns the ids answered 20100 (asserting every task was accepted). */
async function postAll(srv: ServerProcess, tasks: Record<string, unknown>[]): Promise<string[]> {
  const { status, json } = await api(srv, 'POST', `${IMAGES}/task_post`, tasks);
  expect(status).toBe(200);
  expect(json.status_code).toBe(20000);
  expect(json.tasks?.map((t) => t.status_code)).toEqual(tasks.map(() => 20100));
  return json.tasks!.map((t) => t.id);
}

async function readyPage(srv: ServerProcess): Promise<string[]> {
  const { status, json } = await api(srv, 'GET', `${IMAGES}/tasks_ready`);
  expect(status).toBe(200);
  expect(json.status_code).toBe(20000);
  expect(json.tasks?.[0]?.status_code).toBe(20000);
  return ((json.tasks![0].result ?? []) as Array<{ id: string }>).map((r) => r.id);
}

/** task_get/advanced; returns a description of what is wrong, or null when it answered a result. */
async function taskGetProblem(srv: ServerProcess, id: string): Promise<string | null> {
  const { status, json } = await api(srv, 'GET', `${IMAGES}/task_get/advanced/${id}`);
  const task = json.tasks?.[0];
  if (status !== 200 || json.status_code !== 20000 || !task) return `${id}: HTTP ${status} envelope ${json.status_code}`;
  if (task.id !== id) return `${id}: answered for ${task.id}`;
  if (task.status_code !== 20000) return `${id}: ${task.status_code} ${task.status_message}`;
  if (!Array.isArray(task.result) || task.result.length === 0) return `${id}: no result`;
  return null;
}

async function inPool<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
}

interface DrainOutcome {
  /** How many tasks_ready pages listed each id. */
  readonly listed: Map<string, number>;
  /** How many task_get calls collected each id (the drain calls task_get once per listing). */
  readonly collected: Map<string, number>;
}

/**
 * Has the server finish what is due (POST /admin/settle answers once every due task is executed and
 * its webhooks sent), then collects until tasks_ready is empty: tasks_ready, task_get of every listed
 * id, again. Every expected id must have been collected by then. Ids listed but not expected (tasks of
 * calls whose answer was lost in the kill) are collected too, so they cannot crowd a page.
 */
async function drain(srv: ServerProcess, db: string, expected: ReadonlySet<string>): Promise<DrainOutcome> {
  await admin(srv, 'POST', '/admin/settle', {});
  const listed = new Map<string, number>();
  const collected = new Map<string, number>();
  for (;;) {
    const page = await readyPage(srv);
    if (page.length === 0) break;
    expect(new Set(page).size, 'an id appears twice in one tasks_ready page').toBe(page.length);
    const relisted = page.filter((id) => collected.has(id));
    expect(relisted, 'tasks_ready lists tasks already collected').toEqual([]);
    for (const id of page) listed.set(id, (listed.get(id) ?? 0) + 1);

    const problems: string[] = [];
    await inPool(page, 16, async (id) => {
      const problem = await taskGetProblem(srv, id);
      if (problem) problems.push(problem);
      collected.set(id, (collected.get(id) ?? 0) + 1);
    });
    expect(problems, 'task_get of listed tasks').toEqual([]);
  }
  const missing = [...expected].filter((id) => !collected.has(id));
  if (missing.length > 0) {
    throw new Error(
      `${missing.length} of ${expected.size} acknowledged tasks were never listed: ${await describeTasks(db, missing.slice(0, 3))}`,
    );
  }
  return { listed, collected };
}

/** The stored state of some tasks, for failure messages (read beside the running server; WAL allows it). */
async function describeTasks(db: string, ids: readonly string[]): Promise<string> {
  const store = new SqliteStore({ path: db });
  try {
    await store.migrate();
    const rows = await Promise.all(ids.map((id) => store.taskById(id)));
    return ids
      .map((id, i) => {
        const t = rows[i];
        if (!t) return `${id}: NOT IN THE DATABASE`;
        const lease = t.leaseExpiresAt === null ? 'none' : `${t.leaseOwner} until ${new Date(t.leaseExpiresAt).toISOString()}`;
        return `${id}: state=${t.state} status=${t.statusCode} attempts=${t.attempts} lease=${lease} completed=${t.completedAt} collected=${t.collectedAt} listed=${t.listed}`;
      })
      .join('; ');
  } finally {
    await store.close();
  }
}

/** After a drain: every expected id listed once, collected once, no longer listed, still answering 20000. */
async function expectCollectedOnce(srv: ServerProcess, expected: ReadonlySet<string>, outcome: DrainOutcome): Promise<void> {
  const wrongListing = [...expected].filter((id) => outcome.listed.get(id) !== 1);
  expect(wrongListing, 'acknowledged ids not listed exactly once').toEqual([]);
  const wrongCollection = [...expected].filter((id) => outcome.collected.get(id) !== 1);
  expect(wrongCollection, 'acknowledged ids not collected exactly once').toEqual([]);

  const after = await readyPage(srv);
  expect(
    after.filter((id) => outcome.collected.has(id)),
    'collected ids listed again',
  ).toEqual([]);

  // Nothing lost: every acknowledged task still answers its result (task_get may be repeated).
  const problems: string[] = [];
  await inPool([...expected], 16, async (id) => {
    const problem = await taskGetProblem(srv, id);
    if (problem) problems.push(problem);
  });
  expect(problems).toEqual([]);
  const later = await readyPage(srv);
  expect(
    later.filter((id) => outcome.collected.has(id)),
    'collected ids listed again after task_get',
  ).toEqual([]);
}

describe('crash recovery: a task acknowledged with 20100 survives kill -9', () => {
  let dir: string;
  let db: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'serpq-crash-'));
    db = join(dir, 'serpq.db');
  });

  afterEach(async () => {
    await killAllServers();
    rmSync(dir, { recursive: true, force: true });
  });

  it('kill during ingest and execution: every acknowledged task is executed and collected once after restart', async () => {
    const flags = { db, adminToken: TOKEN, latency: '0', timeTravel: true };
    let srv = await startServer(flags);
    await raiseLimits(srv);

    const CALLS = 40;
    const PER_CALL = 100;
    const IN_FLIGHT = 8;
    // The kill lands after a random number of answers, once a random number of further calls have
    // been sent (counted, not timed): with the other lanes' calls in flight (parsed, mid-transaction or
    // mid-answer) and the worker completing earlier tasks meanwhile (latency 0).
    const killAfter = 3 + Math.floor(Math.random() * 15);
    const furtherCalls = Math.floor(Math.random() * IN_FLIGHT);
    let killAtCall = -1;
    const acked = new Set<string>();
    const badAnswers: string[] = [];
    let answered = 0;
    let refused = 0;
    let pending = 0;
    let pendingAtKill = -1;
    let answeredAtKill = -1;
    let issued = 0;
    let killed = false;
    let killing: Promise<void> | null = null;

    const lane = async () => {
      while (issued < CALLS && !killed) {
        const n = issued++;
        pending++;
        const answer = api(srv, 'POST', `${IMAGES}/task_post`, taskBatch(`crash ${n}`, PER_CALL));
        if (n === killAtCall) {
          killed = true;
          pendingAtKill = pending;
          answeredAtKill = answered;
          killing = srv.kill();
        }
        try {
          const { status, json } = await answer;
          // A complete answer was sent after its transaction committed, even if it arrives after the kill.
          if (status !== 200 || json.status_code !== 20000) badAnswers.push(`${status} ${json.status_code} ${json.status_message}`);
          for (const t of json.tasks ?? []) if (t.status_code === 20100) acked.add(t.id);
          answered++;
        } catch {
          refused++; // the connection died with the server: these tasks were never acknowledged
        } finally {
          pending--;
        }
        if (killAtCall < 0 && answered >= killAfter) killAtCall = issued + furtherCalls;
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
    await killing;
    const restartedAt = Date.now();

    expect(badAnswers, 'task_post answers').toEqual([]);
    expect(killed, 'the server was killed').toBe(true);
    expect(pendingAtKill, 'calls were in flight when the server was killed').toBeGreaterThan(0);
    expect(acked.size).toBeGreaterThanOrEqual(killAfter * PER_CALL);

    srv = await startServer(flags);
    // The killed worker may have held a lease on a claimed batch (claimed, not completed): that batch
    // is claimable again once the 120 s lease has expired. Move the clock past it instead of waiting.
    await admin(srv, 'POST', '/admin/clock', { advance_seconds: 121 });
    const outcome = await drain(srv, db, acked);
    await expectCollectedOnce(srv, acked, outcome);

    // How the kill split the work (reported, not asserted: it depends on scheduling).
    const unacknowledged = [...outcome.collected.keys()].filter((id) => !acked.has(id)).length;
    const store = new SqliteStore({ path: db });
    let doneBeforeKill = 0;
    let reclaimed = 0;
    try {
      await store.migrate();
      for (const id of acked) {
        const task = await store.taskById(id);
        expect(task).toMatchObject({ state: 'done', statusCode: 20000, leaseOwner: null });
        // Claimed at most once before the kill and once after it.
        expect(task!.attempts === 1 || task!.attempts === 2, `${id} claimed ${task!.attempts} times`).toBe(true);
        if (task!.attempts === 2) reclaimed++;
        if ((task!.completedAt ?? Infinity) < restartedAt) doneBeforeKill++;
      }
    } finally {
      await store.close();
    }
    console.info(
      `crash-recovery ingest: killed at call ${killAtCall}, ${furtherCalls} calls after answer ${killAfter} (${answeredAtKill} answered, ${pendingAtKill} calls in flight, ` +
        `${refused} failed); ${acked.size} acknowledged tasks, ${doneBeforeKill} executed before the kill, ${acked.size - doneBeforeKill} after ` +
        `the restart (${reclaimed} of them reclaimed from the killed worker's lease), all collected once; ${unacknowledged} committed but unanswered tasks also collected`,
    );
  });

  it('kill with tasks queued for later: all 500 run after restart once the clock moves past their latency', async () => {
    const flags = { db, adminToken: TOKEN, latency: '60m', timeTravel: true };
    let srv = await startServer(flags);
    await raiseLimits(srv);

    const acked = new Set<string>();
    await inPool([0, 1, 2, 3, 4], 5, async (n) => {
      for (const id of await postAll(srv, taskBatch(`queued ${n}`, 100))) acked.add(id);
    });
    expect(acked.size).toBe(500);
    await srv.kill();

    srv = await startServer(flags);
    // Not due yet after the restart (the time-travel offset is per process and starts at 0).
    expect(await readyPage(srv)).toEqual([]);
    const sample = [...acked].slice(0, 5);
    for (const id of sample) {
      const { json } = await api(srv, 'GET', `${IMAGES}/task_get/advanced/${id}`);
      expect(json.tasks?.[0]).toMatchObject({ id, status_code: 40602, result: null });
    }

    await admin(srv, 'POST', '/admin/clock', { advance_seconds: 7200 });
    const outcome = await drain(srv, db, acked);
    await expectCollectedOnce(srv, acked, outcome);
    expect(outcome.collected.size, 'nothing but the acknowledged tasks was listed').toBe(500);
  });

  it('kill while a worker holds leases: claimed tasks are reclaimed once the lease expires and completed once', async () => {
    // Ingest with workers off, so every task is still queued at the kill.
    let srv = await startServer({ db, adminToken: TOKEN, latency: '0', noWorkers: true });
    await raiseLimits(srv);
    const acked = new Set<string>();
    for (let n = 0; n < 3; n++) for (const id of await postAll(srv, taskBatch(`leased ${n}`, 100))) acked.add(id);
    await srv.kill();

    // The state a worker leaves when it dies between claim and completion: half the tasks running
    // under its 120 s lease. (Execution is instant in the sandbox, so a real kill rarely lands there.)
    const deadOwner = 'w-killed-mid-execution';
    const store = new SqliteStore({ path: db });
    let claimed: string[];
    try {
      await store.migrate();
      claimed = (await store.claimTasks(deadOwner, Date.now(), 120_000, 150)).map((t) => t.id);
    } finally {
      await store.close();
    }
    expect(claimed).toHaveLength(150);
    const claimedSet = new Set(claimed);
    const queued = new Set([...acked].filter((id) => !claimedSet.has(id)));

    srv = await startServer({ db, adminToken: TOKEN, latency: '0', timeTravel: true });
    // The queued half runs at once; the leased half must wait for its lease.
    const first = await drain(srv, db, queued);
    await expectCollectedOnce(srv, queued, first);
    expect(
      [...first.collected.keys()].filter((id) => claimedSet.has(id)),
      'leased tasks completed before the lease expired',
    ).toEqual([]);
    for (const id of claimed.slice(0, 5)) {
      const { json } = await api(srv, 'GET', `${IMAGES}/task_get/advanced/${id}`);
      expect(json.tasks?.[0]).toMatchObject({ id, status_code: 40602, result: null });
    }

    await admin(srv, 'POST', '/admin/clock', { advance_seconds: 121 });
    const second = await drain(srv, db, claimedSet);
    await expectCollectedOnce(srv, claimedSet, second);

    // The dead worker's late completion is refused: the lease was taken over and the task completed once.
    const check = new SqliteStore({ path: db });
    try {
      await check.migrate();
      const late = await check.completeTasks(
        claimed.map((id) => ({ id, leaseOwner: deadOwner, statusCode: 40102, statusMessage: 'late completion' })),
        Date.now(),
      );
      expect(late).toBe(0);
      for (const id of claimed.slice(0, 10)) {
        expect(await check.taskById(id)).toMatchObject({ state: 'done', statusCode: 20000, leaseOwner: null, attempts: 2 });
      }
    } finally {
      await check.close();
    }
  });
});
