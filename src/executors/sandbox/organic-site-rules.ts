// How the site tables become draws: compiled templates per site, how strongly a keyword's intent
// boosts each kind of site, the market's news publishers as sites, and the names and labels shown
// for a site.

import type { Intent } from './intent.js';
import type { Market } from './markets.js';
import type { Kind, Site } from './organic-model.js';
import { GLOBAL_SITES, type SiteSpec } from './organic-sites.js';
import { KIND_DESCS, KIND_TITLES, LOCAL_DESCS, NEWS_PATHS } from './organic-vocab.js';
import { tpl, tpls, type Tpl } from './serp-template.js';
import { capitalize } from './serp-text.js';

/**
 * A site's titles without buying words ("best", "cheap") and, unless allowed, without how-to
 * wording: "The 10 Best X of 2025" reads wrong for a keyword like "albert einstein".
 */
function neutralTitles(list: readonly string[], allowHowto = false): Tpl[] | null {
  const kept = list.filter((t) => {
    const l = t.toLowerCase();
    return !l.includes('best') && !l.includes('cheap') && (allowHowto || (!l.includes('how to') && !l.includes('ways to')));
  });
  return kept.length > 0 ? tpls(kept) : null;
}

/** Compiles a site table once at load; brand homepages show sitelinks, as they do on Google. */
export function compileSites(specs: readonly SiteSpec[]): Site[] {
  return specs.map((s) => ({
    host: tpl(s.h),
    generated: s.h === '{blog}' ? 'blog' : s.k === 'brand' ? 'brand' : null,
    name: s.n,
    kind: s.k,
    weight: s.w,
    paths: tpls(s.p),
    titles: s.t ? tpls(s.t) : null,
    titlesNeutral: s.t ? neutralTitles(s.t) : null,
    titlesHowto: s.t ? neutralTitles(s.t, true) : null,
    cc: s.cc ?? null,
    rating: s.r ?? 0,
    sitelinks: s.sl ?? s.k === 'brand',
  }));
}

export const SITES_GLOBAL = compileSites(GLOBAL_SITES);
export const KIND_TITLE_TPLS = new Map<Kind, Tpl[]>(Object.entries(KIND_TITLES).map(([k, v]) => [k as Kind, tpls(v)]));
export const KIND_DESC_TPLS = new Map<Kind, Tpl[]>(Object.entries(KIND_DESCS).map(([k, v]) => [k as Kind, tpls(v)]));
export const LOCAL_DESC_TPLS = new Map<string, Tpl[]>(Object.entries(LOCAL_DESCS).map(([k, v]) => [k, tpls(v)]));

/**
 * How much a keyword's intent multiplies a site's weight. Niche kinds (health, recipe, tech, ...)
 * rank only for their intent; general kinds keep some weight so every SERP mixes sources, and shops
 * stay out of question and local SERPs. 0 takes the site out of the render's draw.
 */
export function kindBoost(kind: Kind, it: Intent, words: number): number {
  switch (kind) {
    case 'health':
      return it.health ? 8 : 0;
    case 'recipe':
      return it.recipe ? 10 : 0;
    case 'tech':
      return it.tech ? 8 : 0;
    case 'travel':
      return it.travel ? 8 : 0;
    case 'finance':
      return it.finance ? 8 : 0;
    case 'local':
      return it.local ? 8 : 0;
    case 'howto':
      return it.howto ? 6 : 0;
    case 'brand':
      return 0;
    case 'shop':
      return it.commercial ? 4 : it.local || it.question ? 0 : 0.12;
    case 'review':
      return it.commercial ? 5 : 0;
    case 'dict':
      return it.commercial || it.local || it.howto || it.news ? 0 : words === 1 ? 2 : 0.1;
    case 'ref':
      return it.local ? 0.05 : it.commercial || it.howto ? 0.2 : it.entity ? 2.5 : it.question ? 1.5 : 1;
    case 'gov':
      return it.local || it.commercial ? 0 : it.health ? 3 : 0.6;
    case 'edu':
      return it.local || it.commercial ? 0 : 0.6;
    case 'news':
      return it.news ? 6 : it.entity ? 1.5 : it.local ? 0.2 : 0.6;
    case 'social':
      return it.local ? 0.2 : it.news || it.entity ? 1.5 : 1;
    case 'forum':
      return it.commercial || it.tech ? 2 : it.question ? 1.5 : 1;
    case 'qa':
      return it.question ? 3 : it.tech ? 2 : 1;
    case 'video':
      return it.howto ? 2.5 : it.recipe ? 2 : 1;
    case 'blog':
      return it.recipe ? 2 : 1;
  }
}

// One list per market: the sites are shared read-only by every render.
const NEWS_SITE_CACHE = new Map<string, Site[]>();

/** The market's news publishers as organic sites (Google, Bing and Yahoo only). */
export function newsSites(market: Market): Site[] {
  let list = NEWS_SITE_CACHE.get(market.cc);
  if (!list) {
    const w = 6 / market.news.length;
    list = market.news.map((n) => ({
      host: () => n.domain,
      generated: null,
      name: n.name,
      kind: 'news' as Kind,
      weight: w,
      paths: NEWS_PATHS,
      titles: null,
      titlesNeutral: null,
      titlesHowto: null,
      cc: null,
      rating: 0,
      sitelinks: false,
    }));
    NEWS_SITE_CACHE.set(market.cc, list);
  }
  return list;
}

/** website_name of a site without one: "www.cozyhomeblog.com" -> "Cozyhomeblog". */
export function siteName(host: string): string {
  let h = host.startsWith('www.') ? host.slice(4) : host;
  const dot = h.indexOf('.');
  if (dot > 0) h = h.slice(0, dot);
  return capitalize(h);
}

/** What about_this_result says a site is about ("X is a website about ..."). */
export function kindLabel(kind: Kind): string {
  switch (kind) {
    case 'ref':
      return 'general knowledge';
    case 'dict':
      return 'word definitions';
    case 'news':
      return 'news and current events';
    case 'shop':
      return 'online shopping';
    case 'review':
      return 'product reviews';
    case 'forum':
    case 'qa':
      return 'community discussions';
    case 'video':
      return 'video sharing';
    case 'social':
      return 'social networking';
    case 'health':
      return 'health information';
    case 'recipe':
      return 'cooking and recipes';
    case 'tech':
      return 'software development';
    case 'travel':
      return 'travel planning';
    case 'finance':
      return 'personal finance';
    case 'local':
      return 'local businesses';
    default:
      return 'various topics';
  }
}
