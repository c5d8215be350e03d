import type { Clock } from '../domain/clock.js';
import type { CounterHit } from '../store/store.js';
import { groupCommit } from './group-commit.js';

/**
 * Per-account request limits, in process. Per-minute limits are exact sliding windows: each key keeps
 * the times of its last `limit` accepted hits in a ring buffer, and a hit is allowed when the oldest
 * of them left the window. O(1) per hit, `limit` numbers of memory per key.
 * (A multi-node deployment shares these counters through the store instead.)
 */
export interface RateDecision {
  readonly allowed: boolean;
  /** Hits left in the current window after this one. */
  readonly remaining: number;
}

interface Limits {
  /** Remaining hits without taking one. */
  peek(key: string, limit: number, windowMs?: number): number;
  /** Takes a concurrency slot; false when `max` are in flight. */
  enter(key: string, max: number): boolean;
  leave(key: string): void;
  /** Forgets every per-minute window (a reset of the store and clock); requests in flight keep their slots. */
  clearWindows(): void;
}

/** The in-process limiter: counts a hit and answers at once. */
export interface LocalRateLimiter extends Limits {
  readonly shared: false;
  hit(key: string, limit: number, windowMs?: number): RateDecision;
}

/** Limits counted in a store shared by several API nodes: a hit is a round trip. */
export interface SharedRateLimiter extends Limits {
  readonly shared: true;
  hit(key: string, limit: number, windowMs?: number): Promise<RateDecision>;
}

/** Either; `shared` tells which, so a caller that needs an answer without I/O checks it first. */
export type RateLimiter = LocalRateLimiter | SharedRateLimiter;

interface Ring {
  times: Float64Array;
  start: number;
  count: number;
}

export function createRateLimiter(clock: Clock): LocalRateLimiter {
  const rings = new Map<string, Ring>();
  const inFlight = new Map<string, number>();

  const ringFor = (key: string, limit: number): Ring => {
    let r = rings.get(key);
    if (!r || r.times.length !== limit) {
      // A changed limit starts a fresh window for that key.
      r = { times: new Float64Array(Math.max(1, limit)), start: 0, count: 0 };
      rings.set(key, r);
    }
    return r;
  };
  const expire = (r: Ring, now: number, windowMs: number): void => {
    while (r.count > 0 && r.times[r.start] <= now - windowMs) {
      r.start = (r.start + 1) % r.times.length;
      r.count--;
    }
  };

  return {
    shared: false,
    hit(key, limit, windowMs = 60_000) {
      if (limit <= 0) return { allowed: false, remaining: 0 };
      const now = clock.now();
      const r = ringFor(key, limit);
      expire(r, now, windowMs);
      if (r.count >= limit) return { allowed: false, remaining: 0 };
      r.times[(r.start + r.count) % r.times.length] = now;
      r.count++;
      return { allowed: true, remaining: limit - r.count };
    },
    peek(key, limit, windowMs = 60_000) {
      const r = ringFor(key, limit);
      expire(r, clock.now(), windowMs);
      return Math.max(0, limit - r.count);
    },
    enter(key, max) {
      const n = inFlight.get(key) ?? 0;
      if (n >= max) return false;
      inFlight.set(key, n + 1);
      return true;
    },
    leave(key) {
      const n = (inFlight.get(key) ?? 1) - 1;
      if (n <= 0) inFlight.delete(key);
      else inFlight.set(key, n);
    },
    clearWindows() {
      rings.clear();
    },
  };
}

/**
 * Per-minute limits shared by every API node of a store (PostgreSQL): fixed windows aligned to the
 * shared clock's minutes, counted in the store. Hits taken in the same turn of the event loop (the
 * request and tasks_ready limits of one call; the calls arriving together under load), or while the
 * previous statement runs, are counted in one statement, one round trip (a group commit).
 * Concurrency slots stay per process (a crashed node must not leak slots that no one returns); each
 * node enforces the full limit.
 */
export function createSharedRateLimiter(countHits: (hits: readonly CounterHit[]) => Promise<number[]>, clock: Clock): SharedRateLimiter {
  const local = createRateLimiter(clock);
  const count = groupCommit((hits: CounterHit[]) => countHits(hits), 256, 0, true);
  return {
    shared: true,
    async hit(key, limit, windowMs = 60_000) {
      if (limit <= 0) return { allowed: false, remaining: 0 };
      const n = await count({ key, windowStart: Math.floor(clock.now() / windowMs) * windowMs, windowMs });
      return { allowed: n <= limit, remaining: Math.max(0, limit - n) };
    },
    peek: (key, limit, windowMs) => local.peek(key, limit, windowMs),
    enter: (key, max) => local.enter(key, max),
    leave: (key) => local.leave(key),
    // The shared counters are rows of the store, which a reset empties.
    clearWindows: () => local.clearWindows(),
  };
}
