// DATA TABLE: the vendor's prices and special limits per endpoint family (sources in docs/vendor-prices.md).
import type { ApiName } from './api-catalog/types.js';

/**
 * The vendor's list prices (USD, after its 2026-07-01 price change) and documented special limits,
 * keyed by path prefix after `/v3/`. Every figure is an exact multiple of 1e-6 USD, so it converts to
 * integer micro-USD (`usdToMicro`) without rounding. Figures marked `[default]` were not found in a
 * vendor source; docs/vendor-prices.md says which sibling they copy.
 *
 * What a rule prices: the billable call of a family, i.e. `task_post` (standard queue, priority 1;
 * `priorityUsd` for priority 2) or `live` (`liveUsd`, or the only price of a live-only family).
 * task_get, tasks_ready, tasks_fixed, id_list, errors and the dictionaries (locations, languages,
 * categories, filters, status, models) are free: `priceRuleFor` answers `{ per: 'free' }` for them.
 * SERP keeps its own depth/priority pricing in src/domain/pricing.ts; its entry here is a fallback.
 */

export type { ApiName };

export type PriceRule =
  /** No charge. */
  | { readonly per: 'free' }
  /** One price per call (live-only families). */
  | { readonly per: 'request'; readonly usd: number }
  /** One price per task: standard queue (priority 1), high priority (priority 2), live. Absent = that method does not exist. */
  | { readonly per: 'task'; readonly usd: number; readonly priorityUsd?: number; readonly liveUsd?: number }
  /** One price per task whatever the number of keywords in it, up to `blockSize` keywords per task. */
  | { readonly per: 'keywords'; readonly usdPerBlock: number; readonly blockSize: number; readonly liveUsdPerBlock?: number }
  /**
   * A request fee plus a price per returned item (row) of the result; `maxItems` is the documented cap on one
   * request's items; a `multipliers` key names a request field that, when true (or present), multiplies the total.
   */
  | {
      readonly per: 'request+items';
      readonly baseUsd: number;
      readonly perItemUsd: number;
      readonly maxItems?: number;
      readonly multipliers?: Readonly<Record<string, number>>;
    }
  /** A price per returned item and no request fee. */
  | { readonly per: 'items'; readonly perItemUsd: number }
  /**
   * Depth blocks: each started block of `blockSize` results costs `usd` (standard), `priorityUsd` (priority 2) or
   * `liveUsd` (per `liveBlockSize` results when live blocks differ); blocks after the first cost
   * `nextBlockFactor` x the price (1 when absent); `baseUsd` is a one-off fee per task on top; a `multipliers` key
   * names how the target was given (e.g. `keyword`) and multiplies the block price.
   */
  | {
      readonly per: 'results';
      readonly blockSize: number;
      readonly usd: number;
      readonly priorityUsd?: number;
      readonly liveUsd?: number;
      readonly liveBlockSize?: number;
      readonly nextBlockFactor?: number;
      readonly baseUsd?: number;
      readonly multipliers?: Readonly<Record<string, number>>;
    }
  /**
   * On-Page: a price per crawled page, plus a surcharge per page for each paid request flag set to true; a flag
   * listed in `supersedes` replaces the surcharges of the flags it needs (browser rendering needs JavaScript and
   * resources) instead of adding to them.
   */
  | {
      readonly per: 'page';
      readonly usd: number;
      readonly extras: Readonly<Record<string, number>>;
      readonly supersedes?: Readonly<Record<string, readonly string[]>>;
    }
  /** A price per token; `counted` says which tokens of the result are billed. */
  | { readonly per: 'tokens'; readonly usdPerToken: number; readonly counted: 'new' | 'input' }
  /**
   * LLM Responses: a fee per task plus what the model charged (`money_spent`, tokens and web search). Standard
   * tasks prepay `prepaymentUsd` at task_post and settle the difference when the task completes.
   */
  | { readonly per: 'llm'; readonly liveBaseUsd: number; readonly baseUsd?: number; readonly prepaymentUsd?: number };

