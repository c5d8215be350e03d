// Synthetic Google News SERPs (task_get/advanced and task_get/html). Stories come from the market's
// publishers plus local outlets of the task's city; ages are relative to the SERP's datetime, so
// "3 hours ago" stays stable while the absolute timestamp follows the crawl time.

import type { TopStoriesElement } from './organic-types.js';
import { FastRng, deriveSeed, hashString, type Rng } from './prng.js';
import type { SerpRenderInput } from './render-input.js';
import { escapeHtml } from './html.js';
import { detectIntent } from './intent.js';
import type { NewsSource } from './markets.js';
import { resolvePlace, type Place } from './place.js';
import { emptyCtx, type SerpCtx } from './serp-template.js';
import { B64URL, compactName, encode, formatTimestamp, headline, parseDatetime, relativeAge, slugify } from './serp-text.js';
import { NEWS_HEADLINES, NEWS_SECTION_NAMES, NEWS_SNIPPETS } from './serp-vocab.js';
import { correctSpelling } from './vocab.js';

export interface NewsSearchItem {
  type: 'news_search';
  rank_group: number;
  rank_absolute: number;
  xpath: string;
  title: string;
  rectangle: null;
  domain: string;
  url: string;
  image_url: string | null;
  snippet: string;
  /** publisher name (the vendor's documented field, absent from its OpenAPI schema) */
  source: string;
  time_published: string;
  timestamp: string;
}

/** The same element as in organic top stories. */
export type NewsTopStoriesElement = TopStoriesElement;

export interface NewsTopStoriesItem {
  type: 'top_stories';
  rank_group: number;
  rank_absolute: number;
  xpath: string;
  title: string;
  rectangle: null;
  page: number;
  position: 'left';
  items: NewsTopStoriesElement[];
}

export type NewsItem = NewsSearchItem | NewsTopStoriesItem;

export interface NewsAdvancedResult {
  keyword: string;
  type: 'news';
  se_domain: string;
  location_code: number | null;
  language_code: string | null;
  check_url: string;
  datetime: string;
  spell: { keyword: string; type: string } | null;
  refinement_chips: null;
  includes_non_news_search_results: boolean;
  item_types: string[];
  se_results_count: number;
  items_count: number;
  items: NewsItem[];
}

export interface NewsHtmlResult {
  keyword: string;
  type: 'news';
  se_domain: string;
  location_code: number | null;
  language_code: string | null;
  datetime: string;
  items_count: number;
  items: Array<{ page: number; date: string; html: string }>;
}

const XPATH = '/html[1]/body[1]/div[5]/div[1]/div[12]/div[1]/div[2]/div[2]/div[1]/div[1]/div[1]/div[';
const IMG = 'https://encrypted-tbn0.gstatic.com/images?q=tbn:ANd9GcR';
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const LOCAL_OUTLETS = ['Tribune', 'Herald', 'Gazette', 'Daily News', 'Post', 'Times', 'Chronicle', 'Courier'];
const NICHE = ['Insider', 'Today', 'Weekly', 'Report', 'Wire', 'Journal', 'Digest'];
const PAGE_SIZE = 100;

interface NewsCtx {
  input: SerpRenderInput;
  keyword: string;
  seed: number;
  now: number;
  place: Place;
  ctx: SerpCtx;
  sources: NewsSource[];
}

