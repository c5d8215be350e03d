// Schema-driven synthetic SERPs for every SERP type without a hand-written renderer. The shape comes
// from the generated RESULT_SCHEMAS/NAMED_SCHEMAS (the vendor's OpenAPI structure); the values come
// from field-name heuristics and small word lists, seeded from the task parameters so the same task
// always renders the same SERP. Each schema key is compiled once into closures (cached), so a render
// only walks precomputed generator functions.

import { createRng, deriveSeed, hashString, type Rng } from './prng.js';
import type { SerpRenderInput } from './render-input.js';
import { NAMED_SCHEMAS, RESULT_SCHEMAS, type SchemaNode } from './schema-data.js';
import { MODIFIERS, NEWS_SECTIONS, USERNAMES, makeBlogDomain } from './vocab.js';

/* ------------------------------------------------------------------------ */
/* Render context                                                            */
/* ------------------------------------------------------------------------ */

interface Ctx {
  readonly input: SerpRenderInput;
  /** The generator of the current top-level item (re-seeded per item). */
  rng: Rng;
  /** keyword (or a topic standing in for it), Title Case, slug, query-string form. */
  readonly kw: string;
  readonly Kw: string;
  readonly slug: string;
  /** keyword without local-intent words, for business names and categories */
  readonly core: string;
  readonly plus: string;
  readonly lang: string;
  readonly cc: string;
  readonly nowMs: number;
  readonly year: number;
  readonly wikiHost: string;
  /** Wikipedia-style slug: Title_Case_With_Underscores */
  readonly wslug: string;
  readonly lat: number;
  readonly lng: number;
  readonly city: string;
  readonly ticker: string;
}

/** Per-object state shared by the fields of one object (coherent domain/url/title, ranks, tag). */
interface ObjState {
  readonly tag: string | null;
  readonly rankAbs: number;
  readonly rankGroup: number;
  /** top-level item of the result (depth 1) */
  readonly top: boolean;
  domain: string | null;
}

interface Rank {
  abs: number;
  group: number;
}

type Gen = (c: Ctx, d: number, st: ObjState) => unknown;
type ObjGen = (c: Ctx, d: number, rank: Rank | null, top: boolean) => Record<string, unknown> | null;

/** Nested objects deeper than this (result = 0, items = 1) are null. */
const MAX_DEPTH = 4;
const MAX_ITEMS = 700;

/* ------------------------------------------------------------------------ */
/* Word lists                                                                */
/* ------------------------------------------------------------------------ */

const SITES = [
  'wikipedia.org',
  'youtube.com',
  'reddit.com',
  'amazon.com',
  'nytimes.com',
  'theguardian.com',
  'bbc.com',
  'forbes.com',
  'medium.com',
  'quora.com',
  'britannica.com',
  'cnn.com',
  'imdb.com',
  'linkedin.com',
  'healthline.com',
  'investopedia.com',
  'nationalgeographic.com',
  'howstuffworks.com',
  'wired.com',
  'theverge.com',
  'ebay.com',
  'etsy.com',
  'tripadvisor.com',
  'yelp.com',
  'github.com',
  'stackoverflow.com',
  'nasa.gov',
  'harvard.edu',
];
const NEWS_SITES = [
  'nytimes.com',
  'theguardian.com',
  'bbc.com',
  'cnn.com',
  'reuters.com',
  'apnews.com',
  'washingtonpost.com',
  'bloomberg.com',
  'npr.org',
  'forbes.com',
  'usatoday.com',
  'wsj.com',
];
/** Constant host strings (their hashes are cached, which keeps siteName's memo lookups cheap). Index 0 is Wikipedia. */
const SITE_HOSTS: readonly string[] = SITES.map((s) => 'www.' + s);
const NEWS_HOSTS: readonly string[] = NEWS_SITES.map((s) => 'www.' + s);
const NEWS_NAMES: Record<string, string> = {
  'nytimes.com': 'The New York Times',
  'theguardian.com': 'The Guardian',
  'bbc.com': 'BBC',
  'cnn.com': 'CNN',
  'reuters.com': 'Reuters',
  'apnews.com': 'AP News',
  'washingtonpost.com': 'The Washington Post',
  'bloomberg.com': 'Bloomberg',
  'npr.org': 'NPR',
  'forbes.com': 'Forbes',
  'usatoday.com': 'USA Today',
  'wsj.com': 'The Wall Street Journal',
};
const TITLE_T: ReadonlyArray<(k: string, K: string, m: string, n: number) => string> = [
  (_k, K) => `${K} - Wikipedia`,
  (_k, K) => `${K}: Everything You Need to Know`,
  (_k, K, m) => `The Complete Guide to ${K} (${m})`,
  (k, K, _m, n) => `${n} Things You Didn't Know About ${K}`,
  (_k, K) => `What Is ${K}? Definition, History and Facts`,
  (_k, K, m) => `${K} | ${m[0]!.toUpperCase()}${m.slice(1)} Ideas and Inspiration`,
  (k) => `Best ${k} of ${2020 + (k.length % 5)} - Reviews and Buying Guide`,
  (_k, K) => `${K} News, Photos and Videos`,
  (k, K) => `${K} Explained: A Beginner's Guide to ${k}`,
  (_k, K, _m, n) => `Top ${n} ${K} Tips From Experts`,
];
const SENT_T: ReadonlyArray<(k: string, K: string, m: string) => string> = [
  (k, K) => `${K} is one of the most searched topics online, and this page explains what ${k} is and why it matters.`,
  (k) => `Learn everything about ${k}: history, key facts, practical tips and answers to common questions.`,
  (k, _K, m) => `Discover ${m} ${k} ideas, expert advice and the latest updates, all in one place.`,
  (k) => `Our editors researched ${k} in depth to bring you an accurate, up-to-date overview.`,
  (k, K) => `${K} explained in plain language, with examples, comparisons and a short FAQ about ${k}.`,
  (k, _K, m) => `Find ${m} resources about ${k}, including guides, reviews and community discussions.`,
  (k) => `Read the latest news and analysis about ${k} from trusted sources around the world.`,
];
const FIRST_NAMES = [
  'James',
  'Maria',
  'Chen',
  'Fatima',
  'Lucas',
  'Anna',
  'David',
  'Priya',
  'Tom',
  'Sofia',
  'Ahmed',
  'Emma',
  'Kenji',
  'Olga',
];
const LAST_NAMES = ['Smith', 'Garcia', 'Wang', 'Khan', 'Müller', 'Rossi', 'Johnson', 'Kowalski', 'Silva', 'Tanaka', 'Brown', 'Nguyen'];
const STREETS = ['Main St', 'Oak Ave', 'Park Rd', 'Market St', 'Broadway', 'Elm St', 'Maple Dr', 'Church St', 'High St', 'River Rd'];
const CATEGORIES = ['Store', 'Restaurant', 'Cafe', 'Service', 'Shop', 'Agency', 'Studio', 'Center', 'Clinic', 'Market'];
const TOPICS = ['music', 'travel', 'science', 'cooking', 'gaming', 'technology', 'history', 'fitness', 'art', 'nature'];
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B64 = ALNUM + '-_';
const DIGITS = '0123456789';

