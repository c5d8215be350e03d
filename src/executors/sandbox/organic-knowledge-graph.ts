// The knowledge graph panel (right column) of an organic page, for entity-like keywords.

import { STREAM_FEATURE } from './organic-context.js';
import type { RenderCtx } from './organic-model.js';
import type { KnowledgeGraphItem } from './organic-types.js';
import { KG_SUBTITLES } from './organic-vocab.js';
import { FastRng, deriveSeed } from './prng.js';
import { B64URL } from './serp-text.js';

/**
 * A knowledge graph card: a description linking Wikipedia and a few fact rows, organisation facts
 * (founded, headquarters, CEO) when the subtitle names a company-like entity.
 */
export function buildKnowledgeGraph(rc: RenderCtx, rankAbs: number): KnowledgeGraphItem {
  const rng = new FastRng(deriveSeed(rc.seed, STREAM_FEATURE + 90));
  const subtitle = rng.pick(KG_SUBTITLES);
  const wikiUrl = 'https://' + rc.lang + '.wikipedia.org/wiki/' + rc.ctx.wslug;
  const xp = '/html[1]/body[1]/div[3]/div[1]/div[13]/div[1]/div[3]/div[1]/div[1]/div[';
  const base = (type: string, i: number) => ({
    type,
    page: 1,
    position: 'right',
    xpath: xp + (i + 1) + ']',
    rectangle: null,
    rank_group: i + 1,
    rank_absolute: i + 1,
  });
  const text =
    rc.ctx.Kw +
    ' is a ' +
    subtitle.toLowerCase() +
    ' widely known for its role in ' +
    rng.pick(['its field', 'popular culture', 'the industry', 'modern history', 'everyday life']) +
    '. It has been the subject of numerous studies, articles and discussions.';
  const rows: Array<[string, string, string]> =
    subtitle === 'Company' || subtitle === 'Organization' || subtitle === 'Brand'
      ? [
          ['Founded', 'kc:/organization/organization:founded', String(rng.int(1890, 2015))],
          ['Headquarters', 'kc:/organization/organization:headquarters', rc.place.city.name + ', ' + rc.market.country],
          [
            'CEO',
            'kc:/organization/organization:ceo',
            rng.pick(['James', 'Maria', 'David', 'Sarah']) + ' ' + rng.pick(['Smith', 'Garcia', 'Lee', 'Miller']),
          ],
        ]
      : [
          ['Related topics', 'kc:/common:related', rc.intent.topic + ' history, ' + rc.intent.topic + ' examples'],
          ['First known use', 'kc:/common:first_use', String(rng.int(1500, 1990))],
        ];
  const items: Array<Record<string, unknown>> = [
    {
      ...base('knowledge_graph_description_item', 0),
      text,
      links: [
        {
          type: 'link_element',
          title: 'Wikipedia',
          snippet: null,
          description: null,
          url: wikiUrl,
          domain: rc.lang + '.wikipedia.org',
          xpath: null,
        },
      ],
    },
    ...rows.map(([title, attr, value], i) => ({
      ...base('knowledge_graph_row_item', i + 1),
      title,
      data_attrid: attr,
      text: value,
      links: null,
    })),
  ];
  return {
    type: 'knowledge_graph',
    rank_group: 1,
    rank_absolute: rankAbs,
    page: 1,
    position: 'right',
    xpath: '/html[1]/body[1]/div[3]/div[1]/div[13]/div[1]/div[3]/div[1]',
    rectangle: null,
    title: rc.ctx.Kw,
    subtitle,
    description: text,
    card_id: '/m/0' + rng.chars(rng.int(4, 6), '0123456789bcdfghjklmnpqrstvwxyz_'),
    url: wikiUrl,
    image_url: 'https://encrypted-tbn0.gstatic.com/images?q=tbn:ANd9GcS' + rng.chars(50, B64URL),
    logo_url: null,
    cid: null,
    items,
  };
}
