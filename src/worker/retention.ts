import type { Clock } from '../domain/clock.js';
import { DAY } from '../domain/time-format.js';
import { READY_WINDOW_MS, RESULT_RETENTION_MS } from '../domain/task.js';
import type { Purge } from '../store/store.js';

/**
 * Retention: stored results go 30 days after completion (task_get answers 40403 from then on
 * anyway), webhook attempts after 7 days (the serp/errors window), and task rows after 180 days (the
 * vendor's id_list reaches 6 months back). Deleted in bounded batches, a few per run, so that a large
 * backlog never holds a long lock; every worker process runs it.
 */
export const TASK_RETENTION_MS = 180 * DAY;
export const ATTEMPT_RETENTION_MS = 7 * DAY;

export interface Retention {
  /** Deletes batches of what is due while they come back full, for at most `maxBatches` batches or `budgetMs`; returns rows deleted. */
  runOnce(maxBatches?: number, budgetMs?: number): Promise<number>;
  start(): void;
  stop(): void;
}

export function createRetention(options: {
  store: Purge;
  clock: Clock;
  batch?: number;
  intervalMs?: number;
  onError?: (err: unknown) => void;
}): Retention {
  const batch = options.batch ?? 1000;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;

  async function runOnce(maxBatches = 1000, budgetMs = 5_000): Promise<number> {
    let total = 0;
    // Bounded by count and by (real) time, so a backlog is worked off in steps without hogging the loop.
    const deadline = performance.now() + budgetMs;
    for (let i = 0; i < maxBatches && performance.now() < deadline; i++) {
      const now = options.clock.now();
      const n = await options.store.purgeExpired(
        {
          now,
          readyBefore: now - READY_WINDOW_MS,
          resultsBefore: now - RESULT_RETENTION_MS,
          attemptsBefore: now - ATTEMPT_RETENTION_MS,
          tasksBefore: now - TASK_RETENTION_MS,
        },
        batch,
      );
      total += n;
      if (n === 0) break;
    }
    return total;
  }

  return {
    runOnce,
    start() {
      if (timer) return;
      timer = setInterval(() => {
        if (running) return;
        running = runOnce().catch((err) => {
          options.onError?.(err);
          return 0;
        });
        void running.finally(() => (running = null));
      }, options.intervalMs ?? 10_000);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
