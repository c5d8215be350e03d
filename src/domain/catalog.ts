/**
 * The catalog of SERP engines and types serpq serves: which task_get functions, live variants and
 * postback_data values each has, its devices and operating systems, its depth rules and its price.
 * Routes, validation, tasks_ready rows and pricing all read this one table, so adding a type is a
 * data change (SPEC section 5; functions as the official OpenAPI paths list them).
 */

export type ResultFunction = 'regular' | 'advanced' | 'html';
export type Device = 'desktop' | 'mobile' | 'tablet';

export interface DepthRule {
  /** Depth used when the task does not set one. */
  readonly default: number;
  readonly max: number;
  /** Results covered by one base price; each further started block costs `extraBlockFactor` x base. */
  readonly billingUnit: number;
  readonly extraBlockFactor: number;
}

/** What a type's tasks are about: a keyword, or an identifier of a thing (a video, a dataset, an image). */
export type Subject = 'keyword' | 'video_id' | 'dataset_id' | 'image_url' | 'keyword_optional';

export interface SeTypeDef {
  readonly se: string;
  readonly seType: string;
  /** task_get functions that exist; the others answer 404/40400 and are null in tasks_ready rows. */
  readonly getFunctions: readonly ResultFunction[];
  readonly live: readonly ResultFunction[];
  readonly tasksFixed: boolean;
  readonly postbackData: readonly ResultFunction[];
  /** Devices accepted in `device`; the first is the default echoed in `data`. */
  readonly devices: readonly Device[];
  /** Operating systems per device; the first is the default. */
  readonly os: Readonly<Partial<Record<Device, readonly string[]>>>;
  /** Depth rules, or null for types billed per request without a depth. */
  readonly depth: DepthRule | null;
  /** Whether `max_crawl_pages` is a field of this type. */
  readonly maxCrawlPages: boolean;
  /** The required subject field of a task. */
  readonly subject: Subject;
  /** Whether a location and a language are required (some types take them optionally or not at all). */
  readonly locationRequired: boolean;
  readonly languageRequired: boolean;
  /** Type-specific request fields beyond the common ones, with their JSON types. */
  readonly extraFields: Readonly<Record<string, 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object'>>;
  /** Main item type of an advanced SERP (what `depth` counts). */
  readonly mainItem: string | null;
}

const DESKTOP_OS = ['windows', 'macos'];
const MOBILE_OS = ['android', 'ios'];
const DESKTOP_ONLY = { devices: ['desktop'], os: { desktop: DESKTOP_OS } } as const;
const DESKTOP_MOBILE = { devices: ['desktop', 'mobile'], os: { desktop: DESKTOP_OS, mobile: MOBILE_OS } } as const;
const ALL_DEVICES = {
  devices: ['desktop', 'mobile', 'tablet'],
  os: { desktop: DESKTOP_OS, mobile: MOBILE_OS, tablet: MOBILE_OS },
} as const;

const depth = (def: number, unit: number, factor = 1, max = 700): DepthRule => ({
  default: def,
  max,
  billingUnit: unit,
  extraBlockFactor: factor,
});
/** Organic engines since the vendor's 2025 change: the base covers the first page, each further page is 0.75 x base. */
const organicDepth = (page = 10): DepthRule => depth(page, page, 0.75);

type Partial_ = Omit<
  SeTypeDef,
  'se' | 'seType' | 'maxCrawlPages' | 'subject' | 'locationRequired' | 'languageRequired' | 'extraFields' | 'mainItem'
> &
  Partial<Pick<SeTypeDef, 'maxCrawlPages' | 'subject' | 'locationRequired' | 'languageRequired' | 'extraFields' | 'mainItem'>>;

function type(se: string, seType: string, d: Partial_): SeTypeDef {
  return Object.freeze({
    se,
    seType,
    maxCrawlPages: false,
    subject: 'keyword',
    locationRequired: true,
    languageRequired: true,
    extraFields: {},
    mainItem: null,
    ...d,
  });
}

const RAG: readonly ResultFunction[] = ['regular', 'advanced', 'html'];
const AH: readonly ResultFunction[] = ['advanced', 'html'];
const A: readonly ResultFunction[] = ['advanced'];
const NONE: readonly ResultFunction[] = [];

const ORGANIC_EXTRA = {
  calculate_rectangles: 'boolean',
  browser_screen_width: 'integer',
  browser_screen_height: 'integer',
  browser_screen_resolution_ratio: 'number',
  people_also_ask_click_depth: 'integer',
  load_async_ai_overview: 'boolean',
  expand_ai_overview: 'boolean',
  group_organic_results: 'boolean',
  stop_crawl_on_match: 'array',
  target_search_mode: 'string',
  find_targets_in: 'array',
  ignore_targets_in: 'array',
} as const;

