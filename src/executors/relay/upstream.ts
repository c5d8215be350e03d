import { type SerpqClient, SerpqHttpError, type WireEnvelope } from '../../client/index.js';
import type { Clock } from '../../domain/clock.js';
import { randomUUID } from 'node:crypto';
import type { RelayLedger } from './ledger.js';
import { machineKey, pidRuns } from '../../runtime/process-identity.js';

/**
 * The upstream account as the relay sees it: serpq's own client, behind the upstream's limits.
 * Every call takes a place in the per-minute request budget (tasks_ready calls one in their own
 * budget too) and a concurrency slot. Budgets are sliding windows and slots are rows in the store,
 * so every serpq process sharing a store stays within the one account's limits together; a slot of
 * a process that died lapses with the call timeout. An upstream 40202 / 40209 (over
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

/**
 * The upstream could not take the call. `sent` is false when the request never left (the connection
 * was refused or the host not found): nothing can have been created upstream by it.
 */
export class UpstreamUnavailable extends Error {
  readonly sent: boolean;
  constructor(message: string, options: { sent?: boolean } = {}) {
    super(message);
    this.sent = options.sent ?? true;
  }
}

/** Connection errors that prove the request was never delivered. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function causeCode(err: unknown): string {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    const errors = (e as { errors?: unknown[] }).errors;
    if (Array.isArray(errors) && errors.length > 0) e = errors[0];
    else e = (e as { cause?: unknown }).cause;
  }
  return '';
}

function describe(err: unknown): string {
  const code = causeCode(err);
  const message = (err as Error).message ?? String(err);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

export interface UpstreamStatus {
  readonly url: string;
  readonly reachable: boolean | null;
  readonly balance: number | null;
  readonly callsLastMinute: number;
  /** Calls under way now from every process (the shared concurrency slots held). */
  readonly callsInFlight: number;
  readonly limits: UpstreamLimits;
  readonly lastError: string | null;
}

export interface Upstream {
  readonly url: string;
  /**
   * One call within the limits; `kind` 'tasks_ready' also takes a tasks_ready slot of `api` (the
   * vendor counts tasks_ready calls per API), and `special` a place in an endpoint's own per-minute
   * budget (Google Ads live calls: 12 a minute).
   */
  call(
    kind: 'request' | 'tasks_ready',
    fn: (c: SerpqClient) => Promise<WireEnvelope>,
    special?: { readonly key: string; readonly limit: number },
    api?: string,
  ): Promise<WireEnvelope>;
  /** Checks the credentials (user_data): 'ok', 'refused' (401/40100) or 'unreachable'. */
  check(): Promise<{ result: 'ok' | 'refused' | 'unreachable'; message: string }>;
  /** Reachability and balance as last seen; calls in the last minute and under way from every process. */
  status(): Promise<UpstreamStatus>;
  /** tasks_ready calls of `api` left in the current minute, over every process. */
  readyCallsLeft(api: string): Promise<number>;
  /** Records an error seen by a caller (for GET /admin/upstream). */
  noteError(message: string): void;
  /** Adds a listener told about every call made (metrics); calls made before are not replayed. */
  observe(listener: (call: UpstreamCall) => void): void;
}

/**
 * One call to the upstream: `ok` an envelope came back, `rejected` an HTTP 4xx with an envelope
 * (401/402/404), `limited` 40202/40209, `unavailable` a network error, timeout, 5xx or 50000.
 */
export interface UpstreamCall {
  readonly kind: 'request' | 'tasks_ready';
  readonly outcome: 'ok' | 'rejected' | 'limited' | 'unavailable';
  /** From sending to the answer (waits for the budget and slots excluded). */
  readonly durationMs: number;
}

export interface UpstreamOptions {
  readonly url: string;
  readonly client: SerpqClient;
  readonly limits: UpstreamLimits;
  /** Where the budget and the slots are counted (shared by every process on the store). */
  readonly budget: Pick<RelayLedger, 'upstreamHit' | 'upstreamCallCount' | 'upstreamEnter' | 'upstreamLeave' | 'upstreamSlotIds'>;
  /** The budget's minutes are the process clock's (time travel moves them); slots lapse on the real one. */
  readonly clock: Clock;
  readonly realClock: Clock;
  /** The client's call timeout: a slot held longer than this (and a margin) has lapsed. */
  readonly callTimeoutMs: number;
  /** Real-time waits between budget checks (tests inject a shorter one). */
  readonly sleep?: (ms: number) => Promise<void>;
}

