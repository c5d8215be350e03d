// The wire shapes of organic task_get results (advanced, regular, html) as DataForSEO documents
// them, shared by the six organic engines; snake_case as on the wire.

import type { LocalPackItem, RatingInfo } from './maps.js';

export type OrganicEngine = 'google' | 'bing' | 'yahoo' | 'baidu' | 'naver' | 'seznam';

interface ItemBase {
  type: string;
  rank_group: number;
  rank_absolute: number;
  page: number;
  position: 'left' | 'right';
  xpath: string;
  rectangle: null;
}

export interface ImageElement {
  type: 'images_element';
  alt: string;
  url: string;
  image_url: string;
}
export interface PriceInfo {
  current: number;
  regular: number | null;
  max_value: number | null;
  currency: string;
  is_price_range: boolean;
  displayed_price: string;
}
export interface LinkElement {
  type: 'link_element';
  title: string;
  snippet: string | null;
  description: string | null;
  url: string;
  domain: string;
  xpath: string | null;
}
export interface AdLinkElement {
  type: 'ad_link_element';
  title: string;
  description: string | null;
  url: string;
  domain: string;
  ad_aclk: string;
}
export interface FaqBox {
  type: 'faq_box';
  items: Array<{ type: 'faq_box_element'; title: string; description: string; links: LinkElement[] | null }>;
}
export interface AboutThisResult {
  type: 'about_this_result_element';
  url: string;
  source: string;
  source_info: string | null;
  source_url: string | null;
  language: string;
  location: string | null;
  search_terms: string[] | null;
  related_terms: string[] | null;
}
export interface Table {
  table_element: string;
  table_header: string[];
  table_content: string[][];
}

export interface OrganicItem extends ItemBase {
  type: 'organic';
  domain: string;
  title: string;
  description: string;
  url: string;
  breadcrumb: string;
  cache_url: string | null;
  related_search_url: string | null;
  website_name: string;
  is_image: boolean;
  is_video: boolean;
  is_featured_snippet: boolean;
  is_malicious: boolean;
  is_web_story: boolean;
  pre_snippet: string | null;
  extended_snippet: string | null;
  images: ImageElement[] | null;
  amp_version: boolean;
  rating: RatingInfo | null;
  price: PriceInfo | null;
  highlighted: string[];
  links: LinkElement[] | null;
  faq: FaqBox | null;
  extended_people_also_search: string[] | null;
  about_this_result: AboutThisResult | null;
  related_result: null;
  timestamp: string | null;
}

export interface PaidItem extends ItemBase {
  type: 'paid';
  domain: string;
  title: string;
  description: string;
  url: string;
  breadcrumb: string;
  website_name: string;
  is_image: boolean;
  is_video: boolean;
  images: null;
  highlighted: string[];
  extra: { ad_aclk: string } | null;
  description_rows: string[] | null;
  links: AdLinkElement[] | null;
  price: PriceInfo | null;
  rating: RatingInfo | null;
}

export interface FeaturedSnippetItem extends ItemBase {
  type: 'featured_snippet';
  domain: string;
  title: string;
  description: string;
  url: string;
  breadcrumb: string;
  featured_title: string | null;
  timestamp: string | null;
  images: ImageElement[] | null;
  table: Table | null;
}

export interface PaaExpanded {
  type: 'people_also_ask_expanded_element';
  featured_title: string | null;
  url: string;
  domain: string;
  title: string;
  description: string;
  images: null;
  timestamp: string | null;
  table: null;
}
export interface PaaElement {
  type: 'people_also_ask_element';
  title: string;
  seed_question: null;
  xpath: string;
  expanded_element: PaaExpanded[];
}
export interface PeopleAlsoAskItem extends ItemBase {
  type: 'people_also_ask';
  items: PaaElement[];
}
export interface RelatedSearchesItem extends ItemBase {
  type: 'related_searches';
  items: string[];
}
export interface TopStoriesElement {
  type: 'top_stories_element';
  source: string;
  domain: string;
  title: string;
  date: string;
  amp_version: boolean;
  timestamp: string;
  url: string;
  image_url: string | null;
  badges: string[];
}
export interface TopStoriesItem extends ItemBase {
  type: 'top_stories';
  title: string;
  items: TopStoriesElement[];
}
export interface ImagesItem extends ItemBase {
  type: 'images';
  title: string;
  url: string;
  items: ImageElement[];
  related_image_searches: Array<{
    type: 'related_image_searches_element';
    title: string;
    alt: string;
    url: string;
    image_url: string;
  }> | null;
}
export interface VideoItem extends ItemBase {
  type: 'video';
  items: Array<{ type: 'video_element'; source: string; preview: string | null; title: string; timestamp: string | null; url: string }>;
}
export interface KnowledgeGraphItem extends ItemBase {
  type: 'knowledge_graph';
  title: string;
  subtitle: string | null;
  description: string;
  card_id: string;
  url: string | null;
  image_url: string | null;
  logo_url: string | null;
  cid: string | null;
  items: Array<Record<string, unknown>>;
}
export interface LocalPackOrganicItem extends LocalPackItem {
  is_claimed?: boolean;
}

export type AdvancedItem =
  | OrganicItem
  | PaidItem
  | FeaturedSnippetItem
  | PeopleAlsoAskItem
  | RelatedSearchesItem
  | TopStoriesItem
  | ImagesItem
  | VideoItem
  | KnowledgeGraphItem
  | LocalPackOrganicItem;

export interface SpellInfo {
  keyword: string;
  type: string;
}
export interface RefinementChips {
  type: 'refinement_chips';
  xpath: string;
  items: Array<{ type: 'refinement_chips_element'; title: string; url: string; domain: string; options: null }>;
}

export interface OrganicAdvancedResult {
  keyword: string;
  type: 'organic';
  se_domain: string;
  location_code: number | null;
  language_code: string | null;
  check_url: string;
  datetime: string;
  spell: SpellInfo | null;
  refinement_chips: RefinementChips | null;
  item_types: string[];
  se_results_count: number;
  pages_count: number;
  items_count: number;
  items: AdvancedItem[];
}

export interface OrganicHtmlResult {
  keyword: string;
  type: 'organic';
  se_domain: string;
  location_code: number | null;
  language_code: string | null;
  datetime: string;
  items_count: number;
  items: Array<{ page: number; date: string; html: string }>;
}
