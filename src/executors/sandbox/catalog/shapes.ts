// Rules for values that are more than one field: an object whose fields must agree (a metrics
// bundle whose pos_* buckets sum to its count, a volume trend), an array drawn as a whole (a
// keyword's monthly searches, its categories and intents, one value per requested keyword), and the
// keys of a map (metric kinds, the request's targets, link TLDs, On-Page checks).

import { formatTimestamp } from '../serp-text.js';
import type { CatCtx, St } from './context.js';
import { domOf, kf, kwOf, lf, sm, type Gen } from './access.js';
import { GENERIC_MAP_KEYS, MAP_KEYS, ONPAGE_TRUE_CHECKS } from './map-keys.js';
import { monthlySearches, volumeTrend, type SearchMetrics } from './subjects.js';
import { asinCandidate } from './candidates.js';
import { BUSINESS_CATEGORIES, DEVICE_SHARE, FIELD_PAIRS } from './field-values.js';
import { trendsSeries } from './trends.js';
import { BRAND_CATEGORIES, EPP_STATUSES, KW_SUFFIXES, PLATFORM_TYPES, POSITION_BUCKETS, TECHNOLOGIES } from './words.js';

type Props = Readonly<Record<string, { readonly t: string }>>;

/* ------------------------------------------------------------------------ */
/* Objects                                                                   */
/* ------------------------------------------------------------------------ */

/** Computes the values of an object's fields at once (they land in st.pre). */
export type Prep = (c: CatCtx, st: St) => Record<string, unknown>;

const DISTRIBUTION_KEYS = new Set(['pos_1', 'pos_2_3', 'pos_4_10', 'pos_11_100', 'count']);

/** Scale of a metrics object: a competitor's metrics over the intersecting keywords are a share. */
function shareOf(st: St): number {
  return (st.via === 'metrics' || st.via === 'competitor_metrics' ? st.share : 1) * st.scale;
}

function metricsValues(m: SearchMetrics, share: number): Record<string, unknown> {
  const s = (x: number): number => (share === 1 ? x : Math.round(x * share));
  const out: Record<string, unknown> = {};
  let count = 0;
  for (let i = 0; i < POSITION_BUCKETS.length; i++) {
    const v = s(m.pos[i]!);
    out[POSITION_BUCKETS[i]![0]] = v;
    count += v;
  }
  out.pos_11_100 = count - (out.pos_1 as number) - (out.pos_2_3 as number) - (out.pos_4_10 as number);
  out.count = count;
  out.etv = share === 1 ? m.etv : Math.round(m.etv * share * 100) / 100;
  out.estimated_paid_traffic_cost = share === 1 ? m.paidTrafficCost : Math.round(m.paidTrafficCost * share * 100) / 100;
  out.is_new = s(m.isNew);
  out.is_up = s(m.isUp);
  out.is_down = s(m.isDown);
  out.is_lost = s(m.isLost);
  return out;
}

/** The rule for an object of these fields, or null. */
export function objectPrep(props: Props): Prep | null {
  const keys = Object.keys(props);
  if ('count' in props && ('etv' in props || 'pos_1' in props) && keys.every((k) => k in BUNDLE_FIELDS || k.startsWith('clickstream'))) {
    return (c, st) => {
      const kind = st.key !== null && !/^\d+$/.test(st.key) && !/^\d{4}-/.test(st.key) ? st.key : 'organic';
      const out = metricsValues(sm(c, domOf(c, st), kind), shareOf(st));
      if ('search_volume' in props) out.search_volume = Math.round((out.etv as number) * 8);
      return out;
    };
  }
  if ('monthly' in props && 'quarterly' in props && 'yearly' in props) {
    return (c, st) => volumeTrend(kf(c, st), c.nowMs);
  }
  if ('impressions' in props && 'clicks' in props) return adTraffic(props);
  const pairs = FIELD_PAIRS.filter(([lo, hi]) => lo in props && hi in props);
  if (pairs.length > 0) {
    return (c) => {
      const out: Record<string, unknown> = {};
      for (const [lo, hi] of pairs) {
        const int = props[lo]!.t === 'integer' || /index|fetch/.test(lo);
        const echoLo = c.req.params[lo];
        const echoHi = c.req.params[hi];
        let a = typeof echoLo === 'number' ? echoLo : lo === 'price_from' ? 5 + c.rng.next() * 300 : c.rng.next() * (int ? 800 : 100);
        let b = typeof echoHi === 'number' ? echoHi : a * (1.05 + c.rng.next() * 0.6) + (int ? c.rng.int(5, 400) : 0);
        if (b < a) [a, b] = [b, a];
        out[lo] = int ? Math.round(a) : Math.round(a * 100) / 100;
        out[hi] = int ? Math.round(b) : Math.round(b * 100) / 100;
      }
      return out;
    };
  }
  return null;
}

