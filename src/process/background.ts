import type { Config } from '../config.js';
import { type Clock, systemClock } from '../domain/clock.js';
import type { Executor } from '../executors/executor.js';
import { createCourierPool } from '../delivery/courier-pool.js';
import { createInlineCourier } from '../delivery/courier.js';
import { DELIVERY_LEASE_MS, type Dispatcher, createDispatcher } from '../delivery/dispatcher.js';
import { createSender } from '../delivery/send.js';
import type { Metrics } from '../http/metrics.js';
import type { Store } from '../store/store.js';
import { type OwnerRegistry, createOwnerRegistry } from '../worker/owners.js';
import { type Retention, createRetention } from '../worker/retention.js';
import { TASK_LEASE_MS, type Worker, createWorker } from '../worker/worker.js';

/** The workers and the webhook dispatcher of one process (`serve`, or `worker` without HTTP). */
export interface Background {
  readonly worker: Worker;
  readonly dispatcher: Dispatcher;
  readonly retention: Retention;
  /** This process's claim owner: registered and heartbeating while started. */
  readonly owner: OwnerRegistry;
  /** Registers the owner (freeing dead owners' claims) and starts the loops. */
  start(): Promise<void>;
  /** After the clock moved: re-check what became due. */
  wake(): void;
  /**
   * Executes every task and sends every webhook due now, and again for what that made due, until a
   * round finds nothing: the emulator's "finish now" for tests that must not wait on real time.
   */
  settle(): Promise<Settled>;
  stop(): Promise<void>;
}

/** What one settle did: tasks executed and webhook calls made. */
export interface Settled {
  readonly executed: number;
  readonly delivered: number;
}

export interface BackgroundOptions {
  readonly config: Config;
  readonly store: Store;
  readonly clock: Clock;
  readonly executor: Executor;
  /** The executor was given in code (tests): it exists in this thread only, so webhooks are sent here. */
  readonly executorInCode?: boolean;
  /** The real clock of heartbeats (tests); system time by default. */
  readonly realClock?: Clock;
  /** Worker tuning for tests. */
  readonly tuning?: { readonly leaseMs?: number; readonly pollMs?: number };
  readonly onError: (err: unknown) => void;
  readonly metrics?: Metrics;
}

export function createBackground(o: BackgroundOptions): Background {
  const { config, store, clock, executor, onError, metrics } = o;
  const send = { timeoutMs: config.webhookTimeoutMs, allowPrivate: config.allowPrivateWebhooks };
  // Webhook calls are made on courier threads when the threads can produce the same bodies: with the
  // configured sandbox (which they construct themselves) or from stored results. An executor given
  // in code (tests), or one that renders on read from state of its own (replay's cassettes), exists
  // in this thread only.
  const courier =
    config.webhookThreads > 0 && !o.executorInCode && (config.executor === 'sandbox' || !executor.render)
      ? createCourierPool({
          store,
          executor,
          renderer: config.executor === 'sandbox' ? 'sandbox' : null,
          threads: config.webhookThreads,
          send,
          onError,
        })
      : createInlineCourier(store, executor, createSender(send));
  const taskLeaseMs = o.tuning?.leaseMs ?? TASK_LEASE_MS;
  const owner = createOwnerRegistry({
    store,
    clock,
    realClock: o.realClock ?? systemClock,
    timeoutMs: config.heartbeatTimeoutMs,
    taskLeaseMs,
    deliveryLeaseMs: DELIVERY_LEASE_MS,
    onFreed: () => {
      worker.wake();
      dispatcher.wake();
    },
    onError,
  });
  const dispatcher = createDispatcher({
    store,
    clock,
    courier,
    onError,
    pollMs: o.tuning?.pollMs,
    owner: owner.id,
    onAttempt: metrics && ((a) => metrics.webhookAttempt(a)),
  });
  const worker = createWorker({
    store,
    clock,
    executor,
    owner: owner.id,
    leaseMs: taskLeaseMs,
    pollMs: o.tuning?.pollMs,
    onError,
    onCompleted: (_n, withWebhooks) => dispatcher.handOff(withWebhooks),
    onFinished: metrics && ((tasks) => metrics.tasksFinished(tasks)),
  });
  const retention = createRetention({ store, clock, onError });
  let unlisten: (() => Promise<void>) | null = null;
  return {
    worker,
    dispatcher,
    retention,
    owner,
    async start() {
      // Registering first frees what a dead predecessor held, so the loops' first claims take it.
      await owner.start();
      worker.start();
      dispatcher.start();
      retention.start();
      executor.start?.({
        onCompleted: () => dispatcher.wake(),
        // Tasks an executor completed on its own (the relay, as upstream results arrive): by engine and type.
        onFinished:
          metrics &&
          ((done) => {
            const codes = new Map(done.map((t) => [t.id, t.statusCode]));
            store
              .tasksByIds([...codes.keys()])
              .then(
                (rows) => metrics.tasksFinished(rows.map((r) => ({ se: r.se, seType: r.seType, statusCode: codes.get(r.id) ?? 0 }))),
                onError,
              );
          }),
        onError,
      });
      // Other processes' task_post and completions wake this one early (PostgreSQL); polling stays the truth.
      store.listen?.({ onTasks: () => worker.wake(), onDeliveries: () => dispatcher.wake() }).then(
        (stop) => (unlisten = stop),
        (err) => onError(err),
      );
    },
    wake() {
      worker.wake();
      dispatcher.wake();
    },
    async settle() {
      let executed = 0;
      let delivered = 0;
      for (;;) {
        const e = (await worker.runOnce()) + ((await executor.collectOnce?.()) ?? 0);
        const d = await dispatcher.runOnce();
        executed += e;
        delivered += d;
        if (e === 0 && d === 0) return { executed, delivered };
      }
    },
    async stop() {
      retention.stop();
      await executor.stop?.();
      await unlisten?.();
      await worker.stop();
      await dispatcher.stop();
      await courier.close();
      await owner.stop();
    },
  };
}
