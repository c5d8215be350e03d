// Organic result rows: which site ranks at each position (weighted by intent, each host a limited
// number of times, each URL once) and the row's title, snippet, sitelinks, rating, price and dates.

import type { RatingInfo } from './maps.js';
import { fullUrl } from './organic-engines.js';
import type { Chosen, Kind, Picked, RenderCtx, Site } from './organic-model.js';
import { KIND_DESC_TPLS, KIND_TITLE_TPLS, LOCAL_DESC_TPLS, kindLabel, siteName } from './organic-site-rules.js';
import type { ImageElement, LinkElement, OrganicItem, PriceInfo } from './organic-types.js';
import { BRAND_LINKS, FAQ_A, FAQ_Q, GENERIC_TITLES, USERS, WIKI_SECTIONS } from './organic-vocab.js';
import { displayPrice } from './place.js';
import { FastRng, deriveSeed, type Rng } from './prng.js';
import type { Tpl } from './serp-template.js';
import { B62, DAY_MS, blogDomain, cumulate, encode, formatTimestamp, slugify } from './serp-text.js';
import { NEWS_SECTION_NAMES } from './serp-vocab.js';

// User-content platforms: one domain, many unrelated pages (several Reddit threads on one SERP).
const PLATFORMS: ReadonlySet<Kind> = new Set<Kind>(['forum', 'qa', 'video', 'social', 'blog', 'shop', 'local']);

/** How often one host may rank: once for encyclopedias and brand sites, more for user-content platforms. */
function hostLimit(rc: RenderCtx, site: Site): number {
  if (site.kind === 'ref' || site.generated === 'brand') return 1;
  if (!PLATFORMS.has(site.kind)) return 2;
  // National engines rank few, platform-heavy sites (Naver's blogs and cafes fill whole pages).
  return rc.engine.homeCc === undefined ? 4 : 40;
}

