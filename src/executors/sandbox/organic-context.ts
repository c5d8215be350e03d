// The per-render context of an organic SERP: engine, keyword intent, market and place, the
// template values, and the weighted site pool the rows draw from.

import { detectIntent, type Intent } from './intent.js';
import { engineOf } from './organic-engines.js';
import type { RenderCtx, Site } from './organic-model.js';
import { KIND_DESC_TPLS, kindBoost, newsSites } from './organic-site-rules.js';
import { SUBS_BY } from './organic-vocab.js';
import { languageName, resolvePlace } from './place.js';
import { hashString } from './prng.js';
import type { SerpRenderInput } from './render-input.js';
import { emptyCtx } from './serp-template.js';
import { compactName, cumulate, encode, headline, parseDatetime, plusForm, slugify, titleCase, wikiTitle } from './serp-text.js';

// Sub-stream ids (deriveSeed) of the layout and of the SERP features, far above any organic row
// index (depth is at most 700), so a feature never shares its random draws with a row. Features
// add an offset: 1 se_results_count, 2 refinement chips, 50 featured snippet, 60 top stories,
// 70 images, 80 video, 90 knowledge graph, 100 + n the n-th ad of the SERP, 200 + j the j-th local
// pack entry, 300 + page People Also Ask, 400 + page related searches.
export const STREAM_LAYOUT = 1_000_001;
export const STREAM_FEATURE = 1_100_000;

/** Subreddits of Reddit results: the city's for local queries, else by the keyword's first intent. */
function subsFor(it: Intent, city: string): string[] {
  if (it.local) return [compactName(city) || 'AskReddit', 'food', 'AskReddit'];
  const key = it.tech
    ? 'tech'
    : it.health
      ? 'health'
      : it.recipe
        ? 'recipe'
        : it.travel
          ? 'travel'
          : it.finance
            ? 'finance'
            : it.commercial
              ? 'commercial'
              : it.howto
                ? 'howto'
                : it.news
                  ? 'news'
                  : 'default';
  return SUBS_BY[key];
}

/**
 * Everything a render computes once: the template values, and the site pool with each site's weight
 * for the keyword's intent (sites of other markets and sites weighted 0 left out). The seed leaves
 * out depth, so a smaller depth renders a prefix of a larger one.
 */
export function makeContext(input: SerpRenderInput): RenderCtx {
  const engine = engineOf(input.se);
  const keyword = input.keyword ?? '';
  const lower = keyword.toLowerCase();
  const intent = detectIntent(keyword);
  const place = resolvePlace(input, engine.homeCc);
  const market = place.market;
  const langCode = input.languageCode ?? engine.descLang ?? 'en';
  const dash = langCode.indexOf('-');
  const lang = (dash > 0 ? langCode.slice(0, dash) : langCode).toLowerCase() || 'en';
  const now = parseDatetime(input.datetime);
  const ctx = emptyCtx();
  ctx.kw = keyword;
  ctx.Kw = headline(keyword);
  ctx.topic = intent.topic;
  ctx.Topic = headline(intent.topic);
  ctx.slug = slugify(keyword);
  ctx.tslug = slugify(intent.topic);
  ctx.Tdash = ctx.Topic.split(' ').join('-');
  ctx.wslug = wikiTitle(intent.entity ? titleCase(intent.topic) : intent.topic);
  ctx.plus = plusForm(keyword);
  ctx.pct = encode(keyword);
  ctx.compact = compactName(keyword) || 'site' + (hashString(keyword) % 1000);
  ctx.lang = lang;
  ctx.city = place.city.name;
  ctx.cslug = slugify(place.city.name, 'city');
  ctx.country = market.country;
  ctx.year = String(new Date(now).getUTCFullYear());
  ctx.amazon = market.amazon;
  const words = lower.split(' ').filter((w) => w.length > 0).length;
  const sites: Site[] = [];
  const weights: number[] = [];
  // Google, Bing and Yahoo also rank the market's news publishers; national engines have their own.
  const pool = engine.homeCc === undefined ? [...engine.sites, ...newsSites(market)] : engine.sites;
  for (const s of pool) {
    if (s.cc !== null && !s.cc.includes(market.cc)) continue;
    const w = s.weight * kindBoost(s.kind, intent, words);
    if (w <= 0) continue;
    sites.push(s);
    weights.push(w);
  }
  const highlighted = [keyword];
  if (intent.topic !== lower && intent.topic.length > 0) highlighted.push(intent.topic);
  return {
    input,
    engine,
    keyword,
    lower,
    intent,
    place,
    market,
    lang,
    langCode,
    now,
    ctx,
    sites,
    siteCum: cumulate(weights),
    siteW: weights.slice(),
    siteBase: weights,
    siteUses: new Int32Array(weights.length),
    depth: Math.max(0, Math.floor(input.depth)),
    seed: hashString(
      engine.se +
        '\u0001' +
        keyword +
        '\u0001' +
        (input.locationCode ?? '') +
        '\u0001' +
        langCode +
        '\u0001' +
        input.seDomain +
        '\u0001' +
        input.device +
        '\u0001' +
        input.os,
    ),
    host: engine.host(input.seDomain),
    descs: engine.descLang ? null : KIND_DESC_TPLS,
    highlighted,
    aboutLang: languageName(langCode),
    urls: new Set(),
    blog: sites.find((s) => s.generated === 'blog') ?? sites.find((s) => s.kind === 'blog'),
    subs: subsFor(intent, place.city.name),
    kwWords: words,
  };
}
