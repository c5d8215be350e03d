import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { parseLatency } from './executors/executor.js';
import { parseDuration } from './domain/duration.js';
import { type UpstreamLimits, parseUpstreamLimits } from './executors/relay/upstream.js';
import { DEFAULT_MATCH, type MatchField, parseReplayMatch } from './executors/replay/cassette.js';
import { REPLAY_MISSES, type ReplayMiss } from './executors/replay/replay-executor.js';

/**
 * The only reader of process.env. Precedence: CLI flag (overrides) > environment (SERPQ_*) > default.
 * Every problem is reported at once, and the result is frozen.
 */
export interface Config {
  readonly host: string;
  readonly port: number;
  /** A file path, `:memory:`, or a postgres:// URL. */
  readonly db: string;
  /** sandbox, relay, replay, or a module path or package name. */
  readonly executor: string;
  /** A user module's time limit per task (after it the task fails with 50000). */
  readonly executorTimeoutMs: number;
  readonly sandboxLatency: { readonly normal: number; readonly high: number };
  readonly timeTravel: boolean;
  /** POST /admin/reset may wipe the store (on with time travel too). */
  readonly allowReset: boolean;
  /** Bearer token of the admin API; null = one is generated at start and printed. */
  readonly adminToken: string | null;
  readonly allowPrivateWebhooks: boolean;
  /** Total time a webhook receiver has to answer (the vendor's 10 s). */
  readonly webhookTimeoutMs: number;
  /**
   * Threads that build postback bodies (render, serialise, gzip) off the event loop; 0 builds them on
   * the main thread. Default: one per CPU core.
   */
  readonly webhookThreads: number;
  /**
   * A claim owner silent for longer than this is taken for dead and its claims are freed (processes
   * heartbeat every timeout/4, at most every 2 s).
   */
  readonly heartbeatTimeoutMs: number;
  /** Relay: the upstream DataForSEO-compatible API and its operator account (required with --executor relay). */
  readonly upstreamUrl: string | null;
  readonly upstreamLogin: string | null;
  readonly upstreamPassword: string | null;
  /** Relay: the upstream account's limits. */
  readonly upstreamLimits: UpstreamLimits;
  /** Relay: how long a task may wait on an unreachable upstream before it fails with 50000 (refunded). */
  readonly upstreamGiveUpMs: number;
  /** Relay: serpq's own public base URL; when set, upstream results arrive by postback to it. */
  readonly upstreamPostbackBase: string | null;
  /** Relay: equal requests share one upstream result completed within this long, or still in flight (0 = off). */
  readonly relayCacheTtlMs: number;
  /** Replay: the cassette folder (required with --executor replay; where a `record` miss appends). */
  readonly cassettes: string | null;
  /** Replay: the request inputs that must match a cassette. */
  readonly replayMatch: readonly MatchField[];
  /** Replay: what a task without a cassette gets: the sandbox's SERP, 40102, or the upstream's, recorded. */
  readonly replayMiss: ReplayMiss;
  /** Relay: a cassette folder every upstream result is also appended to. */
  readonly record: string | null;
  /** Run workers in this process (serve --no-workers turns them off). */
  readonly workers: boolean;
  /** GET /metrics without the admin token (for a scraper on a private network). */
  readonly metricsPublic: boolean;
  readonly logLevel: string;
}

export type ConfigOverrides = Partial<Record<keyof Config, unknown>>;

const bool = z.union([z.boolean(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'boolean') return v;
  const t = v.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(t)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(t)) return false;
  ctx.addIssue({ code: 'custom', message: `expected a boolean, got '${v}'` });
  return z.NEVER;
});