/** Rough coordinates per country (a major city) for latitude/longitude and addresses. */
const GEO: Record<string, [number, number, string, string]> = {
  US: [40.7128, -74.006, 'New York', 'NY'],
  GB: [51.5072, -0.1276, 'London', 'England'],
  DE: [52.52, 13.405, 'Berlin', 'BE'],
  FR: [48.8566, 2.3522, 'Paris', 'IDF'],
  ES: [40.4168, -3.7038, 'Madrid', 'MD'],
  IT: [41.9028, 12.4964, 'Rome', 'RM'],
  CA: [43.6532, -79.3832, 'Toronto', 'ON'],
  AU: [-33.8688, 151.2093, 'Sydney', 'NSW'],
  IN: [19.076, 72.8777, 'Mumbai', 'MH'],
  BR: [-23.5505, -46.6333, 'São Paulo', 'SP'],
  JP: [35.6762, 139.6503, 'Tokyo', 'Tokyo'],
  KR: [37.5665, 126.978, 'Seoul', 'Seoul'],
  CN: [39.9042, 116.4074, 'Beijing', 'BJ'],
  CZ: [50.0755, 14.4378, 'Prague', 'PR'],
  NL: [52.3676, 4.9041, 'Amsterdam', 'NH'],
  PL: [52.2297, 21.0122, 'Warsaw', 'MZ'],
  UA: [50.4501, 30.5234, 'Kyiv', 'KY'],
  MX: [19.4326, -99.1332, 'Mexico City', 'CDMX'],
};

/* ------------------------------------------------------------------------ */
/* Small helpers                                                             */
/* ------------------------------------------------------------------------ */

const pad2 = (n: number): string => (n < 10 ? '0' + n : String(n));

function fmtDatetime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} +00:00`;
}

function parseDatetime(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(s);
  if (!m) return Date.UTC(2025, 0, 1);
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

const titleCase = (s: string): string => s.replace(/(^|\s)(\S)/g, (_m, a: string, b: string) => a + b.toUpperCase());
const slugify = (s: string): string =>
  s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '') || 'topic';

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

function siteOf(c: Ctx, st: ObjState): string {
  if (st.domain !== null) return st.domain;
  const tag = st.tag ?? '';
  const r = c.rng;
  let dom: string;
  if (tag.startsWith('youtube') || tag.includes('video')) dom = 'www.youtube.com';
  else if (BUSINESS.test(tag)) dom = `www.${c.slug.replace(/-/g, '')}${r.pick(['nyc', 'shop', 'online', 'co', 'place', 'hq'])}.com`;
  else if (tag.includes('news') || tag === 'top_stories') dom = r.pick(NEWS_HOSTS);
  else if (r.chance(0.3)) dom = 'www.' + makeBlogDomain(r);
  else {
    const i = Math.floor(r.next() * SITE_HOSTS.length);
    dom = i === 0 ? c.wikiHost : SITE_HOSTS[i]!;
  }
  st.domain = dom;
  return dom;
}

const siteNames = new Map<string, string>();
/** "www.nytimes.com" -> "The New York Times", "www.cozyhomeblog.com" -> "Cozyhomeblog" (memoised). */
function siteName(host: string): string {
  let name = siteNames.get(host);
  if (name === undefined) {
    const d = host.startsWith('www.') ? host.slice(4) : host;
    const first = d.endsWith('wikipedia.org') ? 'wikipedia' : d.slice(0, d.indexOf('.') < 0 ? d.length : d.indexOf('.'));
    name = NEWS_NAMES[d] ?? first.charAt(0).toUpperCase() + first.slice(1);
    if (siteNames.size < 10_000) siteNames.set(host, name);
  }
  return name;
}

function pageUrl(c: Ctx, st: ObjState): string {
  const dom = siteOf(c, st);
  const r = c.rng;
  if (dom.endsWith('wikipedia.org')) return `https://${dom}/wiki/${c.wslug}`;
  if (dom === 'www.youtube.com')
    return `https://www.youtube.com/watch?v=${st.top && c.input.params.video_id !== undefined ? videoIdOf(c) : r.chars(11, B64)}`;
  if (dom === 'www.reddit.com')
    return `https://www.reddit.com/r/${r.pick(TOPICS)}/comments/${r.chars(6, 'abcdefghijklmnopqrstuvwxyz0123456789')}/${c.slug}/`;
  switch (r.int(0, 3)) {
    case 0:
      return `https://${dom}/${c.slug}`;
    case 1:
      return `https://${dom}/${r.pick(NEWS_SECTIONS)}/${c.slug}-${r.pick(MODIFIERS).replace(/ /g, '-')}`;
    case 2:
      return `https://${dom}/blog/${c.slug}/`;
    default:
      return `https://${dom}/${c.year}/${pad2(r.int(1, 12))}/${c.slug}.html`;
  }
}

function imageUrl(c: Ctx): string {
  const r = c.rng;
  switch (r.int(0, 2)) {
    case 0:
      return `https://encrypted-tbn0.gstatic.com/images?q=tbn:${r.chars(40, ALNUM)}&s`;
    case 1:
      return `https://i.ytimg.com/vi/${r.chars(11, B64)}/hqdefault.jpg`;
    default:
      return `https://images.${r.pick(['unsplash.com', 'pexels.com', 'pixabay.com'])}/${c.slug}-${r.hex(8)}.jpg`;
  }
}

function searchUrl(c: Ctx, q: string): string {
  const { se, seType } = c.input;
  const plus = encodeURIComponent(q).replace(/%20/g, '+');
  const host = hostOf(c.input.seDomain);
  const hl = `hl=${c.lang}` + (c.cc ? `&gl=${c.cc}` : '');
  switch (se) {
    case 'bing':
      return `https://${host}/search?q=${plus}&count=10&setlang=${c.lang}`;
    case 'yahoo':
      return `https://${host.replace(/^www\./, 'search.')}/search?p=${plus}&ei=UTF-8`;
    case 'baidu':
      return `https://${host}/s?wd=${plus}&rn=10`;
    case 'naver':
      return `https://search.naver.com/search.naver?query=${plus}&where=nexearch`;
    case 'seznam':
      return `https://search.seznam.cz/?q=${plus}`;
    case 'youtube':
      return seType === 'organic'
        ? `https://www.youtube.com/results?search_query=${plus}&hl=${c.lang}`
        : `https://www.youtube.com/watch?v=${videoIdOf(c)}&hl=${c.lang}`;
    default:
      break;
  }
  switch (seType) {
    case 'maps':
      return `https://${host}/maps/search/${plus}/@${c.lat},${c.lng},14z?${hl}`;
    case 'news':
      return `https://${host}/search?q=${plus}&tbm=nws&${hl}`;
    case 'images':
      return `https://${host}/search?q=${plus}&tbm=isch&${hl}`;
    case 'local_finder':
      return `https://${host}/search?q=${plus}&tbm=lcl&${hl}`;
    case 'jobs':
      return `https://${host}/search?q=${plus}&ibp=htl;jobs&${hl}`;
    case 'events':
      return `https://${host}/search?q=${plus}&ibp=htl;events&${hl}`;
    case 'ai_mode':
      return `https://${host}/search?q=${plus}&udm=50&${hl}`;
    case 'autocomplete':
      return `https://${host}/complete/search?q=${plus}&client=chrome-omni&${hl}`;
    case 'dataset_search':
    case 'dataset_info':
      return `https://datasetsearch.research.google.com/search?query=${plus}&hl=${c.lang}`;
    case 'ads_advertisers':
    case 'ads_search':
      return `https://adstransparency.google.com/?region=${c.cc || 'anywhere'}&q=${plus}`;
    case 'search_by_image':
      return `https://${host}/searchbyimage?image_url=${encodeURIComponent(String(c.input.params.image_url ?? ''))}&${hl}`;
    default:
      if (seType.startsWith('finance'))
        return `https://${host}/finance/${seType === 'finance_quote' ? `quote/${c.ticker}:NASDAQ` : `?q=${plus}`}&${hl}`;
      return `https://${host}/search?q=${plus}&num=${c.input.depth}&${hl}`;
  }
}

