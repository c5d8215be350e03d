/**
 * The catalog of SERP engines and types serpq serves: which task_get functions, live variants and
 * postback_data values each has, its devices and operating systems, its depth rules, its price and
 * its request rules (which location and language fields it has, which are required, their defaults).
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
  /** Which location fields the type has and whether one is required (request rules, below). */
  readonly location: LocationRule;
  /** Which language fields the type has, whether one is required, and what an omitted one becomes. */
  readonly language: LanguageRule;
  /** Groups of fields of which at least one must be given; a missing group is named by its first field. */
  readonly requiredAnyOf: readonly (readonly string[])[];
  /** Type-specific request fields beyond the common ones, with their JSON types. */
  readonly extraFields: Readonly<Record<string, 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object'>>;
  /** Main item type of an advanced SERP (what `depth` counts). */
  readonly mainItem: string | null;
}

/**
 * Request rules per type, from the vendor's per-type documentation (the request schema descriptions
 * of the official OpenAPI file, SPEC [OAS]); the README's "Per-type request rules" lists them.
 *
 * `required`: one of the fields must be given (location_code, location_name or, where the type has
 * it, location_coordinate; language_code or language_name). `optional`: may be omitted. `none`: the
 * type has no such fields: posted ones are ignored as unknown fields are (not validated, not echoed).
 */
export type Presence = 'required' | 'optional' | 'none';

/**
 * The documented forms of `location_coordinate`:
 * - `radius`: "latitude,longitude,radius", radius 199.9 to 199999 (mm), which may be left out;
 * - `zoom`: "latitude,longitude,zoom", zoom like `17z` within the type's bounds, its default when left out;
 * - `point`: "latitude,longitude" only.
 * Latitude and longitude carry at most 7 decimal digits in every form.
 */
export type CoordinateForm =
  | { readonly form: 'radius' }
  | { readonly form: 'zoom'; readonly minZoom: number; readonly maxZoom: number; readonly defaultZoom: number }
  | { readonly form: 'point' };

export interface LocationRule {
  readonly presence: Presence;
  /** The forms `location_coordinate` may take; empty when the type has no such field. */
  readonly coordinate: readonly CoordinateForm[];
}

/**
 * What an omitted language becomes: the engine's only language (`fixed`; matched whichever way its
 * code is spelled, so Baidu's `zh_CN` is also the reference list's `zh-CN`), the official language
 * of the task's location (`official`), or nothing. A filled language is echoed in `data` as
 * `language_code`, the way the `device` and `os` defaults are.
 */
export type LanguageDefault = FixedLanguage | { readonly kind: 'official' } | null;

export interface FixedLanguage {
  readonly kind: 'fixed';
  readonly languageCode: string;
  readonly languageName: string;
}

export interface LanguageRule {
  readonly presence: Presence;
  readonly default: LanguageDefault;
}

const RADIUS: CoordinateForm = Object.freeze({ form: 'radius' });
const POINT: CoordinateForm = Object.freeze({ form: 'point' });
const zoom = (minZoom: number, maxZoom: number, defaultZoom: number): CoordinateForm =>
  Object.freeze({ form: 'zoom', minZoom, maxZoom, defaultZoom });

const loc = (presence: Presence, ...coordinate: CoordinateForm[]): LocationRule =>
  Object.freeze({ presence, coordinate: Object.freeze(coordinate) });
/** Location required, by code, name or a radius coordinate: most types. */
const LOCATION_RADIUS = loc('required', RADIUS);
/** Location required, by code or name only: the type has no location_coordinate field. */
const LOCATION_NO_COORDINATE = loc('required');
const LANGUAGE_REQUIRED: LanguageRule = Object.freeze({ presence: 'required', default: null });
/** Optional; when omitted, the official language of the task's location. */
const OFFICIAL_LANGUAGE: LanguageRule = Object.freeze({ presence: 'optional', default: Object.freeze({ kind: 'official' }) });
const NO_LANGUAGE: LanguageRule = Object.freeze({ presence: 'none', default: null });
const onlyLanguage = (languageCode: string, languageName: string): LanguageRule =>
  Object.freeze({ presence: 'optional', default: Object.freeze({ kind: 'fixed', languageCode, languageName }) });

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