/**
 * Ad traffic of a keyword at a bid (Google Ads forecasts, Bing keyword performance): impressions a
 * share of its searches, clicks by a CTR that grows with the bid, cost = clicks × average CPC.
 */
function adTraffic(props: Props): Prep {
  return (c, st) => {
    const f = kf(c, st);
    const bid = typeof c.req.params.bid === 'number' ? c.req.params.bid : f.highBid;
    const impressions = Math.max(0, Math.round(f.searchVolume * (0.2 + c.rng.next() * 0.7)));
    const ctr = Math.min(0.2, 0.01 + 0.015 * Math.min(3, bid / Math.max(0.05, f.cpc)) + c.rng.next() * 0.01);
    const clicks = Math.round(impressions * ctr);
    const cpc = Math.round(Math.min(bid, f.cpc * (0.7 + c.rng.next() * 0.4)) * 100) / 100;
    const cost = Math.round(clicks * cpc * 100) / 100;
    const percent = c.req.engine === 'bing';
    const out: Record<string, unknown> = {
      impressions,
      clicks,
      ctr: Math.round(ctr * (percent ? 10_000 : 10_000)) / (percent ? 100 : 10_000),
      average_cpc: cpc,
      cost,
      total_cost: cost,
      average_bid: bid,
    };
    if ('bid' in props) out.bid = bid;
    return out;
  };
}

const BUNDLE_FIELDS: Readonly<Record<string, true>> = Object.fromEntries(
  [
    ...POSITION_BUCKETS.map((b) => b[0]),
    ...DISTRIBUTION_KEYS,
    'etv',
    'estimated_paid_traffic_cost',
    'is_new',
    'is_up',
    'is_down',
    'is_lost',
    'search_volume',
    'year',
    'month',
  ].map((k) => [k, true]),
);

/* ------------------------------------------------------------------------ */
/* Arrays drawn as a whole                                                  */
/* ------------------------------------------------------------------------ */