function hostOf(seDomain: string): string {
  const d = seDomain || 'google.com';
  return /^(www|search|m)\./.test(d) ? d : 'www.' + d;
}

function videoIdOf(c: Ctx): string {
  const v = c.input.params.video_id;
  return typeof v === 'string' && v !== '' ? v : 'dQw4w9WgXcQ';
}

function personName(r: Rng): string {
  return `${r.pick(FIRST_NAMES)} ${r.pick(LAST_NAMES)}`;
}

function pastMs(c: Ctx, maxDays: number): number {
  return c.nowMs - c.rng.int(1, maxDays * 24) * 3_600_000;
}

const BUSINESS = /^(maps_search|maps_paid_item|local_pack|hotels_pack|local_services|location_info|google_hotels)/;
const VIDEO = /^(youtube|video|short_videos|ai_overview_video)/;
const JOBS = /^(google_jobs_item|jobs)/;
const NEWS = /^(news_search|top_stories|google_finance_news)/;
const BIZ_SUFFIX = ['Co.', 'House', 'Express', 'Studio', '& Sons', 'Corner', 'Place', 'Central'];
const JOB_ROLES = ['Specialist', 'Manager', 'Assistant', 'Associate', 'Technician', 'Coordinator', 'Consultant'];
const EMPLOYER_SUFFIX = ['Group', 'Inc.', '& Co.', 'Partners', 'Labs', 'Holdings', 'Solutions'];
const VIDEO_T: ReadonlyArray<(k: string, K: string) => string> = [
  (_k, K) => `${K} (Official Video)`,
  (k) => `How to ${k} - Complete Tutorial`,
  (k) => `I tried ${k} for 30 days`,
  (_k, K) => `${K} Explained in 10 Minutes`,
  (_k, K) => `${K} | Full Documentary`,
  (k) => `Top 10 ${k} moments`,
];
const NEWS_T: ReadonlyArray<(k: string, K: string) => string> = [
  (_k, K) => `${K}: what we know so far`,
  (k) => `Why ${k} is making headlines this week`,
  (_k, K) => `${K} sparks debate among experts`,
  (k) => `The latest on ${k}, explained`,
  (_k, K) => `${K} news: live updates`,
];

