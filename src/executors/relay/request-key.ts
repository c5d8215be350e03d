import { createHash } from 'node:crypto';
import type { ExecutionInput } from '../executor.js';

/**
 * The relay cache's key of a task: what decides its SERP (engine, type and the function inputs:
 * keyword or subject, location, language, device, os, depth and every type-specific field), not
 * what only concerns its account (tag, webhooks, priority). The keyword counts as the vendor reads
 * it: trimmed, inner spaces collapsed, case folded.
 */
const NOT_KEYED = new Set([
  'api',
  'function',
  'se',
  'se_type',
  'tag',
  'postback_url',
  'pingback_url',
  'postback_data',
  'priority',
  // Normalized below:
  'keyword',
  'location_name',
  'location_code',
  'location_coordinate',
  'language_name',
  'language_code',
  'device',
  'os',
  'depth',
  'max_crawl_pages',
  'se_domain',
  'search_param',
]);

/** JSON with object keys in order, so equal values give equal text. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function requestKey(input: ExecutionInput): string {
  const r = input.request;
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input.params ?? {})) if (!NOT_KEYED.has(k)) rest[k] = v;
  const key = stable([
    input.def.se,
    input.def.seType,
    r.keyword === null ? null : r.keyword.trim().replace(/\s+/g, ' ').toLowerCase(),
    r.locationCode ?? r.locationName?.toLowerCase() ?? null,
    r.locationCoordinate,
    r.languageCode ?? r.languageName?.toLowerCase() ?? null,
    r.device,
    r.os,
    r.depth,
    r.maxCrawlPages,
    r.seDomain,
    r.searchParam,
    rest,
  ]);
  return createHash('sha256').update(key).digest('base64url');
}
