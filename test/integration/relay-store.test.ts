import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RELAY_OWNER } from '../../src/domain/relay-records.js';
import type { ProcessStore } from '../../src/process/open-store.js';
import { DEFAULT_LIMITS, type NewTask } from '../../src/store/store.js';
import { DIALECTS, type TestStore, createTestStore, pgSkipNote } from '../helpers/dialects.js';

/**
 * The relay's records in the store, on every dialect: forwarding and hand-over, usage counted once,
 * the cache and followers (none joins a leader that is done), and the upstream budget shared by
 * every process (a sliding window of calls, concurrency slots that lapse). Fixed epochs: nothing sleeps.
 */
pgSkipNote();

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
const FAR = T0 + 86_400_000;

let seq = 0;
function newTask(): NewTask {
  seq++;
  const id = `06011200-1535-0066-0000-${seq.toString(16).padStart(12, '0')}`;
  return {
    id,
    se: 'google',
    seType: 'organic',
    priority: 1,
    tag: null,
    data: JSON.stringify({ keyword: `kw ${id}` }),
    postbackUrl: null,
    postbackData: null,
    pingbackUrl: null,
    costMicro: 2000,
    postedAt: T0,
    runAfter: T0,
    readyJson: JSON.stringify({ id }),
  };
}

for (const dialect of DIALECTS) {
  describe(`relay records in the store (${dialect})`, () => {
    let ts: TestStore;
    let store: ProcessStore;
    let acc: number;

    beforeEach(async () => {
      ts = await createTestStore(dialect, expect.getState().currentTestName ?? 'relay-store');
      store = ts.store;
      await store.migrate();
      acc = (
        await store.createAccount({ login: 'team', passwordHash: 'h', balanceMicro: 1_000_000, limits: DEFAULT_LIMITS, createdAt: T0 })
      ).id;
    });
    afterEach(async () => ts.cleanup());

    async function claimed(n: number): Promise<NewTask[]> {
      const tasks = Array.from({ length: n }, newTask);
      await store.postTasks(acc, tasks);
      expect(await store.claimTasks('w', T0, 60_000, n)).toHaveLength(n);
      return tasks;
    }
    const entry = (t: NewTask, key: string | null = null) => ({ taskId: t.id, accountId: acc, requestKey: key });

    it('hands forwarded tasks over to the relay, counting each task once however often it is handed over', async () => {
      const [a, b] = await claimed(2);
      await store.relayForwarding([entry(a!), entry(b!)], T0);
      expect(await store.relayForwarded([{ taskId: a!.id, upstreamId: 'up-a', costMicro: 1500 }], 'w', T0 + 1, FAR)).toBe(1);
      // Again (a reclaimed claim handed over anew): not counted twice.
      await store.relayForwarded([{ taskId: a!.id, upstreamId: 'up-a' }], RELAY_OWNER, T0 + 2, FAR);
      const [row] = await store.relayRows([a!.id]);
      expect(row).toMatchObject({ state: 'forwarded', upstreamId: 'up-a', upstreamCostMicro: 1500, accountId: acc, source: 'upstream' });
      expect(await store.relayInFlight()).toBe(1);
      expect(await store.relayUsage(acc)).toEqual([{ accountId: acc, relayed: 1, cacheHits: 0 }]);
      // A call that never left is forgotten: its task has no record, so the next try posts it afresh.
      await store.relayForget([b!.id]);
      expect(await store.relayRows([b!.id])).toEqual([]);
    });

    it('lets a follower join a leader with the upstream, and none once the leader is done', async () => {
      const [leader, f1, f2] = await claimed(3);
      await store.relayForwarding([entry(leader!, 'k')], T0);
      expect(await store.relayLeaderOf('k')).toBe(leader!.id);
      expect(await store.relayFollow(entry(f1!, 'k'), leader!.id, 'w', T0, FAR)).toBe(true);
      await store.relayForwarded([{ taskId: leader!.id, upstreamId: 'up-l' }], 'w', T0, FAR);

      await store.completeTasks([{ id: leader!.id, leaseOwner: RELAY_OWNER, statusCode: 20000, statusMessage: 'Ok.' }], T0 + 10);
      const followers = await store.relayClose(leader!.id);
      expect(followers.map((f) => [f.taskId, f.upstreamId])).toEqual([[f1!.id, 'up-l']]);
      expect(await store.relayFollow(entry(f2!, 'k'), leader!.id, 'w', T0, FAR)).toBe(false);
      expect(await store.relayLeaderOf('k')).toBeNull();

      // The follower, not completed yet, is an orphan until it is; then it counts as a cache hit once.
      expect((await store.relayOrphans(10)).map((r) => r.taskId)).toEqual([f1!.id]);
      await store.completeTasks([{ id: f1!.id, leaseOwner: RELAY_OWNER, statusCode: 20000, statusMessage: 'Ok.', costMicro: 0 }], T0 + 11);
      await store.relayFinish([f1!.id]);
      await store.relayFinish([f1!.id]);
      expect(await store.relayOrphans(10)).toEqual([]);
      expect(await store.relayUsage(acc)).toEqual([{ accountId: acc, relayed: 1, cacheHits: 1 }]);
      // The follower's charge went to 0: 2000 refunded.
      expect((await store.accountById(acc))?.balanceMicro).toBe(1_000_000 - 3 * 2000 + 2000);

      // The leader is the cache within the window, not before it.
      expect((await store.relayCached('k', T0 + 10))?.taskId).toBe(leader!.id);
      expect(await store.relayCached('k', T0 + 11)).toBeNull();
      await store.relayCacheHit(entry(f2!, 'k'), (await store.relayCached('k', T0))!, T0 + 20);
      await store.relayCacheHit(entry(f2!, 'k'), (await store.relayCached('k', T0))!, T0 + 21);
      expect(await store.relayUsage()).toEqual([{ accountId: acc, relayed: 1, cacheHits: 2 }]);
      expect((await store.relayRows([f2!.id]))[0]).toMatchObject({
        state: 'done',
        source: 'cache',
        upstreamId: 'up-l',
        leaderId: leader!.id,
      });
    });

    it('keeps one sliding window of upstream calls and lapsing concurrency slots for every process', async () => {
      const hits = [];
      for (let i = 0; i < 4; i++) hits.push(await store.upstreamHit('requests', 3, T0 + i * 1000, 60_000));
      // Counted in whole seconds: the first call's second leaves the window at T0 + 61 s, not before.
      expect(hits).toEqual([0, 0, 0, T0 + 61_000]);
      expect(await store.upstreamHit('requests', 3, T0 + 60_999, 60_000)).toBe(T0 + 61_000);
      // Then one place, and only one.
      expect(await store.upstreamHit('requests', 3, T0 + 61_000, 60_000)).toBe(0);
      expect(await store.upstreamHit('requests', 3, T0 + 61_500, 60_000)).toBe(T0 + 62_000);
      expect(await store.upstreamCallCount('requests', T0 + 61_500, 60_000)).toBe(3);
      // Calls within one second share its count.
      for (let i = 0; i < 3; i++) expect(await store.upstreamHit('burst', 3, T0 + i * 100, 60_000)).toBe(0);
      expect(await store.upstreamHit('burst', 3, T0 + 900, 60_000)).toBe(T0 + 61_000);
      // Kinds are apart.
      expect(await store.upstreamHit('tasks_ready', 1, T0, 60_000)).toBe(0);

      expect(await store.upstreamEnter('s1', 2, T0, T0 + 1000)).toBe(true);
      expect(await store.upstreamEnter('s2', 2, T0, T0 + 90_000)).toBe(true);
      expect(await store.upstreamEnter('s3', 2, T0, T0 + 90_000)).toBe(false);
      await store.upstreamLeave('s2');
      expect(await store.upstreamEnter('s3', 2, T0, T0 + 90_000)).toBe(true);
      // s1's holder died: its slot lapses at its expiry.
      expect(await store.upstreamEnter('s4', 2, T0 + 500, T0 + 90_000)).toBe(false);
      expect(await store.upstreamEnter('s4', 2, T0 + 1000, T0 + 90_000)).toBe(true);
    });
  });
}
