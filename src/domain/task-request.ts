import type { CoordinateForm, Device, ResultFunction, SeTypeDef } from './catalog.js';
import { officialLanguage } from './official-languages.js';
import { type Language, countryByIsoCode, languageByCode, languageByName, locationByCode, locationByName } from './reference.js';

/**
 * Validation and normalisation of one task object of a task_post or live call (SPEC 3.1).
 * Pure: the outcome is a value, `{ok: true, task, data}` or `{ok: false, field}` naming the field for
 * the vendor's `Invalid Field: '<field>'.` message. Unknown keys are ignored rather than rejected:
 * the vendor does not document 40506 for SERP tasks, and rejecting them would break clients that
 * send a superset of fields. Which location and language fields a type has, which are required and
 * what an omitted language becomes are the type's request rules in the catalog.
 */

export type CallMode = 'task_post' | 'live';

/** A validated task: everything execution, pricing and delivery need. */
export interface NormalizedTask {
  /** %-decoded keyword; null for types whose subject is not a keyword (video_id, dataset_id, image_url). */
  readonly keyword: string | null;
  readonly locationCode: number | null;
  readonly locationName: string | null;
  readonly countryIso: string | null;
  readonly locationCoordinate: string | null;
  readonly languageCode: string | null;
  readonly languageName: string | null;
  readonly device: Device;
  readonly os: string;
  /** Items requested: the posted depth, the type's default, or 10 for types without a depth. */
  readonly depth: number;
  readonly maxCrawlPages: number | null;
  readonly priority: 1 | 2;
  readonly tag: string | null;
  readonly seDomain: string | null;
  readonly searchParam: string | null;
  readonly postbackUrl: string | null;
  readonly postbackData: ResultFunction | null;
  readonly pingbackUrl: string | null;
  /** Keyword uses search operators (price x5). */
  readonly hasOperators: boolean;
}

export type TaskParse =
  | { readonly ok: true; readonly task: NormalizedTask; readonly data: Record<string, unknown> }
  | { readonly ok: false; readonly field: string; readonly data: Record<string, unknown> };

export const MAX_KEYWORD_LENGTH = 700;
export const MAX_TAG_LENGTH = 255;
const MAX_URL_LENGTH = 2048;

const OPERATORS = [
  'allinanchor:',
  'allintext:',
  'allintitle:',
  'allinurl:',
  'define:',
  'filetype:',
  'id:',
  'inanchor:',
  'info:',
  'intext:',
  'intitle:',
  'inurl:',
  'link:',
  'related:',
  'site:',
];
const OPERATOR_RE = new RegExp(`(^|\\s|-)(${OPERATORS.map((o) => o.replace(':', '')).join('|')}):`, 'i');
const CACHE_RE = /(^|\s)cache:/i;

/** Fields echoed in `data`, in the order the vendor documents them; live calls have no webhook or priority fields. */
const COMMON_FIELDS = [
  'keyword',
  'url',
  'location_code',
  'location_name',
  'location_coordinate',
  'language_code',
  'language_name',
  'device',
  'os',
  'se_domain',
  'depth',
  'max_crawl_pages',
  'search_param',
  'tag',
] as const;
const POST_ONLY_FIELDS = ['priority', 'postback_url', 'postback_data', 'pingback_url'] as const;

/**
 * Decodes `%##` sequences and `+` the way the vendor documents for `keyword`. Malformed sequences
 * (a literal "100% cotton") are kept as they are instead of failing the task.
 */