/** Weighted index by binary search over the render's cumulative site weights. */
function pickSiteIndex(rc: RenderCtx, rng: Rng): number {
  const cum = rc.siteCum;
  const r = rng.next() * cum[cum.length - 1];
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (r < cum[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Takes a site out of the draw once it has ranked as often as it may (no re-draw loops later). */
function retireSite(rc: RenderCtx, index: number): void {
  rc.siteW[index] = 0;
  let acc = 0;
  let any = false;
  for (let i = 0; i < rc.siteW.length; i++) {
    acc += rc.siteW[i];
    rc.siteCum[i] = acc;
    if (rc.siteW[i] > 0) any = true;
  }
  if (!any) {
    // everything retired (tiny pools at large depths): allow repeats again
    rc.siteW = rc.siteBase.slice();
    rc.siteCum = cumulate(rc.siteW);
    rc.siteUses.fill(0);
  }
}

/**
 * Picks the site of one row and its URL. A fixed-host site ranks at most twice (once for
 * encyclopedias and the brand's own site, more for user-content platforms) and a URL only once.
 * After four URL clashes the row goes to a generated blog (always a new host); after eight a
 * repeated URL is accepted, so the loop always ends.
 */
function chooseRow(rc: RenderCtx, rng: Rng, forced: Site | null): Chosen {
  for (let attempt = 0; ; attempt++) {
    let index = -1;
    let site: Site;
    if (attempt === 0 && forced) site = forced;
    else if (attempt >= 4 && rc.blog) site = rc.blog;
    else {
      index = pickSiteIndex(rc, rng);
      site = rc.sites[index];
    }
    let host: string;
    if (site.generated === 'blog') host = 'www.' + blogDomain(rng, rc.market.tld);
    else if (site.generated === 'brand')
      host = 'www.' + rc.ctx.compact + (rc.market.tld === '.com' || rng.chance(0.5) ? '.com' : rc.market.tld);
    else {
      rc.ctx.user = rng.pick(USERS);
      host = site.host(rc.ctx);
    }
    const name = site.generated === 'brand' ? rc.ctx.Kw : site.name || siteName(host);
    const picked: Picked = { site, host, name };
    fillRowCtx(rc, rng, picked);
    const path = rng.pick(site.paths)(rc.ctx);
    const url = fullUrl(host, path);
    if (rc.urls.has(url) && attempt < 8) continue;
    rc.urls.add(url);
    if (index < 0) index = rc.sites.indexOf(site);
    if (index >= 0 && site.generated !== 'blog') {
      const uses = ++rc.siteUses[index];
      if (uses >= hostLimit(rc, site)) retireSite(rc, index);
    }
    return { site, host, name, path, url };
  }
}

const SECTIONS = NEWS_SECTION_NAMES;
const RATING_TYPES = ['Max5'] as const;

/** Fresh template values for one row: counts, ids, user names, subreddit and news section. */
function fillRowCtx(rc: RenderCtx, rng: Rng, p: Picked): void {
  const ctx = rc.ctx;
  ctx.n = String(rng.int(3, 25));
  ctx.id = String(rng.int(100_000, 99_999_999));
  ctx.b = rng.chars(11, B62);
  ctx.h = rng.hex(8);
  ctx.sub = rng.pick(rc.subs);
  ctx.sect = rng.pick(SECTIONS);
  ctx.user = rng.pick(USERS);
  ctx.site = p.name;
  ctx.host = p.host;
}

/** A row's date: almost always on news, often on posts and videos, rarely on reference pages. */
function timestampFor(rc: RenderCtx, rng: Rng, kind: Kind): string | null {
  const p =
    kind === 'news'
      ? 0.95
      : kind === 'video' || kind === 'forum' || kind === 'qa'
        ? 0.8
        : kind === 'blog' || kind === 'review' || kind === 'howto' || kind === 'recipe' || kind === 'health'
          ? 0.5
          : 0.08;
  if (!rng.chance(p)) return null;
  const days = kind === 'news' ? rng.int(0, 60) : rng.int(3, 1800);
  return formatTimestamp(rc.now - days * DAY_MS - rng.int(0, 86_399) * 1000);
}

function ratingFor(rng: Rng, site: Site): RatingInfo | null {
  if (site.rating <= 0 || !rng.chance(site.rating)) return null;
  return {
    rating_type: RATING_TYPES[0],
    value: Math.round((3.6 + rng.next() * 1.4) * 10) / 10,
    votes_count: rng.int(4, 25_000),
    rating_max: 5,
  };
}

function priceFor(rc: RenderCtx, rng: Rng): PriceInfo {
  const current = Math.round((9 + Math.pow(rng.next(), 2) * 600) * 100) / 100 - 0.01;
  const value = Math.round(current * 100) / 100;
  return {
    current: value,
    regular: null,
    max_value: null,
    currency: rc.market.currency,
    is_price_range: false,
    displayed_price: displayPrice(value, rc.market),
  };
}

function sitelinks(rc: RenderCtx, rng: Rng, p: Picked, url: string): LinkElement[] {
  const wiki = p.site.kind === 'ref';
  const titles = rng.sample(wiki ? WIKI_SECTIONS : BRAND_LINKS, rng.int(3, 6));
  return titles.map((t) => ({
    type: 'link_element' as const,
    title: t,
    snippet: null,
    description: wiki ? null : t + ' - ' + p.name + (rng.chance(0.5) ? '. Learn more about ' + rc.keyword + '.' : ''),
    url: wiki ? url + '#' + t.split(' ').join('_') : 'https://' + p.host + '/' + slugify(t) + '/',
    domain: p.host,
    xpath: null,
  }));
}

/**
 * One organic row, from its own sub-seed so that row n is the same at any depth. The fields are
 * filled in the order of the random draws: reordering them would change every SERP.
 */
export function buildOrganic(
  rc: RenderCtx,
  index: number,
  rank: number,
  rankAbs: number,
  page: number,
  slot: number,
  forced: Site | null,
): OrganicItem {
  const rng = new FastRng(deriveSeed(rc.seed, index));
  const p = chooseRow(rc, rng, forced);
  const site = p.site;
  const path = p.path;
  const url = p.url;
  const titles =
    (rc.intent.commercial ? site.titles : ((rc.intent.howto ? site.titlesHowto : site.titlesNeutral) ?? site.titles)) ??
    KIND_TITLE_TPLS.get(site.kind) ??
    GENERIC_TITLES;
  const descs =
    rc.descs === null
      ? (LOCAL_DESC_TPLS.get(rc.engine.descLang ?? '') as Tpl[])
      : (rc.descs.get(site.kind) ?? (KIND_DESC_TPLS.get('blog') as Tpl[]));
  const isGoogle = rc.engine.se === 'google';
  const links = rank <= 2 && site.sitelinks && rng.chance(0.8) ? sitelinks(rc, rng, p, url) : null;
  const faq =
    (site.kind === 'blog' || site.kind === 'howto') && rng.chance(0.12)
      ? {
          type: 'faq_box' as const,
          items: rng
            .sample(FAQ_Q, 2)
            .map((q) => ({ type: 'faq_box_element' as const, title: q(rc.ctx), description: rng.pick(FAQ_A)(rc.ctx), links: null })),
        }
      : null;
  const withImages = (site.kind === 'recipe' || site.kind === 'howto' || site.kind === 'video') && rng.chance(0.3);
  const isVideo = site.kind === 'video';
  const images: ImageElement[] | null = withImages
    ? [
        {
          type: 'images_element',
          alt: rc.keyword,
          url,
          image_url: isVideo
            ? 'https://i.ytimg.com/vi/' + rc.ctx.b + '/hqdefault.jpg'
            : 'https://' + p.host + '/images/' + rc.ctx.tslug + '.jpg',
        },
      ]
    : null;
  const shop = site.kind === 'shop';
  return {
    type: 'organic',
    rank_group: rank,
    rank_absolute: rankAbs,
    page,
    position: 'left',
    xpath: rc.engine.xpathBase + slot + ']/div[1]/div[1]',
    rectangle: null,
    domain: p.host,
    title: rng.pick(titles)(rc.ctx),
    description: rng.pick(descs)(rc.ctx),
    url,
    breadcrumb: rc.engine.breadcrumb(p.host, path),
    // Bing powers Yahoo's web results, so both link Bing's cache.
    cache_url:
      (rc.engine.se === 'bing' || rc.engine.se === 'yahoo') && rng.chance(0.6)
        ? 'https://cc.bingj.com/cache.aspx?q=' + rc.ctx.plus + '&d=' + rng.chars(13, '0123456789') + '&w=' + rng.chars(8, B62)
        : null,
    related_search_url: null,
    website_name: p.name,
    is_image: images !== null,
    is_video: isVideo,
    is_featured_snippet: false,
    is_malicious: false,
    is_web_story: false,
    pre_snippet: shop && rng.chance(0.3) ? 'In stock · Free delivery' : null,
    extended_snippet: null,
    images,
    amp_version: site.kind === 'news' && rng.chance(0.3),
    rating: ratingFor(rng, site),
    price: shop && rng.chance(0.35) ? priceFor(rc, rng) : null,
    highlighted: rc.highlighted,
    links,
    faq,
    extended_people_also_search: null,
    // "About this result" is a Google-only panel.
    about_this_result: isGoogle
      ? {
          type: 'about_this_result_element',
          url: 'https://' + rc.host + '/search?q=About+' + url + '&tbm=ilp',
          source: p.host,
          source_info: site.name ? p.name + ' is a website about ' + kindLabel(site.kind) + '.' : null,
          source_url: site.name ? 'https://' + rc.lang + '.wikipedia.org/wiki/' + encode(p.name.split(' ').join('_')) : null,
          language: rc.aboutLang,
          location: rc.market.country,
          search_terms: rc.highlighted,
          related_terms: null,
        }
      : null,
    related_result: null,
    timestamp: timestampFor(rc, rng, site.kind),
  };
}
