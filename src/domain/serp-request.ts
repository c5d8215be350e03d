/**
 * What decides a task's SERP, apart from what only concerns its account: the relay's cache and the
 * cassettes of record and replay compare requests by these rules.
 */

/** Posted fields that do not decide the SERP (account-side), or that are compared in normalized form. */
export const NOT_SERP_FIELDS: ReadonlySet<string> = new Set([
  'api',
  'function',
  'se',
  'se_type',
  'tag',
  'postback_url',
  'pingback_url',
  'postback_data',
  'priority',
  // Normalized by the callers:
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

/** A keyword as the vendor reads it for matching: trimmed, inner whitespace collapsed, case folded. */
export const keywordForMatch = (keyword: string): string => keyword.trim().replace(/\s+/g, ' ').toLowerCase();

/** A keyword as stored in a cassette: trimmed, inner whitespace collapsed, case kept. */
export const keywordAsRecorded = (keyword: string): string => keyword.trim().replace(/\s+/g, ' ');

/** JSON with object keys in order, so equal values give equal text. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The type-specific posted fields of a request (those not in NOT_SERP_FIELDS), or undefined when none. */
export function serpFields(params: Readonly<Record<string, unknown>> | undefined, skip?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params ?? {})) if (!NOT_SERP_FIELDS.has(k) && k !== skip && v !== undefined) out[k] = v;
  return out;
}
