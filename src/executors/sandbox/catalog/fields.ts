// Field-name rules of the catalog sandbox for scalar fields: keyword metrics from the keyword
// subject, link and search metrics from the domain subject, request echoes, ordered dates. Names
// these rules leave open (titles, descriptions, URLs, phones, prices...) fall back to the SERP
// faker's rules (schema-faker-fields.ts), then to the value's type; the result is coerced to the
// schema's type so every value validates.

import { pastMs, pageUrl, round, siteOf } from '../schema-faker-values.js';
import { encode } from '../serp-text.js';
import { booleanGen, integerGen, numberGen, stringGen } from '../schema-faker-fields.js';
import { realisticString } from './fields-realistic.js';
import type { CatCtx, St } from './context.js';
import { pageCandidate, topicsOf } from './candidates.js';
import { contextNumber, contextString, storeUrl } from './fields-context.js';
import { miscBoolean, miscNumber, miscString } from './fields-misc.js';
import { FRACTION_NAMES, SERP_NUMBER_NAMES } from './field-values.js';
import { domOf, formatTimestamp, hostOfSt, kf, kwOf, lf, rankOut, remember, sm, type Gen, type Scalar } from './access.js';
import { etvFor, hostOf, mainDomainOf, normalizeTarget, positionFor } from './subjects.js';

export type { Gen, Scalar };
export { domOf, formatTimestamp, hostOfSt, kf, kwOf, lf, sm };

const DAY = 86_400_000;

/** The kind of result (organic, paid...) metric fields of this object count. */
function kindOf(st: St): string {
  return st.key !== null && !/^\d+$/.test(st.key) ? st.key : 'organic';
}

function firstSeenMs(c: CatCtx, st: St): number {
  return remember(st, '_first', () => {
    const days = lf(c, st).firstSeenDays;
    return c.nowMs - days * DAY - (st.idx >= 0 ? c.rng.int(0, 86_399) * 1000 : 0);
  });
}

/** The keyword's volume in the series this object belongs to (Google, Bing-normalised, clickstream). */
function volumeFor(c: CatCtx, st: St): number {
  const f = kf(c, st);
  if (st.via.includes('bing')) return Math.round(f.searchVolume * f.bingFactor);
  if (st.via.includes('clickstream')) return Math.round(f.searchVolume * f.clickstreamFactor);
  return f.searchVolume;
}

/** The object's rank in its SERP: its list rank, else the subject's position for the keyword. */
function serpRank(c: CatCtx, st: St): number {
  if (st.rankGroup > 0) return st.rankGroup;
  return remember(st, '_pos', () =>
    st.dom !== null ? positionFor(st.dom, kwOf(c, st), c.req.locationCode, kindOf(st)) : c.rng.int(1, 10),
  );
}

/* ------------------------------------------------------------------------ */
/* Rules                                                                     */
/* ------------------------------------------------------------------------ */