/** Per-page On-Page surcharges (help-center figures: added to the 0.00015 base per page). */
const ON_PAGE_EXTRAS = {
  load_resources: 0.0003,
  enable_javascript: 0.00135,
  enable_browser_rendering: 0.00495,
  calculate_keyword_density: 0.00015,
} as const;

/** [default] How the flags combine is not documented: rendering's page price (0.0051) equals base + its surcharge alone. */
const ON_PAGE_SUPERSEDES = { enable_browser_rendering: ['enable_javascript', 'load_resources'] } as const;

const ON_PAGE_PAGE: PriceRule = { per: 'page', usd: 0.00015, extras: ON_PAGE_EXTRAS, supersedes: ON_PAGE_SUPERSEDES };
const LABS: PriceRule = {
  per: 'request+items',
  baseUsd: 0.012,
  perItemUsd: 0.00012,
  maxItems: 1000,
  multipliers: { include_clickstream_data: 2 },
};
const LABS_X10: PriceRule = { per: 'request+items', baseUsd: 0.12, perItemUsd: 0.0012, maxItems: 1000 };
const BACKLINKS: PriceRule = { per: 'request+items', baseUsd: 0.024, perItemUsd: 0.000036, maxItems: 1000 };
const GOOGLE_ADS_TASK: PriceRule = { per: 'task', usd: 0.06, liveUsd: 0.09 };
const GOOGLE_ADS_KEYWORDS: PriceRule = { per: 'keywords', usdPerBlock: 0.06, liveUsdPerBlock: 0.09, blockSize: 1000 };
const LLM_RESPONSES: PriceRule = { per: 'llm', baseUsd: 0.0002, prepaymentUsd: 0.01, liveBaseUsd: 0.0006 };
const LLM_SCRAPER: PriceRule = { per: 'task', usd: 0.0012, priorityUsd: 0.0024, liveUsd: 0.004 };
const FREE: PriceRule = { per: 'free' };

