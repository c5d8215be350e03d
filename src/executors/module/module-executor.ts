import type { ApiCatalog, Endpoint } from '../../domain/api-catalog/index.js';
import { taskGetEndpoint, taskResultKey } from '../../domain/api-catalog/tasks.js';
import type { ResultFunction } from '../../domain/catalog.js';
import { STATUS, statusByCode } from '../../domain/status-codes.js';
import { parseDateTime } from '../../domain/time-format.js';
import type {
  CatalogTaskInput,
  EndpointCall,
  EndpointOutcome,
  ExecutionDeferral,
  ExecutionInput,
  ExecutionOutcome,
  Executor,
} from '../executor.js';
import { catalogResultProblem, resultProblem } from './result-check.js';
import { ModuleLoadError, moduleUrl, notFound } from './resolve-module.js';
import type { ApiResult, ApiTask, ExecutorFactory, ExecutorResult, ExecutorTask, Executor as UserExecutor } from './types.js';

/**
 * The module executor: `--executor ./my-executor.mjs` (or a package name) loads an ES module whose
 * default export is a factory returning an executor of the `serpq/executor` port (./types.ts). What
 * it returns is checked against the official schema extract; a wrong result, a throw or a hang past
 * the time limit fails that task with 50000 and a log line, never the worker. Load problems throw
 * ModuleLoadError (the composition root turns it into a ConfigError: executors do not import config).
 */
export { ModuleLoadError } from './resolve-module.js';