// Not unref'd: a start-up check waiting for a slot must keep the process alive.
const sleepReal = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function createUpstream(options: UpstreamOptions): Upstream {
  const { client, limits, budget: shared, clock, realClock } = options;
  const slotPrefix = `${machineKey()}|${process.pid}|`;
  const sleep = options.sleep ?? sleepReal;
  let reachable: boolean | null = null;
  let balance: number | null = null;
  let lastError: string | null = null;
  let pausedUntil = 0;
  let backoffs = 0;

  /** The budget of an API's tasks_ready calls (the vendor counts them per API). */
  const readyKey = (api: string) => (api === 'serp' ? 'tasks_ready' : `tasks_ready:${api}`);

  async function budget(kind: string, limit: number): Promise<void> {
    for (;;) {
      const retryAt = await shared.upstreamHit(kind, limit, clock.now(), 60_000);
      if (retryAt === 0) return;
      // Out of this minute's budget: wait until its oldest call leaves the window (the clock may travel meanwhile).
      await sleep(Math.max(5, Math.min(250, retryAt - clock.now())));
    }
  }

  /**
   * A concurrency slot in the store, after one in this process (others may hold the rest). Slots are
   * named `machine|pid|n`: when all are taken, those of processes of this machine that no longer run
   * (a kill -9) are freed at once; others lapse with the call timeout.
   */
  async function sharedSlot(): Promise<string> {
    const id = `${slotPrefix}${randomUUID()}`;
    let reaped = false;
    for (;;) {
      const now = realClock.now();
      if (await shared.upstreamEnter(id, limits.concurrent, now, now + options.callTimeoutMs + 30_000)) return id;
      if (!reaped) {
        reaped = true;
        if ((await reapDead()) > 0) continue;
      }
      await sleep(20);
    }
  }

  async function reapDead(): Promise<number> {
    let n = 0;
    for (const slot of await shared.upstreamSlotIds()) {
      const [machine, pid] = slot.split('|');
      if (machine === machineKey() && Number(pid) !== process.pid && Number(pid) > 0 && !pidRuns(Number(pid))) {
        await shared.upstreamLeave(slot);
        n++;
      }
    }
    return n;
  }

  // Concurrency slots: a call that finds them all taken waits in line and is woken by the one
  // leaving, never by polling.
  let inFlight = 0;
  const waiting: Array<() => void> = [];
  function slot(): Promise<void> | void {
    if (inFlight < limits.concurrent) {
      inFlight++;
      return;
    }
    return new Promise<void>((resolve) => waiting.push(resolve));
  }
  function release(): void {
    const next = waiting.shift();
    if (next) next();
    else inFlight--;
  }

  const listeners: Array<(call: UpstreamCall) => void> = [];

  async function call(
    kind: 'request' | 'tasks_ready',
    fn: (c: SerpqClient) => Promise<WireEnvelope>,
    special?: { readonly key: string; readonly limit: number },
    api = 'serp',
  ): Promise<WireEnvelope> {
    while (clock.now() < pausedUntil) await sleep(Math.min(250, pausedUntil - clock.now()));
    if (kind === 'tasks_ready') await budget(readyKey(api), limits.tasksReady);
    if (special) await budget(special.key, special.limit);
    await budget('requests', limits.requests);
    await slot();
    let slotId: string | null = null;
    let started = 0;
    let outcome: UpstreamCall['outcome'] = 'unavailable';
    try {
      slotId = await sharedSlot();
      started = performance.now();
      const env = await fn(client);
      reachable = true;
      if (env.status_code === 40202 || env.status_code === 40209) {
        // Over the upstream's limits all the same: everyone waits, with jitter, and nothing is lost.
        backoffs = Math.min(backoffs + 1, 6);
        pausedUntil = clock.now() + 1000 * 2 ** backoffs * (0.5 + Math.random() / 2);
        lastError = `${env.status_code} ${env.status_message}`;
        outcome = 'limited';
        throw new UpstreamUnavailable(lastError);
      }
      if (env.status_code >= 50000) {
        lastError = `${env.status_code} ${env.status_message}`;
        throw new UpstreamUnavailable(lastError);
      }
      backoffs = 0;
      lastError = null;
      outcome = 'ok';
      return env;
    } catch (err) {
      if (err instanceof UpstreamUnavailable) throw err;
      if (err instanceof SerpqHttpError) {
        reachable = true;
        lastError = err.message;
        // 401/402/404 carry an envelope: the caller decides; 5xx is an outage.
        if (err.status >= 500 || !err.body) throw new UpstreamUnavailable(err.message);
        outcome = 'rejected';
        return err.body;
      }
      reachable = false;
      lastError = describe(err);
      throw new UpstreamUnavailable(lastError, { sent: !NEVER_SENT.has(causeCode(err)) });
    } finally {
      if (started > 0) {
        const call: UpstreamCall = { kind, outcome, durationMs: performance.now() - started };
        for (const l of listeners) l(call);
      }
      // The caller has its answer without waiting for the store: the shared slot is given back
      // behind it (one store round trip less per call), and this process's slot only after that,
      // so that a call waiting here never finds the shared slots still full.
      if (slotId)
        void shared
          .upstreamLeave(slotId)
          .catch(() => {})
          .finally(release);
      else release();
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
    async readyCallsLeft(api) {
      return Math.max(0, limits.tasksReady - (await shared.upstreamCallCount(readyKey(api), clock.now(), 60_000)));
    },
    async status() {
      const now = clock.now();
      // Every process's calls: the shared window and the shared slots (a slot of a process killed
      // mid-call counts until it lapses or is freed).
      const [callsLastMinute, slots] = await Promise.all([shared.upstreamCallCount('requests', now, 60_000), shared.upstreamSlotIds()]);
      return { url: options.url, reachable, balance, callsLastMinute, callsInFlight: slots.length, limits, lastError };
    },
    noteError(message) {
      lastError = message;
    },
    observe(listener) {
      listeners.push(listener);
    },
  };
}
