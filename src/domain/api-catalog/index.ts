/**
 * The catalog of every DataForSEO API (types.ts; generated data in generated/*.ts, see docs/catalog.md).
 *
 * Each API's module is loaded on first use: `await loadApi('keywords_data')` imports it once (a dynamic
 * import, so importing this module stays cheap), after which `cachedApi(name)` returns it synchronously.
 * `matchEndpoint` resolves a request path against one API's templates through a lookup built once per API.
 */

import { API_LOADERS, API_NAMES } from './generated/apis.js';
import type { ApiCatalog, ApiName, Endpoint, HttpMethod } from './types.js';

export type * from './types.js';
export { API_NAMES };

const API_SET: ReadonlySet<string> = new Set(API_NAMES);
const loaded = new Map<ApiName, ApiCatalog>();
const loading = new Map<ApiName, Promise<ApiCatalog>>();

export function isApiName(name: string): name is ApiName {
  return API_SET.has(name);
}

/** The API a path after `/v3/` belongs to (its first segment), or null. */
export function apiOfPath(pathAfterV3: string): ApiName | null {
  const slash = pathAfterV3.indexOf('/');
  const first = slash < 0 ? pathAfterV3 : pathAfterV3.slice(0, slash);
  return isApiName(first) ? first : null;
}

/** Loads one API's catalog (once; concurrent calls share the import). */
export function loadApi(name: ApiName): Promise<ApiCatalog> {
  const hit = loaded.get(name);
  if (hit) return Promise.resolve(hit);
  let p = loading.get(name);
  if (!p) {
    const loader = API_LOADERS[name];
    if (!loader) return Promise.reject(new Error(`unknown API ${String(name)}`));
    p = loader().then(
      (m) => {
        loaded.set(name, m.default);
        loading.delete(name);
        return m.default;
      },
      (err: unknown) => {
        loading.delete(name);
        throw err;
      },
    );
    loading.set(name, p);
  }
  return p;
}

/** Loads every API's catalog. */
export function loadAllApis(): Promise<ApiCatalog[]> {
  return Promise.all(API_NAMES.map((n) => loadApi(n)));
}

/** An API's catalog once loaded (`loadApi`), else undefined. */
export function cachedApi(name: ApiName): ApiCatalog | undefined {
  return loaded.get(name);
}

/** The APIs loaded so far, in load order (tells what importing this module and using it has loaded). */
export function loadedApis(): ApiName[] {
  return [...loaded.keys()];
}

/* ------------------------------------------------------------------------ */
/* Matching                                                                  */
/* ------------------------------------------------------------------------ */

export interface EndpointMatch {
  readonly endpoint: Endpoint;
  /** Path parameters by name (`id`, `country`, `shop_ad_aclk`), as they appear in the path (not decoded). */
  readonly params: Readonly<Record<string, string>>;
}

interface Template {
  readonly segments: readonly (string | null)[];
  readonly endpoint: Endpoint;
}

/** Per HTTP method. */
interface MethodLookup {
  /** Templates without parameters, by path. */
  readonly exact: Map<string, Endpoint>;
  /** Templates whose only parameter is their last segment (all of the vendor's), by the path up to it (`on_page/summary/`). */
  readonly lastParam: Map<string, Endpoint>;
  /** Any other templated path, most literal segments first. */
  readonly other: Template[];
}

const lookups = new WeakMap<ApiCatalog, Record<HttpMethod, MethodLookup>>();

function lookupOf(api: ApiCatalog): Record<HttpMethod, MethodLookup> {
  let l = lookups.get(api);
  if (l) return l;
  const empty = (): MethodLookup => ({ exact: new Map(), lastParam: new Map(), other: [] });
  l = { GET: empty(), POST: empty() };
  for (const e of api.endpoints) {
    const m = l[e.method];
    if (e.params.length === 0) {
      m.exact.set(e.path, e);
      continue;
    }
    const segments = e.path.split('/').map((s) => (s.startsWith('{') && s.endsWith('}') ? null : s));
    const params = segments.filter((s) => s === null).length;
    const prefix = e.path.slice(0, e.path.lastIndexOf('/') + 1);
    if (params === 1 && segments[segments.length - 1] === null && !m.lastParam.has(prefix)) {
      m.lastParam.set(prefix, e);
    } else {
      m.other.push({ segments, endpoint: e });
    }
  }
  const literals = (t: Template) => t.segments.filter((s) => s !== null).length;
  for (const m of Object.values(l)) m.other.sort((a, b) => literals(b) - literals(a));
  lookups.set(api, l);
  return l;
}

/**
 * The endpoint of `api` a request path matches, with its path parameters, or null. `pathAfterV3` is the
 * path after `/v3/` without a query string or trailing slash, e.g. `on_page/summary/0123-…`; a template
 * parameter matches exactly one non-empty segment; a literal path wins over a template.
 */
export function matchEndpoint(api: ApiCatalog, method: HttpMethod, pathAfterV3: string): EndpointMatch | null {
  const l = lookupOf(api)[method];
  if (!l) return null;
  const hit = l.exact.get(pathAfterV3);
  if (hit) return { endpoint: hit, params: {} };
  const slash = pathAfterV3.lastIndexOf('/');
  if (slash > 0 && slash < pathAfterV3.length - 1) {
    const e = l.lastParam.get(pathAfterV3.slice(0, slash + 1));
    if (e) return { endpoint: e, params: { [e.params[0]!]: pathAfterV3.slice(slash + 1) } };
  }
  if (l.other.length === 0) return null;
  const segs = pathAfterV3.split('/');
  for (const t of l.other) {
    if (t.segments.length !== segs.length) continue;
    const params: Record<string, string> = {};
    let k = 0;
    let ok = true;
    for (let i = 0; i < segs.length && ok; i++) {
      const want = t.segments[i];
      if (want === null) {
        if (segs[i] === '') ok = false;
        else params[t.endpoint.params[k++]!] = segs[i]!;
      } else if (want !== segs[i]) ok = false;
    }
    if (ok) return { endpoint: t.endpoint, params };
  }
  return null;
}

/** The endpoint of a template path and method (`keywords_data/google_ads/locations/{country}`), or undefined. */
export function findEndpoint(api: ApiCatalog, method: HttpMethod, templatePath: string): Endpoint | undefined {
  return api.endpoints.find((e) => e.method === method && e.path === templatePath);
}
