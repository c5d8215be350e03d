import { type ApiCatalog, type Endpoint, isApiName, matchEndpoint } from '../../domain/api-catalog/index.js';
import { taskGetEndpoint, taskPostEndpoint } from '../../domain/api-catalog/tasks.js';
import { checkTask } from '../../domain/api-catalog/validate.js';
import { keywordAsRecorded, keywordForMatch, stableJson } from '../../domain/serp-request.js';
import { type Cassette, CassetteError, type MatchField, cassetteProblem } from './cassette.js';

/**
 * A cassette of another API than SERP's engine: one recorded `result` array of one endpoint path,
 * one JSON line of a file per path (`dataforseo_labs.google.ranked_keywords.live.jsonl`). Keys are
 * written in a fixed order, the request's sorted:
 *
 *   {"api":"dataforseo_labs","path":"dataforseo_labs/google/ranked_keywords/live","request":{…},"result":[…],"recorded_at":"…","source":"…"}
 *
 * `path` is what answered (after `/v3/`): a live endpoint's (`…/live`, `on_page/instant_pages`, a
 * reference list with its parameters filled: `keywords_data/google_ads/locations/us`), or a task
 * type's task_get function without the task id (`keywords_data/google_ads/search_volume/task_get`,
 * `merchant/amazon/products/task_get/advanced`): a type with several functions has one cassette per
 * function. `request` holds the task's fields as checked against the endpoint's request rules (a task
 * type's: its task_post's), documented defaults filled in, without what concerns only the account:
 * tag, postback and pingback fields, priority.
 */
export interface CatalogCassette {
  readonly api: string;
  readonly path: string;
  readonly request: Readonly<Record<string, unknown>>;
  /** The vendor's `tasks[].result` array. */
  readonly result: readonly unknown[];
  /** The vendor's datetime format, `2026-12-01 10:00:00 +00:00`. */
  readonly recorded_at: string;
  /** Where it came from: the upstream's URL, `import:<file>`, `export`. */
  readonly source: string;
}

/** The cassette file of an endpoint path: its segments joined by dots. */
export const catalogCassetteFile = (path: string): string => `${path.replace(/\//g, '.')}.jsonl`;

/** The stored-task function of a task_get cassette path (`task_get` for the function-less one). */
export const TASK_GET = 'task_get';

/** The cassette path of a task type's task_get function (null: `task_get/{id}` without one). */
export const taskGetCassettePath = (type: string, fn: string | null): string =>
  fn === null ? `${type}/${TASK_GET}` : `${type}/${TASK_GET}/${fn}`;

/** Fields that concern only the account (and the vendor's echo of the call), never a match. */
const ACCOUNT_FIELDS = new Set(['api', 'function', 'se', 'se_type', 'tag', 'postback_url', 'postback_data', 'pingback_url', 'priority']);

/** What a cassette path answers: the endpoint, the endpoint whose request rules read the request, and the task type's function. */
export interface CatalogTarget {
  readonly endpoint: Endpoint;
  readonly rules: Endpoint | null;
  /** Task types: the type and its task_get function (null: without one). */
  readonly task: { readonly type: string; readonly fn: string | null } | null;
}

/** The endpoint a cassette path answers, or null when the catalog of its API has none. */
export function catalogTarget(api: ApiCatalog, path: string): CatalogTarget | null {
  const at = path.indexOf(`/${TASK_GET}`);
  if (at > 0 && (path.length === at + TASK_GET.length + 1 || path[at + TASK_GET.length + 1] === '/')) {
    const type = path.slice(0, at);
    const fnPart = path.slice(at + TASK_GET.length + 2);
    const fn = fnPart === '' ? null : fnPart;
    const endpoint = taskGetEndpoint(api, type, fn);
    if (!endpoint || endpoint.fn !== fn || !api.types[type]) return null;
    return { endpoint, rules: taskPostEndpoint(api, type) ?? null, task: { type, fn } };
  }
  const found = matchEndpoint(api, 'POST', path) ?? matchEndpoint(api, 'GET', path);
  if (!found || found.endpoint.kind === 'task_post' || found.endpoint.kind === 'task_get' || found.endpoint.kind === 'tasks_ready') {
    return null;
  }
  return { endpoint: found.endpoint, rules: found.endpoint.method === 'POST' ? found.endpoint : null, task: null };
}

/**
 * The request of a cassette from the fields posted (or the vendor's `data` echo): checked against
 * `rules` (documented defaults filled in, unknown fields dropped, so a default posted or left out is
 * the same request), without the account's fields. A GET list's request is empty (its path says it).
 */
