import { availableParallelism } from 'node:os';
import { parseLatency } from './executors/executor.js';
import { parseDuration } from './domain/duration.js';
import { type UpstreamLimits, parseUpstreamLimits } from './executors/relay/upstream.js';
import { DEFAULT_MATCH, type MatchField, REPLAY_MISSES, type ReplayMiss, parseReplayMatch } from './executors/replay/cassette.js';

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
  /**
   * Relay: paths the catalog does not know are passed to the upstream as synchronous calls (a vendor
   * endpoint newer than serpq), charged the upstream's cost; task paths are never passed.
   */
  readonly relayPassUnknown: boolean;
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

// Validation by hand: a schema library costs this module (which every command loads first) ~50 ms
// and ~10 MB at start. The messages are those serpq has always given, one per setting.

/** A setting's value is invalid: the message names what was expected. */
class Invalid extends Error {}

type Parse<T> = (v: unknown) => T;

function received(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number' && Number.isNaN(v)) return 'NaN';
  if (typeof v === 'number' && !Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  return typeof v;
}

function string(min = 0, tooShort = `Too small: expected string to have >=${min} characters`): Parse<string> {
  return (v) => {
    if (typeof v !== 'string') throw new Invalid(`Invalid input: expected string, received ${received(v)}`);
    if (v.length < min) throw new Invalid(tooShort);
    return v;
  };
}

function nullable<T>(parse: Parse<T>): Parse<T | null> {
  return (v) => (v === null ? null : parse(v));
}

/** Like a coerced whole number: `Number(v)`, then an integer within [min, max]. */
function int(min: number, max: number): Parse<number> {
  return (v) => {
    const n = Number(v);
    if (!Number.isFinite(n)) throw new Invalid(`Invalid input: expected number, received ${received(n)}`);
    if (!Number.isInteger(n)) throw new Invalid('Invalid input: expected int, received number');
    if (n < min) throw new Invalid(`Too small: expected number to be >=${min}`);
    if (n > max) throw new Invalid(`Too big: expected number to be <=${max}`);
    return n;
  };
}

/** A string handed to `parse`, whose error message becomes the setting's. */
function parsed<T>(parse: (v: string) => T): Parse<T> {
  const text = string();
  return (v) => {
    const t = text(v);
    try {
      return parse(t);
    } catch (err) {
      throw new Invalid((err as Error).message);
    }
  };
}

function httpUrl(message: string): Parse<string | null> {
  return nullable((v) => {
    const t = string()(v);
    if (!/^https?:\/\/[^/]+/.test(t)) throw new Invalid(message);
    return t;
  });
}

const bool: Parse<boolean> = (v) => {
  if (typeof v === 'boolean') return v;
  if (typeof v !== 'string') throw new Invalid('Invalid input');
  const t = v.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(t)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(t)) return false;
  throw new Invalid(`expected a boolean, got '${v}'`);
};

/** A duration (`10s`, `5m`, `24h`; bare numbers are ms) within [min, max] ms. */
function duration(what: string, min: number, max: number): Parse<number> {
  return (v) => {
    if (typeof v !== 'string' && typeof v !== 'number') throw new Invalid('Invalid input');
    let ms: number;
    try {
      ms = typeof v === 'number' ? v : parseDuration(v);
    } catch (err) {
      throw new Invalid((err as Error).message);
    }
    if (ms >= min && ms <= max) return ms;
    throw new Invalid(`expected ${what}, got '${v}'`);
  };
}

