// The engine table: what differs between Google, Bing, Yahoo, Baidu, Naver and Seznam organic
// SERPs: page size, home market, which SERP features appear and how often, the site pool, the
// check_url and breadcrumb formats, xpaths, the images block and the HTML page's class names.

import type { EngineDef, Feature, RenderCtx } from './organic-model.js';
import { CN_SITES, CZ_SITES, KR_SITES } from './organic-sites.js';
import { SITES_GLOBAL, compileSites } from './organic-site-rules.js';
import type { OrganicEngine } from './organic-types.js';
import { encode } from './serp-text.js';

/** Google's breadcrumb: "https://host › a › b", at most three path segments, no query string. */
const arrow = (host: string, path: string): string => {
  let out = 'https://' + host;
  let start = 0;
  let count = 0;
  const end = path.indexOf('?') >= 0 ? path.indexOf('?') : path.length;
  while (start < end) {
    let slash = path.indexOf('/', start);
    if (slash < 0 || slash > end) slash = end;
    if (slash > start) {
      if (count++ === 3) return out + ' › ...';
      out += ' › ' + path.slice(start, slash);
    }
    start = slash + 1;
  }
  return out;
};
const plainHost = (host: string): string => host;
export const fullUrl = (host: string, path: string): string => 'https://' + host + '/' + path;

/** Google's interface language and country parameters (hl, gl) of the task. */
export function localeQuery(rc: RenderCtx): string {
  return '&hl=' + encode(rc.langCode) + (rc.input.countryIso ? '&gl=' + encode(rc.input.countryIso.toUpperCase()) : '');
}

// Google's uule for a named location: "w+CAIQICI", one character giving the name's UTF-8 length,
// then the name in base64. Names too long for the length alphabet get no uule.
const UULE_KEYS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function uule(name: string | null): string {
  if (!name) return '';
  const bytes = Buffer.from(name, 'utf8');
  if (bytes.length >= UULE_KEYS.length) return '';
  return '&uule=w+CAIQICI' + UULE_KEYS[bytes.length] + bytes.toString('base64');
}

/** One entry per organic engine; an unknown `se` renders as Google. */
const ENGINES: Record<OrganicEngine, EngineDef> = {
  google: {
    se: 'google',
    pageSize: 10,
    homeCc: undefined,
    richness: 1,
    sites: SITES_GLOBAL,
    descLang: null,
    features: new Set<Feature>([
      'paid',
      'featured_snippet',
      'people_also_ask',
      'related_searches',
      'top_stories',
      'images',
      'video',
      'knowledge_graph',
      'local_pack',
    ]),
    host: (d) => withWww(d || 'google.com'),
    checkUrl: (rc) =>
      'https://' +
      rc.host +
      '/search?q=' +
      rc.ctx.pct +
      '&num=100' +
      localeQuery(rc) +
      '&gws_rd=cr&ie=UTF-8&oe=UTF-8&glp=1' +
      uule(rc.input.locationName),
    breadcrumb: arrow,
    xpathBase: '/html[1]/body[1]/div[3]/div[1]/div[13]/div[1]/div[2]/div[2]/div[1]/div[1]/div[',
    titleSuffix: ' - Google Search',
  },
  bing: {
    se: 'bing',
    pageSize: 10,
    homeCc: undefined,
    richness: 0.7,
    sites: SITES_GLOBAL,
    descLang: null,
    features: new Set<Feature>([
      'paid',
      'featured_snippet',
      'people_also_ask',
      'related_searches',
      'top_stories',
      'images',
      'video',
      'local_pack',
    ]),
    host: (d) => withWww(d || 'bing.com'),
    checkUrl: (rc) =>
      'https://' +
      rc.host +
      '/search?q=' +
      rc.ctx.plus +
      '&count=' +
      Math.min(50, Math.max(10, rc.depth)) +
      '&setlang=' +
      encode(rc.langCode) +
      (rc.input.countryIso
        ? '&cc=' + encode(rc.input.countryIso.toUpperCase()) + '&mkt=' + encode(rc.lang + '-' + rc.input.countryIso.toUpperCase())
        : '') +
      '&first=1',
    breadcrumb: fullUrl,
    xpathBase: '/html[1]/body[1]/div[1]/main[1]/ol[1]/li[',
    titleSuffix: ' - Search',
  },
  yahoo: {
    se: 'yahoo',
    pageSize: 10,
    homeCc: undefined,
    richness: 0.55,
    sites: SITES_GLOBAL,
    descLang: null,
    features: new Set<Feature>([
      'paid',
      'featured_snippet',
      'people_also_ask',
      'related_searches',
      'top_stories',
      'images',
      'video',
      'local_pack',
    ]),
    // Yahoo answers on a "search." host (search.yahoo.com), whatever domain the task names.
    host: (d) => {
      const h = (d || 'search.yahoo.com').toLowerCase();
      return h.includes('search.')
        ? h
        : h.startsWith('www.')
          ? 'search.' + h.slice(4)
          : h.split('.').length > 2
            ? h.replace('.', '.search.')
            : 'search.' + h;
    },
    checkUrl: (rc) =>
      'https://' +
      rc.host +
      '/search?p=' +
      rc.ctx.plus +
      '&n=' +
      Math.min(100, Math.max(10, rc.depth)) +
      '&vl=lang_' +
      encode(rc.lang) +
      (rc.input.countryIso ? '&vc=' + encode(rc.input.countryIso.toLowerCase()) : '') +
      '&ei=UTF-8',
    breadcrumb: (host, path) => arrow(host, path).slice(8),
    xpathBase: '/html[1]/body[1]/div[1]/div[3]/div[1]/div[1]/div[1]/div[1]/ol[1]/li[',
    titleSuffix: ' - Yahoo Search Results',
  },
  baidu: {
    se: 'baidu',
    pageSize: 10,
    homeCc: 'CN',
    richness: 0.5,
    sites: compileSites(CN_SITES),
    descLang: 'zh',
    // The national engines answer on one host whatever se_domain says.
    features: new Set<Feature>(['paid', 'related_searches', 'images', 'video']),
    host: () => 'www.baidu.com',
    checkUrl: (rc) => 'https://www.baidu.com/s?wd=' + rc.ctx.pct + '&rn=' + Math.min(50, Math.max(10, rc.depth)) + '&ie=utf-8',
    breadcrumb: plainHost,
    xpathBase: '/html[1]/body[1]/div[2]/div[3]/div[1]/div[3]/div[',
    titleSuffix: '_百度搜索',
  },
  naver: {
    se: 'naver',
    pageSize: 15, // Naver's integrated search lists 15 web results a page
    homeCc: 'KR',
    richness: 0.6,
    sites: compileSites(KR_SITES),
    descLang: 'ko',
    features: new Set<Feature>(['paid', 'related_searches', 'images', 'video']),
    host: () => 'search.naver.com',
    checkUrl: (rc) => 'https://search.naver.com/search.naver?where=nexearch&query=' + rc.ctx.pct,
    breadcrumb: (host, path) => arrow(host, path).slice(8),
    xpathBase: '/html[1]/body[1]/div[3]/div[2]/div[1]/div[1]/section[1]/div[1]/ul[1]/li[',
    titleSuffix: ' : 네이버 통합검색',
  },
  seznam: {
    se: 'seznam',
    pageSize: 10,
    homeCc: 'CZ',
    richness: 0.5,
    sites: compileSites(CZ_SITES),
    descLang: 'cs',
    features: new Set<Feature>(['paid', 'related_searches', 'images', 'video', 'top_stories']),
    host: () => 'search.seznam.cz',
    checkUrl: (rc) => 'https://search.seznam.cz/?q=' + rc.ctx.pct + '&count=' + Math.min(50, Math.max(10, rc.depth)),
    breadcrumb: fullUrl,
    xpathBase: '/html[1]/body[1]/div[1]/div[3]/div[2]/div[1]/div[1]/div[',
    titleSuffix: ' – Hledání na Seznamu',
  },
};

