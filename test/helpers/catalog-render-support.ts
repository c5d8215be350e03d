// Test support for the catalog sandbox's tests (not imported by the renderer): a structural
// validator of a value against a catalog SchemaNode, sample requests per endpoint, and a walk over
// a rendered value.

import type { ApiCatalog, Endpoint, SchemaNode } from '../../src/domain/api-catalog/index.js';
import { requestFields } from '../../src/executors/sandbox/catalog/context.js';

export const DATETIME = '2025-03-04 05:06:07 +00:00';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Problems of `v` against `node` (empty when valid): JSON types match (an integer is a whole number),
 * arrays hold the item type, objects have exactly the schema's keys, a union member is the one its
 * discriminator names; null is allowed anywhere (every field of the vendor's schemas is nullable).
 */
export function validate(api: ApiCatalog, node: SchemaNode, v: unknown, path = '$', out: string[] = []): string[] {
  if (v === null || out.length > 20) return out;
  const bad = (what: string): void => void out.push(`${path}: ${what}, got ${JSON.stringify(v)?.slice(0, 80)}`);
  switch (node.t) {
    case 'any':
      return out;
    case 'string':
      if (typeof v !== 'string') bad('expected a string');
      return out;
    case 'integer':
      if (typeof v !== 'number' || !Number.isInteger(v)) bad('expected an integer');
      return out;
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) bad('expected a number');
      return out;
    case 'boolean':
      if (typeof v !== 'boolean') bad('expected a boolean');
      return out;
    case 'array':
      if (!Array.isArray(v)) bad('expected an array');
      else v.forEach((x, i) => validate(api, node.i, x, `${path}[${i}]`, out));
      return out;
    case 'map':
      if (!isObj(v)) bad('expected a map');
      else for (const [k, x] of Object.entries(v)) validate(api, node.v, x, `${path}.${k}`, out);
      return out;
    case 'object':
      if (!isObj(v)) {
        bad('expected an object');
        return out;
      }
      for (const k of Object.keys(v)) if (!(k in node.p)) out.push(`${path}.${k}: not in the schema`);
      for (const [k, n] of Object.entries(node.p)) {
        if (!(k in v)) out.push(`${path}.${k}: missing`);
        else validate(api, n, v[k], `${path}.${k}`, out);
      }
      return out;
    case 'ref': {
      const n = api.schemas[node.n];
      if (!n) out.push(`${path}: unknown schema ${node.n}`);
      else validate(api, n, v, path, out);
      return out;
    }
    case 'union': {
      if (!isObj(v)) {
        bad('expected a union member');
        return out;
      }
      const member = node.m[String(v[node.d])];
      if (!member) bad(`${node.d} names no member of the union`);
      else validate(api, { t: 'ref', n: member }, v, path, out);
      return out;
    }
  }
}

/** A request a user would send to an endpoint (task_get: what its task_post posted). */
export function sampleParams(api: ApiCatalog, e: Endpoint, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const p: Record<string, unknown> = {};
  for (const f of requestFields(api, e)) {
    const arr = f.type === 'array';
    const obj = f.type === 'object';
    switch (f.name) {
      case 'keywords':
        p.keywords = ['running shoes', 'trail running shoes', 'buy running shoes online'];
        break;
      case 'keyword':
        p.keyword = 'running shoes';
        break;
      case 'target':
        p.target = arr ? ['nike.com', 'adidas.com'] : 'nike.com';
        break;
      case 'targets':
        p.targets = obj ? { '1': 'nike.com', '2': 'adidas.com' } : ['nike.com', 'adidas.com', 'https://www.puma.com/us/en'];
        break;
      case 'target1':
        p.target1 = 'nike.com';
        break;
      case 'target2':
        p.target2 = 'adidas.com';
        break;
      case 'pages':
        p.pages = obj ? { '1': 'https://nike.com/running', '2': 'https://adidas.com/running' } : ['https://nike.com/running'];
        break;
      case 'asin':
        p.asin = 'B08N5WRWNW';
        break;
      case 'asins':
        p.asins = obj ? { '1': 'B08N5WRWNW', '2': 'B07XJ8C8F5' } : ['B08N5WRWNW', 'B07XJ8C8F5'];
        break;
      case 'app_id':
        p.app_id = e.path.includes('/apple/') ? '284882215' : 'com.nike.omega';
        break;
      case 'app_ids':
        p.app_ids = obj ? { '1': 'com.nike.omega', '2': 'com.adidas.app' } : ['com.nike.omega', 'com.adidas.app'];
        break;
      case 'location_code':
        p.location_code = f.type === 'string' ? '2840' : 2840;
        break;
      case 'language_code':
        p.language_code = 'en';
        break;
      case 'url':
        p.url = 'https://nike.com/';
        break;
      case 'domain':
        p.domain = 'nike.com';
        break;
      case 'categories':
      case 'category_codes':
        p[f.name] = [10021];
        break;
      case 'text':
        p.text = 'Running shoes are made for running. They help runners train well and stay safe.';
        break;
      case 'topic':
      case 'title':
      case 'user_prompt':
        p[f.name] = 'running shoes';
        break;
      case 'id':
        p.id = '03051327-1535-0216-0000-a1b2c3d4e5f6';
        break;
      default:
        if (f.required && f.default === undefined) {
          if (f.enum && f.enum.length > 0) p[f.name] = arr ? [f.enum[0]] : f.enum[0];
          else if (f.type === 'string') p[f.name] = 'running shoes';
          else if (f.type === 'integer' || f.type === 'number') p[f.name] = f.min ?? 1;
          else if (arr) p[f.name] = f.items === 'integer' || f.items === 'number' ? [1] : ['running shoes'];
        }
    }
  }
  return { ...p, ...overrides };
}

/** Every (key, value) pair under a value, depth first. */
export function* walkValues(v: unknown, key = ''): Generator<[string, unknown]> {
  yield [key, v];
  if (Array.isArray(v)) for (const x of v) yield* walkValues(x, key);
  else if (isObj(v)) for (const [k, x] of Object.entries(v)) yield* walkValues(x, k);
}

export function isEndpointRendered(e: Endpoint): boolean {
  return e.api !== 'serp' && (e.kind === 'live' || e.kind === 'task_get') && e.result !== null;
}
