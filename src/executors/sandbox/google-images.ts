// Synthetic Google Images SERPs in DataForSEO's task_get/advanced and task_get/html shapes.
// Everything is derived from a seed over the task parameters, so re-fetching a task (or posting the
// same task twice) yields the same SERP. Each image row has its own sub-seed keyed by its index,
// which keeps depth=50 a prefix of depth=100 and lets rows be generated independently.

import { escapeHtml } from './html.js';
import { encode, slugify } from './serp-text.js';
import { createRng, deriveSeed, hashString } from './prng.js';
import {
  ALT_TEMPLATES,
  KEY_BIT,
  MODIFIERS,
  NEWS_SECTIONS,
  REFINEMENT_CHIP_TITLES,
  SUBREDDITS,
  USERNAMES,
  correctSpelling,
  makeBlogDomain,
  pickImageSite,
  type TemplateContext,
} from './vocab.js';

/** Parameters of one Google Images task, already validated and resolved by the caller. */
export interface ImagesRenderInput {
  /** 8-4-4-4-12 hex task id; only used in carousel image_url (DataForSEO CDN pattern) */
  taskId: string;
  /** keyword, already %-decoded */
  keyword: string;
  locationCode: number;
  /** e.g. "en" */
  languageCode: string;
  /** e.g. "US"; becomes gl= in check_url */
  countryIso: string | null;
  /** e.g. "google.com" */
  seDomain: string;
  /** windows | macos */
  os: string;
  /** 1..700: number of images_search items */
  depth: number;
  /** appended to check_url when present, e.g. "&tbs=qdr:d" */
  searchParam?: string | null;
  /** "yyyy-mm-dd hh:mm:ss +00:00" */
  datetime: string;
}

/** Search-engine autocorrection. */
export interface SpellInfo {
  keyword: string;
  type: 'did_you_mean' | 'showing_results_for' | 'no_results_found_for' | 'including_results_for';
}

export interface RefinementChipsOption {
  type: 'refinement_chips_option';
  title: string;
  url: string;
  domain: string;
}

export interface RefinementChipsElement {
  type: 'refinement_chips_element';
  title: string;
  url: string;
  domain: string;
  options: RefinementChipsOption[] | null;
}

export interface RefinementChipsInfo {
  type: 'refinement_chips';
  xpath: string;
  items: RefinementChipsElement[];
}

export interface CarouselElement {
  type: 'carousel_element';
  title: string;
  subtitle: string | null;
  image_url: string;
}

export interface ImagesCarouselItem {
  type: 'carousel';
  rank_group: number;
  rank_absolute: number;
  page: number;
  position: 'left' | 'right';
  xpath: string;
  title: string | null;
  items: CarouselElement[];
  rectangle: null;
}

export interface ImagesSearchItem {
  type: 'images_search';
  rank_group: number;
  rank_absolute: number;
  xpath: string;
  title: string;
  subtitle: string;
  alt: string;
  url: string;
  source_url: string;
  encoded_url: string;
}

export interface ImagesRelatedSearchesItem {
  type: 'related_searches';
  rank_group: number;
  rank_absolute: number;
  page: number;
  position: 'left' | 'right';
  xpath: string;
  items: string[] | null;
  rectangle: null;
}

export type ImagesItem = ImagesCarouselItem | ImagesSearchItem | ImagesRelatedSearchesItem;
export type ImagesItemType = ImagesItem['type'];

/** The object inside tasks[0].result[] of serp/google/images/task_get/advanced. */
export interface ImagesAdvancedResult {
  keyword: string;
  type: 'images';
  se_domain: string;
  location_code: number;
  language_code: string;
  check_url: string;
  datetime: string;
  spell: SpellInfo | null;
  refinement_chips: RefinementChipsInfo | null;
  item_types: ImagesItemType[];
  se_results_count: number;
  items_count: number;
  items: ImagesItem[];
}

/** One raw HTML page of a task_get/html result. */
export interface HtmlItem {
  page: number;
  date: string;
  html: string;
}

