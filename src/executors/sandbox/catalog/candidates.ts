// The candidates of a list, by index: keywords around seeds, competing and referring domains, a
// site's pages and subdomains, anchors, networks, ASINs, apps, brands. Candidate i depends only on
// the list's seed and i (never on how many are drawn), so pages of one list are slices of one
// sequence; and list totals that are subject facts (a target's ranked keywords, its referring
// domains) come from subjects.ts, so they agree with the same target's summary elsewhere.

import { deriveSeed, hashString } from '../prng.js';
import { ALNUM, DIGITS } from '../schema-faker-words.js';
import { hostOf, isIdLike, keywordFacts, linkFacts, mainDomainOf, normalizeTarget, searchMetrics } from './subjects.js';
import {
  BIG_SITES,
  BRAND_CATEGORIES,
  BRAND_HEADS,
  BRAND_TAILS,
  DOMAIN_HEADS,
  DOMAIN_TAILS,
  GENERIC_ANCHORS,
  KW_PREFIXES,
  KW_SUFFIXES,
  PAGE_FIXED,
  PAGE_SECTIONS,
  SUBDOMAIN_NAMES,
  TLDS,
  TOPIC_WORDS,
} from './words.js';

const P = KW_PREFIXES.length;
const S = KW_SUFFIXES.length;
const VARIANTS = P + S + P * S;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
/** A stride coprime with n: index j -> (j * stride + start) % n visits every value once. */
function strideFor(n: number): number {
  let s = Math.floor(n * 0.618) | 1;
  while (gcd(s, n) !== 1) s += 2;
  return s;
}
const SINGLES = P + S;
const COMBOS = P * S;
const SINGLE_STRIDE = strideFor(SINGLES);
const COMBO_STRIDE = strideFor(COMBOS);

/**
 * The j-th variant of a seed keyword: first one-word variations ("best {seed}", "{seed} price"), then
 * two-sided ones ("cheap {seed} near me"), each group in a seeded order.
 */
export function keywordVariant(seed: string, j: number): string {
  const h = hashString(seed);
  const round = Math.floor(j / VARIANTS);
  const k = j % VARIANTS;
  let kw: string;
  if (k < SINGLES) {
    const q = (k * SINGLE_STRIDE + (h % SINGLES)) % SINGLES;
    kw = q < P ? `${KW_PREFIXES[q]} ${seed}` : `${seed} ${KW_SUFFIXES[q - P]}`;
  } else {
    const q = ((k - SINGLES) * COMBO_STRIDE + (h % COMBOS)) % COMBOS;
    kw = `${KW_PREFIXES[Math.floor(q / S)]} ${seed} ${KW_SUFFIXES[q % S]}`;
  }
  return round === 0 ? kw : `${kw} ${round + 1}`;
}

/** The brand word of a target (`www.nike.com/x` -> `nike`); empty for ids. */
export function brandOf(target: string): string {
  const norm = normalizeTarget(target);
  if (isIdLike(norm)) return /^[a-z]+\./.test(norm) ? (norm.split('.')[1] ?? '') : '';
  const word = mainDomainOf(hostOf(norm)).split('.')[0] ?? '';
  return word.replace(/-/g, ' ');
}

/** Topics a site is about: its brand and three broad topics picked by its name. */
const topicMemo = new Map<string, string[]>();
export function topicsOf(target: string): string[] {
  const hit = topicMemo.get(target);
  if (hit) return hit;
  if (topicMemo.size > 10_000) topicMemo.clear();
  const out = computeTopics(target);
  topicMemo.set(target, out);
  return out;
}

function computeTopics(target: string): string[] {
  const h = hashString(normalizeTarget(target));
  const out: string[] = [];
  const brand = brandOf(target);
  if (brand !== '') out.push(brand);
  for (let i = 0; i < 3; i++) {
    const t = TOPIC_WORDS[(h + i * 13) % TOPIC_WORDS.length]!;
    if (!out.includes(t)) out.push(t);
  }
  return out;
}

/** Keyword candidate i around `seeds`; the seeds themselves come first when `withSeeds`. */
export function keywordCandidate(seeds: readonly string[], i: number, withSeeds: boolean): string {
  const n = seeds.length;
  if (withSeeds && i < n) return seeds[i]!;
  const k = withSeeds ? i - n : i;
  return keywordVariant(seeds[k % n]!, Math.floor(k / n));
}

const DOMAIN_SPACE = DOMAIN_HEADS.length * DOMAIN_TAILS.length * TLDS.length;
const DOMAIN_STRIDE = strideFor(DOMAIN_SPACE);

/** Domain candidate i (well-known sites first, then plausible small sites); never `exclude`. */
let lastExclude: string | null = null;
let lastSkip: string | null = null;
export function domainCandidate(seed: number, i: number, exclude: string | null): string {
  const big = Math.min(12, BIG_SITES.length);
  if (exclude !== lastExclude) {
    lastSkip = exclude === null ? null : mainDomainOf(hostOf(normalizeTarget(exclude)));
    lastExclude = exclude;
  }
  const skip = lastSkip;
  if (i < big) {
    const d = BIG_SITES[(seed + i * 7) % BIG_SITES.length]!;
    return d === skip ? BIG_SITES[(seed + big * 7 + i) % BIG_SITES.length]! : d;
  }
  const q = ((i - big) * DOMAIN_STRIDE + (seed % DOMAIN_SPACE)) % DOMAIN_SPACE;
  const head = DOMAIN_HEADS[q % DOMAIN_HEADS.length]!;
  const tail = DOMAIN_TAILS[Math.floor(q / DOMAIN_HEADS.length) % DOMAIN_TAILS.length]!;
  const tld = TLDS[Math.floor(q / (DOMAIN_HEADS.length * DOMAIN_TAILS.length))]!;
  const round = Math.floor((i - big) / DOMAIN_SPACE);
  return `${head}${tail}${round > 0 ? round + 1 : ''}.${tld}`;
}