function withWww(d: string): string {
  const h = d.trim().toLowerCase();
  return h.startsWith('www.') ? h : 'www.' + h;
}

export function engineOf(se: string): EngineDef {
  return ENGINES[se as OrganicEngine] ?? ENGINES.google;
}

/** The images block's "more images" link: each engine's image search for the keyword. */
export const IMAGE_SEARCH: Record<OrganicEngine, (rc: RenderCtx) => string> = {
  google: (rc) => 'https://' + rc.host + '/search?tbm=isch&q=' + rc.ctx.plus,
  bing: (rc) => 'https://' + rc.host + '/images/search?q=' + rc.ctx.plus,
  yahoo: (rc) => 'https://images.search.yahoo.com/search/images?p=' + rc.ctx.plus,
  baidu: (rc) => 'https://image.baidu.com/search/index?tn=baiduimage&word=' + rc.ctx.pct,
  naver: (rc) => 'https://search.naver.com/search.naver?where=image&query=' + rc.ctx.pct,
  seznam: (rc) => 'https://obrazky.seznam.cz/?q=' + rc.ctx.pct,
};
/** The images block's title, followed by the keyword. */
export const IMAGE_TITLE: Record<OrganicEngine, string> = {
  google: 'Images for ',
  bing: 'Images of ',
  yahoo: 'Images of ',
  baidu: '图片: ',
  naver: '이미지: ',
  seznam: 'Obrázky: ',
};

/** Class names of a result, an ad and the result list in each engine's HTML, so parsers find them. */
export const HTML_CLASSES: Record<OrganicEngine, { result: string; ad: string; list: string }> = {
  google: { result: 'g Ww4FFb vt6azd tF2Cxc asEBEc', ad: 'uEierd', list: 'rso' },
  bing: { result: 'b_algo', ad: 'b_ad b_adTop', list: 'b_results' },
  yahoo: { result: 'dd algo algo-sr', ad: 'dd ads', list: 'web' },
  baidu: { result: 'result c-container xpath-log new-pmd', ad: 'ec-tuiguang', list: 'content_left' },
  naver: { result: 'bx lst_total', ad: 'sp_power', list: 'main_pack' },
  seznam: { result: 'Result', ad: 'Result Result--ad', list: 'search-results' },
};
