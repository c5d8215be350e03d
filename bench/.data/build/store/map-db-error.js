/**
 * Where driver errors stop. Transient contention (SQLITE_BUSY after busy_timeout, PostgreSQL
 * serialization failures and deadlocks) is retried a few times; anything else propagates to the
 * caller's error mapping, which answers 50000 without leaking driver text.
 */
const RETRYABLE = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED', '40001', '40P01']);
export function isRetryableDbError(err) {
    const code = err?.code;
    return typeof code === 'string' && RETRYABLE.has(code);
}
/** Runs a synchronous database operation, retrying it on transient contention. */
export function withBusyRetry(fn, attempts = 3) {
    for (let i = 1;; i++) {
        try {
            return fn();
        }
        catch (err) {
            if (i >= attempts || !isRetryableDbError(err))
                throw err;
        }
    }
}
