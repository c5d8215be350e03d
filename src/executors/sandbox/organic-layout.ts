// The page layout of an organic SERP, drawn once per render and independent of depth: which SERP
// features appear, after which organic position, how many ads per page, and which sites are pinned
// to the top.

import { STREAM_LAYOUT } from './organic-context.js';
import type { Feature, RenderCtx, Site } from './organic-model.js';
import { FastRng, deriveSeed } from './prng.js';

/** Where the SERP features of each page go; positions count organic results on page 1. */
export interface Layout {
  paidTop: number[]; // per page
  paidBottom: number[];
  featured: boolean;
  paa: number; // organic index on page 1 after which PAA appears; -1 none
  topStories: number;
  video: number;
  images: number;
  kg: boolean;
  localPack: number;
  localPackSize: number;
  related: boolean[]; // per page
  paaLater: boolean[];
  pinned: Site[];
  chips: boolean;
}

/**
 * The chance of each SERP feature for the keyword's intent, scaled by the engine's richness (ads,
 * related searches and the local pack are not: every engine shows those as often).
 */
function probabilities(rc: RenderCtx): Record<Feature, number> {
  const it = rc.intent;
  const r = rc.engine.richness;
  return {
    paid: it.commercial ? 0.85 : it.local ? 0.6 : 0.15,
    featured_snippet: (it.local ? 0.02 : it.question ? 0.75 : it.entity ? 0.15 : 0.25) * r,
    people_also_ask: (it.question ? 0.95 : it.local ? 0.5 : 0.7) * r,
    related_searches: 0.95,
    top_stories: (it.news ? 0.95 : it.entity ? 0.35 : 0.08) * r,
    images: (it.visual ? 0.9 : it.recipe ? 0.5 : it.entity ? 0.35 : 0.15) * r,
    video: (it.howto ? 0.85 : it.recipe ? 0.6 : it.entity ? 0.3 : 0.2) * r,
    knowledge_graph: (it.entity && rc.kwWords <= 3 ? 0.55 : 0.04) * r,
    local_pack: it.local ? 0.95 : 0,
  };
}

export function planLayout(rc: RenderCtx, pages: number): Layout {
  const rng = new FastRng(deriveSeed(rc.seed, STREAM_LAYOUT));
  const pr = probabilities(rc);
  const has = (f: Feature): boolean => rc.engine.features.has(f) && rng.chance(pr[f]);
  const paidTop: number[] = [];
  const paidBottom: number[] = [];
  const related: boolean[] = [];
  const paaLater: boolean[] = [];
  const maxTop = rc.intent.commercial ? 4 : 2;
  for (let p = 0; p < pages; p++) {
    paidTop.push(has('paid') && (p === 0 || rng.chance(0.3)) ? rng.int(1, maxTop) : 0);
    paidBottom.push(rc.engine.features.has('paid') && rng.chance(p === 0 && rc.intent.commercial ? 0.4 : 0.08) ? rng.int(1, 3) : 0);
    related.push(rc.engine.features.has('related_searches') && rng.chance(p === 0 ? pr.related_searches : 0.75));
    paaLater.push(p > 0 && rc.engine.features.has('people_also_ask') && rng.chance(0.08));
  }
  // Pinned to the top of page 1: Wikipedia for entity and question keywords, as Google does. (The
  // brand pin needs the brand site in the pool, which kindBoost keeps out: it never fires today.)
  const pinned: Site[] = [];
  const brand = rc.sites.find((s) => s.generated === 'brand');
  if (brand && (rc.intent.entity || rc.intent.commercial) && rc.kwWords <= 2 && rng.chance(0.45)) pinned.push(brand);
  const wiki = rc.sites.find((s) => s.kind === 'ref' && s.sitelinks);
  if (wiki && (rc.intent.entity || (rc.intent.question && !rc.intent.howto)) && rng.chance(0.7)) {
    if (rng.chance(0.5)) pinned.unshift(wiki);
    else pinned.push(wiki);
  }
  return {
    paidTop,
    paidBottom,
    related,
    paaLater,
    pinned,
    featured: has('featured_snippet'),
    paa: has('people_also_ask') ? rng.int(0, 3) : -1,
    topStories: has('top_stories') ? rng.int(0, 4) : -1,
    video: has('video') ? rng.int(2, 6) : -1,
    images: has('images') ? rng.int(1, 7) : -1,
    kg: has('knowledge_graph'),
    localPack: has('local_pack') ? rng.int(0, 2) : -1,
    localPackSize: 3,
    chips: rc.engine.se === 'google' && rng.chance(0.5),
  };
}
