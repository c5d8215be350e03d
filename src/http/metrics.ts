import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Clock } from '../domain/clock.js';
import type { AttemptOutcome } from '../delivery/dispatcher.js';
import type { UpstreamCall } from '../executors/relay/upstream.js';
import type { QueueStats, Store } from '../store/store.js';
import type { FinishedTask } from '../worker/worker.js';
import { tokenMatches } from '../admin/routes.js';

/**
 * Prometheus metrics of one app, on a registry of its own (several apps share a test process, and
 * the global registry would mix them). Counters are told by the parts that know: the HTTP layer
 * (requests, task_post), the worker (completions), the dispatcher (webhook calls) and the relay's
 * upstream (calls); the queue gauges are read from the store at scrape time.
 */
export interface Metrics {
  readonly registry: Registry;
  /** One answered request: the route pattern (never the raw URL, whose ids would explode the series). */
  request(method: string, route: string, statusCode: number, seconds: number): void;
  tasksPosted(se: string, seType: string, count: number): void;
  tasksFinished(tasks: readonly FinishedTask[]): void;
  webhookAttempt(a: AttemptOutcome): void;
  upstreamCall(c: UpstreamCall): void;
}

export interface MetricsOptions {
  readonly store: Pick<Store, 'queueStats'>;
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

/** Seconds: from a fast in-process answer to a slow task_post of 100 tasks. */
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Seconds: webhook receivers and the upstream have up to 10 s (webhooks) or 60 s (upstream). */
const CALL_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export const METRICS_CACHE_MS = 2000;

export function createMetrics(options: MetricsOptions): Metrics {
  const { store, clock } = options;
  const cacheMs = options.cacheMs ?? METRICS_CACHE_MS;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const httpRequests = new Counter({
    name: 'serpq_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'serpq_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: HTTP_BUCKETS,
    registers: [registry],
  });
  const posted = new Counter({
    name: 'serpq_tasks_posted_total',
    help: 'Tasks accepted by task_post (status 20100), by engine and type.',
    labelNames: ['se', 'se_type'] as const,
    registers: [registry],
  });
  const completed = new Counter({
    name: 'serpq_tasks_completed_total',
    help: "Tasks this process's workers completed with 20000, by engine and type.",
    labelNames: ['se', 'se_type'] as const,
    registers: [registry],
  });
  const failed = new Counter({
    name: 'serpq_tasks_failed_total',
    help: "Tasks this process's workers completed with another status code, by engine, type and code.",
    labelNames: ['se', 'se_type', 'status_code'] as const,
    registers: [registry],
  });
  const webhookAttempts = new Counter({
    name: 'serpq_webhook_attempts_total',
    help: 'Webhook calls made, by kind (postback, pingback) and outcome (delivered, http_error, network_error).',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  const webhookDuration = new Histogram({
    name: 'serpq_webhook_attempt_duration_seconds',
    help: 'Time a webhook receiver took to answer (or to fail), by kind and outcome.',
    labelNames: ['kind', 'outcome'] as const,
    buckets: CALL_BUCKETS,
    registers: [registry],
  });
  const upstreamCalls = new Counter({
    name: 'serpq_upstream_calls_total',
    help: "The relay's calls to its upstream, by kind (request, tasks_ready) and outcome (ok, rejected, limited, unavailable).",
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  const upstreamDuration = new Histogram({
    name: 'serpq_upstream_call_duration_seconds',
    help: "Time the relay's upstream took to answer, by kind and outcome.",
    labelNames: ['kind', 'outcome'] as const,
    buckets: CALL_BUCKETS,
    registers: [registry],
  });

  // The store's counts, read once per cacheMs for the four gauges of one scrape (and of scrapes close together).
  let cached: { at: number; stats: Promise<QueueStats> } | null = null;
  const stats = (): Promise<QueueStats> => {
    const now = clock.now();
    if (!cached || now - cached.at >= cacheMs || now < cached.at) {
      const read = store.queueStats();
      cached = { at: now, stats: read };
      // A failed read fails this scrape (Prometheus records it as down) and is not reused.
      read.catch(() => {
        if (cached?.stats === read) cached = null;
      });
    }
    return cached.stats;
  };
  const storeGauge = (name: string, help: string, value: (s: QueueStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        this.set(value(await stats()));
      },
    });
  storeGauge('serpq_queue_depth', 'Tasks queued and not yet executing, over every account.', (s) => s.queued);
  storeGauge('serpq_tasks_running', 'Tasks claimed and executing (or with the upstream), over every account.', (s) => s.running);
  storeGauge('serpq_queue_oldest_age_seconds', 'Age of the oldest queued task (0 when none is queued).', (s) =>
    s.oldestQueuedAt === null ? 0 : Math.max(0, (clock.now() - s.oldestQueuedAt) / 1000),
  );
  storeGauge('serpq_tasks_ready', 'Completed tasks listed on tasks_ready and not yet collected, over every account.', (s) => s.ready);

  return {
    registry,
    request(method, route, statusCode, seconds) {
      const labels = { method, route, status_code: String(statusCode) };
      httpRequests.inc(labels);
      httpDuration.observe(labels, seconds);
    },
    tasksPosted(se, seType, count) {
      if (count > 0) posted.inc({ se, se_type: seType }, count);
    },
    tasksFinished(tasks) {
      for (const t of tasks) {
        if (t.statusCode === 20000) completed.inc({ se: t.se, se_type: t.seType });
        else failed.inc({ se: t.se, se_type: t.seType, status_code: String(t.statusCode) });
      }
    },
    webhookAttempt(a) {
      const labels = { kind: a.kind, outcome: a.ok ? 'delivered' : a.httpCode === null ? 'network_error' : 'http_error' };
      webhookAttempts.inc(labels);
      webhookDuration.observe(labels, a.durationMs / 1000);
    },
    upstreamCall(c) {
      const labels = { kind: c.kind, outcome: c.outcome };
      upstreamCalls.inc(labels);
      upstreamDuration.observe(labels, c.durationMs / 1000);
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
      return reply.code(401).send({ error: 'admin token required: Authorization: Bearer <token> (or start with --metrics-public)' });
    }
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
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