export const CATALOG: readonly SeTypeDef[] = Object.freeze([
  type('google', 'organic', {
    getFunctions: RAG,
    live: RAG,
    tasksFixed: true,
    postbackData: RAG,
    ...DESKTOP_MOBILE,
    depth: organicDepth(),
    maxCrawlPages: true,
    extraFields: ORGANIC_EXTRA,
    mainItem: 'organic',
  }),
  type('google', 'ai_mode', {
    getFunctions: AH,
    live: AH,
    tasksFixed: true,
    postbackData: AH,
    ...DESKTOP_MOBILE,
    depth: null,
    mainItem: 'ai_overview',
  }),
  type('google', 'maps', {
    getFunctions: A,
    live: A,
    tasksFixed: true,
    postbackData: A,
    ...DESKTOP_MOBILE,
    depth: depth(100, 100),
    extraFields: { search_places: 'boolean', search_this_area: 'boolean' },
    mainItem: 'maps_search',
  }),
  type('google', 'local_finder', {
    getFunctions: AH,
    live: AH,
    tasksFixed: true,
    postbackData: AH,
    ...DESKTOP_MOBILE,
    depth: depth(20, 20),
    extraFields: { min_rating: 'number', time_filter: 'string' },
    mainItem: 'local_pack',
  }),
  type('google', 'news', {
    getFunctions: AH,
    live: AH,
    tasksFixed: true,
    postbackData: AH,
    ...DESKTOP_ONLY,
    depth: depth(100, 100),
    extraFields: { sort_by: 'string' },
    mainItem: 'news_search',
  }),
  type('google', 'events', {
    getFunctions: A,
    live: A,
    tasksFixed: true,
    postbackData: A,
    ...DESKTOP_ONLY,
    depth: depth(10, 100),
    extraFields: { date_range: 'string' },
    mainItem: 'event_item',
  }),
  type('google', 'images', {
    getFunctions: AH,
    live: AH,
    tasksFixed: true,
    postbackData: AH,
    ...DESKTOP_ONLY,
    depth: depth(100, 100),
    maxCrawlPages: true,
    mainItem: 'images_search',
  }),
  type('google', 'search_by_image', {
    getFunctions: A,
    live: NONE,
    tasksFixed: true,
    postbackData: A,
    ...DESKTOP_ONLY,
    depth: depth(100, 100),
    subject: 'image_url',
    mainItem: 'organic',
  }),
  type('google', 'jobs', {
    getFunctions: AH,
    live: NONE,
    tasksFixed: true,
    postbackData: AH,
    ...DESKTOP_ONLY,
    depth: depth(10, 10),
    extraFields: { employment_type: 'array', location_radius: 'number' },
    mainItem: 'google_jobs_item',
  }),
  type('google', 'autocomplete', {
    getFunctions: A,
    live: A,
    tasksFixed: true,
    postbackData: A,
    ...DESKTOP_MOBILE,
    depth: null,
    extraFields: { cursor_pointer: 'integer', client: 'string' },
    mainItem: 'autocomplete',
  }),
  type('google', 'dataset_search', {
    getFunctions: A,
    live: A,
    tasksFixed: true,
    postbackData: A,
    ...DESKTOP_ONLY,
    depth: depth(20, 20),
    locationRequired: false,
    languageRequired: false,
    extraFields: { last_updated: 'string', file_formats: 'array', usage_rights: 'string', is_free: 'boolean', topics: 'array' },
    mainItem: 'dataset',
  }),
  type('google', 'dataset_info', {
    getFunctions: A,
    live: A,
    tasksFixed: true,
    postbackData: A,
    ...DESKTOP_ONLY,
    depth: null,
    subject: 'dataset_id',
    locationRequired: false,
    languageRequired: false,
    mainItem: null,
  }),
  type('google', 'ads_advertisers', {
    getFunctions: A,
    live: NONE,
    tasksFixed: false,
    postbackData: A,
    ...DESKTOP_ONLY,
    depth: null,
    languageRequired: false,
    mainItem: 'ads_advertiser',
  }),
  type('google', 'ads_search', {
    getFunctions: A,
    live: NONE,
    tasksFixed: false,
    postbackData: A,
    ...DESKTOP_ONLY,
    depth: depth(40, 40),
    subject: 'keyword_optional',
    languageRequired: false,
    extraFields: {
      target: 'string',
      advertiser_ids: 'array',
      platform: 'string',
      format: 'string',
      date_from: 'string',
      date_to: 'string',
    },
    mainItem: 'ads_search',
  }),
  type('google', 'finance_explore', {
    getFunctions: AH,
    live: AH,
    tasksFixed: false,
    postbackData: AH,
    ...DESKTOP_ONLY,
    depth: null,
    subject: 'keyword_optional',
    extraFields: { news_type: 'string' },
  }),
  type('google', 'finance_markets', {
    getFunctions: AH,
    live: AH,
    tasksFixed: false,
    postbackData: AH,
    ...DESKTOP_ONLY,
    depth: null,
    subject: 'keyword_optional',
    extraFields: { market_type: 'string' },
  }),
  type('google', 'finance_quote', {
    getFunctions: AH,
    live: AH,
    tasksFixed: false,
    postbackData: AH,
    ...DESKTOP_ONLY,
    depth: null,
    extraFields: { window: 'string' },
  }),
  type('google', 'finance_ticker_search', {
    getFunctions: A,
    live: A,
    tasksFixed: false,
    postbackData: A,
    ...DESKTOP_ONLY,
    depth: null,
    extraFields: { category: 'string' },
  }),
  type('bing', 'organic', {
    getFunctions: RAG,
    live: RAG,
    tasksFixed: true,
    postbackData: RAG,
    ...DESKTOP_MOBILE,
    depth: organicDepth(),
    maxCrawlPages: true,
    extraFields: {
      calculate_rectangles: 'boolean',
      browser_screen_width: 'integer',
      browser_screen_height: 'integer',
      browser_screen_resolution_ratio: 'number',
    },
    mainItem: 'organic',
  }),
  type('bing', 'local_pack', {
    getFunctions: ['regular', 'html'],
    live: ['regular', 'html'],
    tasksFixed: true,
    postbackData: ['regular', 'html'],
    ...DESKTOP_ONLY,
    depth: depth(100, 100),
    mainItem: 'local_pack',
  }),
  type('yahoo', 'organic', {
    getFunctions: RAG,
    live: RAG,
    tasksFixed: true,
    postbackData: RAG,
    ...DESKTOP_MOBILE,
    depth: organicDepth(),
    maxCrawlPages: true,
    mainItem: 'organic',
  }),
  type('baidu', 'organic', {
    getFunctions: RAG,
    live: NONE,
    tasksFixed: true,
    postbackData: RAG,
    ...ALL_DEVICES,
    depth: organicDepth(),
    maxCrawlPages: true,
    mainItem: 'organic',
  }),
  type('naver', 'organic', {
    getFunctions: RAG,
    live: NONE,
    tasksFixed: true,
    postbackData: RAG,
    ...DESKTOP_MOBILE,
    depth: organicDepth(15),
    maxCrawlPages: true,
    mainItem: 'organic',
  }),
  type('seznam', 'organic', {
    getFunctions: RAG,
    live: NONE,
    tasksFixed: true,
    postbackData: RAG,
    ...DESKTOP_MOBILE,
    depth: organicDepth(),
    maxCrawlPages: true,
    mainItem: 'organic',
  }),
  type('youtube', 'organic', {
    getFunctions: A,
    live: A,
    tasksFixed: true,
    postbackData: A,
    ...DESKTOP_MOBILE,
    depth: depth(20, 20),
    extraFields: { block_depth: 'integer' },
    mainItem: 'youtube_video',
  }),
  type('youtube', 'video_info', {
    getFunctions: A,
    live: A,
    tasksFixed: true,
    postbackData: A,
    ...DESKTOP_ONLY,
    depth: null,
    subject: 'video_id',
    mainItem: null,
  }),
  type('youtube', 'video_subtitles', {
    getFunctions: A,
    live: A,
    tasksFixed: true,
    postbackData: A,
    ...DESKTOP_ONLY,
    depth: null,
    subject: 'video_id',
    extraFields: { subtitles_language: 'string', subtitles_translate_language: 'string' },
    mainItem: 'youtube_subtitles',
  }),
  type('youtube', 'video_comments', {
    getFunctions: A,
    live: A,
    tasksFixed: true,
    postbackData: A,
    ...DESKTOP_ONLY,
    depth: depth(20, 20),
    subject: 'video_id',
    mainItem: 'youtube_comment',
  }),
]);

const BY_KEY = new Map(CATALOG.map((d) => [`${d.se}/${d.seType}`, d]));
const ENGINES = new Set(CATALOG.map((d) => d.se));

export function findSeType(se: string, seType: string): SeTypeDef | undefined {
  return BY_KEY.get(`${se}/${seType}`);
}

export function isKnownEngine(se: string): boolean {
  return ENGINES.has(se);
}

/** Relative task_get path of a function, or null when the type lacks it (tasks_ready row fields). */
export function endpointPath(def: SeTypeDef, fn: ResultFunction, id: string): string | null {
  return def.getFunctions.includes(fn) ? `/v3/serp/${def.se}/${def.seType}/task_get/${fn}/${id}` : null;
}