/** An array value rule for field `key` whose items have type `itemType` (and `props` when objects). */
export function arrayRule(key: string, itemType: string, props: Props | null): Gen | null {
  if (props !== null && 'year' in props && 'month' in props && ('search_volume' in props || 'ai_search_volume' in props)) {
    const keys = Object.keys(props);
    const plain = keys.join() === 'year,month,search_volume';
    return (c, _d, st) => {
      const f = kf(c, st);
      let base = f.searchVolume;
      if (st.via.includes('bing')) base = Math.round(base * f.bingFactor);
      else if (st.via.includes('clickstream')) base = Math.round(base * f.clickstreamFactor);
      const device = DEVICE_SHARE[key];
      if (device !== undefined) base = Math.round(base * device);
      if ('ai_search_volume' in props) base = Math.max(1, Math.round(base * (0.05 + (f.seed % 100) / 400)));
      const months = monthlySearches(f, c.nowMs, 12, base);
      if (plain) return months;
      return months.map((m) => {
        const o: Record<string, unknown> = {};
        for (const k of keys) o[k] = k === 'year' ? m.year : k === 'month' ? m.month : k.endsWith('search_volume') ? m.search_volume : null;
        return o;
      });
    };
  }
  if (props !== null && 'date_from' in props && 'date_to' in props && 'values' in props) return trendsSeries(Object.keys(props));
  if (itemType === 'any' && (key === 'top' || key === 'rising')) {
    return (c, _d, st) => {
      const kw = kwOf(c, st);
      const out: Array<Record<string, unknown>> = [];
      for (let i = 0; i < 5; i++)
        out.push({
          query: `${kw} ${KW_SUFFIXES[(kf(c, st).seed + i * 3 + (key === 'top' ? 0 : 1)) % KW_SUFFIXES.length]}`,
          value: key === 'top' ? 100 - i * c.rng.int(5, 18) : c.rng.int(50, 5000),
        });
      return out;
    };
  }
  if (itemType === 'number' || itemType === 'integer') {
    switch (key) {
      case 'categories':
      case 'top_categories':
      case 'seed_categories':
        return (c, d, st) => {
          const posted = c.req.params.category_codes ?? c.req.params.categories;
          if ((d === 0 || key === 'seed_categories') && Array.isArray(posted)) return posted.filter((x) => typeof x === 'number');
          return kf(c, st).categories.slice();
        };
      case 'values':
      case 'averages':
        return (c) => {
          const n = Math.max(1, c.req.keywords.length);
          const out: number[] = new Array(n);
          for (let i = 0; i < n; i++) out[i] = c.rng.int(0, 100);
          return out;
        };
      default:
        return null;
    }
  }
  if (itemType !== 'string') return null;
  switch (key) {
    case 'keywords':
    case 'seed_keywords':
      return (c) => (c.req.keywords.length > 0 ? c.req.keywords.slice() : c.req.keyword !== null ? [c.req.keyword] : []);
    case 'foreign_intent':
      return (c, _d, st) => kf(c, st).foreignIntent.slice();
    case 'related_keywords':
      return (c, _d, st) => {
        const kw = kwOf(c, st);
        const out: string[] = [];
        for (let i = 0; i < 4; i++) out.push(`${kw} ${KW_SUFFIXES[(kf(c, st).seed + i * 5) % KW_SUFFIXES.length]}`);
        return out;
      };
    case 'serp_item_types':
    case 'item_types':
      return (c) =>
        c.rng.chance(0.5)
          ? ['organic', 'people_also_ask', 'related_searches']
          : ['paid', 'organic', 'images', 'people_also_ask', 'related_searches'];
    case 'highlighted':
      return (c, _d, st) => [kwOf(c, st)];
    case 'epp_status_codes':
      return (c) => EPP_STATUSES.slice(0, c.rng.int(1, 3));
    case 'platform_type':
    case 'domain_from_platform_type':
      return (c, _d, st) => [PLATFORM_TYPES[lf(c, st).seed % PLATFORM_TYPES.length]!];
    case 'attributes':
      return (c) => (c.rng.chance(0.3) ? ['nofollow'] : []);
    case 'device':
      return (c) =>
        Array.isArray(c.req.params.device)
          ? c.req.params.device.slice()
          : typeof c.req.params.device === 'string'
            ? [c.req.params.device]
            : ['all'];
    case 'social_graph_urls':
      return (c, _d, st) => {
        const b = (st.dom ?? c.req.target ?? c.kw).split('.')[0]!.replace(/[^a-z0-9]/gi, '');
        return [`https://www.facebook.com/${b}`, `https://x.com/${b}`, `https://www.instagram.com/${b}`];
      };
    case 'categories':
      return (c) => (c.api.api === 'business_data' ? BUSINESS_CATEGORIES : BRAND_CATEGORIES).slice(0, c.rng.int(1, 3));
    case 'phone_numbers':
      return (c) => [`+1 ${c.rng.int(201, 989)}-${c.rng.int(200, 999)}-${c.rng.int(1000, 9999)}`];
    case 'emails':
      return (c, _d, st) => [
        `info@${
          (st.dom ?? c.req.target ?? 'example.com')
            .replace(/^https?:\/\//, '')
            .replace(/^www\./, '')
            .split('/')[0]
        }`,
      ];
    case 'link_attribute':
      return (c) => (c.rng.chance(0.2) ? ['nofollow'] : []);
    case 'product_asins':
      return (c) => [asinCandidate(c.seed, 1), asinCandidate(c.seed, 2)];
    case 'exclude_pages':
      return (c) => (Array.isArray(c.req.params.exclude_pages) ? c.req.params.exclude_pages.filter((x) => typeof x === 'string') : []);
    default:
      // The technologies of one category of one group (domain technologies: {group: {category: [names]}}).
      if (TECH_GROUPS.has(key)) return (_c, _d, st) => TECHNOLOGIES.filter((t) => t[0] === key && t[1] === st.key).map((t) => t[2]);
      return null;
  }
}

const TECH_GROUPS = new Set(TECHNOLOGIES.map((t) => t[0]));

/* ------------------------------------------------------------------------ */
/* Map keys                                                                  */
/* ------------------------------------------------------------------------ */

