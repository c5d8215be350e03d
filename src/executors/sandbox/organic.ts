// Synthetic organic SERPs for Google, Bing, Yahoo, Baidu, Naver and Seznam in DataForSEO's
// task_get/advanced, task_get/regular and task_get/html shapes. The keyword's intent (question,
// how-to, commercial, local, news, health, ...) decides which sites rank and which SERP features
// appear; the market (country, language, city) decides local sites, currencies and addresses.
// Organic rows are generated in order with one sub-seed per row, so depth 20 is a prefix of depth
// 100 on the same page layout; the layout itself is seeded independently of depth.
// This module assembles the page; the tables and builders it uses are in the organic-*.ts modules.

import type { LocalPackOrganicItem, AdvancedItem, OrganicAdvancedResult, OrganicHtmlResult } from './organic-types.js';
import { buildLocalPackItem } from './maps.js';
import { buildKnowledgeGraph } from './organic-knowledge-graph.js';
import { buildImages, buildTopStories, buildVideo } from './organic-carousels.js';
import { STREAM_FEATURE, makeContext } from './organic-context.js';
import { engineOf } from './organic-engines.js';
import { buildChips, buildFeatured, buildPaa, buildPaid, buildRelated, resultsCount } from './organic-features.js';
import { pageHtml } from './organic-html.js';
import { planLayout } from './organic-layout.js';
import { buildOrganic } from './organic-rows.js';
import { FastRng, deriveSeed } from './prng.js';
import type { SerpRenderInput } from './render-input.js';
import { correctSpelling } from './vocab.js';

// The wire types stay importable from here, where the tests name them.
export type * from './organic-types.js';

/**
 * Fills each page in the vendor's order: top ads, the featured snippet (page 1), organic rows with
 * the mid-page features after their planned organic position, bottom ads, related searches, and
 * the knowledge graph (right column, page 1).
 */
function buildAdvanced(input: SerpRenderInput): OrganicAdvancedResult {
  const rc = makeContext(input);
  const eng = rc.engine;
  const pageSize = eng.pageSize;
  const pages = Math.max(1, Math.ceil(rc.depth / pageSize));
  const layout = planLayout(rc, pages);
  const items: AdvancedItem[] = [];
  const types: string[] = [];
  const counts = new Map<string, number>();
  const next = (type: string): number => {
    const n = (counts.get(type) ?? 0) + 1;
    counts.set(type, n);
    if (n === 1) types.push(type);
    return n;
  };
  let organicIndex = 0;
  let stream = 0;
  for (let p = 1; p <= pages; p++) {
    let slot = 1;
    const onPage = Math.min(pageSize, rc.depth - (p - 1) * pageSize);
    for (let a = 0; a < layout.paidTop[p - 1]; a++) {
      items.push(buildPaid(rc, 100 + stream++, next('paid'), items.length + 1, p, a + 1, false));
    }
    if (p === 1 && layout.featured) {
      next('featured_snippet');
      items.push(buildFeatured(rc, items.length + 1, slot++));
    }
    // mid-page features keyed by the organic position they follow (page 1 only)
    const extras = (k: number): void => {
      if (p === 1) {
        if (layout.localPack === k) {
          const cat = rc.intent.category;
          if (cat) {
            for (let j = 0; j < layout.localPackSize; j++) {
              const it: LocalPackOrganicItem = buildLocalPackItem(
                new FastRng(deriveSeed(rc.seed, STREAM_FEATURE + 200 + j)),
                rc.place,
                cat,
                {
                  page: 1,
                  rankGroup: next('local_pack'),
                  rankAbsolute: items.length + 1,
                  xpath: eng.xpathBase + slot + ']/div[' + (j + 1) + ']',
                  paid: false,
                },
              );
              if (eng.se === 'bing') it.is_claimed = true;
              items.push(it);
            }
            slot++;
          }
        }
        if (layout.paa === k) {
          next('people_also_ask');
          items.push(buildPaa(rc, 300, 1, items.length + 1, 1, slot++));
        }
        if (layout.topStories === k) {
          next('top_stories');
          items.push(buildTopStories(rc, items.length + 1, slot++));
        }
        if (layout.images === k) {
          next('images');
          items.push(buildImages(rc, items.length + 1, slot++));
        }
        if (layout.video === k) {
          next('video');
          items.push(buildVideo(rc, items.length + 1, slot++));
        }
      } else if (k === 4 && layout.paaLater[p - 1]) {
        items.push(buildPaa(rc, 300 + p, next('people_also_ask'), items.length + 1, p, slot++));
      }
    };
    for (let k = 0; k < onPage; k++) {
      extras(k);
      const forced = p === 1 && k < layout.pinned.length ? layout.pinned[k] : null;
      items.push(buildOrganic(rc, organicIndex, organicIndex + 1, items.length + 1, p, slot++, forced));
      next('organic');
      organicIndex++;
    }
    // features planned after more organic results than this page has still appear, at its end
    for (let k = onPage; k <= 7; k++) extras(k);
    for (let a = 0; a < layout.paidBottom[p - 1]; a++) {
      items.push(buildPaid(rc, 100 + stream++, next('paid'), items.length + 1, p, a + 1, true));
    }
    if (layout.related[p - 1]) items.push(buildRelated(rc, 400 + p, next('related_searches'), items.length + 1, p, slot++));
    if (p === 1 && layout.kg) {
      next('knowledge_graph');
      items.push(buildKnowledgeGraph(rc, items.length + 1));
    }
  }
  const corrected = correctSpelling(rc.keyword);
  return {
    keyword: rc.keyword,
    type: 'organic',
    se_domain: input.seDomain,
    location_code: input.locationCode,
    language_code: input.languageCode,
    check_url: eng.checkUrl(rc),
    datetime: input.datetime,
    spell: corrected === null ? null : { keyword: corrected, type: 'showing_results_for' },
    refinement_chips: layout.chips ? buildChips(rc) : null,
    item_types: types,
    se_results_count: resultsCount(rc),
    pages_count: pages,
    items_count: items.length,
    items,
  };
}

/** task_get/advanced for any organic engine (input.se picks google, bing, yahoo, baidu, naver or seznam). */
export function renderOrganicAdvanced(input: SerpRenderInput): OrganicAdvancedResult {
  return buildAdvanced(input);
}

/** task_get/regular: the advanced SERP reduced to organic and paid results, re-ranked over that list. */
export function renderOrganicRegular(input: SerpRenderInput): OrganicAdvancedResult {
  const adv = buildAdvanced(input);
  const items = adv.items.filter((i) => i.type === 'organic' || i.type === 'paid');
  const types: string[] = [];
  for (let i = 0; i < items.length; i++) {
    items[i].rank_absolute = i + 1;
    if (!types.includes(items[i].type)) types.push(items[i].type);
  }
  return { ...adv, refinement_chips: null, item_types: types, items_count: items.length, items };
}

/** task_get/html: one raw page per 10 results (15 on Naver), holding the advanced result's items. */
export function renderOrganicHtml(input: SerpRenderInput): OrganicHtmlResult {
  const adv = buildAdvanced(input);
  const eng = engineOf(input.se);
  const out: OrganicHtmlResult['items'] = [];
  for (let p = 1; p <= adv.pages_count; p++) {
    out.push({ page: p, date: input.datetime, html: pageHtml(eng, adv, p, input) });
  }
  return {
    keyword: adv.keyword,
    type: 'organic',
    se_domain: adv.se_domain,
    location_code: adv.location_code,
    language_code: adv.language_code,
    datetime: input.datetime,
    items_count: out.length,
    items: out,
  };
}