function stringRule(key: string, owner: string): Gen | null {
  switch (key) {
    case 'keyword':
      return (c, _d, st) => kwOf(c, st);
    case 'seed_keyword':
      return (c, _d, st) => c.req.keyword ?? kwOf(c, st);
    case 'competition':
      return (c, _d, st) => kf(c, st).competitionLevel;
    case 'competition_level':
      return (c, _d, st) => kf(c, st).competitionLevel;
    case 'main_intent':
      return (c, _d, st) => kf(c, st).intent;
    case 'label':
      return owner.includes('Intent') ? (c, _d, st) => kf(c, st).intent : null;
    case 'core_keyword':
      return () => null;
    case 'synonym_clustering_algorithm':
      return () => 'text_processing';
    case 'detected_language':
    case 'language':
      return (c) => c.lang;
    case 'language_code':
      return (c) => c.req.languageCode;
    case 'se_type':
      return (c) => (c.req.engine === 'other' ? 'google' : c.req.engine);
    case 'se_domain':
      return (c) => c.input.seDomain;
    case 'check_url':
      return (c, _d, st) => checkUrl(c, kwOf(c, st));
    case 'datetime':
      return (c) => c.datetime;
    case 'crawl_end':
      // An On-Page crawl's own end (null while it runs); other APIs' crawl dates as before.
      return (c, _d, st) =>
        c.crawl ? c.crawl.end : formatTimestamp(remember(st, '_upd', () => c.nowMs - c.rng.int(1, 20 * 24) * 3_600_000));
    case 'last_updated_time':
    case 'time_update':
    case 'last_visited':
    case 'fetch_time':
      return (c, _d, st) => formatTimestamp(remember(st, '_upd', () => c.nowMs - c.rng.int(1, 20 * 24) * 3_600_000));
    case 'crawl_start':
      return (c, _d, st) =>
        c.crawl
          ? c.crawl.start
          : formatTimestamp(remember(st, '_upd', () => c.nowMs - c.rng.int(1, 20 * 24) * 3_600_000) - c.rng.int(20, 40) * DAY);
    case 'previous_updated_time':
    case 'prev_visited':
      return (c, _d, st) =>
        formatTimestamp(remember(st, '_upd', () => c.nowMs - c.rng.int(1, 20 * 24) * 3_600_000) - c.rng.int(20, 40) * DAY);
    case 'first_seen':
    case 'first_visited':
      return (c, _d, st) => formatTimestamp(firstSeenMs(c, st));
    case 'prev_seen':
      return (c, _d, st) => {
        const first = firstSeenMs(c, st);
        return formatTimestamp(first + Math.floor((c.nowMs - first) * (0.5 + c.rng.next() * 0.45)));
      };
    case 'last_seen':
      return (c) => formatTimestamp(c.nowMs - c.rng.int(1, 10 * 24) * 3_600_000);
    case 'lost_date':
      return () => null;
    case 'created_datetime':
      return (c, _d, st) => formatTimestamp(firstSeenMs(c, st) - c.rng.int(30, 2000) * DAY);
    case 'changed_datetime':
    case 'updated_datetime':
      return (c) => formatTimestamp(c.nowMs - c.rng.int(5, 300) * DAY);
    case 'expiration_datetime':
      // A registration runs into the future: the one date here that is after `datetime`.
      return (c) => formatTimestamp(c.nowMs + c.rng.int(30, 700) * DAY);
    case 'date_from':
      return (c, _d, st) =>
        st.idx < 0 && typeof c.req.params.date_from === 'string' ? c.req.params.date_from : dateOnly(c.nowMs - 365 * DAY);
    case 'date_to':
      return (c, _d, st) => (st.idx < 0 && typeof c.req.params.date_to === 'string' ? c.req.params.date_to : dateOnly(c.nowMs - DAY));
    case 'date':
    case 'timestamp':
      return (c) => formatTimestamp(pastMs(c, 200));
    case 'target':
      return (c, _d, st) => (st.idx >= 0 && st.dom !== null ? st.dom : (c.req.target ?? c.req.targets[0] ?? null));
    case 'target1':
      return (c) => c.req.targets[0] ?? null;
    case 'target2':
      return (c) => c.req.targets[1] ?? null;
    case 'subdomain':
      return (c, _d, st) => st.dom ?? hostOfSt(c, st);
    case 'domain':
    case 'domain_from':
      return (c, _d, st) => (hasSubject(c, st) ? hostOfSt(c, st) : siteOf(c, st).replace(/^www\./, ''));
    case 'main_domain':
      return (c, _d, st) => mainDomainOf(hostOfSt(c, st));
    case 'domain_to':
      return (c) => hostOf(normalizeTarget(c.req.target ?? c.req.targets[0] ?? 'example.com'));
    case 'tld':
    case 'tld_from':
      return (c, _d, st) => {
        const h = hostOfSt(c, st);
        return h.slice(h.indexOf('.') + 1 || 0).replace(/^.*\.(?=[^.]+$)/, '');
      };
    case 'url':
    case 'page_address':
    case 'page':
    case 'url_from':
    case 'page_url':
      return (c, _d, st) => urlOf(c, st);
    case 'url_to':
      return (c, _d, st) => {
        const target = c.req.target ?? c.req.targets[0] ?? 'example.com';
        const t = normalizeTarget(target);
        return t.includes('/') ? `https://${t}` : pageCandidate(hostOf(t), topicsOf(target), c.rng.int(0, 40) + Math.max(0, st.idx % 7));
      };
    case 'relative_url':
      return (c, _d, st) => {
        const u = urlOf(c, st);
        const i = u.indexOf('/', 8);
        return i < 0 ? '/' : u.slice(i);
      };
    case 'mode':
      return (c) => (typeof c.req.params.mode === 'string' ? c.req.params.mode : 'as_is');
    case 'group_range':
      return (c) => (typeof c.req.params.group_range === 'string' ? c.req.params.group_range : 'month');
    case 'spell':
    case 'offset_token':
    case 'search_after_token':
    case 'supplement_token':
      return () => null;
    default:
      return null;
  }
}

