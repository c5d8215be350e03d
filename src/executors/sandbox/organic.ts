// Synthetic organic SERPs for Google, Bing, Yahoo, Baidu, Naver and Seznam in DataForSEO's
// task_get/advanced, task_get/regular and task_get/html shapes. The keyword's intent (question,
// how-to, commercial, local, news, health, ...) decides which sites rank and which SERP features
// appear; the market (country, language, city) decides local sites, currencies and addresses.
// Organic rows are generated in order with one sub-seed per row, so depth 20 is a prefix of depth
// 100 on the same page layout; the layout itself is seeded independently of depth.

import { buildLocalPackItem, type LocalPackItem, type RatingInfo } from './maps.js';
import { FastRng, deriveSeed, hashString, type Rng } from './prng.js';
import type { SerpRenderInput } from './render-input.js';
import {
  B62,
  B64URL,
  DAY_MS,
  NEWS_HEADLINES,
  NEWS_SECTION_NAMES,
  blogDomain,
  capitalize,
  compactName,
  cumulate,
  detectIntent,
  displayPrice,
  emptyCtx,
  encode,
  escapeHtml,
  formatCount,
  formatTimestamp,
  languageName,
  headline,
  parseDatetime,
  pickWeighted,
  plusForm,
  relativeAge,
  resolvePlace,
  slugify,
  titleCase,
  tpl,
  tpls,
  wikiTitle,
  type Intent,
  type Market,
  type Place,
  type SerpCtx,
  type Tpl,
} from './serp-vocab.js';
import { correctSpelling } from './vocab.js';

/* ------------------------------------------------------------------------------------------- */
/* Result types                                                                                 */
/* ------------------------------------------------------------------------------------------- */

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

/* ------------------------------------------------------------------------------------------- */
/* Sites                                                                                        */
/* ------------------------------------------------------------------------------------------- */

type Kind =
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

interface SiteSpec {
  h: string; // host template
  n: string; // website_name
  k: Kind;
  w: number;
  p: string[]; // path templates (no leading slash)
  t?: string[]; // titles; kind defaults otherwise
  cc?: string[]; // markets the site ranks in
  r?: number; // probability of a rating
  sl?: boolean; // shows sitelinks at rank 1
}

