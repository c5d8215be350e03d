import { createHash } from 'node:crypto';
import type { WireEnvelope } from '../../client/index.js';
import { STATUS } from '../../domain/status-codes.js';
import type { Clock } from '../../domain/clock.js';
import { SPECIAL_LIMITS, longestPrefix } from '../../domain/api-prices.js';
import { stableJson } from '../../domain/serp-request.js';
import type { RelayAnswers } from '../../store/store.js';
import type { EndpointCall, EndpointOutcome, UnknownCall } from '../executor.js';
import { type UpstreamCatalogResultHook, micro, unzipResult, zipResult } from './context.js';
import { type Upstream, UpstreamUnavailable } from './upstream.js';

/**
 * The relay's calls of the other APIs' live endpoints and reference lists (the EndpointExecution
 * capability): a live call is passed to the upstream as it was posted and answered with the
 * upstream's status, result and cost, within the upstream account's limits, the special ones the
 * vendor documents included (Google Ads live: 12 calls a minute over the whole upstream account);
 * a reference list (GET: locations, languages, categories, filters, statuses) is fetched once and
 * kept for `referenceTtlMs` (a day by default), shared by every account. An upstream that cannot
 * be reached answers 50000, charged nothing.
 *
 * With the cache on (`cacheTtlMs` > 0), a live call equal to one the upstream answered with 20000
 * within the TTL (the same path and checked fields, but for tag, webhooks and priority) is answered
 * from the stored answer, shared by every process on the store, at no cost and without an upstream
 * call; an equal call still in flight in this process is waited for and shared the same way. Both
 * count as cache hits of the account. Labs and Backlinks calls cost cents each: this is where a team
 * asking the same questions saves.
 *
 * With `--relay-pass-unknown`, `passUnknown` sends a call of a path the catalog does not know to the
 * upstream as it came (the service has refused task paths before), within the same limits.
 */
export interface EndpointRelayOptions {
  readonly upstream: Upstream;
  /** Reference lists are kept on the real clock. */
  readonly realClock: Clock;
  readonly referenceTtlMs?: number;
  /** The process clock: a stored answer's age, as for the tasks' cache (time travel moves it). Default: realClock. */
  readonly clock?: Clock;
  /** Where live answers are kept (the store: every process shares them); needed for the cache. */
  readonly answers?: RelayAnswers;
  /** How long a live answer serves equal calls (0 = off, the default: every call goes upstream). */
  readonly cacheTtlMs?: number;
  /** Called with every successful live answer that came from the upstream (record mode). */
  readonly onCatalogResult?: UpstreamCatalogResultHook;
  /** Failures nobody waits for (storing an answer after it was given). */
  readonly onError?: (err: unknown) => void;
}

export interface EndpointRelay {
  executeEndpoint(call: EndpointCall, signal: AbortSignal): Promise<EndpointOutcome>;
  passUnknown(call: UnknownCall, signal: AbortSignal): Promise<WireEnvelope | null>;
}

export const REFERENCE_TTL_MS = 24 * 3600_000;

/** Posted fields that only concern the calling account: not part of what decides the answer. */
const NOT_KEYED = new Set(['tag', 'postback_url', 'pingback_url', 'postback_data', 'priority']);

/**
 * The cache's key of a live call: its path and its checked fields (documented defaults filled in, so
 * a call spelling out a default equals one leaving it out), keys sorted, without NOT_KEYED.
 */
export function liveRequestKey(path: string, params: Readonly<Record<string, unknown>>): string {
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) if (!NOT_KEYED.has(k)) fields[k] = v;
  return createHash('sha256')
    .update(`${path}\n${stableJson(fields)}`)
    .digest('base64url');
}

const specialOf = (path: string) => {
  const special = longestPrefix(SPECIAL_LIMITS, path)?.[1];
  return special ? { key: `special:${special.bucket}`, limit: special.callsPerMinute } : undefined;
};