/** A duration (`10s`, `5m`, `24h`; bare numbers are ms) within [min, max] ms. */
function duration(what: string, min: number, max: number) {
  return z.union([z.string(), z.number()]).transform((v, ctx) => {
    let ms: number;
    try {
      ms = typeof v === 'number' ? v : parseDuration(v);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
    if (ms >= min && ms <= max) return ms;
    ctx.addIssue({ code: 'custom', message: `expected ${what}, got '${v}'` });
    return z.NEVER;
  });
}

const schema = z.object({
  host: z.string().min(1),
  port: z.coerce.number().int().min(0).max(65535),
  db: z.string().min(1),
  executor: z.string().min(1),
  executorTimeoutMs: duration('a duration from 1ms to 1h, e.g. 60s', 1, 3_600_000),
  sandboxLatency: z.string().transform((v, ctx) => {
    try {
      return parseLatency(v);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  }),
  timeTravel: bool,
  allowReset: bool,
  adminToken: z.string().min(8, 'the admin token needs at least 8 characters').nullable(),
  allowPrivateWebhooks: bool,
  webhookTimeoutMs: z.coerce.number().int().min(1).max(600_000),
  webhookThreads: z.union([z.string(), z.number()]).transform((v, ctx) => {
    const t = String(v).trim().toLowerCase();
    if (t === 'auto') return availableParallelism();
    const n = Number(t);
    if (t !== '' && Number.isInteger(n) && n >= 0 && n <= 64) return n;
    ctx.addIssue({ code: 'custom', message: `expected 'auto' or a whole number of threads from 0 to 64, got '${v}'` });
    return z.NEVER;
  }),
  heartbeatTimeoutMs: duration('a duration of at least 1s, e.g. 10s', 1000, 3_600_000),
  upstreamUrl: z
    .string()
    .nullable()
    .refine((v) => v === null || /^https?:\/\/[^/]+/.test(v), 'expected an http:// or https:// URL, e.g. https://api.dataforseo.com'),
  upstreamLogin: z.string().min(1).nullable(),
  upstreamPassword: z.string().min(1).nullable(),
  upstreamLimits: z.string().transform((v, ctx) => {
    try {
      return parseUpstreamLimits(v);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  }),
  upstreamGiveUpMs: duration('a duration of at least 1m, e.g. 24h', 60_000, 30 * 86_400_000),
  upstreamPostbackBase: z
    .string()
    .nullable()
    .refine(
      (v) => v === null || /^https?:\/\/[^/]+/.test(v),
      "expected serpq's public http:// or https:// base URL, e.g. https://serpq.example.com",
    ),
  relayCacheTtlMs: duration('a duration from 0 to 30d, e.g. 0, 1h or 7d', 0, 30 * 86_400_000),
  cassettes: z.string().min(1).nullable(),
  replayMatch: z.string().transform((v, ctx) => {
    try {
      const fields = parseReplayMatch(v);
      if (fields.length > 0) return fields;
      ctx.addIssue({ code: 'custom', message: `expected at least one input, e.g. ${DEFAULT_MATCH.join(',')}` });
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
    }
    return z.NEVER;
  }),
  replayMiss: z.enum(REPLAY_MISSES as [ReplayMiss, ...ReplayMiss[]], {
    error: (i) => `expected ${REPLAY_MISSES.join(', ')}, got '${String(i.input)}'`,
  }),
  record: z.string().min(1).nullable(),
  workers: bool,
  metricsPublic: bool,
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
});

const ENV: Record<keyof Config, string> = {
  host: 'SERPQ_HOST',
  port: 'SERPQ_PORT',
  db: 'SERPQ_DB',
  executor: 'SERPQ_EXECUTOR',
  executorTimeoutMs: 'SERPQ_EXECUTOR_TIMEOUT',
  sandboxLatency: 'SERPQ_SANDBOX_LATENCY',
  timeTravel: 'SERPQ_TIME_TRAVEL',
  allowReset: 'SERPQ_ALLOW_RESET',
  adminToken: 'SERPQ_ADMIN_TOKEN',
  allowPrivateWebhooks: 'SERPQ_ALLOW_PRIVATE_WEBHOOKS',
  webhookTimeoutMs: 'SERPQ_WEBHOOK_TIMEOUT_MS',
  webhookThreads: 'SERPQ_WEBHOOK_THREADS',
  heartbeatTimeoutMs: 'SERPQ_HEARTBEAT_TIMEOUT',
  upstreamUrl: 'SERPQ_UPSTREAM_URL',
  upstreamLogin: 'SERPQ_UPSTREAM_LOGIN',
  upstreamPassword: 'SERPQ_UPSTREAM_PASSWORD',
  upstreamLimits: 'SERPQ_UPSTREAM_LIMITS',
  upstreamGiveUpMs: 'SERPQ_UPSTREAM_GIVE_UP',
  upstreamPostbackBase: 'SERPQ_UPSTREAM_POSTBACK_BASE',
  relayCacheTtlMs: 'SERPQ_RELAY_CACHE_TTL',
  cassettes: 'SERPQ_CASSETTES',
  replayMatch: 'SERPQ_REPLAY_MATCH',
  replayMiss: 'SERPQ_REPLAY_MISS',
  record: 'SERPQ_RECORD',
  workers: 'SERPQ_WORKERS',
  metricsPublic: 'SERPQ_METRICS_PUBLIC',
  logLevel: 'SERPQ_LOG_LEVEL',
};

const DEFAULTS: Record<keyof Config, unknown> = {
  host: '127.0.0.1',
  port: 8080,
  db: './serpq.db',
  executor: 'sandbox',
  executorTimeoutMs: '60s',
  sandboxLatency: '0',
  timeTravel: false,
  allowReset: false,
  adminToken: null,
  allowPrivateWebhooks: false,
  webhookTimeoutMs: 10_000,
  webhookThreads: 'auto',
  heartbeatTimeoutMs: '10s',
  upstreamUrl: null,
  upstreamLogin: null,
  upstreamPassword: null,
  upstreamLimits: 'requests=2000,concurrent=30,tasks_ready=20',
  upstreamGiveUpMs: '24h',
  upstreamPostbackBase: null,
  relayCacheTtlMs: '0',
  cassettes: null,
  replayMatch: DEFAULT_MATCH.join(','),
  replayMiss: 'sandbox',
  record: null,
  workers: true,
  metricsPublic: false,
  logLevel: 'warn',
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: ConfigOverrides = {}): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(DEFAULTS) as (keyof Config)[]) {
    const fromEnv = env[ENV[key]];
    raw[key] = overrides[key] !== undefined ? overrides[key] : fromEnv !== undefined && fromEnv !== '' ? fromEnv : DEFAULTS[key];
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) {
    const c = parsed.data;
    const setting = (k: keyof Config) => `${ENV[k]} (--${k.replace(/[A-Z]/g, (ch) => '-' + ch.toLowerCase()).replace(/-ms$/, '')})`;
    const upstreamFor =
      c.executor === 'relay' ? 'executor relay' : c.executor === 'replay' && c.replayMiss === 'record' ? 'replay miss record' : null;
    const missing = (['upstreamUrl', 'upstreamLogin', 'upstreamPassword'] as const).filter((k) => c[k] === null);
    if (upstreamFor && missing.length > 0) throw new ConfigError([`${upstreamFor} needs ${missing.map(setting).join(', ')}`]);
    if (c.executor === 'replay' && c.cassettes === null) throw new ConfigError([`executor replay needs ${setting('cassettes')}`]);
    if (c.record !== null && c.executor !== 'relay') {
      throw new ConfigError([`${setting('record')} records the relay's upstream results: use it with --executor relay`]);
    }
  }
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const key = String(i.path[0]) as keyof Config;
        return `${key} (${ENV[key]}): ${i.message}`;
      }),
    );
  }
  return Object.freeze({
    ...parsed.data,
    sandboxLatency: Object.freeze(parsed.data.sandboxLatency),
    replayMatch: Object.freeze(parsed.data.replayMatch),
  });
}

/** True when the address only accepts local connections (demo credentials are allowed there). */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
