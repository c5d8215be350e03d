// Value generators of the schema-driven renderer: coherent sites, URLs, titles and sentences for the
// current object, search URLs per engine and type, names and dates. Every draw comes from c.rng,
// the current item's generator.

import type { Ctx, ObjState } from './schema-faker-model.js';
import {
  ALNUM,
  B64,
  FIRST_NAMES,
  LAST_NAMES,
  NEWS_NAMES,
  NEWS_SITES,
  NEWS_T,
  SENT_T,
  SITES,
  TITLE_T,
  TOPICS,
  BIZ_SUFFIX,
  JOB_ROLES,
  VIDEO_T,
} from './schema-faker-words.js';
import type { Rng } from './prng.js';
import { encode, pad2 } from './serp-text.js';
import { MODIFIERS, NEWS_SECTIONS, makeBlogDomain } from './vocab.js';

/** Constant host strings (their hashes are cached, which keeps siteName's memo lookups cheap). Index 0 is Wikipedia. */
const SITE_HOSTS: readonly string[] = SITES.map((s) => 'www.' + s);
const NEWS_HOSTS: readonly string[] = NEWS_SITES.map((s) => 'www.' + s);

// parseDatetime, titleCase and slugify differ from serp-text.ts's in edge cases (an ISO "T", words
// after tabs, Unicode slugs); each renderer keeps its own so that neither's output changes.
export function parseDatetime(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(s);
  if (!m) return Date.UTC(2025, 0, 1);
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

export const titleCase = (s: string): string => s.replace(/(^|\s)(\S)/g, (_m, a: string, b: string) => a + b.toUpperCase());
export const slugify = (s: string): string =>
  s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '') || 'topic';

export const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/**
 * The site of the current object, drawn once and kept in its state so that its domain, url,
 * breadcrumb and website_name agree; businesses, videos and news items get sites of their kind.
 */
export function siteOf(c: Ctx, st: ObjState): string {
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
export function siteName(host: string): string {
  let name = siteNames.get(host);
  if (name === undefined) {
    const d = host.startsWith('www.') ? host.slice(4) : host;
    const first = d.endsWith('wikipedia.org') ? 'wikipedia' : d.slice(0, d.indexOf('.') < 0 ? d.length : d.indexOf('.'));
    name = NEWS_NAMES[d] ?? first.charAt(0).toUpperCase() + first.slice(1);
    if (siteNames.size < 10_000) siteNames.set(host, name);
  }
  return name;
}

/** A page URL on the object's site, shaped like that site's URLs. */
export function pageUrl(c: Ctx, st: ObjState): string {
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

/** A thumbnail or photo URL on a common image host. */
export function imageUrl(c: Ctx): string {
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

/** The engine's own URL for a query of this SERP type (check_url and other search links). */
export function searchUrl(c: Ctx, q: string): string {
  const { se, seType } = c.input;
  const plus = encode(q).replace(/%20/g, '+');
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
      return `https://${host}/searchbyimage?image_url=${encode(String(c.input.params.image_url ?? ''))}&${hl}`;
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

/** The task's video_id (video_info, subtitles, comments), else a fixed well-known one. */
export function videoIdOf(c: Ctx): string {
  const v = c.input.params.video_id;
  return typeof v === 'string' && v !== '' ? v : 'dQw4w9WgXcQ';
}

export function personName(r: Rng): string {
  return `${r.pick(FIRST_NAMES)} ${r.pick(LAST_NAMES)}`;
}

export function pastMs(c: Ctx, maxDays: number): number {
  return c.nowMs - c.rng.int(1, maxDays * 24) * 3_600_000;
}

// Item tags whose sites and titles follow their kind: businesses, videos, jobs and news.
export const BUSINESS = /^(maps_search|maps_paid_item|local_pack|hotels_pack|local_services|location_info|google_hotels)/;
const VIDEO = /^(youtube|video|short_videos|ai_overview_video)/;
const JOBS = /^(google_jobs_item|jobs)/;
const NEWS = /^(news_search|top_stories|google_finance_news)/;

/** The keyword without local-intent words ("pizza near me" -> "pizza"). */
export function coreOf(kw: string): string {
  const core = kw
    .replace(/\b(near me|nearby|best|cheap|top|open now|in [a-z ]+$)\b/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return core || kw;
}

/** A title for an item of `tag`: a business name, video, job or headline, else a page title. */
export function title(c: Ctx, tag: string | null = null): string {
  const r = c.rng;
  if (tag !== null) {
    if (BUSINESS.test(tag)) return `${r.pick(FIRST_NAMES)}'s ${titleCase(c.core)}${r.chance(0.5) ? ' ' + r.pick(BIZ_SUFFIX) : ''}`;
    if (VIDEO.test(tag)) return r.pick(VIDEO_T)(c.kw, c.Kw);
    if (JOBS.test(tag)) return `${titleCase(c.core)} ${r.pick(JOB_ROLES)}`;
    if (NEWS.test(tag)) return r.pick(NEWS_T)(c.kw, c.Kw);
  }
  return r.pick(TITLE_T)(c.kw, c.Kw, r.pick(MODIFIERS), r.int(5, 25));
}

export function sentence(c: Ctx): string {
  const r = c.rng;
  return r.pick(SENT_T)(c.kw, c.Kw, r.pick(MODIFIERS));
}

export function phrase(c: Ctx): string {
  const r = c.rng;
  return r.chance(0.5) ? `${c.kw} ${r.pick(MODIFIERS)}` : `${r.pick(MODIFIERS)} ${c.kw}`;
}

/** An xpath in Google's result-list shape, indexed by the item's rank where it has one. */
export function xpath(c: Ctx, st: ObjState): string {
  const i = st.rankAbs > 0 ? st.rankAbs : c.rng.int(1, 12);
  return `/html[1]/body[1]/div[${c.rng.int(2, 4)}]/div[1]/div[${c.rng.int(8, 12)}]/div[1]/div[1]/div[${i}]/div[1]`;
}
