import type { FastifyInstance } from 'fastify';
import type { Clock } from '../domain/clock.js';
import type { AttemptOutcome } from '../delivery/dispatcher.js';
import type { UpstreamCall } from '../executors/relay/upstream.js';
import type { QueueStats } from '../domain/task.js';
import type { FinishedTask } from '../worker/worker.js';
import { adminTokenError, tokenMatches } from '../admin/routes.js';

/**
 * Prometheus metrics of one app. Counters are told by the parts that know: the HTTP layer (requests,
 * task_post), the worker (completions), the dispatcher (webhook calls), the relay's upstream
 * (calls) and the process composition (store failures outside calls, failed clock resyncs); the
 * queue gauges are read from the store at scrape time. prom-client (prometheus.ts) is loaded at
 * the first scrape, or once MAX_HELD observations wait for it: until then they are held
 * in order and handed over when it loads, so start-up and idle processes do without it.
 */
export interface Metrics {
  /** The text exposition of every metric (loads prom-client when not loaded yet). */
  exposition(): Promise<{ readonly contentType: string; readonly text: string }>;
  /** One answered request: the route pattern (never the raw URL, whose ids would explode the series). */
  request(method: string, route: string, statusCode: number, seconds: number): void;
  tasksPosted(se: string, seType: string, count: number): void;
  tasksFinished(tasks: readonly FinishedTask[]): void;
  webhookAttempt(a: AttemptOutcome): void;
  upstreamCall(c: UpstreamCall): void;
  /** A store failure no caller saw (an idle pooled connection that broke), by dialect and kind. */
  storeError(dialect: string, kind: string): void;
  /** A periodic re-read of the shared time-travel offset that failed. */
  clockResyncFailed(): void;
}

export interface MetricsOptions {
  /** The store's counts over every account (its DashboardReads role). */
  readonly store: {
    queueStats(): Promise<QueueStats>;
    /** Micro-USD charged since a time, per account login and API. */
    spendByAccount(since: number): Promise<ReadonlyArray<{ readonly login: string; readonly api: string; readonly micro: number }>>;
  };
  /**
   * The process clock: the age of the oldest queued task is measured on it (time travel moves it),
   * and the store's counts are cached on it for `cacheMs`.
   */
  readonly clock: Clock;
  /**
   * How long the store's counts are reused: every scraper of every node sharing a PostgreSQL store
   * then costs the database one small query per interval at most, however often they scrape.
   */
  readonly cacheMs?: number;
}

/** The recording side, as prom-client implements it (prometheus.ts). */
export interface LiveMetrics extends Omit<Metrics, 'exposition'> {
  readonly registry: { metrics(): Promise<string>; readonly contentType: string };
}

export const METRICS_CACHE_MS = 2000;

/** Observations held before prom-client is loaded; reaching it loads prom-client. */
export const MAX_HELD = 20_000;

export function createMetrics(options: MetricsOptions): Metrics {
  let live: LiveMetrics | null = null;
  let loading: Promise<LiveMetrics> | null = null;
  let held: ((m: LiveMetrics) => void)[] = [];
  const load = (): Promise<LiveMetrics> =>
    (loading ??= import('./prometheus.js').then(({ createLiveMetrics }) => {
      const m = createLiveMetrics(options);
      for (const f of held) f(m);
      held = [];
      live = m;
      return m;
    })).catch((err: unknown) => {
      // Tried again by the next scrape.
      loading = null;
      throw err;
    });
  const hold = (f: (m: LiveMetrics) => void): void => {
    // Bounded: past the mark prom-client is loading, and a failed load drops what would come after.
    if (held.length < MAX_HELD * 2) held.push(f);
    if (held.length === MAX_HELD) load().catch(() => {});
  };
  return {
    async exposition() {
      const m = await load();
      return { contentType: m.registry.contentType, text: await m.registry.metrics() };
    },
    request(method, route, statusCode, seconds) {
      if (live) live.request(method, route, statusCode, seconds);
      else hold((m) => m.request(method, route, statusCode, seconds));
    },
    tasksPosted(se, seType, count) {
      if (live) live.tasksPosted(se, seType, count);
      else hold((m) => m.tasksPosted(se, seType, count));
    },
    tasksFinished(tasks) {
      if (live) live.tasksFinished(tasks);
      else hold((m) => m.tasksFinished(tasks));
    },
    webhookAttempt(a) {
      if (live) live.webhookAttempt(a);
      else hold((m) => m.webhookAttempt(a));
    },
    upstreamCall(c) {
      if (live) live.upstreamCall(c);
      else hold((m) => m.upstreamCall(c));
    },
    storeError(dialect, kind) {
      if (live) live.storeError(dialect, kind);
      else hold((m) => m.storeError(dialect, kind));
    },
    clockResyncFailed() {
      if (live) live.clockResyncFailed();
      else hold((m) => m.clockResyncFailed());
    },
  };
}

/** The route label of a request Fastify did not route (an unknown path). */
const UNMATCHED = 'unmatched';

/**
 * Counts every request Fastify answers under its route pattern, and serves `GET /metrics`: behind
 * the admin token unless `isPublic`.
 */
export function registerMetrics(app: FastifyInstance, metrics: Metrics, access: { token: string; isPublic: boolean }): void {
  app.addHook('onResponse', async (req, reply) => {
    metrics.request(req.method, req.routeOptions.url ?? UNMATCHED, reply.statusCode, reply.elapsedTime / 1000);
  });
  app.get('/metrics', async (req, reply) => {
    if (!access.isPublic && !tokenMatches(req.headers.authorization, access.token)) {
      reply.header('WWW-Authenticate', 'Bearer');
      return reply.code(401).send({ error: adminTokenError(req.headers.authorization, ' (or start with --metrics-public)') });
    }
    const out = await metrics.exposition();
    return reply.type(out.contentType).send(out.text);
  });
}

const READY_ROUTES = ['/v3/serp/tasks_ready', '/v3/serp/:se/tasks_ready', '/v3/serp/:se/:seType/tasks_ready'];

/**
 * Counts a `GET .../tasks_ready` answered by the fast path before Fastify's router (fast-ready.ts),
 * under the pattern the Fastify route of the same scope has (`scope`: how many of se and se_type the
 * URL names). Told when the answer is handed to the socket, so the duration ends there rather than at
 * 'finish' (one listener less per request on the hottest call).
 */
export function countFastReady(metrics: Metrics, scope: number, statusCode: number, startedAt: number): void {
  metrics.request('GET', READY_ROUTES[Math.max(0, Math.min(2, scope))], statusCode, (performance.now() - startedAt) / 1000);
}