/** Prices per endpoint family, keyed by path prefix after `/v3/`; the longest matching prefix wins. */
export const API_PRICES: Readonly<Record<string, PriceRule>> = {
  // Keywords Data
  'keywords_data/google_ads': GOOGLE_ADS_TASK,
  'keywords_data/google_ads/search_volume': GOOGLE_ADS_KEYWORDS,
  'keywords_data/google_ads/ad_traffic_by_keywords': GOOGLE_ADS_KEYWORDS,
  'keywords_data/google': GOOGLE_ADS_TASK, // [default] legacy AdWords paths: the Google Ads price
  'keywords_data/bing': GOOGLE_ADS_TASK,
  'keywords_data/google_trends': { per: 'task', usd: 0.0027, liveUsd: 0.011 },
  'keywords_data/dataforseo_trends': { per: 'request', usd: 0.0012 },
  'keywords_data/dataforseo_trends/subregion_interests': { per: 'request', usd: 0.0024 },
  'keywords_data/dataforseo_trends/demography': { per: 'request', usd: 0.0024 },
  'keywords_data/dataforseo_trends/merged_data': { per: 'request', usd: 0.006 },
  'keywords_data/clickstream_data': { per: 'request', usd: 0.18 },
  'keywords_data/clickstream_data/bulk_search_volume': { per: 'request+items', baseUsd: 0.012, perItemUsd: 0.00012, maxItems: 1000 },

  // DataForSEO Labs (live only)
  dataforseo_labs: LABS,
  'dataforseo_labs/google/historical_rank_overview': LABS_X10,
  'dataforseo_labs/google/historical_bulk_traffic_estimation': LABS_X10,
  'dataforseo_labs/google/domain_metrics_by_categories': LABS_X10,
  'dataforseo_labs/google/historical_serps': { per: 'items', perItemUsd: 0.00012 },
  'dataforseo_labs/google/available_history': FREE,

  // Backlinks (live only)
  backlinks: BACKLINKS,

  // On-Page
  on_page: ON_PAGE_PAGE,
  'on_page/instant_pages': ON_PAGE_PAGE,
  'on_page/content_parsing/live': ON_PAGE_PAGE,
  'on_page/content_parsing': FREE, // [default] parsing a page of a crawl already paid for
  'on_page/lighthouse': { per: 'task', usd: 0.005, liveUsd: 0.005 },
  'on_page/lighthouse/audits': FREE,
  'on_page/lighthouse/versions': FREE,
  'on_page/page_screenshot': { per: 'request', usd: 0.0048 },
  'on_page/summary': FREE,
  'on_page/pages': FREE,
  'on_page/pages_by_resource': FREE,
  'on_page/resources': FREE,
  'on_page/duplicate_tags': FREE,
  'on_page/duplicate_content': FREE,
  'on_page/links': FREE,
  'on_page/redirect_chains': FREE,
  'on_page/non_indexable': FREE,
  'on_page/waterfall': FREE,
  'on_page/keyword_density': FREE,
  'on_page/microdata': FREE,
  'on_page/raw_html': FREE,
  'on_page/force_stop': FREE,

  // Merchant
  'merchant/google': { per: 'task', usd: 0.001, priorityUsd: 0.002 },
  'merchant/google/products': { per: 'results', blockSize: 40, usd: 0.001, priorityUsd: 0.002 },
  'merchant/google/reviews': { per: 'results', blockSize: 10, usd: 0.00075, priorityUsd: 0.0015 }, // priority [default]: 2x
  'merchant/google/sellers/ad_url': { per: 'request', usd: 0.000001 },
  'merchant/amazon': { per: 'task', usd: 0.0015, priorityUsd: 0.003, liveUsd: 0.005 },
  'merchant/amazon/products': { per: 'results', blockSize: 100, usd: 0.0015, priorityUsd: 0.003, liveUsd: 0.005 },

  // App Data
  'app_data/apple/app_info': { per: 'task', usd: 0.0006, priorityUsd: 0.0012 },
  'app_data/google/app_info': { per: 'task', usd: 0.0006, priorityUsd: 0.0012 },
  'app_data/apple/app_reviews': { per: 'results', blockSize: 25, usd: 0.00075, priorityUsd: 0.0015 },
  'app_data/google/app_reviews': { per: 'results', blockSize: 150, usd: 0.00075, priorityUsd: 0.0015 },
  'app_data/apple/app_searches': { per: 'results', blockSize: 100, usd: 0.0012, priorityUsd: 0.0024 },
  'app_data/google/app_searches': { per: 'results', blockSize: 30, usd: 0.0012, priorityUsd: 0.0024 },
  'app_data/apple/app_list': { per: 'results', blockSize: 100, usd: 0.0012, priorityUsd: 0.0024 },
  'app_data/google/app_list': { per: 'results', blockSize: 100, usd: 0.0012, priorityUsd: 0.0024 },
  'app_data/apple/app_listings': { per: 'request+items', baseUsd: 0.1, perItemUsd: 0.001 },
  'app_data/google/app_listings': { per: 'request+items', baseUsd: 0.1, perItemUsd: 0.001 },

  // Business Data
  'business_data/google/my_business_info': { per: 'task', usd: 0.0015, priorityUsd: 0.003, liveUsd: 0.0054 },
  'business_data/google/my_business_updates': { per: 'results', blockSize: 10, usd: 0.00075, priorityUsd: 0.0015, baseUsd: 0.0015 }, // priority [default]: 2x
  'business_data/google/reviews': { per: 'results', blockSize: 10, usd: 0.00075, priorityUsd: 0.0015 },
  'business_data/google/extended_reviews': {
    per: 'results',
    blockSize: 20,
    usd: 0.00075,
    priorityUsd: 0.0015, // [default]: 2x
    multipliers: { keyword: 3, cid: 2, place_id: 2 },
  },
  'business_data/google/questions_and_answers': { per: 'results', blockSize: 10, usd: 0.00075, liveUsd: 0.0025, liveBlockSize: 20 },
  'business_data/tripadvisor': { per: 'results', blockSize: 10, usd: 0.00075, priorityUsd: 0.0015 }, // priority [default]: 2x
  'business_data/trustpilot': { per: 'results', blockSize: 20, usd: 0.00075, priorityUsd: 0.0015 }, // priority [default]: 2x
  'business_data/business_listings': { per: 'request+items', baseUsd: 0.012, perItemUsd: 0.00036, maxItems: 1000 },

  // Domain Analytics (live only)
  'domain_analytics/technologies': { per: 'request+items', baseUsd: 0.012, perItemUsd: 0.0012, maxItems: 1000 },
  'domain_analytics/technologies/technologies': FREE, // [default] the technology dictionary
  'domain_analytics/whois': { per: 'request+items', baseUsd: 0.12, perItemUsd: 0.0012, maxItems: 1000 },

  // Content Analysis (live only)
  content_analysis: BACKLINKS,

  // Content Generation (live only; pre-2026-07 prices, product possibly withdrawn: see docs/vendor-prices.md)
  'content_generation/generate': { per: 'tokens', usdPerToken: 0.00005, counted: 'new' },
  'content_generation/generate_text': { per: 'tokens', usdPerToken: 0.00005, counted: 'new' },
  'content_generation/generate_sub_topics': { per: 'request', usd: 0.0001 },
  'content_generation/generate_meta_tags': { per: 'request', usd: 0.001 },
  'content_generation/paraphrase': { per: 'tokens', usdPerToken: 0.00015, counted: 'input' },
  'content_generation/check_grammar': { per: 'tokens', usdPerToken: 0.00001, counted: 'input' },
  'content_generation/text_summary': { per: 'tokens', usdPerToken: 0.00001, counted: 'input' }, // [default] check_grammar's price

  // AI Optimization
  'ai_optimization/llm_mentions': { per: 'request+items', baseUsd: 0.1, perItemUsd: 0.001, maxItems: 1000 },
  'ai_optimization/ai_keyword_data': { per: 'request+items', baseUsd: 0.01, perItemUsd: 0.0001, maxItems: 1000 },
  'ai_optimization/chat_gpt/llm_responses': LLM_RESPONSES,
  'ai_optimization/claude/llm_responses': LLM_RESPONSES,
  'ai_optimization/gemini/llm_responses': LLM_RESPONSES,
  'ai_optimization/perplexity/llm_responses': LLM_RESPONSES,
  'ai_optimization/chat_gpt/llm_scraper': LLM_SCRAPER,
  'ai_optimization/gemini/llm_scraper': LLM_SCRAPER,

  // Appendix
  appendix: FREE,
};

