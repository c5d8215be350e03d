// The per-render context of the catalog sandbox: the request normalised once (keywords, targets,
// location, language, engine), the seed, and the per-object state the compiled generators share.
// CatCtx satisfies the SERP faker's Ctx, so its field generators (URLs, titles, sentences, names)
// can fill what the catalog rules leave open; the current topic (c.kw) follows the current item.

import type { CrawlState } from '../../../domain/crawl.js';
import type { ApiCatalog, Endpoint, FieldRule } from '../../../domain/api-catalog/index.js';
import { languageByName, locationByCode, locationByName } from '../../../domain/reference.js';
import { createRng, hashString, type Rng } from '../prng.js';
import type { SerpRenderInput } from '../render-input.js';
import type { Ctx, ObjState } from '../schema-faker-model.js';
import { coreOf, parseDatetime, round, slugify, titleCase } from '../schema-faker-values.js';
import { GEO } from '../schema-faker-words.js';
import { encode, encodePath } from '../serp-text.js';
import { domainCandidate } from './candidates.js';
import { TOPIC_WORDS } from './words.js';
import { hostOf, normalizeTarget, type Engine, type KeywordFacts, type LinkFacts, type SearchMetrics } from './subjects.js';

/** The request, normalised once per render. */
export interface Req {
  readonly params: Readonly<Record<string, unknown>>;
  readonly keyword: string | null;
  readonly keywords: readonly string[];
  /** `target` as given (string), else null */
  readonly target: string | null;
  /** every target the request names: `targets` (array or map), `target` (array), target1/target2, `pages` */
  readonly targets: readonly string[];
  /** keys of a map-valued `targets`/`pages`/`asins`/`app_ids` (`"1"`, `"2"`, …) in order */
  readonly targetKeys: readonly string[];
  readonly locationCode: number | null;
  readonly languageCode: string | null;
  readonly countryIso: string | null;
  readonly engine: Engine;
  /** rank_scale one_hundred: ranks 0..100 instead of 0..1000 */
  readonly rankDivisor: number;
  readonly clickstream: boolean;
  readonly serpInfo: boolean;
  /** a short topic for text: the keyword, the target's brand, or a word from the request */
  readonly topic: string;
}

/** Per-object state: SERP's ObjState plus the subjects the object describes. */
export interface St extends ObjState {
  /** keyword subject (a keyword's metrics fields read it) */
  kw: string | null;
  /** domain or page subject (rank, backlinks, organic metrics) */
  dom: string | null;
  /** the map key or metric kind this object hangs under (`organic`, `paid`, `1`) */
  key: string | null;
  /** the field name this object is the value of */
  via: string;
  /** 0-based position of the list item this object is (in), -1 outside lists */
  idx: number;
  /** multiplier of the subject's metrics (a past value in a time series) */
  scale: number;
  /** a competitor's share of its keywords that intersect the target's (metrics over the intersection) */
  share: number;
  /** values computed for the whole object by a shape rule (see shapes.ts) */
  pre: Record<string, unknown> | null;
}

export function rootState(): St {
  return {
    tag: null,
    rankAbs: 0,
    rankGroup: 0,
    top: false,
    domain: null,
    kw: null,
    dom: null,
    key: null,
    via: '',
    idx: -1,
    scale: 1,
    share: 1,
    pre: null,
  };
}

