// Field rules that depend on where a field is: a business listing's title is a business name, an
// LLM-mentions `key` names a location, platform or domain by the group it is in, an On-Page `location`
// is a redirect target, Trends graphs have fixed titles and regions of the request's country, an
// Amazon or app subject lives on its store's site. Each returns null for a name it does not know.

import { LOCATIONS } from '../../../domain/reference.js';
import { hashString } from '../prng.js';
import { pageUrl, title } from '../schema-faker-values.js';
import type { CatCtx, St } from './context.js';
import { BUSINESS_CATEGORIES, STRING_VALUES } from './field-values.js';
import { brandCandidate, categoryCandidate } from './candidates.js';
import { formatTimestamp, hostOfSt, kf, type Gen } from './access.js';
import { hostOf, isIdLike, normalizeTarget } from './subjects.js';
import { BIG_SITES, LLM_PLATFORMS, TECHNOLOGIES } from './words.js';

const DAY = 86_400_000;

/** The technology an object describes (group, category, name agree), kept on the object. */
function techOf(c: CatCtx, st: St): readonly [string, string, string] {
  const pre = (st.pre ??= {});
  let i = pre._tech as number | undefined;
  if (i === undefined) {
    const wanted = typeof c.req.params.technology === 'string' ? TECHNOLOGIES.findIndex((t) => t[2] === c.req.params.technology) : -1;
    pre._tech = i = wanted >= 0 ? wanted : c.rng.int(0, TECHNOLOGIES.length - 1);
  }
  return TECHNOLOGIES[i]!;
}

const regionCache = new Map<number, string[]>();
/** Names of the regions of the request's country (Trends maps), from the reference locations. */
export function regionsOf(code: number): string[] {
  let r = regionCache.get(code);
  if (!r) {
    r = LOCATIONS.filter((l) => l.location_code_parent === code).map((l) => l.location_name.split(',')[0]!);
    if (r.length === 0) r = ['Capital Region', 'North', 'South', 'East', 'West'];
    regionCache.set(code, r);
  }
  return r;
}

const TRENDS_TITLES: Readonly<Record<string, string>> = {
  google_trends_graph: 'Interest over time',
  dataforseo_trends_graph: 'Interest over time',
  google_trends_map: 'Interest by subregion',
  google_trends_queries_list: 'Related queries',
  google_trends_topics_list: 'Related topics',
};

const isBusiness = (c: CatCtx): boolean => c.api.api === 'business_data';

/** The store page of an app or ASIN subject, or null when the subject is a site. */
export function storeUrl(c: CatCtx, subject: string): string | null {
  const n = normalizeTarget(subject);
  if (!isIdLike(n)) return null;
  if (/^b0[a-z0-9]{8}$/i.test(subject))
    return `https://www.${c.input.seDomain.replace(/^www\./, '').replace(/^google\./, 'amazon.')}/dp/${subject.toUpperCase()}`;
  if (/^\d+$/.test(subject)) return `https://apps.apple.com/${(c.cc || 'us').toLowerCase()}/app/id${subject}`;
  return `https://play.google.com/store/apps/details?id=${subject}`;
}