export function createEndpointRelay(options: EndpointRelayOptions): EndpointRelay {
  const { upstream, realClock, answers, onCatalogResult } = options;
  const clock = options.clock ?? realClock;
  const ttl = options.referenceTtlMs ?? REFERENCE_TTL_MS;
  const cacheTtl = answers ? (options.cacheTtlMs ?? 0) : 0;
  const lists = new Map<string, { at: number; outcome: Promise<EndpointOutcome> }>();
  /** Live calls with the upstream now, by key: settled once the answer is stored (or refused). */
  const inFlight = new Map<string, Promise<EndpointOutcome>>();

  async function pass(call: EndpointCall, signal: AbortSignal): Promise<EndpointOutcome> {
    const post = call.endpoint.method === 'POST';
    const env = await upstream.call(
      'request',
      (c) => c.request(call.endpoint.method, call.path, post ? [call.posted ?? call.params] : undefined),
      specialOf(call.endpoint.path),
    );
    const t = env.tasks?.[0];
    if (signal.aborted) return unavailable();
    if (!t) return { statusCode: env.status_code, statusMessage: env.status_message, result: null };
    const result = Array.isArray(t.result) ? t.result : null;
    if (post && t.status_code === STATUS.OK.code && result && onCatalogResult) {
      const posted = call.posted !== null && typeof call.posted === 'object' && !Array.isArray(call.posted) ? call.posted : call.params;
      onCatalogResult({ api: call.endpoint.api, path: call.path, params: posted as Record<string, unknown> }, result);
    }
    return {
      statusCode: t.status_code,
      statusMessage: t.status_message,
      result,
      // What the upstream charged: the account pays that, not serpq's price.
      costMicro: micro(t.cost) ?? 0,
    };
  }

  /** A live call through the cache: a stored answer, an equal call in flight, else the upstream. */
  async function live(call: EndpointCall, signal: AbortSignal): Promise<EndpointOutcome> {
    const key = liveRequestKey(call.path, call.params);
    const account = call.accountId ?? 0;
    const joined = inFlight.get(key);
    if (joined) return follow(joined, account);
    const now = clock.now();
    const stored = await answers!.relayAnswer(key, now - cacheTtl, account);
    if (stored)
      return { statusCode: STATUS.OK.code, statusMessage: STATUS.OK.message, result: unzipResult(stored) as unknown[], costMicro: 0 };
    // An equal call may have started while the store was read.
    const started = inFlight.get(key);
    if (started) return follow(started, account);
    const answer = pass(call, signal);
    // The caller is answered as soon as the upstream answers; equal calls arriving meanwhile wait
    // until the answer is stored too, so that none of them finds the store without it.
    const kept = answer.then(async (out) => {
      if (out.statusCode === STATUS.OK.code && out.result) {
        const at = clock.now();
        await answers!.putRelayAnswer(key, zipResult(out.result), at, at - cacheTtl).catch((err) => options.onError?.(err));
      }
      return out;
    });
    inFlight.set(key, kept);
    const forget = () => inFlight.delete(key);
    kept.then(forget, forget);
    return answer;
  }

  /** An equal call's answer, shared: free, and a cache hit of the account when it succeeded. */
  async function follow(leader: Promise<EndpointOutcome>, account: number): Promise<EndpointOutcome> {
    let out: EndpointOutcome;
    try {
      out = await leader;
    } catch (err) {
      if (err instanceof UpstreamUnavailable) return unavailable();
      throw err;
    }
    if (out.statusCode === STATUS.OK.code) await answers!.countRelayHit(account);
    return { ...out, costMicro: 0 };
  }

  async function executeEndpoint(call: EndpointCall, signal: AbortSignal): Promise<EndpointOutcome> {
    try {
      if (call.endpoint.method === 'POST') return await (cacheTtl > 0 ? live(call, signal) : pass(call, signal));
      const now = realClock.now();
      const kept = lists.get(call.path);
      if (kept && now - kept.at < ttl) return await kept.outcome;
      const outcome = pass(call, signal);
      lists.set(call.path, { at: now, outcome });
      const out = await outcome;
      // Only a list the upstream gave is kept.
      if (out.statusCode !== STATUS.OK.code) lists.delete(call.path);
      return out;
    } catch (err) {
      lists.delete(call.path);
      if (err instanceof UpstreamUnavailable) return unavailable();
      throw err;
    }
  }

  async function passUnknown(call: UnknownCall, signal: AbortSignal): Promise<WireEnvelope | null> {
    try {
      const env = await upstream.call(
        'request',
        (c) => c.request(call.method, call.path, call.method === 'POST' ? call.body : undefined),
        specialOf(call.path),
      );
      return signal.aborted ? null : env;
    } catch (err) {
      if (err instanceof UpstreamUnavailable) return null;
      throw err;
    }
  }

  return { executeEndpoint, passUnknown };
}

function unavailable(): EndpointOutcome {
  return { statusCode: STATUS.INTERNAL_ERROR.code, statusMessage: STATUS.INTERNAL_ERROR.message, result: null, costMicro: 0 };
}
