import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { type Config, isLoopbackHost } from './config.js';
import type { Clock } from './domain/clock.js';
import { createHttpServer } from './http/server.js';
import type { Dispatcher } from './delivery/dispatcher.js';
import { createAuthenticator } from './services/auth.js';
import { createUsage } from './services/usage.js';
import type { ServiceDeps } from './services/deps.js';
import { createRateLimiter, createSharedRateLimiter } from './services/rate-limiter.js';
import type { ProcessStore } from './process/open-store.js';
import type { Retention } from './worker/retention.js';
import type { Worker } from './worker/worker.js';
import { type ProcessOverrides, openProcess } from './process/compose.js';
import { seedDemoAccount } from './process/demo-account.js';

/**
 * The composition root of `serpq serve` and `startEmulator`: the process every serpq process is
 * (src/process/compose.ts: store, clock, executor, metrics, background), with the services, the
 * authenticator, the limits and the HTTP server on top. The only place, with src/process and the
 * command line, that knows concrete implementations.
 *
 * What only some configurations use is imported when one of them asks for it (the PostgreSQL store,
 * the relay, replay and module executors): a `serve` on SQLite with the sandbox, which test suites
 * start many times, does not load them.
 */
export { openStore } from './process/open-store.js';
export { type ExecutorSetup, UPSTREAM_URL_SETTING, createExecutor } from './process/executor-setup.js';
export { type Background, type Settled, createBackground } from './process/background.js';
export { DEMO_BALANCE_USD, DEMO_LOGIN, DEMO_PASSWORD, DEMO_PASSWORD_HASH } from './process/demo-account.js';
export { CLOCK_OFFSET_KEY, openClock } from './services/clock-sync.js';

export interface App {
  readonly config: Config;
  readonly store: ProcessStore;
  readonly clock: Clock;
  readonly http: FastifyInstance;
  readonly worker: Worker | null;
  readonly dispatcher: Dispatcher | null;
  readonly retention: Retention | null;
  readonly adminToken: string;
  /** Set when the demo account was created on this start. */
  readonly demoCreated: boolean;
  /** Lines of the start banner about the executor (the relay's upstream, replay's cassettes); none for the sandbox. */
  describeExecutor(): Promise<string[]>;
  listen(): Promise<string>;
  close(): Promise<void>;
}

export type AppOverrides = ProcessOverrides;

export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  // Default credentials only on a fresh database that is reachable from this machine alone.
  const parts = await openProcess(
    config,
    { seedDemo: isLoopbackHost(config.host), onError: (err) => http.log.error({ err }, 'background error') },
    overrides,
  );
  const { store, clock, time: timeSource, setup, executor, metrics, background, demoCreated } = parts;
  // Several API nodes share one store: count limits there; a single process counts them itself.
  const limiter = store.countHits ? createSharedRateLimiter(store.countHits.bind(store), clock) : createRateLimiter(clock);
  const services: ServiceDeps = {
    store,
    clock,
    executor,
    notifyQueued: () => background?.worker.wake(),
    notifyDeliveries: () => background?.dispatcher.wake(),
  };
  const adminToken = config.adminToken ?? randomBytes(18).toString('base64url');
  const auth = createAuthenticator(store);
  const usage = createUsage(clock);
  const http = createHttpServer({
    services,
    auth,
    limiter,
    admin: {
      store,
      clock,
      token: adminToken,
      advanceClock: (ms) => timeSource.advance(ms),
      syncClock: () => timeSource.sync(),
      onAccountsChanged: () => auth.forget(),
      onDeliveriesQueued: () => background?.dispatcher.wake(),
      injectFaults: executor.injectFaults?.bind(executor),
      settle: background ? () => background.settle() : undefined,
      reset:
        config.timeTravel || config.allowReset
          ? async () => {
              await store.reset();
              timeSource.reset();
              auth.forget();
              limiter.clearWindows();
              if (isLoopbackHost(config.host)) await seedDemoAccount(store, clock, false);
            }
          : undefined,
      upstream: setup.report,
    },
    usage,
    logLevel: config.logLevel,
    metrics,
    metricsPublic: config.metricsPublic,
  });

  return {
    config,
    store,
    clock,
    http,
    worker: background?.worker ?? null,
    dispatcher: background?.dispatcher ?? null,
    retention: background?.retention ?? null,
    adminToken,
    demoCreated,
    describeExecutor: async () => (await setup.describe?.()) ?? [],
    async listen() {
      const address = await http.listen({ host: config.host, port: config.port });
      await background?.start();
      return address;
    },
    async close() {
      await parts.stopBackground();
      await http.close();
      await parts.release();
    },
  };
}