/** The keyword without local-intent words ("pizza near me" -> "pizza"). */
function coreOf(kw: string): string {
  const core = kw
    .replace(/\b(near me|nearby|best|cheap|top|open now|in [a-z ]+$)\b/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return core || kw;
}

function title(c: Ctx, tag: string | null = null): string {
  const r = c.rng;
  if (tag !== null) {
    if (BUSINESS.test(tag)) return `${r.pick(FIRST_NAMES)}'s ${titleCase(c.core)}${r.chance(0.5) ? ' ' + r.pick(BIZ_SUFFIX) : ''}`;
    if (VIDEO.test(tag)) return r.pick(VIDEO_T)(c.kw, c.Kw);
    if (JOBS.test(tag)) return `${titleCase(c.core)} ${r.pick(JOB_ROLES)}`;
    if (NEWS.test(tag)) return r.pick(NEWS_T)(c.kw, c.Kw);
  }
  return r.pick(TITLE_T)(c.kw, c.Kw, r.pick(MODIFIERS), r.int(5, 25));
}

function sentence(c: Ctx): string {
  const r = c.rng;
  return r.pick(SENT_T)(c.kw, c.Kw, r.pick(MODIFIERS));
}

function phrase(c: Ctx): string {
  const r = c.rng;
  return r.chance(0.5) ? `${c.kw} ${r.pick(MODIFIERS)}` : `${r.pick(MODIFIERS)} ${c.kw}`;
}

function xpath(c: Ctx, st: ObjState): string {
  const i = st.rankAbs > 0 ? st.rankAbs : c.rng.int(1, 12);
  return `/html[1]/body[1]/div[${c.rng.int(2, 4)}]/div[1]/div[${c.rng.int(8, 12)}]/div[1]/div[1]/div[${i}]/div[1]`;
}

/* ------------------------------------------------------------------------ */
/* Field heuristics                                                          */
/* ------------------------------------------------------------------------ */

const URL_IMAGE = /(^|_)(image|thumbnail|logo|photo|avatar|icon)(_|$)|^main_image$|^author_thumbnail$|^channel_logo$/;

function stringGen(key: string): Gen {
  switch (key) {
    case 'keyword':
      return (c) => c.input.keyword ?? null;
    case 'se_domain':
      return (c) => c.input.seDomain;
    case 'language_code':
      return (c) => c.input.languageCode;
    case 'language':
      return (c) => c.lang;
    case 'country_code':
      return (c) => c.cc || null;
    case 'check_url':
      return (c) => searchUrl(c, c.kw);
    case 'datetime':
    case 'date':
      return (c) => c.input.datetime;
    case 'domain':
      return (c, _d, st) => siteOf(c, st);
    case 'url':
    case 'source_url':
    case 'link':
    case 'employer_url':
    case 'contact_url':
    case 'book_online_url':
    case 'website':
    case 'ad_url':
    case 'marketplace_url':
    case 'description_source_url':
      return (c, _d, st) => pageUrl(c, st);
    case 'cache_url':
      return (c, _d, st) => `https://webcache.googleusercontent.com/search?q=cache:${c.rng.chars(12, ALNUM)}:${pageUrl(c, st)}`;
    case 'related_search_url':
      return (c) => (c.rng.chance(0.2) ? searchUrl(c, phrase(c)) : null);
    case 'search_query_url':
    case 'scholarly_articles_url':
    case 'encoded_url':
      return (c) => searchUrl(c, phrase(c));
    case 'channel_url':
      return (c) => `https://www.youtube.com/@${slugify(c.Kw).replace(/-/g, '')}${c.rng.int(1, 99)}`;
    case 'author_url':
      return (c) => `https://www.youtube.com/@${c.rng.pick(USERNAMES).replace(/[^a-z0-9]/gi, '')}`;
    case 'contributor_url':
      return (c) => `https://www.google.com/maps/contrib/${c.rng.chars(21, DIGITS)}`;
    case 'preview_url':
      return (c) => `https://tpc.googlesyndication.com/archive/simgad/${c.rng.chars(20, DIGITS)}`;
    case 'breadcrumb':
      return (c, _d, st) => `https://${siteOf(c, st)} › ${c.slug}`;
    case 'title':
    case 'featured_title':
    case 'original_title':
    case 'sub_title':
    case 'subtitle':
    case 'seed_question':
    case 'question_text':
      return (c, _d, st) => (key === 'seed_question' || key === 'question_text' ? `What is ${c.kw}?` : title(c, st.tag));
    case 'pre_snippet':
    case 'extended_snippet':
      return (c) => (c.rng.chance(0.1) ? sentence(c) : null);
    case 'description':
    case 'snippet':
    case 'text':
    case 'answer_text':
    case 'markdown':
    case 'tweet':
    case 'preview':
      return (c) => sentence(c);
    case 'website_name':
    case 'source':
    case 'source_name':
    case 'marketplace':
    case 'seller':
      return (c, _d, st) => siteName(siteOf(c, st));
    case 'employer_name':
      return (c) => `${c.rng.pick(LAST_NAMES)} ${c.rng.pick(EMPLOYER_SUFFIX)}`;
    case 'author':
    case 'author_name':
    case 'ceo':
      return (c) => personName(c.rng);
    case 'channel_name':
    case 'name':
    case 'displayed_name':
      return (c) => `${c.Kw} ${c.rng.pick(['Channel', 'Official', 'Hub', 'TV', 'Daily', 'Studio'])}`;
    case 'position':
      return (_c, _d, st) => (st.tag === 'knowledge_graph' ? 'right' : 'left');
    case 'xpath':
      return (c, _d, st) => xpath(c, st);
    case 'timestamp':
    case 'publication_date':
    case 'updated_date':
    case 'first_shown':
    case 'last_shown':
    case 'start_datetime':
    case 'time_published':
    case 'date_from':
    case 'start_date':
      return (c) => fmtDatetime(pastMs(c, 400));
    case 'end_datetime':
    case 'date_to':
    case 'end_date':
    case 'expiration_timestamp':
      return (c) => fmtDatetime(c.nowMs + c.rng.int(1, 60 * 24) * 3_600_000);
    case 'time_ago':
    case 'job_posted_time':
    case 'displayed_date':
      return (c) => `${c.rng.int(1, 29)} days ago`;
    case 'displayed_dates':
      return (c) => `${new Date(c.nowMs + c.rng.int(1, 60) * 86_400_000).toUTCString().slice(0, 11)}`;
    case 'phone':
      return (c) => `+1 ${c.rng.int(201, 989)}-${c.rng.int(200, 999)}-${c.rng.chars(4, DIGITS)}`;
    case 'address':
      return (c) => `${c.rng.int(1, 999)} ${c.rng.pick(STREETS)}, ${c.city}`;
    case 'city':
    case 'location':
      return (c) => c.city;
    case 'region':
      return (c) => c.input.locationName ?? c.city;
    case 'zip':
      return (c) => c.rng.chars(5, DIGITS);
    case 'borough':
      return () => null;
    case 'cid':
      return (c) => String(c.rng.int(1, 9)) + c.rng.chars(18, DIGITS);
    case 'place_id':
      return (c) => 'ChIJ' + c.rng.chars(23, B64);
    case 'feature_id':
      return (c) => `0x${c.rng.hex(16)}:0x${c.rng.hex(16)}`;
    case 'video_id':
      return (c, _d, st) => (st.top && c.input.params.video_id !== undefined ? videoIdOf(c) : c.rng.chars(11, B64));
    case 'channel_id':
      return (c) => 'UC' + c.rng.chars(22, B64);
    case 'playlist_id':
      return (c) => 'PL' + c.rng.chars(32, B64);
    case 'dataset_id':
      return (c, _d, st) =>
        st.top && typeof c.input.params.dataset_id === 'string' ? c.input.params.dataset_id : c.rng.chars(20, ALNUM) + '==';
    case 'advertiser_id':
      return (c) => 'AR' + c.rng.chars(20, DIGITS);
    case 'creative_id':
      return (c) => 'CR' + c.rng.chars(20, DIGITS);
    case 'job_id':
      return (c) => c.rng.chars(40, B64) + '==';
    case 'currency':
    case 'price_currency':
    case 'converted_currency':
    case 'metrics_currency':
      return () => 'USD';
    case 'displayed_price':
      return (c) => `$${c.rng.int(5, 300)}.${pad2(c.rng.int(0, 99))}`;
    case 'price_level':
      return (c) => '$'.repeat(c.rng.int(1, 3));
    case 'ticker':
    case 'symbol':
    case 'base_symbol':
    case 'quote_symbol':
      return (c) => c.ticker;
    case 'base_display_name':
    case 'quote_display_name':
      return (c) => `${c.Kw} Inc`;
    case 'primary_exchange':
    case 'market':
    case 'market_identifier':
      return () => 'NASDAQ';
    case 'trend':
      return (c) => (c.rng.chance(0.5) ? 'up' : 'down');
    case 'rating_type':
      return () => 'Max5';
    case 'duration_time':
      return (c) => `${c.rng.int(1, 25)}:${pad2(c.rng.int(0, 59))}`;
    case 'time_to_play':
      return (c) => `${c.rng.int(10, 90)} min`;
    case 'salary':
      return (c) => `$${c.rng.int(40, 90)}K–$${c.rng.int(91, 160)}K a year`;
    case 'contract_type':
      return (c) => c.rng.pick(['Full-time', 'Part-time', 'Contractor']);
    case 'category':
      return (c, _d, st) =>
        st.tag !== null && BUSINESS.test(st.tag) ? `${titleCase(c.core)} ${c.rng.pick(CATEGORIES)}` : titleCase(c.rng.pick(TOPICS));
    case 'current_status':
      return () => 'open';
    case 'format':
      return (c) => c.rng.pick(['text', 'image', 'video']);
    case 'label':
      return (c) => c.rng.pick(['360p', '720p', '1080p']);
    case 'mime_type':
      return () => 'video/mp4; codecs="avc1.4d401f"';
    case 'suggestion_type':
      return () => null;
    case 'suggestion':
      return (c) => phrase(c);
    case 'data_attrid':
      return () => null;
    case 'translate_language':
    case 'origin_language':
      return (c) => c.lang;
    case 'table_element':
      return () => 'table_element';
    case 'identifier':
    case 'hotel_identifier':
    case 'card_id':
    case 'posts_id':
    case 'product_id':
    case 'unique_identifier':
      return (c) => c.rng.chars(16, ALNUM);
    case 'founded':
      return (c) => String(c.rng.int(1950, 2015));
    case 'headquarters':
      return (c) => `${c.city}`;
    default:
      if (URL_IMAGE.test(key)) {
        return (c, _d, st) =>
          st.top && st.tag === 'youtube_video_info' && key === 'thumbnail_url'
            ? `https://i.ytimg.com/vi/${videoIdOf(c)}/hqdefault.jpg`
            : imageUrl(c);
      }
      if (key.endsWith('_url')) return (c, _d, st) => pageUrl(c, st);
      if (key.endsWith('_id')) return (c) => c.rng.chars(16, ALNUM);
      if (key.endsWith('_date') || key.endsWith('_time')) return (c) => fmtDatetime(pastMs(c, 200));
      return (c) => phrase(c);
  }
}

function integerGen(key: string): Gen {
  switch (key) {
    case 'rank_group':
      return (c, _d, st) => (st.rankGroup > 0 ? st.rankGroup : c.rng.int(1, 10));
    case 'rank_absolute':
      return (c, _d, st) => (st.rankAbs > 0 ? st.rankAbs : c.rng.int(1, 10));
    case 'page':
    case 'pages_count':
    case 'block_rank':
      return () => 1;
    case 'location_code':
      return (c) => c.input.locationCode;
    case 'se_results_count':
      return (c) => c.rng.int(1_000_000, 2_000_000_000);
    case 'views_count':
      return (c) => c.rng.int(1_000, 50_000_000);
    case 'likes_count':
      return (c) => c.rng.int(10, 500_000);
    case 'comments_count':
    case 'reviews_count':
    case 'votes_count':
    case 'total_photos':
    case 'scholarly_citations_count':
      return (c) => c.rng.int(0, 5_000);
    case 'approx_ads_count':
      return (c) => c.rng.int(1, 2_000);
    case 'employees':
      return (c) => c.rng.int(50, 200_000);
    case 'relevance':
      return (c) => c.rng.int(550, 1_300);
    case 'rating_max':
      return () => 5;
    case 'width':
      return (c) => c.rng.pick([640, 800, 1024, 1280, 1920]);
    case 'height':
      return (c) => c.rng.pick([360, 480, 576, 720, 1080]);
    case 'hour':
      return (c) => c.rng.int(6, 22);
    case 'minute':
      return (c) => c.rng.pick([0, 15, 30, 45]);
    case 'fps':
      return () => 30;
    case 'bitrate':
      return (c) => c.rng.int(200_000, 5_000_000);
    case 'duration_time_seconds':
      return (c) => c.rng.int(30, 3_600);
    case 'size':
      return (c) => c.rng.int(1_000, 50_000_000);
    default:
      return (c) => c.rng.int(0, 20);
  }
}

const MONEY =
  /(revenue|expense|income|ebitda|cash|assets|liabilities|equity|market_cap|net_assets|volume|shares_outstanding|open_interest)/;

function numberGen(key: string): Gen {
  switch (key) {
    case 'latitude':
      return (c) => round(c.lat + (c.rng.next() - 0.5) * 0.1, 7);
    case 'longitude':
      return (c) => round(c.lng + (c.rng.next() - 0.5) * 0.1, 7);
    case 'value':
      return (c) => round(1 + c.rng.next() * 4, 1);
    case 'hotel_rating':
      return (c, _d, st) => (st.tag !== null && st.tag.includes('hotel') ? c.rng.int(2, 5) : null);
    case 'price':
    case 'current':
    case 'regular':
    case 'max_value':
    case 'previous_close':
    case 'index_value':
    case 'settlement_price':
    case 'converted_value':
      return (c) => round(5 + c.rng.next() * 400, 2);
    case 'percentage_delta':
    case 'ytd_return':
    case 'dividend_yield':
    case 'expense_ratio':
    case 'yield':
    case 'effective_tax_rate':
    case 'return_on_assets':
    case 'return_on_capital':
      return (c) => round((c.rng.next() - 0.4) * 10, 2);
    case 'duration_time':
      return (c) => round(1 + c.rng.next() * 5, 2);
    case 'start_time':
      return (c, _d, st) => round(Math.max(0, st.rankAbs - 1) * 4.2, 2);
    case 'end_time':
      return (c, _d, st) => round(Math.max(1, st.rankAbs) * 4.2, 2);
    case 'x':
    case 'y':
    case 'width':
    case 'height':
      return (c) => c.rng.int(0, 1200);
    default:
      if (MONEY.test(key)) return (c) => c.rng.int(1, 900) * 1_000_000;
      return (c) => round(c.rng.next() * 100, 2);
  }
}

function booleanGen(key: string): Gen {
  switch (key) {
    case 'is_embeddable':
    case 'is_translatable':
      return () => true;
    case 'verified':
    case 'is_verified':
    case 'is_claimed':
      return (c) => c.rng.chance(0.6);
    default:
      return () => false;
  }
}

function stringArrayGen(key: string): Gen {
  switch (key) {
    case 'highlighted':
      return (c) => [c.kw];
    case 'item_types':
      return () => null; // filled by the result generator
    case 'table_header':
      return (c) => [c.Kw, 'Details'];
    case 'category_ids':
    case 'additional_categories':
      return (c) => {
        const base = c.core.toLowerCase().replace(/[^a-z0-9]+/g, '_');
        const picks = c.rng.sample(CATEGORIES, c.rng.int(1, 2)).map((x) => x.toLowerCase());
        return key === 'category_ids' ? picks.map((x) => `${base}_${x}`) : picks.map((x) => `${titleCase(c.core)} ${x}`);
      };
    default:
      return (c, d) => {
        if (d > MAX_DEPTH + 1) return null;
        const n = c.rng.int(1, 4);
        const out: string[] = [];
        for (let i = 0; i < n; i++) out.push(phrase(c));
        return out;
      };
  }
}

/* ------------------------------------------------------------------------ */
/* Compilation                                                               */
/* ------------------------------------------------------------------------ */

/** schema name -> discriminator tag, from every union mapping (first union wins). */
const TAG_OF = new Map<string, string>();
for (const node of Object.values(NAMED_SCHEMAS)) {
  if (node.t !== 'union') continue;
  for (const [tag, name] of Object.entries(node.m)) if (!TAG_OF.has(name)) TAG_OF.set(name, tag);
}

/** `type` values of item schemas that are not union members (the vendor's element names). */
const NAME_TAGS: Record<string, string> = {
  AiModeAiOverviewInfo: 'ai_overview',
  GoogleJobsItem: 'google_jobs_item',
  EventItem: 'event_item',
  Autocomplete: 'autocomplete',
  Dataset: 'dataset',
  YoutubeComment: 'youtube_comment',
  YoutubeVideoInfo: 'youtube_video_info',
  YoutubeSubtitles: 'youtube_subtitles',
  AdsSearch: 'ads_search',
};

function tagForName(name: string): string {
  const t = TAG_OF.get(name) ?? NAME_TAGS[name];
  if (t) return t;
  const base = name
    .replace(/^(Base)?(SerpApi|Serp)?(AiMode|Bing)?/, '')
    .replace(/(ElementItem|Info|Item)$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
  return base || 'element';
}

const namedCache = new Map<string, ObjGen>();

function named(name: string, tag: string | null): ObjGen {
  const key = tag === null ? name : `${name}|${tag}`;
  let g = namedCache.get(key);
  if (g) return g;
  const node = NAMED_SCHEMAS[name];
  if (!node) throw new Error(`schema-faker: unknown named schema ${name}`);
  if (node.t === 'object') g = compileObject(node.p, tag ?? tagForName(name), name);
  else if (node.t === 'union') g = compileUnionSingle(node.m);
  else {
    const inner = compileValue('', node);
    g = (c, d) => inner(c, d, emptyState(null)) as Record<string, unknown> | null;
  }
  namedCache.set(key, g);
  return g;
}

/** A lazily-resolved reference (schemas are recursive). */
function lazyNamed(name: string): ObjGen {
  let g: ObjGen | null = null;
  return (c, d, rank, top) => (g ??= named(name, null))(c, d, rank, top);
}

function emptyState(tag: string | null): ObjState {
  return { tag, rankAbs: 0, rankGroup: 0, top: false, domain: null };
}

function compileObject(props: Readonly<Record<string, SchemaNode>>, tag: string, schemaName: string): ObjGen {
  const keys = Object.keys(props);
  const gens: Gen[] = keys.map((k) => {
    if (k === 'type' && props[k]!.t === 'string') return () => tag;
    return compileValue(k, props[k]!, schemaName);
  });
  const n = keys.length;
  const build = objectBuilder(keys);
  return (c, d, rank, top) => {
    if (d > MAX_DEPTH) return null;
    const st: ObjState = { tag, rankAbs: rank ? rank.abs : 0, rankGroup: rank ? rank.group : 0, top, domain: null };
    return build(gens, c, d + 1, st);
  };
}

type Builder = (gens: readonly Gen[], c: Ctx, d: number, st: ObjState) => Record<string, unknown>;

/**
 * A function returning an object literal with the schema's keys in order, each value produced by
 * gens[i]. An object literal gets one fixed hidden class, several times faster than adding keys to
 * `{}` one by one. Keys come from the generated schema data and are JSON-quoted, so this is safe.
 */
function objectBuilder(keys: readonly string[]): Builder {
  const body = `return {${keys.map((k, i) => `${JSON.stringify(k)}: g[${i}](c, d, st)`).join(', ')}};`;
  return new Function('g', 'c', 'd', 'st', body) as Builder;
}

function compileUnionSingle(m: Readonly<Record<string, string>>): ObjGen {
  const tags = Object.keys(m);
  const gens = tags.map((t) => {
    let g: ObjGen | null = null;
    return (c: Ctx, d: number, rank: Rank | null, top: boolean) => (g ??= named(m[t]!, t))(c, d, rank, top);
  });
  return (c, d, rank, top) => gens[Math.floor(c.rng.next() * gens.length)]!(c, d, rank, top);
}

/** Generator for one object-valued field (ref/union/object), null-or-present by probability. */
function compileValue(key: string, node: SchemaNode, owner = ''): Gen {
  switch (node.t) {
    case 'string':
      return stringGen(key);
    case 'integer':
      return integerGen(key);
    case 'number':
      return numberGen(key);
    case 'boolean':
      return booleanGen(key);
    case 'any':
      return () => null;
    case 'map':
      return compileMap(key, node.v);
    case 'array':
      return compileArray(key, node.i, owner);
    case 'object': {
      const g = compileObject(node.p, key, owner + '.' + key);
      return optionalObj(key, g);
    }
    case 'ref': {
      if (key === 'rectangle' || key === 'spell' || key === 'refinement_chips') return () => null;
      return optionalObj(key, lazyNamed(node.n));
    }
    case 'union': {
      const g = compileUnionSingle(node.m);
      return optionalObj(key, g);
    }
  }
}

/** Nested objects that always accompany their parent (the parent is meaningless without them). */
const ALWAYS_OBJ = new Set(['quote', 'address_info', 'open', 'close', 'event_dates', 'location_info', 'work_hours']);
/** rating/price are present on these item kinds and rare elsewhere. */
const RATED = /maps|local|hotel|shopping|product|app|review|popular|recipe|course|place|sights|event|youtube_video_info/;

/** Probability that an optional nested object/array is present: sparse on items, richer deeper down. */
function presence(key: string, d: number, st: ObjState): number {
  if (ALWAYS_OBJ.has(key)) return 1;
  if (key === 'rating' || key === 'price' || key === 'rating_distribution') return st.tag !== null && RATED.test(st.tag) ? 1 : 0.1;
  return d <= 2 ? 0.12 : 0.3;
}

function optionalObj(key: string, g: ObjGen): Gen {
  return (c, d, st) => {
    if (d > MAX_DEPTH) return null;
    const p = presence(key, d, st);
    if (p < 1 && !c.rng.chance(p)) return null;
    return g(c, d, null, false);
  };
}

function compileMap(key: string, v: SchemaNode): Gen {
  if (key === 'rating_distribution') {
    return (c, d, st) => {
      if (!c.rng.chance(presence(key, d, st))) return null;
      const out: Record<string, number> = {};
      for (let s = 1; s <= 5; s++) out[String(s)] = c.rng.int(0, 400) * s;
      return out;
    };
  }
  if (key === 'timetable' && v.t === 'array' && v.i.t === 'ref' && v.i.n === 'WorkDayInfo') {
    // Opening hours: one interval per day, opening before closing.
    return (c, d) => {
      if (d > MAX_DEPTH) return null;
      const open = c.rng.int(6, 11);
      const close = c.rng.int(17, 23);
      const out: Record<string, unknown> = {};
      for (const day of WEEKDAYS) {
        out[day] =
          day === 'sunday' && c.rng.chance(0.3)
            ? null
            : [{ open: { hour: open, minute: 0 }, close: { hour: close, minute: c.rng.pick([0, 30]) } }];
      }
      return out;
    };
  }
  if (key === 'timetable') {
    const inner = compileArray('', v.t === 'array' ? v.i : v, '');
    return (c, d, st) => {
      if (d > MAX_DEPTH) return null;
      const out: Record<string, unknown> = {};
      for (const day of WEEKDAYS) out[day] = inner(c, d, st);
      return out;
    };
  }
  const g = compileValue(key, v);
  return (c, d, st) => {
    if (d > MAX_DEPTH || !c.rng.chance(presence(key, d, st))) return null;
    return { [c.rng.pick(MODIFIERS)]: g(c, d + 1, st) };
  };
}

/** Arrays of objects (union or named/inline) get their own rank counters; arrays of scalars are small. */
function compileArray(key: string, item: SchemaNode, owner: string): Gen {
  if (item.t === 'string') return stringArrayGen(key);
  if (item.t === 'integer' || item.t === 'number' || item.t === 'boolean') {
    const g = compileValue(key, item);
    return (c, d, st) => {
      if (d > MAX_DEPTH + 1) return null;
      const n = c.rng.int(1, 4);
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) out.push(g(c, d, st));
      return out;
    };
  }
  if (item.t === 'array') {
    const g = compileArray(key, item.i, owner);
    return (c, d, st) => {
      if (d > MAX_DEPTH) return null;
      const n = c.rng.int(1, 3);
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) out.push(g(c, d + 1, st));
      return out;
    };
  }
  if (item.t === 'any' || item.t === 'map') return () => null;

  let pickTag: ((c: Ctx) => string) | null = null;
  let memberGen: (tag: string) => ObjGen;
  if (item.t === 'ref' && NAMED_SCHEMAS[item.n]?.t === 'union') {
    const m = (NAMED_SCHEMAS[item.n] as { m: Readonly<Record<string, string>> }).m;
    const tags = Object.keys(m);
    const gens = new Map<string, ObjGen>();
    memberGen = (t) => {
      let g = gens.get(t);
      if (!g) gens.set(t, (g = named(m[t]!, t)));
      return g;
    };
    pickTag = (c) => tags[Math.floor(c.rng.next() * tags.length)]!;
  } else if (item.t === 'ref') {
    const tag = tagForName(item.n);
    const g = lazyNamed(item.n);
    memberGen = () => g;
    pickTag = () => tag;
  } else {
    const inline = compileObject((item as { p: Readonly<Record<string, SchemaNode>> }).p, key.replace(/s$/, '') + '_element', owner);
    memberGen = () => inline;
    pickTag = () => key;
  }
  // "items" of a SERP feature are its content: always present when the depth budget allows.
  const always = key === 'items' || key === 'timetable' || key === '' || key === 'quotes' || key === 'subtitles';
  return (c, d, st) => {
    if (d > MAX_DEPTH) return null;
    if (!always && !c.rng.chance(presence(key, d, st))) return null;
    const n = c.rng.int(1, d <= 2 ? 4 : 3);
    const out: unknown[] = [];
    const groups = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const tag = pickTag!(c);
      const g = (groups.get(tag) ?? 0) + 1;
      groups.set(tag, g);
      out.push(memberGen(tag)(c, d, { abs: i + 1, group: g }, false));
    }
    return out;
  };
}