/** The state of a nested object (the value of field `via` of an object in state `p`). */
export function childState(p: St, via: string, tag: string | null): St {
  return {
    tag,
    rankAbs: 0,
    rankGroup: 0,
    top: false,
    domain: p.domain,
    kw: p.kw,
    dom: p.dom,
    key: p.key,
    via,
    idx: p.idx,
    scale: p.scale,
    share: p.share,
    pre: null,
  };
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

function strings(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string' && x.trim() !== '');
  return [];
}

/** Values of a map-valued field ({"1": "a.com", "2": "b.com"}) in key order, with their keys. */
function mapValues(v: unknown): [string[], string[]] {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return [[], []];
  const keys = Object.keys(v).sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
  const vals: string[] = [];
  const ks: string[] = [];
  for (const k of keys) {
    const x = (v as Record<string, unknown>)[k];
    if (typeof x === 'string' && x !== '') {
      vals.push(x);
      ks.push(k);
    }
  }
  return [vals, ks];
}

function engineOf(path: string): Engine {
  if (path.includes('/bing/')) return 'bing';
  if (path.includes('/amazon/')) return 'amazon';
  if (path.includes('/apple/')) return 'apple';
  if (path.includes('/google') || path.startsWith('dataforseo_labs/')) return 'google';
  return 'other';
}

/** The search engine's domain an endpoint's results come from. */
function seDomainOf(path: string, engine: Engine): string {
  if (path.startsWith('app_data/')) return engine === 'apple' ? 'apps.apple.com' : 'play.google.com';
  if (path.includes('/trustpilot/')) return 'www.trustpilot.com';
  if (path.includes('/tripadvisor/')) return 'www.tripadvisor.com';
  return engine === 'amazon' ? 'amazon.com' : engine === 'bing' ? 'bing.com' : 'google.com';
}

/** The request rules of an endpoint: its own, or (task_get) its type's task_post's. */
export function requestFields(api: ApiCatalog, endpoint: Endpoint): readonly FieldRule[] {
  if (endpoint.request) return endpoint.request.fields;
  if (endpoint.type === null) return [];
  const post = api.endpoints.find((e) => e.type === endpoint.type && (e.kind === 'task_post' || e.kind === 'live') && e.request);
  return post?.request?.fields ?? [];
}

export function normalizeRequest(api: ApiCatalog, endpoint: Endpoint, params: Readonly<Record<string, unknown>>): Req {
  const fields = requestFields(api, endpoint);
  const def = (name: string): unknown => fields.find((f) => f.name === name)?.default;
  const keyword = str(params.keyword) ?? str(params.seed_keyword);
  const keywords = strings(params.keywords);
  let target = str(params.target);
  let targets: string[] = [];
  let targetKeys: string[] = [];
  for (const name of ['targets', 'pages', 'asins', 'app_ids']) {
    const v = params[name];
    if (Array.isArray(v)) targets = strings(v);
    else [targets, targetKeys] = mapValues(v);
    if (targets.length > 0) break;
  }
  if (targets.length === 0 && Array.isArray(params.target)) targets = strings(params.target);
  if (targets.length === 0 && str(params.target1)) targets = [str(params.target1)!, ...(str(params.target2) ? [str(params.target2)!] : [])];
  if (targets.length === 0 && str(params.asin)) target = str(params.asin);
  // `url` names the page to inspect in On-Page and social media; elsewhere (Merchant) it is a search URL.
  const pageApi = endpoint.api === 'on_page' || endpoint.api === 'business_data' || endpoint.api === 'content_generation';
  if (target === null)
    target = str(params.domain) ?? (pageApi ? str(params.url) : null) ?? str(params.app_id) ?? str(params.asin) ?? str(params.page_url);
  // On-Page functions name the crawl by its id only: the crawled site is one derived from the id.
  if (target === null && endpoint.api === 'on_page' && str(params.id))
    target = domainCandidate(hashString(params.id as string), 12 + (hashString(params.id as string) % 400), null);
  if (targetKeys.length === 0) targetKeys = targets.map((_, i) => String(i + 1));

  let locationCode: number | null = null;
  const lc = params.location_code ?? def('location_code');
  if (typeof lc === 'number' && Number.isFinite(lc)) locationCode = Math.trunc(lc);
  else if (typeof lc === 'string' && /^\d+$/.test(lc)) locationCode = Number(lc);
  else if (str(params.location_name)) locationCode = locationByName(params.location_name as string)?.location_code ?? null;
  let languageCode = str(params.language_code) ?? (typeof def('language_code') === 'string' ? (def('language_code') as string) : null);
  if (languageCode === null && str(params.language_name))
    languageCode = languageByName(params.language_name as string)?.language_code ?? null;
  const loc = locationCode === null ? undefined : locationByCode(locationCode);

  const brand = (t: string): string => {
    const h = hostOf(normalizeTarget(t));
    return /^\d+$/.test(h) || /^[A-Z0-9]{10}$/.test(t) ? '' : (h.split('.').slice(-2, -1)[0] ?? h);
  };
  const first = keyword ?? keywords[0] ?? null;
  const textual =
    str(params.title) ??
    str(params.topic) ??
    str(params.technology) ??
    str(params.brand) ??
    phraseOf(str(params.user_prompt) ?? str(params.text));
  const fromTarget = target !== null ? brand(target) : targets.length > 0 ? brand(targets[0]!) : '';
  const topic = (
    first ??
    (fromTarget || null) ??
    (textual ? textual.split(/\s+/).slice(0, 4).join(' ') : null) ??
    TOPIC_WORDS[hashString(canonicalJson(params)) % TOPIC_WORDS.length]!
  ).trim();
  return {
    params,
    keyword,
    keywords,
    target,
    targets,
    targetKeys,
    locationCode,
    languageCode,
    countryIso: loc ? loc.country_iso_code : null,
    engine: engineOf(endpoint.path),
    rankDivisor: params.rank_scale === 'one_hundred' ? 10 : 1,
    clickstream: params.include_clickstream_data === true,
    serpInfo: params.include_serp_info === true,
    topic: topic || 'digital marketing',
  };
}

const STOP = new Set([
  'a',
  'an',
  'the',
  'is',
  'are',
  'what',
  'which',
  'how',
  'why',
  'who',
  'do',
  'does',
  'for',
  'of',
  'to',
  'in',
  'on',
  'and',
  'best',
  'good',
  'my',
  'i',
  'me',
  'can',
  'you',
]);
/** The first words of a text that are not function words (`What is a good running shoe?` -> `running shoe`). */
function phraseOf(text: string | null): string | null {
  if (text === null) return null;
  const words = text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]+/gu, ' ')
    .split(/\s+/)
    .filter((w) => w !== '' && !STOP.has(w));
  return words.length > 0 ? words.slice(0, 2).join(' ') : null;
}

