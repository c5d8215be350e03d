// The text SERP features of an organic page: paid ads, the featured snippet, People Also Ask,
// related searches, refinement chips, and se_results_count. Each draws from its own sub-stream of
// the render's seed (STREAM_FEATURE + offset, see organic-context.ts), apart from the rows' streams.

import { STREAM_FEATURE } from './organic-context.js';
import { fullUrl, localeQuery } from './organic-engines.js';
import type { RenderCtx } from './organic-model.js';
import { KIND_TITLE_TPLS, siteName } from './organic-site-rules.js';
import {
  AD_DESCS,
  AD_LINK_TITLES,
  AD_PREFIX,
  AD_ROWS,
  AD_SUFFIX,
  AD_TITLES,
  GENERIC_TITLES,
  PAA_ANSWERS,
  PREFIX_MODS,
  Q_COMMERCIAL,
  Q_HOWTO,
  Q_INFO,
  Q_LOCAL,
  RELATED_MODS,
} from './organic-vocab.js';
import type { FeaturedSnippetItem, PaidItem, PeopleAlsoAskItem, RefinementChips, RelatedSearchesItem, Table } from './organic-types.js';
import { displayPrice } from './place.js';
import { FastRng, deriveSeed, type Rng } from './prng.js';
import type { Tpl } from './serp-template.js';
import { B62, B64URL, DAY_MS, blogDomain, capitalize, compactName, formatTimestamp, pickWeighted, plusForm, slugify } from './serp-text.js';

/** An ad: a local business for local queries, else an Amazon listing or a made-up shop domain. */
export function buildPaid(
  rc: RenderCtx,
  stream: number,
  rank: number,
  rankAbs: number,
  page: number,
  slot: number,
  bottom: boolean,
): PaidItem {
  const rng = new FastRng(deriveSeed(rc.seed, STREAM_FEATURE + stream));
  const base = rc.ctx.compact.slice(0, 18) || 'shop';
  const cat = rc.intent.local ? rc.intent.category : null;
  const host = cat
    ? 'www.' + (compactName(rng.pick(cat.suffixes) + rc.place.city.name) || base) + (rng.chance(0.7) ? '.com' : rc.market.tld)
    : rng.chance(0.3) && rc.intent.commercial
      ? rc.market.amazon
      : 'www.' + (rng.chance(0.5) ? rng.pick(AD_PREFIX) + base : base + rng.pick(AD_SUFFIX)) + (rng.chance(0.7) ? '.com' : rc.market.tld);
  rc.ctx.n = String(rng.int(2, 90));
  const path = rng.chance(0.5) ? '' : rng.pick(['lp/', 'shop/', 'deals/', 'offers/']) + rc.ctx.tslug;
  const url = 'https://' + host + '/' + path;
  const aclk = 'DAChsSEgkI' + rng.chars(30, B64URL);
  return {
    type: 'paid',
    rank_group: rank,
    rank_absolute: rankAbs,
    page,
    position: 'left',
    xpath:
      (bottom
        ? '/html[1]/body[1]/div[3]/div[1]/div[13]/div[1]/div[4]/div[1]/div[1]/div['
        : '/html[1]/body[1]/div[3]/div[1]/div[13]/div[1]/div[1]/div[1]/div[1]/div[') +
      slot +
      ']',
    rectangle: null,
    domain: host,
    title: rng.pick(rc.intent.local ? AD_TITLES.slice(6) : AD_TITLES.slice(0, 6))(rc.ctx),
    description: rng.pick(rc.intent.local ? AD_DESCS.slice(3) : AD_DESCS.slice(0, 3))(rc.ctx),
    url,
    breadcrumb: 'https://' + host + (path ? ' › ' + path.split('/').join(' › ') : ''),
    website_name: siteName(host),
    is_image: false,
    is_video: false,
    images: null,
    highlighted: rc.highlighted.slice(),
    extra: { ad_aclk: aclk },
    description_rows: rng.chance(0.5) ? rng.sample(AD_ROWS, 2) : null,
    links: rng.chance(0.6)
      ? rng.sample(AD_LINK_TITLES, 4).map((t) => ({
          type: 'ad_link_element' as const,
          title: t,
          description: null,
          url: 'https://' + host + '/' + slugify(t) + '/',
          domain: host,
          ad_aclk: 'DAChsSEgkI' + rng.chars(30, B64URL),
        }))
      : null,
    price: null,
    rating: rng.chance(0.2)
      ? { rating_type: 'Max5', value: Math.round((4.2 + rng.next() * 0.8) * 10) / 10, votes_count: rng.int(50, 9000), rating_max: 5 }
      : null,
  };
}