/* ------------------------------------------------------------------------ */
/* Result level                                                              */
/* ------------------------------------------------------------------------ */

/** Item plan per "se/seType": the main item type (≈ depth items) and a few sprinkled extras. */
interface Plan {
  readonly main: string;
  readonly extras: readonly string[];
  /** fixed count instead of depth */
  readonly count?: number;
  /** fixed sequence instead of main + extras */
  readonly fixed?: readonly string[];
}

const ORGANIC_EXTRAS = [
  'people_also_ask',
  'related_searches',
  'top_stories',
  'video',
  'images',
  'knowledge_graph',
  'featured_snippet',
  'paid',
  'local_pack',
  'people_also_search',
];
const PLANS: Record<string, Plan> = {
  'google/organic': { main: 'organic', extras: ORGANIC_EXTRAS },
  'bing/organic': { main: 'organic', extras: ['paid', 'related_searches', 'people_also_ask', 'video', 'images', 'top_stories'] },
  'yahoo/organic': { main: 'organic', extras: ['related_searches', 'paid', 'images', 'video', 'people_also_ask'] },
  'baidu/organic': { main: 'organic', extras: ['related_searches', 'images', 'video'] },
  'naver/organic': { main: 'organic', extras: ['related_searches', 'images', 'video'] },
  'seznam/organic': { main: 'organic', extras: ['related_searches', 'images', 'video'] },
  'google/maps': { main: 'maps_search', extras: ['maps_paid_item'] },
  'google/news': { main: 'news_search', extras: ['top_stories'] },
  'google/images': { main: 'images_search', extras: ['carousel', 'related_searches'] },
  'google/search_by_image': { main: 'organic', extras: ['images'] },
  'google/ads_advertisers': { main: 'ads_advertiser', extras: ['ads_domain', 'ads_multi_account_advertiser'] },
  'youtube/organic': { main: 'youtube_video', extras: ['youtube_channel', 'youtube_playlist', 'youtube_video_paid'] },
  'google/finance_explore': {
    main: 'google_finance_explore_market_trends',
    extras: [],
    fixed: [
      'google_finance_hero_groups',
      'google_finance_interested',
      'google_finance_explore_market_trends',
      'google_finance_news',
      'google_finance_earnings_calendar',
      'google_finance_most_followed',
      'google_finance_people_also_search',
    ],
  },
  'google/finance_markets': {
    main: 'google_finance_market_trends',
    extras: [],
    fixed: [
      'google_finance_hero_groups',
      'google_finance_market_trends',
      'google_finance_news',
      'google_finance_most_followed',
      'google_finance_interested',
      'google_finance_people_also_search',
    ],
  },
  'google/finance_quote': {
    main: 'google_finance_quote',
    extras: [],
    fixed: [
      'google_finance_quote',
      'google_finance_compare_to',
      'google_finance_news',
      'google_finance_financial',
      'google_finance_details',
      'google_finance_about',
      'google_finance_people_also_search',
    ],
  },
  'google/finance_ticker_search': {
    main: 'google_finance_market_instrument',
    extras: ['google_finance_asset_pair', 'google_finance_market_index'],
  },
  'google/ai_mode': { main: 'ai_overview', extras: [], count: 1 },
  'youtube/video_info': { main: 'youtube_video_info', extras: [], count: 1 },
  'google/dataset_info': { main: 'dataset', extras: [], count: 1 },
};

