import type { Endpoint, FieldRule } from '../../src/domain/api-catalog/index.js';

/**
 * A task built from an endpoint's documented request rules only (the catalog's required fields and
 * required one-of groups), as a user reading the docs would write the smallest valid request. Values
 * are chosen by field name and type; a documented enum gives its first value.
 */

const BY_NAME: Record<string, unknown> = {
  keyword: 'running shoes',
  keywords: ['running shoes', 'trail shoes'],
  target: 'example.com',
  targets: ['example.com', 'example.org'],
  url: 'https://example.com/',
  urls: ['https://example.com/'],
  location_code: 2840,
  location_name: 'United States',
  language_code: 'en',
  language_name: 'English',
  user_prompt: 'what is a good running shoe',
  model_name: 'gpt-4.1-mini',
  category_code: 10021,
  category_codes: [10021],
  app_id: 'com.example.app',
  app_ids: ['com.example.app'],
  domain: 'example.com',
  page_url: 'https://example.com/',
  text: 'Running shoes are made for running. They help runners train well and stay safe.',
  topic: 'running shoes',
  asin: 'B000000001',
  cid: '1234567890',
  hotel_identifier: 'ChYIq6SB--i6p6cpGgovbS8wN2s5ODZfEAE',
  place_id: 'ChIJOwg_06VPwokRYv534QaPC8g',
  alias: 'example.com',
  search_terms: ['running shoes'],
  se_type: 'organic',
  pages: ['https://example.com/'],
  subject: 'running shoes',
  query: 'running shoes',
};

/** Fields documented as objects keyed "1", "2", … (intersections). */
const NUMBERED: Record<string, readonly string[]> = {
  targets: ['example.com', 'example.org'],
  pages: ['https://example.com/', 'https://example.org/'],
  app_ids: ['com.example.app', 'com.example.other'],
};

function valueFor(f: FieldRule): unknown {
  if (f.enum && f.enum.length > 0) return f.type === 'array' ? [f.enum[0]] : f.enum[0];
  if (f.type === 'object' && f.name in NUMBERED) return Object.fromEntries(NUMBERED[f.name]!.map((v, i) => [String(i + 1), v]));
  if (f.type === 'array' && f.items === 'object' && f.name === 'target') return [{ domain: 'example.com' }];
  if (f.name in BY_NAME) {
    const v = BY_NAME[f.name];
    if (f.type === 'array' && f.items === 'string' && Array.isArray(v)) return v.map(String);
    if (f.type === 'array' && !Array.isArray(v)) return [f.items === 'string' ? String(v) : v];
    if (f.type !== 'array' && Array.isArray(v)) return v[0];
    if (f.type === 'integer' && typeof v !== 'number') return 1;
    return v;
  }
  if (f.name.endsWith('_url') || f.name === 'link') return 'https://example.com/';
  if (f.name.startsWith('date')) return '2026-01-01';
  switch (f.type) {
    case 'string':
      return 'example';
    case 'integer':
    case 'number':
      return f.min ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return f.items === 'integer' || f.items === 'number' ? [1] : ['example'];
    case 'object':
      return {};
    default:
      return 'example';
  }
}

export function minimalRequest(endpoint: Endpoint): Record<string, unknown> {
  const rules = endpoint.request;
  const task: Record<string, unknown> = {};
  if (!rules) return task;
  const byName = new Map(rules.fields.map((f) => [f.name, f]));
  for (const f of rules.fields) if (f.required) task[f.name] = valueFor(f);
  for (const g of rules.oneOf) {
    if (!g.required || g.fields.some((n) => n in task)) continue;
    const name = g.fields.find((n) => n in BY_NAME) ?? g.fields[0]!;
    const f = byName.get(name) ?? { name, type: 'string' as const };
    task[name] = valueFor(f);
  }
  return task;
}
