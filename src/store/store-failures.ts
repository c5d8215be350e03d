import { systemClock } from '../domain/clock.js';
import { createLogThrottle, heldNote } from '../domain/log-throttle.js';

/**
 * Failures a store meets outside any call, which no caller would ever see: an idle pooled
 * connection that breaks (a server restart, an administrator ending it). The pool drops the
 * connection and opens another when next needed, so nothing is lost; but a database that keeps
 * dropping connections should show. The store tells its observers (the process composition logs
 * and counts them); a store nobody observes (one-shot commands) writes them to stderr itself, at
 * most once a minute per distinct failure.
 */
export interface StoreFailure {
  readonly dialect: 'sqlite' | 'postgres';
  /** `pool`: an idle connection of a pool broke. */
  readonly kind: 'pool';
  /** Which of the store's pools: `main` (every statement) or `counters` (rate-limit counters). */
  readonly source: string;
  readonly error: Error;
}

export type StoreFailureListener = (failure: StoreFailure) => void;

/** Capability of a store that meets failures outside calls (the PostgreSQL store). */
export interface ReportsStoreFailures {
  /** Adds a listener told about every failure from now on. */
  observeFailures(listener: StoreFailureListener): void;
}

export function reportsStoreFailures(store: object): store is ReportsStoreFailures {
  return typeof (store as Partial<ReportsStoreFailures>).observeFailures === 'function';
}

/** One line about a failure: the store, which pool, what broke, and the driver's code and message. */
export function describeStoreFailure(f: StoreFailure): string {
  const what = `${f.dialect === 'postgres' ? 'PostgreSQL' : 'SQLite'} store: an idle connection of the '${f.source}' pool broke`;
  return `${what} (${errorSummary(f.error)}); the pool opens another when needed`;
}

/** A driver error as `code: message` (just the message when it has no code). */
export function errorSummary(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  return typeof code === 'string' && code !== '' ? `${code}: ${message}` : message;
}

/** A key under which repeats of the same failure are told apart from others (log throttling). */
export function storeFailureKey(f: StoreFailure): string {
  return `${f.dialect}/${f.kind}/${f.source}/${String((f.error as { code?: unknown }).code)}/${f.error.message}`;
}

/** The listeners of one store, with the stderr fallback while there are none. */
export function createStoreFailures(dialect: StoreFailure['dialect']): ReportsStoreFailures & {
  report(kind: StoreFailure['kind'], source: string, error: Error): void;
} {
  const listeners: StoreFailureListener[] = [];
  const throttle = createLogThrottle();
  return {
    observeFailures(listener) {
      listeners.push(listener);
    },
    report(kind, source, error) {
      const failure: StoreFailure = { dialect, kind, source, error };
      for (const listener of listeners) listener(failure);
      if (listeners.length > 0) return;
      const admitted = throttle.admit(storeFailureKey(failure), systemClock.now());
      if (admitted) console.error(`serpq: ${describeStoreFailure(failure)}${heldNote(admitted.held)}`);
    },
  };
}
