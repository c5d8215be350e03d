import { type ApiCatalog, type EndpointMatch, type HttpMethod, isApiName, loadApi, matchEndpoint } from '../domain/api-catalog/index.js';

/**
 * The catalog of every API as the routes ask it: an API's module is loaded on its first call
 * (domain/api-catalog), so a process that never serves an API never loads its catalog.
 */

/** The catalog of `api`, or null when no DataForSEO API has that name. */
export async function catalogOf(api: string): Promise<ApiCatalog | null> {
  return isApiName(api) ? loadApi(api) : null;
}

/** The endpoint a request path (after `/v3/`) names, with its path parameters, or null. */
export async function findEndpoint(method: HttpMethod, pathAfterV3: string): Promise<EndpointMatch | null> {
  const slash = pathAfterV3.indexOf('/');
  const catalog = await catalogOf(slash < 0 ? pathAfterV3 : pathAfterV3.slice(0, slash));
  return catalog ? matchEndpoint(catalog, method, pathAfterV3) : null;
}

/** Whether `api`'s catalog has the endpoint `pathAfterV3` (a literal path) for `method`. */
export async function hasEndpoint(api: string, method: HttpMethod, pathAfterV3: string): Promise<boolean> {
  const catalog = await catalogOf(api);
  return catalog !== null && matchEndpoint(catalog, method, pathAfterV3) !== null;
}