function oneOf<T extends string>(values: readonly T[], message: (v: unknown) => string): Parse<T> {
  return (v) => {
    if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
    throw new Invalid(message(v));
  };
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const schema: { readonly [K in keyof Config]: Parse<Config[K]> } = {
  host: string(1),
  port: int(0, 65535),
  db: (v) => {
    const t = string(1)(v);
    // A typo such as postgress:// would otherwise be taken for a SQLite file path.
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(t)?.[1];
    if (scheme && !/^postgres(ql)?$/i.test(scheme)) {
      throw new Invalid(
        `'${maskDbUrl(t)}': unknown URL scheme '${scheme}://': use a SQLite file path, :memory:, or postgres://user:password@host:5432/database`,
      );
    }
    return t;
  },
  executor: string(1),
  executorTimeoutMs: duration('a duration from 1ms to 1h, e.g. 60s', 1, 3_600_000),
  sandboxLatency: parsed(parseLatency),
  timeTravel: bool,
  allowReset: bool,
  adminToken: nullable(string(8, 'the admin token needs at least 8 characters')),
  allowPrivateWebhooks: bool,
  webhookTimeoutMs: int(1, 600_000),
  webhookThreads: (v) => {
    if (typeof v !== 'string' && typeof v !== 'number') throw new Invalid('Invalid input');
    const t = String(v).trim().toLowerCase();
    if (t === 'auto') return availableParallelism();
    const n = Number(t);
    if (t !== '' && Number.isInteger(n) && n >= 0 && n <= 64) return n;
    throw new Invalid(`expected 'auto' or a whole number of threads from 0 to 64, got '${v}'`);
  },
  heartbeatTimeoutMs: duration('a duration of at least 1s, e.g. 10s', 1000, 3_600_000),
  upstreamUrl: httpUrl('expected an http:// or https:// URL, e.g. https://api.dataforseo.com'),
  upstreamLogin: nullable(string(1)),
  upstreamPassword: nullable(string(1)),
  upstreamLimits: parsed(parseUpstreamLimits),
  upstreamGiveUpMs: duration('a duration of at least 1m, e.g. 24h', 60_000, 30 * 86_400_000),
  upstreamPostbackBase: httpUrl("expected serpq's public http:// or https:// base URL, e.g. https://serpq.example.com"),
  relayCacheTtlMs: duration('a duration from 0 to 30d, e.g. 0, 1h or 7d', 0, 30 * 86_400_000),
  relayPassUnknown: bool,
  cassettes: nullable(string(1)),
  replayMatch: parsed((v) => {
    const fields = parseReplayMatch(v);
    if (fields.length > 0) return fields;
    throw new Error(`expected at least one input, e.g. ${DEFAULT_MATCH.join(',')}`);
  }),
  replayMiss: oneOf(REPLAY_MISSES, (v) => `expected ${REPLAY_MISSES.join(', ')}, got '${String(v)}'`),
  record: nullable(string(1)),
  workers: bool,
  metricsPublic: bool,
  logLevel: oneOf(LOG_LEVELS, () => `Invalid option: expected one of ${LOG_LEVELS.map((l) => `"${l}"`).join('|')}`),
};

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
  relayPassUnknown: 'SERPQ_RELAY_PASS_UNKNOWN',
  cassettes: 'SERPQ_CASSETTES',
  replayMatch: 'SERPQ_REPLAY_MATCH',
  replayMiss: 'SERPQ_REPLAY_MISS',
  record: 'SERPQ_RECORD',
  workers: 'SERPQ_WORKERS',
  metricsPublic: 'SERPQ_METRICS_PUBLIC',
  logLevel: 'SERPQ_LOG_LEVEL',
};

/** The command-line flag of a setting (`--` and its name in kebab case), where it has one. */
function flagOf(key: keyof Config): string | null {
  if (key === 'webhookTimeoutMs') return null;
  if (key === 'workers') return '--no-workers';
  return '--' + key.replace(/[A-Z]/g, (ch) => '-' + ch.toLowerCase()).replace(/-ms$/, '');
}

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
  relayPassUnknown: false,
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
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const key of Object.keys(schema) as (keyof Config)[]) {
    try {
      values[key] = schema[key](raw[key]);
    } catch (err) {
      if (!(err instanceof Invalid)) throw err;
      const flag = flagOf(key);
      problems.push(`${key} (${ENV[key]}${flag ? ` / ${flag}` : ''}): ${err.message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const c = values as unknown as Config;
  const setting = (k: keyof Config) => `${ENV[k]} (${flagOf(k)})`;
  const upstreamFor =
    c.executor === 'relay' ? 'executor relay' : c.executor === 'replay' && c.replayMiss === 'record' ? 'replay miss record' : null;
  const missing = (['upstreamUrl', 'upstreamLogin', 'upstreamPassword'] as const).filter((k) => c[k] === null);
  if (upstreamFor && missing.length > 0) throw new ConfigError([`${upstreamFor} needs ${missing.map(setting).join(', ')}`]);
  if (c.executor === 'replay' && c.cassettes === null) throw new ConfigError([`executor replay needs ${setting('cassettes')}`]);
  if (c.record !== null && c.executor !== 'relay') {
    throw new ConfigError([`${setting('record')} records the relay's upstream results: use it with --executor relay`]);
  }
  if (c.relayPassUnknown && c.executor !== 'relay') {
    throw new ConfigError([`${setting('relayPassUnknown')} passes unknown paths to the relay's upstream: use it with --executor relay`]);
  }
  return Object.freeze({
    ...c,
    sandboxLatency: Object.freeze(c.sandboxLatency),
    replayMatch: Object.freeze(c.replayMatch),
  });
}

/** A database setting as it may be shown: a URL's password replaced by ***. */
export function maskDbUrl(db: string): string {
  return db.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}

/** A problem found with the database setting once it is looked at (the file, the server), as config errors are told. */
export function dbConfigError(db: string, problem: string): ConfigError {
  return new ConfigError([`db (SERPQ_DB / --db): '${maskDbUrl(db)}': ${problem}`]);
}

/** True when the address only accepts local connections (demo credentials are allowed there). */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
