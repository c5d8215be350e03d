import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type TravelClock, createManualClock } from '../../src/domain/clock.js';
import { type ProcessParts, openProcess } from '../../src/process/compose.js';
import type { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { eachDialect } from '../helpers/app.js';
import { type TestStore, createTestStore } from '../helpers/dialects.js';
import { parsePrometheusText, sampleValue } from '../helpers/prometheus-text.js';

/**
 * Failures no call sees (an idle pooled connection that breaks, a periodic clock resync that fails)
 * are logged through the process's onError, once per distinct failure within a minute, and every
 * one is counted in /metrics.
 */

/**
 * Two connections of the store's main pool, checked out together (so they are two backends) and
 * given back: both idle in the pool, with their backend pids. No sleep holds them open.
 */
async function twoIdleBackends(store: PostgresStore): Promise<number[]> {
  const clients = [await store.pool.connect(), await store.pool.connect()];
  try {
    const pids = await Promise.all(
      clients.map(async (c) => (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid),
    );
    expect(new Set(pids).size).toBe(2);
    return pids;
  } finally {
    for (const c of clients) c.release();
  }
}

eachDialect('background failures', (dialect) => {
  let ts: TestStore | null = null;
  let parts: ProcessParts | null = null;
  const logged: Error[] = [];

  afterEach(async () => {
    vi.useRealTimers();
    await parts?.stopBackground();
    await parts?.release();
    await ts?.cleanup();
    parts = null;
    ts = null;
    logged.length = 0;
  });

  async function open(name: string, env: Record<string, string> = {}): Promise<ProcessParts> {
    ts = await createTestStore(dialect, name);
    const config = loadConfig({ SERPQ_DB: ts.url, SERPQ_WORKERS: '0', SERPQ_LOG_LEVEL: 'silent', ...env }, {});
    // A clock that stands still: a logged failure is not logged again, however long the test takes.
    parts = await openProcess(
      config,
      { seedDemo: false, onError: (err) => logged.push(err as Error) },
      { store: ts.store, clock: createManualClock() },
    );
    return parts;
  }

  async function counted(p: ProcessParts, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
    return sampleValue(parsePrometheusText((await p.metrics.exposition()).text), name, labels);
  }

  /** Runs `sql` on the test store's database from a connection of its own. */
  async function sideQuery(sql: string, values: unknown[] = []): Promise<void> {
    if (dialect === 'sqlite') {
      const db = new Database(ts!.url);
      try {
        db.prepare(sql).run(...values);
      } finally {
        db.close();
      }
      return;
    }
    const admin = new pg.Client({ connectionString: process.env.SERPQ_TEST_PG_URL });
    await admin.connect();
    try {
      await admin.query(`SET search_path TO "${(ts!.store as PostgresStore).schema}"`);
      await admin.query(sql, values);
    } finally {
      await admin.end();
    }
  }

  it('logs a failed clock resync once and counts every one; the clock keeps its offset', async () => {
    // The clock re-reads the store on an interval: that interval is driven here, not waited for
    // (database I/O stays real).
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const p = await open('resync-failure', { SERPQ_TIME_TRAVEL: '1' });
    await p.time.advance(60_000);
    expect(await counted(p, 'serpq_clock_resync_failures_total')).toBe(0);
    let failures = 0;
    const twice = new Promise<void>((resolve) =>
      p.time.onSyncFailed(() => {
        if (++failures === 2) resolve();
      }),
    );
    // The settings table goes away under the store: every re-read (once a second) fails.
    await sideQuery('ALTER TABLE settings RENAME TO settings_away');
    try {
      vi.advanceTimersByTime(1000);
      // The first failure is on its way (a real round trip) before the second re-read is due.
      await new Promise<void>((resolve) => p.time.onSyncFailed(() => resolve()));
      vi.advanceTimersByTime(1000);
      await twice;
    } finally {
      vi.useRealTimers();
      await sideQuery('ALTER TABLE settings_away RENAME TO settings');
    }
    expect(await counted(p, 'serpq_clock_resync_failures_total')).toBeGreaterThanOrEqual(2);
    expect(logged).toHaveLength(1);
    expect(logged[0]!.message).toMatch(
      /^time travel: re-reading the shared clock offset from the store failed \(.*settings.*\); the clock keeps its last offset and tries again every second$/,
    );
    // One line in any log: no stack of the reporter, no driver object.
    expect(logged[0]!.stack).toBe(`Error: ${logged[0]!.message}`);
    expect((p.clock as TravelClock).offsetMs()).toBe(60_000);
  });

  it('logs and counts a LISTEN for clock moves that could not start; the clock still follows the store', async () => {
    ts = await createTestStore(dialect, 'listen-failure');
    // The store's wake-up channel refuses (a LISTEN connection that cannot be made); the rest of the
    // store is the real one.
    Object.assign(ts.store, { listen: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5999')) });
    const config = loadConfig({ SERPQ_DB: ts.url, SERPQ_WORKERS: '0', SERPQ_LOG_LEVEL: 'silent', SERPQ_TIME_TRAVEL: '1' }, {});
    parts = await openProcess(
      config,
      { seedDemo: false, onError: (err) => logged.push(err as Error) },
      { store: ts.store, clock: createManualClock() },
    );
    expect(logged.map((e) => e.message)).toEqual([
      'time travel: listening for clock moves made through other processes failed (connect ECONNREFUSED 127.0.0.1:5999); their moves arrive with the once-a-second re-read instead',
    ]);
    expect(await counted(parts, 'serpq_store_errors_total', { dialect, kind: 'listen' })).toBe(1);
    expect(await counted(parts, 'serpq_clock_resync_failures_total')).toBe(0);
    // A move written by another process is picked up by the re-read.
    await ts.store.addToSetting('clock_offset_ms', 5_000);
    await parts.time.sync();
    expect((parts.clock as TravelClock).offsetMs()).toBe(5_000);
  });

  /** Ends two idle connections of the store's main pool from another connection; resolves once the store told both. */
  async function breakTwoIdleConnections(store: PostgresStore): Promise<void> {
    const pids = await twoIdleBackends(store);
    let failures = 0;
    const both = new Promise<void>((resolve) =>
      store.observeFailures(() => {
        if (++failures === 2) resolve();
      }),
    );
    await sideQuery('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
    await both;
  }

  it.runIf(dialect === 'postgres')('logs a broken idle pool connection once and counts every one', async () => {
    const p = await open('pool-error');
    const store = ts!.store as PostgresStore;
    expect(await counted(p, 'serpq_store_errors_total', { dialect: 'postgres', kind: 'pool' })).toBeUndefined();
    await breakTwoIdleConnections(store);
    expect(await counted(p, 'serpq_store_errors_total', { dialect: 'postgres', kind: 'pool' })).toBe(2);
    expect(logged.map((e) => e.message)).toEqual([
      "PostgreSQL store: an idle connection of the 'main' pool broke (57P01: terminating connection due to administrator command); the pool opens another when needed",
    ]);
    // The pool goes on with new connections.
    expect(await store.ping()).toBe(true);
  });

  it.runIf(dialect === 'postgres')(
    'without the process observing it, the store writes a broken pool connection to stderr once',
    async () => {
      ts = await createTestStore(dialect, 'pool-error-stderr');
      const store = ts.store as PostgresStore;
      await store.migrate();
      const lines: unknown[][] = [];
      const stderr = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void lines.push(args));
      try {
        const pids = await twoIdleBackends(store);
        // Told after the store's own listener (added first), so both failures have been reported by then.
        const gone = new Promise<void>((resolve) => {
          let n = 0;
          store.pool.on('error', () => {
            if (++n === 2) resolve();
          });
        });
        await sideQuery('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
        await gone;
        expect(lines).toEqual([
          [
            "serpq: PostgreSQL store: an idle connection of the 'main' pool broke (57P01: terminating connection due to administrator command); the pool opens another when needed",
          ],
        ]);
      } finally {
        stderr.mockRestore();
      }
    },
  );
});