/** The object inside tasks[0].result[] of serp/google/images/task_get/html. */
export interface ImagesHtmlResult {
  keyword: string;
  type: 'images';
  se_domain: string;
  location_code: number;
  language_code: string;
  datetime: string;
  items_count: number;
  items: HtmlItem[];
}

const GRID_XPATH = '/html[1]/body[1]/div[2]/c-wiz[1]/div[1]/div[1]/div[1]/div[1]/div[1]/div[1]/div[';
const CAROUSEL_XPATH = '/html[1]/body[1]/div[2]/c-wiz[1]/div[1]/div[1]/div[1]/div[1]/div[1]/g-scrolling-carousel[1]';
const CHIPS_XPATH = '/html[1]/body[1]/div[2]/div[2]/div[1]/div[1]/div[1]/div[1]/span[1]';
const TBN_PREFIX = 'https://encrypted-tbn0.gstatic.com/images?q=tbn:ANd9Gc';
const CDN_PREFIX = 'https://api.dataforseo.com/cdn/i/';
const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const TBN_LEADS = ['R', 'Q', 'S', 'T'] as const;

// Sub-stream ids for non-row parts of the page; far above the 700-row maximum so they never collide.
const STREAM_LAYOUT = 1_000_001;
const STREAM_CAROUSEL = 1_000_002;
const STREAM_RELATED = 1_000_003;
const STREAM_CHIPS = 1_000_004;

/** Per-render values computed once and shared by every row. */
interface RenderContext {
  input: ImagesRenderInput;
  seed: number;
  /** lowercased keyword for related searches and chip queries */
  lower: string;
  /** keyword in query-string form (spaces as +) */
  plus: string;
  /** "https://www.google.com" style origin for refinement URLs */
  origin: string;
  /** "www.google.com" */
  host: string;
  /** hl/gl query fragment */
  locale: string;
  /** modifiers and chip titles not already part of the keyword (no "cat cat" suggestions) */
  modifiers: readonly string[];
  chipTitles: readonly string[];
  /** text mode: rows are written as JSON, and `row` holds JSON-escaped keyword fields */
  json: boolean;
  /** template fields: the ones shared by every row set once, the rest rewritten for each row */
  row: TemplateContext;
}

/**
 * Renders the task_get/advanced result: a carousel, `depth` images_search rows and one
 * related_searches block after the first 20–30 images. Deterministic in all inputs except
 * taskId (carousel CDN URLs) and datetime (echoed).
 */
export function renderImagesAdvanced(input: ImagesRenderInput): ImagesAdvancedResult {
  return buildAdvanced(input, false, false) as ImagesAdvancedResult;
}

/**
 * The same result as JSON text, exactly JSON.stringify(renderImagesAdvanced(input)): rows are written
 * as text straight away, which costs a fraction of building objects and serialising them (this is
 * the body of most postbacks).
 */
export function renderImagesAdvancedJson(input: ImagesRenderInput): string {
  return buildAdvanced(input, false, true) as string;
}

/**
 * The "everything" example served for the vendor's sandbox id 00000000-0000-0000-0000-000000000000:
 * ten images, every item type, a spell suggestion and refinement chips with options.
 */
export function renderImagesExample(input: ImagesRenderInput): ImagesAdvancedResult {
  return buildAdvanced({ ...input, depth: 10 }, true, false) as ImagesAdvancedResult;
}

/** Renders the task_get/html result: one page whose grid holds the same images as the advanced result. */
export function renderImagesHtml(input: ImagesRenderInput): ImagesHtmlResult {
  return renderImagesHtmlFrom(input, renderImagesAdvanced(input));
}

/** Like renderImagesHtml, reusing an advanced result already rendered for the same input. */
export function renderImagesHtmlFrom(input: ImagesRenderInput, advanced: ImagesAdvancedResult): ImagesHtmlResult {
  return {
    keyword: input.keyword,
    type: 'images',
    se_domain: input.seDomain,
    location_code: input.locationCode,
    language_code: input.languageCode,
    datetime: input.datetime,
    items_count: 1,
    items: [{ page: 1, date: input.datetime, html: buildHtml(input, advanced) }],
  };
}