/** What an endpoint family of an API the table does not list costs. */
export const API_DEFAULT_PRICES: Readonly<Record<ApiName, PriceRule>> = {
  serp: { per: 'results', blockSize: 10, usd: 0.0006, priorityUsd: 0.0012, liveUsd: 0.002, nextBlockFactor: 0.75 },
  keywords_data: GOOGLE_ADS_TASK,
  dataforseo_labs: LABS,
  backlinks: BACKLINKS,
  on_page: ON_PAGE_PAGE,
  merchant: { per: 'task', usd: 0.001, priorityUsd: 0.002 }, // [default] Google Shopping's
  app_data: { per: 'results', blockSize: 100, usd: 0.0012, priorityUsd: 0.0024 }, // [default] app searches'
  business_data: { per: 'task', usd: 0.0015, priorityUsd: 0.003, liveUsd: 0.0054 }, // [default] my_business_info's (hotels, social media)
  domain_analytics: { per: 'request+items', baseUsd: 0.012, perItemUsd: 0.0012, maxItems: 1000 },
  content_analysis: BACKLINKS,
  content_generation: { per: 'tokens', usdPerToken: 0.00005, counted: 'new' }, // [default] generate's
  ai_optimization: { per: 'request+items', baseUsd: 0.1, perItemUsd: 0.001, maxItems: 1000 }, // [default] llm_mentions'
  appendix: FREE,
};

/** Path segments (after the API) that name a free function or dictionary, whatever the family. */
export const FREE_SEGMENTS: ReadonlySet<string> = new Set([
  'task_get',
  'tasks_ready',
  'tasks_fixed',
  'id_list',
  'errors',
  'locations',
  'languages',
  'locations_and_languages',
  'categories',
  'available_filters',
  'filters',
  'status',
  'models',
  'index',
]);

