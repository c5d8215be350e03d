import { createHash } from 'node:crypto';
import { keywordForMatch, serpFields, stableJson } from '../../domain/serp-request.js';
import type { ExecutionInput } from '../executor.js';

/**
 * The relay cache's key of a task: what decides its SERP (engine, type and the function inputs:
 * keyword or subject, location, language, device, os, depth and every type-specific field), not
 * what only concerns its account (tag, webhooks, priority). The keyword counts as the vendor reads
 * it: trimmed, inner spaces collapsed, case folded.
 */
export function requestKey(input: ExecutionInput): string {
  const r = input.request;
  const key = stableJson([
    input.def.se,
    input.def.seType,
    r.keyword === null ? null : keywordForMatch(r.keyword),
    r.locationCode ?? r.locationName?.toLowerCase() ?? null,
    r.locationCoordinate,
    r.languageCode ?? r.languageName?.toLowerCase() ?? null,
    r.device,
    r.os,
    r.depth,
    r.maxCrawlPages,
    r.seDomain,
    r.searchParam,
    serpFields(input.params),
  ]);
  return createHash('sha256').update(key).digest('base64url');
}
