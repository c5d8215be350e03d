import { type SerpqClient, SerpqHttpError, type WireEnvelope } from '../../client/index.js';
import type { Clock } from '../../domain/clock.js';
import type { RateLimiter } from '../../services/rate-limiter.js';

/**
 * The upstream account as the relay sees it: serpq's own client, behind the upstream's limits.
 * Every call takes a slot of the per-minute request budget (and tasks_ready calls one of their own
 * budget) and a concurrency slot; budgets are counted where the account limits are, so all serpq
 * processes sharing a PostgreSQL store stay together within them. An upstream 40202 / 40209 (over
 * its limits anyway, e.g. another client on the same account) pauses every call for a backoff with
 * jitter. Network errors, timeouts, HTTP 5xx and 50000 are `UpstreamUnavailable`: the caller keeps
 * the work and tries again later.
 */
export interface UpstreamLimits {
  readonly requests: number;
  readonly concurrent: number;
  readonly tasksReady: number;
}

export const DEFAULT_UPSTREAM_LIMITS: UpstreamLimits = Object.freeze({ requests: 2000, concurrent: 30, tasksReady: 20 });

/** Parses `requests=2000,concurrent=30,tasks_ready=20` (any subset; the rest default). */
export function parseUpstreamLimits(spec: string): UpstreamLimits {
  const out = { ...DEFAULT_UPSTREAM_LIMITS };
  const names: Record<string, keyof UpstreamLimits> = { requests: 'requests', concurrent: 'concurrent', tasks_ready: 'tasksReady' };
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [k, v] = part.split('=').map((x) => x?.trim());
    const key = names[k ?? ''];
    const n = Number(v);
    if (!key || !Number.isInteger(n) || n < 1 || n > 1_000_000) {
      throw new RangeError(`invalid upstream limits '${spec}': use e.g. requests=2000,concurrent=30,tasks_ready=20 (whole numbers >= 1)`);
    }
    out[key] = n;
  }
  return Object.freeze(out);
}

export class UpstreamUnavailable extends Error {}

export interface UpstreamStatus {
  readonly url: string;
  readonly reachable: boolean | null;
  readonly balance: number | null;
  readonly callsLastMinute: number;
  readonly lastError: string | null;
}

export interface Upstream {
  readonly url: string;
  /** One call within the limits; `kind` 'tasks_ready' also takes a tasks_ready slot. */
  call(kind: 'request' | 'tasks_ready', fn: (c: SerpqClient) => Promise<WireEnvelope>): Promise<WireEnvelope>;
  /** Checks the credentials (user_data): 'ok', 'refused' (401/40100) or 'unreachable'. */
  check(): Promise<{ result: 'ok' | 'refused' | 'unreachable'; message: string }>;
  status(): UpstreamStatus;
  /** Records an error seen by a caller (for GET /admin/upstream). */
  noteError(message: string): void;
}

export interface UpstreamOptions {
  readonly url: string;
  readonly client: SerpqClient;
  readonly limits: UpstreamLimits;
  readonly limiter: RateLimiter;
  readonly clock: Clock;
  /** Real-time waits between budget checks (tests inject a shorter one). */
  readonly sleep?: (ms: number) => Promise<void>;
}

const sleepReal = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

export function createUpstream(options: UpstreamOptions): Upstream {
  const { client, limits, limiter, clock } = options;
  const sleep = options.sleep ?? sleepReal;
  let reachable: boolean | null = null;
  let balance: number | null = null;
  let lastError: string | null = null;
  let pausedUntil = 0;
  let backoffs = 0;
  const recent: number[] = [];

  async function budget(key: string, limit: number): Promise<void> {
    for (;;) {
      const d = await limiter.hit(key, limit);
      if (d.allowed) return;
      // Out of this minute's budget: wait for the window to move (the clock may travel meanwhile).
      await sleep(250);
    }
  }

  async function slot(): Promise<void> {
    while (!limiter.enter('upstream:concurrent', limits.concurrent)) await sleep(10);
  }

  async function call(kind: 'request' | 'tasks_ready', fn: (c: SerpqClient) => Promise<WireEnvelope>): Promise<WireEnvelope> {
    while (clock.now() < pausedUntil) await sleep(Math.min(250, pausedUntil - clock.now()));
    await budget('upstream:requests', limits.requests);
    if (kind === 'tasks_ready') await budget('upstream:tasks_ready', limits.tasksReady);
    await slot();
    const at = clock.now();
    recent.push(at);
    while (recent.length > 0 && recent[0]! <= at - 60_000) recent.shift();
    try {
      const env = await fn(client);
      reachable = true;
      if (env.status_code === 40202 || env.status_code === 40209) {
        // Over the upstream's limits all the same: everyone waits, with jitter, and nothing is lost.
        backoffs = Math.min(backoffs + 1, 6);
        pausedUntil = clock.now() + 1000 * 2 ** backoffs * (0.5 + Math.random() / 2);
        lastError = `${env.status_code} ${env.status_message}`;
        throw new UpstreamUnavailable(lastError);
      }
      if (env.status_code === 50000 || env.status_code >= 50000) {
        lastError = `${env.status_code} ${env.status_message}`;
        throw new UpstreamUnavailable(lastError);
      }
      backoffs = 0;
      return env;
    } catch (err) {
      if (err instanceof UpstreamUnavailable) throw err;
      if (err instanceof SerpqHttpError) {
        reachable = true;
        lastError = err.message;
        // 401/402/404 carry an envelope: the caller decides; 5xx is an outage.
        if (err.status >= 500 || !err.body) throw new UpstreamUnavailable(err.message);
        return err.body;
      }
      reachable = false;
      lastError = (err as Error).message;
      throw new UpstreamUnavailable(lastError);
    } finally {
      limiter.leave('upstream:concurrent');
    }
  }

  return {
    url: options.url,
    call,
    async check() {
      try {
        const env = await call('request', (c) => c.userData());
        if (env.status_code === 40100 || env.status_code === 40101 || env.status_code === 40104) {
          return { result: 'refused', message: `${env.status_code} ${env.status_message}` };
        }
        const money = (env.tasks?.[0]?.result?.[0] as { money?: { balance?: number } } | undefined)?.money;
        if (typeof money?.balance === 'number') balance = money.balance;
        return { result: 'ok', message: 'ok' };
      } catch (err) {
        return { result: 'unreachable', message: (err as Error).message };
      }
    },
    status() {
      const now = clock.now();
      while (recent.length > 0 && recent[0]! <= now - 60_000) recent.shift();
      return { url: options.url, reachable, balance, callsLastMinute: recent.length, lastError };
    },
    noteError(message) {
      lastError = message;
    },
  };
}
