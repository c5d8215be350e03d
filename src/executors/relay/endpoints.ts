import { STATUS } from '../../domain/status-codes.js';
import type { Clock } from '../../domain/clock.js';
import { SPECIAL_LIMITS, longestPrefix } from '../../domain/api-prices.js';
import type { EndpointCall, EndpointOutcome } from '../executor.js';
import { micro } from './context.js';
import { type Upstream, UpstreamUnavailable } from './upstream.js';

/**
 * The relay's calls of the other APIs' live endpoints and reference lists (the EndpointExecution
 * capability): a live call is passed to the upstream as it was posted and answered with the
 * upstream's status, result and cost, within the upstream account's limits, the special ones the
 * vendor documents included (Google Ads live: 12 calls a minute over the whole upstream account);
 * a reference list (GET: locations, languages, categories, filters, statuses) is fetched once and
 * kept for `referenceTtlMs` (a day by default), shared by every account. An upstream that cannot
 * be reached answers 50000, charged nothing.
 */
export interface EndpointRelayOptions {
  readonly upstream: Upstream;
  /** Reference lists are kept on the real clock. */
  readonly realClock: Clock;
  readonly referenceTtlMs?: number;
}

export const REFERENCE_TTL_MS = 24 * 3600_000;

export function createEndpointRelay(options: EndpointRelayOptions) {
  const { upstream, realClock } = options;
  const ttl = options.referenceTtlMs ?? REFERENCE_TTL_MS;
  const lists = new Map<string, { at: number; outcome: Promise<EndpointOutcome> }>();

  async function pass(call: EndpointCall, signal: AbortSignal): Promise<EndpointOutcome> {
    const special = longestPrefix(SPECIAL_LIMITS, call.endpoint.path)?.[1];
    const env = await upstream.call(
      'request',
      (c) => c.request(call.endpoint.method, call.path, call.endpoint.method === 'POST' ? [call.posted ?? call.params] : undefined),
      special ? { key: `special:${special.bucket}`, limit: special.callsPerMinute } : undefined,
    );
    const t = env.tasks?.[0];
    if (signal.aborted) return unavailable();
    if (!t) return { statusCode: env.status_code, statusMessage: env.status_message, result: null };
    return {
      statusCode: t.status_code,
      statusMessage: t.status_message,
      result: Array.isArray(t.result) ? t.result : null,
      // What the upstream charged: the account pays that, not serpq's price.
      costMicro: micro(t.cost) ?? 0,
    };
  }

  return async function executeEndpoint(call: EndpointCall, signal: AbortSignal): Promise<EndpointOutcome> {
    try {
      if (call.endpoint.method === 'POST') return await pass(call, signal);
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
  };
}

function unavailable(): EndpointOutcome {
  return { statusCode: STATUS.INTERNAL_ERROR.code, statusMessage: STATUS.INTERNAL_ERROR.message, result: null, costMicro: 0 };
}
