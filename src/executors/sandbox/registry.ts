import type { ResultFunction } from '../../domain/catalog.js';
import { RawJson } from '../../contracts/envelope.js';
import { renderImagesAdvancedJson, renderImagesExample, renderImagesHtml, type ImagesRenderInput } from './google-images.js';
import type { Renderer, SerpRenderInput } from './render-input.js';
import { renderFromSchema } from './schema-faker.js';
import { renderBingLocalPackHtml, renderBingLocalPackRegular } from './bing-local-pack.js';
import { renderLocalFinderAdvanced, renderLocalFinderHtml, renderMapsAdvanced } from './maps.js';
import { renderNewsAdvanced, renderNewsHtml } from './news.js';
import { renderOrganicAdvanced, renderOrganicHtml, renderOrganicRegular } from './organic.js';
import { renderYoutubeOrganicAdvanced } from './youtube.js';

/**
 * Which renderer draws which SERP: hand-written, realistic renderers for what users look at most,
 * and the schema-driven renderer (every field of the official schema, keyword-dependent values) for
 * the rest. Keys are `se/se_type/function`.
 */
const images = (input: SerpRenderInput): ImagesRenderInput => ({
  taskId: input.taskId,
  keyword: input.keyword ?? '',
  locationCode: input.locationCode ?? 0,
  languageCode: input.languageCode ?? 'en',
  countryIso: input.countryIso,
  seDomain: input.seDomain,
  os: input.os,
  depth: input.depth,
  searchParam: typeof input.params.search_param === 'string' ? input.params.search_param : null,
  datetime: input.datetime,
});

const RENDERERS: Record<string, Renderer> = {
  // Written as JSON text: the most common postback body, and the largest.
  'google/images/advanced': (i) => new RawJson(renderImagesAdvancedJson(images(i))),
  'google/images/html': (i) => renderImagesHtml(images(i)),
  'google/news/advanced': renderNewsAdvanced,
  'google/news/html': renderNewsHtml,
  'google/maps/advanced': renderMapsAdvanced,
  'google/local_finder/advanced': renderLocalFinderAdvanced,
  'google/local_finder/html': renderLocalFinderHtml,
  'youtube/organic/advanced': renderYoutubeOrganicAdvanced,
  'bing/local_pack/regular': renderBingLocalPackRegular,
  'bing/local_pack/html': renderBingLocalPackHtml,
};

// One renderer for every organic engine: it takes the engine from the input.
for (const se of ['google', 'bing', 'yahoo', 'baidu', 'naver', 'seznam']) {
  RENDERERS[`${se}/organic/advanced`] = renderOrganicAdvanced;
  RENDERERS[`${se}/organic/regular`] = renderOrganicRegular;
  RENDERERS[`${se}/organic/html`] = renderOrganicHtml;
}

const EXAMPLES: Record<string, Renderer> = {
  'google/images/advanced': (i) => renderImagesExample(images(i)),
};

/** The renderer of a type's function (`example`: the one for the vendor's magic example id). */
export function rendererFor(se: string, seType: string, fn: ResultFunction, example = false): Renderer | undefined {
  const key = `${se}/${seType}/${fn}`;
  return (example ? EXAMPLES[key] : undefined) ?? RENDERERS[key] ?? renderFromSchema;
}
