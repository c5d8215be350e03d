// Metrics that describe a subject (a keyword, a domain or page), seeded by the subject itself and
// never by the request: the same keyword has the same search volume, CPC and difficulty in Keywords
// Data and in DataForSEO Labs; the same target has the same rank and backlink counts in Labs and in
// Backlinks. Each function is pure (memoised in a bounded cache) and cheap: a few generator draws.

import { createRng, deriveSeed, hashString, type Rng } from '../prng.js';
import {
  BIG_SITES,
  CATEGORY_CODES,
  COMMERCIAL_WORDS,
  CTR_11_20,
  CTR_TAIL,
  CTR_TOP10,
  DEFAULT_MARKET,
  MARKET_SIZE,
  NAVIGATIONAL_WORDS,
  POSITION_BUCKETS,
  SEARCH_INTENTS,
  TRANSACTIONAL_WORDS,
  VOLUME_BUCKETS,
  WORLDWIDE,
} from './words.js';

/** The search engine whose data an endpoint reports (volumes differ per engine). */
export type Engine = 'google' | 'bing' | 'amazon' | 'apple' | 'other';

const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};
const clamp = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);

/** A bounded memo: cleared when full (subjects repeat within and across renders). */
function memo<T>(limit: number): { get(k: string): T | undefined; set(k: string, v: T): T } {
  const m = new Map<string, T>();
  return {
    get: (k) => m.get(k),
    set: (k, v) => {
      if (m.size >= limit) m.clear();
      m.set(k, v);
      return v;
    },
  };
}