/** Google's check_url for the task: the images tab (tbm=isch) on the task's domain and locale. */
export function imagesCheckUrl(input: ImagesRenderInput): string {
  let url =
    'https://' +
    hostOf(input.seDomain) +
    '/search?q=' +
    encode(input.keyword) +
    '&tbm=isch&num=100' +
    localeQuery(input) +
    '&gws_rd=cr&ie=UTF-8&oe=UTF-8';
  const sp = input.searchParam;
  if (sp) url += sp.charCodeAt(0) === 38 /* & */ ? sp : '&' + sp;
  return url;
}

/**
 * A placeholder for the items of a result written as text. It is found from the end: `items` is the
 * result's last field, so a keyword spelling the same text (earlier in the object) is never taken for it.
 */
const ITEMS_MARK = '\u0000items';
const ITEMS_MARK_JSON = JSON.stringify(ITEMS_MARK);

function buildAdvanced(input: ImagesRenderInput, example: boolean, json: boolean): ImagesAdvancedResult | string {
  const rc = makeContext(input, json);
  const depth = Math.max(0, Math.floor(input.depth));
  const layout = createRng(deriveSeed(rc.seed, STREAM_LAYOUT));
  const relatedAfter = example ? 5 : layout.int(20, 30);

  // Items as objects, or in text mode as their JSON.
  const items: (ImagesItem | string)[] = [];
  const types: ImagesItemType[] = [];
  const push = (item: ImagesItem | string, type: ImagesItemType): void => {
    items.push(json && typeof item !== 'string' ? JSON.stringify(item) : item);
    if (!types.includes(type)) types.push(type);
  };

  push(buildCarousel(rc, items.length + 1), 'carousel');
  let gridSlot = 1;
  for (let i = 0; i < depth; i++) {
    if (i === relatedAfter) push(buildRelated(rc, items.length + 1, gridSlot++), 'related_searches');
    push(buildImage(rc, i, items.length + 1, gridSlot++), 'images_search');
  }
  if (relatedAfter >= depth) push(buildRelated(rc, items.length + 1, gridSlot), 'related_searches');

  const corrected = correctSpelling(input.keyword);
  let spell: SpellInfo | null = corrected === null ? null : { keyword: corrected, type: 'did_you_mean' };
  if (example && spell === null) spell = { keyword: rc.lower, type: 'did_you_mean' };

  const result = {
    keyword: input.keyword,
    type: 'images' as const,
    se_domain: input.seDomain,
    location_code: input.locationCode,
    language_code: input.languageCode,
    check_url: imagesCheckUrl(input),
    datetime: input.datetime,
    spell,
    refinement_chips: buildChips(rc, example),
    item_types: types,
    // The vendor reports 0 for image SERPs (Google shows no result count on the images tab).
    se_results_count: 0,
    items_count: items.length,
    items: items as ImagesItem[],
  };
  if (!json) return result;
  const text = JSON.stringify({ ...result, items: ITEMS_MARK });
  const at = text.lastIndexOf(ITEMS_MARK_JSON);
  return text.slice(0, at) + '[' + (items as string[]).join(',') + ']' + text.slice(at + ITEMS_MARK_JSON.length);
}

/** A string as it appears inside a JSON string literal (without the quotes). */
function jsonInner(text: string): string {
  const quoted = JSON.stringify(text);
  return quoted.slice(1, quoted.length - 1);
}

/**
 * The per-render context. In text mode the template fields derived from the keyword are JSON-escaped
 * once here, so that everything the templates write is valid inside a JSON string (the vocabulary
 * holds no quote, backslash or control character: a test checks it).
 */
