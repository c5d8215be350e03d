import { createHmac } from 'node:crypto';
import { type Config, ConfigError } from '../config.js';
import { type Clock, systemClock } from '../domain/clock.js';
import type { Executor } from '../executors/executor.js';
import type { Upstream } from '../executors/relay/upstream.js';
import type { CassetteLibrary } from '../executors/replay/library.js';
import { createSandboxExecutor } from '../executors/sandbox/sandbox-executor.js';
import type { UpstreamReport } from '../admin/routes.js';
import type { ProcessStore } from './open-store.js';

/**
 * The executor a config names, built with what it holds open: the sandbox; the relay with its
 * upstream client, budget and recorder; replay with its cassettes (and the relay for `record`
 * misses); or a module of the user's. What only some of them use is imported when asked for.
 */

/**
 * How long one upstream call may take before it counts as failed; it also bounds how long the
 * upstream concurrency slot of a process that crashed mid-call stays taken (the slot expires then).
 */
export const UPSTREAM_CALL_TIMEOUT_MS = 60_000;

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
  /** GET /admin/upstream and the dashboard's upstream card: present when the executor relays. */
  readonly report?: () => Promise<UpstreamReport>;
}

/**
 * Builds the executor of a config. The relay checks its credentials against the upstream's
 * user_data first: refused credentials stop the start with a clear message; an unreachable upstream
 * only warns (tasks queue until it answers). Replay opens (and indexes) its cassette folder first:
 * a missing folder or a malformed line stops the start naming the file and line.
 */
export async function createExecutor(
  config: Config,
  store: ProcessStore,
  clock: Clock,
  realClock: Clock = systemClock,
): Promise<ExecutorSetup> {
  const sandbox = createSandboxExecutor({ latency: config.sandboxLatency });
  if (config.executor === 'sandbox') return { executor: sandbox, upstream: null };
  if (config.executor === 'relay') {
    const library = config.record ? await cassettesOf(config.record, config.replayMatch, true) : null;
    return createRelay(config, store, clock, realClock, library);
  }
  if (config.executor === 'replay') {
    const library = await cassettesOf(config.cassettes ?? '', config.replayMatch, config.replayMiss === 'record');
    const relay = config.replayMiss === 'record' ? await createRelay(config, store, clock, realClock, library) : null;
    const { createReplayExecutor } = await import('../executors/replay/replay-executor.js');
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
      report: relay?.report,
      describe: async () => [
        `cassettes: ${library.size()} loaded from ${library.dir} (a miss gets: ${config.replayMiss})`,
        ...((await relay?.describe?.()) ?? []),
      ],
    };
  }
  // Anything else names a module of the user's: a path or a package.
  const { ModuleLoadError, loadModuleExecutor } = await import('../executors/module/module-executor.js');
  try {
    return { executor: await loadModuleExecutor(config.executor, { timeoutMs: config.executorTimeoutMs }), upstream: null };
  } catch (err) {
    if (err instanceof ModuleLoadError) throw new ConfigError([`executor (SERPQ_EXECUTOR): ${err.message}`]);
    throw err;
  }
}

async function cassettesOf(dir: string, match: Config['replayMatch'], create: boolean): Promise<CassetteLibrary> {
  const { CassetteError, openCassettes } = await import('../executors/replay/library.js');
  try {
    return openCassettes(dir, match, { create });
  } catch (err) {
    if (err instanceof CassetteError) throw new ConfigError([`cassettes (SERPQ_CASSETTES): ${err.message}`]);
    throw err;
  }
}

async function createRelay(
  config: Config,
  store: ProcessStore,
  clock: Clock,
  realClock: Clock,
  record: CassetteLibrary | null,
): Promise<ExecutorSetup> {
  const [{ createClient, createPoolFetch }, { createUpstream }, { createRelayExecutor }, { createCatalogRecorder, createRecorder }] =
    await Promise.all([
      import('../client/index.js'),
      import('../executors/relay/upstream.js'),
      import('../executors/relay/relay-executor.js'),
      import('../executors/replay/recorder.js'),
    ]);
  const url = config.upstreamUrl ?? '';
  const callTimeoutMs = UPSTREAM_CALL_TIMEOUT_MS;
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
    passUnknown: config.relayPassUnknown,
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
    // The other APIs' live results and task results: one cassette file per endpoint path.
    onCatalogResult: record
      ? createCatalogRecorder(
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
    report: async () => {
      const st = await upstream.status();
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
