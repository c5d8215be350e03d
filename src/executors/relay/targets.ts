import { createHash } from 'node:crypto';
import type { SerpqClient, WireEnvelope } from '../../client/index.js';
import { type ApiCatalog, type TaskType, cachedApi, isApiName, loadApi } from '../../domain/api-catalog/index.js';
import { postbackFunction, taskPostEndpoint, taskResultKey, typeColumns, typeOfTask } from '../../domain/api-catalog/tasks.js';
import { type ResultFunction, type SeTypeDef, findSeType } from '../../domain/catalog.js';
import { stableJson } from '../../domain/serp-request.js';
import type { CatalogTaskInput, ExecutionInput } from '../executor.js';
import { requestKey } from './request-key.js';

/**
 * What the relay needs to know of a task's type to forward and collect it, for SERP's engine and for
 * the task types of every other API alike: where it is posted, how its results are read back and
 * under which keys they are stored, which id_list and tasks_ready find it upstream.
 *
 * A catalog type's result is stored whole (the task_get `result` array) under its function's name
 * (`taskResultKey`): what services/catalog-tasks.ts reads back.
 */

/** A task the relay forwards: a SERP task, or a task of another API's type. */
export type RelayInput = ExecutionInput | CatalogTaskInput;

export const isSerpInput = (input: RelayInput): input is ExecutionInput => 'def' in input;

/** A task type as the relay handles it. */
export type RelayedType =
  | { readonly kind: 'serp'; readonly api: 'serp'; readonly def: SeTypeDef }
  | { readonly kind: 'catalog'; readonly api: string; readonly catalog: ApiCatalog; readonly type: TaskType };

export function typeOfInput(input: RelayInput): RelayedType {
  return isSerpInput(input)
    ? { kind: 'serp', api: 'serp', def: input.def }
    : { kind: 'catalog', api: input.api.api, catalog: input.api, type: input.type };
}

/** A stored task's type (its api, se and se_type columns), or undefined when no catalog has it. */
export async function typeOfRow(task: {
  readonly api: string;
  readonly se: string;
  readonly seType: string;
}): Promise<RelayedType | undefined> {
  if (task.api === 'serp') {
    const def = findSeType(task.se, task.seType);
    return def ? { kind: 'serp', api: 'serp', def } : undefined;
  }
  if (!isApiName(task.api)) return undefined;
  const catalog = cachedApi(task.api) ?? (await loadApi(task.api));
  const type = catalog.types[typeOfTask(task.api, task.se, task.seType)];
  return type ? { kind: 'catalog', api: catalog.api, catalog, type } : undefined;
}

/** Tasks posted upstream in one call share this: one endpoint. */
export function batchKey(t: RelayedType): string {
  return t.kind === 'serp' ? `serp/${t.def.se}/${t.def.seType}` : t.type.type;
}

/**
 * The function whose result a completed task is collected with: its postback_data where the type
 * has it, else SERP's advanced (or the type's first), or the catalog type's only result.
 */
export function collectedKey(t: RelayedType, postbackData: string | null | undefined): string {
  if (t.kind === 'serp') {
    const fns = t.def.getFunctions;
    const named = fns.find((f) => f === postbackData);
    if (named) return named;
    return fns.includes('advanced') ? 'advanced' : fns[0]!;
  }
  if (isCrawlType(t)) return 'summary';
  return taskResultKey(postbackFunction(t.type, postbackData ?? null));
}

/** Every stored-result key of a type (its task_get functions). */
export function resultKeys(t: RelayedType): string[] {
  return t.kind === 'serp' ? [...t.def.getFunctions] : t.type.taskGet.map(taskResultKey);
}

/** The upstream task_post of a batch of one type. */
export function postUpstream(t: RelayedType, tasks: Record<string, unknown>[]): (c: SerpqClient) => Promise<WireEnvelope> {
  return t.kind === 'serp' ? (c) => c.taskPost(t.def.se, t.def.seType, tasks) : (c) => c.taskPostOf(t.type.type, tasks);
}

/**
 * Whether the vendor takes a `tag` with the type's tasks (every type but Bing audience estimation):
 * without one, its upstream tasks are known by their upstream ids only, and a task_post whose answer
 * was lost cannot be told apart from one never made.
 */
export function takesTag(t: RelayedType): boolean {
  if (t.kind === 'serp') return true;
  let takes = tagged.get(t.type);
  if (takes === undefined) {
    takes = taskPostEndpoint(t.catalog, t.type.type)?.request?.fields.some((f) => f.name === 'tag') ?? true;
    tagged.set(t.type, takes);
  }
  return takes;
}
/** takesTag per catalog type, found once (forwarding asks for every task it hands over). */
const tagged = new WeakMap<TaskType, boolean>();

/** An On-Page crawl: no task_get; its functions (summary, pages, …) read the crawl wherever it runs. */
export const isCrawlType = (t: RelayedType): boolean => t.kind === 'catalog' && t.type.type === 'on_page';

/**
 * The upstream task_get of one function (a stored-result key) of a task by its upstream id; for an
 * On-Page crawl, its summary (what tells it finished).
 */
export function getUpstream(t: RelayedType, key: string, upstreamId: string): (c: SerpqClient) => Promise<WireEnvelope> {
  if (t.kind === 'serp') return (c) => c.taskGet(t.def.se, t.def.seType, key as ResultFunction, upstreamId);
  if (isCrawlType(t)) return (c) => c.request('GET', `on_page/summary/${upstreamId}`);
  return (c) => c.taskGetOf(t.type.type, upstreamId, key === 'task_get' ? undefined : key);
}

/** The API whose id_list finds an upstream task by its tag; null when the API has none (AI Optimization). */
export function idListApi(t: RelayedType): string | null {
  if (t.kind === 'serp') return 'serp';
  return t.catalog.endpoints.some((e) => e.path === `${t.api}/id_list`) ? t.api : null;
}

/**
 * The upstream tasks_ready path (after /v3/, without `/tasks_ready`) that lists a type's completed
 * tasks: the broadest the API has (`merchant/tasks_ready` lists every Merchant type), so that one call
 * serves every type of the API where the vendor allows it.
 */
export function readyScopeOfType(t: RelayedType): string {
  if (t.kind === 'serp') return 'serp';
  let best: { path: string; types: readonly string[] } | undefined;
  for (const s of t.catalog.tasksReady) if (s.types.includes(t.type.type) && (!best || s.types.length > best.types.length)) best = s;
  return (best?.path ?? `${t.type.type}/tasks_ready`).replace(/\/tasks_ready$/, '');
}

/** Fields of a catalog task that are serpq's or the account's own: never part of the cache key. */
const NOT_KEYED = new Set(['tag', 'postback_url', 'pingback_url', 'postback_data', 'priority']);

/** The cache key of a task: what decides its result, not what concerns its account alone. */
export function relayRequestKey(input: RelayInput): string {
  if (isSerpInput(input)) return requestKey(input);
  const fields = Object.fromEntries(Object.entries(input.params).filter(([k]) => !NOT_KEYED.has(k)));
  return createHash('sha256')
    .update(stableJson([input.type.type, fields]))
    .digest('base64url');
}

/** The type's columns (for a record): SERP's se/se_type, or the catalog type's. */
export function columnsOf(t: RelayedType): { api: string; se: string; seType: string } {
  return t.kind === 'serp' ? { api: 'serp', se: t.def.se, seType: t.def.seType } : { api: t.api, ...typeColumns(t.type.type) };
}