/** The account-wide request rate the vendor documents for every endpoint without a special limit. */
export const GENERAL_CALLS_PER_MINUTE = 2000;

export interface SpecialLimit {
  readonly callsPerMinute: number;
  /** `account`: one budget per account; `all-users`: a capacity the vendor shares among all its users. */
  readonly scope: 'account' | 'all-users';
  /** Prefixes with the same bucket share one budget. */
  readonly bucket: string;
}

const GOOGLE_ADS_LIVE: SpecialLimit = { callsPerMinute: 12, scope: 'account', bucket: 'keywords_data/google_ads/live' };

/** Calls per minute of the endpoints with a limit other than the general one, keyed by path prefix after `/v3/`. */
export const SPECIAL_LIMITS: Readonly<Record<string, SpecialLimit>> = {
  'keywords_data/google_ads/search_volume/live': GOOGLE_ADS_LIVE,
  'keywords_data/google_ads/keywords_for_site/live': GOOGLE_ADS_LIVE,
  'keywords_data/google_ads/keywords_for_keywords/live': GOOGLE_ADS_LIVE,
  'keywords_data/google_ads/ad_traffic_by_keywords/live': GOOGLE_ADS_LIVE,
  'keywords_data/google_trends/explore/live': { callsPerMinute: 250, scope: 'all-users', bucket: 'keywords_data/google_trends/live' },
  'appendix/user_data': { callsPerMinute: 6, scope: 'account', bucket: 'appendix/user_data' },
  'appendix/status': { callsPerMinute: 10, scope: 'account', bucket: 'appendix/status' },
  'appendix/errors': { callsPerMinute: 10, scope: 'account', bucket: 'appendix/errors' },
  'business_data/tripadvisor': { callsPerMinute: 110, scope: 'account', bucket: 'business_data/tripadvisor' },
  'business_data/trustpilot': { callsPerMinute: 30, scope: 'account', bucket: 'business_data/trustpilot' },
};

/** Calls per minute of a function whatever the API (the last path segments): every `tasks_ready` endpoint. */
export const FUNCTION_CALLS_PER_MINUTE: Readonly<Record<string, number>> = { tasks_ready: 20 };

export interface RequestCaps {
  /** Tasks in one POST body (task_post: 100 unless stated; live: 1). */
  readonly maxTasksPerPost?: number;
  /** Requests of the account in flight at once. */
  readonly maxSimultaneous?: number;
  /** Largest `limit` (rows) one task may ask for. */
  readonly maxLimit?: number;
  /** Keywords (or seed keywords) in one task. */
  readonly maxKeywords?: number;
  /** Targets in one task. */
  readonly maxTargets?: number;
}

/** The vendor's default number of tasks in one task_post body. */
export const DEFAULT_MAX_TASKS_PER_POST = 100;

/** Per-request caps the vendor documents, keyed by path prefix after `/v3/` (longest prefix applies). */
export const REQUEST_CAPS: Readonly<Record<string, RequestCaps>> = {
  'serp/google/organic/live': { maxTasksPerPost: 1 },
  'keywords_data/google_ads/search_volume': { maxKeywords: 1000 },
  'keywords_data/google_ads/search_volume/live': { maxKeywords: 1000, maxTasksPerPost: 1 },
  'keywords_data/google_ads/ad_traffic_by_keywords': { maxKeywords: 1000 },
  'keywords_data/google_ads/keywords_for_keywords': { maxKeywords: 20 },
  'keywords_data/google_trends': { maxKeywords: 5 },
  'keywords_data/dataforseo_trends': { maxKeywords: 5, maxSimultaneous: 30 },
  'keywords_data/clickstream_data': { maxKeywords: 1000, maxSimultaneous: 30 },
  dataforseo_labs: { maxLimit: 1000, maxSimultaneous: 30 },
  'dataforseo_labs/google/bulk_keyword_difficulty': { maxKeywords: 1000, maxSimultaneous: 30 },
  backlinks: { maxLimit: 1000, maxSimultaneous: 30 },
  'backlinks/bulk_pages_summary': { maxTargets: 1000, maxSimultaneous: 30 },
  content_analysis: { maxLimit: 1000, maxSimultaneous: 30 },
  domain_analytics: { maxLimit: 1000, maxSimultaneous: 30 },
  'on_page/instant_pages': { maxTasksPerPost: 20, maxSimultaneous: 30 },
  'on_page/content_parsing/live': { maxTasksPerPost: 20, maxSimultaneous: 30 },
  'on_page/page_screenshot': { maxTasksPerPost: 20 },
  'business_data/business_listings': { maxLimit: 1000 },
  ai_optimization: { maxSimultaneous: 30 },
  'ai_optimization/llm_mentions': { maxTasksPerPost: 1, maxSimultaneous: 30, maxLimit: 1000, maxTargets: 10 },
  // LLM Scraper is exempt from AI Optimization's simultaneous-request cap (general rate limit only).
  'ai_optimization/chat_gpt/llm_scraper': {},
  'ai_optimization/gemini/llm_scraper': {},
};