export interface ModuleOptions {
  /** Per-task time limit (default 60 s). */
  readonly timeoutMs?: number;
  /** Where a module's problems go, one line each (default stderr). */
  readonly log?: (line: string) => void;
  /** Where a relative path or a package name is resolved from (default the working directory). */
  readonly cwd?: string;
  /** What the factory gets as `options.env` (default the process environment). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export const DEFAULT_MODULE_TIMEOUT_MS = 60_000;

/** Codes that say a task is still on its way: a module cannot end a task with them. */
const NOT_FINAL: readonly number[] = [STATUS.TASK_CREATED.code, STATUS.TASK_HANDED.code, STATUS.TASK_IN_QUEUE.code];

const firstLine = (err: unknown): string => String((err as Error)?.message ?? err).split('\n')[0]!;

export async function loadModuleExecutor(spec: string, options: ModuleOptions = {}): Promise<Executor> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_MODULE_TIMEOUT_MS;
  const log = options.log ?? ((line: string) => console.error(line));
  const cwd = options.cwd ?? process.cwd();
  const url = moduleUrl(spec, cwd);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (err) {
    // A bare name imported as is (no import.meta.resolve here) that is installed nowhere.
    if (url === spec && (err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && firstLine(err).includes(`'${spec}'`))
      throw notFound(spec, cwd);
    throw new ModuleLoadError(`executor module ${spec} cannot be loaded: ${firstLine(err)}`);
  }
  if (!('default' in mod) || mod.default === undefined)
    throw new ModuleLoadError(`executor module ${spec} has no default export (export default a factory: (options) => executor)`);
  if (typeof mod.default !== 'function')
    throw new ModuleLoadError(`executor module ${spec}: its default export is not a function (a factory: (options) => executor)`);
  let user: UserExecutor;
  try {
    user = await (mod.default as ExecutorFactory)({ timeoutMs, log, env: options.env ?? process.env });
  } catch (err) {
    throw new ModuleLoadError(`executor module ${spec}: its factory threw: ${firstLine(err)}`);
  }
  if (user === null || typeof user !== 'object' || typeof user.execute !== 'function') {
    throw new ModuleLoadError(`executor module ${spec}: its factory did not return an executor (an object with execute(task, signal))`);
  }
  if (user.executeApi !== undefined && typeof user.executeApi !== 'function') {
    throw new ModuleLoadError(`executor module ${spec}: its executeApi is not a function (executeApi(task, signal))`);
  }
  return moduleExecutor(spec, user, timeoutMs, log);
}

/** The task as the module sees it: the vendor's names, defaults filled in. */
export function taskOf(input: ExecutionInput): ExecutorTask {
  const r = input.request;
  return {
    id: input.id,
    api: 'serp',
    path: `serp/${input.def.se}/${input.def.seType}`,
    se: input.def.se,
    se_type: input.def.seType,
    functions: input.def.getFunctions,
    postback_data: r.postbackData,
    keyword: r.keyword,
    location_code: r.locationCode,
    location_name: r.locationName,
    location_coordinate: r.locationCoordinate,
    country_iso_code: r.countryIso,
    language_code: r.languageCode,
    language_name: r.languageName,
    se_domain: r.seDomain,
    device: r.device,
    os: r.os,
    depth: r.depth,
    max_crawl_pages: r.maxCrawlPages,
    search_param: r.searchParam,
    priority: r.priority,
    data: input.params ?? {},
    posted_at: input.postedAt,
  };
}

const failed = (): ExecutionOutcome => ({ statusCode: STATUS.INTERNAL_ERROR.code, statusMessage: STATUS.INTERNAL_ERROR.message });

function kind(v: unknown): string {
  if (v === null) return 'null';
  return Array.isArray(v) ? 'an array' : typeof v;
}

/** The checked outcome of what a module returned, or what is wrong with it (for the log line). */
export function outcomeOf(input: ExecutionInput, got: ExecutorResult): ExecutionOutcome | string {
  if (got === null || typeof got !== 'object' || Array.isArray(got)) return `returned ${kind(got)}, not { status_code, results }`;
  const code: unknown = got.status_code ?? STATUS.OK.code;
  if (code !== STATUS.OK.code) {
    const known = typeof code === 'number' ? statusByCode(code) : undefined;
    if (!known || known.code < 40000 || NOT_FINAL.includes(known.code))
      return `returned status_code ${JSON.stringify(code)}, which is not a vendor code a task can end with`;
    const message = typeof got.status_message === 'string' && got.status_message !== '' ? got.status_message : known.message;
    return { statusCode: known.code, statusMessage: message };
  }
  if (got.results === null || typeof got.results !== 'object' || Array.isArray(got.results))
    return got.results === undefined ? 'returned status_code 20000 without results' : `returned results as ${kind(got.results)}`;
  const { se, seType, getFunctions } = input.def;
  const results: Array<{ fn: ResultFunction; value: unknown }> = [];
  for (const [fn, raw] of Object.entries(got.results)) {
    if (raw === undefined) continue;
    if (!getFunctions.includes(fn as ResultFunction)) return `returned a result for '${fn}', not a function of ${se}/${seType}`;
    // Results are stored as JSON: what does not survive that (a cycle, a BigInt) is not a result,
    // and the check sees exactly what will be stored (undefined fields dropped, Dates as strings).
    let value: unknown;
    try {
      const text = JSON.stringify(raw);
      if (text === undefined) return `${se}/${seType}/${fn}: result is ${typeof raw}, not JSON`;
      value = JSON.parse(text);
    } catch (err) {
      return `${se}/${seType}/${fn}: result is not JSON (${firstLine(err)})`;
    }
    const problem = resultProblem(se, seType, fn, value);
    if (problem) return `${se}/${seType}/${fn}: ${problem}`;
    results.push({ fn: fn as ResultFunction, value });
  }
  if (results.length === 0) return 'returned status_code 20000 without results';
  return { statusCode: STATUS.OK.code, statusMessage: STATUS.OK.message, results };
}

/** A task of another API's task type as the module sees it. */
export function apiTaskOf(input: CatalogTaskInput, postbackData: string | null = null): ApiTask {
  const data = input.params;
  return {
    id: input.id,
    api: input.api.api,
    path: input.type.type,
    kind: 'task',
    functions: input.type.taskGet.map(taskResultKey),
    postback_data: postbackData ?? (typeof data.postback_data === 'string' ? data.postback_data : null),
    data,
    posted_at: input.postedAt,
  };
}

/** A live call of another API as the module sees it. */
export function apiCallOf(call: EndpointCall): ApiTask {
  return {
    id: null,
    api: call.api.api,
    path: call.path,
    kind: 'live',
    functions: [],
    postback_data: null,
    data: call.params,
    posted_at: parseDateTime(call.datetime) ?? Date.now(),
  };
}

/** A result array as it will be stored (JSON), checked against its endpoint's schema; or what is wrong with it. */
function checkedArray(api: ApiCatalog, endpoint: Endpoint | undefined, where: string, raw: unknown): unknown[] | string {
  let value: unknown;
  try {
    const text = JSON.stringify(raw);
    if (text === undefined) return `${where}: result is ${typeof raw}, not JSON`;
    value = JSON.parse(text);
  } catch (err) {
    return `${where}: result is not JSON (${firstLine(err)})`;
  }
  if (!Array.isArray(value)) return `${where}: result: expected an array (the vendor's result[]), got ${kind(value)}`;
  const problem = endpoint ? catalogResultProblem(api, endpoint, value) : null;
  return problem ? `${where}: ${problem}` : value;
}

/** The vendor code a module ended a call with, or what is wrong with it; null for 20000. */
function endingCode(got: { status_code?: unknown; status_message?: unknown }): ExecutionOutcome | string | null {
  const code: unknown = got.status_code ?? STATUS.OK.code;
  if (code === STATUS.OK.code) return null;
  const known = typeof code === 'number' ? statusByCode(code) : undefined;
  if (!known || known.code < 40000 || NOT_FINAL.includes(known.code))
    return `returned status_code ${JSON.stringify(code)}, which is not a vendor code a task can end with`;
  const message = typeof got.status_message === 'string' && got.status_message !== '' ? got.status_message : known.message;
  return { statusCode: known.code, statusMessage: message };
}

/** The checked outcome of a module's answer for a task of another API, or what is wrong with it. */
export function apiTaskOutcomeOf(input: CatalogTaskInput, got: ApiResult): ExecutionOutcome | string {
  if (got === null || typeof got !== 'object' || Array.isArray(got)) return `returned ${kind(got)}, not { status_code, results }`;
  const ended = endingCode(got);
  if (ended !== null) return ended;
  const type = input.type.type;
  const keys = input.type.taskGet.map(taskResultKey);
  let given: Record<string, unknown>;
  if (got.results !== undefined) {
    if (got.results === null || typeof got.results !== 'object' || Array.isArray(got.results))
      return `returned results as ${kind(got.results)}`;
    given = got.results as Record<string, unknown>;
  } else if (got.result !== undefined) given = { [keys[0] ?? taskResultKey(null)]: got.result };
  else return 'returned status_code 20000 without results';
  const results: Array<{ fn: string; value: unknown }> = [];
  for (const [fn, raw] of Object.entries(given)) {
    if (raw === undefined) continue;
    if (!keys.includes(fn)) return `returned a result for '${fn}', not a function of ${type} (${keys.join(', ')})`;
    const endpoint = taskGetEndpoint(input.api, type, fn === taskResultKey(null) ? null : fn);
    const value = checkedArray(input.api, endpoint, `${type}/${fn}`, raw);
    if (typeof value === 'string') return value;
    results.push({ fn, value });
  }
  if (results.length === 0) return 'returned status_code 20000 without results';
  return { statusCode: STATUS.OK.code, statusMessage: STATUS.OK.message, results };
}

/** The checked outcome of a module's answer for a live call of another API, or what is wrong with it. */
export function apiCallOutcomeOf(call: EndpointCall, got: ApiResult): EndpointOutcome | string {
  if (got === null || typeof got !== 'object' || Array.isArray(got)) return `returned ${kind(got)}, not { status_code, result }`;
  const ended = endingCode(got);
  if (ended !== null) return typeof ended === 'string' ? ended : { ...ended, result: null };
  if (got.result === undefined) return 'returned status_code 20000 without result';
  const value = checkedArray(call.api, call.endpoint, call.endpoint.path, got.result);
  if (typeof value === 'string') return value;
  return { statusCode: STATUS.OK.code, statusMessage: STATUS.OK.message, result: value };
}

type Ending<T = ExecutorResult> =
  | { readonly end: 'answer'; readonly value: T }
  | { readonly end: 'threw'; readonly err: unknown }
  | { readonly end: 'timeout' }
  | { readonly end: 'stopped' };

/**
 * Runs one call of the module under its own AbortController, aborted on the time limit and when the
 * worker stops. It returns at that moment even if the module ignores the signal: its late answer is
 * dropped, and a module that never settles costs a pending promise, not a worker.
 */
async function settle<T>(run: (signal: AbortSignal) => Promise<T>, outer: AbortSignal, timeoutMs: number): Promise<Ending<T>> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onAbort = (): void => {};
  const cut = new Promise<Ending<T>>((done) => {
    timer = setTimeout(() => {
      done({ end: 'timeout' });
      abort.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError'));
    }, timeoutMs);
    onAbort = () => {
      done({ end: 'stopped' });
      abort.abort(outer.reason);
    };
    outer.addEventListener('abort', onAbort, { once: true });
  });
  // Called at once (not a tick later), so the module sees an abort that comes right after.
  let answer: Promise<Ending<T>>;
  try {
    answer = Promise.resolve(run(abort.signal)).then(
      (value): Ending<T> => ({ end: 'answer', value }),
      (err: unknown): Ending<T> => ({ end: 'threw', err }),
    );
  } catch (err) {
    answer = Promise.resolve({ end: 'threw', err });
  }
  try {
    return await Promise.race([answer, cut]);
  } finally {
    clearTimeout(timer);
    outer.removeEventListener('abort', onAbort);
  }
}

