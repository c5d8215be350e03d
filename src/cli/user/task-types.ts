import {
  API_NAMES,
  type ApiCatalog,
  type Endpoint,
  type TaskType,
  apiOfPath,
  isApiName,
  loadAllApis,
  loadApi,
  matchEndpoint,
} from '../../domain/api-catalog/index.js';
import { ownReadyScope, taskPostEndpoint } from '../../domain/api-catalog/tasks.js';
import { CATALOG, type SeTypeDef, findSeType, isKnownEngine } from '../../domain/catalog.js';
import { UserError } from './connection.js';

/**
 * What `--type` (post, collect) and `--path` (live) name, resolved against the catalogs: the SERP
 * API's engine and type (`google/organic`, as always; `serp/google/organic` too), or another API's
 * task type by its path as the catalog writes it (`keywords_data/google_ads/search_volume`,
 * `merchant/amazon/products`, `on_page`). A name that is not there is answered with one line naming
 * the closest ones.
 */
export type PostTarget =
  | { readonly kind: 'serp'; readonly name: string; readonly def: SeTypeDef }
  | {
      readonly kind: 'catalog';
      /** The task type, e.g. `keywords_data/google_ads/search_volume` (the state file's `type`). */
      readonly name: string;
      readonly api: ApiCatalog;
      readonly type: TaskType;
      /** Its task_post endpoint (the request rules the file is checked with). */
      readonly endpoint: Endpoint;
    };

/** A tasks_ready scope collect polls: SERP's (the whole API, an engine, or a type), or another API's path before `/tasks_ready`. */
export type ReadyTarget =
  | { readonly api: 'serp'; readonly scope: { se?: string; seType?: string }; readonly label: string }
  | { readonly api: string; readonly path: string; readonly label: string };

