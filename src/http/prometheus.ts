import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { QueueStats } from '../domain/task.js';
import { type LiveMetrics, METRICS_CACHE_MS, type MetricsOptions } from './metrics.js';

/**
 * The metrics on prom-client, on a registry of their own (several apps share a test process, and the
 * global registry would mix them). Loaded by metrics.ts when first needed: a process that is never
 * scraped does not load it until it has a good number of observations to hold.
 */

/** Seconds: from a fast in-process answer to a slow task_post of 100 tasks. */
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Seconds: webhook receivers and the upstream have up to 10 s (webhooks) or 60 s (upstream). */
const CALL_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export function createLiveMetrics(options: MetricsOptions): LiveMetrics {
  const { store, clock } = options;
  const cacheMs = options.cacheMs ?? METRICS_CACHE_MS;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter<L>({ name, help, labelNames, registers: [registry] });
  const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]) =>
    new Histogram<L>({ name, help, labelNames, buckets, registers: [registry] });
  const HTTP = ['method', 'route', 'status_code'] as const;
  const TYPE = ['se', 'se_type'] as const;
  const CALL = ['kind', 'outcome'] as const;

  const httpRequests = counter('serpq_http_requests_total', 'HTTP requests answered, by method, route pattern and status code.', HTTP);
  const httpDuration = histogram(
    'serpq_http_request_duration_seconds',
    'Time to answer an HTTP request, by method, route pattern and status code.',
    HTTP,
    HTTP_BUCKETS,
  );
  const posted = counter('serpq_tasks_posted_total', 'Tasks accepted by task_post (status 20100), by engine and type.', TYPE);
  const completed = counter('serpq_tasks_completed_total', "Tasks this process's workers completed with 20000, by engine and type.", TYPE);
  const failed = counter(
    'serpq_tasks_failed_total',
    "Tasks this process's workers completed with another status code, by engine, type and code.",
    [...TYPE, 'status_code'],
  );
  const webhookAttempts = counter(
    'serpq_webhook_attempts_total',
    'Webhook calls made, by kind (postback, pingback) and outcome (delivered, http_error, network_error).',
    CALL,
  );
  const webhookDuration = histogram(
    'serpq_webhook_attempt_duration_seconds',
    'Time a webhook receiver took to answer (or to fail), by kind and outcome.',
    CALL,
    CALL_BUCKETS,
  );
  const upstreamCalls = counter(
    'serpq_upstream_calls_total',
    "The relay's calls to its upstream, by kind (request, tasks_ready) and outcome (ok, rejected, limited, unavailable).",
    CALL,
  );
  const upstreamDuration = histogram(
    'serpq_upstream_call_duration_seconds',
    "Time the relay's upstream took to answer, by kind and outcome.",
    CALL,
    CALL_BUCKETS,
  );
  const storeErrors = counter(
    'serpq_store_errors_total',
    "Store failures no call saw, by dialect and kind (pool: an idle pooled connection broke; the pool opens another. listen: LISTEN for other processes' clock moves could not start).",
    ['dialect', 'kind'],
  );
  const resyncFailures = counter(
    'serpq_clock_resync_failures_total',
    'Periodic re-reads of the shared time-travel offset that failed (the clock keeps its last offset until one succeeds).',
    [],
  );

  /**
   * A store read made at most once per cacheMs of the clock, shared by the gauges of one scrape (and
   * by scrapes close together); a failed read fails its scrape (Prometheus records it as down) and is
   * not reused.
   */
  const everyCacheMs = <T>(read: (now: number) => Promise<T>): (() => Promise<T>) => {
    let cached: { at: number; value: Promise<T> } | null = null;
    return () => {
      const now = clock.now();
      if (!cached || now - cached.at >= cacheMs || now < cached.at) {
        const value = read(now);
        const entry = { at: now, value };
        cached = entry;
        value.catch(() => {
          if (cached === entry) cached = null;
        });
      }
      return cached.value;
    };
  };
  // The store's counts, for the four gauges.
  const stats = everyCacheMs(() => store.queueStats());
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

  // Spend per account and API in the current UTC day of the clock, from the charges recorded in the
  // store (exact over every node sharing it).
  const spend = everyCacheMs((now) => store.spendByAccount(now - (now % 86_400_000)));
  new Gauge({
    name: 'serpq_spent_today_usd',
    help: 'USD charged for the tasks and calls posted in the current UTC day, by account and API.',
    labelNames: ['account', 'api'],
    registers: [registry],
    async collect() {
      const rows = await spend();
      this.reset();
      for (const r of rows) this.set({ account: r.login, api: r.api }, r.micro / 1_000_000);
    },
  });

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
    storeError(dialect, kind) {
      storeErrors.inc({ dialect, kind });
    },
    clockResyncFailed() {
      resyncFailures.inc();
    },
  };
}