const dateOnly = (ms: number): string => formatTimestamp(ms).slice(0, 10);

/** The engine's own URL for a keyword. */
export function checkUrl(c: CatCtx, kw: string): string {
  const q = encode(kw).replace(/%20/g, '+');
  const gl = c.cc ? `&gl=${c.cc}` : '';
  if (c.input.seDomain === 'play.google.com') return `https://play.google.com/store/search?q=${q}&c=apps&hl=${c.lang}${gl}`;
  if (c.endpoint.path.includes('_trends/')) return `https://trends.google.com/trends/explore?q=${q}&geo=${c.cc}&hl=${c.lang}`;
  switch (c.req.engine) {
    case 'bing':
      return `https://www.bing.com/search?q=${q}&count=100&setlang=${c.lang}`;
    case 'amazon':
      return `https://www.${c.input.seDomain.replace(/^www\./, '')}/s?k=${q}&language=${c.lang}`;
    case 'apple':
      return `https://apps.apple.com/${(c.cc || 'us').toLowerCase()}/search?term=${q}`;
    default:
      return `https://www.google.com/search?q=${q}&num=100&hl=${c.lang}${gl}&gws_rd=cr&ie=UTF-8&oe=UTF-8`;
  }
}

/** Whether the object describes a site or page (its own, or the request's target). */
function hasSubject(c: CatCtx, st: St): boolean {
  return st.dom !== null || c.req.target !== null || c.req.targets.length > 0;
}

/** A URL on the object's subject: the subject itself when it is a page, else a page of its site. */
function urlOf(c: CatCtx, st: St): string {
  const pre = st.pre?.url;
  if (typeof pre === 'string') return pre;
  const subject = st.dom ?? (st.domain === null ? (c.req.target ?? c.req.targets[0] ?? null) : null);
  if (subject !== null) {
    const store = storeUrl(c, subject);
    if (store !== null) return store;
    const n = normalizeTarget(subject);
    if (n.includes('/')) return /^https?:\/\//.test(subject) ? subject : `https://${n}`;
    st.domain = n;
  }
  return pageUrl(c, st);
}