function makeContext(input: ImagesRenderInput, json: boolean): RenderContext {
  const esc = json ? jsonInner : (text: string) => text;
  const kw = input.keyword;
  const host = hostOf(input.seDomain);
  const dash = input.languageCode.indexOf('-');
  const plus = encode(kw).split('%20').join('+');
  const lower = kw.toLowerCase();
  return {
    input,
    // depth is deliberately left out so that smaller depths are prefixes of larger ones.
    seed: hashString(kw + '\u0001' + input.locationCode + '\u0001' + input.languageCode + '\u0001' + input.seDomain + '\u0001' + input.os),
    lower,
    modifiers: withoutKeywordWords(MODIFIERS, lower),
    chipTitles: withoutKeywordWords(REFINEMENT_CHIP_TITLES, lower),
    plus,
    origin: 'https://' + host,
    host,
    locale: localeQuery(input),
    json,
    row: {
      kw: esc(kw),
      Kw: esc(titleCase(kw)),
      slug: esc(slugify(kw, 'image')),
      wslug: esc(encode(wikiTitle(kw))),
      pct: esc(encode(kw)),
      plus: esc(plus),
      lang: esc((dash > 0 ? input.languageCode.slice(0, dash) : input.languageCode).toLowerCase() || 'en'),
      n: '',
      mod: '',
      dom: '',
      id: '',
      h: '',
      b: '',
      h2: '',
      h6: '',
      h12: '',
      hp: '',
      wp: '',
      ts: '',
      y: '',
      m: '',
      d: '',
      sub: '',
      user: '',
      sect: '',
    },
  };
}

function buildImage(rc: RenderContext, index: number, rankAbsolute: number, gridSlot: number): ImagesSearchItem | string {
  const rng = createRng(deriveSeed(rc.seed, index));
  const site = pickImageSite(rng);
  const title = rng.pick(site.titles);
  const alt = rng.pick(ALT_TEMPLATES);
  const page = rng.pick(site.page);
  const src = rng.pick(site.src);
  // One context per render, overwritten row by row (templates read it at once and keep nothing), and
  // only the fields this row's templates read are drawn: most rows need a handful of the twenty.
  const ctx = rc.row;
  const need = title.keys | alt.keys | page.keys | src.keys;
  if (need & KEY_BIT.n) ctx.n = formatCount(rng.int(1, 900) * (rng.chance(0.5) ? 1000 : 100) + rng.int(0, 99));
  if (need & KEY_BIT.mod) ctx.mod = rng.pick(rc.modifiers);
  ctx.dom = site.domain === '{dom}' ? makeBlogDomain(rng) : site.domain;
  if (need & KEY_BIT.id) ctx.id = String(rng.int(10_000_000, 999_999_999));
  if (need & HASH_KEYS) {
    const h = rng.hex(32);
    ctx.h = h;
    ctx.h2 = h.slice(30, 32);
    ctx.h6 = h.slice(6, 12);
    ctx.h12 = h.slice(12, 24);
    ctx.hp = h.slice(0, 2) + '/' + h.slice(2, 4) + '/' + h.slice(4, 6);
    ctx.wp = h.slice(0, 1) + '/' + h.slice(0, 2);
  }
  if (need & KEY_BIT.b) ctx.b = rng.chars(11, B62);
  if (need & KEY_BIT.ts) ctx.ts = '1' + rng.int(500_000_000, 749_999_999) + String(rng.int(1000, 9999));
  if (need & DATE_KEYS) {
    ctx.y = String(rng.int(2015, 2025));
    ctx.m = pad2(rng.int(1, 12));
    ctx.d = pad2(rng.int(1, 28));
  }
  if (need & KEY_BIT.sub) ctx.sub = rng.pick(SUBREDDITS);
  if (need & KEY_BIT.user) ctx.user = rng.pick(USERNAMES);
  if (need & KEY_BIT.sect) ctx.sect = rng.pick(NEWS_SECTIONS);
  const encoded = TBN_PREFIX + rng.pick(TBN_LEADS) + rng.base64url(53) + (rng.chance(0.3) ? '&usqp=CAU' : '');
  if (rc.json) {
    return (
      `{"type":"images_search","rank_group":${index + 1},"rank_absolute":${rankAbsolute},"xpath":"${GRID_XPATH}${gridSlot}]",` +
      `"title":"${title(ctx)}","subtitle":"${ctx.dom}","alt":"${alt(ctx)}","url":"${page(ctx)}","source_url":"${src(ctx)}","encoded_url":"${encoded}"}`
    );
  }
  return {
    type: 'images_search',
    rank_group: index + 1,
    rank_absolute: rankAbsolute,
    xpath: GRID_XPATH + gridSlot + ']',
    title: title(ctx),
    subtitle: ctx.dom,
    alt: alt(ctx),
    url: page(ctx),
    source_url: src(ctx),
    encoded_url: encoded,
  };
}