export interface SubscriptionRule {
  /** Task-level status (the envelope answers 20000) for an account without the subscription. */
  readonly statusCode: number;
  readonly statusMessage: string;
  /** The vendor's minimum monthly spend for the subscription while it existed. */
  readonly monthlyMinimumUsd: number;
  /** The vendor dropped the subscription on this day (all accounts pay as they go since). */
  readonly droppedOn: string;
}

/** APIs (path prefixes) that needed a subscription, and what an account without one was answered. */
export const SUBSCRIPTION_APIS: Readonly<Record<string, SubscriptionRule>> = {
  backlinks: {
    statusCode: 40204,
    statusMessage:
      'Access denied. Visit Plans and Subscriptions to activate your subscription and get access to this API: https://app.dataforseo.com/backlinks-subscription',
    monthlyMinimumUsd: 100,
    droppedOn: '2026-07-01',
  },
  'ai_optimization/llm_mentions': {
    statusCode: 40204,
    statusMessage: 'Access denied. Visit Plans and Subscriptions to activate your subscription and get access to this API.',
    monthlyMinimumUsd: 100,
    droppedOn: '2026-07-01',
  },
};

/** The SUBSCRIPTION_APIS key (path prefix) a path after `/v3/` belongs to, the longest first; undefined for none. */
export function subscriptionApiOf(pathAfterV3: string): string | undefined {
  return longestPrefix(SUBSCRIPTION_APIS, pathAfterV3)?.[0];
}

/** The rule answering a live call of a path after `/v3/` for an account lacking these subscriptions; null when it may call. */
export function subscriptionDenial(noSubscriptions: readonly string[], pathAfterV3: string): SubscriptionRule | null {
  if (noSubscriptions.length === 0) return null;
  const api = subscriptionApiOf(pathAfterV3);
  return api !== undefined && noSubscriptions.includes(api) ? SUBSCRIPTION_APIS[api]! : null;
}

/**
 * The price rule of a path after `/v3/` (e.g. `backlinks/summary/live`): free for a free function or dictionary,
 * else the longest matching prefix of API_PRICES, else the API's default; undefined for an unknown API.
 */
export function priceRuleFor(pathAfterV3: string): PriceRule | undefined {
  const segments = pathAfterV3.replace(/^\/+|\/+$/g, '').split('/');
  if (segments.slice(1).some((s) => FREE_SEGMENTS.has(s))) return FREE;
  return longestPrefix(API_PRICES, pathAfterV3)?.[1] ?? (API_DEFAULT_PRICES as Readonly<Record<string, PriceRule>>)[segments[0] ?? ''];
}

/**
 * The entry of a table keyed by path prefix (after `/v3/`) that names the longest prefix of
 * `pathAfterV3`, whole segments only; how every table here is read.
 */
export function longestPrefix<T>(table: Readonly<Record<string, T>>, pathAfterV3: string): [prefix: string, value: T] | undefined {
  const segments = pathAfterV3.replace(/^\/+|\/+$/g, '').split('/');
  for (let n = segments.length; n > 0; n--) {
    const prefix = segments.slice(0, n).join('/');
    if (Object.hasOwn(table, prefix)) return [prefix, table[prefix]!];
  }
  return undefined;
}
