import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { budgetWindow } from '../../src/domain/budgets.js';
import { READY_WINDOW_MS } from '../../src/domain/task.js';
import { type WebhookKind, webhookHost } from '../../src/domain/webhooks.js';
import { PostgresStore, parsePostgresUrl } from '../../src/store/postgres/postgres-store.js';
import { SPEND_BUCKET_MS } from '../../src/store/spend-buckets.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { DEFAULT_LIMITS, type AttemptRecord, type NewTask, type Store, type TaskRow } from '../../src/store/store.js';
import { DIALECTS, type Dialect, type TestStore, createTestStore, pgSkipNote } from '../helpers/dialects.js';

/**
 * The Store contract, run against every available dialect (SQLite always, PostgreSQL when
 * SERPQ_TEST_PG_URL is set). Times are fixed epochs: nothing sleeps.
 */

pgSkipNote();

const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);
const LEASE = 60_000;

let seq = 0;
function taskId(): string {
  seq++;
  return `01151200-1535-0066-0000-${seq.toString(16).padStart(12, '0')}`;
}

function newTask(overrides: Partial<NewTask> = {}): NewTask {
  const id = overrides.id ?? taskId();
  const se = overrides.se ?? 'google';
  const seType = overrides.seType ?? 'images';
  return {
    id,
    se,
    seType,
    priority: 1,
    tag: null,
    data: JSON.stringify({ keyword: `kw ${id}` }),
    postbackUrl: null,
    postbackData: null,
    pingbackUrl: null,
    costMicro: 1000,
    postedAt: T0,
    runAfter: T0,
    readyJson: JSON.stringify({
      id,
      se,
      se_type: seType,
      tag: overrides.tag ?? null,
      endpoint_advanced: `/v3/serp/${se}/${seType}/task_get/advanced/${id}`,
    }),
    ...overrides,
  };
}

/** A second handle on the same database, like another serpq process (not migrated). */
function openSame(dialect: Dialect, url: string): Store {
  return dialect === 'sqlite' ? new SqliteStore({ path: url }) : new PostgresStore({ url, poolSize: 4 });
}

