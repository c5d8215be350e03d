import type { ResultFunction, SeTypeDef } from '../../domain/catalog.js';
import { keywordAsRecorded, keywordForMatch, serpFields, stableJson } from '../../domain/serp-request.js';
import type { NormalizedTask } from '../../domain/task-request.js';

/**
 * A cassette: one recorded result of a request, one JSON line of a file per engine and type
 * (`google.organic.jsonl`). Keys are written in a fixed order (the request's and the results' sorted)
 * so that files diff well under review:
 *
 *   {"se":"google","se_type":"organic","request":{…},"results":{"advanced":…},"recorded_at":"…","source":"…"}
 *
 * `request` holds the normalized inputs that decide a SERP: the subject (`keyword`, or the type's
 * `video_id`, `image_url`, `dataset_id`), `location_code` or `location_coordinate`, `language_code`,
 * `device`, `os`, `depth`, and `se_domain`, `max_crawl_pages`, `search_param` and the type-specific
 * fields when posted. Never the tag, webhooks or priority.
 */
export interface Cassette {
  readonly se: string;
  readonly se_type: string;
  readonly request: Readonly<Record<string, unknown>>;
  readonly results: Readonly<Partial<Record<ResultFunction, unknown>>>;
  /** The vendor's datetime format, `2026-12-01 10:00:00 +00:00`. */
  readonly recorded_at: string;
  /** Where it came from: the upstream's URL, `import:<file>`, `export`. */
  readonly source: string;
}

export const RESULT_FUNCTIONS: readonly ResultFunction[] = ['advanced', 'html', 'regular'];

/** The cassette file of an engine and type. */
export const cassetteFile = (se: string, seType: string): string => `${se}.${seType}.jsonl`;

/** The request of a cassette, from a parsed task. */
export function cassetteRequest(def: SeTypeDef, task: NormalizedTask, params: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const subject = def.subject === 'keyword_optional' ? 'keyword' : def.subject;
  const out: Record<string, unknown> = {};
  if (subject === 'keyword') {
    if (task.keyword !== null) out.keyword = keywordAsRecorded(task.keyword);
  } else if (params[subject] !== undefined) {
    out[subject] = params[subject];
  }
  if (task.locationCode !== null) out.location_code = task.locationCode;
  if (task.locationCoordinate !== null) out.location_coordinate = task.locationCoordinate;
  if (task.languageCode !== null) out.language_code = task.languageCode;
  out.device = task.device;
  out.os = task.os;
  out.depth = task.depth;
  if (task.seDomain !== null) out.se_domain = task.seDomain;
  if (task.maxCrawlPages !== null) out.max_crawl_pages = task.maxCrawlPages;
  if (task.searchParam !== null) out.search_param = task.searchParam;
  Object.assign(out, serpFields(params, subject));
  return out;
}

/** One cassette as its line (without the newline): fixed top-level order, sorted request and results. */
export function cassetteLine(c: Cassette): string {
  const results: Record<string, unknown> = {};
  for (const fn of RESULT_FUNCTIONS) if (c.results[fn] !== undefined) results[fn] = c.results[fn];
  return (
    `{"se":${JSON.stringify(c.se)},"se_type":${JSON.stringify(c.se_type)},"request":${stableJson(c.request)},` +
    `"results":${JSON.stringify(results)},"recorded_at":${JSON.stringify(c.recorded_at)},"source":${JSON.stringify(c.source)}}`
  );
}

/** The inputs `--replay-match` can name. The subject (keyword, video_id, …) is `keyword`. */
export const MATCH_FIELDS = ['keyword', 'location', 'language', 'device', 'os', 'depth', 'se_domain', 'fields'] as const;
export type MatchField = (typeof MATCH_FIELDS)[number];
/** What a task without a cassette gets: the sandbox's result, 40102, or the upstream's, recorded. */
export type ReplayMiss = 'sandbox' | 'error' | 'record';
export const REPLAY_MISSES: readonly ReplayMiss[] = ['sandbox', 'error', 'record'];

