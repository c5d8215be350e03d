import { STATUS, type StatusDef } from '../domain/status-codes.js';
import type { Authenticator } from '../services/auth.js';
import type { RateDecision, RateLimiter } from '../services/rate-limiter.js';
import type { AccountRow } from '../domain/account.js';

/**
 * The gate every vendor API call passes: Basic auth, the per-minute request limit and the
 * concurrent-request limit, with the rate-limit headers to send. Shared by the Fastify routes and
 * the raw tasks_ready fast path, so both answer identically.
 */
export type GateOutcome =
  | {
      readonly ok: true;
      readonly account: AccountRow;
      readonly headers: Record<string, string>;
      readonly release: () => void;
      /** The decision of the call's own limit (`ownLimit`), when one was given. */
      readonly ownDecision?: RateDecision;
      /** The read started while the limits were counted (`readMeanwhile`), when one was given. */
      readonly read?: Promise<unknown>;
    }
  | { readonly ok: false; readonly status: StatusDef; readonly headers: Record<string, string> };

/** A second per-minute limit of the call (tasks_ready's own), counted with the request limit. */
export type OwnLimit = (account: AccountRow) => { readonly key: string; readonly limit: number };

export interface Gate {
  /**
   * With `ownLimit`, that limit is counted together with the request limit (one round trip to shared
   * counters), even when the request limit refuses the call. `readMeanwhile` is started for the
   * authenticated account while the limits are counted (a read the call makes when admitted, so its
   * round trip overlaps theirs); a refused call drops it.
   */
  (authorization: string | undefined, ownLimit?: OwnLimit, readMeanwhile?: (account: AccountRow) => Promise<unknown>): Promise<GateOutcome>;
  /** The same decision without I/O when the credentials were verified recently; undefined otherwise. */
  sync(authorization: string | undefined, connection?: object): GateOutcome | undefined;
}

const CHALLENGE = { 'www-authenticate': 'Basic realm="DataForSEO REST API"' };

export function createGate(auth: Authenticator, limiter: RateLimiter): Gate {
  const admit = (account: AccountRow, rate: RateDecision): GateOutcome => {
    const key = String(account.id);
    const headers = { 'x-ratelimit-limit': String(account.limits.requestsPerMinute), 'x-ratelimit-remaining': String(rate.remaining) };
    if (!rate.allowed) return { ok: false, status: STATUS.RATE_LIMIT, headers };
    if (!limiter.enter(`cc:${key}`, account.limits.concurrentRequests)) return { ok: false, status: STATUS.TOO_MANY_SIMULTANEOUS, headers };
    let released = false;
    const release = () => {
      if (!released) limiter.leave(`cc:${key}`);
      released = true;
    };
    return { ok: true, account, headers, release };
  };
  const requestKey = (account: AccountRow) => `req:${account.id}`;
  const count = async (account: AccountRow) => limiter.hit(requestKey(account), account.limits.requestsPerMinute);
  const gate = async (
    authorization: string | undefined,
    ownLimit?: OwnLimit,
    readMeanwhile?: (account: AccountRow) => Promise<unknown>,
  ): Promise<GateOutcome> => {
    const account = await auth.authenticate(authorization);
    if (!account) return { ok: false, status: STATUS.UNAUTHORIZED, headers: CHALLENGE };
    if (!ownLimit && !readMeanwhile) return admit(account, await count(account));
    const own = ownLimit?.(account);
    const read = readMeanwhile?.(account);
    // A refused call never looks at it: its failure must not go unhandled.
    read?.catch(() => {});
    const [rate, ownDecision] = await Promise.all([count(account), own && limiter.hit(own.key, own.limit)]);
    const out = admit(account, rate);
    return out.ok ? { ...out, ownDecision, read } : out;
  };
  return Object.assign(gate, {
    sync(authorization: string | undefined, connection?: object): GateOutcome | undefined {
      // Shared counters (several API nodes) are counted in the store: only the async path does that.
      if (limiter.shared) return undefined;
      const account = auth.cached(authorization, connection);
      return account ? admit(account, limiter.hit(requestKey(account), account.limits.requestsPerMinute)) : undefined;
    },
  });
}
