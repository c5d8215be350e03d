import { envelope, pathSegments, wireTask } from '../contracts/envelope.js';
import { ID_FAMILY, newId } from '../domain/ids.js';
import { LANGUAGES, LOCATIONS, type Language, type Location } from '../domain/reference.js';
import { STATUS, invalidFieldMessage } from '../domain/status-codes.js';
import { type CallContext, type ServiceDeps, elapsedMs } from './deps.js';
import type { ServiceResult } from './webhooks.js';

/**
 * The reference lists of GET /v3/serp/{se}/locations[/{country}] and /v3/serp/{se}/languages (SPEC
 * 6.8), and of the type-level lists the vendor has (google/ai_mode/languages,
 * google/ads_advertisers/locations, google/ads_search/locations). Free. Every official schema of
 * these paths has the same row shape: locations `{location_code, location_name,
 * location_code_parent, country_iso_code, location_type}`, languages `{language_name,
 * language_code}`; the rows come from src/domain/reference.ts (the vendor's real codes).
 *
 * Which rows each list has (serpq's choice where the vendor's lists are not known row by row):
 * - google, bing, yahoo, youtube, google/ai_mode: every location / language serpq knows (task
 *   validation accepts them all for every engine, so every accepted code is listed);
 * - baidu: China and its subdivisions, language Chinese (Simplified); seznam: Czechia and its
 *   subdivisions, language Czech (the only markets those engines serve);
 * - google/ads_advertisers and google/ads_search (Ads Transparency, per country): the top-level
 *   rows (countries and territories).
 * naver has no locations/languages endpoint in the vendor's API and gets none here.
 *
 * `/locations/{country}` filters by ISO 3166-1 alpha-2 code, case-insensitively. A code that is not
 * two letters answers a task-level 40501 `Invalid Field: 'country'.`; a well-formed code without rows
 * in the list answers 20000 with an empty result.
 */

export type ReferenceKind = 'locations' | 'languages';

type LocationFilter = (l: Location) => boolean;
type LanguageFilter = (l: Language) => boolean;

const ALL = () => true;
const TOP_LEVEL: LocationFilter = (l) => l.location_code_parent === null;
const inCountry =
  (iso: string): LocationFilter =>
  (l) =>
    l.country_iso_code === iso;

/** Location lists by `se` or `se/se_type`. */
const LOCATION_LISTS: Readonly<Record<string, LocationFilter>> = {
  google: ALL,
  bing: ALL,
  yahoo: ALL,
  youtube: ALL,
  baidu: inCountry('CN'),
  seznam: inCountry('CZ'),
  'google/ads_advertisers': TOP_LEVEL,
  'google/ads_search': TOP_LEVEL,
};

/** Language lists by `se` or `se/se_type`. */
const LANGUAGE_LISTS: Readonly<Record<string, LanguageFilter>> = {
  google: ALL,
  bing: ALL,
  yahoo: ALL,
  youtube: ALL,
  baidu: (l) => l.language_code === 'zh-CN',
  seznam: (l) => l.language_code === 'cs',
  'google/ai_mode': ALL,
};

const listKey = (se: string, seType?: string) => (seType ? `${se}/${seType}` : se);

const locationCache = new Map<string, readonly Location[]>();
const languageCache = new Map<string, readonly Language[]>();

/**
 * The locations of an engine (or engine type) list, optionally of one country (upper-case ISO code):
 * undefined when the vendor has no such list. Also for task validation that wants the per-engine list.
 */
export function locationsFor(se: string, seType?: string, countryIso?: string): readonly Location[] | undefined {
  const key = listKey(se, seType);
  const filter = Object.hasOwn(LOCATION_LISTS, key) ? LOCATION_LISTS[key] : undefined;
  if (!filter) return undefined;
  const cacheKey = `${key} ${countryIso ?? ''}`;
  let rows = locationCache.get(cacheKey);
  if (!rows) {
    rows = Object.freeze(LOCATIONS.filter((l) => filter(l) && (countryIso === undefined || l.country_iso_code === countryIso)));
    locationCache.set(cacheKey, rows);
  }
  return rows;
}

/** The languages of an engine (or engine type) list; undefined when the vendor has no such list. */
export function languagesFor(se: string, seType?: string): readonly Language[] | undefined {
  const key = listKey(se, seType);
  const filter = Object.hasOwn(LANGUAGE_LISTS, key) ? LANGUAGE_LISTS[key] : undefined;
  if (!filter) return undefined;
  let rows = languageCache.get(key);
  if (!rows) {
    rows = Object.freeze(LANGUAGES.filter(filter));
    languageCache.set(key, rows);
  }
  return rows;
}

export interface ReferenceRequest {
  readonly kind: ReferenceKind;
  readonly se: string;
  /** For the type-level lists (ai_mode, ads_advertisers, ads_search). */
  readonly seType?: string;
  /** `/locations/{country}`: the path segment as given. */
  readonly country?: string;
}

/**
 * The envelope of one reference-list call, or null when there is no such list (the route answers
 * 404 / 40400 then, as for any unknown path).
 */
export function referenceList(deps: Pick<ServiceDeps, 'clock'>, ctx: CallContext, req: ReferenceRequest): ServiceResult | null {
  if (req.kind === 'languages' && req.country !== undefined) return null;
  if (req.country !== undefined && req.seType !== undefined) return null;
  const known = req.kind === 'locations' ? locationsFor(req.se, req.seType) : languagesFor(req.se, req.seType);
  if (!known) return null;

  const data: Record<string, unknown> = { api: 'serp', function: req.kind, se: req.se };
  if (req.seType) data.se_type = req.seType;
  if (req.country !== undefined) data.country = req.country;
  const id = newId(deps.clock.now(), ctx.account.id, ID_FAMILY.APPENDIX);
  const path = pathSegments(ctx.url);
  const answer = (status: { code: number; message: string }, result: unknown[] | null): ServiceResult => ({
    httpStatus: 200,
    body: envelope(STATUS.OK, { timeMs: elapsedMs(ctx), tasks: [wireTask(id, status, { timeMs: elapsedMs(ctx), path, data, result })] }),
  });

  if (req.country === undefined) return answer(STATUS.OK, known as unknown[]);
  if (!/^[A-Za-z]{2}$/.test(req.country)) return answer({ code: STATUS.INVALID_FIELD.code, message: invalidFieldMessage('country') }, null);
  return answer(STATUS.OK, locationsFor(req.se, undefined, req.country.toUpperCase()) as unknown[]);
}
