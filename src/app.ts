import { createHmac, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { type Config, ConfigError, dbConfigError, isLoopbackHost } from './config.js';
import { type Clock, systemClock } from './domain/clock.js';
import type { Executor } from './executors/executor.js';
import { createSandboxExecutor } from './executors/sandbox/sandbox-executor.js';
import type { Upstream } from './executors/relay/upstream.js';
import type { CassetteLibrary } from './executors/replay/library.js';
import { createHttpServer } from './http/server.js';
import { createAuthenticator } from './services/auth.js';
import { createUsage } from './services/usage.js';
import { createAccount } from './services/accounts.js';
import type { ServiceDeps } from './services/deps.js';
import { createRateLimiter, createSharedRateLimiter } from './services/rate-limiter.js';
import { sqlitePathProblem } from './store/sqlite/check-path.js';
import { SqliteStore } from './store/sqlite/sqlite-store.js';
import type { Store } from './store/store.js';
import { TASK_LEASE_MS, type Worker, createWorker } from './worker/worker.js';
import { type OwnerRegistry, createOwnerRegistry } from './worker/owners.js';
import { type ProcessClock, openClock } from './services/clock-sync.js';
import { DELIVERY_LEASE_MS, type Dispatcher, createDispatcher } from './delivery/dispatcher.js';
import { createSender } from './delivery/send.js';
import { type Retention, createRetention } from './worker/retention.js';
import { createInlineCourier } from './delivery/courier.js';
import { createCourierPool } from './delivery/courier-pool.js';
import { type Metrics, createMetrics } from './http/metrics.js';

/**
 * The composition root: the only place that knows concrete implementations. Builds the store, the
 * clock, the executor, the services, the HTTP server and the workers from a Config.
 *
 * What only some configurations use is imported when one of them asks for it (the PostgreSQL store,
 * the relay, replay and module executors): a `serve` on SQLite with the sandbox, which test suites
 * start many times, does not load them.
 */
export interface App {
  readonly config: Config;
  readonly store: Store;
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

export interface AppOverrides {
  /** A clock for tests; with time travel it is wrapped so the admin API can move it. */
  readonly clock?: Clock;
  readonly executor?: Executor;
  readonly store?: Store;
  /** Worker tuning for tests. */
  readonly worker?: { readonly leaseMs?: number; readonly pollMs?: number };
  /** The real clock of heartbeats (tests); defaults to the given clock, else system time. */
  readonly realClock?: Clock;
}

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

export function createBackground(
  config: Config,
  store: Store,
  clock: Clock,
  executor: Executor,
  overrides: AppOverrides = {},
  onError: (err: unknown) => void = (err) => console.error(err),
  metrics?: Metrics,
): Background {
  const send = { timeoutMs: config.webhookTimeoutMs, allowPrivate: config.allowPrivateWebhooks };
  // Webhook calls are made on courier threads when the threads can produce the same bodies: with the
  // configured sandbox (which they construct themselves) or from stored results. An executor given
  // in code (tests), or one that renders on read from state of its own (replay's cassettes), exists
  // in this thread only.
  const courier =
    config.webhookThreads > 0 && !overrides.executor && (config.executor === 'sandbox' || !executor.render)
      ? createCourierPool({
          store,
          executor,
          renderer: config.executor === 'sandbox' ? 'sandbox' : null,
          threads: config.webhookThreads,
          send,
          onError,
        })
      : createInlineCourier(store, executor, createSender(send));
  const taskLeaseMs = overrides.worker?.leaseMs ?? TASK_LEASE_MS;
  const owner = createOwnerRegistry({
    store,
    clock,
    realClock: overrides.realClock ?? overrides.clock ?? systemClock,
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
    pollMs: overrides.worker?.pollMs,
    owner: owner.id,
    onAttempt: metrics && ((a) => metrics.webhookAttempt(a)),
  });
  const worker = createWorker({
    store,
    clock,
    executor,
    owner: owner.id,
    leaseMs: taskLeaseMs,
    pollMs: overrides.worker?.pollMs,
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

export { CLOCK_OFFSET_KEY, openClock } from './services/clock-sync.js';

export const DEMO_LOGIN = 'demo';
export const DEMO_PASSWORD = 'demo';
/**
 * The scrypt hash of DEMO_PASSWORD, precomputed so a start does not spend time hashing it. The password
 * is public, so neither the fixed salt nor the low cost (N = 1024, ~2 ms to verify instead of ~45 ms)
 * hides anything: the first call of a test suite as demo is not kept waiting. A password set for the
 * demo account later through the admin API is hashed at the full cost like any other.
 */
export const DEMO_PASSWORD_HASH = 'scrypt$1024$8$1$c2VycHEgZGVtbyBhY2NudA$-iH0KHlJspY2uzz5iS9srS0tOhe4paEeFFXJtYiIx98';
export const DEMO_BALANCE_USD = 100;

/**
 * A store from a --db value: a postgres:// URL (optionally `?schema=name`), else a SQLite path or
 * `:memory:`. Opens it after checking, before anything is created, that it can be: a missing
 * folder, a folder or a non-SQLite file where the database should be, or a PostgreSQL server that
 * cannot be reached stop the command with one line naming the setting and its value.
 */
export async function openStore(db: string): Promise<Store> {
  if (/^postgres(ql)?:\/\//i.test(db)) {
    const [{ PostgresStore }, { postgresProblem }] = await Promise.all([
      import('./store/postgres/postgres-store.js'),
      import('./store/postgres/probe.js'),
    ]);
    const problem = await postgresProblem(db);
    if (problem) throw dbConfigError(db, problem);
    return new PostgresStore({ url: db });
  }
  const problem = sqlitePathProblem(db);
  if (problem) throw dbConfigError(db, problem);
  try {
    return new SqliteStore({ path: db });
  } catch (err) {
    throw dbConfigError(db, `cannot be opened as a SQLite database (${(err as Error).message})`);
  }
}

/** The store setting that keeps the relay's upstream URL (the source `cassettes export` names). */
export const UPSTREAM_URL_SETTING = 'relay_upstream_url';

/** The configured executor, and the upstream when it is the relay. */
export interface ExecutorSetup {
  readonly executor: Executor;
  readonly upstream: Upstream | null;
  /** Releases what the executor holds open (the upstream's connections). */
  readonly close?: () => Promise<void>;
  /** What the start banner says of it: the relay's upstream and balance, the cassettes replay loaded. */
  readonly describe?: () => Promise<string[]>;
}

/**
 * Builds the executor of a config. The relay checks its credentials against the upstream's
 * user_data first: refused credentials stop the start with a clear message; an unreachable upstream
 * only warns (tasks queue until it answers). Replay opens (and indexes) its cassette folder first:
 * a missing folder or a malformed line stops the start naming the file and line.
 */
export async function createExecutor(config: Config, store: Store, clock: Clock, realClock: Clock = systemClock): Promise<ExecutorSetup> {
  const sandbox = createSandboxExecutor({ latency: config.sandboxLatency });
  if (config.executor === 'sandbox') return { executor: sandbox, upstream: null };
  if (config.executor === 'relay') {
    const library = config.record ? await cassettesOf(config.record, config.replayMatch, true) : null;
    return createRelay(config, store, clock, realClock, library);
  }
  if (config.executor === 'replay') {
    const library = await cassettesOf(config.cassettes ?? '', config.replayMatch, config.replayMiss === 'record');
    const relay = config.replayMiss === 'record' ? await createRelay(config, store, clock, realClock, library) : null;
    const { createReplayExecutor } = await import('./executors/replay/replay-executor.js');
    const executor = createReplayExecutor({
      library,
      match: config.replayMatch,
      miss: config.replayMiss,
      sandbox,
      recorder: relay?.executor,
    });
    return {
      executor,
      upstream: relay?.upstream ?? null,
      close: async () => (await relay?.close?.(), library.close()),
      describe: async () => [
        `cassettes: ${library.size()} loaded from ${library.dir} (a miss gets: ${config.replayMiss})`,
        ...((await relay?.describe?.()) ?? []),
      ],
    };
  }
  // Anything else names a module of the user's: a path or a package.
  const { ModuleLoadError, loadModuleExecutor } = await import('./executors/module/module-executor.js');
  try {
    return { executor: await loadModuleExecutor(config.executor, { timeoutMs: config.executorTimeoutMs }), upstream: null };
  } catch (err) {
    if (err instanceof ModuleLoadError) throw new ConfigError([`executor (SERPQ_EXECUTOR): ${err.message}`]);
    throw err;
  }
}

async function cassettesOf(dir: string, match: Config['replayMatch'], create: boolean): Promise<CassetteLibrary> {
  const { CassetteError, openCassettes } = await import('./executors/replay/library.js');
  try {
    return openCassettes(dir, match, { create });
  } catch (err) {
    if (err instanceof CassetteError) throw new ConfigError([`cassettes (SERPQ_CASSETTES): ${err.message}`]);
    throw err;
  }
}

async function createRelay(
  config: Config,
  store: Store,
  clock: Clock,
  realClock: Clock,
  record: CassetteLibrary | null,
): Promise<ExecutorSetup> {
  const [{ createClient, createPoolFetch }, { createUpstream }, { createRelayExecutor }, { createRecorder }] = await Promise.all([
    import('./client/index.js'),
    import('./executors/relay/upstream.js'),
    import('./executors/relay/relay-executor.js'),
    import('./executors/replay/recorder.js'),
  ]);
  const url = config.upstreamUrl ?? '';
  const callTimeoutMs = 60_000;
  // Keep-alive connections, as many as the upstream takes at once.
  const transport = createPoolFetch(url, { connections: config.upstreamLimits.concurrent });
  const client = createClient({
    baseUrl: url,
    fetch: transport,
    login: config.upstreamLogin ?? '',
    password: config.upstreamPassword ?? '',
    timeoutMs: callTimeoutMs,
    // An upstream cannot send the relay's calls (and its credentials) somewhere else.
    followRedirects: false,
  });
  const upstream = createUpstream({ url, client, limits: config.upstreamLimits, budget: store, clock, realClock, callTimeoutMs });
  // Where the stored results come from, for `cassettes export` to name as their source.
  await store.setSetting(UPSTREAM_URL_SETTING, url.replace(/\/+$/, ''));
  const check = await upstream.check();
  if (check.result === 'refused') {
    await transport.close();
    throw new ConfigError([
      `the upstream ${url} refused the credentials of SERPQ_UPSTREAM_LOGIN '${config.upstreamLogin}' (${check.message})`,
    ]);
  }
  if (check.result === 'unreachable')
    console.error(`serpq: the upstream ${url} is unreachable (${check.message}); tasks queue until it answers`);
  const executor = createRelayExecutor({
    store,
    clock,
    realClock,
    upstream,
    giveUpMs: config.upstreamGiveUpMs,
    cacheTtlMs: config.relayCacheTtlMs,
    postbackBase: config.upstreamPostbackBase,
    // Every node of a deployment derives the same secret; no one without the upstream password can.
    postbackKey: createHmac('sha256', config.upstreamPassword ?? '')
      .update(`serpq relay postback ${config.upstreamLogin}`)
      .digest('hex')
      .slice(0, 32),
    onResult: record
      ? createRecorder(
          record,
          url.replace(/\/+$/, ''),
          () => realClock.now(),
          (err) => console.error('serpq: recording a cassette:', err),
        )
      : undefined,
  });
  return {
    executor,
    upstream,
    close: async () => {
      await transport.close();
      if (config.executor === 'relay') record?.close();
    },
    describe: async () => {
      const status = await upstream.status();
      const balance = status.balance === null ? 'balance unknown' : `balance ${status.balance} USD`;
      const lines = [`upstream: ${url} (${status.reachable ? 'reachable' : 'unreachable'}, ${balance})`];
      if (config.executor === 'relay' && record) lines.push(`recording: ${record.size()} cassettes in ${record.dir}`);
      return lines;
    },
  };
}

export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const store = overrides.store ?? (await openStore(config.db));
  await store.migrate();
  // The time-travel offset is kept in the store: rows written under a moved clock must not end up in
  // the future after a restart, and every process sharing the store must agree on the time.
  const timeSource: ProcessClock = await openClock(config.timeTravel, store, overrides.clock ?? systemClock);
  const clock = timeSource.clock;

  // Default credentials only on a fresh database that is reachable from this machine alone.
  let demoCreated = false;
  if (isLoopbackHost(config.host) && (await store.countAccounts()) === 0) {
    try {
      await createAccount(
        store,
        clock.now(),
        { login: DEMO_LOGIN, password: DEMO_PASSWORD, balance: DEMO_BALANCE_USD },
        DEMO_PASSWORD_HASH,
      );
      demoCreated = true;
    } catch (err) {
      // Several nodes started at once on one fresh database: one of them creates it.
      if (!(await store.accountByLogin(DEMO_LOGIN))) throw err;
    }
  }

  const setup: ExecutorSetup = overrides.executor
    ? { executor: overrides.executor, upstream: null }
    : await createExecutor(config, store, clock, overrides.realClock ?? overrides.clock ?? systemClock);
  const executor = setup.executor;
  const metrics = createMetrics({ store, clock });
  setup.upstream?.observe((call) => metrics.upstreamCall(call));
  const background = config.workers
    ? createBackground(config, store, clock, executor, overrides, (err) => http.log.error({ err }, 'background error'), metrics)
    : null;
  // A move through any process (this one's admin API, or another's, announced by the store).
  timeSource.onMoved(() => background?.wake());
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
      injectFaults: executor.injectFaults?.bind(executor),
      settle: background ? () => background.settle() : undefined,
      reset:
        config.timeTravel || config.allowReset
          ? async () => {
              await store.reset();
              timeSource.reset();
              auth.forget();
              limiter.clearWindows();
              if (isLoopbackHost(config.host)) {
                await createAccount(
                  store,
                  clock.now(),
                  { login: DEMO_LOGIN, password: DEMO_PASSWORD, balance: DEMO_BALANCE_USD },
                  DEMO_PASSWORD_HASH,
                );
              }
            }
          : undefined,
      upstream: setup.upstream
        ? async () => {
            const st = await setup.upstream!.status();
            return {
              url: st.url,
              reachable: st.reachable,
              balance: st.balance,
              in_flight: await store.relayInFlight(),
              calls_last_minute: st.callsLastMinute,
              calls_in_flight: st.callsInFlight,
              limits: {
                requests_per_minute: st.limits.requests,
                concurrent_requests: st.limits.concurrent,
                tasks_ready_per_minute: st.limits.tasksReady,
              },
              last_error: st.lastError,
            };
          }
        : undefined,
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
      await timeSource.stop();
      await background?.stop();
      await http.close();
      await setup.close?.();
      await store.close();
    },
  };
}