interface CompiledResult {
  readonly gen: (input: SerpRenderInput) => Record<string, unknown>;
  readonly main: string | null;
}

const resultCache = new Map<string, CompiledResult | null>();

/** The main item type chosen for a schema key (null for html or item-less results). For reports/tests. */
export function mainItemType(key: string): string | null {
  return compileResult(key)?.main ?? null;
}

function compileResult(key: string): CompiledResult | null {
  if (resultCache.has(key)) return resultCache.get(key)!;
  const node = RESULT_SCHEMAS[key];
  let out: CompiledResult | null = null;
  if (node) {
    const obj = node.t === 'ref' ? NAMED_SCHEMAS[node.n] : node;
    if (!obj || obj.t !== 'object') throw new Error(`schema-faker: result schema ${key} is not an object`);
    out = buildResult(key, obj.p);
  }
  resultCache.set(key, out);
  return out;
}

function buildResult(key: string, props: Readonly<Record<string, SchemaNode>>): CompiledResult {
  const [se, seType, fn] = key.split('/') as [string, string, string];
  const keys = Object.keys(props);
  const itemsNode = props.items;
  const itemsGen = fn === 'html' ? null : itemsNode?.t === 'array' ? compileTopItems(`${se}/${seType}`, itemsNode.i) : null;
  const gens: Array<Gen | null> = keys.map((k) => {
    if (k === 'items' || k === 'items_count' || k === 'item_types') return null;
    if (k === 'type') return () => seType;
    if (k === 'spell' || k === 'refinement_chips') return () => null;
    if (k === 'image_url') return (c) => (typeof c.input.params.image_url === 'string' ? c.input.params.image_url : imageUrl(c));
    if (k === 'video_id') return (c) => videoIdOf(c);
    if (k === 'title') return (c) => title(c);
    if (k === 'includes_non_news_search_results' || k === 'unsupported_language') return () => false;
    if (k === 'category') return (c) => titleCase(c.rng.pick(TOPICS));
    return compileValue(k, props[k]!, key);
  });
  const gen = (input: SerpRenderInput): Record<string, unknown> => {
    const c = makeCtx(input);
    const baseRng = c.rng;
    const top: ObjState = emptyState(null);
    const o: Record<string, unknown> = {};
    let items: Array<Record<string, unknown> | null> | null = null;
    if (fn === 'html') items = [{ page: 1, date: input.datetime, html: renderHtml(c) }];
    else if (itemsGen) items = itemsGen(c);
    c.rng = baseRng;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const g = gens[i];
      if (g) {
        o[k] = g(c, 1, top);
      } else if (k === 'items') o[k] = items;
      else if (k === 'items_count') o[k] = items ? items.length : 0;
      else if (k === 'item_types') {
        const seen: string[] = [];
        for (const it of items ?? []) {
          const t = it?.type;
          if (typeof t === 'string' && !seen.includes(t)) seen.push(t);
        }
        o[k] = seen;
      }
    }
    if ('comments_count' in o && items) o.comments_count = Math.max(items.length, (o.comments_count as number) * 50);
    if ('subtitles_count' in o && items) o.subtitles_count = items.length;
    return o;
  };
  const plan = PLANS[`${se}/${seType}`];
  let main: string | null = null;
  if (fn !== 'html' && itemsNode?.t === 'array') {
    const i = itemsNode.i;
    main = i.t === 'ref' && NAMED_SCHEMAS[i.n]?.t !== 'union' ? tagForName(i.n) : (plan?.main ?? null);
  }
  return { gen, main };
}

