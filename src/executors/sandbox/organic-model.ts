// Internal types of the organic renderer: the kinds of sites that rank, a compiled site, the SERP
// features an engine can show, an engine's definition, and the per-render context every builder
// reads. Kept apart from the tables and the builders so neither imports the other for a type.

import type { Intent } from './intent.js';
import type { Market } from './markets.js';
import type { OrganicEngine } from './organic-types.js';
import type { Place } from './place.js';
import type { SerpRenderInput } from './render-input.js';
import type { SerpCtx, Tpl } from './serp-template.js';

/** What a site is for; decides how much a keyword's intent boosts it and its default titles. */
export type Kind =
  | 'ref'
  | 'dict'
  | 'news'
  | 'shop'
  | 'review'
  | 'forum'
  | 'qa'
  | 'video'
  | 'social'
  | 'blog'
  | 'gov'
  | 'edu'
  | 'howto'
  | 'health'
  | 'recipe'
  | 'tech'
  | 'travel'
  | 'finance'
  | 'local'
  | 'brand';

export interface Site {
  host: Tpl;
  generated: 'blog' | 'brand' | null;
  name: string;
  kind: Kind;
  weight: number;
  paths: Tpl[];
  titles: Tpl[] | null;
  /** titles without "best"/"how to" wording, for keywords that are neither commercial nor how-to */
  titlesNeutral: Tpl[] | null;
  titlesHowto: Tpl[] | null;
  cc: readonly string[] | null;
  rating: number;
  sitelinks: boolean;
}

export type Feature =
  | 'paid'
  | 'featured_snippet'
  | 'people_also_ask'
  | 'related_searches'
  | 'top_stories'
  | 'images'
  | 'video'
  | 'knowledge_graph'
  | 'local_pack';

export interface EngineDef {
  se: OrganicEngine;
  pageSize: number;
  homeCc: string | undefined;
  features: ReadonlySet<Feature>;
  /** scales feature probabilities: other engines show fewer rich elements than Google */
  richness: number;
  sites: readonly Site[];
  descLang: string | null;
  host: (seDomain: string) => string;
  checkUrl: (rc: RenderCtx) => string;
  breadcrumb: (host: string, path: string) => string;
  xpathBase: string;
  titleSuffix: string;
}

export interface RenderCtx {
  input: SerpRenderInput;
  engine: EngineDef;
  keyword: string;
  lower: string;
  seed: number;
  depth: number;
  intent: Intent;
  place: Place;
  market: Market;
  lang: string;
  langCode: string;
  host: string;
  now: number;
  ctx: SerpCtx;
  sites: Site[];
  siteCum: number[];
  /** current draw weights (0 once a site is retired), the initial ones and per-site use counts */
  siteW: number[];
  siteBase: number[];
  siteUses: Int32Array;
  descs: Map<Kind, Tpl[]> | null;
  highlighted: string[];
  aboutLang: string;
  urls: Set<string>;
  blog: Site | undefined;
  subs: readonly string[];
  kwWords: number;
}

export interface Picked {
  site: Site;
  host: string;
  name: string;
}

export interface Chosen extends Picked {
  path: string;
  url: string;
}