function numberRule(key: string): Gen | null {
  switch (key) {
    case 'search_volume':
      return (c, _d, st) => volumeFor(c, st);
    case 'ai_search_volume':
      return (c, _d, st) => Math.round(kf(c, st).searchVolume * (0.05 + (kf(c, st).seed % 100) / 400));
    case 'cpc':
    case 'average_cpc':
      return (c, _d, st) => kf(c, st).cpc;
    case 'competition':
      return (c, _d, st) => kf(c, st).competition;
    case 'competition_index':
      return (c, _d, st) => kf(c, st).competitionIndex;
    case 'low_top_of_page_bid':
      return (c, _d, st) => kf(c, st).lowBid;
    case 'high_top_of_page_bid':
      return (c, _d, st) => kf(c, st).highBid;
    case 'keyword_difficulty':
      return (c, _d, st) => kf(c, st).difficulty;
    case 'words_count':
      return (c, _d, st) => kf(c, st).wordsCount;
    case 'se_results_count':
      return (c, _d, st) => kf(c, st).seResults;
    case 'probability':
      return (c, _d, st) => kf(c, st).intentProbability;
    case 'location_code':
      return (c) => c.req.locationCode;
    case 'rank_group':
    case 'position':
      return (c, _d, st) => serpRank(c, st);
    case 'rank_absolute':
      return (c, _d, st) =>
        st.rankAbs > 0 ? st.rankAbs : serpRank(c, st) + (st.dom !== null ? (lf(c, st).seed + kwOf(c, st).length) % 3 : 0);
    case 'previous_rank_absolute':
      return (c, _d, st) => Math.max(1, serpRank(c, st) + c.rng.int(-3, 5));
    case 'etv':
    case 'clickstream_etv':
      return (c, _d, st) => (st.kw !== null ? etvFor(volumeFor(c, st), serpRank(c, st)) : sm(c, domOf(c, st), kindOf(st)).etv);
    case 'estimated_paid_traffic_cost':
      return (c, _d, st) =>
        st.kw !== null
          ? round(etvFor(volumeFor(c, st), serpRank(c, st)) * kf(c, st).cpc, 2)
          : sm(c, domOf(c, st), kindOf(st)).paidTrafficCost;
    case 'organic_etv':
      return (c, _d, st) => sm(c, domOf(c, st)).etv;
    case 'organic_count':
      return (c, _d, st) => sm(c, domOf(c, st)).count;
    case 'organic_is_new':
      return (c, _d, st) => sm(c, domOf(c, st)).isNew;
    case 'organic_is_lost':
      return (c, _d, st) => sm(c, domOf(c, st)).isLost;
    case 'rank':
    case 'domain_rank':
    case 'url_rank':
    case 'page_rank':
    case 'page_from_rank':
    case 'domain_from_rank':
      return (c, _d, st) => rankOut(c, lf(c, st).rank);
    case 'main_domain_rank':
      return (c, _d, st) => rankOut(c, lf(c, st).mainDomainRank);
    case 'backlinks':
      return (c, _d, st) => lf(c, st).backlinks;
    case 'dofollow':
      return (c, _d, st) => lf(c, st).dofollow;
    case 'backlinks_nofollow':
      return (c, _d, st) => lf(c, st).backlinks - lf(c, st).dofollow;
    case 'referring_domains':
      return (c, _d, st) => lf(c, st).referringDomains;
    case 'referring_domains_nofollow':
      return (c, _d, st) => lf(c, st).referringDomainsNofollow;
    case 'referring_main_domains':
      return (c, _d, st) => lf(c, st).referringMainDomains;
    case 'referring_main_domains_nofollow':
      return (c, _d, st) => lf(c, st).referringMainDomainsNofollow;
    case 'referring_pages':
      return (c, _d, st) => lf(c, st).referringPages;
    case 'referring_pages_nofollow':
      return (c, _d, st) => lf(c, st).referringPagesNofollow;
    case 'referring_ips':
      return (c, _d, st) => lf(c, st).referringIps;
    case 'referring_subnets':
      return (c, _d, st) => lf(c, st).referringSubnets;
    case 'broken_backlinks':
      return (c, _d, st) => lf(c, st).brokenBacklinks;
    case 'broken_pages':
      return (c, _d, st) => lf(c, st).brokenPages;
    case 'crawled_pages':
      return (c, _d, st) => lf(c, st).crawledPages;
    case 'internal_links_count':
      return (c, _d, st) => lf(c, st).internalLinks;
    case 'external_links_count':
      return (c, _d, st) => lf(c, st).externalLinks;
    case 'spam_score':
    case 'backlinks_spam_score':
    case 'backlink_spam_score':
    case 'target_spam_score':
    case 'url_to_spam_score':
    case 'page_spam_score':
      return (c, _d, st) => lf(c, st).spamScore;
    case 'new_backlinks':
    case 'lost_backlinks':
      return (c, _d, st) => Math.round(lf(c, st).backlinks * (0.002 + c.rng.next() * 0.02));
    case 'new_referring_domains':
    case 'lost_referring_domains':
      return (c, _d, st) => Math.round(lf(c, st).referringDomains * (0.002 + c.rng.next() * 0.02));
    case 'new_referring_main_domains':
    case 'lost_referring_main_domains':
      return (c, _d, st) => Math.round(lf(c, st).referringMainDomains * (0.002 + c.rng.next() * 0.02));
    case 'avg_position':
    case 'median_position':
      return (c) => round(3 + c.rng.next() * 60, 2);
    case 'intersections':
      return (c, _d, st) => Math.max(1, Math.round(sm(c, domOf(c, st)).count * (0.01 + c.rng.next() * 0.1)));
    case 'sum_position':
      return (c) => c.rng.int(50, 50_000);
    case 'keywords_count':
      return (c, _d, st) => Math.max(1, Math.round(sm(c, domOf(c, st)).count * 0.001) + c.rng.int(1, 20));
    default:
      return null;
  }
}