/** Page i of a site (`https://host/path`): its fixed pages, then section pages about its topics. */
export function pageCandidate(host: string, topics: readonly string[], i: number): string {
  if (i < PAGE_FIXED.length) return `https://${host}/${PAGE_FIXED[i]}${PAGE_FIXED[i] === '' ? '' : '/'}`;
  const k = i - PAGE_FIXED.length;
  const topic = keywordCandidate(topics.length > 0 ? topics : ['home'], k, true);
  const section = PAGE_SECTIONS[(hashString(topic) + k) % PAGE_SECTIONS.length]!;
  return `https://${host}/${section}/${topic.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}/`;
}

export function subdomainCandidate(host: string, i: number): string {
  const main = mainDomainOf(host);
  const name = SUBDOMAIN_NAMES[i % SUBDOMAIN_NAMES.length]!;
  const round = Math.floor(i / SUBDOMAIN_NAMES.length);
  return `${name}${round > 0 ? round + 1 : ''}.${main}`;
}

/** Anchor i of links to a target: its brand, its URL, generic words, its topics. */
export function anchorCandidate(target: string, topics: readonly string[], i: number): string {
  const brand = brandOf(target);
  if (i === 0) return brand || GENERIC_ANCHORS[1]!;
  if (i === 1) return hostOf(normalizeTarget(target));
  if (i < 2 + GENERIC_ANCHORS.length) return GENERIC_ANCHORS[i - 2]!;
  return keywordCandidate(topics.length > 0 ? topics : ['website'], i - 2 - GENERIC_ANCHORS.length, true);
}

export function networkCandidate(seed: number, i: number): string {
  const h = deriveSeed(seed, i);
  return `${(h % 200) + 20}.${(h >>> 8) % 256}.${(h >>> 16) % 256}.0`;
}

export function brandCandidate(seed: number, i: number): string {
  const q = (seed + i * 5) % (BRAND_HEADS.length * BRAND_TAILS.length);
  return `${BRAND_HEADS[q % BRAND_HEADS.length]} ${BRAND_TAILS[Math.floor(q / BRAND_HEADS.length)]}`;
}

export function categoryCandidate(i: number): string {
  return BRAND_CATEGORIES[i % BRAND_CATEGORIES.length]!;
}

/** An app id for a topic: an App Store number or a Play package name. */
export function appIdFor(c: { readonly req: { readonly engine: string } }, topic: string): string {
  const word = topic.toLowerCase().replace(/[^a-z0-9]+/g, '');
  return c.req.engine === 'apple' ? String(300_000_000 + (hashString(topic) % 1_400_000_000)) : `com.${word.slice(0, 12) || 'app'}.android`;
}

/** An ASIN-shaped id for a topic. */
export function asinFor(topic: string): string {
  let h = hashString(topic);
  let s = 'B0';
  for (let i = 0; i < 8; i++) {
    s += (ALNUM.slice(0, 26) + DIGITS)[h % 36]!;
    h = Math.floor(h / 36) || hashString(s);
  }
  return s;
}

export function asinCandidate(seed: number, i: number): string {
  return asinFor(`${seed}|${i}`);
}

export function appCandidate(engineApple: boolean, seed: number, i: number): string {
  const word = TOPIC_WORDS[(seed + i) % TOPIC_WORDS.length]!.replace(/ /g, '');
  return engineApple ? String(300_000_000 + (deriveSeed(seed, i) % 1_400_000_000)) : `com.${word}.app${i > TOPIC_WORDS.length ? i : ''}`;
}

/** A plausible total from a hash: between lo and hi, skewed low. */
export function skewedTotal(seed: number, lo: number, hi: number): number {
  const u = (seed % 10_000) / 10_000;
  return Math.round(lo + (hi - lo) * u * u);
}

/** How many keywords a list around seed keywords has (a bigger keyword has more suggestions). */
export function keywordListTotal(seeds: readonly string[], loc: number | null, tail: string, depth: number): number {
  if (tail === 'related_keywords') {
    let t = 0;
    for (let d = 1, n = 8; d <= Math.min(4, Math.max(1, depth)); d++, n *= 8) t += n;
    return t * Math.max(1, seeds.length);
  }
  let t = 0;
  for (const s of seeds.slice(0, 5)) {
    const f = keywordFacts(s, loc);
    t += Math.round(Math.sqrt(f.searchVolume) * (3 + (f.seed % 40)));
  }
  return Math.max(seeds.length * 8, Math.min(t, 2_000_000));
}

/** How many keywords a target ranks for (organic, plus paid when asked for). */
export function rankedTotal(target: string, loc: number | null, kinds: readonly string[]): number {
  let t = 0;
  for (const k of kinds) t += searchMetrics(target, loc, k).count;
  return t;
}

export function referringTotal(target: string, what: 'domains' | 'backlinks' | 'pages' | 'anchors' | 'networks'): number {
  const f = linkFacts(target);
  switch (what) {
    case 'domains':
      return f.referringDomains;
    case 'backlinks':
      return f.backlinks;
    case 'pages':
      return f.crawledPages;
    case 'anchors':
      return Math.max(1, Math.round(f.referringDomains * 0.6));
    case 'networks':
      return Math.max(1, f.referringSubnets);
  }
}