type Defaulted = 'maxCrawlPages' | 'subject' | 'location' | 'language' | 'requiredAnyOf' | 'extraFields' | 'mainItem';
type Partial_ = Omit<SeTypeDef, 'se' | 'seType' | Defaulted> & Partial<Pick<SeTypeDef, Defaulted>>;

function type(se: string, seType: string, d: Partial_): SeTypeDef {
  return Object.freeze({
    se,
    seType,
    maxCrawlPages: false,
    subject: 'keyword',
    location: LOCATION_RADIUS,
    language: LANGUAGE_REQUIRED,
    requiredAnyOf: [],
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
    // task_post and live/advanced document the zoom form, live/html the radius form.
    location: loc('required', zoom(4, 18, 9), RADIUS),
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
    location: loc('required', zoom(3, 21, 17)),
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
    location: loc('required', zoom(4, 18, 9)),
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
    // Optional: by default one of the local official languages of the location.
    language: OFFICIAL_LANGUAGE,
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
    location: LOCATION_NO_COORDINATE,
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
    location: LOCATION_NO_COORDINATE,
  }),
  type('google', 'dataset_search', {
    getFunctions: A,
    live: A,
    tasksFixed: true,
    postbackData: A,
    ...DESKTOP_ONLY,
    depth: depth(20, 20),
    extraFields: { last_updated: 'string', file_formats: 'array', usage_rights: 'string', is_free: 'boolean', topics: 'array' },
    mainItem: 'dataset',
    // No location fields; English is the one documented language.
    location: loc('none'),
    language: onlyLanguage('en', 'English'),
  }),
  type('google', 'dataset_info', {
    getFunctions: A,
    live: A,
    tasksFixed: true,
    postbackData: A,
    ...DESKTOP_ONLY,
    depth: null,
    subject: 'dataset_id',
    mainItem: null,
    location: loc('none'),
    language: onlyLanguage('en', 'English'),
  }),
  type('google', 'ads_advertisers', {
    getFunctions: A,
    live: NONE,
    tasksFixed: false,
    postbackData: A,
    ...DESKTOP_ONLY,
    depth: null,
    mainItem: 'ads_advertiser',
    // Without a location, all locations are searched; no language fields.
    location: loc('optional', POINT),
    language: NO_LANGUAGE,
  }),
  type('google', 'ads_search', {
    getFunctions: A,
    live: NONE,
    tasksFixed: false,
    postbackData: A,
    ...DESKTOP_ONLY,
    depth: depth(40, 40),
    subject: 'keyword_optional',
    extraFields: {
      target: 'string',
      advertiser_ids: 'array',
      platform: 'string',
      format: 'string',
      date_from: 'string',
      date_to: 'string',
    },
    mainItem: 'ads_search',
    location: loc('optional', POINT),
    language: NO_LANGUAGE,
    requiredAnyOf: [['target', 'advertiser_ids']],
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
    location: LOCATION_NO_COORDINATE,
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
    location: LOCATION_NO_COORDINATE,
  }),
  type('google', 'finance_quote', {
    getFunctions: AH,
    live: AH,
    tasksFixed: false,
    postbackData: AH,
    ...DESKTOP_ONLY,
    depth: null,
    extraFields: { window: 'string' },
    location: LOCATION_NO_COORDINATE,
  }),
  type('google', 'finance_ticker_search', {
    getFunctions: A,
    live: A,
    tasksFixed: false,
    postbackData: A,
    ...DESKTOP_ONLY,
    depth: null,
    extraFields: { category: 'string' },
    location: LOCATION_NO_COORDINATE,
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
    location: loc('required', POINT),
  }),
  type('bing', 'local_pack', {
    getFunctions: ['regular', 'html'],
    live: ['regular', 'html'],
    tasksFixed: true,
    postbackData: ['regular', 'html'],
    ...DESKTOP_ONLY,
    depth: depth(100, 100),
    mainItem: 'local_pack',
    // Not in the official OpenAPI file: the defaults (location and language required, radius coordinates).
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
    // Baidu has one language: filled in when the task gives none.
    language: onlyLanguage('zh_CN', 'Chinese (Simplified)'),
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
    // No location or language fields at all.
    location: loc('none'),
    language: NO_LANGUAGE,
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
    location: LOCATION_NO_COORDINATE,
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
    location: LOCATION_NO_COORDINATE,
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
    location: LOCATION_NO_COORDINATE,
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
    location: LOCATION_NO_COORDINATE,
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
    location: LOCATION_NO_COORDINATE,
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