export function contextString(key: string): Gen | null {
  switch (key) {
    case 'title':
      return (c, _d, st) => {
        const tag = st.tag ?? '';
        const fixed = TRENDS_TITLES[tag];
        if (fixed) return fixed;
        // A business's name: the listing items', and the business a result of reviews or answers is about.
        if (isBusiness(c) && (/hotel|business|listing/.test(tag) || st.idx < 0))
          return title(c, c.endpoint.path.includes('hotel') ? 'hotels_pack' : 'maps_search');
        return title(c, st.tag);
      };
    case 'category':
      return (c, _d, st) =>
        c.api.api === 'domain_analytics'
          ? techOf(c, st)[1]
          : isBusiness(c)
            ? BUSINESS_CATEGORIES[hashString(c.kw + st.idx) % BUSINESS_CATEGORIES.length]!
            : null;
    case 'group':
      return (c, _d, st) => techOf(c, st)[0];
    case 'technology':
      return (c, _d, st) => techOf(c, st)[2];
    case 'key':
      return (c, _d, st) => {
        const v = st.via;
        if (v === 'location') return 'United States';
        if (v === 'language') return c.lang;
        if (v === 'platform') return c.rng.pick(LLM_PLATFORMS);
        if (v.endsWith('_domain')) return c.rng.pick(BIG_SITES);
        if (v === 'brand_entities_title') return brandCandidate(c.seed, c.rng.int(0, 40));
        if (v === 'brand_entities_category') return categoryCandidate(c.rng.int(0, 9));
        return c.req.target ?? c.req.targets[0] ?? c.kw;
      };
    case 'location':
      return (c) => (c.api.api === 'on_page' || c.api.api === 'backlinks' ? null : c.city);
    case 'page_from':
    case 'page_to':
    case 'link_from':
    case 'link_to':
    case 'canonical':
    case 'url_to_redirect_target':
      return (c, _d, st) => {
        if (key === 'url_to_redirect_target') return null;
        const s = { ...st, domain: hostOfSt(c, st) };
        return pageUrl(c, s);
      };
    case 'device':
      return (c) => (typeof c.req.params.device === 'string' ? c.req.params.device : 'all');
    case 'period':
      return (c) => (typeof c.req.params.period === 'string' ? c.req.params.period : 'monthly');
    case 'date_interval':
      return (c) => (typeof c.req.params.date_interval === 'string' ? c.req.params.date_interval : 'next_month');
    case 'match':
      return (c) => (typeof c.req.params.match === 'string' ? c.req.params.match : 'exact');
    case 'delivery_message':
      return (c) => `FREE delivery ${formatTimestamp(c.nowMs + c.rng.int(2, 9) * DAY).slice(0, 10)}`;
    case 'delivery_date_from':
    case 'fastest_delivery_date_from':
      return (c) => formatTimestamp(c.nowMs + c.rng.int(1, 4) * DAY).slice(0, 10);
    case 'delivery_date_to':
    case 'fastest_delivery_date_to':
      return (c) => formatTimestamp(c.nowMs + c.rng.int(5, 9) * DAY).slice(0, 10);
    case 'geo_name':
      return (c) => c.rng.pick(regionsOf(c.req.locationCode ?? 2840));
    case 'geo_id':
      return (c) => `${c.cc || 'US'}-${c.rng.int(1, 60)}`;
    case 'error_message':
    case 'custom_js_client_exception':
      return () => null;
    // Status endpoints (keywords_data/google_ads/status, dataforseo_labs/status): when the data was
    // last updated, a few days before the call.
    case 'date_update':
      return (c) => formatTimestamp(c.nowMs - 3 * DAY).slice(0, 10);
    case 'accumulator':
      return (c) => `${c.Kw} | ${hostOf(normalizeTarget(c.req.target ?? 'example.com'))}`;
    default: {
      const values = STRING_VALUES[key];
      if (values) return (c) => c.rng.pick(values);
      return null;
    }
  }
}

/** Counts that describe one page (its meta), not its whole site. */
const PAGE_COUNTS = new Set(['internal_links_count', 'external_links_count', 'images_count', 'words_count', 'inbound_links_count']);

/** Counts of the posted text (text_summary, check_grammar). */
function textStats(text: string): Record<string, number> {
  const words = text.split(/\s+/).filter((w) => w !== '');
  const sentences = Math.max(1, (text.match(/[.!?]+(\s|$)/g) ?? []).length);
  const letters = text.replace(/\s+/g, '').length;
  const distinct = new Set(words.map((w) => w.toLowerCase().replace(/[^\p{L}\p{N}]/gu, ''))).size;
  return {
    sentences,
    paragraphs: Math.max(1, text.split(/\n\s*\n/).length),
    words: words.length,
    characters_without_spaces: letters,
    characters_with_spaces: text.length,
    words_per_sentence: Math.round((words.length / sentences) * 100) / 100,
    characters_per_word: Math.round((letters / Math.max(1, words.length)) * 100) / 100,
    vocabulary_density: Math.round((distinct / Math.max(1, words.length)) * 100) / 100,
  };
}

export function contextNumber(key: string, owner: string): Gen | null {
  if (key in textStats('a. b')) {
    return (c) => (typeof c.req.params.text === 'string' ? textStats(c.req.params.text)[key]! : null);
  }
  if (PAGE_COUNTS.has(key) && /Meta|Page|Content/.test(owner) && !/Keyword/.test(owner)) {
    return (c) => (key === 'words_count' ? c.rng.int(200, 3000) : c.rng.int(3, 250));
  }
  switch (key) {
    case 'location':
      return (c) => c.req.locationCode ?? 2840;
    case 'page':
      return () => 1;
    case 'level':
      return (c) => c.rng.int(1, 4);
    case 'keywords_positions':
      return (c) => c.rng.int(1, 100);
    case 'bought_past_month':
      return (c) => c.rng.int(1, 200) * 50;
    case 'bid':
      return (c, _d, st) => (typeof c.req.params.bid === 'number' ? c.req.params.bid : kf(c, st).highBid);
    // The last complete month in monthly_searches (keywords_data/google_ads/status).
    case 'last_year_in_monthly_searches':
      return (c) => new Date(Date.UTC(c.year, new Date(c.nowMs).getUTCMonth() - 1, 1)).getUTCFullYear();
    case 'last_month_in_monthly_searches':
      return (c) => new Date(Date.UTC(c.year, new Date(c.nowMs).getUTCMonth() - 1, 1)).getUTCMonth() + 1;
    case 'max_value_index':
      return (c) => c.rng.int(0, Math.max(0, c.req.keywords.length - 1));
    default:
      return null;
  }
}