function compileTopItems(seKey: string, item: SchemaNode): (c: Ctx) => Array<Record<string, unknown> | null> {
  const plan = PLANS[seKey];
  const isUnion = item.t === 'ref' && NAMED_SCHEMAS[item.n]?.t === 'union';
  let genFor: (tag: string) => ObjGen;
  let main: string;
  let extras: string[] = [];
  let fixed: readonly string[] | null = null;
  if (isUnion) {
    const m = (NAMED_SCHEMAS[(item as { n: string }).n] as { m: Readonly<Record<string, string>> }).m;
    const tags = Object.keys(m);
    main = plan && m[plan.main] ? plan.main : tags[0]!;
    extras = (plan?.extras ?? tags.filter((t) => t !== main).slice(0, 6)).filter((t) => m[t] !== undefined && t !== main);
    fixed = plan?.fixed ? plan.fixed.filter((t) => m[t] !== undefined) : null;
    const cache = new Map<string, ObjGen>();
    genFor = (t) => {
      let g = cache.get(t);
      if (!g) cache.set(t, (g = named(m[t]!, t)));
      return g;
    };
  } else if (item.t === 'ref') {
    main = tagForName(item.n);
    const g = named(item.n, null);
    genFor = () => g;
  } else {
    const g = compileValue('items', { t: 'array', i: item });
    return (c) => (g(c, 1, emptyState(null)) as Array<Record<string, unknown> | null>) ?? [];
  }
  const fixedCount = plan?.count;
  return (c) => {
    const seed = c.rng.int(0, 0x7fffffff);
    let plan: string[];
    if (fixed) plan = [...fixed];
    else {
      const count = fixedCount ?? Math.min(MAX_ITEMS, Math.max(1, c.input.depth | 0));
      plan = new Array<string>(count).fill(main);
      if (extras.length > 0 && fixedCount === undefined) {
        const picked = c.rng.sample(extras, Math.min(extras.length, c.rng.int(2, 4)));
        for (const t of picked) {
          if (plan.length >= MAX_ITEMS) break;
          const at = c.rng.int(1, plan.length);
          plan.splice(t === 'paid' ? 0 : at, 0, t);
        }
      }
    }
    const groups = new Map<string, number>();
    const out: Array<Record<string, unknown> | null> = new Array(plan.length);
    for (let i = 0; i < plan.length; i++) {
      const t = plan[i]!;
      const g = (groups.get(t) ?? 0) + 1;
      groups.set(t, g);
      c.rng = createRng(deriveSeed(seed, i));
      out[i] = genFor(t)(c, 1, { abs: i + 1, group: g }, true);
    }
    return out;
  };
}