export function catalogRequest(rules: Endpoint | null, posted: Readonly<Record<string, unknown>>): Record<string, unknown> {
  if (!rules || !rules.request) return {};
  const checked = checkTask(rules, posted);
  const fields: Readonly<Record<string, unknown>> = checked.ok ? checked.params : posted;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined || v === null || ACCOUNT_FIELDS.has(k)) continue;
    out[k] = k === 'keyword' && typeof v === 'string' ? keywordAsRecorded(v) : v;
  }
  return out;
}

/** Which `--replay-match` input a request field is (fields that none names are always matched). */
const INPUT_OF: Readonly<Record<string, MatchField>> = {
  keyword: 'keyword',
  keywords: 'keyword',
  location_code: 'location',
  location_name: 'location',
  location_coordinate: 'location',
  language_code: 'language',
  language_name: 'language',
  device: 'device',
  os: 'os',
  depth: 'depth',
  se_domain: 'se_domain',
};

/**
 * The lookup key of a request of an endpoint path under the chosen inputs. The inputs SERP's rules
 * name (keyword, location, language, device, os, depth, se_domain) are compared only when chosen,
 * keywords as the vendor compares them (trimmed, spaces collapsed, case folded; `keywords` item by
 * item, in order); every other field (the target, filters, limits, sorting) always decides.
 */
export function catalogMatchKey(path: string, request: Readonly<Record<string, unknown>>, match: readonly MatchField[]): string {
  const parts: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(request)) {
    const input = INPUT_OF[k];
    if (input && !match.includes(input)) continue;
    if (k === 'keyword' && typeof v === 'string') parts[k] = keywordForMatch(v);
    else if (k === 'keywords' && Array.isArray(v)) parts[k] = v.map((x) => (typeof x === 'string' ? keywordForMatch(x) : x));
    else if ((k === 'language_code' || k === 'se_domain' || k === 'language_name') && typeof v === 'string') parts[k] = v.toLowerCase();
    else parts[k] = v;
  }
  // SERP's keys start with the engine: an empty first part cannot be one.
  return stableJson(['', path, parts]);
}

/** One cassette as its line (without the newline): fixed top-level order, sorted request. */
export function catalogCassetteLine(c: CatalogCassette): string {
  return (
    `{"api":${JSON.stringify(c.api)},"path":${JSON.stringify(c.path)},"request":${stableJson(c.request)},` +
    `"result":${JSON.stringify(c.result)},"recorded_at":${JSON.stringify(c.recorded_at)},"source":${JSON.stringify(c.source)}}`
  );
}

/** Whether a parsed line is meant as a cassette of another API (it has `api`, not `se`). */
export const isCatalogLine = (value: unknown): boolean =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && 'api' in value && !('se' in value);

/** Why a parsed line is not a cassette of another API, or null when it is one. */
export function catalogCassetteProblem(value: unknown): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  const c = value as Record<string, unknown>;
  if (typeof c.api !== 'string' || !isApiName(c.api) || c.api === 'appendix') return `"api" is not an API (${JSON.stringify(c.api)})`;
  if (typeof c.path !== 'string' || !c.path.startsWith(`${c.api}/`)) return `"path" is not a path of ${c.api}`;
  if (c.request === null || typeof c.request !== 'object' || Array.isArray(c.request)) return '"request" is not an object';
  if (!Array.isArray(c.result)) return '"result" is not an array';
  return null;
}

/** The recorded result made the call's own: each item's `datetime`, when it has one, is the call's. */
export function replayedCatalogResult(c: CatalogCassette, datetime: string): unknown[] {
  return c.result.map((item) =>
    item !== null && typeof item === 'object' && !Array.isArray(item) && 'datetime' in item ? { ...item, datetime } : item,
  );
}

/** A cassette of either kind: SERP's engine (by engine and type) or another API's (by path). */
export type AnyCassette = Cassette | CatalogCassette;

export const isCatalogCassette = (c: AnyCassette): c is CatalogCassette => 'api' in c && !('se' in c);

/** One line of a cassette file as its cassette, of either kind; throws naming `where` (file:line) when it is neither. */
export function parseAnyCassetteLine(text: string, where: string): AnyCassette {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new CassetteError(`${where}: not valid JSON (${(err as Error).message})`);
  }
  const problem = isCatalogLine(value) ? catalogCassetteProblem(value) : cassetteProblem(value);
  if (problem) throw new CassetteError(`${where}: ${problem}`);
  return value as AnyCassette;
}