/** People Also Ask questions that fit the keyword's intent. */
function questionSet(rc: RenderCtx): Tpl[] {
  if (rc.intent.howto) return Q_HOWTO;
  if (rc.intent.local) return Q_LOCAL;
  if (rc.intent.commercial) return Q_COMMERCIAL;
  return Q_INFO;
}

/** The page a PAA answer, featured snippet or image comes from: a site drawn from the render's pool. */
export function answerSource(rc: RenderCtx, rng: Rng): { host: string; name: string; url: string; title: string } {
  const site = pickWeighted(rng, rc.sites, rc.siteCum);
  const host =
    site.generated === 'blog'
      ? 'www.' + blogDomain(rng, rc.market.tld)
      : site.generated === 'brand'
        ? 'www.' + rc.ctx.compact + '.com'
        : site.host(rc.ctx);
  const name = site.generated === 'brand' ? rc.ctx.Kw : site.name || siteName(host);
  rc.ctx.site = name;
  rc.ctx.n = String(rng.int(3, 15));
  rc.ctx.id = String(rng.int(100_000, 9_999_999));
  rc.ctx.b = rng.chars(11, B62);
  rc.ctx.h = rng.hex(8);
  const titles = site.titles ?? KIND_TITLE_TPLS.get(site.kind) ?? GENERIC_TITLES;
  return { host, name, url: fullUrl(host, rng.pick(site.paths)(rc.ctx)), title: rng.pick(titles)(rc.ctx) };
}

export function buildPaa(rc: RenderCtx, stream: number, rank: number, rankAbs: number, page: number, slot: number): PeopleAlsoAskItem {
  const rng = new FastRng(deriveSeed(rc.seed, STREAM_FEATURE + stream));
  const qs = rng.sample(questionSet(rc), 4);
  const xp = rc.engine.xpathBase + slot + ']/div[1]/div[1]/div[1]/div[';
  return {
    type: 'people_also_ask',
    rank_group: rank,
    rank_absolute: rankAbs,
    page,
    position: 'left',
    xpath: rc.engine.xpathBase + slot + ']',
    rectangle: null,
    items: qs.map((q, i) => {
      const src = answerSource(rc, rng);
      return {
        type: 'people_also_ask_element' as const,
        title: q(rc.ctx),
        seed_question: null,
        xpath: xp + (i + 1) + ']',
        expanded_element: [
          {
            type: 'people_also_ask_expanded_element' as const,
            featured_title: null,
            url: src.url,
            domain: src.host,
            title: src.title,
            description: rng.pick(PAA_ANSWERS)(rc.ctx),
            images: null,
            timestamp: rng.chance(0.4) ? formatTimestamp(rc.now - rng.int(10, 1500) * DAY_MS) : null,
            table: null,
          },
        ],
      };
    }),
  };
}