/** The nearest Google Ads bucket at or above 10 (volumes below 5 are 0). */
export function bucketVolume(v: number): number {
  if (v < 5) return 0;
  let lo = 0;
  let hi = VOLUME_BUCKETS.length - 1;
  if (v >= VOLUME_BUCKETS[hi]!) return VOLUME_BUCKETS[hi]!;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (VOLUME_BUCKETS[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  const above = VOLUME_BUCKETS[lo]!;
  const below = lo > 0 ? VOLUME_BUCKETS[lo - 1]! : above;
  return v - below < above - v ? below : above;
}

function marketOf(loc: number | null): number {
  if (loc === null) return WORLDWIDE;
  return MARKET_SIZE[loc] ?? DEFAULT_MARKET;
}

/* ------------------------------------------------------------------------ */
/* Keywords                                                                  */
/* ------------------------------------------------------------------------ */

export interface KeywordFacts {
  readonly keyword: string;
  readonly seed: number;
  readonly searchVolume: number;
  /** 0.05..25, two decimals */
  readonly cpc: number;
  /** 0..1, two decimals; its level and 0..100 index agree with it */
  readonly competition: number;
  readonly competitionLevel: 'LOW' | 'MEDIUM' | 'HIGH';
  readonly competitionIndex: number;
  readonly lowBid: number;
  readonly highBid: number;
  readonly difficulty: number;
  readonly intent: string;
  readonly intentProbability: number;
  readonly foreignIntent: readonly string[];
  readonly wordsCount: number;
  readonly seResults: number;
  readonly categories: readonly number[];
  /** Volume relative to Google's in the normalised (Bing, clickstream) series. */
  readonly bingFactor: number;
  readonly clickstreamFactor: number;
  readonly amplitude: number;
  readonly phase: number;
  readonly slope: number;
  /** cache: the latest 13 months' volumes (newest first) as of month `at` (year * 12 + month) */
  series?: { at: number; v: number[] };
}

const kwMemo = memo<KeywordFacts>(50_000);

/** Normalised keyword text: what makes two spellings the same subject. */
export function normalizeKeyword(kw: string): string {
  return kw.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** Intent words and two-word phrases -> their intent, most specific intent first (transactional wins). */
const INTENT_WORDS: ReadonlyMap<string, string> = new Map([
  ...NAVIGATIONAL_WORDS.map((w) => [w, 'navigational'] as const),
  ...COMMERCIAL_WORDS.map((w) => [w, 'commercial'] as const),
  ...TRANSACTIONAL_WORDS.map((w) => [w, 'transactional'] as const),
]);
const INTENT_ORDER = ['transactional', 'commercial', 'navigational'];

/** The main search intent of a keyword, from its words. */
export function intentOf(norm: string): string {
  const words = norm.split(' ');
  let best = 3;
  for (let i = 0; i < words.length; i++) {
    const w = INTENT_WORDS.get(words[i]!) ?? (i + 1 < words.length ? INTENT_WORDS.get(words[i]! + ' ' + words[i + 1]!) : undefined);
    if (w !== undefined) best = Math.min(best, INTENT_ORDER.indexOf(w));
  }
  if (best < 3) return INTENT_ORDER[best]!;
  return /\.(com|org|net|io)\b/.test(norm) ? 'navigational' : 'informational';
}

/**
 * The facts of a keyword in a location for an engine. Volumes follow a power law (most keywords are
 * small, few are huge; shorter keywords are larger), rounded to the Google Ads buckets.
 */
export function keywordFacts(keyword: string, loc: number | null, engine: Engine = 'google'): KeywordFacts {
  const scope = `${engine}|${loc ?? ''}`;
  let raw = kwRaw.get(scope);
  if (raw === undefined) {
    if (kwRaw.size > 64) kwRaw.clear();
    kwRaw.set(scope, (raw = new Map()));
  }
  const seen = raw.get(keyword);
  if (seen !== undefined) return seen;
  if (raw.size >= 50_000) raw.clear();
  const f = computeKeywordFacts(keyword, loc, engine);
  raw.set(keyword, f);
  return f;
}

/** Keyword facts by the text as given, per engine and location (the normalised memo is behind it). */
const kwRaw = new Map<string, Map<string, KeywordFacts>>();

function computeKeywordFacts(keyword: string, loc: number | null, engine: Engine): KeywordFacts {
  const norm = normalizeKeyword(keyword);
  const key = `${engine}|${loc ?? ''}|${norm}`;
  const hit = kwMemo.get(key);
  if (hit) return hit;
  const seed = hashString(`kw|${loc ?? ''}|${norm}`);
  const r = createRng(seed);
  const words = norm === '' ? 1 : norm.split(' ').length;
  const alpha = words <= 1 ? 0.36 : words === 2 ? 0.44 : words === 3 ? 0.55 : 0.68;
  const u = Math.max(r.next(), 1e-7);
  // Head terms are searched more: a one-word keyword's median is in the thousands, a long tail's in the tens.
  const head = words <= 1 ? 60 : words === 2 ? 8 : words === 3 ? 2 : 1;
  let raw = 10 * head * u ** (-1 / alpha) * marketOf(loc);
  const intent = intentOf(norm);
  const commercial = intent === 'transactional' || intent === 'commercial';
  // cpc: log-normal around $1, higher for commercial keywords.
  const z = gauss(r);
  const cpc = round(clamp(Math.exp(0.1 + 0.9 * z) * (commercial ? 2.2 : 0.8), 0.05, 25), 2);
  const competition = round(clamp(0.12 + 0.28 * Math.log10(1 + cpc * 4) + (r.next() - 0.5) * 0.3 + (commercial ? 0.2 : 0), 0, 1), 2);
  const lowBid = round(Math.max(0.01, cpc * (0.25 + r.next() * 0.35)), 2);
  const highBid = round(Math.max(lowBid + 0.01, cpc * (1.3 + r.next() * 1.7)), 2);
  let engineFactor = 1;
  let cpcFactor = 1;
  const er = engine === 'google' || engine === 'other' ? r : createRng(hashString(`${engine}|${norm}`));
  if (engine === 'bing') {
    engineFactor = 0.06 + er.next() * 0.16;
    cpcFactor = 0.6 + er.next() * 0.3;
  } else if (engine === 'amazon') {
    engineFactor = 0.05 + er.next() * (commercial ? 0.8 : 0.2);
  } else if (engine === 'apple') {
    engineFactor = 0.02 + er.next() * 0.1;
  }
  raw = Math.min(raw, 1_500_000) * engineFactor;
  const searchVolume = bucketVolume(Math.max(raw, 10));
  const vlog = Math.log10(searchVolume + 1);
  const difficulty = Math.round(clamp(vlog * 11 + competition * 30 + (r.next() - 0.5) * 30, 0, 100));
  const foreign: string[] = [];
  if (r.chance(0.35)) {
    const other = SEARCH_INTENTS[r.int(0, SEARCH_INTENTS.length - 1)]!;
    if (other !== intent) foreign.push(other);
  }
  const cats: number[] = [];
  const nc = r.int(1, 3);
  for (let i = 0; i < nc; i++) {
    const code = CATEGORY_CODES[(seed + i * 7) % CATEGORY_CODES.length]!;
    if (!cats.includes(code)) cats.push(code);
  }
  const level = competition < 0.34 ? 'LOW' : competition < 0.67 ? 'MEDIUM' : 'HIGH';
  const f: KeywordFacts = {
    keyword: keyword.trim(),
    seed,
    searchVolume,
    cpc: round(Math.max(0.05, cpc * cpcFactor), 2),
    competition,
    competitionLevel: level,
    competitionIndex: Math.round(competition * 100),
    lowBid: round(lowBid * cpcFactor, 2),
    highBid: round(highBid * cpcFactor, 2),
    difficulty,
    intent,
    intentProbability: round(0.55 + r.next() * 0.44, 2),
    foreignIntent: foreign,
    wordsCount: words,
    seResults: Math.round(searchVolume * (200 + r.next() * 20_000)) + r.int(1_000, 90_000),
    categories: cats,
    bingFactor: round(0.7 + r.next() * 0.5, 3),
    clickstreamFactor: round(0.6 + r.next() * 0.7, 3),
    amplitude: 0.08 + r.next() * 0.4,
    phase: r.int(0, 11),
    slope: (r.next() - 0.4) * 0.4,
  };
  return kwMemo.set(key, f);
}

/** A standard normal draw (Box-Muller). */
function gauss(r: Rng): number {
  const u = Math.max(r.next(), 1e-9);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.next());
}

export interface MonthlySearch {
  year: number;
  month: number;
  search_volume: number;
}

/** One month's volume: seasonal, with a trend toward `now` and a little noise; bucketed. */
function monthVolume(f: KeywordFacts, base: number, year: number, month: number, monthsAgo: number): number {
  const season = 1 + f.amplitude * Math.cos((2 * Math.PI * (month - 1 - f.phase)) / 12);
  const trend = 1 - (f.slope * (monthsAgo - 6.5)) / 12;
  const noise = 0.82 + (deriveSeed(f.seed, year * 12 + month) % 1000) / 2778;
  return bucketVolume(base * season * trend * noise);
}

/**
 * `count` months of volumes ending with the month before `nowMs`, newest first (the vendor's order);
 * their mean is near `base` (the keyword's volume unless a series is scaled, e.g. Bing-normalised).
 */
let lastNow = NaN;
let lastYm: [number, number] = [0, 0];
/** The year and 1-based month of the month before `nowMs`. */
function previousMonth(nowMs: number): [number, number] {
  if (nowMs !== lastNow) {
    const d = new Date(nowMs);
    const m = d.getUTCMonth(); // 0-based: the previous month's 1-based number
    lastYm = m === 0 ? [d.getUTCFullYear() - 1, 12] : [d.getUTCFullYear(), m];
    lastNow = nowMs;
  }
  return lastYm;
}

export function monthlySearches(f: KeywordFacts, nowMs: number, count = 12, base = f.searchVolume): MonthlySearch[] {
  let [y, m] = previousMonth(nowMs);
  const cached = base === f.searchVolume && count <= 13 ? seriesOf(f, y, m) : null;
  const out: MonthlySearch[] = new Array(count);
  for (let i = 0; i < count; i++) {
    out[i] = { year: y, month: m, search_volume: cached !== null ? cached[i]! : monthVolume(f, base, y, m, i + 1) };
    if (--m === 0) {
      m = 12;
      y -= 1;
    }
  }
  return out;
}

/** The 13 months' volumes ending with year/month (newest first), computed once per keyword and month. */
function seriesOf(f: KeywordFacts, year: number, month: number): number[] {
  const at = year * 12 + month;
  if (f.series !== undefined && f.series.at === at) return f.series.v;
  const v: number[] = new Array(13);
  for (let i = 0, y = year, m = month; i < 13; i++) {
    v[i] = monthVolume(f, f.searchVolume, y, m, i + 1);
    if (--m === 0) {
      m = 12;
      y -= 1;
    }
  }
  f.series = { at, v };
  return v;
}

/** Percent changes of the latest month against one month, a quarter and a year earlier. */
export function volumeTrend(f: KeywordFacts, nowMs: number): { monthly: number; quarterly: number; yearly: number } {
  const [y, m] = previousMonth(nowMs);
  const s = seriesOf(f, y, m);
  const pct = (a: number, b: number): number => (b > 0 ? Math.round(((a - b) / b) * 100) : 0);
  return { monthly: pct(s[0]!, s[1]!), quarterly: pct(s[0]!, s[3]!), yearly: pct(s[0]!, s[12]!) };
}

/** Estimated monthly clicks for a position (search volume × CTR). */
export function etvFor(searchVolume: number, position: number): number {
  const ctr = position <= 10 ? CTR_TOP10[position - 1]! : position <= 20 ? CTR_11_20 : CTR_TAIL;
  return round(searchVolume * ctr, 2);
}

/* ------------------------------------------------------------------------ */
/* Domains and pages                                                         */
/* ------------------------------------------------------------------------ */

const NEEDS_NORMALIZING = /[A-Z:/?#\s]|^www\./;

/** `https://www.Example.com/a/` -> `example.com/a`: scheme, www and trailing slash dropped. */
export function normalizeTarget(target: string): string {
  // Most subjects are already bare domains: nothing to strip.
  if (!NEEDS_NORMALIZING.test(target)) return target;
  return target
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/^www\./, '')
    .replace(/[?#].*$/, '')
    .replace(/\/+$/, '');
}

/** The host of a normalised target (`example.com/a` -> `example.com`). */
export function hostOf(norm: string): string {
  const slash = norm.indexOf('/');
  return slash < 0 ? norm : norm.slice(0, slash);
}

/** The registrable domain of a host (`blog.example.co.uk` -> `example.co.uk`). */
export function mainDomainOf(host: string): string {
  const parts = host.split('.');
  if (parts.length <= 2) return host;
  const sld = parts[parts.length - 2]!;
  const n = sld.length <= 3 && parts[parts.length - 1]!.length === 2 ? 3 : 2;
  return parts.slice(-n).join('.');
}

const BIG = new Set(BIG_SITES);

/** App ids (`com.nike.omega`, `284882215`) and ASINs are subjects too, but not domains. */
export function isIdLike(subject: string): boolean {
  return (
    /^\d+$/.test(subject) || /^b0[a-z0-9]{8}$/i.test(subject) || /^(com|net|org|io|de|ru|jp|co)\.[a-z0-9_]+\.[a-z0-9_.]+$/.test(subject)
  );
}

export interface LinkFacts {
  /** normalised subject: a domain, subdomain or page */
  readonly subject: string;
  /** the first label of its registrable domain (`nike` of `www.nike.com/x`) */
  readonly brand: string;
  readonly seed: number;
  /** 0..1000 */
  readonly rank: number;
  readonly mainDomainRank: number;
  readonly backlinks: number;
  readonly dofollow: number;
  readonly referringDomains: number;
  readonly referringDomainsNofollow: number;
  readonly referringMainDomains: number;
  readonly referringMainDomainsNofollow: number;
  readonly referringPages: number;
  readonly referringPagesNofollow: number;
  readonly referringIps: number;
  readonly referringSubnets: number;
  readonly brokenBacklinks: number;
  readonly brokenPages: number;
  readonly crawledPages: number;
  readonly internalLinks: number;
  readonly externalLinks: number;
  /** 0..100 */
  readonly spamScore: number;
  /** days before now the subject was first seen */
  readonly firstSeenDays: number;
}

const linkMemo = memo<LinkFacts>(50_000);

function rankOf(rd: number, r: Rng): number {
  const base = Math.min(1, (Math.log10(rd + 1) / 6.3) ** 1.2);
  return Math.round(clamp(base * 1000 * (0.97 + r.next() * 0.06), 0, 1000));
}

/**
 * Backlink facts of a subject. Counts nest: referring main domains ≤ referring domains ≤ referring
 * pages ≤ backlinks; subnets ≤ IPs ≤ referring domains; a page or subdomain is a share of its domain.
 */
export function linkFacts(target: string): LinkFacts {
  const seen = linkRaw.get(target);
  if (seen !== undefined) return seen;
  if (linkRaw.size >= 50_000) linkRaw.clear();
  const f = computeLinkFacts(target);
  linkRaw.set(target, f);
  return f;
}

/** Link facts by the target as given (the normalised memo is behind it). */
const linkRaw = new Map<string, LinkFacts>();

function computeLinkFacts(target: string): LinkFacts {
  const subject = normalizeTarget(target);
  const hit = linkMemo.get(subject);
  if (hit) return hit;
  const seed = hashString(`dom|${subject}`);
  const r = createRng(seed);
  const host = hostOf(subject);
  const main = mainDomainOf(host);
  let rd: number;
  let mainRank: number;
  if (subject !== main) {
    const parent = linkFacts(main);
    const share = host !== main && subject === host ? 0.02 + r.next() * 0.3 : 0.0005 + r.next() ** 2 * 0.05;
    rd = Math.round(parent.referringDomains * share);
    mainRank = parent.rank;
  } else {
    const u = Math.max(r.next(), 1e-7);
    // Short .com-style names are established brands more often than long ones (ids are not names).
    const name = main.split('.')[0]!.length;
    const boost = isIdLike(subject) ? 1 : name <= 4 ? 2000 : name <= 6 ? 150 : name <= 8 ? 12 : 1;
    rd = BIG.has(main) ? Math.round(150_000 + r.next() * 2_500_000) : Math.round(Math.min(3 * boost * u ** (-1 / 0.42), 1_500_000));
    mainRank = -1;
  }
  const rank = rankOf(rd, r);
  const backlinks = rd === 0 ? 0 : Math.round(rd * (1.5 + Math.min(Math.max(r.next(), 1e-4) ** -1.2, 2_000)));
  const refMain = Math.round(rd * (0.75 + r.next() * 0.22));
  const refPages = rd + Math.round((backlinks - rd) * (0.3 + r.next() * 0.5));
  const dofollow = Math.round(backlinks * (0.55 + r.next() * 0.3));
  const ips = Math.round(rd * (0.6 + r.next() * 0.3));
  const crawled = Math.max(1, Math.round((rd + 1) * (2 + r.next() * 30)));
  const f: LinkFacts = {
    subject,
    brand: main.split('.')[0]!,
    seed,
    rank,
    mainDomainRank: mainRank < 0 ? rank : mainRank,
    backlinks,
    dofollow,
    referringDomains: rd,
    referringDomainsNofollow: Math.round(rd * (0.08 + r.next() * 0.25)),
    referringMainDomains: refMain,
    referringMainDomainsNofollow: Math.round(refMain * (0.08 + r.next() * 0.2)),
    referringPages: refPages,
    referringPagesNofollow: Math.round(refPages * (0.1 + r.next() * 0.3)),
    referringIps: ips,
    referringSubnets: Math.round(ips * (0.6 + r.next() * 0.3)),
    brokenBacklinks: Math.round(backlinks * (0.005 + r.next() * 0.04)),
    brokenPages: Math.round(crawled * (0.002 + r.next() * 0.02)),
    crawledPages: crawled,
    internalLinks: Math.round(crawled * (20 + r.next() * 80)),
    externalLinks: Math.round(crawled * (1 + r.next() * 10)),
    spamScore: Math.round(clamp(45 - rank / 20 + (r.next() - 0.3) * 40, 0, 100)),
    firstSeenDays: Math.round(60 + (rank / 1000) * 2200 + r.next() * 900),
  };
  return linkMemo.set(subject, f);
}

/** Search metrics of a subject for one kind of result (organic, paid, ...) in a location. */
export interface SearchMetrics {
  /** keywords per position bucket, in POSITION_BUCKETS order; they sum to count */
  readonly pos: readonly number[];
  readonly count: number;
  readonly etv: number;
  readonly paidTrafficCost: number;
  readonly isNew: number;
  readonly isUp: number;
  readonly isDown: number;
  readonly isLost: number;
}

const metricsMemo = memo<SearchMetrics>(50_000);

/** How many keywords a subject ranks for (and its traffic), per kind of result and location. */
export function searchMetrics(target: string, loc: number | null, kind = 'organic'): SearchMetrics {
  const scope = `${kind}|${loc ?? ''}`;
  let raw = metricsRaw.get(scope);
  if (raw === undefined) {
    if (metricsRaw.size > 64) metricsRaw.clear();
    metricsRaw.set(scope, (raw = new Map()));
  }
  const seen = raw.get(target);
  if (seen !== undefined) return seen;
  if (raw.size >= 50_000) raw.clear();
  const m = computeSearchMetrics(target, loc, kind);
  raw.set(target, m);
  return m;
}

/** Search metrics by the target as given, per kind and location (the normalised memo is behind it). */
const metricsRaw = new Map<string, Map<string, SearchMetrics>>();

function computeSearchMetrics(target: string, loc: number | null, kind: string): SearchMetrics {
  const subject = normalizeTarget(target);
  const key = `${kind}|${loc ?? ''}|${subject}`;
  const hit = metricsMemo.get(key);
  if (hit) return hit;
  const lf = linkFacts(subject);
  const r = createRng(hashString(`metrics|${key}`));
  const market = Math.min(1, marketOf(loc));
  const host = hostOf(subject);
  const main = mainDomainOf(host);
  let organic: number;
  if (subject !== main && !isIdLike(subject)) {
    // A page or subdomain ranks for a share of its domain's keywords.
    const share = subject === host ? 0.02 + r.next() * 0.3 : 0.0005 + r.next() ** 2 * 0.06;
    organic = Math.round(searchMetrics(main, loc, 'organic').count * share);
  } else organic = Math.round((lf.referringDomains + 1) * Math.exp(1 + gauss(r) * 0.9) * market);
  let count: number;
  if (kind === 'organic' || kind === 'amazon_serp' || kind.endsWith('_organic')) count = organic;
  else if (kind === 'paid' || kind === 'amazon_paid') count = r.chance(0.4) ? 0 : Math.round(organic * (0.002 + r.next() * 0.05));
  else count = r.chance(0.5) ? 0 : Math.round(organic * (0.001 + r.next() * 0.01));
  count = Math.min(count, 50_000_000);
  // Stronger sites hold more of their keywords near the top.
  const tilt = (lf.rank - 400) / 2500;
  const w: number[] = POSITION_BUCKETS.map((b, i) => b[3] * (0.75 + r.next() * 0.5) * Math.exp(-tilt * i));
  const total = w.reduce((a, b) => a + b, 0);
  const pos: number[] = new Array(POSITION_BUCKETS.length);
  let left = count;
  for (let i = 0; i < POSITION_BUCKETS.length - 1; i++) {
    const n = Math.min(left, Math.round((count * w[i]!) / total));
    pos[i] = n;
    left -= n;
  }
  pos[POSITION_BUCKETS.length - 1] = left;
  const perKw = Math.exp(Math.log(0.3 + lf.rank / 150) + gauss(r) * 0.4);
  const etv = round(count * perKw * (kind === 'organic' ? 1 : 0.6), 2);
  const f: SearchMetrics = {
    pos,
    count,
    etv,
    paidTrafficCost: round(etv * (0.4 + r.next() * 2.5), 2),
    isNew: Math.round(count * (0.01 + r.next() * 0.08)),
    isUp: Math.round(count * (0.04 + r.next() * 0.15)),
    isDown: Math.round(count * (0.04 + r.next() * 0.15)),
    isLost: Math.round(count * (0.01 + r.next() * 0.08)),
  };
  return metricsMemo.set(key, f);
}

/**
 * The position (1..100) a subject ranks at for a keyword, drawn from the subject's position buckets
 * so that a domain's keyword list matches its pos_* counts; seeded by the pair.
 */
export function positionFor(target: string, keyword: string, loc: number | null, kind = 'organic'): number {
  const m = searchMetrics(target, loc, kind);
  const lf = linkFacts(target);
  const kf = keywordFacts(keyword, loc);
  const r = createRng(deriveSeed(lf.seed ^ kf.seed, hashString(kind) + (loc ?? 0)));
  // A site ranks at the top for its own name.
  const brand = lf.brand;
  if (brand.length >= 3 && keyword.length >= brand.length && keyword.toLowerCase().startsWith(brand)) {
    const next = keyword.charCodeAt(brand.length);
    if (Number.isNaN(next) || next === 32) return r.int(1, 2);
  }
  const total = m.count > 0 ? m.count : 1;
  let x = r.next() * total;
  for (let i = 0; i < POSITION_BUCKETS.length; i++) {
    const n = m.count > 0 ? m.pos[i]! : POSITION_BUCKETS[i]![3] * total;
    if (x < n || i === POSITION_BUCKETS.length - 1) {
      const [, from, to] = POSITION_BUCKETS[i]!;
      return r.int(from, to);
    }
    x -= n;
  }
  return 1;
}
