import type { Config } from '../config.js';
import { type Clock, systemClock } from '../domain/clock.js';
import { createLogThrottle, heldNote } from '../domain/log-throttle.js';
import type { Executor } from '../executors/executor.js';
import { type Metrics, createMetrics } from '../http/metrics.js';
import { type ProcessClock, openClock } from '../services/clock-sync.js';
import { type ProcessStore, openStore } from './open-store.js';
import { describeStoreFailure, errorSummary, reportsStoreFailures, storeFailureKey } from '../store/store-failures.js';
import { type Background, createBackground } from './background.js';
import { seedDemoAccount } from './demo-account.js';
import { type ExecutorSetup, createExecutor } from './executor-setup.js';

/**
 * One composition for every serpq process: `serpq serve` (with HTTP on top, src/app.ts),
 * `serpq worker` (without) and `startEmulator` (through createApp). It opens and migrates the
 * store, opens the shared clock, seeds the demo account where asked, builds the executor, the
 * metrics and, unless workers are off, the background (workers, webhook dispatcher, owner
 * heartbeat, retention, the executor's own background work). Shutdown has one order: stop the
 * clock's resyncs and the background (`stopBackground`), let the caller close what it put on top
 * (HTTP), then release the executor's connections and the store (`release`).
 */
export interface ProcessParts {
  readonly store: ProcessStore;
  readonly time: ProcessClock;
  readonly clock: Clock;
  readonly setup: ExecutorSetup;
  readonly executor: Executor;
  readonly metrics: Metrics;
  /** Null with workers off (`serve --no-workers`). */
  readonly background: Background | null;
  /** Whether this start created the demo account. */
  readonly demoCreated: boolean;
  stopBackground(): Promise<void>;
  release(): Promise<void>;
}

export interface ProcessOverrides {
  /** A clock for tests; with time travel it is wrapped so the admin API can move it. */
  readonly clock?: Clock;
  readonly executor?: Executor;
  readonly store?: ProcessStore;
  /** Worker tuning for tests. */
  readonly worker?: { readonly leaseMs?: number; readonly pollMs?: number };
  /** The real clock of heartbeats (tests); defaults to the given clock, else system time. */
  readonly realClock?: Clock;
}

export interface ProcessOptions {
  /** Create the demo account when the store has no account yet. */
  readonly seedDemo: boolean;
  /** Where background failures go (HTTP processes log them through the server's logger). */
  readonly onError: (err: unknown) => void;
}

export async function openProcess(config: Config, options: ProcessOptions, overrides: ProcessOverrides = {}): Promise<ProcessParts> {
  const store = overrides.store ?? (await openStore(config.db));
  await store.migrate();
  // The time-travel offset is kept in the store: rows written under a moved clock must not end up in
  // the future after a restart, and every process sharing the store must agree on the time.
  const time = await openClock(config.timeTravel, store, overrides.clock ?? systemClock);
  const clock = time.clock;
  const demoCreated = options.seedDemo ? await seedDemoAccount(store, clock, true) : false;
  const realClock = overrides.realClock ?? overrides.clock ?? systemClock;
  const setup: ExecutorSetup = overrides.executor
    ? { executor: overrides.executor, upstream: null }
    : await createExecutor(config, store, clock, realClock);
  const executor = setup.executor;
  const metrics = createMetrics({ store, clock });
  setup.upstream?.observe((call) => metrics.upstreamCall(call));
  // Failures no call sees: each one counted, and logged through onError at most once a minute per
  // distinct failure (a flapping database must not flood the log).
  const logThrottled = throttledLog(options.onError, realClock);
  if (reportsStoreFailures(store)) {
    store.observeFailures((f) => {
      metrics.storeError(f.dialect, f.kind);
      logThrottled(storeFailureKey(f), describeStoreFailure(f));
    });
  }
  time.onSyncFailed((err, what) => {
    const summary = errorSummary(err);
    if (what === 'listen') {
      metrics.storeError(store.kind, 'listen');
      const line = `time travel: listening for clock moves made through other processes failed (${summary}); their moves arrive with the once-a-second re-read instead`;
      logThrottled(`clock-listen/${summary}`, line);
      return;
    }
    metrics.clockResyncFailed();
    const line = `time travel: re-reading the shared clock offset from the store failed (${summary}); the clock keeps its last offset and tries again every second`;
    logThrottled(`clock-resync/${summary}`, line);
  });
  const background = config.workers
    ? createBackground({
        config,
        store,
        clock,
        executor,
        executorInCode: overrides.executor !== undefined,
        realClock,
        tuning: overrides.worker,
        onError: options.onError,
        metrics,
      })
    : null;
  // A move through any process (this one's admin API, or another's, announced by the store).
  time.onMoved(() => background?.wake());
  return {
    store,
    time,
    clock,
    setup,
    executor,
    metrics,
    background,
    demoCreated,
    async stopBackground() {
      await time.stop();
      await background?.stop();
    },
    async release() {
      await setup.close?.();
      await store.close();
    },
  };
}

/**
 * Hands `message` to `onError` as an Error, unless a report of the same key was logged within the
 * last minute. The message says where and what (with the driver's code); it goes without a stack,
 * which would show only this function, and without the driver's error (pg's carries its whole
 * connection object), so that it is one line in any log.
 */
function throttledLog(onError: (err: unknown) => void, clock: Clock): (key: string, message: string) => void {
  const throttle = createLogThrottle();
  return (key, message) => {
    const admitted = throttle.admit(key, clock.now());
    if (!admitted) return;
    const failure = new Error(message + heldNote(admitted.held));
    failure.stack = `Error: ${failure.message}`;
    onError(failure);
  };
}
