import { afterEach, describe, expect, it } from 'vitest';
import { openClock } from '../../src/services/clock-sync.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { basicAuth } from '../helpers/app.js';
import { createTestStore, pgSkipNote, type TestStore } from '../helpers/dialects.js';
import { type ServerProcess, killAllServers, startServer } from '../helpers/server-process.js';

/**
 * One clock for every node sharing a PostgreSQL store: moves add up (an atomic increment in the
 * store), every node applies a move within 100 ms (NOTIFY), and the per-minute limits, counted in
 * windows of that clock's minutes, agree across nodes.
 */
pgSkipNote();

const HAS_PG = Boolean(process.env.SERPQ_TEST_PG_URL);
const TOKEN = 'clock-nodes-admin-token';
const AUTH = basicAuth('demo', 'demo');

interface ClockView {
  now: string;
  time_travel: boolean;
  offset_seconds: number;
}

async function clockOf(node: ServerProcess, advance?: number): Promise<ClockView> {
  const res = await fetch(`${node.base}/admin/clock`, {
    method: advance === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${TOKEN}` },
    body: advance === undefined ? undefined : JSON.stringify({ advance_seconds: advance }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as ClockView;
}

describe.runIf(HAS_PG)('one clock across nodes on PostgreSQL', () => {
  let ts: TestStore | null = null;
  const stores: PostgresStore[] = [];
  afterEach(async () => {
    await killAllServers();
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await ts?.cleanup();
    ts = null;
  });

  it('applies a move made through another process within 100 ms, announced by the store', async () => {
    ts = await createTestStore('postgres', 'clock-nodes-notify');
    const [a, b] = [new PostgresStore({ url: ts.url, poolSize: 2 }), new PostgresStore({ url: ts.url, poolSize: 2 })];
    stores.push(a, b);
    await a.migrate();
    // A re-read interval far beyond the test: only the announcement can bring the move in time.
    const [ca, cb] = [await openClock(true, a, undefined, 3_600_000), await openClock(true, b, undefined, 3_600_000)];
    try {
      for (const hours of [1, 24, 72]) {
        const moved = new Promise<number>((resolve) => cb.onMoved(() => resolve(performance.now())));
        const start = performance.now();
        const offset = await ca.advance(hours * 3_600_000);
        const at = await moved;
        // Same offset: only the moments of reading differ.
        expect(Math.abs(cb.clock.now() - ca.clock.now())).toBeLessThan(50);
        expect(offset).toBeGreaterThanOrEqual(hours * 3_600_000);
        console.info(`clock move of ${hours} h applied by the other process ${(at - start).toFixed(1)} ms after it was asked for`);
        expect(at - start).toBeLessThan(100);
      }
    } finally {
      await ca.stop();
      await cb.stop();
    }
  });

  it('two serve nodes: moves through either add up, each reads the other’s at once, and limits agree', async () => {
    ts = await createTestStore('postgres', 'clock-nodes-serve');
    const flags = { db: ts.url, adminToken: TOKEN, timeTravel: true, noWorkers: true };
    const n1 = await startServer(flags);
    const n2 = await startServer(flags);

    const first = await clockOf(n1, 61);
    expect(first.offset_seconds).toBe(61);
    expect((await clockOf(n2)).offset_seconds).toBe(61);
    expect((await clockOf(n2, 61)).offset_seconds).toBe(122);
    expect((await clockOf(n1)).offset_seconds).toBe(122);

    // Concurrent moves through both nodes all count.
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => clockOf(i % 2 ? n1 : n2, 10)));
    expect(Math.max(...answers.map((a) => a.offset_seconds))).toBe(222);
    expect((await clockOf(n1)).offset_seconds).toBe(222);
    expect((await clockOf(n2)).offset_seconds).toBe(222);

    // Start the calls just after a minute of the shared clock begins, so the 21 calls fall in one window.
    const now = Date.parse((await clockOf(n1)).now);
    await clockOf(n2, (60_000 - (now % 60_000) + 500) / 1000);
    await clockOf(n1); // both nodes have the move (the stored clock is read by GET)
    const codes: number[] = [];
    for (let i = 0; i < 21; i++) {
      const node = i % 2 ? n2 : n1;
      const res = await fetch(`${node.base}/v3/serp/google/images/tasks_ready`, { headers: { authorization: AUTH } });
      expect(res.status).toBe(200);
      codes.push(((await res.json()) as { status_code: number }).status_code);
    }
    expect(codes.slice(0, 20)).toEqual(Array(20).fill(20000));
    expect(codes[20]).toBe(40202);
  });
});