const HASH_KEYS = KEY_BIT.h | KEY_BIT.h2 | KEY_BIT.h6 | KEY_BIT.h12 | KEY_BIT.hp | KEY_BIT.wp;
const DATE_KEYS = KEY_BIT.y | KEY_BIT.m | KEY_BIT.d;

function buildCarousel(rc: RenderContext, rankAbsolute: number): ImagesCarouselItem {
  const rng = createRng(deriveSeed(rc.seed, STREAM_CAROUSEL));
  const words = rng.sample(rc.modifiers, rng.int(6, 12));
  const prefix = CDN_PREFIX + rc.input.taskId + ':';
  return {
    type: 'carousel',
    rank_group: 1,
    rank_absolute: rankAbsolute,
    page: 1,
    position: 'left',
    xpath: CAROUSEL_XPATH,
    title: null,
    items: words.map((title, n) => ({ type: 'carousel_element', title, subtitle: null, image_url: prefix + n })),
    rectangle: null,
  };
}

function buildRelated(rc: RenderContext, rankAbsolute: number, gridSlot: number): ImagesRelatedSearchesItem {
  const rng = createRng(deriveSeed(rc.seed, STREAM_RELATED));
  const words = rng.sample(rc.modifiers, rng.int(6, 10));
  return {
    type: 'related_searches',
    rank_group: 1,
    rank_absolute: rankAbsolute,
    page: 1,
    position: 'left',
    xpath: GRID_XPATH + gridSlot + ']',
    items: words.map((w) => (rng.chance(0.7) ? rc.lower + ' ' + w : w + ' ' + rc.lower)),
    rectangle: null,
  };
}

function buildChips(rc: RenderContext, withOptions: boolean): RefinementChipsInfo {
  const rng = createRng(deriveSeed(rc.seed, STREAM_CHIPS));
  const titles = rng.sample(rc.chipTitles, rng.int(6, 10));
  return {
    type: 'refinement_chips',
    xpath: CHIPS_XPATH,
    items: titles.map((title) => {
      const chip = queryForm(title.toLowerCase());
      const options: RefinementChipsOption[] | null = withOptions
        ? rng.sample(rc.modifiers, rng.int(3, 5)).map((opt) => ({
            type: 'refinement_chips_option',
            title: opt,
            url: chipUrl(rc, chip + '+' + queryForm(opt), chip),
            domain: rc.host,
          }))
        : null;
      return { type: 'refinement_chips_element', title, url: chipUrl(rc, chip, chip), domain: rc.host, options };
    }),
  };
}

function chipUrl(rc: RenderContext, extra: string, chip: string): string {
  return rc.origin + '/search?q=' + rc.plus + '+' + extra + '&tbm=isch' + rc.locale + '&chips=q:' + rc.plus + ',g_1:' + chip + '&sa=X';
}