function makeCtx(input: SerpRenderInput): NewsCtx {
  const keyword = input.keyword ?? '';
  const intent = detectIntent(keyword);
  const place = resolvePlace(input);
  const now = parseDatetime(input.datetime);
  const ctx = emptyCtx();
  ctx.kw = keyword;
  ctx.Kw = headline(keyword);
  ctx.topic = intent.topic;
  ctx.Topic = headline(intent.topic);
  ctx.tslug = slugify(intent.topic, 'story');
  ctx.city = place.city.name;
  ctx.year = String(new Date(now).getUTCFullYear());
  ctx.day = DAYS[new Date(now).getUTCDay()];
  const city = compactName(place.city.name) || 'local';
  const sources: NewsSource[] = [...place.market.news];
  // local outlets and a niche publication named after the topic broaden the source mix
  for (let i = 0; i < 3; i++) {
    const suffix = LOCAL_OUTLETS[(hashString(city) + i * 3) % LOCAL_OUTLETS.length];
    sources.push({ domain: 'www.' + city + compactName(suffix) + '.com', name: place.city.name + ' ' + suffix });
  }
  const niche = NICHE[hashString(intent.topic) % NICHE.length];
  sources.push({
    domain: (compactName(intent.topic).slice(0, 20) || 'topic') + compactName(niche) + '.com',
    name: headline(intent.topic) + ' ' + niche,
  });
  return {
    input,
    keyword,
    now,
    place,
    ctx,
    sources,
    seed: hashString(
      'news\u0001' + keyword + '\u0001' + (input.locationCode ?? '') + '\u0001' + (input.languageCode ?? '') + '\u0001' + input.seDomain,
    ),
  };
}

function story(nc: NewsCtx, rng: Rng, maxAgeMin: number): { src: NewsSource; title: string; url: string; age: number } {
  const src = rng.pick(nc.sources);
  nc.ctx.site = src.name;
  nc.ctx.n = String(rng.int(2, 12));
  const title = rng.pick(NEWS_HEADLINES)(nc.ctx);
  const section = rng.pick(NEWS_SECTION_NAMES);
  const slug = slugify(title, 'story');
  const url = rng.chance(0.5)
    ? 'https://' + src.domain + '/' + section + '/' + slug + '-' + rng.int(10_000_000, 99_999_999)
    : 'https://' + src.domain + '/' + nc.ctx.year + '/' + section + '/' + slug + '.html';
  // ages skew recent: a square of a uniform draw
  const r = rng.next();
  const age = Math.max(1, Math.floor(r * r * maxAgeMin)) * 60_000;
  return { src, title, url, age };
}

function buildNewsItem(nc: NewsCtx, index: number, rankAbs: number): NewsSearchItem {
  const rng = new FastRng(deriveSeed(nc.seed, index));
  const s = story(nc, rng, 60 * 24 * (index < 10 ? 3 : 30));
  return {
    type: 'news_search',
    rank_group: index + 1,
    rank_absolute: rankAbs,
    xpath: XPATH + ((index % PAGE_SIZE) + 1) + ']',
    title: s.title,
    rectangle: null,
    domain: s.src.domain,
    url: s.url,
    image_url: rng.chance(0.85) ? IMG + rng.chars(50, B64URL) : null,
    snippet: rng.pick(NEWS_SNIPPETS)(nc.ctx),
    source: s.src.name,
    time_published: relativeAge(s.age),
    timestamp: formatTimestamp(nc.now - s.age),
  };
}

function buildTopStories(nc: NewsCtx): NewsTopStoriesItem {
  const rng = new FastRng(deriveSeed(nc.seed, 1_000_002));
  const items: NewsTopStoriesElement[] = [];
  const n = rng.int(3, 5);
  for (let i = 0; i < n; i++) {
    const s = story(nc, rng, 60 * 12);
    items.push({
      type: 'top_stories_element',
      source: s.src.name,
      domain: s.src.domain,
      title: s.title,
      date: relativeAge(s.age),
      amp_version: false,
      timestamp: formatTimestamp(nc.now - s.age),
      url: s.url,
      image_url: IMG + rng.chars(50, B64URL),
      badges: rng.chance(0.15) ? ['Live'] : [],
    });
  }
  return {
    type: 'top_stories',
    rank_group: 1,
    rank_absolute: 1,
    xpath: '/html[1]/body[1]/div[5]/div[1]/div[12]/div[1]/div[2]/div[2]/div[1]/div[1]/g-section-with-header[1]',
    title: 'Top stories',
    rectangle: null,
    page: 1,
    position: 'left',
    items,
  };
}

function checkUrl(input: SerpRenderInput, keyword: string): string {
  const d = input.seDomain.trim().toLowerCase() || 'google.com';
  return (
    'https://' +
    (d.startsWith('www.') ? d : 'www.' + d) +
    '/search?q=' +
    encode(keyword) +
    '&tbm=nws&num=100&hl=' +
    encode(input.languageCode ?? 'en') +
    (input.countryIso ? '&gl=' + encode(input.countryIso.toUpperCase()) : '') +
    '&gws_rd=cr&ie=UTF-8&oe=UTF-8'
  );
}

