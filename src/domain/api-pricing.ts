import { type PriceRule, priceRuleFor } from './api-prices.js';

/**
 * What a call of an endpoint outside the SERP engine costs, from its price rule (api-prices.ts, the
 * vendor's prices) and, where the vendor charges by what came back, from the result: Labs and
 * Backlinks by the rows returned, Content Generation by the tokens written, LLM responses by what the
 * model charged. SERP prices stay in pricing.ts.
 */

/** How a task reached the endpoint: a live call, or a task_post task at a priority. */
export type Billing = { readonly live: true } | { readonly live: false; readonly priority: number };

const toMicro = (usd: number): number => Math.round(usd * 1_000_000);

/** The rows a result returned: each result object's `items_count`, else its `items` length; else the results themselves. */
export function returnedItems(result: readonly unknown[] | null): number {
  if (!result || result.length === 0) return 0;
  let n = 0;
  let counted = false;
  for (const r of result) {
    if (!r || typeof r !== 'object') continue;
    const o = r as Record<string, unknown>;
    if (typeof o.items_count === 'number') {
      n += o.items_count;
      counted = true;
    } else if (Array.isArray(o.items)) {
      n += o.items.length;
      counted = true;
    }
  }
  return counted ? n : result.length;
}

function multiplier(rule: { readonly multipliers?: Readonly<Record<string, number>> }, params: Readonly<Record<string, unknown>>): number {
  let m = 1;
  for (const [field, factor] of Object.entries(rule.multipliers ?? {})) {
    const v = params[field];
    if (v !== undefined && v !== null && v !== false && v !== '') m *= factor;
  }
  return m;
}

function numberField(result: readonly unknown[] | null, ...names: string[]): number | null {
  const first = result?.[0];
  if (!first || typeof first !== 'object') return null;
  for (const name of names) {
    const v = (first as Record<string, unknown>)[name];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return null;
}

function pagePrice(rule: Extract<PriceRule, { per: 'page' }>, params: Readonly<Record<string, unknown>>): number {
  const on = new Set(Object.keys(rule.extras).filter((flag) => params[flag] === true));
  for (const [flag, replaced] of Object.entries(rule.supersedes ?? {})) if (on.has(flag)) for (const r of replaced) on.delete(r);
  let usd = rule.usd;
  for (const flag of on) usd += rule.extras[flag] ?? 0;
  return usd;
}

/** The price of one call's task under `rule`, in micro-USD. */
export function chargeMicro(
  rule: PriceRule,
  billing: Billing,
  params: Readonly<Record<string, unknown>>,
  result: readonly unknown[] | null,
): number {
  switch (rule.per) {
    case 'free':
      return 0;
    case 'request':
      return toMicro(rule.usd);
    case 'task':
      if (billing.live) return toMicro(rule.liveUsd ?? rule.usd);
      return toMicro(billing.priority === 2 ? (rule.priorityUsd ?? rule.usd) : rule.usd);
    case 'keywords': {
      const keywords = Array.isArray(params.keywords) ? params.keywords.length : 1;
      const blocks = Math.max(1, Math.ceil(keywords / rule.blockSize));
      return toMicro(blocks * (billing.live ? (rule.liveUsdPerBlock ?? rule.usdPerBlock) : rule.usdPerBlock));
    }
    case 'request+items': {
      const items = Math.min(returnedItems(result), rule.maxItems ?? Number.POSITIVE_INFINITY);
      return toMicro((rule.baseUsd + rule.perItemUsd * items) * multiplier(rule, params));
    }
    case 'items':
      return toMicro(rule.perItemUsd * returnedItems(result));
    case 'results': {
      const size = billing.live ? (rule.liveBlockSize ?? rule.blockSize) : rule.blockSize;
      const depth = typeof params.depth === 'number' && params.depth > 0 ? params.depth : size;
      const blocks = Math.max(1, Math.ceil(depth / size));
      const block = billing.live ? (rule.liveUsd ?? rule.usd) : billing.priority === 2 ? (rule.priorityUsd ?? rule.usd) : rule.usd;
      const factor = rule.nextBlockFactor ?? 1;
      return toMicro(((rule.baseUsd ?? 0) + block * (1 + (blocks - 1) * factor)) * multiplier(rule, params));
    }
    case 'page': {
      const pages = billing.live ? 1 : typeof params.max_crawl_pages === 'number' ? params.max_crawl_pages : 1;
      return toMicro(pagePrice(rule, params) * pages);
    }
    case 'tokens': {
      const tokens = numberField(result, rule.counted === 'new' ? 'new_tokens' : 'input_tokens', 'output_tokens') ?? 0;
      return toMicro(rule.usdPerToken * tokens);
    }
    case 'llm': {
      const model = numberField(result, 'money_spent') ?? 0;
      return toMicro((billing.live ? rule.liveBaseUsd : (rule.baseUsd ?? rule.liveBaseUsd)) + model);
    }
  }
}

/** The price of a call of `pathAfterV3` (template or concrete path), or 0 when no rule names it. */
export function endpointChargeMicro(
  pathAfterV3: string,
  billing: Billing,
  params: Readonly<Record<string, unknown>>,
  result: readonly unknown[] | null,
): number {
  const rule = priceRuleFor(pathAfterV3);
  return rule ? chargeMicro(rule, billing, params, result) : 0;
}