interface Site {
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

const S = (h: string, n: string, k: Kind, w: number, p: string[], t?: string[], o: Partial<SiteSpec> = {}): SiteSpec => ({
  h,
  n,
  k,
  w,
  p,
  t,
  ...o,
});

const GLOBAL_SITES: SiteSpec[] = [
  S('{lang}.wikipedia.org', 'Wikipedia', 'ref', 9, ['wiki/{wslug}'], ['{Topic} - Wikipedia'], { sl: true }),
  S(
    'www.britannica.com',
    'Britannica',
    'ref',
    3,
    ['topic/{tslug}', 'science/{tslug}', 'biography/{tslug}'],
    ['{Topic} | Definition, History, & Facts | Britannica', '{Topic} | Britannica'],
  ),
  S('www.history.com', 'HISTORY', 'ref', 1, ['topics/{tslug}'], ['{Topic}: Facts, History & Significance - HISTORY']),
  S(
    'www.nationalgeographic.com',
    'National Geographic',
    'ref',
    1,
    ['science/article/{tslug}'],
    ['{Topic}, explained | National Geographic'],
  ),
  S('www.merriam-webster.com', 'Merriam-Webster', 'dict', 2, ['dictionary/{pct}'], ['{Kw} Definition & Meaning - Merriam-Webster']),
  S(
    'dictionary.cambridge.org',
    'Cambridge Dictionary',
    'dict',
    1,
    ['dictionary/english/{slug}'],
    ['{Kw} | English meaning - Cambridge Dictionary'],
  ),
  S(
    '{amazon}',
    'Amazon.com',
    'shop',
    5,
    ['{tslug}/dp/B0{b}', 's?k={plus}'],
    ['Amazon.com: {Topic}', 'Amazon.com : {kw}', '{Topic} - Amazon.com'],
    { r: 0.6 },
  ),
  S(
    'www.ebay.com',
    'eBay',
    'shop',
    2,
    ['b/{Tdash}/bn_{id}', 'sch/i.html?_nkw={plus}'],
    ['{Topic} for sale | eBay', '{Topic} products for sale | eBay'],
  ),
  S('www.etsy.com', 'Etsy', 'shop', 1.5, ['market/{tslug}'], ['{Topic} - Etsy', '{Topic} | Etsy']),
  S(
    'www.walmart.com',
    'Walmart.com',
    'shop',
    3,
    ['search?q={plus}', 'browse/{tslug}/{id}'],
    ['{Topic} - Walmart.com', '{Topic} in Shop by Category - Walmart.com'],
    { cc: ['US'], r: 0.3 },
  ),
  S('www.target.com', 'Target', 'shop', 2, ['s/{tslug}'], ['{Topic} : Target'], { cc: ['US'] }),
  S('www.bestbuy.com', 'Best Buy', 'shop', 1.5, ['site/searchpage.jsp?st={plus}'], ['{Topic} - Best Buy'], { cc: ['US', 'CA'], r: 0.4 }),
  S('www.homedepot.com', 'The Home Depot', 'shop', 1, ['b/{Tdash}/N-5yc1v{id}'], ['{Topic} - The Home Depot'], { cc: ['US'] }),
  S('www.argos.co.uk', 'Argos', 'shop', 2, ['search/{tslug}/'], ['{Topic} | Argos'], { cc: ['GB'] }),
  S('www.currys.co.uk', 'Currys', 'shop', 1.5, ['search?q={plus}'], ['{Topic} | Currys'], { cc: ['GB'] }),
  S('www.otto.de', 'OTTO', 'shop', 2, ['suche/{tslug}/'], ['{Topic} online kaufen | OTTO'], { cc: ['DE'] }),
  S(
    'www.idealo.de',
    'idealo',
    'review',
    2,
    ['preisvergleich/MainSearchProductCategory.html?q={plus}'],
    ['{Topic} Preisvergleich | Günstig bei idealo kaufen'],
    { cc: ['DE'] },
  ),
  S('www.fnac.com', 'Fnac', 'shop', 2, ['SearchResult/ResultList.aspx?Search={plus}'], ['{Topic} - Achat et meilleur prix | fnac'], {
    cc: ['FR'],
  }),
  S('www.bol.com', 'bol.com', 'shop', 2, ['nl/nl/s/?searchtext={plus}'], ['{Topic} kopen? | Alle artikelen online | bol'], { cc: ['NL'] }),
  S(
    'www.flipkart.com',
    'Flipkart',
    'shop',
    2.5,
    ['search?q={plus}'],
    ['{Topic} - Buy {Topic} online at Best Prices in India | Flipkart.com'],
    { cc: ['IN'] },
  ),
  S('www.rakuten.co.jp', '楽天市場', 'shop', 2, ['search/{pct}/'], ['【楽天市場】{kw}の通販'], { cc: ['JP'] }),
  S('www.mercadolivre.com.br', 'Mercado Livre', 'shop', 2.5, ['{tslug}'], ['{Topic} | MercadoLivre 📦'], { cc: ['BR'] }),
  S(
    'www.nytimes.com',
    'The New York Times',
    'review',
    2,
    ['wirecutter/reviews/best-{tslug}/'],
    ['The {n} Best {Topic} of {year} | Reviews by Wirecutter'],
  ),
  S('www.rtings.com', 'RTINGS.com', 'review', 1.5, ['{tslug}/reviews/best'], ['The {n} Best {Topic} of {year} - RTINGS.com']),
  S(
    'www.cnet.com',
    'CNET',
    'review',
    2,
    ['tech/best-{tslug}/'],
    ['Best {Topic} for {year} - CNET', 'Best {Topic} of {year}: Tested and Reviewed - CNET'],
  ),
  S('www.techradar.com', 'TechRadar', 'review', 1.5, ['best/{tslug}'], ['The best {topic} {year}: tested and rated | TechRadar']),
  S('www.pcmag.com', 'PCMag', 'review', 1, ['picks/the-best-{tslug}'], ['The Best {Topic} for {year} | PCMag']),
  S('www.tomsguide.com', "Tom's Guide", 'review', 1, ['best-picks/best-{tslug}'], ["The best {topic} in {year} | Tom's Guide"]),
  S('www.consumerreports.org', 'Consumer Reports', 'review', 1, ['{tslug}/buying-guide/'], ['Best {Topic} of {year} - Consumer Reports']),
  S(
    'www.goodhousekeeping.com',
    'Good Housekeeping',
    'review',
    1,
    ['home-products/g{id}/best-{tslug}/'],
    ['{n} Best {Topic} of {year}, Tested by Experts'],
  ),
  S(
    'www.reddit.com',
    'Reddit',
    'forum',
    6,
    ['r/{sub}/comments/{h}/{tslug}/'],
    ['{Kw} : r/{sub}', 'r/{sub} on Reddit: {Kw}', "What's your experience with {topic}? : r/{sub}", 'Best {topic}? : r/{sub}'],
  ),
  S(
    'www.quora.com',
    'Quora',
    'qa',
    2.5,
    ['What-is-the-best-{Tdash}', '{Tdash}'],
    ['What is the best {topic}? - Quora', 'What do you think about {topic}? - Quora', '{Kw}? - Quora'],
  ),
  S(
    'www.youtube.com',
    'YouTube',
    'video',
    5,
    ['watch?v={b}'],
    ['{Kw} - YouTube', '{Topic} Explained - YouTube', '{Topic} | Everything You Need To Know - YouTube'],
  ),
  S('www.tiktok.com', 'TikTok', 'video', 1.2, ['discover/{slug}'], ['{Kw} | TikTok', '{Topic} | TikTok']),
  S('vimeo.com', 'Vimeo', 'video', 0.3, ['{id}'], ['{Topic} on Vimeo']),
  S('www.facebook.com', 'Facebook', 'social', 1.5, ['{compact}/', 'groups/{compact}/'], ['{Kw} | Facebook', '{Kw} - Home | Facebook']),
  S(
    'www.instagram.com',
    'Instagram',
    'social',
    1.5,
    ['{compact}/', 'explore/tags/{compact}/'],
    ['{Kw} (@{compact}) • Instagram photos and videos', '#{compact} • Instagram'],
  ),
  S('x.com', 'X (formerly Twitter)', 'social', 1, ['{compact}', 'search?q={pct}'], ['{Kw} (@{compact}) / X', '#{compact} - Search / X']),
  S(
    'www.linkedin.com',
    'LinkedIn',
    'social',
    1,
    ['pulse/{slug}-{user}', 'company/{compact}'],
    ['{Kw} | LinkedIn', '{Topic}: What You Need to Know | LinkedIn'],
  ),
  S(
    'www.pinterest.com',
    'Pinterest',
    'social',
    1.2,
    ['ideas/{slug}/{id}/'],
    ['{n} {Topic} ideas | {topic}, ... - Pinterest', '{Topic} - Pinterest'],
  ),
  S(
    'medium.com',
    'Medium',
    'blog',
    1.5,
    ['@{user}/{slug}-{h}'],
    ['{Kw}: What I Learned | by {user} | Medium', 'Understanding {Topic} | by {user} | Medium'],
  ),
  S('{blog}', '', 'blog', 10, ['{slug}/', 'blog/{slug}/', '{tslug}-guide/', 'articles/{id}/{slug}']),
  S('www.usa.gov', 'USAGov', 'gov', 0.5, ['{tslug}'], ['{Topic} | USAGov'], { cc: ['US'] }),
  S('www.cdc.gov', 'CDC', 'health', 2, ['{tslug}/about/index.html'], ['About {Topic} | CDC', '{Topic} | CDC'], { cc: ['US'] }),
  S(
    'www.ncbi.nlm.nih.gov',
    'National Institutes of Health (NIH) (.gov)',
    'health',
    2,
    ['pmc/articles/PMC{id}/'],
    ['{Topic}: A Review - PMC', '{Topic} - StatPearls - NCBI Bookshelf'],
  ),
  S('www.nasa.gov', 'NASA', 'gov', 0.5, ['{tslug}/'], ['{Topic} - NASA'], { cc: ['US'] }),
  S('www.gov.uk', 'GOV.UK', 'gov', 2, ['guidance/{tslug}', '{tslug}'], ['{Topic} - GOV.UK', '{Topic}: guidance - GOV.UK'], { cc: ['GB'] }),
  S('www.nhs.uk', 'nhs.uk', 'health', 3, ['conditions/{tslug}/'], ['{Topic} - NHS', '{Topic}: symptoms and treatment - NHS'], {
    cc: ['GB'],
  }),
  S(
    'plato.stanford.edu',
    'Stanford Encyclopedia of Philosophy',
    'edu',
    0.6,
    ['entries/{tslug}/'],
    ['{Topic} (Stanford Encyclopedia of Philosophy)'],
  ),
  S(
    'news.harvard.edu',
    'Harvard Gazette',
    'edu',
    0.5,
    ['gazette/story/{year}/{id}/{tslug}/'],
    ['What we know about {topic} - Harvard Gazette'],
  ),
  S('www.khanacademy.org', 'Khan Academy', 'edu', 0.8, ['science/{tslug}'], ['{Topic} (article) | Khan Academy']),
  S('ocw.mit.edu', 'MIT OpenCourseWare', 'edu', 0.4, ['courses/{tslug}/'], ['{Topic} | MIT OpenCourseWare']),
  S(
    'www.mayoclinic.org',
    'Mayo Clinic',
    'health',
    3,
    ['diseases-conditions/{tslug}/symptoms-causes/syc-2035{id}'],
    ['{Topic} - Symptoms and causes - Mayo Clinic', '{Topic} - Diagnosis and treatment - Mayo Clinic'],
  ),
  S(
    'www.healthline.com',
    'Healthline',
    'health',
    3,
    ['health/{tslug}'],
    ['{Topic}: Causes, Symptoms, and Treatment - Healthline', '{n} Evidence-Based Facts About {Topic} - Healthline'],
  ),
  S('www.webmd.com', 'WebMD', 'health', 2.5, ['a-to-z-guides/{tslug}'], ['{Topic}: Symptoms, Causes, Treatments - WebMD']),
  S(
    'my.clevelandclinic.org',
    'Cleveland Clinic',
    'health',
    2.5,
    ['health/diseases/{id}-{tslug}'],
    ['{Topic}: What It Is, Causes, Symptoms & Treatment - Cleveland Clinic'],
  ),
  S(
    'www.allrecipes.com',
    'Allrecipes',
    'recipe',
    4,
    ['recipe/{id}/{tslug}/'],
    ['Best {Topic} Recipe - Allrecipes', 'Easy {Topic} Recipe - Allrecipes'],
    { r: 0.95 },
  ),
  S(
    'www.foodnetwork.com',
    'Food Network',
    'recipe',
    2.5,
    ['recipes/{tslug}-recipe-{id}'],
    ['{Topic} Recipe | Food Network', 'Best {Topic} Recipe | Food Network Kitchen'],
    { r: 0.9 },
  ),
  S('www.bonappetit.com', 'Bon Appétit', 'recipe', 1.5, ['recipe/{tslug}'], ['{Topic} Recipe | Bon Appétit'], { r: 0.7 }),
  S('www.simplyrecipes.com', 'Simply Recipes', 'recipe', 1.5, ['recipes/{tslug}/'], ['Easy {Topic} Recipe - Simply Recipes'], { r: 0.8 }),
  S('www.seriouseats.com', 'Serious Eats', 'recipe', 1.5, ['{tslug}-recipe-{id}'], ['The Best {Topic} Recipe - Serious Eats'], { r: 0.8 }),
  S(
    'www.wikihow.com',
    'wikiHow',
    'howto',
    5,
    ['{Tdash}'],
    ['How to {Topic}: {n} Steps (with Pictures) - wikiHow', '{n} Ways to {Topic} - wikiHow'],
  ),
  S('www.instructables.com', 'Instructables', 'howto', 1.5, ['{Tdash}/'], ['{Topic} : {n} Steps (with Pictures) - Instructables']),
  S('www.thespruce.com', 'The Spruce', 'howto', 1.5, ['{tslug}-{id}'], ['How to {Topic} - The Spruce']),
  S(
    'stackoverflow.com',
    'Stack Overflow',
    'tech',
    5,
    ['questions/{id}/{tslug}'],
    ['{Kw} - Stack Overflow', 'How to {topic}? - Stack Overflow'],
  ),
  S(
    'www.geeksforgeeks.org',
    'GeeksforGeeks',
    'tech',
    3,
    ['{tslug}/'],
    ['{Topic} - GeeksforGeeks', '{Topic} with Examples - GeeksforGeeks'],
  ),
  S('developer.mozilla.org', 'MDN Web Docs', 'tech', 2, ['en-US/docs/Web/{Tdash}'], ['{Topic} - MDN Web Docs']),
  S('www.w3schools.com', 'W3Schools', 'tech', 2, ['{compact}/default.asp'], ['{Topic} Tutorial - W3Schools']),
  S('github.com', 'GitHub', 'tech', 2, ['{user}/{tslug}'], ['{user}/{tslug}: {Topic} - GitHub', 'GitHub - {user}/{tslug}']),
  S('learn.microsoft.com', 'Microsoft Learn', 'tech', 1.5, ['en-us/troubleshoot/{tslug}'], ['{Topic} - Microsoft Learn']),
  S(
    'www.tripadvisor.com',
    'Tripadvisor',
    'travel',
    4,
    ['Tourism-g{id}-{cslug}-Vacations.html', 'Attractions-g{id}-Activities-{cslug}.html'],
    ['{Topic}: Tripadvisor', 'THE {n} BEST Things to Do in {city} ({year})'],
    { r: 0.5 },
  ),
  S('www.booking.com', 'Booking.com', 'travel', 3, ['city/{lang}/{cslug}.html'], ['The {n} best hotels in {city} ({year}) | Booking.com'], {
    r: 0.4,
  }),
  S(
    'www.expedia.com',
    'Expedia',
    'travel',
    2,
    ['{Tdash}.d{id}.Destination-Travel-Guides'],
    ['Visit {city}: {year} Travel Guide for {city} | Expedia'],
  ),
  S('www.lonelyplanet.com', 'Lonely Planet', 'travel', 2, ['articles/{tslug}'], ["{Topic}: a first-timer's guide - Lonely Planet"]),
  S('www.kayak.com', 'KAYAK', 'travel', 1.5, ['{Tdash}.{id}.guide'], ['Cheap {Topic} - KAYAK']),
  S(
    'www.investopedia.com',
    'Investopedia',
    'finance',
    4,
    ['terms/{h}/{tslug}.asp'],
    ['{Topic}: Definition, How It Works, and Examples - Investopedia', '{Topic} Explained - Investopedia'],
  ),
  S(
    'www.nerdwallet.com',
    'NerdWallet',
    'finance',
    3,
    ['article/{tslug}'],
    ['{Topic}: What It Is and How It Works - NerdWallet', 'Best {Topic} of {year} - NerdWallet'],
  ),
  S('www.bankrate.com', 'Bankrate', 'finance', 2, ['{tslug}/'], ['{Topic} | Bankrate']),
  S(
    'finance.yahoo.com',
    'Yahoo Finance',
    'finance',
    1.5,
    ['news/{tslug}-{id}.html'],
    ['{Topic}: what investors need to know - Yahoo Finance'],
  ),
  S('www.fool.com', 'The Motley Fool', 'finance', 1.5, ['investing/{year}/{tslug}/'], ['{Topic}: Should You Buy? | The Motley Fool']),
  S(
    'www.yelp.com',
    'Yelp',
    'local',
    6,
    ['search?find_desc={plus}&find_loc={cslug}'],
    ['THE BEST 10 {Topic} in {city} - Updated {year} - Yelp', 'Top 10 Best {Topic} Near {city} - Yelp'],
    { r: 0.3 },
  ),
  S('www.tripadvisor.com', 'Tripadvisor', 'local', 3, ['Search?q={plus}&geo={id}'], ['THE 10 BEST {Topic} in {city} (Updated {year})']),
  S('www.timeout.com', 'Time Out', 'local', 2, ['{cslug}/{tslug}'], ['The {n} Best {Topic} in {city} Right Now - Time Out']),
  S('www.yellowpages.com', 'Yellow Pages', 'local', 1.5, ['{cslug}/{tslug}'], ['Best {n} {Topic} in {city} with Reviews - YP.com'], {
    cc: ['US'],
  }),
  S('www.opentable.com', 'OpenTable', 'local', 1, ['metro/{cslug}-restaurants'], ['{n} Best {Topic} in {city} | OpenTable']),
  S('www.mapquest.com', 'MapQuest', 'local', 1, ['search/results?query={plus}'], ['{Topic} near {city} | MapQuest']),
  S('www.{compact}.com', '', 'brand', 1, ['', 'shop/', 'about/']),
];

const CN_SITES: SiteSpec[] = [
  S('baike.baidu.com', '百度百科', 'ref', 10, ['item/{pct}/{id}'], ['{kw}_百度百科'], { sl: true }),
  S('zhidao.baidu.com', '百度知道', 'qa', 5, ['question/{id}.html'], ['{kw}是什么?_百度知道', '{kw}怎么样?_百度知道']),
  S('www.zhihu.com', '知乎', 'qa', 6, ['question/{id}'], ['如何评价{kw}? - 知乎', '{kw}有哪些值得推荐的? - 知乎']),
  S('www.bilibili.com', '哔哩哔哩', 'video', 4, ['video/BV1{b}/'], ['{kw}_哔哩哔哩_bilibili', '【{kw}】一次看懂_哔哩哔哩_bilibili']),
  S('blog.csdn.net', 'CSDN博客', 'tech', 3, ['{user}/article/details/{id}'], ['{kw}_CSDN博客', '{kw}详解-CSDN博客']),
  S('www.sohu.com', '搜狐', 'news', 3, ['a/{id}_{id}'], ['{kw}_搜狐网', '关于{kw},你需要知道的都在这里_搜狐']),
  S('news.sina.com.cn', '新浪新闻', 'news', 2, ['c/{year}/doc-{h}.shtml'], ['{kw}最新消息_新浪新闻']),
  S('www.163.com', '网易', 'news', 2, ['dy/article/{h}.html'], ['{kw}|网易']),
  S('search.jd.com', '京东', 'shop', 3, ['Search?keyword={pct}'], ['{kw}-京东'], { r: 0.4 }),
  S('s.taobao.com', '淘宝', 'shop', 2, ['search?q={pct}'], ['{kw}-淘宝网']),
  S('www.douban.com', '豆瓣', 'forum', 2, ['group/topic/{id}/'], ['{kw} - 豆瓣']),
  S('tieba.baidu.com', '百度贴吧', 'forum', 3, ['f?kw={pct}'], ['{kw}吧-百度贴吧']),
  S('www.xiaohongshu.com', '小红书', 'social', 2, ['explore/{h}'], ['{kw} - 小红书']),
  S('{blog}', '', 'blog', 4, ['{slug}/', 'article/{id}.html']),
];
const KR_SITES: SiteSpec[] = [
  S('blog.naver.com', '네이버 블로그', 'blog', 10, ['{user}/{id}'], ['{kw} 후기 : 네이버 블로그', '{kw} 총정리 : 네이버 블로그']),
  S('cafe.naver.com', '네이버 카페', 'forum', 5, ['{user}/{id}'], ['{kw} 질문이요 : 네이버 카페', '{kw} 정보 공유 : 네이버 카페']),
  S('kin.naver.com', '네이버 지식iN', 'qa', 4, ['qna/detail.naver?d1id=1&docId={id}'], ['{kw} 알려주세요 : 지식iN']),
  S('namu.wiki', '나무위키', 'ref', 5, ['w/{pct}'], ['{kw} - 나무위키'], { sl: true }),
  S('ko.wikipedia.org', '위키백과', 'ref', 3, ['wiki/{wslug}'], ['{kw} - 위키백과, 우리 모두의 백과사전']),
  S('terms.naver.com', '지식백과', 'dict', 2, ['entry.naver?docId={id}'], ['{kw} - 네이버 지식백과']),
  S('n.news.naver.com', '네이버 뉴스', 'news', 3, ['article/0{id}/{id}'], ['{kw} 관련 소식 - 네이버 뉴스']),
  S('www.youtube.com', 'YouTube', 'video', 3, ['watch?v={b}'], ['{kw} - YouTube']),
  S('search.shopping.naver.com', '네이버쇼핑', 'shop', 3, ['search/all?query={pct}'], ['{kw} : 네이버쇼핑'], { r: 0.4 }),
  S('www.coupang.com', '쿠팡', 'shop', 2, ['np/search?q={pct}'], ['{kw} - 쿠팡!']),
  S('{user}.tistory.com', '티스토리', 'blog', 4, ['{n}'], ['{kw} 정리', '{kw} 방법 총정리']),
];
const CZ_SITES: SiteSpec[] = [
  S('cs.wikipedia.org', 'Wikipedie', 'ref', 8, ['wiki/{wslug}'], ['{Kw} – Wikipedie'], { sl: true }),
  S('www.heureka.cz', 'Heureka.cz', 'review', 5, ['?h%5Bfraze%5D={plus}'], ['{Kw} – Heureka.cz', '{Kw} | Srovnání cen – Heureka.cz'], {
    r: 0.5,
  }),
  S('www.alza.cz', 'Alza.cz', 'shop', 4, ['{tslug}'], ['{Kw} | Alza.cz'], { r: 0.4 }),
  S('www.mall.cz', 'MALL.CZ', 'shop', 2, ['hledej?s={plus}'], ['{Kw} | MALL.CZ']),
  S('www.zbozi.cz', 'Zboží.cz', 'shop', 3, ['hledani/?q={plus}'], ['{Kw} – Zboží.cz']),
  S('www.firmy.cz', 'Firmy.cz', 'local', 4, ['?q={plus}'], ['{Kw} – Firmy.cz']),
  S('mapy.cz', 'Mapy.cz', 'local', 2, ['?q={plus}'], ['{Kw} • Mapy.cz']),
  S('www.idnes.cz', 'iDNES.cz', 'news', 3, ['zpravy/{tslug}.A{id}'], ['{Kw} – iDNES.cz']),
  S('www.novinky.cz', 'Novinky.cz', 'news', 3, ['clanek/{tslug}-{id}'], ['{Kw} - Novinky.cz']),
  S('www.seznamzpravy.cz', 'Seznam Zprávy', 'news', 3, ['clanek/{tslug}-{id}'], ['{Kw} | Seznam Zprávy']),
  S('www.youtube.com', 'YouTube', 'video', 2, ['watch?v={b}'], ['{Kw} - YouTube']),
  S('www.facebook.com', 'Facebook', 'social', 1, ['{compact}/'], ['{Kw} | Facebook']),
  S('{blog}', '', 'blog', 6, ['{slug}/', 'clanek/{slug}/']),
];

/* Kind defaults (English). Titles and snippets always mention the keyword or topic. */
const KIND_TITLES: Partial<Record<Kind, string[]>> = {
  blog: [
    '{Kw}: The Complete Guide ({year})',
    'Everything You Need to Know About {Topic}',
    '{n} Things to Know About {Topic}',
    "{Kw} Explained: A Beginner's Guide",
    'What Is {Topic}? (And Why It Matters)',
    'The Ultimate Guide to {Topic} - {site}',
    '{Topic}: Tips, Ideas and Common Mistakes',
    'Our Honest Take on {Topic} | {site}',
  ],
  news: ['{Topic}: what we know so far | {site}', '{Topic} - latest news and analysis | {site}', 'Why {topic} matters right now - {site}'],
  brand: ['{Kw} | Official Site', '{Kw} - Official Website', 'Home | {Kw}'],
};

const KIND_DESCS: Partial<Record<Kind, string[]>> = {
  ref: [
    '{Kw} has a long and varied history. This article covers its origins, key developments, notable figures and its influence today.',
    'An overview of {topic}, including its definition, history, main characteristics and related concepts, with references and further reading.',
    '{Topic} is widely studied and discussed. Learn about its background, the most important facts, and how our understanding of {topic} has changed.',
  ],
  dict: [
    'The meaning of {kw}: definition, pronunciation, synonyms and example sentences showing how to use {kw} in context.',
    '{Kw} definition: learn what {kw} means, how it is pronounced and how it is used, with examples from real texts.',
  ],
  news: [
    'Follow the latest developments on {topic}, with analysis, reactions and what happens next. Updated as the story unfolds.',
    'Get the latest news on {topic}: breaking stories, expert analysis, photos and video from our reporters around the world.',
  ],
  shop: [
    'Shop {topic} at great prices. Free shipping on eligible orders, easy returns and thousands of customer reviews.',
    'Find a wide selection of {topic}. Compare brands, read reviews and get fast delivery on millions of items.',
    'Browse our range of {topic} and save. Order online for delivery or pick up in store today.',
  ],
  review: [
    'We tested dozens of {topic} options to find the best ones. Here are our top picks for every budget, with pros and cons.',
    'Looking for the best {topic}? Our experts compared performance, price and reliability to help you choose.',
    "The best {topic} we've tested in {year}, ranked. Updated regularly with new models and price drops.",
  ],
  forum: [
    "I've been looking into {topic} for a while and wanted to hear from people with real experience. Any recommendations?",
    "Honest opinions on {kw}? I'm trying to decide and the reviews online are all over the place. Thanks in advance!",
    'Discussion thread about {topic}. Share your experience, tips and what you would do differently.',
  ],
  qa: [
    'Answer (1 of {n}): It depends on what you need. For most people, {topic} comes down to a few key factors...',
    'There are several ways to look at {topic}. Here is what I learned after years of experience with {kw}.',
  ],
  video: [
    'In this video we cover {topic} from start to finish. Subscribe for more videos like this! Timestamps in the description.',
    'Everything you need to know about {topic} in {n} minutes. Watch the full video for tips, examples and common mistakes.',
  ],
  social: [
    '{Kw}. {n} likes · {id} talking about this. The latest updates, photos and videos about {topic}.',
    'See photos and videos about {topic} from people around the world. Join the conversation.',
  ],
  blog: [
    'Curious about {topic}? In this guide we break down everything you need to know about {kw}, with practical tips and examples.',
    '{Kw} can be confusing at first. Here is a simple, step-by-step explanation with real-world examples and expert advice.',
    'We put together the most useful facts, tips and resources about {topic}, so you can get started quickly and avoid common mistakes.',
    'A practical look at {topic}: what it is, how it works, the pros and cons, and what to consider before you decide.',
  ],
  gov: [
    'Official information about {topic}: guidance, eligibility, how to apply and where to get help.',
    'Learn about {topic}, including official resources, data and frequently asked questions.',
  ],
  edu: [
    'An introduction to {topic} for students: key ideas, worked examples and further reading.',
    'Research and teaching resources on {topic}, from foundations to the latest findings.',
  ],
  howto: [
    'Learn how to {topic} with this easy step-by-step guide. Includes pictures, tips and a list of everything you need.',
    'Want to {topic}? Follow these simple steps. It takes about {n} minutes and no special skills.',
  ],
  health: [
    '{Topic}: learn about symptoms, causes, risk factors, diagnosis and treatment options, and when to see a doctor.',
    'Find out what {topic} is, what causes it and how it is treated. Reviewed by medical experts.',
  ],
  recipe: [
    'This easy {topic} recipe is ready in {n} minutes. Simple ingredients, step-by-step instructions and tips for the best results.',
    'The best {topic} recipe! Rated by thousands of home cooks. Includes ingredient list, nutrition facts and cooking tips.',
  ],
  tech: [
    "I'm trying to get {topic} working but I keep running into problems. Here is what I tried and the error I get...",
    'Learn {topic} with clear explanations and examples. Syntax, parameters, return values and common pitfalls.',
  ],
  travel: [
    'Plan your trip: the best things to do, where to stay and what to eat in {city}. Read reviews and compare prices for {topic}.',
    'Discover {topic} with our travel guide: top attractions, local tips, itineraries and deals.',
  ],
  finance: [
    "{Topic} explained: how it works, the pros and cons, and how to decide if it's right for your finances.",
    'Compare {topic} options and rates. Our experts explain what to look for and the costs involved.',
  ],
  local: [
    'Find the best {topic} in {city}. Read reviews, see photos and compare ratings, hours and prices.',
    'Top {topic} near {city}: reviews from locals, opening hours, menus and directions.',
  ],
  brand: [
    'Welcome to the official site of {Kw}. Discover our products and services, latest news and how to get in touch.',
    '{Kw} - official website. Explore, shop and find support. Free delivery on eligible orders.',
  ],
};

const LOCAL_DESCS: Record<string, string[]> = {
  zh: [
    '{kw}的详细介绍,包括基本信息、发展历史、主要特点以及相关知识。',
    '关于{kw}的最新资讯和用户讨论,看看大家怎么说。',
    '{kw}怎么样?这里有最全面的{kw}攻略、评测和经验分享。',
  ],
  ko: [
    '{kw}에 대한 모든 정보를 정리했습니다. 장단점과 가격, 실제 후기까지 확인해 보세요.',
    '{kw} 관련 최신 정보와 사용자 후기를 한눈에 비교해 보세요.',
    '{kw} 방법과 꿀팁 총정리! 처음 하시는 분들도 쉽게 따라 할 수 있습니다.',
  ],
  cs: [
    'Vše, co potřebujete vědět o tématu {kw}: přehled, ceny, recenze a praktické tipy.',
    '{Kw} – aktuální informace, srovnání a zkušenosti uživatelů.',
    'Hledáte {kw}? Porovnejte nabídky, přečtěte si recenze a vyberte to nejlepší.',
  ],
};

const PREFIX_MODS = new Set(['best', 'cheap', 'top']);
const RELATED_MODS: Record<string, string[]> = {
  info: ['meaning', 'definition', 'history', 'facts', 'examples', 'wikipedia', 'types', 'explained', 'for kids', 'pdf'],
  commercial: ['reviews', 'price', 'near me', 'sale', 'best', 'cheap', 'reddit', 'amazon', 'alternatives', 'vs'],
  local: ['near me', 'open now', 'reviews', 'prices', 'hours', 'delivery', 'best', 'menu'],
  howto: ['step by step', 'for beginners', 'video', 'easy', 'youtube', 'at home', 'without tools', 'tips'],
  news: ['today', 'latest news', 'live', 'update', 'reddit', 'twitter', 'timeline', 'explained'],
};

/* ------------------------------------------------------------------------------------------- */
/* Engines                                                                                      */
/* ------------------------------------------------------------------------------------------- */

type Feature =
  | 'paid'
  | 'featured_snippet'
  | 'people_also_ask'
  | 'related_searches'
  | 'top_stories'
  | 'images'
  | 'video'
  | 'knowledge_graph'
  | 'local_pack';

interface EngineDef {
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

function neutralTitles(list: readonly string[], allowHowto = false): Tpl[] | null {
  const kept = list.filter((t) => {
    const l = t.toLowerCase();
    return !l.includes('best') && !l.includes('cheap') && (allowHowto || (!l.includes('how to') && !l.includes('ways to')));
  });
  return kept.length > 0 ? tpls(kept) : null;
}

function compileSites(specs: readonly SiteSpec[]): Site[] {
  return specs.map((s) => ({
    host: tpl(s.h),
    generated: s.h === '{blog}' ? 'blog' : s.k === 'brand' ? 'brand' : null,
    name: s.n,
    kind: s.k,
    weight: s.w,
    paths: tpls(s.p),
    titles: s.t ? tpls(s.t) : null,
    titlesNeutral: s.t ? neutralTitles(s.t) : null,
    titlesHowto: s.t ? neutralTitles(s.t, true) : null,
    cc: s.cc ?? null,
    rating: s.r ?? 0,
    sitelinks: s.sl ?? s.k === 'brand',
  }));
}

const SITES_GLOBAL = compileSites(GLOBAL_SITES);
const KIND_TITLE_TPLS = new Map<Kind, Tpl[]>(Object.entries(KIND_TITLES).map(([k, v]) => [k as Kind, tpls(v)]));
const KIND_DESC_TPLS = new Map<Kind, Tpl[]>(Object.entries(KIND_DESCS).map(([k, v]) => [k as Kind, tpls(v)]));
const LOCAL_DESC_TPLS = new Map<string, Tpl[]>(Object.entries(LOCAL_DESCS).map(([k, v]) => [k, tpls(v)]));
const GENERIC_TITLES = tpls(['{Kw} - {site}', '{Topic} | {site}', '{Kw}: Overview and Key Facts - {site}']);

const arrow = (host: string, path: string): string => {
  let out = 'https://' + host;
  let start = 0;
  let count = 0;
  const end = path.indexOf('?') >= 0 ? path.indexOf('?') : path.length;
  while (start < end) {
    let slash = path.indexOf('/', start);
    if (slash < 0 || slash > end) slash = end;
    if (slash > start) {
      if (count++ === 3) return out + ' › ...';
      out += ' › ' + path.slice(start, slash);
    }
    start = slash + 1;
  }
  return out;
};
const plainHost = (host: string): string => host;
const fullUrl = (host: string, path: string): string => 'https://' + host + '/' + path;

function localeQuery(rc: RenderCtx): string {
  return '&hl=' + encode(rc.langCode) + (rc.input.countryIso ? '&gl=' + encode(rc.input.countryIso.toUpperCase()) : '');
}

const UULE_KEYS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function uule(name: string | null): string {
  if (!name) return '';
  const bytes = Buffer.from(name, 'utf8');
  if (bytes.length >= UULE_KEYS.length) return '';
  return '&uule=w+CAIQICI' + UULE_KEYS[bytes.length] + bytes.toString('base64');
}

const ENGINES: Record<OrganicEngine, EngineDef> = {
  google: {
    se: 'google',
    pageSize: 10,
    homeCc: undefined,
    richness: 1,
    sites: SITES_GLOBAL,
    descLang: null,
    features: new Set<Feature>([
      'paid',
      'featured_snippet',
      'people_also_ask',
      'related_searches',
      'top_stories',
      'images',
      'video',
      'knowledge_graph',
      'local_pack',
    ]),
    host: (d) => withWww(d || 'google.com'),
    checkUrl: (rc) =>
      'https://' +
      rc.host +
      '/search?q=' +
      rc.ctx.pct +
      '&num=100' +
      localeQuery(rc) +
      '&gws_rd=cr&ie=UTF-8&oe=UTF-8&glp=1' +
      uule(rc.input.locationName),
    breadcrumb: arrow,
    xpathBase: '/html[1]/body[1]/div[3]/div[1]/div[13]/div[1]/div[2]/div[2]/div[1]/div[1]/div[',
    titleSuffix: ' - Google Search',
  },
  bing: {
    se: 'bing',
    pageSize: 10,
    homeCc: undefined,
    richness: 0.7,
    sites: SITES_GLOBAL,
    descLang: null,
    features: new Set<Feature>([
      'paid',
      'featured_snippet',
      'people_also_ask',
      'related_searches',
      'top_stories',
      'images',
      'video',
      'local_pack',
    ]),
    host: (d) => withWww(d || 'bing.com'),
    checkUrl: (rc) =>
      'https://' +
      rc.host +
      '/search?q=' +
      rc.ctx.plus +
      '&count=' +
      Math.min(50, Math.max(10, rc.depth)) +
      '&setlang=' +
      encode(rc.langCode) +
      (rc.input.countryIso
        ? '&cc=' + encode(rc.input.countryIso.toUpperCase()) + '&mkt=' + encode(rc.lang + '-' + rc.input.countryIso.toUpperCase())
        : '') +
      '&first=1',
    breadcrumb: fullUrl,
    xpathBase: '/html[1]/body[1]/div[1]/main[1]/ol[1]/li[',
    titleSuffix: ' - Search',
  },
  yahoo: {
    se: 'yahoo',
    pageSize: 10,
    homeCc: undefined,
    richness: 0.55,
    sites: SITES_GLOBAL,
    descLang: null,
    features: new Set<Feature>([
      'paid',
      'featured_snippet',
      'people_also_ask',
      'related_searches',
      'top_stories',
      'images',
      'video',
      'local_pack',
    ]),
    host: (d) => {
      const h = (d || 'search.yahoo.com').toLowerCase();
      return h.includes('search.')
        ? h
        : h.startsWith('www.')
          ? 'search.' + h.slice(4)
          : h.split('.').length > 2
            ? h.replace('.', '.search.')
            : 'search.' + h;
    },
    checkUrl: (rc) =>
      'https://' +
      rc.host +
      '/search?p=' +
      rc.ctx.plus +
      '&n=' +
      Math.min(100, Math.max(10, rc.depth)) +
      '&vl=lang_' +
      encode(rc.lang) +
      (rc.input.countryIso ? '&vc=' + encode(rc.input.countryIso.toLowerCase()) : '') +
      '&ei=UTF-8',
    breadcrumb: (host, path) => arrow(host, path).slice(8),
    xpathBase: '/html[1]/body[1]/div[1]/div[3]/div[1]/div[1]/div[1]/div[1]/ol[1]/li[',
    titleSuffix: ' - Yahoo Search Results',
  },
  baidu: {
    se: 'baidu',
    pageSize: 10,
    homeCc: 'CN',
    richness: 0.5,
    sites: compileSites(CN_SITES),
    descLang: 'zh',
    features: new Set<Feature>(['paid', 'related_searches', 'images', 'video']),
    host: () => 'www.baidu.com',
    checkUrl: (rc) => 'https://www.baidu.com/s?wd=' + rc.ctx.pct + '&rn=' + Math.min(50, Math.max(10, rc.depth)) + '&ie=utf-8',
    breadcrumb: plainHost,
    xpathBase: '/html[1]/body[1]/div[2]/div[3]/div[1]/div[3]/div[',
    titleSuffix: '_百度搜索',
  },
  naver: {
    se: 'naver',
    pageSize: 15,
    homeCc: 'KR',
    richness: 0.6,
    sites: compileSites(KR_SITES),
    descLang: 'ko',
    features: new Set<Feature>(['paid', 'related_searches', 'images', 'video']),
    host: () => 'search.naver.com',
    checkUrl: (rc) => 'https://search.naver.com/search.naver?where=nexearch&query=' + rc.ctx.pct,
    breadcrumb: (host, path) => arrow(host, path).slice(8),
    xpathBase: '/html[1]/body[1]/div[3]/div[2]/div[1]/div[1]/section[1]/div[1]/ul[1]/li[',
    titleSuffix: ' : 네이버 통합검색',
  },
  seznam: {
    se: 'seznam',
    pageSize: 10,
    homeCc: 'CZ',
    richness: 0.5,
    sites: compileSites(CZ_SITES),
    descLang: 'cs',
    features: new Set<Feature>(['paid', 'related_searches', 'images', 'video', 'top_stories']),
    host: () => 'search.seznam.cz',
    checkUrl: (rc) => 'https://search.seznam.cz/?q=' + rc.ctx.pct + '&count=' + Math.min(50, Math.max(10, rc.depth)),
    breadcrumb: fullUrl,
    xpathBase: '/html[1]/body[1]/div[1]/div[3]/div[2]/div[1]/div[1]/div[',
    titleSuffix: ' – Hledání na Seznamu',
  },
};

function withWww(d: string): string {
  const h = d.trim().toLowerCase();
  return h.startsWith('www.') ? h : 'www.' + h;
}

function engineOf(se: string): EngineDef {
  return ENGINES[se as OrganicEngine] ?? ENGINES.google;
}

/* ------------------------------------------------------------------------------------------- */
/* Render context                                                                               */
/* ------------------------------------------------------------------------------------------- */

interface RenderCtx {
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

const STREAM_LAYOUT = 1_000_001;
const STREAM_FEATURE = 1_100_000;

function kindBoost(kind: Kind, it: Intent, words: number): number {
  switch (kind) {
    case 'health':
      return it.health ? 8 : 0;
    case 'recipe':
      return it.recipe ? 10 : 0;
    case 'tech':
      return it.tech ? 8 : 0;
    case 'travel':
      return it.travel ? 8 : 0;
    case 'finance':
      return it.finance ? 8 : 0;
    case 'local':
      return it.local ? 8 : 0;
    case 'howto':
      return it.howto ? 6 : 0;
    case 'brand':
      return 0;
    case 'shop':
      return it.commercial ? 4 : it.local || it.question ? 0 : 0.12;
    case 'review':
      return it.commercial ? 5 : 0;
    case 'dict':
      return it.commercial || it.local || it.howto || it.news ? 0 : words === 1 ? 2 : 0.1;
    case 'ref':
      return it.local ? 0.05 : it.commercial || it.howto ? 0.2 : it.entity ? 2.5 : it.question ? 1.5 : 1;
    case 'gov':
      return it.local || it.commercial ? 0 : it.health ? 3 : 0.6;
    case 'edu':
      return it.local || it.commercial ? 0 : 0.6;
    case 'news':
      return it.news ? 6 : it.entity ? 1.5 : it.local ? 0.2 : 0.6;
    case 'social':
      return it.local ? 0.2 : it.news || it.entity ? 1.5 : 1;
    case 'forum':
      return it.commercial || it.tech ? 2 : it.question ? 1.5 : 1;
    case 'qa':
      return it.question ? 3 : it.tech ? 2 : 1;
    case 'video':
      return it.howto ? 2.5 : it.recipe ? 2 : 1;
    case 'blog':
      return it.recipe ? 2 : 1;
  }
}

const NEWS_PATHS = tpls(['{year}/{sect}/{tslug}-{id}', '{sect}/{tslug}/{id}', 'news/{sect}/{tslug}.html', 'article/{tslug}-{h}']);
const NEWS_SITE_CACHE = new Map<string, Site[]>();

/** The market's news publishers as organic sites (Google, Bing and Yahoo only). */
function newsSites(market: Market): Site[] {
  let list = NEWS_SITE_CACHE.get(market.cc);
  if (!list) {
    const w = 6 / market.news.length;
    list = market.news.map((n) => ({
      host: () => n.domain,
      generated: null,
      name: n.name,
      kind: 'news' as Kind,
      weight: w,
      paths: NEWS_PATHS,
      titles: null,
      titlesNeutral: null,
      titlesHowto: null,
      cc: null,
      rating: 0,
      sitelinks: false,
    }));
    NEWS_SITE_CACHE.set(market.cc, list);
  }
  return list;
}

const SUBS_BY: Record<string, string[]> = {
  tech: ['programming', 'learnprogramming', 'webdev', 'techsupport', 'sysadmin'],
  health: ['AskDocs', 'Health', 'nutrition', 'medicine'],
  recipe: ['Cooking', 'recipes', 'Baking', 'EatCheapAndHealthy'],
  travel: ['travel', 'solotravel', 'TravelHacks'],
  finance: ['personalfinance', 'investing', 'financialindependence'],
  commercial: ['BuyItForLife', 'Frugal', 'gadgets', 'deals'],
  howto: ['NoStupidQuestions', 'DIY', 'lifehacks', 'howto'],
  news: ['news', 'worldnews', 'politics'],
  default: ['AskReddit', 'explainlikeimfive', 'NoStupidQuestions', 'todayilearned', 'history', 'science', 'OutOfTheLoop'],
};

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

function makeContext(input: SerpRenderInput): RenderCtx {
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

/* ------------------------------------------------------------------------------------------- */
/* Organic rows                                                                                 */
/* ------------------------------------------------------------------------------------------- */

interface Picked {
  site: Site;
  host: string;
  name: string;
}

function siteName(host: string): string {
  let h = host.startsWith('www.') ? host.slice(4) : host;
  const dot = h.indexOf('.');
  if (dot > 0) h = h.slice(0, dot);
  return capitalize(h);
}

const PLATFORMS: ReadonlySet<Kind> = new Set<Kind>(['forum', 'qa', 'video', 'social', 'blog', 'shop', 'local']);

/** How often one host may rank: once for encyclopedias and brand sites, more for user-content platforms. */
function hostLimit(rc: RenderCtx, site: Site): number {
  if (site.kind === 'ref' || site.generated === 'brand') return 1;
  if (!PLATFORMS.has(site.kind)) return 2;
  return rc.engine.homeCc === undefined ? 4 : 40;
}

interface Chosen extends Picked {
  path: string;
  url: string;
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

const USERS = [
  'jmartin',
  'techwithtim',
  'sarah_k',
  'devnotes',
  'mike.codes',
  'annareads',
  'the_real_dan',
  'lwong',
  'greenthumb',
  'pixelpusher',
  'nomadnina',
  'chefmarco',
];
const SECTIONS = NEWS_SECTION_NAMES;
const RATING_TYPES = ['Max5'] as const;

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

const WIKI_SECTIONS = [
  'History',
  'Etymology',
  'Overview',
  'Characteristics',
  'Early life',
  'Legacy',
  'See also',
  'References',
  'Types',
  'Reception',
];
const BRAND_LINKS = ['Shop', 'About Us', 'Contact', 'Support', 'Products', 'Careers', 'Locations', 'Sign In'];

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

const FAQ_Q = tpls([
  'What is {topic}?',
  'How does {topic} work?',
  'Is {topic} worth it?',
  'How much does {topic} cost?',
  'Why is {topic} important?',
]);
const FAQ_A = tpls([
  'In short, {topic} depends on your goals and budget; we explain the details above.',
  'Most experts agree that {topic} is worth considering. See our full guide for the pros and cons.',
  'It varies, but the section on {topic} above covers the typical range and what affects it.',
]);

function buildOrganic(
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

function kindLabel(kind: Kind): string {
  switch (kind) {
    case 'ref':
      return 'general knowledge';
    case 'dict':
      return 'word definitions';
    case 'news':
      return 'news and current events';
    case 'shop':
      return 'online shopping';
    case 'review':
      return 'product reviews';
    case 'forum':
    case 'qa':
      return 'community discussions';
    case 'video':
      return 'video sharing';
    case 'social':
      return 'social networking';
    case 'health':
      return 'health information';
    case 'recipe':
      return 'cooking and recipes';
    case 'tech':
      return 'software development';
    case 'travel':
      return 'travel planning';
    case 'finance':
      return 'personal finance';
    case 'local':
      return 'local businesses';
    default:
      return 'various topics';
  }
}

/* ------------------------------------------------------------------------------------------- */
/* Features                                                                                     */
/* ------------------------------------------------------------------------------------------- */

interface Layout {
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

function planLayout(rc: RenderCtx, pages: number): Layout {
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

const AD_TITLES = tpls([
  '{Topic} - Official Site | Shop Now',
  'Best {Topic} {year} - Compare Top Brands',
  '{Topic} On Sale - Free Shipping',
  'Shop {Topic} | Up to 50% Off Today',
  '{Topic} | Fast Delivery & Easy Returns',
  'Top-Rated {Topic} - Trusted by {n},000+ Customers',
  '{Topic} in {city} - Book Online Today',
  'Looking for {Topic}? - Get a Free Quote',
]);
const AD_DESCS = tpls([
  'Find the perfect {topic} for you. Free shipping, easy returns and 24/7 support. Order today!',
  'Compare {topic} prices from top brands. Exclusive online deals, updated daily. Shop now and save.',
  'Trusted by thousands. Get {topic} delivered fast. Satisfaction guaranteed or your money back.',
  'Local experts for {topic} in {city}. Same-day service available. Call now for a free estimate.',
]);
const AD_ROWS = [
  'Free Shipping on Orders Over $35',
  'Price Match Guarantee',
  '30-Day Free Returns',
  'Rated 4.8/5 by Customers',
  'Open 7 Days a Week',
  'No Hidden Fees',
];
const AD_LINK_TITLES = ['Shop Now', "Today's Deals", 'New Arrivals', 'Best Sellers', 'Contact Us', 'Get a Quote', 'Locations', 'Sale'];
const AD_PREFIX = ['get', 'shop', 'buy', 'try', 'my', 'the'];
const AD_SUFFIX = ['pro', 'hq', 'direct', 'store', 'online', 'hub'];

function buildPaid(rc: RenderCtx, stream: number, rank: number, rankAbs: number, page: number, slot: number, bottom: boolean): PaidItem {
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

const Q_INFO = tpls([
  'What is {topic}?',
  'What does {topic} mean?',
  'Why is {topic} important?',
  'How does {topic} work?',
  'What are the types of {topic}?',
  'What is the history of {topic}?',
  'What are the benefits of {topic}?',
  'Is {topic} good or bad?',
]);
const Q_HOWTO = tpls([
  'How do you {topic}?',
  'What is the easiest way to {topic}?',
  'How long does it take to {topic}?',
  'Can I {topic} myself?',
  'What do I need to {topic}?',
  'What are the steps to {topic}?',
]);
const Q_COMMERCIAL = tpls([
  'What is the best {topic}?',
  'Which {topic} is the best?',
  'How much does {topic} cost?',
  'Where can I buy {topic}?',
  'Is {topic} worth the money?',
  'What brand of {topic} is best?',
]);
const Q_LOCAL = tpls([
  'What is the best {topic} in {city}?',
  'How much does {topic} cost in {city}?',
  'Is {topic} open on Sunday?',
  'Which {topic} has the best reviews?',
  'Do I need a reservation for {topic}?',
]);
const PAA_ANSWERS = tpls([
  '{Topic} is best understood by looking at how it started and how it is used today. In most cases, it comes down to a few simple principles.',
  'The short answer: it depends. Experts recommend considering your needs, budget and timeline before deciding on {topic}.',
  'According to recent studies, {topic} has several advantages, including flexibility, lower cost and wide availability.',
  'Step 1: Prepare everything you need. Step 2: Follow the instructions carefully. Step 3: Check the result and adjust as needed.',
]);

function questionSet(rc: RenderCtx): Tpl[] {
  if (rc.intent.howto) return Q_HOWTO;
  if (rc.intent.local) return Q_LOCAL;
  if (rc.intent.commercial) return Q_COMMERCIAL;
  return Q_INFO;
}

function answerSource(rc: RenderCtx, rng: Rng): { host: string; name: string; url: string; title: string } {
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

function buildPaa(rc: RenderCtx, stream: number, rank: number, rankAbs: number, page: number, slot: number): PeopleAlsoAskItem {
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

function buildFeatured(rc: RenderCtx, rankAbs: number, slot: number): FeaturedSnippetItem {
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

function buildRelated(rc: RenderCtx, stream: number, rank: number, rankAbs: number, page: number, slot: number): RelatedSearchesItem {
  const rng = new FastRng(deriveSeed(rc.seed, STREAM_FEATURE + stream));
  const key = rc.intent.local
    ? 'local'
    : rc.intent.howto
      ? 'howto'
      : rc.intent.commercial
        ? 'commercial'
        : rc.intent.news
          ? 'news'
          : 'info';
  const mods = rng.sample(
    RELATED_MODS[key].filter((m) => !rc.lower.includes(m)),
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

export const NEWS_IMAGE_PREFIX = 'https://encrypted-tbn0.gstatic.com/images?q=tbn:ANd9GcR';

function buildTopStories(rc: RenderCtx, rankAbs: number, slot: number): TopStoriesItem {
  const rng = new FastRng(deriveSeed(rc.seed, STREAM_FEATURE + 60));
  const n = rng.int(3, 6);
  const items: TopStoriesElement[] = [];
  for (let i = 0; i < n; i++) {
    const src = rng.pick(rc.market.news);
    rc.ctx.site = src.name;
    rc.ctx.n = String(rng.int(2, 12));
    const age = rng.int(10, 60 * 48) * 60_000;
    items.push({
      type: 'top_stories_element',
      source: src.name,
      domain: src.domain,
      title: rng.pick(NEWS_HEADLINES)(rc.ctx),
      date: relativeAge(age),
      amp_version: false,
      timestamp: formatTimestamp(rc.now - age),
      url: 'https://' + src.domain + '/' + rng.pick(NEWS_SECTION_NAMES) + '/' + rc.ctx.tslug + '-' + rng.int(10_000_000, 99_999_999),
      image_url: NEWS_IMAGE_PREFIX + rng.chars(50, B64URL),
      badges: rng.chance(0.1) ? ['Live'] : [],
    });
  }
  return {
    type: 'top_stories',
    rank_group: 1,
    rank_absolute: rankAbs,
    page: 1,
    position: 'left',
    xpath: rc.engine.xpathBase + slot + ']',
    rectangle: null,
    title: 'Top stories',
    items,
  };
}

const IMG_MODS = ['aesthetic', 'drawing', 'cartoon', 'logo', 'wallpaper', 'background', 'hd', 'vintage', 'illustration', 'clipart'];

const IMAGE_SEARCH: Record<OrganicEngine, (rc: RenderCtx) => string> = {
  google: (rc) => 'https://' + rc.host + '/search?tbm=isch&q=' + rc.ctx.plus,
  bing: (rc) => 'https://' + rc.host + '/images/search?q=' + rc.ctx.plus,
  yahoo: (rc) => 'https://images.search.yahoo.com/search/images?p=' + rc.ctx.plus,
  baidu: (rc) => 'https://image.baidu.com/search/index?tn=baiduimage&word=' + rc.ctx.pct,
  naver: (rc) => 'https://search.naver.com/search.naver?where=image&query=' + rc.ctx.pct,
  seznam: (rc) => 'https://obrazky.seznam.cz/?q=' + rc.ctx.pct,
};
const IMAGE_TITLE: Record<OrganicEngine, string> = {
  google: 'Images for ',
  bing: 'Images of ',
  yahoo: 'Images of ',
  baidu: '图片: ',
  naver: '이미지: ',
  seznam: 'Obrázky: ',
};

function buildImages(rc: RenderCtx, rankAbs: number, slot: number): ImagesItem {
  const rng = new FastRng(deriveSeed(rc.seed, STREAM_FEATURE + 70));
  const search = IMAGE_SEARCH[rc.engine.se](rc);
  const items: ImageElement[] = [];
  const n = rng.int(4, 8);
  for (let i = 0; i < n; i++) {
    const src = answerSource(rc, rng);
    items.push({
      type: 'images_element',
      alt: rng.chance(0.5) ? rc.keyword : rc.keyword + ' ' + rng.pick(IMG_MODS),
      url: src.url,
      image_url: 'https://encrypted-tbn0.gstatic.com/images?q=tbn:ANd9GcT' + rng.chars(50, B64URL),
    });
  }
  return {
    type: 'images',
    rank_group: 1,
    rank_absolute: rankAbs,
    page: 1,
    position: 'left',
    xpath: rc.engine.xpathBase + slot + ']',
    rectangle: null,
    title: IMAGE_TITLE[rc.engine.se] + rc.keyword,
    url: search,
    items,
    related_image_searches:
      rc.engine.se === 'google'
        ? rng.sample(IMG_MODS, 4).map((m) => ({
            type: 'related_image_searches_element' as const,
            title: m,
            alt: rc.keyword + ' ' + m,
            url: search + '+' + m,
            image_url: 'https://encrypted-tbn0.gstatic.com/images?q=tbn:ANd9GcQ' + rng.chars(50, B64URL),
          }))
        : null,
  };
}

const VIDEO_TITLES = tpls([
  '{Kw} - Everything You Need to Know',
  '{Topic} Explained in {n} Minutes',
  'How to {topic} (Step by Step)',
  'I Tried {Topic} for 30 Days',
  "{Topic}: Beginner's Guide",
  'The Truth About {Topic}',
  '{Topic} Review ({year})',
]);

function buildVideo(rc: RenderCtx, rankAbs: number, slot: number): VideoItem {
  const rng = new FastRng(deriveSeed(rc.seed, STREAM_FEATURE + 80));
  const n = rng.int(3, 4);
  const items: VideoItem['items'] = [];
  const titles = rng.sample(
    VIDEO_TITLES.filter((_, i) => rc.intent.howto || i !== 2),
    n,
  );
  for (let i = 0; i < n; i++) {
    rc.ctx.n = String(rng.int(3, 20));
    const id = rng.chars(11, B64URL);
    const yt = rng.chance(0.85);
    items.push({
      type: 'video_element',
      source: yt ? 'YouTube' : 'TikTok',
      preview: yt ? 'https://i.ytimg.com/vi/' + id + '/mqdefault.jpg' : null,
      title: titles[i](rc.ctx),
      timestamp: formatTimestamp(rc.now - rng.int(5, 1500) * DAY_MS),
      url: yt
        ? 'https://www.youtube.com/watch?v=' + id
        : 'https://www.tiktok.com/@' + rng.pick(USERS) + '/video/7' + rng.chars(18, '0123456789'),
    });
  }
  return {
    type: 'video',
    rank_group: 1,
    rank_absolute: rankAbs,
    page: 1,
    position: 'left',
    xpath: rc.engine.xpathBase + slot + ']',
    rectangle: null,
    items,
  };
}

const KG_SUBTITLES = ['Topic', 'Company', 'Organization', 'Brand', 'Concept', 'Product'];

function buildKnowledgeGraph(rc: RenderCtx, rankAbs: number): KnowledgeGraphItem {
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

/* ------------------------------------------------------------------------------------------- */
/* Assembly                                                                                     */
/* ------------------------------------------------------------------------------------------- */

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

function resultsCount(rc: RenderCtx): number {
  const rng = new FastRng(deriveSeed(rc.seed, STREAM_FEATURE + 1));
  const scale = rc.kwWords <= 1 ? 1e9 : rc.kwWords === 2 ? 2e8 : rc.kwWords === 3 ? 4e7 : 5e6;
  return Math.floor(scale * (0.05 + rng.next() * 2.5)) + rng.int(0, 999);
}

function buildChips(rc: RenderCtx): RefinementChips {
  const rng = new FastRng(deriveSeed(rc.seed, STREAM_FEATURE + 2));
  const key = rc.intent.local
    ? 'local'
    : rc.intent.howto
      ? 'howto'
      : rc.intent.commercial
        ? 'commercial'
        : rc.intent.news
          ? 'news'
          : 'info';
  const mods = rng.sample(RELATED_MODS[key], rng.int(4, 7));
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

const HTML_CLASSES: Record<OrganicEngine, { result: string; ad: string; list: string }> = {
  google: { result: 'g Ww4FFb vt6azd tF2Cxc asEBEc', ad: 'uEierd', list: 'rso' },
  bing: { result: 'b_algo', ad: 'b_ad b_adTop', list: 'b_results' },
  yahoo: { result: 'dd algo algo-sr', ad: 'dd ads', list: 'web' },
  baidu: { result: 'result c-container xpath-log new-pmd', ad: 'ec-tuiguang', list: 'content_left' },
  naver: { result: 'bx lst_total', ad: 'sp_power', list: 'main_pack' },
  seznam: { result: 'Result', ad: 'Result Result--ad', list: 'search-results' },
};

function pageHtml(eng: EngineDef, adv: OrganicAdvancedResult, page: number, input: SerpRenderInput): string {
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