function buildHtml(input: ImagesRenderInput, result: ImagesAdvancedResult): string {
  const kw = escapeHtml(input.keyword);
  const lang = escapeHtml(input.languageCode);
  const searchBase = '/search?tbm=isch' + escapeHtml(localeQuery(input)) + '&amp;q=';
  let html =
    '<!doctype html><html lang="' +
    lang +
    '"><head><meta charset="UTF-8">' +
    '<meta name="referrer" content="origin"><title>' +
    kw +
    ' - Google Search</title>' +
    '<style>.islrc{display:flex;flex-wrap:wrap}.isv-r{width:220px;margin:4px}.rg_i{max-width:100%}' +
    '.fxgdke{color:#70757a;font-size:12px}.bytUYc{font-size:14px;font-weight:400}</style></head>' +
    '<body><div class="sfbg"><form class="tsf" action="/search" method="GET" role="search">' +
    '<input type="hidden" name="tbm" value="isch"><input class="gLFyf" name="q" type="text" maxlength="2048" ' +
    'autocomplete="off" aria-label="Search" value="' +
    kw +
    '"></form></div><div id="rcnt">';

  const chips = result.refinement_chips;
  if (chips) {
    html += '<div class="IUOThf" role="list">';
    for (const chip of chips.items) {
      html += '<a class="nPDzT T3FoJb" role="listitem" href="' + escapeHtml(chip.url) + '"><span>' + escapeHtml(chip.title) + '</span></a>';
    }
    html += '</div>';
  }

  html += '<div id="islrg" class="islrg"><div class="islrc">';
  let ri = 0;
  for (const item of result.items) {
    if (item.type === 'images_search') {
      const url = escapeHtml(item.url);
      const title = escapeHtml(item.title);
      html +=
        '<div class="isv-r PNCib MSM1fd BUooTd" data-ri="' +
        ri++ +
        '"><a class="wXeWr islib nfEiy" href="' +
        url +
        '"><div class="bRMDJf islir"><img class="rg_i Q4LuWd" src="' +
        escapeHtml(item.encoded_url) +
        '" alt="' +
        escapeHtml(item.alt) +
        '" data-src="' +
        escapeHtml(item.source_url) +
        '"></div></a><a class="VFACy kGQAp" href="' +
        url +
        '" title="' +
        title +
        '" target="_blank" rel="noopener"><div class="fxgdke">' +
        escapeHtml(item.subtitle) +
        '</div><h3 class="bytUYc">' +
        title +
        '</h3></a></div>';
    } else if (item.type === 'related_searches') {
      html += '<div class="isv-r related"><div class="nxcd" role="heading" aria-level="2">Related searches</div>';
      for (const q of item.items ?? []) {
        html += '<a class="Dl4Hcc" href="' + searchBase + escapeHtml(encode(q)) + '">' + escapeHtml(q) + '</a>';
      }
      html += '</div>';
    } else {
      html += '<g-scrolling-carousel class="F1hUFe"><div class="Ea7vOd">';
      for (const el of item.items) {
        const t = escapeHtml(el.title);
        html +=
          '<a class="ZbiHjd" href="' +
          searchBase +
          escapeHtml(encode(input.keyword + ' ' + el.title)) +
          '"><img class="tLYnX" src="' +
          escapeHtml(el.image_url) +
          '" alt="' +
          t +
          '"><span>' +
          t +
          '</span></a>';
      }
      html += '</div></g-scrolling-carousel>';
    }
  }
  return html + '</div></div></div></body></html>';
}

function hostOf(seDomain: string): string {
  const d = seDomain.trim().toLowerCase() || 'google.com';
  return d.startsWith('www.') ? d : 'www.' + d;
}

function localeQuery(input: ImagesRenderInput): string {
  return '&hl=' + encode(input.languageCode) + (input.countryIso ? '&gl=' + encode(input.countryIso.toUpperCase()) : '');
}

function queryForm(text: string): string {
  return encode(text).split('%20').join('+');
}

function titleCase(text: string): string {
  const words = text.split(' ');
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (w.length > 0) words[i] = w[0]!.toUpperCase() + w.slice(1);
  }
  return words.join(' ');
}

function wikiTitle(text: string): string {
  const t = text
    .trim()
    .split(' ')
    .filter((w) => w.length > 0)
    .join('_');
  return t.length > 0 ? t[0]!.toUpperCase() + t.slice(1) : 'Image';
}

/** Drops words the keyword already contains, unless that leaves too few to fill a carousel. */
function withoutKeywordWords(words: readonly string[], lowerKeyword: string): readonly string[] {
  const kept = words.filter((w) => !lowerKeyword.includes(w.toLowerCase()));
  return kept.length >= 12 ? kept : words;
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** "12,345"; hand-rolled because Intl formatting is comparatively slow in a per-row path. */
function formatCount(n: number): string {
  let s = String(n);
  for (let i = s.length - 3; i > 0; i -= 3) s = s.slice(0, i) + ',' + s.slice(i);
  return s;
}

export { escapeHtml };