/** The APIs with a task system besides SERP (every one whose catalog has tasks_ready). */
const TASK_APIS = API_NAMES.filter((a) => a !== 'serp' && a !== 'appendix');

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** Up to `n` candidates close to `text`: a small edit away, or sharing its last segment, or containing it. */
export function closeMatches(text: string, candidates: Iterable<string>, n = 4): string[] {
  const t = text.toLowerCase().replace(/^\/?v3\//, '');
  const last = t.split('/').filter(Boolean).pop() ?? t;
  const scored: Array<[string, number]> = [];
  for (const c of new Set(candidates)) {
    const d = levenshtein(t, c);
    const cLast = c.split('/').pop() ?? c;
    let score = d <= Math.max(2, Math.floor(c.length / 4)) ? d : Infinity;
    if (cLast === last || (last.length >= 4 && c.includes(last))) score = Math.min(score, 10 + d / 100);
    else if (t.length >= 4 && c.includes(t)) score = Math.min(score, 20 + d / 100);
    if (score < Infinity) scored.push([c, score]);
  }
  return scored
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .slice(0, n)
    .map(([c]) => c);
}

function suggest(text: string, candidates: Iterable<string>): string {
  const close = closeMatches(text, candidates);
  return close.length > 0 ? `: did you mean ${close.join(', ')}?` : '';
}

const serpNames = () => CATALOG.map((d) => `${d.se}/${d.seType}`);

async function catalogPostNames(): Promise<string[]> {
  const apis = await loadAllApis();
  return apis
    .filter((a) => a.api !== 'serp')
    .flatMap((a) =>
      Object.values(a.types)
        .filter((t) => t.taskPost)
        .map((t) => t.type),
    );
}

/** `--type` of `serpq post`. */
export async function resolvePostType(text: string | undefined): Promise<PostTarget> {
  if (!text) throw new UserError('--type is required: e.g. --type google/organic or --type keywords_data/google_ads/search_volume');
  const name = text.replace(/^\/?v3\//, '').replace(/\/+$/, '');
  const parts = name.split('/');
  const first = parts[0] ?? '';
  if (isApiName(first) && first !== 'serp' && first !== 'appendix') {
    const api = await loadApi(first);
    const type = api.types[name];
    const endpoint = type?.taskPost ? taskPostEndpoint(api, name) : undefined;
    if (type && endpoint) return { kind: 'catalog', name, api, type, endpoint };
    if (type && type.live.length > 0)
      throw new UserError(`${name} has no task_post, only live calls: use \`serpq live FILE --path ${name}/live\``);
  }
  const [se, seType, extra] = first === 'serp' ? parts.slice(1) : parts;
  const def = se && seType && extra === undefined ? findSeType(se, seType) : undefined;
  if (def) return { kind: 'serp', name: `${def.se}/${def.seType}`, def };
  throw new UserError(
    `unknown --type '${text}'${suggest(name, [...serpNames(), ...(await catalogPostNames())])} (SERP: engine/type, e.g. google/organic; other APIs: the task type's path, e.g. keywords_data/google_ads/search_volume)`,
  );
}

/** The scopes of one API's tasks_ready: its API-wide one where the vendor has it, else each type's own. */
function apiReadyTargets(api: ApiCatalog): ReadyTarget[] {
  const strip = (p: string) => p.replace(/\/tasks_ready$/, '');
  const wide = api.tasksReady.find((s) => strip(s.path) === api.api);
  const scopes = wide ? [wide] : api.tasksReady;
  return scopes.map((s) => ({ api: api.api, path: strip(s.path), label: strip(s.path) }));
}

/**
 * `--type` of `serpq collect` (and `ready`): a comma-separated list of SERP scopes (`google`,
 * `google/organic`, `serp`), APIs (`keywords_data`, `merchant`), other APIs' task types
 * (`merchant/amazon/products`), or `all` (every API with tasks_ready). Default: SERP, as always.
 */
export async function resolveReadyTargets(text: string | undefined): Promise<ReadyTarget[]> {
  if (text === undefined) return [{ api: 'serp', scope: {}, label: 'serp' }];
  const out: ReadyTarget[] = [];
  for (const raw of text.split(',')) {
    const item = raw
      .trim()
      .replace(/^\/?v3\//, '')
      .replace(/\/+$/, '');
    if (item === '') continue;
    if (item === 'all') {
      out.push({ api: 'serp', scope: {}, label: 'serp' });
      for (const api of await Promise.all(TASK_APIS.map((a) => loadApi(a)))) out.push(...apiReadyTargets(api));
      continue;
    }
    const parts = item.split('/');
    const first = parts[0] ?? '';
    if (isApiName(first) && first !== 'serp' && first !== 'appendix') {
      const api = await loadApi(first);
      if (parts.length === 1 && api.tasksReady.length > 0) {
        out.push(...apiReadyTargets(api));
        continue;
      }
      const own = ownReadyScope(api, item);
      if (own) {
        out.push({ api: api.api, path: item, label: item });
        continue;
      }
    } else {
      const [se, seType, extra] = first === 'serp' ? parts.slice(1) : parts;
      if (first === 'serp' && parts.length === 1) {
        out.push({ api: 'serp', scope: {}, label: 'serp' });
        continue;
      }
      if (se && seType === undefined && isKnownEngine(se)) {
        out.push({ api: 'serp', scope: { se }, label: `serp/${se}` });
        continue;
      }
      if (se && seType && extra === undefined && findSeType(se, seType)) {
        out.push({ api: 'serp', scope: { se, seType }, label: `serp/${se}/${seType}` });
        continue;
      }
    }
    const apis = await loadAllApis();
    const names = [
      'all',
      ...serpNames(),
      ...TASK_APIS.filter((a) => apis.find((x) => x.api === a)?.tasksReady.length),
      ...apis.flatMap((a) => (a.api === 'serp' ? [] : a.tasksReady.map((s) => s.path.replace(/\/tasks_ready$/, '')))),
    ];
    throw new UserError(
      `unknown --type '${item}'${suggest(item, names)} (an engine or engine/type of SERP, e.g. google/organic; an API, e.g. keywords_data; a task type, e.g. merchant/amazon/products; or all)`,
    );
  }
  const seen = new Set<string>();
  return out.filter((t) => !seen.has(t.label) && seen.add(t.label));
}

export interface LiveTarget {
  /** After `/v3/`, e.g. `dataforseo_labs/google/ranked_keywords/live`. */
  readonly path: string;
  readonly api: ApiCatalog;
  readonly endpoint: Endpoint;
}

/** `--path` of `serpq live`: a live endpoint of the catalog. */
export async function resolveLivePath(text: string | undefined): Promise<LiveTarget> {
  if (!text) throw new UserError('--path is required: e.g. --path dataforseo_labs/google/ranked_keywords/live');
  const path = text
    .replace(/^https?:\/\/[^/]+/, '')
    .replace(/^\/?v3\//, '')
    .replace(/^\/+|\/+$/g, '');
  const name = apiOfPath(path);
  const api = name ? await loadApi(name) : undefined;
  const found = api ? matchEndpoint(api, 'POST', path) : null;
  if (api && found && found.endpoint.kind === 'live' && found.endpoint.params.length === 0) return { path, api, endpoint: found.endpoint };
  if (api && found && found.endpoint.kind === 'task_post')
    throw new UserError(`--path ${path} posts tasks: use \`serpq post FILE --type ${found.endpoint.type}\` and \`serpq collect\``);
  const all = await loadAllApis();
  const lives = all.flatMap((a) =>
    a.endpoints.filter((e) => e.kind === 'live' && e.method === 'POST' && e.params.length === 0).map((e) => e.path),
  );
  throw new UserError(
    `unknown --path '${text}': not a live endpoint${suggest(path, lives)} (e.g. dataforseo_labs/google/ranked_keywords/live)`,
  );
}
