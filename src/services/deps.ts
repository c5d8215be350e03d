import type { Clock } from '../domain/clock.js';
import type { Executor } from '../executors/executor.js';
import type { RelayLedger } from '../executors/relay/ledger.js';
import type { AccountRow, Store } from '../store/store.js';

/** Every store role a service may use: the Store port, and the relay's usage counts (user_data, accounts). */
export type ServiceStore = Store & Pick<RelayLedger, 'relayUsage'>;

/**
 * What the use cases need, passed explicitly (no container). Each use case names the store roles it
 * uses (`ServiceDeps<Outbox>`); the composition root passes the whole store, which has them all.
 */
export interface ServiceDeps<S = ServiceStore> {
  readonly store: S;
  readonly clock: Clock;
  readonly executor: Executor;
  /** Tells local workers that new tasks are queued (a hint; polling stays the truth). */
  readonly notifyQueued: () => void;
  /** Tells local delivery loops that webhooks are due (a hint; polling stays the truth). */
  readonly notifyDeliveries: () => void;
}

/** The authenticated caller of one request and the request's start (for the envelope's `time`). */
export interface CallContext {
  readonly account: AccountRow;
  readonly url: string;
  readonly startedAt: number;
}

/** Milliseconds since the call started, from a monotonic timer. */
export function elapsedMs(ctx: { startedAt: number }): number {
  return performance.now() - ctx.startedAt;
}
