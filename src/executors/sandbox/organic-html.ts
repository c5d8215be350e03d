// task_get/html pages of an organic SERP: a compact page per results page holding the advanced
// result's items, with the engine's own class names.

import { escapeHtml } from './html.js';
import { HTML_CLASSES } from './organic-engines.js';
import type { EngineDef } from './organic-model.js';
import type { OrganicAdvancedResult } from './organic-types.js';
import type { SerpRenderInput } from './render-input.js';
import { formatCount, plusForm } from './serp-text.js';

/** One results page as HTML: the items of `page`, in order, as the engine marks them up. */
export function pageHtml(eng: EngineDef, adv: OrganicAdvancedResult, page: number, input: SerpRenderInput): string {
  const cls = HTML_CLASSES[eng.se];
  const kw = escapeHtml(adv.keyword);
  let html =
    '<!doctype html><html lang="' +
    escapeHtml(input.languageCode ?? 'en') +
    '"><head><meta charset="UTF-8"><title>' +
    kw +
    escapeHtml(eng.titleSuffix) +
    '</title></head><body><form action="/search" method="GET" role="search"><input name="q" type="text" value="' +
    kw +
    '"></form><div id="' +
    cls.list +
    '" data-page="' +
    page +
    '">';
  for (const it of adv.items) {
    if (it.page !== page) continue;
    switch (it.type) {
      case 'organic':
        html +=
          '<div class="' +
          cls.result +
          '" data-rank="' +
          it.rank_group +
          '"><a href="' +
          escapeHtml(it.url) +
          '"><h3>' +
          escapeHtml(it.title) +
          '</h3><cite>' +
          escapeHtml(it.breadcrumb) +
          '</cite></a><span class="site">' +
          escapeHtml(it.website_name) +
          '</span><div class="VwiC3b">' +
          (it.timestamp ? '<span class="date">' + it.timestamp.slice(0, 10) + ' — </span>' : '') +
          escapeHtml(it.description) +
          '</div>' +
          (it.rating
            ? '<span class="rating">Rating: ' + it.rating.value + ' · ' + formatCount(it.rating.votes_count) + ' reviews</span>'
            : '') +
          (it.price ? '<span class="price">' + escapeHtml(it.price.displayed_price) + '</span>' : '') +
          '</div>';
        break;
      case 'paid':
        html +=
          '<div class="' +
          cls.ad +
          '"><span class="ad-label">Sponsored</span><a href="' +
          escapeHtml(it.url) +
          '"><h3>' +
          escapeHtml(it.title) +
          '</h3><cite>' +
          escapeHtml(it.breadcrumb) +
          '</cite></a><div>' +
          escapeHtml(it.description) +
          '</div></div>';
        break;
      case 'featured_snippet':
        html +=
          '<div class="xpdopen featured-snippet"><div class="answer">' +
          escapeHtml(it.description) +
          '</div><a href="' +
          escapeHtml(it.url) +
          '"><h3>' +
          escapeHtml(it.title) +
          '</h3></a></div>';
        break;
      case 'people_also_ask':
        html += '<div class="related-question-pair-block"><h2>People also ask</h2>';
        for (const q of it.items)
          html += '<div class="related-question-pair" data-q="' + escapeHtml(q.title) + '"><span>' + escapeHtml(q.title) + '</span></div>';
        html += '</div>';
        break;
      case 'related_searches':
        html += '<div id="bres"><h2>Related searches</h2>';
        for (const q of it.items) html += '<a href="/search?q=' + escapeHtml(plusForm(q)) + '">' + escapeHtml(q) + '</a>';
        html += '</div>';
        break;
      case 'top_stories':
        html += '<g-section-with-header><h3>Top stories</h3>';
        for (const s of it.items)
          html +=
            '<a href="' +
            escapeHtml(s.url) +
            '"><div>' +
            escapeHtml(s.source) +
            '</div><div>' +
            escapeHtml(s.title) +
            '</div><span>' +
            escapeHtml(s.date) +
            '</span></a>';
        html += '</g-section-with-header>';
        break;
      case 'images':
        html += '<div id="iur"><h3>' + escapeHtml(it.title) + '</h3>';
        for (const im of it.items)
          html += '<a href="' + escapeHtml(im.url) + '"><img src="' + escapeHtml(im.image_url) + '" alt="' + escapeHtml(im.alt) + '"></a>';
        html += '</div>';
        break;
      case 'video':
        html += '<div class="video-block"><h3>Videos</h3>';
        for (const v of it.items)
          html +=
            '<a href="' + escapeHtml(v.url) + '"><span>' + escapeHtml(v.title) + '</span><cite>' + escapeHtml(v.source) + '</cite></a>';
        html += '</div>';
        break;
      case 'knowledge_graph':
        html +=
          '<div class="kp-wholepage" role="complementary"><h2>' +
          escapeHtml(it.title) +
          '</h2><div>' +
          escapeHtml(it.subtitle ?? '') +
          '</div><p>' +
          escapeHtml(it.description) +
          '</p></div>';
        break;
      case 'local_pack':
        html +=
          '<div class="VkpGBb" data-cid="' +
          it.cid +
          '"><span class="OSrXXb">' +
          escapeHtml(it.title) +
          '</span><div>' +
          escapeHtml(it.description ?? '')
            .split('\n')
            .join('<br>') +
          '</div></div>';
        break;
    }
  }
  return html + '</div></body></html>';
}
