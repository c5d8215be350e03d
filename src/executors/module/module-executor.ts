import type { ResultFunction } from '../../domain/catalog.js';
import { STATUS, statusByCode } from '../../domain/status-codes.js';
import type { ExecutionDeferral, ExecutionInput, ExecutionOutcome, Executor } from '../executor.js';
import { resultProblem } from './result-check.js';
import { ModuleLoadError, moduleUrl, notFound } from './resolve-module.js';
import type { ExecutorFactory, ExecutorResult, ExecutorTask, Executor as UserExecutor } from './types.js';

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
  return moduleExecutor(spec, user, timeoutMs, log);
}

/** The task as the module sees it: the vendor's names, defaults filled in. */
export function taskOf(input: ExecutionInput): ExecutorTask {
  const r = input.request;
  return {
    id: input.id,
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

type Ending =
  | { readonly end: 'answer'; readonly value: ExecutorResult }
  | { readonly end: 'threw'; readonly err: unknown }
  | { readonly end: 'timeout' }
  | { readonly end: 'stopped' };

/**
 * Runs one call of the module under its own AbortController, aborted on the time limit and when the
 * worker stops. It returns at that moment even if the module ignores the signal: its late answer is
 * dropped, and a module that never settles costs a pending promise, not a worker.
 */
async function settle(run: (signal: AbortSignal) => Promise<ExecutorResult>, outer: AbortSignal, timeoutMs: number): Promise<Ending> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onAbort = (): void => {};
  const cut = new Promise<Ending>((done) => {
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
  let answer: Promise<Ending>;
  try {
    answer = Promise.resolve(run(abort.signal)).then(
      (value): Ending => ({ end: 'answer', value }),
      (err: unknown): Ending => ({ end: 'threw', err }),
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
  return {
    name: 'module',
    latencyMs: () => 0,
    async execute(input, signal) {
      const fault = faults.shift();
      if (fault !== undefined) return { statusCode: fault, statusMessage: statusByCode(fault)?.message ?? STATUS.INTERNAL_ERROR.message };
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
}