/** JSON with object keys sorted at every level: the canonical text a request is seeded from. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return '[' + v.map(canonicalJson).join(',') + ']';
  const keys = Object.keys(v).sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson((v as Record<string, unknown>)[k])).join(',') + '}';
}

/** Request fields that page, filter or sort one list: not part of the list's seed. */
export const VIEW_FIELDS = new Set([
  'limit',
  'offset',
  'offset_token',
  'search_after_token',
  'filters',
  'order_by',
  'sort_by',
  'tag',
  'postback_url',
  'pingback_url',
  'postback_data',
]);

/** titleCase of schema-faker-values (the same result), without a regular expression for ASCII text. */
function fastTitleCase(s: string): string {
  if (!/^[\x20-\x7e]*$/.test(s)) return titleCase(s);
  let out = '';
  let start = true;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    out += start && ch !== ' ' ? ch.toUpperCase() : ch;
    start = ch === ' ';
  }
  return out;
}

/** slugify of schema-faker-values (the same result) for lowercase ASCII words; the general one otherwise. */
function fastSlug(s: string): string {
  if (!/^[a-z0-9 ]+$/.test(s)) return slugify(s);
  const slug = s
    .split(' ')
    .filter((w) => w !== '')
    .join('-');
  return slug || 'topic';
}

/** The render context: satisfies the SERP faker's Ctx; the topic (kw) follows the current item. */
export class CatCtx implements Ctx {
  readonly input: SerpRenderInput;
  rng: Rng;
  readonly seed: number;
  readonly lang: string;
  readonly cc: string;
  readonly nowMs: number;
  readonly year: number;
  readonly wikiHost: string;
  readonly lat: number;
  readonly lng: number;
  readonly city: string;
  readonly ticker: string;
  /** Subject facts by the subject's text as it appears (subjects.ts memoises by normalised text). */
  readonly kfCache = new Map<string, KeywordFacts>();
  readonly lfCache = new Map<string, LinkFacts>();
  readonly smCache = new Map<string, Map<string, SearchMetrics>>();
  readonly hostCache = new Map<string, string>();
  private topic: string;
  private cache: { Kw?: string; slug?: string; core?: string; plus?: string; wslug?: string } = {};

  constructor(
    readonly api: ApiCatalog,
    readonly endpoint: Endpoint,
    readonly req: Req,
    readonly datetime: string,
    /** An On-Page crawl's state, for its functions' results (crawl_progress, crawl_status, pages). */
    readonly crawl: CrawlState | null = null,
  ) {
    const p = req.params;
    const seedParams: Record<string, unknown> = {};
    for (const k of Object.keys(p)) if (!VIEW_FIELDS.has(k)) seedParams[k] = p[k];
    this.seed = hashString(`${endpoint.type ?? endpoint.path}|${endpoint.fn ?? ''}|${canonicalJson(seedParams)}`);
    this.rng = createRng(this.seed);
    this.lang = req.languageCode ?? 'en';
    this.cc = req.countryIso ?? '';
    this.nowMs = parseDatetime(datetime);
    this.year = new Date(this.nowMs).getUTCFullYear();
    this.wikiHost = `${this.lang}.wikipedia.org`;
    const geo = GEO[this.cc] ?? GEO.US!;
    const jitter = (hashString(String(req.locationCode ?? this.cc)) % 1000) / 10_000;
    this.lat = round(geo[0] + jitter, 4);
    this.lng = round(geo[1] - jitter, 4);
    this.city = `${geo[2]}, ${geo[3]}`;
    this.topic = req.topic;
    const letters = req.topic.toUpperCase().replace(/[^A-Z]/g, '');
    this.ticker = (letters.slice(0, 4) || 'GOOG').padEnd(3, 'X');
    this.input = {
      taskId: '00000000-0000-0000-0000-000000000000',
      se: req.engine === 'other' ? 'google' : req.engine,
      seType: endpoint.type?.split('/').pop() ?? 'organic',
      fn: 'advanced',
      keyword: req.keyword ?? req.keywords[0] ?? null,
      locationCode: req.locationCode,
      locationName: null,
      countryIso: req.countryIso,
      languageCode: req.languageCode,
      seDomain: typeof p.se_domain === 'string' ? p.se_domain : seDomainOf(endpoint.path, req.engine),
      device: typeof p.device === 'string' ? p.device : 'desktop',
      os: 'windows',
      depth: 10,
      datetime,
      params: p,
    };
  }

  get kw(): string {
    return this.topic;
  }
  /** Sets the topic the text of the following objects is about (an item's keyword or brand). */
  setTopic(kw: string): void {
    if (kw === this.topic) return;
    this.topic = kw;
    this.cache = {};
  }
  get Kw(): string {
    return (this.cache.Kw ??= fastTitleCase(this.topic));
  }
  get slug(): string {
    return (this.cache.slug ??= fastSlug(this.topic));
  }
  get core(): string {
    return (this.cache.core ??= coreOf(this.topic));
  }
  get plus(): string {
    return (this.cache.plus ??= encode(this.topic).replace(/%20/g, '+'));
  }
  get wslug(): string {
    return (this.cache.wslug ??= encodePath(titleCase(this.topic).replace(/ /g, '_')));
  }
}