function booleanRule(key: string): Gen | null {
  switch (key) {
    // Status endpoints: the emulated data is always current.
    case 'actual_data':
      return () => true;
    case 'search_partners':
      return (c) => c.req.params.search_partners === true;
    case 'is_new':
      return (c) => c.rng.chance(0.05);
    case 'is_up':
    case 'is_down':
      return (c) => c.rng.chance(0.2);
    case 'is_lost':
    case 'is_another_language':
    case 'is_broken':
    case 'is_indirect_link':
    case 'is_malicious':
    case 'domain_from_is_ip':
    case 'is_ip':
      return () => false;
    case 'is_normalized':
    case 'registered':
    case 'url_from_https':
    case 'url_to_https':
    case 'original':
      return () => true;
    case 'dofollow':
      return (c) => c.rng.chance(0.7);
    default:
      return null;
  }
}

/** The value's type made to match the schema's (fallbacks are written for other schemas). */
function coerce(t: Scalar, g: Gen): Gen {
  switch (t) {
    case 'integer':
      return (c, d, st) => {
        const v = g(c, d, st);
        return typeof v === 'number' ? Math.round(v) : typeof v === 'boolean' ? (v ? 1 : 0) : null;
      };
    case 'number':
      return (c, d, st) => {
        const v = g(c, d, st);
        return typeof v === 'number' ? v : null;
      };
    case 'string':
      return (c, d, st) => {
        const v = g(c, d, st);
        return typeof v === 'string' || v === null ? v : v === undefined ? null : String(v);
      };
    case 'boolean':
      return (c, d, st) => {
        const v = g(c, d, st);
        return typeof v === 'boolean' ? v : null;
      };
  }
}

/** Result fields that do not echo the posted field of the same name. */
const NO_ECHO = new Set(['keyword', 'type', 'datetime', 'tag', 'limit', 'offset', 'depth', 'search_volume', 'cpc', 'competition']);
const MONEY =
  /(revenue|expense|income|ebitda|cash|assets|liabilities|equity|market_cap|net_assets|volume|shares_outstanding|open_interest)/;

/** Fields that only exist with include_clickstream_data (null otherwise, as the vendor does). */
const CLICKSTREAM = /clickstream/;

/**
 * The generator of a scalar field `key` of type `t` in schema `owner`. Values a shape rule or the list
 * put on the object (st.pre) win; then the catalog's rules; then the SERP faker's; then the type's.
 */
export function scalarGen(key: string, t: Scalar, owner: string): Gen {
  let g: Gen | null = null;
  if (key === 'use_clickstream') g = (c) => c.req.params.use_clickstream !== false;
  else if (CLICKSTREAM.test(key) && key.startsWith('clickstream_')) {
    const inner = scalarGen(key.slice('clickstream_'.length), t, owner);
    g = (c, d, st) => (c.req.clickstream ? inner(c, d, st) : null);
  } else if (t === 'string') g = contextString(key) ?? stringRule(key, owner) ?? miscString(key);
  else if (t === 'boolean') g = booleanRule(key) ?? miscBoolean(key);
  else g = contextNumber(key, owner) ?? numberRule(key) ?? miscNumber(key, t === 'integer');
  if (g === null) {
    if (t === 'number' && !SERP_NUMBER_NAMES.has(key) && !MONEY.test(key)) {
      // The vendor types counts as `number` too: a count unless the name says fraction.
      g = FRACTION_NAMES.test(key) ? (c) => round(c.rng.next() * 100, 2) : (c) => Math.floor(c.rng.next() ** 2 * 1000);
    } else
      g = (t === 'string' ? stringGen(key) : t === 'boolean' ? booleanGen(key) : t === 'integer' ? integerGen(key) : numberGen(key)) as Gen;
  }
  // The most used endpoints' reviews and products read as real ones (fields-realistic.ts).
  if (t === 'string') g = realisticString(key, g);
  const typed = coerce(t, g);
  // A result-level field named like a posted field echoes it (hotel_identifier, app_id, url_path, ...).
  const jsType = t === 'integer' ? 'number' : t;
  const echo = !NO_ECHO.has(key);
  return (c, d, st) => {
    const pre = st.pre;
    if (pre !== null) {
      const v = pre[key];
      if (v !== undefined) return v;
    }
    if (d === 0 && echo) {
      const v = c.req.params[key];
      if (typeof v === jsType && (t !== 'integer' || Number.isInteger(v))) return v;
    }
    return typed(c, d, st);
  };
}