const METRIC_MAPS = new Set([
  'metrics',
  'metrics_absolute',
  'full_domain_metrics',
  'competitor_metrics',
  'full_metrics',
  'metrics_difference',
]);
const ECHO_MAPS = new Set(['targets', 'pages', 'asins', 'app_ids']);
const TARGET_MAPS = new Set(['intersection_result', 'domain_intersection', 'page_intersection']);

/** The metric kinds of a metrics map for this endpoint's engine. */
function metricKinds(c: CatCtx): readonly string[] {
  const p = c.endpoint.path;
  if (p.includes('/amazon/')) return ['amazon_serp', 'amazon_paid'];
  if (p.includes('/apple/')) return ['app_store_search_organic'];
  if (p.includes('/google/app_') || p.includes('keywords_for_app') || p.includes('bulk_app')) return ['google_play_search_organic'];
  return ['organic', 'paid'];
}

export interface MapPlan {
  /** the keys of one map value */
  keys(c: CatCtx, st: St): readonly string[];
  /** the subject the value under a key describes (a request target), or null to keep the parent's */
  subject?(c: CatCtx, key: string, i: number): string | null;
  /** echo maps: the value itself */
  echo?: boolean;
}

export function mapPlan(key: string, owner = ''): MapPlan {
  // Technology groups the table does not know are empty maps.
  if (/Technolog/.test(owner) && !TECH_GROUPS.has(key) && !(key in MAP_KEYS)) return { keys: () => [] };
  if (METRIC_MAPS.has(key)) return { keys: (c) => metricKinds(c) };
  if (key === 'metrics_history') {
    return {
      keys: (c) => {
        const out: string[] = [];
        const d = new Date(c.nowMs);
        for (let i = 3; i >= 1; i--) out.push(formatTimestamp(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - i, 1)).slice(0, 10));
        return out;
      },
    };
  }
  if (ECHO_MAPS.has(key)) return { keys: (c) => c.req.targetKeys, echo: true };
  if (TARGET_MAPS.has(key))
    return { keys: (c) => c.req.targetKeys, subject: (c, _k, i) => (key === 'intersection_result' ? (c.req.targets[i] ?? null) : null) };
  if (key === 'keyword_density') {
    return {
      keys: (c) => {
        const text = typeof c.req.params.text === 'string' ? c.req.params.text.toLowerCase() : c.kw;
        const words = text.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 3);
        return [...new Set(words)].slice(0, 5);
      },
    };
  }
  if (key === 'keywords_positions') return { keys: (c, st) => (c.req.keywords.length > 0 ? c.req.keywords : [kwOf(c, st)]) };
  if (TECH_GROUPS.has(key)) return { keys: () => [...new Set(TECHNOLOGIES.filter((t) => t[0] === key).map((t) => t[1]))] };
  const table = MAP_KEYS[key];
  if (table) {
    return {
      keys: (c) => {
        if (key === 'checks') return table;
        const n = Math.min(table.length, Math.max(2, c.rng.int(Math.ceil(table.length / 2), table.length)));
        return table.slice(0, n);
      },
    };
  }
  return { keys: () => GENERIC_MAP_KEYS };
}

/** Numeric map values: shares of a total that fits the field (counts of links, of searches, percents). */
export function mapNumbers(key: string, integer: boolean): (c: CatCtx, st: St, keys: readonly string[]) => Record<string, number> {
  return (c, st, keys) => {
    let total: number;
    if (key.startsWith('referring_links')) total = lf(c, st).backlinks;
    else if (key.endsWith('gender_distribution') || key.endsWith('age_distribution')) total = kf(c, st).searchVolume;
    else if (key === 'keywords_positions' || key === 'keyword_density') total = -1;
    else total = c.rng.int(50, 5_000);
    const out: Record<string, number> = {};
    let left = total;
    for (let i = 0; i < keys.length; i++) {
      if (total < 0) {
        out[keys[i]!] = key === 'keyword_density' ? c.rng.int(1, 4) : c.rng.int(1, 100);
        continue;
      }
      const v = i === keys.length - 1 ? left : Math.round(left * (0.3 + c.rng.next() * 0.4));
      out[keys[i]!] = integer ? v : v;
      left -= v;
    }
    return out;
  };
}

/** Boolean map values (On-Page checks): the usual passes true, a few failures. */
export function mapBooleans(c: CatCtx, keys: readonly string[]): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const k of keys) out[k] = ONPAGE_TRUE_CHECKS.includes(k) ? true : c.rng.chance(0.08);
  return out;
}