export function decodeKeyword(raw: string): string {
  const plus = raw.includes('+') ? raw.replace(/\+/g, ' ') : raw;
  if (!plus.includes('%')) return plus;
  return plus.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

export function hasSearchOperators(keyword: string): boolean {
  return OPERATOR_RE.test(keyword);
}

function asInteger(v: unknown): number | null {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  // PHP and form-minded clients send numbers as strings; the vendor accepts them.
  if (typeof v === 'string' && /^-?\d{1,15}$/.test(v.trim())) return Number(v.trim());
  return null;
}

function isWebhookUrl(v: unknown): v is string {
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_URL_LENGTH) return false;
  try {
    const u = new URL(v.replace(/\$id/g, 'id').replace(/\$tag/g, 'tag'));
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

const COORDINATE_RE = /^(-?\d{1,2}(?:\.\d{1,7})?),(-?\d{1,3}(?:\.\d{1,7})?)(?:,([^,]+))?$/;
const RADIUS_RE = /^\d+(?:\.\d+)?$/;
const ZOOM_RE = /^(\d{1,2})z$/i;

/**
 * A `location_coordinate` in one of the type's forms, normalised (no spaces; a zoom form's default
 * zoom filled in), or null when it fits none of them.
 */
export function parseCoordinate(raw: string, forms: readonly CoordinateForm[]): string | null {
  const v = raw.replace(/\s+/g, '');
  const m = COORDINATE_RE.exec(v);
  if (!m) return null;
  const lat = Number(m[1]);
  const lng = Number(m[2]);
  if (lat < -90 || lat > 90 || lng < -180 || lng > 180) return null;
  const third = m[3];
  for (const f of forms) {
    if (f.form === 'zoom') {
      if (third === undefined) return `${v},${f.defaultZoom}z`;
      const z = ZOOM_RE.exec(third);
      if (z && Number(z[1]) >= f.minZoom && Number(z[1]) <= f.maxZoom) return `${m[1]},${m[2]},${Number(z[1])}z`;
    } else if (third === undefined) {
      return v;
    } else if (f.form === 'radius' && RADIUS_RE.test(third) && Number(third) >= 199.9 && Number(third) <= 199999) {
      return v;
    }
  }
  return null;
}

/** Language codes compared the way clients spell them: any case, `_` or `-` (`zh_CN` = `zh-CN`). */
const sameCode = (a: string, b: string) => a.trim().toLowerCase().replace(/_/g, '-') === b.toLowerCase().replace(/_/g, '-');

/** A posted language code or name: the type's own language first (it may be spelled its own way), then the reference list. */
function findLanguage(def: SeTypeDef, value: unknown, by: 'code' | 'name'): Language | undefined {
  if (typeof value !== 'string') return undefined;
  const own = def.language.default?.kind === 'fixed' ? def.language.default : null;
  if (own && (by === 'code' ? sameCode(value, own.languageCode) : value.trim().toLowerCase() === own.languageName.toLowerCase())) {
    return { language_code: own.languageCode, language_name: own.languageName };
  }
  return by === 'code' ? languageByCode(value) : languageByName(value);
}

/** Whether a common field is a field of the type, by its request rules; the others are ignored like unknown fields. */
function typeHas(def: SeTypeDef, field: string): boolean {
  switch (field) {
    case 'location_code':
    case 'location_name':
      return def.location.presence !== 'none';
    case 'location_coordinate':
      return def.location.presence !== 'none' && def.location.coordinate.length > 0;
    case 'language_code':
    case 'language_name':
      return def.language.presence !== 'none';
    default:
      return true;
  }
}

const DOMAIN_RE = /^(?=.{3,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/i;

interface UrlParts {
  keyword?: string;
  languageCode?: string;
  countryIso?: string;
  seDomain?: string;
}

/** Reads keyword, hl, gl and the domain from a full Google search URL (the `url` field). */
function parseSearchUrl(text: string): UrlParts | null {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
  const q = u.searchParams.get('q');
  if (!q) return null;
  return {
    keyword: q,
    languageCode: u.searchParams.get('hl') ?? undefined,
    countryIso: u.searchParams.get('gl') ?? undefined,
    seDomain: u.hostname.replace(/^www\./, ''),
  };
}

/** Validates one posted task object against the rules of `def`. */
export function parseTaskRequest(def: SeTypeDef, input: unknown, mode: CallMode): TaskParse {
  const data: Record<string, unknown> = { api: 'serp', function: mode, se: def.se, se_type: def.seType };
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, field: 'keyword', data };
  }
  const t = input as Record<string, unknown>;
  const fields = mode === 'task_post' ? [...COMMON_FIELDS, ...POST_ONLY_FIELDS] : COMMON_FIELDS;
  const subjectField = def.subject === 'keyword' || def.subject === 'keyword_optional' ? null : def.subject;
  const extra = Object.keys(def.extraFields);
  for (const f of [...fields, ...(subjectField ? [subjectField] : []), ...extra]) {
    if (t[f] !== undefined && t[f] !== null && typeHas(def, f)) data[f] = t[f];
  }
  const fail = (field: string): TaskParse => ({ ok: false, field, data });

  // url: optional full search URL that supplies keyword, language and location when they are absent.
  let fromUrl: UrlParts | null = null;
  if (data.url !== undefined) {
    if (typeof data.url !== 'string') return fail('url');
    fromUrl = parseSearchUrl(data.url);
    if (!fromUrl || !fromUrl.languageCode || !fromUrl.countryIso) return fail('url');
  }

  // the subject: a keyword for most types; a video, a dataset or an image for some.
  let keyword: string | null = null;
  const rawKeyword = data.keyword !== undefined ? data.keyword : fromUrl?.keyword;
  if (rawKeyword !== undefined || def.subject === 'keyword') {
    if (typeof rawKeyword !== 'string') return fail('keyword');
    keyword = decodeKeyword(rawKeyword).trim();
    if (keyword.length === 0 || keyword.length > MAX_KEYWORD_LENGTH || CACHE_RE.test(keyword)) return fail('keyword');
  }
  if (subjectField) {
    const v = data[subjectField];
    if (typeof v !== 'string' || v.trim().length === 0 || v.length > MAX_URL_LENGTH) return fail(subjectField);
    if (subjectField === 'image_url' && !/^https?:\/\/\S+$/i.test(v)) return fail(subjectField);
  }
  for (const f of extra) {
    const v = data[f];
    if (v === undefined) continue;
    const want = def.extraFields[f];
    const ok =
      want === 'array'
        ? Array.isArray(v)
        : want === 'object'
          ? typeof v === 'object' && !Array.isArray(v)
          : want === 'integer'
            ? asInteger(v) !== null
            : want === 'number'
              ? typeof v === 'number' || (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)))
              : typeof v === want;
    if (!ok) return fail(f);
  }
  // Fields required only as a group (google/ads_search: a target or advertiser ids).
  for (const group of def.requiredAnyOf) {
    const given = group.some((f) => data[f] !== undefined && data[f] !== '' && !(Array.isArray(data[f]) && data[f].length === 0));
    if (!given) return fail(group[0] as string);
  }

  // location: location_code > location_name > location_coordinate; every given field must be valid.
  let locationCode: number | null = null;
  let locationName: string | null = null;
  let countryIso: string | null = null;
  let coordinate: string | null = null;
  if (data.location_code !== undefined) {
    const code = asInteger(data.location_code);
    const loc = code === null ? undefined : locationByCode(code);
    if (!loc) return fail('location_code');
    locationCode = loc.location_code;
    locationName = loc.location_name;
    countryIso = loc.country_iso_code;
  }
  if (data.location_name !== undefined) {
    const loc = typeof data.location_name === 'string' ? locationByName(data.location_name) : undefined;
    if (!loc) return fail('location_name');
    if (locationCode === null) {
      locationCode = loc.location_code;
      locationName = loc.location_name;
      countryIso = loc.country_iso_code;
    }
  }
  if (data.location_coordinate !== undefined) {
    coordinate = typeof data.location_coordinate === 'string' ? parseCoordinate(data.location_coordinate, def.location.coordinate) : null;
    if (coordinate === null) return fail('location_coordinate');
  }
  if (locationCode === null && coordinate === null && fromUrl?.countryIso && def.location.presence !== 'none') {
    const loc = countryByIsoCode(fromUrl.countryIso);
    if (!loc) return fail('url');
    locationCode = loc.location_code;
    locationName = loc.location_name;
    countryIso = loc.country_iso_code;
  }
  if (locationCode === null && coordinate === null && def.location.presence === 'required') return fail('location_code');

  // language: language_code > language_name; else the type's default (its only language, or the
  // official language of the location: none is known for bare coordinates).
  let language: Language | undefined;
  if (data.language_code !== undefined) {
    language = findLanguage(def, data.language_code, 'code');
    if (!language) return fail('language_code');
  }
  if (data.language_name !== undefined) {
    const byName = findLanguage(def, data.language_name, 'name');
    if (!byName) return fail('language_name');
    language ??= byName;
  }
  if (!language && fromUrl?.languageCode && def.language.presence !== 'none') {
    language = findLanguage(def, fromUrl.languageCode, 'code');
    if (!language) return fail('url');
  }
  let filledLanguage: string | null = null;
  if (!language && def.language.default) {
    const d = def.language.default;
    if (d.kind === 'fixed') language = { language_code: d.languageCode, language_name: d.languageName };
    else if (countryIso !== null) language = officialLanguage(countryIso);
    filledLanguage = language?.language_code ?? null;
  }
  if (!language && def.language.presence === 'required') return fail('language_code');

  // device and os; the defaults are echoed in data as the vendor does.
  let device = def.devices[0];
  if (data.device !== undefined) {
    if (typeof data.device !== 'string' || !def.devices.includes(data.device as Device)) return fail('device');
    device = data.device as Device;
  }
  const osList = def.os[device] ?? [];
  let os = osList[0] ?? '';
  if (data.os !== undefined) {
    if (typeof data.os !== 'string' || !osList.includes(data.os)) return fail('os');
    os = data.os;
  }

  let seDomain: string | null = fromUrl?.seDomain ?? null;
  if (data.se_domain !== undefined) {
    if (typeof data.se_domain !== 'string' || !DOMAIN_RE.test(data.se_domain)) return fail('se_domain');
    seDomain = data.se_domain.toLowerCase();
  }

  let depth = def.depth?.default ?? 10;
  if (data.depth !== undefined) {
    const d = asInteger(data.depth);
    if (d === null || d < 1 || d > (def.depth?.max ?? 700)) return fail('depth');
    depth = d;
  }

  let maxCrawlPages: number | null = null;
  if (data.max_crawl_pages !== undefined) {
    const m = asInteger(data.max_crawl_pages);
    if (!def.maxCrawlPages || m === null || m < 1 || m > 100) return fail('max_crawl_pages');
    maxCrawlPages = m;
  }

  let searchParam: string | null = null;
  if (data.search_param !== undefined) {
    if (typeof data.search_param !== 'string' || data.search_param.length > MAX_URL_LENGTH) return fail('search_param');
    searchParam = data.search_param;
  }

  let tag: string | null = null;
  if (data.tag !== undefined) {
    if (typeof data.tag !== 'string' || data.tag.length > MAX_TAG_LENGTH) return fail('tag');
    tag = data.tag;
  }

  let priority: 1 | 2 = 1;
  let postbackUrl: string | null = null;
  let postbackData: ResultFunction | null = null;
  let pingbackUrl: string | null = null;
  if (mode === 'task_post') {
    if (data.priority !== undefined) {
      const p = asInteger(data.priority);
      if (p !== 1 && p !== 2) return fail('priority');
      priority = p;
    }
    if (data.postback_url !== undefined) {
      if (!isWebhookUrl(data.postback_url)) return fail('postback_url');
      postbackUrl = data.postback_url;
      if (typeof data.postback_data !== 'string' || !def.postbackData.includes(data.postback_data as ResultFunction)) {
        return fail('postback_data');
      }
      postbackData = data.postback_data as ResultFunction;
    } else if (data.postback_data !== undefined) {
      // postback_data without a postback_url is harmless but must still be one of the documented values.
      if (typeof data.postback_data !== 'string' || !def.postbackData.includes(data.postback_data as ResultFunction)) {
        return fail('postback_data');
      }
    }
    if (data.pingback_url !== undefined) {
      if (!isWebhookUrl(data.pingback_url)) return fail('pingback_url');
      pingbackUrl = data.pingback_url;
    }
  }

  if (filledLanguage !== null) data.language_code = filledLanguage;
  if (data.device === undefined) data.device = device;
  if (data.os === undefined) data.os = os;

  return {
    ok: true,
    data,
    task: {
      keyword,
      locationCode,
      locationName,
      countryIso,
      locationCoordinate: coordinate,
      languageCode: language?.language_code ?? null,
      languageName: language?.language_name ?? null,
      device,
      os,
      depth,
      maxCrawlPages,
      priority,
      tag,
      seDomain,
      searchParam,
      postbackUrl,
      postbackData,
      pingbackUrl,
      hasOperators: keyword !== null && hasSearchOperators(keyword),
    },
  };
}
