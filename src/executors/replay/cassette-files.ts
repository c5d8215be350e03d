import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isApiName, loadApi } from '../../domain/api-catalog/index.js';
import { type ResultFunction, findSeType } from '../../domain/catalog.js';
import { stableJson } from '../../domain/serp-request.js';
import { parseTaskRequest } from '../../domain/task-request.js';
import { formatDateTime } from '../../domain/time-format.js';
import {
  type Cassette,
  CassetteError,
  RESULT_FUNCTIONS,
  cassetteFile,
  cassetteLine,
  cassetteProblem,
  cassetteRequest,
} from './cassette.js';
import {
  type AnyCassette,
  type CatalogCassette,
  TASK_GET,
  catalogCassetteFile,
  catalogCassetteLine,
  catalogCassetteProblem,
  catalogRequest,
  catalogTarget,
  isCatalogCassette,
  isCatalogLine,
  parseAnyCassetteLine,
} from './catalog-cassette.js';

/**
 * Cassette files written whole (export, import): each engine and type's (another API's path's) file
 * merged with what is there (a newer cassette of the same request replaces the older one's
 * functions, or its result), sorted by request so that a re-export of the same results is the same
 * file, and replaced atomically.
 */
export function writeCassettes(dir: string, cassettes: Iterable<AnyCassette>): { written: number; files: string[] } {
  mkdirSync(dir, { recursive: true });
  const byFile = new Map<string, Map<string, AnyCassette>>();
  const fileOf = (c: AnyCassette) => {
    const name = isCatalogCassette(c) ? catalogCassetteFile(c.path) : cassetteFile(c.se, c.se_type);
    let m = byFile.get(name);
    if (!m) {
      m = new Map();
      const path = join(dir, name);
      if (existsSync(path)) for (const old of readCassetteLines(path)) merge(m, old);
      byFile.set(name, m);
    }
    return m;
  };
  let written = 0;
  for (const c of cassettes) {
    merge(fileOf(c), c);
    written++;
  }
  for (const [name, m] of byFile) {
    const path = join(dir, name);
    const lines = [...m.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, c]) => (isCatalogCassette(c) ? catalogCassetteLine(c) : cassetteLine(c)) + '\n');
    writeFileSync(`${path}.tmp`, lines.join(''));
    renameSync(`${path}.tmp`, path);
  }
  return { written, files: [...byFile.keys()].sort() };
}

function merge(m: Map<string, AnyCassette>, c: AnyCassette): void {
  const key = stableJson(c.request);
  const old = m.get(key);
  m.set(key, old && !isCatalogCassette(old) && !isCatalogCassette(c) ? { ...c, results: { ...old.results, ...c.results } } : c);
}

/** The cassettes of a cassette file; throws naming the file and line of a malformed one. */
export function readCassetteLines(path: string): AnyCassette[] {
  const out: AnyCassette[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() !== '') out.push(parseAnyCassetteLine(line, `${path}:${i + 1}`));
    });
  return out;
}

/** What an import file held: cassettes, and the vendor tasks it could not use (with why). */
export interface ImportedFile {
  /** `responses`: the vendor's task_get or live answers. */
  readonly format: 'cassettes' | 'responses';
  readonly cassettes: AnyCassette[];
  readonly skipped: string[];
}

const NEITHER = 'is neither cassettes (JSON Lines) nor a saved task_get or live response (the vendor envelope or its tasks[])';

/**
 * Reads a file to import: cassette lines, or task_get and live answers of any API saved from the
 * vendor (the whole envelope, its `tasks[]`, or such envelopes one per line). Each vendor task's
 * `path` gives the API, the endpoint and the function (`/v3/serp/google/organic/task_get/advanced/{id}`,
 * `/v3/merchant/amazon/products/task_get/advanced/{id}`, `/v3/backlinks/summary/live`), its `data`
 * the request; tasks without a 20000 result are skipped.
 */
