import { cachedApi, isApiName, loadApi } from '../../domain/api-catalog/index.js';
import { type ResultFunction, findSeType } from '../../domain/catalog.js';
import { parseTaskRequest } from '../../domain/task-request.js';
import { formatDateTime } from '../../domain/time-format.js';
import { type Cassette, cassetteRequest } from './cassette.js';
import { type CatalogCassette, catalogRequest, catalogTarget } from './catalog-cassette.js';
import type { CassetteLibrary } from './library.js';

/** A task as the recorder reads it: its engine, type and posted fields (stored JSON). */
export interface RecordedTask {
  readonly se: string;
  readonly seType: string;
  readonly data: string;
}

/** The cassette of one task's result, or null when its stored request no longer parses. */
export function cassetteOf(task: RecordedTask, results: Cassette['results'], recordedAt: number, source: string): Cassette | null {
  const def = findSeType(task.se, task.seType);
  if (!def) return null;
  const params = JSON.parse(task.data) as Record<string, unknown>;
  const parsed = parseTaskRequest(def, params, 'task_post');
  if (!parsed.ok) return null;
  return {
    se: def.se,
    se_type: def.seType,
    request: cassetteRequest(def, parsed.task, parsed.data),
    results,
    recorded_at: formatDateTime(recordedAt),
    source,
  };
}

/**
 * Record mode: every result that arrives from the upstream is appended to the cassettes. A write
 * that fails (a full disk) is reported and costs the task nothing: it completed already.
 */
export function createRecorder(
  library: CassetteLibrary,
  source: string,
  now: () => number,
  onError: (err: unknown) => void,
): (task: RecordedTask, fn: ResultFunction, value: unknown) => void {
  return (task, fn, value) => {
    try {
      const c = cassetteOf(task, { [fn]: value }, now(), source);
      if (c) library.append(c);
    } catch (err) {
      onError(err);
    }
  };
}

/** A result of another API as the relay reports it (its `onCatalogResult` hook). */
export interface RecordedCall {
  readonly api: string;
  /** A live endpoint's path, or a task type's task_get function without the id. */
  readonly path: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** The cassette of one result of another API, or null when its path is not one of the catalog's. */
export async function catalogCassetteOf(
  call: RecordedCall,
  result: readonly unknown[],
  recordedAt: number,
  source: string,
): Promise<CatalogCassette | null> {
  if (!isApiName(call.api)) return null;
  const api = cachedApi(call.api) ?? (await loadApi(call.api));
  const path = call.path.replace(/^\/?(v3\/)?/, '').replace(/\/+$/, '');
  const target = catalogTarget(api, path);
  if (!target) return null;
  return {
    api: api.api,
    path,
    request: catalogRequest(target.rules, call.params),
    result: [...result],
    recorded_at: formatDateTime(recordedAt),
    source,
  };
}

/**
 * Record mode for the other APIs: every result of a live call or a task that arrives from the
 * upstream is appended to the cassettes (one file per endpoint path). As for SERP, a write that
 * fails is reported and costs the call nothing.
 */
export function createCatalogRecorder(
  library: CassetteLibrary,
  source: string,
  now: () => number,
  onError: (err: unknown) => void,
): (call: RecordedCall, result: readonly unknown[]) => void {
  return (call, result) => {
    const at = now();
    // The API's catalog is loaded already (the call was checked against it): this settles at once.
    catalogCassetteOf(call, result, at, source)
      .then((c) => {
        if (c) library.append(c);
      })
      .catch(onError);
  };
}