for (const dialect of DIALECTS) {
  describe(`store contract (${dialect})`, () => {
    let ts: TestStore;
    let store: Store;
    const extra: Store[] = [];

    beforeEach(async () => {
      ts = await createTestStore(dialect, expect.getState().currentTestName ?? 'store-contract');
      store = ts.store;
    });
    afterEach(async () => {
      await Promise.all(extra.splice(0).map((s) => s.close()));
      await ts.cleanup();
    });

    async function second(): Promise<Store> {
      const other = openSame(dialect, ts.url);
      extra.push(other);
      await other.migrate();
      return other;
    }

    async function migrated(): Promise<Store> {
      await store.migrate();
      return store;
    }

    async function account(login = 'alice', balanceMicro = 1_000_000): Promise<number> {
      const a = await store.createAccount({ login, passwordHash: `hash-${login}`, balanceMicro, limits: DEFAULT_LIMITS, createdAt: T0 });
      return a.id;
    }

    /** Posts tasks and completes them all at `now`. */
    async function completeAll(
      accountId: number,
      tasks: NewTask[],
      now = T0 + 1000,
      statusCode = 20000,
      statusMessage = 'Ok.',
    ): Promise<void> {
      await store.postTasks(accountId, tasks);
      const claimed = await store.claimTasks('w', now, LEASE, 1000);
      await store.completeTasks(
        claimed.map((c) => ({ id: c.id, leaseOwner: 'w', statusCode, statusMessage })),
        now,
      );
    }

    function attempt(
      job: { id: number; taskId: string; accountId: number; kind: WebhookKind; url: string },
      owner: string,
      at: number,
      ok: boolean,
      nextAttemptAt: number | null = null,
      extraFields: Partial<AttemptRecord> = {},
    ): AttemptRecord {
      return {
        deliveryId: job.id,
        owner,
        taskId: job.taskId,
        accountId: job.accountId,
        kind: job.kind,
        url: job.url,
        method: job.kind === 'postback' ? 'POST' : 'GET',
        attemptedAt: at,
        ok,
        httpCode: ok ? 200 : 500,
        durationMs: 12.5,
        response: ok ? 'fine' : 'boom',
        error: null,
        nextAttemptAt,
        ...extraFields,
      };
    }

    // ---- lifecycle ---------------------------------------------------------------------------

    it('migrates idempotently, also when two processes migrate at once', async () => {
      const other = openSame(dialect, ts.url);
      extra.push(other);
      await Promise.all([store.migrate(), other.migrate()]);
      await store.migrate();
      await other.migrate();
      expect(await store.ping()).toBe(true);
      const id = await account();
      // Both handles see the same database.
      expect((await other.accountById(id))?.login).toBe('alice');
      expect(await other.countAccounts()).toBe(1);
    });

    // ---- accounts ----------------------------------------------------------------------------

    it('reset wipes accounts, tasks, results and settings, and the store works on', async () => {
      await migrated();
      const acc = await account('wiped');
      await completeAll(acc, [newTask()], T0);
      await store.addToSetting('clock_offset_ms', 5000);
      await store.reset();
      expect(await store.countAccounts()).toBe(0);
      expect(await store.storedResults({ since: 0, limit: 10 })).toEqual([]);
      expect(await store.getSetting('clock_offset_ms')).toBeNull();
      expect(await store.claimTasks('w', T0, LEASE, 10)).toEqual([]);
      const again = await account('wiped');
      expect((await store.accountById(again))?.login).toBe('wiped');
    });

    it('creates, reads, updates and lists accounts', async () => {
      await migrated();
      const a = await store.createAccount({
        login: 'alice',
        passwordHash: 'h1',
        balanceMicro: 5_000_000,
        limits: { tasksReadyPerMinute: 20, requestsPerMinute: 2000, concurrentRequests: 30 },
        createdAt: T0,
      });
      expect(a).toEqual({
        id: expect.any(Number),
        login: 'alice',
        passwordHash: 'h1',
        balanceMicro: 5_000_000,
        totalDepositsMicro: 5_000_000,
        limits: { tasksReadyPerMinute: 20, requestsPerMinute: 2000, concurrentRequests: 30 },
        webhookRetries: false,
        webhookSecret: null,
        dailyCostLimitMicro: null,
        duplicateLimitHour: null,
        duplicateLimitDay: null,
        noSubscriptions: [],
        createdAt: T0,
      });
      await expect(
        store.createAccount({ login: 'alice', passwordHash: 'x', balanceMicro: 0, limits: DEFAULT_LIMITS, createdAt: T0 }),
      ).rejects.toThrow();
      const b = await store.createAccount({ login: 'bob', passwordHash: 'h2', balanceMicro: 0, limits: DEFAULT_LIMITS, createdAt: T0 + 1 });

      expect(await store.accountByLogin('alice')).toEqual(a);
      expect(await store.accountById(b.id)).toEqual(b);
      expect(await store.accountByLogin('nobody')).toBeNull();
      expect(await store.accountById(999_999)).toBeNull();

      // Partial limits; webhook settings.
      const u1 = await store.updateAccount('alice', {
        limits: { tasksReadyPerMinute: 1000 },
        webhookRetries: true,
        webhookSecret: 'whsec_abc',
        passwordHash: 'h1b',
      });
      expect(u1).toMatchObject({
        passwordHash: 'h1b',
        limits: { tasksReadyPerMinute: 1000, requestsPerMinute: 2000, concurrentRequests: 30 },
        webhookRetries: true,
        webhookSecret: 'whsec_abc',
      });
      const u2 = await store.updateAccount('alice', {
        webhookSecret: null,
        webhookRetries: false,
        limits: { requestsPerMinute: 5, concurrentRequests: 2 },
      });
      expect(u2).toMatchObject({
        limits: { tasksReadyPerMinute: 1000, requestsPerMinute: 5, concurrentRequests: 2 },
        webhookRetries: false,
        webhookSecret: null,
      });

      // A raised balance counts as a deposit; a lowered one does not.
      expect(await store.updateAccount('alice', { balanceMicro: 7_000_000 })).toMatchObject({
        balanceMicro: 7_000_000,
        totalDepositsMicro: 7_000_000,
      });
      expect(await store.updateAccount('alice', { balanceMicro: 1_000_000 })).toMatchObject({
        balanceMicro: 1_000_000,
        totalDepositsMicro: 7_000_000,
      });
      expect(await store.updateAccount('alice', { balanceMicro: 1_500_000 })).toMatchObject({
        balanceMicro: 1_500_000,
        totalDepositsMicro: 7_500_000,
      });

      expect(await store.updateAccount('alice', {})).toEqual(await store.accountByLogin('alice'));
      expect(await store.updateAccount('nobody', { balanceMicro: 1 })).toBeNull();
      expect(await store.updateAccount('nobody', {})).toBeNull();

      expect((await store.listAccounts()).map((x) => x.login)).toEqual(['alice', 'bob']);
      expect(await store.countAccounts()).toBe(2);
    });

    // ---- task_post ---------------------------------------------------------------------------

    it('stores tasks in order while the balance covers them, with the debit', async () => {
      await migrated();
      const acc = await account('alice', 2500);
      const tasks = [
        newTask({ costMicro: 1000, postbackUrl: 'https://example.com/pb?id=$id', postbackData: 'advanced' }),
        newTask({ costMicro: 2000 }),
        newTask({ costMicro: 1000, pingbackUrl: 'https://example.com/ping?id=$id&tag=$tag', tag: 'x' }),
        newTask({ costMicro: 600 }),
        newTask({ costMicro: 500 }),
      ];
      const out = await store.postTasks(acc, tasks);
      expect(out).toEqual({ accepted: [true, false, true, false, true], balanceMicro: 0 });
      expect((await store.accountById(acc))?.balanceMicro).toBe(0);

      expect(await store.taskById(tasks[1].id)).toBeNull();
      expect(await store.taskById(tasks[3].id)).toBeNull();
      // Several at once: the stored ones, whatever the order asked; unknown ids are skipped.
      const some = await store.tasksByIds([tasks[4].id, tasks[1].id, tasks[0].id, 'no-such-id']);
      expect(some.map((t) => t.id).sort()).toEqual([tasks[0].id, tasks[4].id].sort());
      expect(some.find((t) => t.id === tasks[0].id)).toEqual(await store.taskById(tasks[0].id));
      expect(await store.tasksByIds([])).toEqual([]);
      const t0 = await store.taskById(tasks[0].id);
      expect(t0).toEqual({
        id: tasks[0].id,
        accountId: acc,
        api: 'serp',
        se: 'google',
        seType: 'images',
        state: 'queued',
        statusCode: null,
        statusMessage: null,
        priority: 1,
        tag: null,
        data: tasks[0].data,
        postbackUrl: 'https://example.com/pb?id=$id',
        postbackData: 'advanced',
        pingbackUrl: null,
        costMicro: 1000,
        postedAt: T0,
        runAfter: T0,
        completedAt: null,
        collectedAt: null,
        leaseOwner: null,
        leaseExpiresAt: null,
        attempts: 0,
        webhookState: 'pending',
        listed: false,
        method: 'task_post',
      });
      expect(await store.taskById(tasks[2].id)).toMatchObject({
        tag: 'x',
        pingbackUrl: 'https://example.com/ping?id=$id&tag=$tag',
        webhookState: 'pending',
      });
      expect(await store.taskById(tasks[4].id)).toMatchObject({ webhookState: 'none', listed: false });

      // Nothing affordable: nothing stored, balance unchanged.
      const none = await store.postTasks(acc, [newTask({ costMicro: 1 })]);
      expect(none).toEqual({ accepted: [false], balanceMicro: 0 });
    });

    it('never overspends when one account posts concurrently', async () => {
      await migrated();
      const other = await second();
      const acc = await account('alice', 25_000);
      const batches = Array.from({ length: 6 }, () => Array.from({ length: 10 }, () => newTask({ costMicro: 1000 })));
      const outs = await Promise.all(batches.map((b, i) => (i % 2 ? other : store).postTasks(acc, b)));
      const accepted = outs.flatMap((o) => o.accepted).filter(Boolean).length;
      expect(accepted).toBe(25);
      expect((await store.accountById(acc))?.balanceMicro).toBe(0);
      expect(Math.min(...outs.map((o) => o.balanceMicro))).toBe(0);
    });

    // ---- claims --------------------------------------------------------------------------------

    it('claims due tasks only, up to the batch limit, under a lease', async () => {
      await migrated();
      const acc = await account();
      const due = Array.from({ length: 5 }, (_, i) => newTask({ runAfter: T0 + i }));
      const later = newTask({ runAfter: T0 + 10_000 });
      await store.postTasks(acc, [...due, later]);
      expect(await store.nextDueAt()).toBe(T0);

      const first = await store.claimTasks('w1', T0 + 100, LEASE, 3);
      expect(first.map((t) => t.id).sort()).toEqual(
        due
          .slice(0, 3)
          .map((t) => t.id)
          .sort(),
      );
      for (const t of first) expect(t).toMatchObject({ state: 'running', leaseOwner: 'w1', leaseExpiresAt: T0 + 100 + LEASE, attempts: 1 });
      const second = await store.claimTasks('w1', T0 + 100, LEASE, 3);
      expect(second.map((t) => t.id).sort()).toEqual(
        due
          .slice(3)
          .map((t) => t.id)
          .sort(),
      );
      expect(await store.claimTasks('w1', T0 + 100, LEASE, 3)).toEqual([]);
      // The later task is due at its time; a running lease expires at T0 + 100 + LEASE.
      expect(await store.nextDueAt()).toBe(T0 + 10_000);
      expect((await store.claimTasks('w1', T0 + 10_000, LEASE, 10)).map((t) => t.id)).toEqual([later.id]);
      expect(await store.nextDueAt()).toBe(T0 + 100 + LEASE);
      expect(await store.taskById(later.id)).toMatchObject({ state: 'running', leaseOwner: 'w1' });
    });

    it('never gives one task to two concurrent claimers', async () => {
      await migrated();
      const others = [await second(), await second()];
      const acc = await account();
      const tasks = Array.from({ length: 60 }, (_, i) => newTask({ runAfter: T0 + i }));
      await store.postTasks(acc, tasks);
      const handles = [store, ...others];
      const claims = await Promise.all(
        Array.from({ length: 9 }, (_, i) => handles[i % handles.length].claimTasks(`owner-${i}`, T0 + 1000, LEASE, 7)),
      );
      const ids = claims.flat().map((t) => t.id);
      expect(new Set(ids).size).toBe(ids.length);
      // Everything claimed, then more claimers get the rest.
      const rest = await Promise.all([
        store.claimTasks('late-a', T0 + 1000, LEASE, 100),
        others[0].claimTasks('late-b', T0 + 1000, LEASE, 100),
      ]);
      const all = [...ids, ...rest.flat().map((t) => t.id)];
      expect(all.length).toBe(60);
      expect(new Set(all)).toEqual(new Set(tasks.map((t) => t.id)));
      for (const [i, c] of claims.entries()) for (const t of c) expect(t.leaseOwner).toBe(`owner-${i}`);
    });

    it('reclaims tasks whose lease expired; the old owner can no longer complete them', async () => {
      await migrated();
      const acc = await account();
      const t = newTask();
      await store.postTasks(acc, [t]);
      expect(await store.claimTasks('a', T0, 1000, 10)).toHaveLength(1);
      expect(await store.claimTasks('b', T0 + 999, 1000, 10)).toEqual([]);
      expect(await store.claimTasks('b', T0 + 1000, 1000, 10)).toEqual([]); // expires strictly after
      const re = await store.claimTasks('b', T0 + 1001, 5000, 10);
      expect(re).toHaveLength(1);
      expect(re[0]).toMatchObject({ id: t.id, state: 'running', leaseOwner: 'b', leaseExpiresAt: T0 + 6001, attempts: 2 });

      expect(await store.completeTasks([{ id: t.id, leaseOwner: 'a', statusCode: 20000, statusMessage: 'Ok.' }], T0 + 1500)).toBe(0);
      expect(await store.taskById(t.id)).toMatchObject({ state: 'running', leaseOwner: 'b' });
      expect(await store.completeTasks([{ id: t.id, leaseOwner: 'b', statusCode: 20000, statusMessage: 'Ok.' }], T0 + 1600)).toBe(1);
      // Completing twice is refused.
      expect(await store.completeTasks([{ id: t.id, leaseOwner: 'b', statusCode: 40102, statusMessage: 'x' }], T0 + 1700)).toBe(0);
      expect(await store.taskById(t.id)).toMatchObject({
        state: 'done',
        statusCode: 20000,
        completedAt: T0 + 1600,
        leaseOwner: null,
        leaseExpiresAt: null,
        attempts: 2,
      });
      expect(await store.nextDueAt()).toBeNull();
    });

    // ---- claim owners --------------------------------------------------------------------------

    const owner = (id: string, heartbeatAt = T0) => ({ id, machine: 'm1', pid: 100, startedAt: T0 - 1000, heartbeatAt });

    it('registers owners; a heartbeat renews the leases of what its owner holds, and no one else’s', async () => {
      await migrated();
      const acc = await account();
      const [a1, a2, b1] = [newTask(), newTask(), newTask({ pingbackUrl: 'https://hooks.example/p' })];
      await store.postTasks(acc, [a1, a2]);
      await store.registerOwner(owner('pa'));
      await store.registerOwner(owner('pb'));
      expect(await store.claimTasks('pa', T0, 1000, 2)).toHaveLength(2);
      await completeAll(acc, [b1], T0);
      expect(await store.claimDeliveries('pb', T0, 1000, 10)).toHaveLength(1);

      expect(await store.heartbeat('pa', T0 + 500, T0 + 60_000, T0 + 70_000)).toBe(true);
      expect((await store.taskById(a1.id))?.leaseExpiresAt).toBe(T0 + 60_000);
      expect((await store.taskById(a2.id))?.leaseExpiresAt).toBe(T0 + 60_000);
      // pb's delivery lease is untouched by pa's beat: due to expire at T0 + 1000.
      expect(await store.claimDeliveries('pc', T0 + 1001, 1000, 10)).toHaveLength(1);
      expect(await store.claimTasks('pc', T0 + 1001, 1000, 10)).toEqual([]); // renewed: not expired

      const owners = await store.listOwners();
      expect(owners.map((o) => o.id).sort()).toEqual(['pa', 'pb']);
      expect(owners.find((o) => o.id === 'pa')).toEqual({ id: 'pa', machine: 'm1', pid: 100, startedAt: T0 - 1000, heartbeatAt: T0 + 500 });
      expect(await store.heartbeat('nobody', T0, T0, T0)).toBe(false);
    });

    it('frees a dead owner’s claims at once; its late completion cannot undo the new claim', async () => {
      await migrated();
      const acc = await account();
      const t = newTask({ postbackUrl: 'https://hooks.example/pb', postbackData: 'advanced' });
      const done = newTask({ pingbackUrl: 'https://hooks.example/p' });
      await completeAll(acc, [done], T0);
      await store.postTasks(acc, [t]);
      await store.registerOwner(owner('dead'));
      await store.registerOwner(owner('live'));
      expect(await store.claimTasks('dead', T0, 120_000, 10)).toHaveLength(1);
      expect(await store.claimDeliveries('dead', T0, 60_000, 10)).toHaveLength(1);
      expect(await store.claimTasks('live', T0 + 1, 120_000, 10)).toEqual([]); // leased for two minutes

      expect(await store.releaseOwners(['dead'])).toBe(2);
      expect((await store.listOwners()).map((o) => o.id)).toEqual(['live']);
      expect(await store.heartbeat('dead', T0 + 2, T0 + 120_000, T0 + 60_000)).toBe(false); // renews nothing
      const re = await store.claimTasks('live', T0 + 2, 120_000, 10);
      expect(re.map((r) => [r.id, r.leaseOwner])).toEqual([[t.id, 'live']]);
      expect((await store.claimDeliveries('live', T0 + 2, 60_000, 10)).map((d) => d.taskId)).toEqual([done.id]);

      expect(await store.completeTasks([{ id: t.id, leaseOwner: 'dead', statusCode: 20000, statusMessage: 'Ok.' }], T0 + 3)).toBe(0);
      expect(await store.completeTasks([{ id: t.id, leaseOwner: 'live', statusCode: 20000, statusMessage: 'Ok.' }], T0 + 4)).toBe(1);
      expect(await store.releaseOwners([])).toBe(0);
    });

    it('counts shared limit hits in batches: repeated windows in order, concurrent batches through two handles all count', async () => {
      await migrated();
      if (!store.countHits) return; // counted in process by stores used by one process
      const other = await second();
      const w = { windowStart: T0, windowMs: 60_000 };
      expect(await store.countHits([{ key: 'req:1', ...w }])).toEqual([1]);
      expect(
        await store.countHits([
          { key: 'req:1', ...w },
          { key: 'ready:1', ...w },
          { key: 'req:1', ...w },
          { key: 'req:1', windowStart: T0 + 60_000, windowMs: 60_000 },
        ]),
      ).toEqual([2, 1, 3, 1]);
      const batches = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? store : other).countHits!([
            { key: 'req:2', ...w },
            { key: 'req:2', ...w },
          ]),
        ),
      );
      // 40 hits in all, each count handed out once.
      expect(batches.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    });

    it('adds to a setting atomically: concurrent moves through two handles all count', async () => {
      await migrated();
      const other = await second();
      await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? store : other).addToSetting('clock_offset_ms', 1000)));
      expect(await store.getSetting('clock_offset_ms')).toBe('40000');
      expect(await other.addToSetting('clock_offset_ms', 61_000)).toBe(101_000);
      expect(await store.addToSetting('fresh', 5)).toBe(5);
      await store.setSetting('legacy', '1500.5'); // written by an older version as a fraction
      expect(await store.addToSetting('legacy', 500)).toBeGreaterThanOrEqual(2000);
    });

    // ---- completion ----------------------------------------------------------------------------

    it('completes under the lease: cost changes settled, results, listing and outbox rows', async () => {
      await migrated();
      const acc = await account('alice', 10_000);
      const plain = newTask({ costMicro: 3000 });
      const post = newTask({ costMicro: 2000, postbackUrl: 'https://hooks.example/pb/$id', postbackData: 'regular' });
      const ping = newTask({ costMicro: 1000, pingbackUrl: 'https://hooks.example/ping/$id' });
      const both = newTask({
        costMicro: 1000,
        postbackUrl: 'https://hooks.example/pb2',
        postbackData: 'advanced',
        pingbackUrl: 'https://hooks.example/ping2',
      });
      await store.postTasks(acc, [plain, post, ping, both]);
      expect((await store.accountById(acc))?.balanceMicro).toBe(3000);
      const claimed = await store.claimTasks('w', T0, LEASE, 10);
      expect(claimed).toHaveLength(4);

      // A wrong owner completes nothing.
      expect(await store.completeTasks([{ id: plain.id, leaseOwner: 'intruder', statusCode: 20000, statusMessage: 'Ok.' }], T0 + 10)).toBe(
        0,
      );
      expect(await store.taskById(plain.id)).toMatchObject({ state: 'running' });

      const body = Buffer.from([0x1f, 0x8b, 0, 1, 2, 3, 255]);
      const n = await store.completeTasks(
        [
          {
            id: plain.id,
            leaseOwner: 'w',
            statusCode: 20000,
            statusMessage: 'Ok.',
            costMicro: 1200,
            results: [
              { fn: 'advanced', body },
              { fn: 'html', body: Buffer.from('<html>') },
            ],
          },
          { id: post.id, leaseOwner: 'w', statusCode: 20000, statusMessage: 'Ok.', costMicro: 5000 }, // a raise is charged (what an upstream charged)
          { id: ping.id, leaseOwner: 'w', statusCode: 40102, statusMessage: 'No Search Results.' },
          { id: both.id, leaseOwner: 'w', statusCode: 20000, statusMessage: 'Ok.', costMicro: 1000 },
          { id: 'no-such-task', leaseOwner: 'w', statusCode: 20000, statusMessage: 'Ok.' },
        ],
        T0 + 20,
      );
      expect(n).toBe(4);
      // 1800 refunded for `plain`, 3000 more charged for `post`.
      expect((await store.accountById(acc))?.balanceMicro).toBe(3000 + 1800 - 3000);

      expect(await store.taskById(plain.id)).toMatchObject({
        state: 'done',
        statusCode: 20000,
        statusMessage: 'Ok.',
        costMicro: 1200,
        completedAt: T0 + 20,
        listed: true,
        webhookState: 'none',
        leaseOwner: null,
      });
      expect(await store.taskById(post.id)).toMatchObject({ state: 'done', costMicro: 5000, listed: false, webhookState: 'pending' });
      expect(await store.taskById(ping.id)).toMatchObject({
        state: 'done',
        statusCode: 40102,
        statusMessage: 'No Search Results.',
        costMicro: 1000,
        listed: true,
        webhookState: 'pending',
      });
      expect(await store.taskById(both.id)).toMatchObject({ listed: false, webhookState: 'pending' });

      expect(await store.resultOf(plain.id, 'advanced')).toEqual(body);
      expect((await store.resultOf(plain.id, 'html'))?.toString()).toBe('<html>');
      expect(await store.resultOf(plain.id, 'regular')).toBeNull();
      expect(await store.resultOf(post.id, 'advanced')).toBeNull();

      // What `cassettes export` reads: completed 20000 tasks with stored results, by account, after a cursor.
      const stored = await store.storedResults({ since: T0, limit: 10 });
      expect(stored.map((r) => [r.id, r.completedAt, r.results.map((x) => x.fn)])).toEqual([[plain.id, T0 + 20, ['advanced', 'html']]]);
      expect(stored[0]!.results[0]!.body).toEqual(body);
      expect(stored[0]).toMatchObject({ se: plain.se, seType: plain.seType, data: plain.data });
      expect(await store.storedResults({ since: T0 + 21, limit: 10 })).toEqual([]);
      expect(await store.storedResults({ since: T0, accountId: acc + 1000, limit: 10 })).toEqual([]);
      expect(await store.storedResults({ since: T0, accountId: acc, limit: 10 })).toHaveLength(1);
      expect(await store.storedResults({ since: T0, after: { completedAt: T0 + 20, id: plain.id }, limit: 10 })).toEqual([]);

      expect((await store.deliveriesOf(plain.id)).deliveries).toEqual([]);
      expect(await store.deliveriesOf(post.id)).toEqual({
        deliveries: [{ kind: 'postback', state: 'pending', attempts: 0, nextAttemptAt: T0 + 20 }],
        attempts: [],
      });
      expect((await store.deliveriesOf(ping.id)).deliveries).toEqual([
        { kind: 'pingback', state: 'pending', attempts: 0, nextAttemptAt: T0 + 20 },
      ]);
      expect((await store.deliveriesOf(both.id)).deliveries.map((d) => d.kind)).toEqual(['pingback', 'postback']);
      expect(await store.nextDeliveryAt()).toBe(T0 + 20);
    });

    // ---- tasks_ready -----------------------------------------------------------------------------

    it('lists ready rows by scope, window and completion order, without collected or unlisted tasks', async () => {
      await migrated();
      const acc = await account('alice');
      const other = await account('bob');
      const a = newTask({ se: 'google', seType: 'images', runAfter: T0 });
      const b = newTask({ se: 'google', seType: 'organic', runAfter: T0 + 1 });
      const c = newTask({ se: 'bing', seType: 'organic', runAfter: T0 + 2 });
      const d = newTask({ se: 'google', seType: 'images', runAfter: T0 + 3 });
      const withPostback = newTask({ se: 'google', seType: 'images', runAfter: T0 + 4, postbackUrl: 'https://hooks.example/pb' });
      const failed = newTask({ se: 'google', seType: 'images', runAfter: T0 + 5 });
      // Completed in reverse posting order of d, c, b, a: the list follows completion, not posting.
      const order = [d, c, failed, withPostback, b, a];
      await store.postTasks(acc, order);
      expect(await store.claimTasks('w', T0 + 10_000, LEASE, 1000)).toHaveLength(order.length);
      for (const [i, t] of order.entries()) {
        const now = T0 + 10_000 + i * 1000;
        expect(
          await store.completeTasks([{ id: t.id, leaseOwner: 'w', statusCode: t === failed ? 40102 : 20000, statusMessage: 'x' }], now),
        ).toBe(1);
      }
      const bobs = newTask({ se: 'google', seType: 'images', runAfter: T0 + 6 });
      await completeAll(other, [bobs], T0 + 30_000);

      const ready = (scope: { se?: string; seType?: string }, since = T0, limit = 1000) =>
        store.listReady(acc, { api: 'serp', ...scope }, since, limit);
      expect(await ready({})).toEqual([d, c, failed, b, a].map((t) => t.readyJson));
      expect(await ready({ se: 'google' })).toEqual([d, failed, b, a].map((t) => t.readyJson));
      expect(await ready({ se: 'google', seType: 'images' })).toEqual([d, failed, a].map((t) => t.readyJson));
      expect(await ready({ se: 'bing', seType: 'organic' })).toEqual([c.readyJson]);
      expect(await ready({ se: 'yahoo' })).toEqual([]);
      expect(await ready({}, T0, 2)).toEqual([d.readyJson, c.readyJson]);
      expect(await store.listReady(other, { api: 'serp' }, T0, 1000)).toEqual([bobs.readyJson]);

      // The window: completed at or after `since` (the caller passes now - 3 days).
      const dDone = T0 + 10_000;
      expect(await ready({}, dDone + READY_WINDOW_MS - READY_WINDOW_MS)).toHaveLength(5);
      expect(await ready({}, dDone + 1)).toEqual([c, failed, b, a].map((t) => t.readyJson));

      // Collected tasks drop out; collecting is once.
      await store.markCollected(c.id, T0 + 50_000);
      await store.markCollected(c.id, T0 + 60_000);
      expect((await store.taskById(c.id))?.collectedAt).toBe(T0 + 50_000);
      expect(await ready({})).toEqual([d, failed, b, a].map((t) => t.readyJson));
      expect(await ready({ se: 'bing' })).toEqual([]);
    });

    it('lists tasks_ready per API: an API, one engine or group of it, one type (an empty se or se_type is a value)', async () => {
      await migrated();
      const acc = await account();
      const serp = newTask({ se: 'google', seType: 'organic', runAfter: T0 });
      const ads = newTask({ api: 'keywords_data', se: 'google_ads', seType: 'search_volume', runAfter: T0 + 1 });
      const trends = newTask({ api: 'keywords_data', se: 'google_trends', seType: 'explore', runAfter: T0 + 2 });
      const products = newTask({ api: 'merchant', se: 'google', seType: 'products', runAfter: T0 + 3 });
      const crawl = newTask({ api: 'on_page', se: '', seType: '', runAfter: T0 + 4 });
      const lighthouse = newTask({ api: 'on_page', se: 'lighthouse', seType: '', runAfter: T0 + 5 });
      const all = [serp, ads, trends, products, crawl, lighthouse];
      await completeAll(acc, all);
      const ready = (scope: { api: string; se?: string; seType?: string }) => store.listReady(acc, scope, T0, 1000);
      expect(await ready({ api: 'serp' })).toEqual([serp.readyJson]);
      expect(await ready({ api: 'serp', se: 'google' })).toEqual([serp.readyJson]);
      // Completed at the same time: in either order.
      expect((await ready({ api: 'keywords_data' })).sort()).toEqual([ads.readyJson, trends.readyJson].sort());
      expect(await ready({ api: 'keywords_data', se: 'google_ads', seType: 'search_volume' })).toEqual([ads.readyJson]);
      expect(await ready({ api: 'merchant', se: 'google' })).toEqual([products.readyJson]);
      expect(await ready({ api: 'merchant', se: 'google', seType: 'organic' })).toEqual([]);
      expect(await ready({ api: 'on_page', se: '', seType: '' })).toEqual([crawl.readyJson]);
      expect(await ready({ api: 'on_page', se: 'lighthouse', seType: '' })).toEqual([lighthouse.readyJson]);
      expect((await store.taskById(ads.id))?.api).toBe('keywords_data');
    });

    it('expedites a queued task of the account only, and only when it was due later', async () => {
      await migrated();
      const acc = await account('alice');
      const other = await account('bob');
      const later = newTask({ runAfter: T0 + 60_000 });
      const due = newTask({ runAfter: T0 });
      await store.postTasks(acc, [later, due]);
      expect(await store.expediteTask(other, later.id, T0 + 1000)).toBe(false);
      expect(await store.expediteTask(acc, due.id, T0 + 1000)).toBe(false);
      expect(await store.expediteTask(acc, 'no-such-task', T0 + 1000)).toBe(false);
      expect(await store.claimTasks('w', T0 + 1000, LEASE, 10)).toEqual([expect.objectContaining({ id: due.id })]);
      expect(await store.expediteTask(acc, later.id, T0 + 1000)).toBe(true);
      expect((await store.taskById(later.id))?.runAfter).toBe(T0 + 1000);
      expect((await store.claimTasks('w', T0 + 1000, LEASE, 10)).map((t) => t.id)).toEqual([later.id]);
      // A running task is not queued: nothing to expedite.
      expect(await store.expediteTask(acc, later.id, T0 + 500)).toBe(false);
    });

    it('keeps budgets per account, deletes them with their alerts, and claims each alert once', async () => {
      await migrated();
      const acc = await account('alice');
      const other = await account('bob');
      const day = await store.addBudget(
        {
          accountId: acc,
          period: 'day',
          amountMicro: 5_000_000,
          api: null,
          timeZone: 'America/New_York',
          alertAt: [0.8, 1],
          alertUrl: null,
        },
        T0,
      );
      const labs = await store.addBudget(
        {
          accountId: acc,
          period: 'month',
          amountMicro: 1,
          api: 'dataforseo_labs',
          timeZone: 'UTC',
          alertAt: [1],
          alertUrl: 'https://hooks.example/b',
        },
        T0 + 1,
      );
      expect(day).toEqual({
        id: expect.any(Number),
        accountId: acc,
        period: 'day',
        amountMicro: 5_000_000,
        api: null,
        timeZone: 'America/New_York',
        alertAt: [0.8, 1],
        alertUrl: null,
        createdAt: T0,
      });
      expect(await store.budgetsOf(acc)).toEqual([day, labs]);
      expect(await store.budgetsOf(other)).toEqual([]);
      expect(await store.claimBudgetAlert(day.id, T0, 0.8, T0 + 5)).toBe(true);
      expect(await store.claimBudgetAlert(day.id, T0, 0.8, T0 + 6)).toBe(false);
      expect(await store.claimBudgetAlert(day.id, T0, 1, T0 + 6)).toBe(true);
      expect(await store.claimBudgetAlert(day.id, T0 + 86_400_000, 0.8, T0 + 7)).toBe(true);
      expect(await store.deleteBudget(other, day.id)).toBe(false);
      expect(await store.deleteBudget(acc, day.id)).toBe(true);
      expect(await store.deleteBudget(acc, day.id)).toBe(false);
      expect(await store.budgetsOf(acc)).toEqual([labs]);
    });

    it('queues a budget alert in the outbox with its claim, once, and settles it without a task', async () => {
      await migrated();
      const acc = await account('alice');
      const terms = { accountId: acc, period: 'day' as const, amountMicro: 1000, api: null, timeZone: 'UTC', alertAt: [0.8, 1] };
      const hooked = await store.addBudget({ ...terms, alertUrl: 'https://Hooks.example/alerts?b=1' }, T0);
      const silent = await store.addBudget({ ...terms, alertUrl: null }, T0);
      const payload = JSON.stringify({ login: 'alice', budget_id: hooked.id, threshold: 0.8 });
      expect(await store.claimBudgetAlert(hooked.id, T0, 0.8, T0 + 5, payload)).toBe(true);
      expect(await store.claimBudgetAlert(hooked.id, T0, 0.8, T0 + 6, payload)).toBe(false);
      // Without an alert_url the claim is recorded, and nothing is queued.
      expect(await store.claimBudgetAlert(silent.id, T0, 0.8, T0 + 5, payload)).toBe(true);
      expect(await store.nextDeliveryAt()).toBe(T0 + 5);
      const jobs = await store.claimDeliveries('d', T0 + 10, LEASE, 10);
      expect(jobs).toEqual([
        {
          id: expect.any(Number),
          taskId: `budget-${hooked.id}-${T0}-0.8`,
          accountId: acc,
          kind: 'budget_alert',
          url: 'https://Hooks.example/alerts?b=1',
          host: 'hooks.example',
          attempts: 0,
          payload,
        },
      ]);
      expect(await store.budgetAlertsOf(hooked.id, T0)).toEqual([
        { threshold: 0.8, sentAt: T0 + 5, delivery: { state: 'pending', attempts: 0, nextAttemptAt: T0 + 5 } },
      ]);
      expect(await store.budgetAlertsOf(silent.id, T0)).toEqual([{ threshold: 0.8, sentAt: T0 + 5, delivery: null }]);
      expect(await store.budgetAlertsOf(hooked.id, T0 + 86_400_000)).toEqual([]);

      // An attempt settles the delivery alone (there is no task); a failed one is in no errors list.
      const job = jobs[0]!;
      expect(await store.recordAttempt({ ...attempt(job, 'd', T0 + 20, false), method: 'POST' })).toBe(true);
      expect(await store.budgetAlertsOf(hooked.id, T0)).toEqual([
        { threshold: 0.8, sentAt: T0 + 5, delivery: { state: 'failed', attempts: 1, nextAttemptAt: T0 + 5 } },
      ]);
      expect(await store.listErrors(acc, { api: 'serp', from: T0, to: T0 + 100_000, fn: null, limit: 100, offset: 0 })).toEqual([]);
      expect(await store.latestFailedWebhooks(T0, 10)).toEqual([
        expect.objectContaining({ taskId: job.taskId, kind: 'budget_alert', login: 'alice', state: 'failed', attempts: 1 }),
      ]);

      // Resend: the period's alerts pending again, due now.
      expect(await store.resendBudgetAlerts(hooked.id, T0, T0 + 30)).toBe(1);
      expect(await store.resendBudgetAlerts(silent.id, T0, T0 + 30)).toBe(0);
      const again = await store.claimDeliveries('d', T0 + 30, LEASE, 10);
      expect(again.map((j) => [j.id, j.attempts, j.payload])).toEqual([[job.id, 1, payload]]);
      expect(await store.recordAttempt({ ...attempt(again[0]!, 'd', T0 + 31, true), method: 'POST' })).toBe(true);
      expect((await store.budgetAlertsOf(hooked.id, T0))[0]!.delivery).toMatchObject({ state: 'delivered', attempts: 2 });

      // A deleted budget takes its alerts' deliveries with it.
      expect(await store.claimBudgetAlert(hooked.id, T0, 1, T0 + 40, payload)).toBe(true);
      expect(await store.deleteBudget(acc, hooked.id)).toBe(true);
      expect(await store.claimDeliveries('d', T0 + 50, LEASE, 10)).toEqual([]);
      expect(await store.nextDeliveryAt()).toBeNull();
    });

    it('purges the alerts of periods past retention with their deliveries', async () => {
      await migrated();
      const acc = await account('alice');
      const b = await store.addBudget(
        { accountId: acc, period: 'day', amountMicro: 1000, api: null, timeZone: 'UTC', alertAt: [1], alertUrl: 'https://hooks.example/a' },
        T0,
      );
      expect(await store.claimBudgetAlert(b.id, T0, 1, T0, '{}')).toBe(true);
      expect(await store.claimBudgetAlert(b.id, T0 + 86_400_000, 1, T0 + 86_400_000, '{}')).toBe(true);
      const cut = { now: T0 + 2e9, readyBefore: 0, resultsBefore: 0, attemptsBefore: 0, tasksBefore: T0 + 1 };
      expect(await store.purgeExpired(cut, 100)).toBe(1);
      expect(await store.budgetAlertsOf(b.id, T0)).toEqual([]);
      expect((await store.budgetAlertsOf(b.id, T0 + 86_400_000)).map((a) => a.delivery?.state)).toEqual(['pending']);
      expect((await store.claimDeliveries('d', T0 + 2e9, LEASE, 10)).map((j) => j.taskId)).toEqual([`budget-${b.id}-${T0 + 86_400_000}-1`]);
    });

    it('marks a task collected on the first collection only', async () => {
      await migrated();
      const acc = await account();
      const t = newTask();
      await completeAll(acc, [t]);
      expect((await store.taskById(t.id))?.collectedAt).toBeNull();
      await store.markCollected(t.id, T0 + 5000);
      await store.markCollected(t.id, T0 + 9000);
      expect((await store.taskById(t.id))?.collectedAt).toBe(T0 + 5000);
      await store.markCollected('no-such-task', T0);
    });

    // ---- webhooks ------------------------------------------------------------------------------

    it('claims, releases and re-claims deliveries under leases', async () => {
      await migrated();
      const acc = await account();
      const t = newTask({
        postbackUrl: 'https://hooks.example/pb/$id',
        postbackData: 'advanced',
        pingbackUrl: 'https://hooks.example/ping/$id',
      });
      await completeAll(acc, [t], T0 + 100);
      expect(await store.claimDeliveries('d1', T0 + 99, 10_000, 10)).toEqual([]); // not due yet
      const jobs = await store.claimDeliveries('d1', T0 + 100, 10_000, 10);
      expect(jobs.sort((x, y) => x.kind.localeCompare(y.kind))).toEqual([
        {
          id: expect.any(Number),
          taskId: t.id,
          accountId: acc,
          kind: 'pingback',
          url: 'https://hooks.example/ping/$id',
          host: 'hooks.example',
          attempts: 0,
          payload: null,
        },
        {
          id: expect.any(Number),
          taskId: t.id,
          accountId: acc,
          kind: 'postback',
          url: 'https://hooks.example/pb/$id',
          host: 'hooks.example',
          attempts: 0,
          payload: null,
        },
      ]);
      expect(await store.claimDeliveries('d2', T0 + 200, 10_000, 10)).toEqual([]); // leased
      expect(await store.nextDeliveryAt()).toBe(T0 + 100 + 10_000);

      // Release by a stranger does nothing; by the owner, the deliveries are due again at dueAt.
      await store.releaseDeliveries(
        jobs.map((j) => j.id),
        'd2',
        T0 + 300,
      );
      expect(await store.claimDeliveries('d2', T0 + 5000, 10_000, 10)).toEqual([]);
      await store.releaseDeliveries(
        jobs.map((j) => j.id),
        'd1',
        T0 + 300,
      );
      expect(await store.nextDeliveryAt()).toBe(T0 + 300);
      expect(await store.claimDeliveries('d2', T0 + 299, 10_000, 10)).toEqual([]);
      const one = await store.claimDeliveries('d2', T0 + 300, 10_000, 1);
      expect(one).toHaveLength(1);
      const rest = await store.claimDeliveries('d3', T0 + 300, 10_000, 10);
      expect(rest).toHaveLength(1);
      expect(rest[0].id).not.toBe(one[0].id);

      // An expired lease is claimable by someone else.
      expect(await store.claimDeliveries('d4', T0 + 300 + 10_000, 10_000, 10)).toEqual([]);
      expect(await store.claimDeliveries('d4', T0 + 300 + 10_001, 10_000, 10)).toHaveLength(2);
      // The old owner's attempt is refused.
      expect(await store.recordAttempt(attempt(one[0], 'd2', T0 + 400, true))).toBe(false);
      expect((await store.deliveriesOf(t.id)).attempts).toEqual([]);
    });

    it('claims the deliveries of given tasks: due, pending and unclaimed ones only, under the same lease rules', async () => {
      await migrated();
      const acc = await account();
      const both = newTask({ postbackUrl: 'https://hooks.example/pb/$id', postbackData: 'advanced', pingbackUrl: 'https://b.example/p' });
      const other = newTask({ pingbackUrl: 'https://hooks.example/other' });
      const plain = newTask();
      await completeAll(acc, [both, other, plain], T0 + 100);
      expect(await store.claimDeliveriesOf('d1', [both.id], T0 + 99, 10_000)).toEqual([]); // not due yet
      const jobs = await store.claimDeliveriesOf('d1', [both.id, plain.id, 'no-such-task'], T0 + 100, 10_000);
      expect(jobs.map((j) => [j.taskId, j.kind, j.host, j.attempts]).sort()).toEqual([
        [both.id, 'pingback', 'b.example', 0],
        [both.id, 'postback', 'hooks.example', 0],
      ]);
      // Leased to d1: neither a claim by task nor the general claim takes them; the other task's is free.
      expect(await store.claimDeliveriesOf('d2', [both.id], T0 + 200, 10_000)).toEqual([]);
      expect((await store.claimDeliveries('d2', T0 + 200, 10_000, 10)).map((j) => j.taskId)).toEqual([other.id]);
      expect(await store.claimDeliveriesOf('d1', [], T0 + 200, 10_000)).toEqual([]);
      // d1's heartbeat renews them like any claim; once the lease runs out, anyone may claim them.
      await store.registerOwner({ id: 'd1', machine: 'm', pid: 1, startedAt: T0, heartbeatAt: T0 });
      expect(await store.heartbeat('d1', T0 + 300, T0 + 300, T0 + 20_000)).toBe(true);
      expect(await store.claimDeliveriesOf('d3', [both.id], T0 + 10_101, 10_000)).toEqual([]);
      const taken = await store.claimDeliveriesOf('d3', [both.id], T0 + 20_001, 10_000);
      expect(taken.map((j) => j.id).sort()).toEqual(jobs.map((j) => j.id).sort());
      // Sent: not claimed again.
      expect(await store.recordAttempts(taken.map((j) => attempt(j, 'd3', T0 + 20_002, true)))).toEqual([true, true]);
      expect(await store.claimDeliveriesOf('d4', [both.id], T0 + 40_000, 10_000)).toEqual([]);
    });

    it('records the receiving host the dispatcher computes for a URL (webhookHost)', async () => {
      await migrated();
      const acc = await account();
      const urls = [
        'https://Hooks.Example.COM/pb?id=$id',
        'http://127.0.0.1:8080/x',
        'https://user:pw@h.example:8443#frag',
        'http://h.example?x=1/2',
        'https://[::1]:9000/p',
      ];
      const tasks = urls.map((u) => newTask({ pingbackUrl: u }));
      await completeAll(acc, tasks, T0 + 100);
      const jobs = await store.claimDeliveries('d', T0 + 100, 10_000, 10);
      expect(jobs).toHaveLength(urls.length);
      for (const j of jobs) expect(j.host).toBe(webhookHost(j.url));
      expect(webhookHost(urls[0])).toBe('hooks.example.com');
      expect(webhookHost(urls[2])).toBe('user:pw@h.example:8443');
    });

    it('releases deliveries keeping their place in line when no new due time is given', async () => {
      await migrated();
      const acc = await account();
      const early = newTask({ pingbackUrl: 'https://hooks.example/early' });
      const late = newTask({ pingbackUrl: 'https://hooks.example/late' });
      await completeAll(acc, [early], T0 + 100);
      await completeAll(acc, [late], T0 + 200);
      const [first] = await store.claimDeliveries('d', T0 + 300, 10_000, 1);
      expect(first?.taskId).toBe(early.id);
      await store.releaseDeliveries([first!.id], 'd', null);
      expect(await store.nextDeliveryAt()).toBe(T0 + 100);
      // Still first in line, ahead of the delivery that became due after it.
      expect((await store.claimDeliveries('d', T0 + 300, 10_000, 1)).map((j) => j.taskId)).toEqual([early.id]);
    });

    it('claims past the hosts it is told to skip; the host is the URL authority in lower case', async () => {
      await migrated();
      const acc = await account();
      const slow = [1, 2, 3].map(() => newTask({ postbackUrl: 'http://Slow.Example:8080/pb?id=$id', postbackData: 'advanced' }));
      const other = newTask({ pingbackUrl: 'https://user@other.example#frag' });
      const third = newTask({ pingbackUrl: 'https://third.example?x=$id' });
      await completeAll(acc, [...slow, other, third], T0 + 100);
      const hosts = (jobs: { host: string }[]) => jobs.map((j) => j.host).sort();
      expect(hosts(await store.claimDeliveries('d', T0 + 100, 10_000, 10, ['slow.example:8080', 'third.example']))).toEqual([
        'user@other.example',
      ]);
      // Skipping nothing (or a host with nothing due) claims the rest, oldest due first.
      expect(hosts(await store.claimDeliveries('d', T0 + 100, 10_000, 10, ['nowhere.example']))).toEqual([
        'slow.example:8080',
        'slow.example:8080',
        'slow.example:8080',
        'third.example',
      ]);
      // A re-sent webhook is addressed to the same host.
      expect(await store.resendWebhooks(acc, [other.id], T0 + 200)).toEqual([true]);
      expect(await store.claimDeliveries('d', T0 + 200, 10_000, 10, ['user@other.example'])).toEqual([]);
      expect(hosts(await store.claimDeliveries('d', T0 + 200, 10_000, 10))).toEqual(['user@other.example']);
    });

    it('records a batch of attempts in one call, each answered as recordAttempt would', async () => {
      await migrated();
      const acc = await account();
      const a = newTask({ postbackUrl: 'https://hooks.example/a', postbackData: 'advanced' });
      const b = newTask({ postbackUrl: 'https://hooks.example/b', postbackData: 'advanced' });
      const c = newTask({ pingbackUrl: 'https://hooks.example/c' });
      await completeAll(acc, [a, b, c], T0 + 100);
      const jobs = await store.claimDeliveries('d', T0 + 100, 10_000, 10);
      const job = (id: string) => jobs.find((j) => j.taskId === id)!;
      expect(
        await store.recordAttempts([
          attempt(job(a.id), 'd', T0 + 150, true),
          attempt(job(b.id), 'd', T0 + 150, false),
          attempt(job(c.id), 'stranger', T0 + 150, true),
          attempt(job(a.id), 'd', T0 + 151, false),
        ]),
      ).toEqual([true, true, false, false]);
      expect(await store.taskById(a.id)).toMatchObject({ listed: false, webhookState: 'delivered' });
      expect(await store.taskById(b.id)).toMatchObject({ listed: true, webhookState: 'failed' });
      expect((await store.deliveriesOf(c.id)).attempts).toEqual([]);
      expect((await store.deliveriesOf(a.id)).attempts).toHaveLength(1);
      expect(await store.recordAttempts([])).toEqual([]);
    });

    it('records attempts: a failed postback lists the task, a delivered one does not', async () => {
      await migrated();
      const acc = await account();
      const failing = newTask({ postbackUrl: 'https://hooks.example/fail', postbackData: 'advanced' });
      const working = newTask({ postbackUrl: 'https://hooks.example/ok', postbackData: 'advanced' });
      await completeAll(acc, [failing, working], T0 + 100);
      const jobs = await store.claimDeliveries('d', T0 + 100, 10_000, 10);
      const jf = jobs.find((j) => j.taskId === failing.id)!;
      const jw = jobs.find((j) => j.taskId === working.id)!;

      expect(await store.recordAttempt(attempt(jf, 'someone-else', T0 + 150, false))).toBe(false);
      expect(
        await store.recordAttempt(
          attempt(jf, 'd', T0 + 150, false, null, { httpCode: null, response: null, error: 'connect ECONNREFUSED', durationMs: 3 }),
        ),
      ).toBe(true);
      expect(await store.recordAttempt(attempt(jw, 'd', T0 + 160, true))).toBe(true);
      // The lease is gone: recording again is refused.
      expect(await store.recordAttempt(attempt(jw, 'd', T0 + 170, true))).toBe(false);

      expect(await store.taskById(failing.id)).toMatchObject({ listed: true, webhookState: 'failed' });
      expect(await store.taskById(working.id)).toMatchObject({ listed: false, webhookState: 'delivered' });
      expect(await store.listReady(acc, { api: 'serp' }, T0, 1000)).toEqual([failing.readyJson]);

      expect(await store.deliveriesOf(failing.id)).toEqual({
        deliveries: [{ kind: 'postback', state: 'failed', attempts: 1, nextAttemptAt: T0 + 100 }],
        attempts: [
          {
            kind: 'postback',
            url: 'https://hooks.example/fail',
            method: 'POST',
            attemptedAt: T0 + 150,
            ok: false,
            httpCode: null,
            durationMs: 3,
            response: null,
            error: 'connect ECONNREFUSED',
          },
        ],
      });
      expect(await store.deliveriesOf(working.id)).toEqual({
        deliveries: [{ kind: 'postback', state: 'delivered', attempts: 1, nextAttemptAt: T0 + 100 }],
        attempts: [
          {
            kind: 'postback',
            url: 'https://hooks.example/ok',
            method: 'POST',
            attemptedAt: T0 + 160,
            ok: true,
            httpCode: 200,
            durationMs: 12.5,
            response: 'fine',
            error: null,
          },
        ],
      });
      expect(await store.nextDeliveryAt()).toBeNull();
      expect(await store.claimDeliveries('d', T0 + 10_000_000, 10_000, 10)).toEqual([]);
    });

    it('keeps a failed delivery pending until its next attempt when retries are on', async () => {
      await migrated();
      const acc = await account();
      const t = newTask({ postbackUrl: 'https://hooks.example/pb', postbackData: 'advanced' });
      await completeAll(acc, [t], T0 + 100);
      const [job] = await store.claimDeliveries('d', T0 + 100, 10_000, 10);
      expect(await store.recordAttempt(attempt(job, 'd', T0 + 200, false, T0 + 5200))).toBe(true);
      expect((await store.deliveriesOf(t.id)).deliveries).toEqual([
        { kind: 'postback', state: 'pending', attempts: 1, nextAttemptAt: T0 + 5200 },
      ]);
      // A failed postback lists the task right away.
      expect(await store.taskById(t.id)).toMatchObject({ listed: true, webhookState: 'failed' });
      expect(await store.nextDeliveryAt()).toBe(T0 + 5200);
      expect(await store.claimDeliveries('d', T0 + 5199, 10_000, 10)).toEqual([]);
      const [again] = await store.claimDeliveries('d', T0 + 5200, 10_000, 10);
      expect(again).toMatchObject({ id: job.id, attempts: 1 });
      expect(await store.recordAttempt(attempt(again, 'd', T0 + 5300, true))).toBe(true);
      expect((await store.deliveriesOf(t.id)).deliveries).toEqual([
        { kind: 'postback', state: 'delivered', attempts: 2, nextAttemptAt: T0 + 5200 },
      ]);
      // Once failed, the task stays listed.
      expect(await store.taskById(t.id)).toMatchObject({ listed: true, webhookState: 'failed' });
    });

    it('records pingback outcomes on pingback-only tasks', async () => {
      await migrated();
      const acc = await account();
      const ok = newTask({ pingbackUrl: 'https://hooks.example/ok' });
      const bad = newTask({ pingbackUrl: 'https://hooks.example/bad' });
      const both = newTask({ pingbackUrl: 'https://hooks.example/ping', postbackUrl: 'https://hooks.example/pb', postbackData: 'regular' });
      await completeAll(acc, [ok, bad, both], T0 + 100);
      const jobs = await store.claimDeliveries('d', T0 + 100, 10_000, 10);
      expect(jobs).toHaveLength(4);
      for (const j of jobs) {
        const success = j.taskId === ok.id || (j.taskId === both.id && j.kind === 'pingback');
        expect(await store.recordAttempt(attempt(j, 'd', T0 + 200, success ? true : false))).toBe(true);
      }
      expect(await store.taskById(ok.id)).toMatchObject({ listed: true, webhookState: 'delivered' });
      expect(await store.taskById(bad.id)).toMatchObject({ listed: true, webhookState: 'failed' });
      // With a postback, the postback decides (it failed here).
      expect(await store.taskById(both.id)).toMatchObject({ listed: true, webhookState: 'failed' });
    });

    it('resends the webhooks of the account’s own completed tasks', async () => {
      await migrated();
      const acc = await account('alice');
      const bob = await account('bob');
      const hooked = newTask({
        postbackUrl: 'https://hooks.example/pb',
        postbackData: 'advanced',
        pingbackUrl: 'https://hooks.example/ping',
      });
      const plain = newTask();
      const bobs = newTask({ pingbackUrl: 'https://hooks.example/bob' });
      await completeAll(acc, [hooked, plain], T0 + 100);
      await completeAll(bob, [bobs], T0 + 100);
      const queued = newTask({ pingbackUrl: 'https://hooks.example/q', runAfter: T0 + 1_000_000 });
      await store.postTasks(acc, [queued]);

      for (const j of await store.claimDeliveries('d', T0 + 100, 10_000, 10))
        await store.recordAttempt(attempt(j, 'd', T0 + 200, j.kind === 'pingback'));
      expect((await store.deliveriesOf(hooked.id)).deliveries.map((d) => d.state)).toEqual(['delivered', 'failed']);

      const out = await store.resendWebhooks(acc, [hooked.id, plain.id, bobs.id, queued.id, 'no-such-task'], T0 + 9000);
      expect(out).toEqual([true, false, false, false, false]);
      expect((await store.deliveriesOf(hooked.id)).deliveries).toEqual([
        { kind: 'pingback', state: 'pending', attempts: 1, nextAttemptAt: T0 + 9000 },
        { kind: 'postback', state: 'pending', attempts: 1, nextAttemptAt: T0 + 9000 },
      ]);
      expect((await store.deliveriesOf(bobs.id)).deliveries).toEqual([
        { kind: 'pingback', state: 'delivered', attempts: 1, nextAttemptAt: T0 + 100 },
      ]);
      expect(await store.deliveriesOf(plain.id)).toEqual({ deliveries: [], attempts: [] });
      const again = await store.claimDeliveries('d', T0 + 9000, 10_000, 10);
      expect(again.map((j) => j.taskId)).toEqual([hooked.id, hooked.id]);
      expect(await store.resendWebhooks(acc, [], T0)).toEqual([]);
    });

    it('lists errors: failed webhook attempts and failed tasks, newest first, filtered and paged', async () => {
      await migrated();
      const acc = await account('alice');
      const bob = await account('bob');
      const failedTask = newTask({ se: 'google', seType: 'organic' });
      const hooked = newTask({
        postbackUrl: 'https://hooks.example/pb/$id',
        postbackData: 'advanced',
        pingbackUrl: 'https://hooks.example/ping/$id',
      });
      const fine = newTask();
      await store.postTasks(acc, [failedTask, hooked, fine]);
      const claimed = await store.claimTasks('w', T0 + 1000, LEASE, 10);
      expect(claimed).toHaveLength(3);
      await store.completeTasks(
        [{ id: failedTask.id, leaseOwner: 'w', statusCode: 40102, statusMessage: 'No Search Results.' }],
        T0 + 1000,
      );
      await store.completeTasks(
        [
          { id: hooked.id, leaseOwner: 'w', statusCode: 20000, statusMessage: 'Ok.' },
          { id: fine.id, leaseOwner: 'w', statusCode: 20000, statusMessage: 'Ok.' },
        ],
        T0 + 2000,
      );
      const bobFailed = newTask();
      await completeAll(bob, [bobFailed], T0 + 2500, 50000, 'Internal Error.');

      const jobs = await store.claimDeliveries('d', T0 + 2000, 10_000, 10);
      const pb = jobs.find((j) => j.kind === 'postback')!;
      const pg = jobs.find((j) => j.kind === 'pingback')!;
      await store.recordAttempt(
        attempt(pb, 'd', T0 + 3000, false, T0 + 8000, {
          url: `https://hooks.example/pb/${hooked.id}`,
          httpCode: 503,
          response: 'unavailable',
          durationMs: 40,
        }),
      );
      await store.recordAttempt(
        attempt(pg, 'd', T0 + 4000, false, null, {
          url: `https://hooks.example/ping/${hooked.id}`,
          httpCode: null,
          response: null,
          error: 'timeout',
          durationMs: 10_000,
        }),
      );
      const [pb2] = await store.claimDeliveries('d', T0 + 8000, 10_000, 10);
      await store.recordAttempt(attempt(pb2, 'd', T0 + 8000, true, null, { url: `https://hooks.example/pb/${hooked.id}` }));

      const q = { api: 'serp', from: T0, to: T0 + 100_000, fn: null, limit: 100, offset: 0 };
      const all = await store.listErrors(acc, q);
      expect(all).toEqual([
        {
          id: hooked.id,
          at: T0 + 4000,
          function: 'pingback_url',
          errorCode: null,
          errorMessage: `https://hooks.example/ping/${hooked.id}`,
          httpUrl: `https://hooks.example/ping/${hooked.id}`,
          httpMethod: 'GET',
          httpCode: null,
          httpTimeMs: 10_000,
          httpResponse: 'timeout',
        },
        {
          id: hooked.id,
          at: T0 + 3000,
          function: 'postback_url',
          errorCode: null,
          errorMessage: `https://hooks.example/pb/${hooked.id}`,
          httpUrl: `https://hooks.example/pb/${hooked.id}`,
          httpMethod: 'POST',
          httpCode: 503,
          httpTimeMs: 40,
          httpResponse: 'unavailable',
        },
        {
          id: failedTask.id,
          at: T0 + 1000,
          function: 'serp/google/organic/task_post',
          errorCode: 40102,
          errorMessage: 'No Search Results.',
          httpUrl: null,
          httpMethod: null,
          httpCode: null,
          httpTimeMs: null,
          httpResponse: null,
        },
      ]);
      expect(await store.listErrors(acc, { ...q, fn: 'postback_url' })).toEqual([all[1]]);
      expect(await store.listErrors(acc, { ...q, fn: 'serp/google/organic/task_post' })).toEqual([all[2]]);
      expect(await store.listErrors(acc, { ...q, fn: 'serp/google/images/task_post' })).toEqual([]);
      expect(await store.listErrors(acc, { ...q, api: 'merchant' })).toEqual([]);
      expect(await store.listErrors(acc, { ...q, limit: 1, offset: 1 })).toEqual([all[1]]);
      expect(await store.listErrors(acc, { ...q, limit: 2, offset: 2 })).toEqual([all[2]]);
      expect(await store.listErrors(acc, { ...q, from: T0 + 3000, to: T0 + 3999 })).toEqual([all[1]]);
      expect(await store.listErrors(acc, { ...q, from: T0 + 1000, to: T0 + 3000 })).toEqual([all[1], all[2]]);
      expect((await store.listErrors(bob, q)).map((e) => [e.id, e.errorCode])).toEqual([[bobFailed.id, 50000]]);
    });

    it('orders errors at the same time by id', async () => {
      await migrated();
      const acc = await account();
      const tasks = ['b', 'A', 'a', '-1', '0', 'B'].map((s) => newTask({ id: `0115-${s}` }));
      await completeAll(acc, tasks, T0 + 1000, 40501, 'Invalid Field.');
      const ids = (await store.listErrors(acc, { api: 'serp', from: T0, to: T0 + 2000, fn: null, limit: 10, offset: 0 })).map((e) => e.id);
      expect(ids).toEqual(tasks.map((t) => t.id).sort());
    });

    // ---- the operator dashboard's reads (every account) -----------------------------------------

    it('counts completions per minute over every account, by outcome, in a half-open window', async () => {
      await migrated();
      const alice = await account('alice');
      const bob = await account('bob');
      const M = 60_000;
      const base = Math.floor(T0 / M) * M;
      await completeAll(alice, [newTask(), newTask()], base + 5_000);
      await completeAll(bob, [newTask()], base + 59_999, 40102, 'No Search Results.');
      await completeAll(bob, [newTask()], base + 2 * M);
      await completeAll(alice, [newTask()], base + 3 * M);
      await store.postTasks(alice, [newTask()]); // queued: not completed
      expect(await store.completionsByMinute(base, base + 3 * M)).toEqual([
        { minute: base, done: 2, failed: 1 },
        { minute: base + 2 * M, done: 1, failed: 0 },
      ]);
      expect(await store.completionsByMinute(base + 1, base + 3 * M + 1)).toEqual([
        { minute: base, done: 2, failed: 1 },
        { minute: base + 2 * M, done: 1, failed: 0 },
        { minute: base + 3 * M, done: 1, failed: 0 },
      ]);
      expect(await store.completionsByMinute(base + 4 * M, base + 10 * M)).toEqual([]);
    });

    it('lists the latest failed tasks of every account, newest first, since a time, limited', async () => {
      await migrated();
      const alice = await account('alice');
      const bob = await account('bob');
      const old = newTask({ se: 'google', seType: 'organic' });
      const a1 = newTask({ se: 'bing', seType: 'organic' });
      const b1 = newTask();
      await completeAll(alice, [old], T0 + 1000, 40101, 'Task Handed.');
      await completeAll(alice, [newTask()], T0 + 1500);
      await completeAll(alice, [a1], T0 + 2000, 40102, 'No Search Results.');
      await completeAll(bob, [b1], T0 + 3000, 40103, 'Task Timeout.');
      const all = await store.latestFailedTasks(T0, 10);
      expect(all).toEqual([
        {
          id: b1.id,
          accountId: bob,
          login: 'bob',
          se: 'google',
          seType: 'images',
          method: 'task_post',
          statusCode: 40103,
          statusMessage: 'Task Timeout.',
          completedAt: T0 + 3000,
        },
        {
          id: a1.id,
          accountId: alice,
          login: 'alice',
          se: 'bing',
          seType: 'organic',
          method: 'task_post',
          statusCode: 40102,
          statusMessage: 'No Search Results.',
          completedAt: T0 + 2000,
        },
        expect.objectContaining({ id: old.id, statusCode: 40101, login: 'alice' }),
      ]);
      expect(await store.latestFailedTasks(T0, 2)).toEqual(all.slice(0, 2));
      expect(await store.latestFailedTasks(T0 + 2000, 10)).toEqual(all.slice(0, 2));
    });

    it('lists deliveries with a failed attempt, each once by its latest failure, with their state now', async () => {
      await migrated();
      const alice = await account('alice');
      const bob = await account('bob');
      const hooked = newTask({ postbackUrl: 'https://hooks.example/pb', postbackData: 'regular' });
      const pinged = newTask({ pingbackUrl: 'https://hooks.example/ping' });
      const fine = newTask({ pingbackUrl: 'https://hooks.example/fine' });
      await completeAll(alice, [hooked, fine], T0 + 100);
      await completeAll(bob, [pinged], T0 + 100);
      const jobs = await store.claimDeliveries('d', T0 + 100, 10_000, 10);
      expect(jobs).toHaveLength(3);
      const job = (taskId: string) => jobs.find((j) => j.taskId === taskId)!;
      // alice's postback fails twice (retried), bob's pingback once without an answer, the other is delivered.
      await store.recordAttempt(attempt(job(hooked.id), 'd', T0 + 200, false, T0 + 1000, { httpCode: 502, response: 'bad gateway' }));
      await store.recordAttempt(attempt(job(pinged.id), 'd', T0 + 300, false, null, { httpCode: null, response: null, error: 'timeout' }));
      await store.recordAttempt(attempt(job(fine.id), 'd', T0 + 300, true));
      const [again] = await store.claimDeliveries('d', T0 + 1000, 10_000, 10);
      await store.recordAttempt(attempt(again, 'd', T0 + 1000, false, null, { response: 'x'.repeat(500) }));

      const rows = await store.latestFailedWebhooks(T0, 10);
      expect(rows).toEqual([
        {
          deliveryId: job(hooked.id).id,
          taskId: hooked.id,
          accountId: alice,
          login: 'alice',
          kind: 'postback',
          url: 'https://hooks.example/pb',
          failedAt: T0 + 1000,
          httpCode: 500,
          error: 'x'.repeat(200),
          state: 'failed',
          attempts: 2,
        },
        {
          deliveryId: job(pinged.id).id,
          taskId: pinged.id,
          accountId: bob,
          login: 'bob',
          kind: 'pingback',
          url: 'https://hooks.example/ping',
          failedAt: T0 + 300,
          httpCode: null,
          error: 'timeout',
          state: 'failed',
          attempts: 1,
        },
      ]);
      expect(await store.latestFailedWebhooks(T0, 1)).toEqual(rows.slice(0, 1));
      expect(await store.latestFailedWebhooks(T0 + 301, 10)).toEqual(rows.slice(0, 1));

      // A resend makes it pending again; delivered, it stays listed (its last failure) as delivered.
      expect(await store.resendWebhooks(alice, [hooked.id], T0 + 2000)).toEqual([true]);
      expect((await store.latestFailedWebhooks(T0, 10))[0]).toMatchObject({ taskId: hooked.id, state: 'pending', attempts: 2 });
      const [resent] = await store.claimDeliveries('d', T0 + 2000, 10_000, 10);
      await store.recordAttempt(attempt(resent, 'd', T0 + 2000, true));
      expect((await store.latestFailedWebhooks(T0, 10))[0]).toMatchObject({ taskId: hooked.id, state: 'delivered', attempts: 3 });
    });

    // ---- settings ------------------------------------------------------------------------------

    // ---- appendix: live tasks, id_list, account controls ---------------------------------------

    it('sets and clears the account cost and duplicate controls', async () => {
      await migrated();
      await account();
      const u = await store.updateAccount('alice', { dailyCostLimitMicro: 2_500_000, duplicateLimitHour: 10, duplicateLimitDay: 50 });
      expect(u).toMatchObject({ dailyCostLimitMicro: 2_500_000, duplicateLimitHour: 10, duplicateLimitDay: 50 });
      expect(await store.accountByLogin('alice')).toMatchObject({
        dailyCostLimitMicro: 2_500_000,
        duplicateLimitHour: 10,
        duplicateLimitDay: 50,
      });
      // Untouched fields stay; null turns a control off.
      expect(await store.updateAccount('alice', { duplicateLimitHour: null })).toMatchObject({
        dailyCostLimitMicro: 2_500_000,
        duplicateLimitHour: null,
        duplicateLimitDay: 50,
      });
      expect(await store.updateAccount('alice', { dailyCostLimitMicro: null, duplicateLimitDay: null })).toMatchObject({
        dailyCostLimitMicro: null,
        duplicateLimitHour: null,
        duplicateLimitDay: null,
      });
    });

    it('keeps the subscriptions an account lacks: none by default, set at creation, replaced whole by an update', async () => {
      await migrated();
      await account();
      expect((await store.accountByLogin('alice'))?.noSubscriptions).toEqual([]);
      const bob = await store.createAccount({
        login: 'bob',
        passwordHash: 'h',
        balanceMicro: 0,
        limits: DEFAULT_LIMITS,
        noSubscriptions: ['backlinks'],
        createdAt: T0,
      });
      expect(bob.noSubscriptions).toEqual(['backlinks']);
      expect((await store.accountById(bob.id))?.noSubscriptions).toEqual(['backlinks']);
      const u = await store.updateAccount('alice', { noSubscriptions: ['backlinks', 'ai_optimization/llm_mentions'] });
      expect(u?.noSubscriptions).toEqual(['backlinks', 'ai_optimization/llm_mentions']);
      // Untouched by other changes; an empty list restores every subscription.
      expect((await store.updateAccount('alice', { duplicateLimitHour: 10 }))?.noSubscriptions).toEqual([
        'backlinks',
        'ai_optimization/llm_mentions',
      ]);
      expect((await store.updateAccount('alice', { noSubscriptions: [] }))?.noSubscriptions).toEqual([]);
      expect((await store.listAccounts()).map((a) => [a.login, a.noSubscriptions])).toEqual([
        ['alice', []],
        ['bob', ['backlinks']],
      ]);
    });

    it('stores a live task completed, unlisted and collected, with the debit, results and its method', async () => {
      await migrated();
      const acc = await account('alice', 3000);
      const body = Buffer.from('live-result');
      const live = newTask({ costMicro: 2000, postedAt: T0, runAfter: T0 });
      expect(
        await store.insertLiveTask(acc, live, {
          statusCode: 20000,
          statusMessage: 'Ok.',
          completedAt: T0 + 5,
          method: 'live/advanced',
          results: [{ fn: 'advanced', body }],
        }),
      ).toBe(true);
      expect((await store.accountById(acc))?.balanceMicro).toBe(1000);
      expect(await store.taskById(live.id)).toMatchObject({
        state: 'done',
        statusCode: 20000,
        statusMessage: 'Ok.',
        completedAt: T0 + 5,
        collectedAt: T0 + 5,
        listed: false,
        webhookState: 'none',
        method: 'live/advanced',
        costMicro: 2000,
        postbackUrl: null,
        pingbackUrl: null,
      });
      expect(await store.resultOf(live.id, 'advanced')).toEqual(body);
      // Not on tasks_ready, not claimable.
      expect(await store.listReady(acc, { api: 'serp' }, 0, 1000)).toEqual([]);
      expect(await store.claimTasks('w', T0 + 10_000, LEASE, 10)).toEqual([]);

      // Not covered by the balance: nothing stored, nothing debited.
      const poor = newTask({ costMicro: 2000 });
      expect(
        await store.insertLiveTask(acc, poor, { statusCode: 20000, statusMessage: 'Ok.', completedAt: T0 + 6, method: 'live/advanced' }),
      ).toBe(false);
      expect(await store.taskById(poor.id)).toBeNull();
      expect((await store.accountById(acc))?.balanceMicro).toBe(1000);

      // A failed live task shows in serp/errors under its own function.
      const failed = newTask({ costMicro: 0 });
      expect(
        await store.insertLiveTask(acc, failed, {
          statusCode: 40102,
          statusMessage: 'No Search Results.',
          completedAt: T0 + 7,
          method: 'live/html',
        }),
      ).toBe(true);
      const errors = await store.listErrors(acc, { api: 'serp', from: T0, to: T0 + 10, fn: null, limit: 10, offset: 0 });
      expect(errors.map((e) => [e.id, e.function, e.errorCode])).toEqual([[failed.id, 'serp/google/images/live/html', 40102]]);
      expect(await store.listErrors(acc, { api: 'backlinks', from: T0, to: T0 + 10, fn: null, limit: 10, offset: 0 })).toEqual([]);
    });

    it('lists task ids in a posting window, sorted and paged, standard and live', async () => {
      await migrated();
      const acc = await account('alice', 100_000);
      const other = await account('bob', 100_000);
      const a = newTask({ postedAt: T0, runAfter: T0, costMicro: 600 });
      const b = newTask({ postedAt: T0 + 1000, runAfter: T0 + 1000, costMicro: 1200 });
      const c = newTask({ postedAt: T0 + 2000, runAfter: T0 + 2000, se: 'bing', seType: 'organic', costMicro: 600 });
      await store.postTasks(acc, [a, b, c]);
      const live = newTask({ postedAt: T0 + 1500, runAfter: T0 + 1500, costMicro: 2000 });
      await store.insertLiveTask(acc, live, { statusCode: 20000, statusMessage: 'Ok.', completedAt: T0 + 1600, method: 'live/advanced' });
      await store.postTasks(other, [newTask({ postedAt: T0 + 1000 })]);
      // Complete a (b and c stay queued).
      const claimed = await store.claimTasks('w', T0 + 100, LEASE, 1);
      expect(claimed.map((t) => t.id)).toEqual([a.id]);
      await store.completeTasks([{ id: a.id, leaseOwner: 'w', statusCode: 40102, statusMessage: 'No Search Results.' }], T0 + 3000);

      const page = (q: Partial<Parameters<Store['listTaskIds']>[1]> = {}) =>
        store.listTaskIds(acc, { api: 'serp', from: T0, to: T0 + 10_000, limit: 1000, offset: 0, sort: 'asc', ...q });
      const asc = await page();
      expect(asc.map((r) => r.id)).toEqual([a.id, b.id, live.id, c.id]);
      expect(asc[0]).toEqual({
        id: a.id,
        api: 'serp',
        se: 'google',
        seType: 'images',
        fn: 'task_post',
        postedAt: T0,
        completedAt: T0 + 3000,
        statusCode: 40102,
        costMicro: 600,
        data: a.data,
      });
      expect(asc[1]).toMatchObject({ id: b.id, fn: 'task_post', completedAt: null, statusCode: null, costMicro: 1200 });
      expect(asc[2]).toMatchObject({ id: live.id, fn: 'live/advanced', completedAt: T0 + 1600, statusCode: 20000, costMicro: 2000 });
      expect(asc[3]).toMatchObject({ id: c.id, se: 'bing', seType: 'organic' });
      expect((await page({ sort: 'desc' })).map((r) => r.id)).toEqual([c.id, live.id, b.id, a.id]);
      expect((await page({ limit: 2, offset: 1 })).map((r) => r.id)).toEqual([b.id, live.id]);
      expect((await page({ from: T0 + 1000, to: T0 + 1500 })).map((r) => r.id)).toEqual([b.id, live.id]);
      expect(await page({ from: T0 + 5000 })).toEqual([]);
    });

    it('keeps each API apart: id_list and errors list the tasks of one API', async () => {
      await migrated();
      const acc = await account('alice', 100_000);
      const serpLive = newTask({ postedAt: T0, runAfter: T0, costMicro: 2000 });
      await store.insertLiveTask(acc, serpLive, { statusCode: 20000, statusMessage: 'Ok.', completedAt: T0 + 10, method: 'live/advanced' });
      const labs = newTask({
        api: 'dataforseo_labs',
        se: 'google',
        seType: 'ranked_keywords',
        postedAt: T0 + 1,
        runAfter: T0 + 1,
        costMicro: 12_000,
      });
      await store.insertLiveTask(acc, labs, { statusCode: 20000, statusMessage: 'Ok.', completedAt: T0 + 11, method: 'live' });
      const summary = newTask({ api: 'backlinks', se: 'summary', seType: '', postedAt: T0 + 2, runAfter: T0 + 2, costMicro: 24_000 });
      await store.insertLiveTask(acc, summary, {
        statusCode: 40501,
        statusMessage: "Invalid Field: 'target'.",
        completedAt: T0 + 12,
        method: 'live',
      });
      const ids = (api: string) => store.listTaskIds(acc, { api, from: T0, to: T0 + 100, limit: 100, offset: 0, sort: 'asc' });
      expect((await ids('serp')).map((r) => r.id)).toEqual([serpLive.id]);
      expect(await ids('dataforseo_labs')).toEqual([
        expect.objectContaining({
          id: labs.id,
          api: 'dataforseo_labs',
          se: 'google',
          seType: 'ranked_keywords',
          fn: 'live',
          costMicro: 12_000,
        }),
      ]);
      expect((await ids('keywords_data')).map((r) => r.id)).toEqual([]);
      const errors = (api: string) => store.listErrors(acc, { api, from: T0, to: T0 + 100, fn: null, limit: 10, offset: 0 });
      expect((await errors('backlinks')).map((e) => [e.id, e.function, e.errorCode])).toEqual([
        [summary.id, 'backlinks/summary/live', 40501],
      ]);
      expect(await errors('serp')).toEqual([]);
      expect(await errors('dataforseo_labs')).toEqual([]);
    });

    it('sums the spend since a time and counts duplicate payloads in a window', async () => {
      await migrated();
      const acc = await account('alice', 100_000);
      const other = await account('bob', 100_000);
      expect(await store.spentSince(acc, 0)).toBe(0);
      await store.postTasks(acc, [
        newTask({ postedAt: T0 - 10_000, costMicro: 600, payloadHash: 'h1' }),
        newTask({ postedAt: T0, costMicro: 1200, payloadHash: 'h1' }),
        newTask({ postedAt: T0 + 10, costMicro: 600, payloadHash: 'h2' }),
        newTask({ postedAt: T0 + 20, costMicro: 600, api: 'keywords_data', se: 'google_ads', seType: 'search_volume' }),
      ]);
      await store.insertLiveTask(acc, newTask({ postedAt: T0 + 30, costMicro: 2000, payloadHash: 'h1', api: 'dataforseo_labs' }), {
        statusCode: 20000,
        statusMessage: 'Ok.',
        completedAt: T0 + 31,
        method: 'live/advanced',
      });
      await store.postTasks(other, [newTask({ postedAt: T0, costMicro: 600, payloadHash: 'h1' })]);

      expect(await store.spentSince(acc, T0)).toBe(1200 + 600 + 600 + 2000);
      expect(await store.spentSince(acc, 0)).toBe(600 + 1200 + 600 + 600 + 2000);
      expect(await store.spentSince(acc, T0 + 1000)).toBe(0);
      expect(await store.spentByApiSince(acc, T0)).toEqual({ serp: 1200 + 600, keywords_data: 600, dataforseo_labs: 2000 });
      expect(await store.spentByApiSince(acc, T0 + 25)).toEqual({ dataforseo_labs: 2000 });
      expect(await store.spentByApiSince(acc, T0 + 1000)).toEqual({});
      expect(await store.spentByApiSince(other, 0)).toEqual({ serp: 600 });
      // Over every account, by login and API (the metrics' spend today).
      expect(await store.spendByAccount(T0)).toEqual([
        { login: 'alice', api: 'dataforseo_labs', micro: 2000 },
        { login: 'alice', api: 'keywords_data', micro: 600 },
        { login: 'alice', api: 'serp', micro: 1800 },
        { login: 'bob', api: 'serp', micro: 600 },
      ]);
      expect(await store.countDuplicates(acc, 'h1', 0)).toBe(3);
      expect(await store.countDuplicates(acc, 'h1', T0)).toBe(2);
      expect(await store.countDuplicates(acc, 'h2', T0)).toBe(1);
      expect(await store.countDuplicates(acc, 'h3', 0)).toBe(0);
      expect(await store.countDuplicates(other, 'h1', 0)).toBe(1);
    });

    /** Runs SQL on the store's database directly (another connection); the rows of a query, numbers as numbers. */
    async function raw(sql: string, query = true): Promise<Array<Record<string, string | number>>> {
      const num = (rows: Array<Record<string, unknown>>) =>
        rows.map((r) =>
          Object.fromEntries(
            Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : (v as string | number)]),
          ),
        );
      if (dialect === 'sqlite') {
        const db = new Database(ts.url);
        try {
          if (!query) {
            db.exec(sql);
            return [];
          }
          return num(db.prepare(sql).all() as Array<Record<string, unknown>>);
        } finally {
          db.close();
        }
      }
      const { connectionString, schema } = parsePostgresUrl(ts.url);
      const client = new pg.Client({ connectionString });
      await client.connect();
      try {
        await client.query(`SET search_path TO "${schema ?? 'public'}"`);
        const r = await client.query(sql);
        return query ? num(r.rows as Array<Record<string, unknown>>) : [];
      } finally {
        await client.end();
      }
    }

    /** The spend counters, and the same sums computed over the tasks: equal after every write. */
    async function expectCountersMatchTasks(): Promise<void> {
      const counters = await raw(
        'SELECT account_id, bucket, api, micro FROM spend_buckets WHERE micro <> 0 ORDER BY account_id, bucket, api',
      );
      const sums = await raw(
        `SELECT account_id, (posted_at / ${SPEND_BUCKET_MS}) * ${SPEND_BUCKET_MS} AS bucket, api, sum(cost_micro) AS micro FROM tasks
         GROUP BY account_id, (posted_at / ${SPEND_BUCKET_MS}) * ${SPEND_BUCKET_MS}, api HAVING sum(cost_micro) <> 0 ORDER BY account_id, bucket, api`,
      );
      expect(counters).toEqual(sums);
    }

    it('keeps the spend counters equal to the sums over tasks through posts, live calls, cost replacement and refunds', async () => {
      await migrated();
      const acc = await account('alice', 20_000);
      const other = await account('bob', 100_000);
      const Q = SPEND_BUCKET_MS;
      // Tasks of one call in three buckets and two APIs, a free one, and one the balance does not cover.
      const posted = await store.postTasks(acc, [
        newTask({ postedAt: T0, costMicro: 1000 }),
        newTask({ postedAt: T0 + Q - 1, costMicro: 1500 }),
        newTask({ postedAt: T0 + Q, costMicro: 600, api: 'keywords_data', se: 'google_ads', seType: 'search_volume' }),
        newTask({ postedAt: T0 + Q, costMicro: 0 }),
        newTask({ postedAt: T0 - 1, costMicro: 2000 }),
        newTask({ postedAt: T0, costMicro: 50_000 }),
      ]);
      expect(posted.accepted).toEqual([true, true, true, true, true, false]);
      await store.postTasks(other, [newTask({ postedAt: T0, costMicro: 700 })]);
      await expectCountersMatchTasks();
      expect(await store.spentByApiSince(acc, T0)).toEqual({ serp: 2500, keywords_data: 600 });

      // A live call charged, and one refused for the balance (nothing stored, nothing counted).
      const live = { statusCode: 20000, statusMessage: 'Ok.', completedAt: T0 + 5, method: 'live/advanced' };
      expect(await store.insertLiveTask(acc, newTask({ postedAt: T0 + 5, costMicro: 3000, api: 'dataforseo_labs' }), live)).toBe(true);
      expect(await store.insertLiveTask(acc, newTask({ postedAt: T0 + 6, costMicro: 1e9, api: 'dataforseo_labs' }), live)).toBe(false);
      await expectCountersMatchTasks();
      expect(await store.spentSince(acc, T0)).toBe(1000 + 1500 + 600 + 3000);

      // Completion: the relay's upstream cost replaces the charge (higher), a failure refunds it (0),
      // one keeps its cost, one states the same cost; a second completion of a task changes nothing.
      const claimed = await store.claimTasks('w', T0 + Q, LEASE, 10);
      const mine = claimed.filter((t) => t.accountId === acc).sort((a, b) => a.postedAt - b.postedAt || a.costMicro - b.costMicro);
      expect(mine.map((t) => t.costMicro)).toEqual([2000, 1000, 1500, 0, 600]);
      const [early, first, second, free, kw] = mine as [TaskRow, TaskRow, TaskRow, TaskRow, TaskRow];
      const done = (t: TaskRow, costMicro?: number) => ({
        id: t.id,
        leaseOwner: 'w',
        statusCode: costMicro === 0 ? 40000 : 20000,
        statusMessage: 'x',
        ...(costMicro === undefined ? {} : { costMicro }),
      });
      expect(await store.completeTasks([done(first, 1800), done(second, 0), done(kw), done(free, 0), done(early, 2000)], T0 + Q + 1)).toBe(
        5,
      );
      expect(await store.completeTasks([done(first, 5)], T0 + Q + 2)).toBe(0);
      await expectCountersMatchTasks();
      expect(await store.spentByApiSince(acc, T0)).toEqual({ serp: 1800, keywords_data: 600, dataforseo_labs: 3000 });
      expect(await store.spentSince(acc, T0 - Q)).toBe(2000 + 1800 + 600 + 3000);
      // The balance moved by the same differences.
      expect((await store.accountById(acc))!.balanceMicro).toBe(20_000 - (2000 + 1800 + 600 + 3000));

      // Retention deletes old tasks and keeps their buckets (money history): the spend read over a
      // window reaching past retention still counts them.
      const cut = { now: T0 + 2e9, readyBefore: 0, resultsBefore: 0, attemptsBefore: 0, tasksBefore: T0 };
      await store.purgeExpired(cut, 100);
      expect(await store.taskById(early.id)).toBeNull();
      expect(await store.spentSince(acc, T0 - Q)).toBe(2000 + 1800 + 600 + 3000);
    });

    it('reads the spend of periods in zones with quarter-hour offsets from the counters, and of any other start from the tasks too', async () => {
      await migrated();
      const acc = await account('alice', 1e12);
      // Around the local midnight starting 15 Jan 2025 and the weeks and months containing it.
      const zones = [
        'Asia/Kathmandu',
        'Australia/Eucla',
        'America/St_Johns',
        'Pacific/Chatham',
        'Australia/Lord_Howe',
        'Asia/Kolkata',
        'UTC',
      ];
      const starts = zones.flatMap((z) => (['day', 'week', 'month'] as const).map((p) => budgetWindow(p, z, T0).start));
      const apis = ['serp', 'dataforseo_labs', 'keywords_data'];
      const tasks: NewTask[] = [];
      let k = 0;
      for (const start of starts) {
        expect(start % SPEND_BUCKET_MS).toBe(0);
        for (const dt of [-SPEND_BUCKET_MS, -1, 0, 1, 7 * 60_000, SPEND_BUCKET_MS - 1, SPEND_BUCKET_MS, 3 * 3_600_000]) {
          k++;
          tasks.push(newTask({ postedAt: start + dt, costMicro: 100 + k, api: apis[k % 3] }));
        }
      }
      for (let i = 0; i < tasks.length; i += 100) await store.postTasks(acc, tasks.slice(i, i + 100));
      await expectCountersMatchTasks();
      const expected = (since: number) => {
        const out: Record<string, number> = {};
        for (const t of tasks) if (t.postedAt >= since) out[t.api!] = (out[t.api!] ?? 0) + t.costMicro;
        return out;
      };
      for (const start of starts) {
        for (const since of [start, start - 1, start + 1, start + 7 * 60_000, start + SPEND_BUCKET_MS - 1]) {
          const want = expected(since);
          expect(await store.spentByApiSince(acc, since), `since ${new Date(since).toISOString()}`).toEqual(want);
          expect(await store.spentSince(acc, since)).toBe(Object.values(want).reduce((a, b) => a + b, 0));
        }
      }
      const day = budgetWindow('day', 'Asia/Kathmandu', T0).start;
      expect(await store.spendByAccount(day)).toEqual(
        Object.entries(expected(day))
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([api, micro]) => ({ login: 'alice', api, micro })),
      );
      expect(await store.spendByAccount(day + 60_000)).toEqual(
        Object.entries(expected(day + 60_000))
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([api, micro]) => ({ login: 'alice', api, micro })),
      );
    });

    it('fills the spend counters from the tasks stored before them (migration 17)', async () => {
      await migrated();
      const acc = await account('alice');
      const other = await account('bob');
      await store.postTasks(acc, [
        newTask({ postedAt: T0, costMicro: 1000 }),
        newTask({ postedAt: T0 + 60_000, costMicro: 500, api: 'keywords_data' }),
        newTask({ postedAt: T0 + SPEND_BUCKET_MS, costMicro: 250 }),
      ]);
      await store.postTasks(other, [newTask({ postedAt: T0 - 1, costMicro: 700 })]);
      // The database as it was at migration 16: no counters.
      await raw('DROP TABLE spend_buckets; DELETE FROM schema_migrations WHERE version = 17', false);
      await store.migrate();
      await expectCountersMatchTasks();
      expect(await raw('SELECT count(*) AS n FROM spend_buckets')).toEqual([{ n: 4 }]);
      expect(await store.spentByApiSince(acc, T0)).toEqual({ serp: 1250, keywords_data: 500 });
    });

    it('gets and sets settings', async () => {
      await migrated();
      expect(await store.getSetting('clock_offset_ms')).toBeNull();
      await store.setSetting('clock_offset_ms', '1000');
      expect(await store.getSetting('clock_offset_ms')).toBe('1000');
      await store.setSetting('clock_offset_ms', '2500');
      expect(await store.getSetting('clock_offset_ms')).toBe('2500');
      expect(await store.getSetting('other')).toBeNull();
    });

    it('keeps relay live answers by key within a time, counts hits of the account reading them, and drops expired ones', async () => {
      await migrated();
      const acc = await account();
      const usage = async () => (await ts.store.relayUsage(acc))[0]?.cacheHits ?? 0;
      expect(await store.relayAnswer('k1', T0 - 1000, acc)).toBeNull();
      await store.putRelayAnswer('k1', Buffer.from('first'), T0, T0 - 1000);
      await store.putRelayAnswer('k2', Buffer.from('other'), T0 + 10, T0 - 1000);
      expect(await usage()).toBe(0);
      expect((await store.relayAnswer('k1', T0, acc))?.toString()).toBe('first');
      // Stored before `since`: not an answer any more, and no hit.
      expect(await store.relayAnswer('k1', T0 + 1, acc)).toBeNull();
      expect(await usage()).toBe(1);
      // Replaced whole, seen by another handle (another process on the store).
      await store.putRelayAnswer('k1', Buffer.from('second'), T0 + 100, T0 - 1000);
      const other = await second();
      expect((await other.relayAnswer('k1', T0 + 100, acc))?.toString()).toBe('second');
      await store.countRelayHit(acc);
      expect(await usage()).toBe(3);
      // Storing an answer drops those stored before its cut (k2), never the key being stored.
      await store.putRelayAnswer('k3', Buffer.from('third'), T0 + 200, T0 + 50);
      expect(await store.relayAnswer('k2', 0, acc)).toBeNull();
      expect((await store.relayAnswer('k1', 0, acc))?.toString()).toBe('second');
      await store.putRelayAnswer('k1', Buffer.from('fourth'), T0 + 300, T0 + 250);
      expect((await store.relayAnswer('k1', 0, acc))?.toString()).toBe('fourth');
      expect(await store.relayAnswer('k3', 0, acc)).toBeNull();
    });

    // ---- PostgreSQL wake-ups --------------------------------------------------------------------

    it.runIf(dialect === 'postgres')('notifies listeners after posts and queued webhooks, per schema', async () => {
      const pgStore = (await migrated()) as PostgresStore;
      const neighbour = await createTestStore('postgres', 'neighbour');
      try {
        await neighbour.store.migrate();
        const events: string[] = [];
        const neighbourEvents: string[] = [];
        const waiters: Array<() => void> = [];
        const push = (list: string[], e: string) => {
          list.push(e);
          waiters.splice(0).forEach((w) => w());
        };
        const stop = await pgStore.listen({
          onTasks: () => push(events, 'tasks'),
          onDeliveries: () => push(events, 'deliveries'),
          onSetting: (key, value) => push(events, `${key}=${value}`),
        });
        const stopNeighbour = await (neighbour.store as PostgresStore).listen({
          onTasks: () => push(neighbourEvents, 'tasks'),
          onDeliveries: () => push(neighbourEvents, 'deliveries'),
        });
        // Woken by each notification (the test's timeout bounds a hang).
        const waitFor = (e: string) =>
          new Promise<void>((resolve) => {
            const check = () => {
              if (events.includes(e)) resolve();
              else waiters.push(check);
            };
            check();
          });

        const acc = await account();
        const t = newTask({ pingbackUrl: 'https://hooks.example/ping' });
        await store.postTasks(acc, [t]);
        await waitFor('tasks');
        expect(events).not.toContain('deliveries');
        const [c] = await store.claimTasks('w', T0, LEASE, 10);
        await store.completeTasks([{ id: c.id, leaseOwner: 'w', statusCode: 20000, statusMessage: 'Ok.' }], T0);
        await waitFor('deliveries');
        events.length = 0;
        const [job] = await store.claimDeliveries('d', T0, 10_000, 10);
        await store.recordAttempt(attempt(job, 'd', T0 + 1, true));
        await store.resendWebhooks(acc, [t.id], T0 + 2);
        await waitFor('deliveries');
        await store.addToSetting('clock_offset_ms', 61_000);
        await waitFor('clock_offset_ms=61000');
        expect(neighbourEvents).toEqual([]);
        await stop();
        await stopNeighbour();
      } finally {
        await neighbour.cleanup();
      }
    });

    it.runIf(dialect === 'postgres')('notifies the ready channel when tasks complete, after they are listed', async () => {
      const pgStore = (await migrated()) as PostgresStore;
      const client = new pg.Client({ connectionString: parsePostgresUrl(ts.url).connectionString });
      const got: string[] = [];
      let wake: () => void = () => {};
      client.on('notification', (m) => {
        got.push(m.channel);
        wake();
      });
      await client.connect();
      try {
        await client.query(`LISTEN "${pgStore.channels.ready}"`);
        const acc = await account();
        const t = newTask();
        await store.postTasks(acc, [t]);
        expect(got).toEqual([]);
        const [c] = await store.claimTasks('w', T0, LEASE, 10);
        await store.completeTasks([{ id: c.id, leaseOwner: 'w', statusCode: 20000, statusMessage: 'Ok.' }], T0);
        await new Promise<void>((resolve) => {
          wake = resolve;
          if (got.length > 0) resolve();
        });
        expect(got).toEqual([pgStore.channels.ready]);
        expect(await store.listReady(acc, { api: 'serp' }, T0 - 1, 10)).toEqual([t.readyJson]);
      } finally {
        await client.end();
      }
    });
  });
}

describe('PostgreSQL store URLs', () => {
  it('takes ?schema= (and merges libpq options) off the URL given to pg', () => {
    expect(parsePostgresUrl('postgres://u:p%40ss@db:5432/serpq')).toEqual({
      connectionString: 'postgres://u:p%40ss@db:5432/serpq',
      schema: null,
      options: null,
    });
    expect(parsePostgresUrl('postgres://db/serpq?schema=tenant_1')).toEqual({
      connectionString: 'postgres://db/serpq',
      schema: 'tenant_1',
      options: null,
    });
    expect(
      parsePostgresUrl('postgresql://db/serpq?sslmode=require&schema=s&application_name=x&options=-c%20statement_timeout%3D5000'),
    ).toEqual({
      connectionString: 'postgresql://db/serpq?sslmode=require&application_name=x',
      schema: 's',
      options: '-c statement_timeout=5000',
    });
    expect(() => new PostgresStore({ url: 'postgres://db/serpq?schema=bad;name' })).toThrow(/invalid PostgreSQL schema/);
  });
});
