import { describe, expect, it } from 'vitest';
import { newTaskRow } from '../../test/helpers/new-task.js';
import { createManualClock } from '../domain/clock.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { DEFAULT_LIMITS, type NewTask } from '../store/store.js';
import type { Courier, WebhookCall } from './courier.js';
import { groupCommit } from '../services/group-commit.js';
import { createDispatcher } from './dispatcher.js';
import type { SendResult } from './send.js';

describe('groupCommit', () => {
  it('writes items submitted together in one flush, and those arriving during a flush in the next', async () => {
    const flushes: number[][] = [];
    let release: () => void = () => {};
    const record = groupCommit(async (batch: number[]) => {
      flushes.push(batch);
      if (flushes.length === 1) await new Promise<void>((r) => (release = r));
      return batch.map((n) => n * 10);
    });
    const first = [1, 2, 3].map(record);
    await new Promise((r) => setImmediate(r));
    expect(flushes).toEqual([[1, 2, 3]]);
    // The first flush is still writing: these wait for it, then go together.
    const second = [4, 5].map(record);
    await new Promise((r) => setImmediate(r));
    expect(flushes).toHaveLength(1);
    release();
    expect(await Promise.all([...first, ...second])).toEqual([10, 20, 30, 40, 50]);
    expect(flushes).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('caps a flush at maxBatch and gives every caller of a failed flush its error', async () => {
    const flushes: number[][] = [];
    const record = groupCommit(async (batch: number[]) => {
      flushes.push(batch);
      if (batch.includes(3)) throw new Error('disk full');
      return batch.map(() => true);
    }, 2);
    const out = await Promise.allSettled([1, 2, 3, 4, 5].map(record));
    expect(flushes).toEqual([[1, 2], [3, 4], [5]]);
    expect(out.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((out[2] as PromiseRejectedResult).reason).toEqual(new Error('disk full'));
  });
});

describe('groupCommit with overlap', () => {
  it('flushes each turn’s items at once, beside a flush still running', async () => {
    const flushes: number[][] = [];
    let release: () => void = () => {};
    const record = groupCommit(
      async (batch: number[]) => {
        flushes.push(batch);
        if (flushes.length === 1) await new Promise<void>((r) => (release = r));
        return batch.map((n) => n + 1);
      },
      256,
      0,
      true,
    );
    const first = [1, 2].map(record);
    await new Promise((r) => setImmediate(r));
    const second = [3].map(record);
    await new Promise((r) => setImmediate(r));
    // The first flush still hangs; the second went anyway.
    expect(flushes).toEqual([[1, 2], [3]]);
    expect(await Promise.all(second)).toEqual([4]);
    release();
    expect(await Promise.all(first)).toEqual([2, 3]);
  });
});

describe('dispatcher bounds', () => {
  const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

  const task = (n: number, host: string): NewTask =>
    newTaskRow(`01151200-1535-0066-0000-${n.toString(16).padStart(12, '0')}`, T0, { pingbackUrl: `http://${host}/ping?id=$id` });

  it('holds at most maxPerHost calls to a hung host and maxInFlight in all, while other hosts go through', async () => {
    const store = new SqliteStore({ path: ':memory:' });
    await store.migrate();
    const clock = createManualClock(T0);
    const acc = await store.createAccount({ login: 'a', passwordHash: 'h', balanceMicro: 0, limits: DEFAULT_LIMITS, createdAt: T0 });
    // 40 tasks for a receiver that never answers (until released), 30 for a quick one, 10 for another.
    const tasks = [
      ...Array.from({ length: 40 }, (_, i) => task(i, 'hung.test')),
      ...Array.from({ length: 30 }, (_, i) => task(100 + i, 'quick.test')),
      ...Array.from({ length: 10 }, (_, i) => task(200 + i, 'other.test')),
    ];
    await store.postTasks(acc.id, tasks);
    const claimed = await store.claimTasks('w', T0, 60_000, 1000);
    await store.completeTasks(
      claimed.map((c) => ({ id: c.id, leaseOwner: 'w', statusCode: 20000, statusMessage: 'Ok.' })),
      T0,
    );

    const open = new Map<string, number>();
    const peak = new Map<string, number>();
    let overall = 0;
    let peakOverall = 0;
    const hung: (() => void)[] = [];
    let released = false;
    const done: string[] = [];
    let quickDone: () => void = () => {};
    const allQuick = new Promise<void>((r) => (quickDone = r));
    let allDone: () => void = () => {};
    const everything = new Promise<void>((r) => (allDone = r));
    const courier: Courier = {
      async deliver(call: WebhookCall): Promise<SendResult> {
        const host = new URL(call.url).host;
        open.set(host, (open.get(host) ?? 0) + 1);
        peak.set(host, Math.max(peak.get(host) ?? 0, open.get(host) ?? 0));
        peakOverall = Math.max(peakOverall, ++overall);
        if (host === 'hung.test' && !released) await new Promise<void>((r) => hung.push(r));
        else await new Promise((r) => setImmediate(r));
        open.set(host, (open.get(host) ?? 0) - 1);
        overall--;
        done.push(host);
        if (done.filter((h) => h !== 'hung.test').length === 40) quickDone();
        if (done.length === tasks.length) allDone();
        return { httpCode: 200, durationMs: 1, response: '', error: null };
      },
      async close() {},
    };
    const dispatcher = createDispatcher({ store, clock, courier, maxPerHost: 4, maxInFlight: 6, pollMs: 5 });
    dispatcher.start();
    try {
      // Every quick and other call completes although the hung host keeps its 4 calls open throughout.
      await allQuick;
      expect(peak.get('hung.test')).toBe(4);
      expect(open.get('hung.test')).toBe(4);
      expect(peak.get('quick.test')).toBeLessThanOrEqual(2);
      expect(peakOverall).toBe(6);
      // Released, the hung host's calls drain, still 4 at a time.
      released = true;
      hung.splice(0).forEach((r) => r());
      await everything;
      await dispatcher.stop(); // waits for the outcomes to be written
      expect(peak.get('hung.test')).toBe(4);
      const states = await Promise.all(tasks.map(async (t) => (await store.taskById(t.id))?.webhookState));
      expect(states.every((s) => s === 'delivered')).toBe(true);
    } finally {
      released = true;
      hung.splice(0).forEach((r) => r());
      await dispatcher.stop();
      await store.close();
    }
  });

  it('claims a busy host’s backlog in batches as its queue runs low, never handing deliveries back', async () => {
    const store = new SqliteStore({ path: ':memory:' });
    await store.migrate();
    const acc = await store.createAccount({ login: 'a', passwordHash: 'h', balanceMicro: 0, limits: DEFAULT_LIMITS, createdAt: T0 });
    const tasks = Array.from({ length: 200 }, (_, i) => task(i, 'busy.test'));
    await store.postTasks(acc.id, tasks);
    const claimed = await store.claimTasks('w', T0, 60_000, 1000);
    await store.completeTasks(
      claimed.map((c) => ({ id: c.id, leaseOwner: 'w', statusCode: 20000, statusMessage: 'Ok.' })),
      T0,
    );
    let claims = 0;
    let emptyClaims = 0;
    let handedBack = 0;
    const claim = store.claimDeliveries.bind(store);
    const release = store.releaseDeliveries.bind(store);
    store.claimDeliveries = async (...args) => {
      const jobs = await claim(...args);
      if (jobs.length > 0) claims++;
      else emptyClaims++;
      return jobs;
    };
    store.releaseDeliveries = async (ids, ...rest) => {
      handedBack += ids.length;
      return release(ids, ...rest);
    };
    let open = 0;
    let peak = 0;
    const courier: Courier = {
      async deliver(): Promise<SendResult> {
        peak = Math.max(peak, ++open);
        await new Promise((r) => setImmediate(r));
        open--;
        return { httpCode: 200, durationMs: 1, response: '', error: null };
      },
      async close() {},
    };
    const dispatcher = createDispatcher({ store, clock: createManualClock(T0), courier, maxPerHost: 4, maxInFlight: 64 });
    try {
      expect(await dispatcher.runOnce()).toBe(200);
      expect(peak).toBe(4);
      expect(handedBack).toBe(0);
      // Batches of up to 8 (two rounds of the host's 4), claimed when its queue runs below 4: 25 at least.
      expect(claims).toBeGreaterThanOrEqual(25);
      expect(claims).toBeLessThanOrEqual(50);
      // A claim that came back short (the busy host passed over) is not repeated after every call:
      // the outbox is read again when the host runs low, not 200 times.
      expect(emptyClaims).toBeLessThanOrEqual(claims + 2);
    } finally {
      await dispatcher.stop();
      await store.close();
    }
  });
});

describe('hand-off of completed tasks’ webhooks', () => {
  const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

  async function setup(n: number) {
    const store = new SqliteStore({ path: ':memory:' });
    await store.migrate();
    const acc = await store.createAccount({ login: 'a', passwordHash: 'h', balanceMicro: 0, limits: DEFAULT_LIMITS, createdAt: T0 });
    const tasks = Array.from({ length: n }, (_, i) =>
      newTaskRow(`01151200-1535-0066-0000-${i.toString(16).padStart(12, '0')}`, T0, { pingbackUrl: `http://h.test/ping?id=$id` }),
    );
    await store.postTasks(acc.id, tasks);
    let scans = 0;
    const claim = store.claimDeliveries.bind(store);
    store.claimDeliveries = async (...args) => {
      scans++;
      return claim(...args);
    };
    /** Completes every task (after the dispatcher started: its loop has claimed nothing). */
    const complete = async () => {
      const claimed = await store.claimTasks('w', T0, 60_000, 1000);
      await store.completeTasks(
        claimed.map((c) => ({ id: c.id, leaseOwner: 'w', statusCode: 20000, statusMessage: 'Ok.' })),
        T0,
      );
    };
    return { store, ids: tasks.map((t) => t.id), tasks, scans: () => scans, complete };
  }

  function courierOf(sent: string[], gate?: Promise<void>): Courier {
    return {
      async deliver(call: WebhookCall): Promise<SendResult> {
        if (gate) await gate;
        if (call.kind !== 'budget_alert') sent.push(call.task.id);
        return { httpCode: 200, durationMs: 1, response: '', error: null };
      },
      async close() {},
    };
  }

  it('sends them at once, claimed by task, without waiting for the loop or reading the outbox through', async () => {
    const { store, ids, tasks, scans, complete } = await setup(5);
    const sent: string[] = [];
    const dispatcher = createDispatcher({ store, clock: createManualClock(T0), courier: courierOf(sent), pollMs: 3_600_000, owner: 'me' });
    dispatcher.start();
    try {
      // The loop's first claim finds nothing; then it sleeps for an hour.
      while (scans() === 0) await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
      await complete();
      const scansBefore = scans();
      dispatcher.handOff(tasks.slice(0, 3));
      await dispatcher.stop();
      expect(sent.sort()).toEqual(ids.slice(0, 3));
      expect(scans()).toBe(scansBefore);
      const states = await Promise.all(ids.map(async (id) => (await store.taskById(id))?.webhookState));
      expect(states).toEqual(['delivered', 'delivered', 'delivered', 'pending', 'pending']);
    } finally {
      await dispatcher.stop();
      await store.close();
    }
  });

  it('leaves them to the claim, in line, while a host is backed up', async () => {
    const { store, ids, tasks, scans, complete } = await setup(12);
    await complete();
    const sent: string[] = [];
    let open: () => void = () => {};
    const gate = new Promise<void>((r) => (open = r));
    const dispatcher = createDispatcher({
      store,
      clock: createManualClock(T0),
      courier: courierOf(sent, gate),
      maxPerHost: 2,
      pollMs: 3_600_000,
      owner: 'me',
    });
    dispatcher.start();
    try {
      // The loop claims a round and queues it behind the two calls held open: the host is backed up.
      while (scans() === 0) await new Promise((r) => setImmediate(r));
      const scansBefore = scans();
      dispatcher.handOff(tasks.slice(8));
      open();
      expect(await dispatcher.runOnce()).toBeGreaterThan(0);
      await dispatcher.stop();
      expect(sent.sort()).toEqual(ids);
      expect(scans()).toBeGreaterThan(scansBefore);
    } finally {
      open();
      await dispatcher.stop();
      await store.close();
    }
  });
});