function renderHtml(c: Ctx): string {
  const kw = escapeHtml(c.kw);
  const n = Math.min(10, Math.max(1, c.input.depth | 0));
  let body = '';
  for (let i = 0; i < n; i++) {
    const st = emptyState('organic');
    const url = escapeHtml(pageUrl(c, st));
    body += `<div class="g" data-rank="${i + 1}"><a href="${url}"><h3>${escapeHtml(title(c))}</h3><cite>${escapeHtml(st.domain ?? '')}</cite></a><div class="snippet">${escapeHtml(sentence(c))}</div></div>`;
  }
  const engine = titleCase(c.input.se);
  return `<!doctype html><html lang="${escapeHtml(c.lang)}"><head><meta charset="utf-8"><title>${kw} - ${engine} Search</title></head><body><form action="/search"><input name="q" value="${kw}"></form><div id="search" data-type="${escapeHtml(c.input.seType)}">${body}</div></body></html>`;
}

function makeCtx(input: SerpRenderInput): Ctx {
  const p = input.params;
  const extra = [p.video_id, p.dataset_id, p.image_url, p.target, p.advertiser_ids, p.search_param, p.date_range, p.sort_by]
    .map((v) => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v)))
    .join('\u0001');
  const seedStr = [
    input.se,
    input.seType,
    input.fn,
    input.keyword ?? '',
    input.locationCode ?? '',
    input.languageCode ?? '',
    input.device,
    input.os,
    extra,
  ].join('\u0002');
  const rng = createRng(seedStr);
  const topicRaw =
    input.keyword ??
    (typeof p.video_id === 'string'
      ? `${TOPICS[hashString(p.video_id) % TOPICS.length]} video`
      : typeof p.target === 'string'
        ? p.target
        : TOPICS[hashString(seedStr) % TOPICS.length]!);
  const kw = topicRaw.trim() || 'search';
  const cc = (input.countryIso ?? '').toUpperCase();
  const geo = GEO[cc] ?? GEO.US!;
  const jitter = (hashString(String(input.locationCode ?? cc)) % 1000) / 10_000;
  const letters = kw.toUpperCase().replace(/[^A-Z]/g, '');
  return {
    input,
    rng,
    kw,
    Kw: titleCase(kw),
    slug: slugify(kw),
    core: coreOf(kw),
    plus: encodeURIComponent(kw).replace(/%20/g, '+'),
    lang: input.languageCode ?? 'en',
    cc,
    nowMs: parseDatetime(input.datetime),
    year: new Date(parseDatetime(input.datetime)).getUTCFullYear(),
    wikiHost: `${input.languageCode ?? 'en'}.wikipedia.org`,
    wslug: encodeURI(titleCase(kw).replace(/ /g, '_')),
    lat: round(geo[0] + jitter, 4),
    lng: round(geo[1] - jitter, 4),
    city: cc && GEO[cc] ? `${geo[2]}, ${geo[3]}` : (input.locationName ?? `${geo[2]}, ${geo[3]}`),
    ticker: (letters.slice(0, 4) || 'GOOG').padEnd(3, 'X'),
  };
}

/**
 * Renders a deterministic, schema-shaped result object (one element of tasks[].result) for
 * `${se}/${seType}/${fn}`; null when the vendor schema has no such key.
 */
export function renderFromSchema(input: SerpRenderInput): unknown | null {
  const compiled = compileResult(`${input.se}/${input.seType}/${input.fn}`);
  return compiled ? compiled.gen(input) : null;
}

/** Every "{se}/{se_type}/{fn}" key renderFromSchema can serve. */
export const SCHEMA_RESULT_KEYS: readonly string[] = Object.keys(RESULT_SCHEMAS);
