/**
 * Where driver errors stop. Transient contention (SQLITE_BUSY after busy_timeout, PostgreSQL
 * serialization failures and deadlocks) is retried a few times; anything else propagates to the
 * caller's error mapping, which answers 50000 without leaking driver text.
 */
const RETRYABLE = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED', '40001', '40P01']);

export function isRetryableDbError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRYABLE.has(code);
}

/**
 * The pause before attempt `attempt + 1` of a retried statement or transaction (both dialects):
 * growing with the attempt, and jittered so that contenders who failed together do not retry together.
 */
export function retryDelayMs(attempt: number): number {
  return 5 * attempt + Math.random() * 10 * attempt;
}

/** What Atomics.wait sleeps on: a word nobody ever changes or notifies. */
const NEVER_NOTIFIED = new Int32Array(new SharedArrayBuffer(4));

/**
 * Runs a synchronous database operation (better-sqlite3), retrying it on transient contention after
 * a short pause. What the retries are for: SQLite's busy handler (busy_timeout, 5 s) already waits
 * for another connection's write lock, so SQLITE_BUSY arrives here either after that wait ran out
 * (another process wrote for 5 s: the next attempt waits in the handler again, so three attempts
 * are up to 15 s of patience) or at once, where SQLite refuses to wait: a transaction whose read
 * snapshot went stale before it wrote (SQLITE_BUSY_SNAPSHOT, which no wait inside it resolves), a
 * table locked within the process (SQLITE_LOCKED). Retrying those at once mostly meets the same
 * writer still committing; a few milliseconds let it finish. The pause is synchronous because the
 * operation is: Atomics.wait sleeps the thread without spinning. It holds the event loop 5-15 ms
 * after the first failure and 10-30 ms after the second, only on these rare conflicts (the busy
 * handler may already have held it for seconds); an asynchronous pause would turn every caller,
 * and the store helpers built on them, asynchronous for it.
 */
export function withBusyRetry<T>(fn: () => T, attempts = 3): T {
  for (let i = 1; ; i++) {
    try {
      return fn();
    } catch (err) {
      if (i >= attempts || !isRetryableDbError(err)) throw err;
      Atomics.wait(NEVER_NOTIFIED, 0, 0, retryDelayMs(i));
    }
  }
}
