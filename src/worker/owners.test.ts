import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../domain/clock.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { newTaskRow } from '../../test/helpers/new-task.js';
import { createOwnerRegistry } from './owners.js';

/** The owner registry on a real SQLite store, with manual clocks and a given machine and pid table. */
describe('owner registry', () => {
  let store: SqliteStore;
  const real = createManualClock(Date.UTC(2026, 0, 1, 12));
  const T0 = real.now();
  let accountId: number;

  beforeEach(async () => {
    store = new SqliteStore({ path: ':memory:' });
    await store.migrate();
    accountId = (
      await store.createAccount({
        login: 'a',
        passwordHash: 'x',
        balanceMicro: 1_000_000,
        limits: { tasksReadyPerMinute: 20, requestsPerMinute: 2000, concurrentRequests: 30 },
        createdAt: T0,
      })
    ).id;
  });
  afterEach(() => store.close());

  const running = new Set<number>([200, 300]);
  function registry(pid: number, machine = 'm1', timeoutMs = 10_000) {
    return createOwnerRegistry({
      store,
      clock: real,
      realClock: real,
      timeoutMs,
      taskLeaseMs: 120_000,
      deliveryLeaseMs: 60_000,
      machine,
      pid,
      isAlive: (p) => running.has(p),
    });
  }

  async function claimUnder(owner: string, n: number): Promise<string[]> {
    const ids = Array.from({ length: n }, (_, i) => `01011200-0000-0000-0000-${owner.slice(-6)}${String(i).padStart(6, '0')}`);
    await store.postTasks(
      accountId,
      ids.map((id) => newTaskRow(id, T0)),
    );
    const claimed = await store.claimTasks(owner, T0, 120_000, n);
    expect(claimed).toHaveLength(n);
    return ids;
  }

  it('on start, frees at once the claims of a predecessor on this machine whose process is gone', async () => {
    await store.registerOwner({ id: 'p-dead00', machine: 'm1', pid: 100, startedAt: T0 - 5000, heartbeatAt: T0 });
    await claimUnder('p-dead00', 3);
    let freed = 0;
    const r = createOwnerRegistry({
      store,
      clock: real,
      realClock: real,
      taskLeaseMs: 120_000,
      deliveryLeaseMs: 60_000,
      machine: 'm1',
      pid: 200,
      isAlive: (p) => running.has(p),
      onFreed: (n) => (freed += n),
    });
    await r.start();
    expect(freed).toBe(3);
    // Claimable now, two minutes before the lease would have expired.
    expect(await store.claimTasks(r.id, T0, 120_000, 10)).toHaveLength(3);
    expect((await store.listOwners()).map((o) => o.id)).toEqual([r.id]);
    await r.stop();
  });

  it('frees a predecessor that ran under this very pid (a restarted container), even though the pid runs', async () => {
    await store.registerOwner({ id: 'p-same00', machine: 'm1', pid: 200, startedAt: T0 - 5000, heartbeatAt: T0 });
    await claimUnder('p-same00', 2);
    const r = registry(200);
    await r.start();
    expect(await store.claimTasks(r.id, T0, 120_000, 10)).toHaveLength(2);
    await r.stop();
  });

  it('leaves a live owner alone: a running pid here, or a fresh heartbeat on another machine', async () => {
    await store.registerOwner({ id: 'p-live00', machine: 'm1', pid: 300, startedAt: T0, heartbeatAt: T0 });
    await store.registerOwner({ id: 'p-far000', machine: 'm2', pid: 100, startedAt: T0, heartbeatAt: T0 });
    await claimUnder('p-live00', 1);
    await claimUnder('p-far000', 1);
    const r = registry(200);
    await r.start();
    expect(await store.claimTasks(r.id, T0, 120_000, 10)).toEqual([]);
    // Another machine's owner goes silent: taken for dead only once past the timeout.
    real.advance(10_000);
    await store.heartbeat('p-live00', real.now(), real.now() + 120_000, real.now() + 60_000);
    await r.beat();
    expect(await store.claimTasks(r.id, real.now(), 120_000, 10)).toEqual([]);
    real.advance(1);
    await store.heartbeat('p-live00', real.now(), real.now() + 120_000, real.now() + 60_000);
    await r.beat();
    const taken = await store.claimTasks(r.id, real.now(), 120_000, 10);
    expect(taken.map((t) => t.id)).toHaveLength(1);
    expect((await store.listOwners()).map((o) => o.id).sort()).toEqual(['p-live00', r.id].sort());
    await r.stop();
  });

  it('renews what it holds with each beat, and registers again after being taken for dead', async () => {
    const r = registry(200);
    await r.start();
    const [id] = await claimUnder(r.id, 1);
    real.advance(100_000);
    await r.beat();
    expect((await store.taskById(id))?.leaseExpiresAt).toBe(real.now() + 120_000);
    // A stall: another process took it for dead and freed its claim.
    await store.releaseOwners([r.id]);
    await r.beat();
    expect((await store.listOwners()).map((o) => o.id)).toEqual([r.id]);
    await r.stop();
    // A clean stop leaves no owner row behind and frees what it held.
    expect(await store.listOwners()).toEqual([]);
  });
});
