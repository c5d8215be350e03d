/**
 * The task system of the catalog's task types (every API but SERP, whose engine has its own catalog,
 * src/domain/catalog.ts): where a task is filed, its tasks_ready row, and the endpoints over it.
 *
 * A task of type `keywords_data/google_ads/search_volume` is stored with api `keywords_data`, se
 * `google_ads`, se_type `search_volume`: the type's path after the API, split as SERP's `{se}/{se_type}`
 * is. Joined back (`typeOfTask`), the columns give the type again, so a stored task finds its catalog
 * entry without a table per API.
 */

import type { ApiCatalog, Endpoint, TaskType, TasksReadyScope } from './types.js';
import { formatDateTime } from '../time-format.js';

/** Where a task of `endpoint` is filed (tasks.se, se_type, method): joined with '/', they are its path after the API. */
export function taskColumns(endpoint: Endpoint): { se: string; seType: string; method: string } {
  const rest = endpoint.path.split('/').slice(1);
  const typeParts = endpoint.type ? endpoint.type.split('/').slice(1) : [];
  const own = endpoint.type !== null && endpoint.path.startsWith(`${endpoint.type}/`) && typeParts.length > 0;
  const head = own ? typeParts : rest.slice(0, -1);
  const method = own ? rest.slice(typeParts.length).join('/') : (rest[rest.length - 1] ?? '');
  return { se: head[0] ?? '', seType: head.slice(1).join('/'), method };
}

/** The columns of a task type (`merchant/google/products` → se `google`, se_type `products`; `on_page` → both empty). */
export function typeColumns(type: string): { se: string; seType: string } {
  const parts = type.split('/').slice(1);
  return { se: parts[0] ?? '', seType: parts.slice(1).join('/') };
}

/** The task type of a stored task's columns (the inverse of `typeColumns`). */
export function typeOfTask(api: string, se: string, seType: string): string {
  return [api, se, seType].filter((s) => s !== '').join('/');
}

/** The task_post endpoint of a type, when it has one. */
export function taskPostEndpoint(api: ApiCatalog, type: string): Endpoint | undefined {
  return api.endpoints.find((e) => e.kind === 'task_post' && e.type === type && e.method === 'POST');
}

/**
 * The task_get endpoint of a type for a function (`advanced`, `html`, or null for `task_get/{id}`),
 * with the task id in the path. A type whose task_get has no function answers any function with it.
 */
export function taskGetEndpoint(api: ApiCatalog, type: string, fn: string | null): Endpoint | undefined {
  let fallback: Endpoint | undefined;
  for (const e of api.endpoints) {
    if (e.kind !== 'task_get' || e.type !== type || e.idIn !== 'path' || e.method !== 'GET') continue;
    if (e.fn === fn) return e;
    fallback ??= e;
  }
  return fn === null ? fallback : undefined;
}

/**
 * The function a postback of a task carries: its `postback_data` when the type documents that
 * field, else the type's only result (the first task_get function, null when the path has none).
 */
export function postbackFunction(type: TaskType, postbackData: string | null): string | null {
  if (postbackData !== null && type.taskGet.includes(postbackData)) return postbackData;
  return type.taskGet[0] ?? null;
}

/**
 * The key a task's result for a task_get function is stored under (results.fn): the function's name,
 * `task_get` for the function-less form. What is stored is the whole `result` array the vendor answers.
 */
export const taskResultKey = (fn: string | null): string => fn ?? 'task_get';

/** The `/v3/…` path of a task's task_get for a function (null: the function-less form). */
export function taskGetPath(type: string, fn: string | null, id: string): string {
  return fn === null ? `/v3/${type}/task_get/${id}` : `/v3/${type}/task_get/${fn}/${id}`;
}

/** What a tasks_ready path lists: its API, and the se / se_type its scope names (undefined: any). */
export interface ReadyScopeOf {
  readonly api: string;
  readonly se?: string;
  readonly seType?: string;
}

/** The store scope of a catalog tasks_ready scope: one type's columns, or the whole API. */
export function readyScopeOf(api: ApiCatalog, scope: TasksReadyScope): ReadyScopeOf {
  const only = scope.types.length === 1 ? scope.types[0]! : null;
  return only === null ? { api: api.api } : { api: api.api, ...typeColumns(only) };
}

/** The tasks_ready scope that lists exactly one type (its own), when there is one. */
export function ownReadyScope(api: ApiCatalog, type: string): TasksReadyScope | undefined {
  return api.tasksReady.find((s) => s.types.length === 1 && s.types[0] === type);
}

/**
 * A task's tasks_ready row as JSON text (written once, at task_post). Its fields are those of the
 * type's own tasks_ready result in the vendor's files, filled from the task: `id`, `se` and `se_type`
 * (the columns), `function` (the type's function, the vendor's `{{low_se_type_under}}`),
 * `date_posted`, `tag`, `endpoint` (task_get without a function) and `endpoint_{fn}` (null where the
 * type lacks the function), `target` from the request; a field the task cannot fill is null.
 */
export function readyRowJson(
  api: ApiCatalog,
  type: TaskType,
  id: string,
  postedAt: number,
  tag: string | null,
  params: Readonly<Record<string, unknown>>,
): string {
  const { se, seType } = typeColumns(type.type);
  const fields = readyFields(api, type);
  const row: Record<string, unknown> = {};
  for (const f of fields) {
    if (f === 'id') row.id = id;
    else if (f === 'se') row.se = se;
    else if (f === 'se_type') row.se_type = seType;
    else if (f === 'function') row.function = type.type.split('/').pop();
    else if (f === 'date_posted') row.date_posted = formatDateTime(postedAt);
    else if (f === 'tag') row.tag = tag;
    else if (f === 'endpoint') row.endpoint = taskGetPath(type.type, type.taskGet.includes(null) ? null : (type.taskGet[0] ?? null), id);
    else if (f.startsWith('endpoint_')) {
      const fn = f.slice('endpoint_'.length);
      row[f] = type.taskGet.includes(fn) ? taskGetPath(type.type, fn, id) : null;
    } else row[f] = params[f] ?? null;
  }
  return JSON.stringify(row);
}

const DEFAULT_READY_FIELDS = ['id', 'se', 'se_type', 'date_posted', 'tag', 'endpoint'];

const readyFieldsOf = new WeakMap<TaskType, readonly string[]>();

/** The fields of a type's tasks_ready rows (its own scope's result schema), found once per type. */
function readyFields(api: ApiCatalog, type: TaskType): readonly string[] {
  let fields = readyFieldsOf.get(type);
  if (fields) return fields;
  const scope = ownReadyScope(api, type.type) ?? api.tasksReady.find((s) => s.types.includes(type.type));
  const endpoint = scope ? api.endpoints.find((e) => e.kind === 'tasks_ready' && e.path === scope.path) : undefined;
  const node = endpoint?.result?.t === 'ref' ? api.schemas[endpoint.result.n] : endpoint?.result;
  fields = node?.t === 'object' ? Object.keys(node.p) : DEFAULT_READY_FIELDS;
  readyFieldsOf.set(type, fields);
  return fields;
}
