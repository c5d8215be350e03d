import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { type Config, isLoopbackHost } from './config.js';
import { type Clock, createTravelClock, systemClock } from './domain/clock.js';
import type { Executor } from './executors/executor.js';
import { createSandboxExecutor } from './executors/sandbox/sandbox-executor.js';
import { createHttpServer } from './http/server.js';
import { createAuthenticator } from './services/auth.js';
import { createAccount } from './services/accounts.js';
import type { ServiceDeps } from './services/deps.js';
import { createRateLimiter } from './services/rate-limiter.js';
import { SqliteStore } from './store/sqlite/sqlite-store.js';
import type { Store } from './store/store.js';
import { type Worker, createWorker } from './worker/worker.js';

/**
 * The composition root: the only place that knows concrete implementations. Builds the store, the
 * clock, the executor, the services, the HTTP server and the workers from a Config.
 */
export interface App {
  readonly config: Config;
  readonly store: Store;
  readonly clock: Clock;
  readonly http: FastifyInstance;
  readonly worker: Worker | null;
  readonly adminToken: string;
  /** Set when the demo account was created on this start. */
  readonly demoCreated: boolean;
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface AppOverrides {
  /** A clock for tests; with time travel it is wrapped so the admin API can move it. */
  readonly clock?: Clock;
  readonly executor?: Executor;
  readonly store?: Store;
  /** Worker tuning for tests. */
  readonly worker?: { readonly leaseMs?: number; readonly pollMs?: number };
}

export const DEMO_LOGIN = 'demo';
export const DEMO_PASSWORD = 'demo';
export const DEMO_BALANCE_USD = 100;

export function openStore(db: string): Store {
  if (/^postgres(ql)?:\/\//.test(db)) {
    throw new Error('PostgreSQL is not available in this build yet; use a SQLite file path or :memory:');
  }
  return new SqliteStore({ path: db });
}

function createExecutor(config: Config): Executor {
  if (config.executor === 'sandbox') return createSandboxExecutor({ latency: config.sandboxLatency });
  throw new Error(`executor '${config.executor}' is not available in this build; use 'sandbox'`);
}

export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const baseClock = overrides.clock ?? systemClock;
  const clock = config.timeTravel ? createTravelClock(baseClock) : baseClock;
  const store = overrides.store ?? openStore(config.db);
  await store.migrate();

  // Default credentials only on a fresh database that is reachable from this machine alone.
  let demoCreated = false;
  if (isLoopbackHost(config.host) && (await store.countAccounts()) === 0) {
    await createAccount(store, clock.now(), { login: DEMO_LOGIN, password: DEMO_PASSWORD, balance: DEMO_BALANCE_USD });
    demoCreated = true;
  }

  const executor = overrides.executor ?? createExecutor(config);
  const worker = config.workers
    ? createWorker({
        store,
        clock,
        executor,
        leaseMs: overrides.worker?.leaseMs,
        pollMs: overrides.worker?.pollMs,
        onError: (err) => http.log.error({ err }, 'worker error'),
      })
    : null;
  const services: ServiceDeps = { store, clock, executor, notifyQueued: () => worker?.wake() };
  const adminToken = config.adminToken ?? randomBytes(18).toString('base64url');
  const http = createHttpServer({
    services,
    auth: createAuthenticator(store),
    limiter: createRateLimiter(clock),
    admin: { store, clock, token: adminToken, onClockMoved: () => worker?.wake() },
    logLevel: config.logLevel,
  });

  return {
    config,
    store,
    clock,
    http,
    worker,
    adminToken,
    demoCreated,
    async listen() {
      const address = await http.listen({ host: config.host, port: config.port });
      worker?.start();
      return address;
    },
    async close() {
      await worker?.stop();
      await http.close();
      await store.close();
    },
  };
}