export async function readImportFile(path: string, now: number): Promise<ImportedFile> {
  const text = readFileSync(path, 'utf8');
  const source = `import:${basename(path)}`;
  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch {
    whole = undefined;
  }
  const values: unknown[] = [];
  if (whole !== undefined) values.push(whole);
  else {
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        values.push(JSON.parse(line));
      } catch {
        throw new CassetteError(`${path}:${i + 1}: not valid JSON: ${basename(path)} ${NEITHER}`);
      }
    });
  }
  if (values.length > 0 && values.every((v) => (isCatalogLine(v) ? catalogCassetteProblem(v) : cassetteProblem(v)) === null)) {
    return { format: 'cassettes', cassettes: values as AnyCassette[], skipped: [] };
  }
  const tasks: unknown[] = [];
  for (const v of values) {
    const list = Array.isArray(v) ? v : isObject(v) && Array.isArray(v.tasks) ? v.tasks : null;
    if (!list) throw new CassetteError(`${path} ${NEITHER}`);
    for (const t of list) {
      // An array of envelopes, too.
      if (isObject(t) && Array.isArray(t.tasks) && !('path' in t)) tasks.push(...t.tasks);
      else tasks.push(t);
    }
  }
  if (tasks.length === 0 || !tasks.every((t) => isObject(t) && isObject(t.data) && 'status_code' in t)) {
    throw new CassetteError(`${path} ${NEITHER}`);
  }
  const cassettes: AnyCassette[] = [];
  const skipped: string[] = [];
  for (const t of tasks as Array<Record<string, unknown>>) {
    const got = isSerpEngineTask(t) ? vendorCassette(t, now, source) : await vendorCatalogCassette(t, now, source);
    if (typeof got === 'string') skipped.push(`${String(t.id ?? '?')}: ${got}`);
    else cassettes.push(got);
  }
  return { format: 'responses', cassettes, skipped };
}

/** The path of a vendor task after `v3`, as segments. */
const pathOf = (t: Record<string, unknown>): string[] => {
  const path = Array.isArray(t.path) ? (t.path as unknown[]).map(String) : [];
  return path[0] === 'v3' ? path.slice(1) : path;
};

/** A task of SERP's engine (`serp/{se}/{se_type}/…`), as opposed to another API's endpoint (`serp/screenshot` too). */
function isSerpEngineTask(t: Record<string, unknown>): boolean {
  const path = pathOf(t);
  if (path.length === 0) return true; // No path: the engine's fields in data decide, as before.
  const data = t.data as Record<string, unknown>;
  return path[0] === 'serp' && findSeType(String(data.se ?? path[1]), String(data.se_type ?? path[2])) !== undefined;
}

/**
 * One vendor answer of another API as a cassette, or why it cannot be one: a task_get answer
 * (`{type}/task_get[/{fn}]/{id}`: the id dropped) or a live call's (its path as it is).
 */
async function vendorCatalogCassette(t: Record<string, unknown>, now: number, source: string): Promise<CatalogCassette | string> {
  const segments = pathOf(t);
  const apiName = segments[0] ?? '';
  if (!isApiName(apiName) || apiName === 'appendix') return `its path names no API (${segments.join('/')})`;
  const get = segments.indexOf(TASK_GET);
  // task_get's last segment is the task id.
  const path = (get > 0 ? segments.slice(0, -1) : segments).join('/');
  const target = catalogTarget(await loadApi(apiName), path);
  if (!target) return `${path} is not a live endpoint or a task_get function of ${apiName}`;
  if (t.status_code !== 20000) return `status ${String(t.status_code)} ${String(t.status_message ?? '')}`.trim();
  if (!Array.isArray(t.result)) return 'no result';
  const first = t.result[0] as Record<string, unknown> | undefined;
  return {
    api: apiName,
    path,
    request: catalogRequest(target.rules, t.data as Record<string, unknown>),
    result: t.result,
    recorded_at: isObject(first) && typeof first.datetime === 'string' ? first.datetime : formatDateTime(now),
    source,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** One vendor task_get (or live) answer as a cassette, or why it cannot be one. */
function vendorCassette(t: Record<string, unknown>, now: number, source: string): Cassette | string {
  const data = t.data as Record<string, unknown>;
  const path = Array.isArray(t.path) ? (t.path as unknown[]).map(String) : [];
  const se = typeof data.se === 'string' ? data.se : path[2];
  const seType = typeof data.se_type === 'string' ? data.se_type : path[3];
  const def = se && seType ? findSeType(se, seType) : undefined;
  if (!def) return `unknown engine and type ${se}/${seType}`;
  const fn = (RESULT_FUNCTIONS as readonly string[]).includes(path[5] ?? '') ? (path[5] as ResultFunction) : null;
  if (!fn) return `its path does not name a function (${path.join('/')})`;
  if (t.status_code !== 20000) return `status ${String(t.status_code)} ${String(t.status_message ?? '')}`.trim();
  const result = Array.isArray(t.result) ? t.result[0] : undefined;
  if (result === undefined || result === null) return 'no result';
  const { api: _api, function: _function, se: _se, se_type: _seType, ...posted } = data;
  const parsed = parseTaskRequest(def, posted, 'task_post');
  if (!parsed.ok) return `its data does not parse as a request (field ${parsed.field})`;
  const at = isObject(result) && typeof result.datetime === 'string' ? result.datetime : formatDateTime(now);
  return {
    se: def.se,
    se_type: def.seType,
    request: cassetteRequest(def, parsed.task, parsed.data),
    results: { [fn]: result },
    recorded_at: at,
    source,
  };
}
