import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ResultFunction } from '../../domain/catalog.js';
import { STATUS, statusByCode } from '../../domain/status-codes.js';
import type { ExecutionInput, ExecutionOutcome, Executor } from '../executor.js';
import { resultProblem } from './result-check.js';
import type { ExecutorFactory, ExecutorResult, ExecutorTask, Executor as UserExecutor } from './types.js';

/**
 * The module executor: `--executor ./my-executor.js` (or a package name) loads an ES module whose
 * default export is a factory returning an executor of the `serpq/executor` port. What it returns
 * is checked against the official schema extract; a wrong result, a throw or a hang past the time
 * limit fails that task with 50000 and a log line, never the worker.
 */
export class ModuleLoadError extends Error {}

export interface ModuleOptions {
  /** Per-task time limit (default 60 s). */
  readonly timeoutMs?: number;
  readonly log?: (line: string) => void;
  /** Where a relative path or a package name is resolved from (default the working directory). */
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

const isPath = (spec: string) => spec.startsWith('.') || isAbsolute(spec) || /\.(c|m)?js$/.test(spec);

async function importSpec(spec: string, cwd: string): Promise<Record<string, unknown>> {
  let target: string;
  if (isPath(spec)) target = pathToFileURL(resolve(cwd, spec)).href;
  else {
    try {
      target = pathToFileURL(createRequire(join(cwd, 'noop.js')).resolve(spec)).href;
    } catch {
      target = spec;
    }
  }
  try {
    return (await import(target)) as Record<string, unknown>;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'MODULE_NOT_FOUND' ? 'cannot be found' : `cannot be loaded (${e.message})`;
    throw new ModuleLoadError(`executor module ${spec} ${why}`);
  }
}

export async function loadModuleExecutor(spec: string, options: ModuleOptions = {}): Promise<Executor> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const log = options.log ?? ((line: string) => console.error(line));
  const mod = await importSpec(spec, options.cwd ?? process.cwd());
  const factory = mod.default as ExecutorFactory | undefined;
  if (factory === undefined)
    throw new ModuleLoadError(`executor module ${spec} has no default export (export default a factory: (options) => executor)`);
  if (typeof factory !== 'function')
    throw new ModuleLoadError(`executor module ${spec}: its default export is not a function (a factory: (options) => executor)`);
  let user: UserExecutor;
  try {
    user = await factory({ timeoutMs, log, env: options.env ?? process.env });
  } catch (err) {
    throw new ModuleLoadError(`executor module ${spec}: its factory threw: ${(err as Error)?.message ?? String(err)}`);
  }
  if (!user || typeof user.execute !== 'function') {
    throw new ModuleLoadError(`executor module ${spec}: its factory did not return an executor (an object with execute(task, signal))`);
  }
  return moduleExecutor(spec, user, timeoutMs, log);
}

function taskOf(input: ExecutionInput): ExecutorTask {
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
    priority: r.priority,
    data: input.params ?? {},
    posted_at: input.postedAt,
  };
}

const failed = (): ExecutionOutcome => ({ statusCode: STATUS.INTERNAL_ERROR.code, statusMessage: STATUS.INTERNAL_ERROR.message });

/** The checked outcome of what a module returned, or the reason it cannot be used. */
function outcomeOf(input: ExecutionInput, got: ExecutorResult): ExecutionOutcome | string {
  if (got === null || typeof got !== 'object') return `returned ${got === null ? 'null' : typeof got}, not { status_code, results }`;
  const code = got.status_code ?? STATUS.OK.code;
  if (code !== STATUS.OK.code) {
    const known = statusByCode(code);
    if (!known || code < 40000) return `returned status_code ${String(code)}, which is not a vendor task failure code`;
    return { statusCode: code, statusMessage: got.status_message ?? known.message };
  }
  const results: Array<{ fn: ResultFunction; value: unknown }> = [];
  for (const [fn, value] of Object.entries(got.results ?? {})) {
    if (value === undefined) continue;
    if (!input.def.getFunctions.includes(fn as ResultFunction))
      return `returned a result for '${fn}', not a function of ${input.def.se}/${input.def.seType}`;
    const problem = resultProblem(input.def.se, input.def.seType, fn, value);
    if (problem) return `${input.def.se}/${input.def.seType}/${fn}: ${problem}`;
    results.push({ fn: fn as ResultFunction, value });
  }
  if (results.length === 0) return 'returned status_code 20000 without results';
  return { statusCode: STATUS.OK.code, statusMessage: STATUS.OK.message, results };
}

function moduleExecutor(spec: string, user: UserExecutor, timeoutMs: number, log: (line: string) => void): Executor {
  const say = (id: string, what: string) => log(`serpq: executor module ${spec}: task ${id}: ${what}`);
  return {
    name: 'module',
    latencyMs: () => 0,
    async execute(input, signal) {
      const abort = new AbortController();
      const onAbort = () => abort.abort();
      signal.addEventListener('abort', onAbort, { once: true });
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((done) => {
        timer = setTimeout(() => {
          abort.abort();
          done('timeout');
        }, timeoutMs);
      });
      try {
        const got = await Promise.race([Promise.resolve().then(() => user.execute(taskOf(input), abort.signal)), timedOut]);
        if (got === 'timeout') {
          say(input.id, `no answer within ${timeoutMs} ms`);
          return failed();
        }
        const out = outcomeOf(input, got);
        if (typeof out === 'string') {
          say(input.id, out);
          return failed();
        }
        return out;
      } catch (err) {
        say(input.id, `threw: ${(err as Error)?.message ?? String(err)}`);
        return failed();
      } finally {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
      }
    },
    async stop() {
      try {
        await user.close?.();
      } catch (err) {
        log(`serpq: executor module ${spec}: close threw: ${(err as Error)?.message ?? String(err)}`);
      }
    },
  };
}