/** google/news task_get/advanced: `depth` news_search items, sometimes after a top_stories block. */
export function renderNewsAdvanced(input: SerpRenderInput): NewsAdvancedResult {
  const nc = makeCtx(input);
  const depth = Math.max(0, Math.floor(input.depth));
  const layout = new FastRng(deriveSeed(nc.seed, 1_000_001));
  const items: NewsItem[] = [];
  if (depth > 0 && layout.chance(0.3)) items.push(buildTopStories(nc));
  for (let i = 0; i < depth; i++) items.push(buildNewsItem(nc, i, items.length + 1));
  const types: string[] = [];
  for (const it of items) if (!types.includes(it.type)) types.push(it.type);
  const corrected = correctSpelling(nc.keyword);
  return {
    keyword: nc.keyword,
    type: 'news',
    se_domain: input.seDomain,
    location_code: input.locationCode,
    language_code: input.languageCode,
    check_url: checkUrl(input, nc.keyword),
    datetime: input.datetime,
    spell: corrected === null ? null : { keyword: corrected, type: 'showing_results_for' },
    refinement_chips: null,
    includes_non_news_search_results: false,
    item_types: types,
    se_results_count: layout.int(20_000, 90_000_000),
    items_count: items.length,
    items,
  };
}

/** google/news task_get/html: one page per 100 stories, holding the advanced result's items. */
export function renderNewsHtml(input: SerpRenderInput): NewsHtmlResult {
  const adv = renderNewsAdvanced(input);
  const kw = escapeHtml(adv.keyword);
  const news = adv.items.filter((i): i is NewsSearchItem => i.type === 'news_search');
  const top = adv.items.find((i): i is NewsTopStoriesItem => i.type === 'top_stories');
  const pages = Math.max(1, Math.ceil(news.length / PAGE_SIZE));
  const out: NewsHtmlResult['items'] = [];
  for (let p = 1; p <= pages; p++) {
    let html =
      '<!doctype html><html lang="' +
      escapeHtml(input.languageCode ?? 'en') +
      '"><head><meta charset="UTF-8"><title>' +
      kw +
      ' - Google Search</title></head><body><div id="rcnt"><div id="search" data-tbm="nws">';
    if (p === 1 && top) {
      html += '<g-section-with-header><h3>Top stories</h3>';
      for (const s of top.items)
        html +=
          '<a href="' +
          escapeHtml(s.url) +
          '"><div class="source">' +
          escapeHtml(s.source) +
          '</div><div role="heading">' +
          escapeHtml(s.title) +
          '</div><span>' +
          escapeHtml(s.date) +
          '</span></a>';
      html += '</g-section-with-header>';
    }
    for (const n of news.slice((p - 1) * PAGE_SIZE, p * PAGE_SIZE)) {
      html +=
        '<div class="SoaBEf"><a class="WlydOe" href="' +
        escapeHtml(n.url) +
        '"><div class="MgUUmf NUnG9d"><span>' +
        escapeHtml(n.source) +
        '</span></div><div class="n0jPhd ynAwRc MBeuO nDgy9d" role="heading" aria-level="3">' +
        escapeHtml(n.title) +
        '</div><div class="GI74Re nDgy9d">' +
        escapeHtml(n.snippet) +
        '</div><div class="OSrXXb rbYSKb LfVVr"><span>' +
        escapeHtml(n.time_published) +
        '</span></div>' +
        (n.image_url ? '<img src="' + escapeHtml(n.image_url) + '" alt="">' : '') +
        '</a></div>';
    }
    html += '</div></div></body></html>';
    out.push({ page: p, date: input.datetime, html });
  }
  return {
    keyword: adv.keyword,
    type: 'news',
    se_domain: adv.se_domain,
    location_code: adv.location_code,
    language_code: adv.language_code,
    datetime: input.datetime,
    items_count: out.length,
    items: out,
  };
}