export function buildFeatured(rc: RenderCtx, rankAbs: number, slot: number): FeaturedSnippetItem {
  const rng = new FastRng(deriveSeed(rc.seed, STREAM_FEATURE + 50));
  const src = answerSource(rc, rng);
  const table: Table | null =
    rc.intent.commercial && rng.chance(0.4)
      ? {
          table_element: 'table_element',
          table_header: ['Product', 'Best for', 'Price'],
          table_content: [1, 2, 3].map((i) => [
            rc.ctx.Topic + ' ' + ['Pro', 'Lite', 'Max', 'Plus'][i - 1],
            ['Most people', 'Budgets', 'Power users'][i - 1],
            displayPrice(rng.int(20, 400) - 0.01, rc.market),
          ]),
        }
      : null;
  const desc = rc.intent.howto
    ? 'Step 1: Gather what you need. Step 2: ' +
      capitalize(rc.intent.topic) +
      ' following the instructions. Step 3: Check your work. Step 4: Repeat if necessary.'
    : rng.pick(PAA_ANSWERS)(rc.ctx);
  return {
    type: 'featured_snippet',
    rank_group: 1,
    rank_absolute: rankAbs,
    page: 1,
    position: 'left',
    xpath: rc.engine.xpathBase + slot + ']/div[1]',
    rectangle: null,
    domain: src.host,
    title: src.title,
    description: desc,
    url: src.url,
    breadcrumb: rc.engine.breadcrumb(src.host, src.url.slice(9 + src.host.length)),
    featured_title: rng.chance(0.3) ? rc.ctx.Topic : null,
    timestamp: rng.chance(0.4) ? formatTimestamp(rc.now - rng.int(20, 1200) * DAY_MS) : null,
    images: rng.chance(0.4)
      ? [
          {
            type: 'images_element',
            alt: rc.keyword,
            url: src.url,
            image_url: 'https://encrypted-tbn0.gstatic.com/images?q=tbn:ANd9GcS' + rng.chars(50, B64URL),
          },
        ]
      : null,
    table,
  };
}

/** Modifiers of related searches and refinement chips, by the keyword's first intent. */
function relatedModifiers(rc: RenderCtx): string[] {
  const key = rc.intent.local
    ? 'local'
    : rc.intent.howto
      ? 'howto'
      : rc.intent.commercial
        ? 'commercial'
        : rc.intent.news
          ? 'news'
          : 'info';
  return RELATED_MODS[key];
}

/** Related searches: the topic with modifiers the keyword does not already contain. */
export function buildRelated(
  rc: RenderCtx,
  stream: number,
  rank: number,
  rankAbs: number,
  page: number,
  slot: number,
): RelatedSearchesItem {
  const rng = new FastRng(deriveSeed(rc.seed, STREAM_FEATURE + stream));
  const mods = rng.sample(
    relatedModifiers(rc).filter((m) => !rc.lower.includes(m)),
    8,
  );
  const topic = rc.intent.topic;
  return {
    type: 'related_searches',
    rank_group: rank,
    rank_absolute: rankAbs,
    page,
    position: 'left',
    xpath: rc.engine.xpathBase + slot + ']',
    rectangle: null,
    items: mods.map((m) => (PREFIX_MODS.has(m) ? m + ' ' + topic : topic + ' ' + m)),
  };
}

/** se_results_count: fewer results for longer keywords, as on real SERPs. */
export function resultsCount(rc: RenderCtx): number {
  const rng = new FastRng(deriveSeed(rc.seed, STREAM_FEATURE + 1));
  const scale = rc.kwWords <= 1 ? 1e9 : rc.kwWords === 2 ? 2e8 : rc.kwWords === 3 ? 4e7 : 5e6;
  return Math.floor(scale * (0.05 + rng.next() * 2.5)) + rng.int(0, 999);
}

/** Google's refinement chips above the results: each narrows the query by one modifier. */
export function buildChips(rc: RenderCtx): RefinementChips {
  const rng = new FastRng(deriveSeed(rc.seed, STREAM_FEATURE + 2));
  const mods = rng.sample(relatedModifiers(rc), rng.int(4, 7));
  return {
    type: 'refinement_chips',
    xpath: '/html[1]/body[1]/div[3]/div[1]/div[8]/div[1]/div[1]/div[1]/div[1]/div[1]',
    items: mods.map((m) => ({
      type: 'refinement_chips_element' as const,
      title: capitalize(m),
      url: 'https://' + rc.host + '/search?q=' + rc.ctx.plus + '+' + plusForm(m) + localeQuery(rc) + '&sa=X',
      domain: rc.host,
      options: null,
    })),
  };
}