export const DEFAULT_MATCH: readonly MatchField[] = ['keyword', 'location', 'language', 'device', 'depth'];

/** Parses `--replay-match keyword,location,…`; throws naming an unknown input. */
export function parseReplayMatch(spec: string): MatchField[] {
  const out: MatchField[] = [];
  for (const part of spec.split(',')) {
    const f = part.trim().toLowerCase();
    if (f === '') continue;
    if (!(MATCH_FIELDS as readonly string[]).includes(f)) {
      throw new Error(`unknown input '${part.trim()}': use a comma-separated list of ${MATCH_FIELDS.join(', ')}`);
    }
    if (!out.includes(f as MatchField)) out.push(f as MatchField);
  }
  return out;
}

const SUBJECTS = ['keyword', 'video_id', 'image_url', 'dataset_id'];
const NOT_FIELDS = new Set([
  ...SUBJECTS,
  'location_code',
  'location_coordinate',
  'language_code',
  'device',
  'os',
  'depth',
  'se_domain',
  'max_crawl_pages',
  'search_param',
]);

/**
 * The lookup key of a cassette request under the chosen inputs: engine and type always, the subject
 * as the vendor compares keywords (trimmed, spaces collapsed, case folded), the others as recorded.
 */
export function matchKey(se: string, seType: string, request: Readonly<Record<string, unknown>>, match: readonly MatchField[]): string {
  const parts: unknown[] = [se, seType];
  for (const f of match) {
    switch (f) {
      case 'keyword': {
        const subject = SUBJECTS.find((s) => request[s] !== undefined);
        const v = subject ? request[subject] : null;
        parts.push(typeof v === 'string' && subject === 'keyword' ? keywordForMatch(v) : (v ?? null));
        break;
      }
      case 'location':
        parts.push(request.location_code ?? request.location_coordinate ?? null);
        break;
      case 'language':
        parts.push(typeof request.language_code === 'string' ? request.language_code.toLowerCase() : null);
        break;
      case 'se_domain':
        parts.push(typeof request.se_domain === 'string' ? request.se_domain.toLowerCase() : null);
        break;
      case 'fields': {
        const rest: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(request)) if (!NOT_FIELDS.has(k)) rest[k] = v;
        parts.push(rest, request.max_crawl_pages ?? null, request.search_param ?? null);
        break;
      }
      default:
        parts.push(request[f] ?? null);
    }
  }
  return stableJson(parts);
}

/** A cassette file that cannot be used (the message names the file and line). */
export class CassetteError extends Error {}

/** One line of a cassette file as its cassette; throws naming `where` (file:line) when it is not one. */
export function parseCassetteLine(text: string, where: string): Cassette {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new CassetteError(`${where}: not valid JSON (${(err as Error).message})`);
  }
  const problem = cassetteProblem(value);
  if (problem) throw new CassetteError(`${where}: ${problem}`);
  return value as Cassette;
}

/** Why a parsed line is not a cassette, or null when it is one. */
export function cassetteProblem(value: unknown): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  const c = value as Record<string, unknown>;
  if (typeof c.se !== 'string' || c.se === '') return '"se" is missing';
  if (typeof c.se_type !== 'string' || c.se_type === '') return '"se_type" is missing';
  if (c.request === null || typeof c.request !== 'object' || Array.isArray(c.request)) return '"request" is not an object';
  if (c.results === null || typeof c.results !== 'object' || Array.isArray(c.results)) return '"results" is not an object';
  const fns = Object.keys(c.results);
  const unknown = fns.find((f) => !(RESULT_FUNCTIONS as readonly string[]).includes(f));
  if (unknown) return `"results" has '${unknown}': use advanced, html or regular`;
  if (fns.length === 0) return '"results" is empty';
  return null;
}