function moduleExecutor(spec: string, user: UserExecutor, timeoutMs: number, log: (line: string) => void): Executor {
  const say = (id: string, what: string) => log(`serpq: executor module ${spec}: task ${id}: ${what}`);
  // A task the worker gave up on while stopping goes back to the queue, due at once (its posting
  // time is in the past), for the next process to run; failing it would lose a task nobody failed.
  const givenBack = (input: ExecutionInput): ExecutionDeferral => ({ defer: 'retry', at: input.postedAt, reason: 'the worker stopped' });
  const faults: number[] = [];
  let closed: Promise<void> | null = null;
  const nextFault = (): ExecutionOutcome | null => {
    const fault = faults.shift();
    return fault === undefined ? null : { statusCode: fault, statusMessage: statusByCode(fault)?.message ?? STATUS.INTERNAL_ERROR.message };
  };
  const serp: Executor = {
    name: 'module',
    latencyMs: () => 0,
    async execute(input, signal) {
      const fault = nextFault();
      if (fault) return fault;
      if (signal.aborted) return givenBack(input);
      try {
        const ending = await settle((s) => user.execute(taskOf(input), s), signal, timeoutMs);
        switch (ending.end) {
          case 'stopped':
            say(input.id, 'stopped with the worker; back to the queue');
            return givenBack(input);
          case 'timeout':
            say(input.id, `no answer within ${timeoutMs} ms`);
            return failed();
          case 'threw':
            say(input.id, `threw: ${firstLine(ending.err)}`);
            return failed();
          case 'answer': {
            const out = outcomeOf(input, ending.value);
            if (typeof out !== 'string') return out;
            say(input.id, out);
            return failed();
          }
        }
      } catch (err) {
        // Only a hostile answer gets here (a getter that throws): the worker still gets an outcome.
        say(input.id, `its answer could not be read: ${firstLine(err)}`);
        return failed();
      }
    },
    injectFaults(statusCode, count) {
      for (let i = 0; i < count; i++) faults.push(statusCode);
    },
    stop() {
      closed ??= Promise.resolve()
        .then(() => user.close?.())
        .then(
          () => undefined,
          (err: unknown) => log(`serpq: executor module ${spec}: close threw: ${firstLine(err)}`),
        );
      return closed;
    },
  };
  const executeApi = user.executeApi?.bind(user);
  if (!executeApi) return serp;

  /** Runs one call of `executeApi`, turning a throw, a hang or a wrong answer into a log line and null. */
  async function callApi<T>(
    id: string,
    task: ApiTask,
    signal: AbortSignal,
    outcome: (got: ApiResult) => T | string,
  ): Promise<T | 'failed' | 'stopped'> {
    try {
      const ending = await settle((s) => executeApi!(task, s), signal, timeoutMs);
      switch (ending.end) {
        case 'stopped':
          return 'stopped';
        case 'timeout':
          say(id, `${task.path}: no answer within ${timeoutMs} ms`);
          return 'failed';
        case 'threw':
          say(id, `${task.path}: threw: ${firstLine(ending.err)}`);
          return 'failed';
        case 'answer': {
          const out = outcome(ending.value);
          if (typeof out !== 'string') return out;
          say(id, out);
          return 'failed';
        }
      }
    } catch (err) {
      say(id, `${task.path}: its answer could not be read: ${firstLine(err)}`);
      return 'failed';
    }
  }

  // Reference lists the module is not asked for: the sandbox's (deterministic, as serpq's locations are).
  let lists: Promise<Executor> | null = null;
  const sandboxLists = () =>
    (lists ??= import('../sandbox/sandbox-executor.js').then((m) => m.createSandboxExecutor({ latency: { normal: 0, high: 0 } })));

  return {
    ...serp,
    async executeTask(input, signal) {
      const fault = nextFault();
      if (fault) return fault;
      const givenBackTask: ExecutionDeferral = { defer: 'retry', at: input.postedAt, reason: 'the worker stopped' };
      if (signal.aborted) return givenBackTask;
      const out = await callApi(input.id, apiTaskOf(input), signal, (got) => apiTaskOutcomeOf(input, got));
      if (out === 'stopped') {
        say(input.id, 'stopped with the worker; back to the queue');
        return givenBackTask;
      }
      return out === 'failed' ? failed() : out;
    },
    async executeEndpoint(call, signal): Promise<EndpointOutcome> {
      const fault = nextFault();
      if (fault) return { ...fault, result: null };
      if (call.endpoint.method === 'GET') return (await sandboxLists()).executeEndpoint!(call, signal);
      const out = await callApi('(a live call)', apiCallOf(call), signal, (got) => apiCallOutcomeOf(call, got));
      return out === 'failed' || out === 'stopped' ? { ...failed(), result: null } : out;
    },
  };
}
