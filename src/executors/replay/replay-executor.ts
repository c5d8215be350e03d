import { STATUS, statusByCode } from '../../domain/status-codes.js';
import type {
  CatalogTaskInput,
  EndpointCall,
  EndpointOutcome,
  ExecutionDeferral,
  ExecutionInput,
  ExecutionOutcome,
  Executor,
} from '../executor.js';
import { type Cassette, type MatchField, type ReplayMiss, cassetteRequest, matchKey } from './cassette.js';
import { catalogMatchKey, catalogRequest, catalogTarget, replayedCatalogResult, taskGetCassettePath } from './catalog-cassette.js';
import type { CassetteLibrary } from './library.js';
import { encode } from '../sandbox/serp-text.js';

/**
 * The replay executor: tasks whose request matches a cassette complete with its recorded result,
 * rendered on read like the sandbox's (nothing is stored per task), with the task's own keyword,
 * datetime and check_url. Everything else behaves as with the sandbox: latency, tasks_ready,
 * webhooks, time travel, faults. A miss is answered by the sandbox (`sandbox`), fails with 40102
 * (`error`), or is fetched once through the relay and recorded (`record`).
 *
 * The other APIs alike: a live call (`executeEndpoint`) answers its path's recorded `result`, a task
 * of a task type (`executeTask`) completes when a task_get function of its type has a cassette and
 * each function answers its own (`renderTask`), under the same match inputs and miss policies. A
 * reference list (GET) without a cassette is the sandbox's whatever the policy (the relay's under
 * `record`), and On-Page crawls are the sandbox's.
 */
export { REPLAY_MISSES, type ReplayMiss } from './cassette.js';

export interface ReplayOptions {
  readonly library: CassetteLibrary;
  readonly match: readonly MatchField[];
  readonly miss: ReplayMiss;
  /** Latency, faults and the answer of a `sandbox` miss. */
  readonly sandbox: Executor;
  /** With miss `record`: the relay that fetches a miss upstream (and records it). */
  readonly recorder?: Executor;
}

/** The match key of a task under the chosen inputs. */
export const taskMatchKey = (input: ExecutionInput, match: readonly MatchField[]): string =>
  matchKey(input.def.se, input.def.seType, cassetteRequest(input.def, input.request, input.params ?? {}), match);

/** The recorded result made the task's own: its keyword, datetime and check_url. */
export function replayedResult(c: Cassette, fn: keyof Cassette['results'], input: ExecutionInput, datetime: string): unknown {
  const recorded = c.results[fn];
  if (recorded === null || typeof recorded !== 'object' || Array.isArray(recorded)) return recorded ?? null;
  const out: Record<string, unknown> = { ...(recorded as Record<string, unknown>) };
  if ('datetime' in out) out.datetime = datetime;
  const keyword = input.request.keyword;
  if (keyword !== null && typeof out.keyword === 'string') {
    if (typeof out.check_url === 'string' && out.keyword !== keyword) out.check_url = withQuery(out.check_url, out.keyword, keyword);
    out.keyword = keyword;
  }
  return out;
}

/** A check_url for another spelling of the keyword: its search parameter replaced. */
function withQuery(url: string, recorded: string, keyword: string): string {
  try {
    const u = new URL(url);
    for (const p of ['q', 'query', 'p', 'text', 'wd', 'search_query', 'keyword']) {
      if (u.searchParams.has(p)) {
        u.searchParams.set(p, keyword);
        return u.toString().replace(/\+/g, '%20');
      }
    }
  } catch {
    // Not a URL: replace the spelling where it appears.
  }
  return url.split(encode(recorded)).join(encode(keyword));
}

/** The match key of a live call or reference list: its path and request. */
export function callMatchKey(call: EndpointCall, match: readonly MatchField[]): string {
  const target = catalogTarget(call.api, call.path);
  return catalogMatchKey(call.path, catalogRequest(target?.rules ?? null, call.params), match);
}

/** The match key of a catalog task for one of its type's task_get functions (null: without one). */
export function catalogTaskMatchKey(input: CatalogTaskInput, fn: string | null, match: readonly MatchField[]): string {
  const path = taskGetCassettePath(input.type.type, fn);
  const target = catalogTarget(input.api, path);
  return catalogMatchKey(path, catalogRequest(target?.rules ?? null, input.params), match);
}

const NO_RESULTS = { statusCode: STATUS.NO_SEARCH_RESULTS.code, statusMessage: STATUS.NO_SEARCH_RESULTS.message };
const OK = { statusCode: STATUS.OK.code, statusMessage: STATUS.OK.message };

export function createReplayExecutor(options: ReplayOptions): Executor {
  const { library, match, miss, sandbox, recorder } = options;
  if (miss === 'record' && !recorder) throw new Error('replay miss policy record needs the relay');
  const find = (input: ExecutionInput, fn?: keyof Cassette['results']) => library.find(taskMatchKey(input, match), fn);
  // Injected faults, for every API: the next executions end with them before any cassette is read.
  const faults: number[] = [];
  const nextFault = (): ExecutionOutcome | null => {
    const code = faults.shift();
    return code === undefined
      ? null
      : { statusCode: code, statusMessage: statusByCode(code)?.message ?? STATUS.TASK_EXECUTION_FAILED.message };
  };
  /** Whether a catalog task's type has a cassette for any of its task_get functions. */
  const taskHits = (input: CatalogTaskInput) => input.type.taskGet.some((fn) => library.hasCatalog(catalogTaskMatchKey(input, fn, match)));
  const isCrawl = (input: CatalogTaskInput) => input.type.type === 'on_page';

  const executor: Executor = {
    name: 'replay',
    latencyMs: (priority) => sandbox.latencyMs(priority),
    async execute(input, signal, owner): Promise<ExecutionOutcome | ExecutionDeferral> {
      // Injected faults first, as with the sandbox.
      const fault = nextFault();
      if (fault) return fault;
      if (library.has(taskMatchKey(input, match))) return OK;
      if (miss === 'error') return NO_RESULTS;
      if (miss === 'record') return recorder!.execute(input, signal, owner);
      return sandbox.execute(input, signal, owner);
    },
    render(input, fn, datetime) {
      const c = find(input, fn);
      if (c) return replayedResult(c, fn, input, datetime);
      // A miss recorded through the relay has its result stored; the sandbox renders its own.
      return miss === 'sandbox' ? (sandbox.render?.(input, fn, datetime) ?? null) : null;
    },
    example: (def, fn, datetime) => sandbox.example?.(def, fn, datetime) ?? null,
    injectFaults(code, count) {
      for (let i = 0; i < count; i++) faults.push(code);
    },
    async executeEndpoint(call, signal): Promise<EndpointOutcome> {
      const fault = nextFault();
      if (fault) return { ...fault, result: null };
      const c = library.findCatalog(callMatchKey(call, match));
      if (c) return { ...OK, result: replayedCatalogResult(c, call.datetime) };
      // A reference list is not a result anyone records on purpose: the sandbox's, or the relay's.
      const list = call.endpoint.method === 'GET';
      if (miss === 'record' && recorder?.executeEndpoint) return recorder.executeEndpoint(call, signal);
      if (miss === 'error' && !list) return { ...NO_RESULTS, result: null };
      return sandbox.executeEndpoint!(call, signal);
    },
    async executeTask(input, signal, owner): Promise<ExecutionOutcome | ExecutionDeferral> {
      const fault = nextFault();
      if (fault) return fault;
      if (isCrawl(input)) return sandbox.executeTask!(input, signal, owner);
      if (taskHits(input)) return OK;
      if (miss === 'error') return NO_RESULTS;
      if (miss === 'record') return recorder!.executeTask ? recorder!.executeTask(input, signal, owner) : NO_RESULTS;
      return sandbox.executeTask!(input, signal, owner);
    },
    async renderTask(input, endpoint, datetime) {
      if (isCrawl(input)) return sandbox.renderTask!(input, endpoint, datetime);
      const c = library.findCatalog(catalogTaskMatchKey(input, endpoint.fn, match));
      if (c) return replayedCatalogResult(c, datetime);
      // As for SERP: a function not recorded answers as a result that does not exist, unless the
      // sandbox answers misses; a miss the relay recorded has its result stored.
      return miss === 'sandbox' ? sandbox.renderTask!(input, endpoint, datetime) : null;
    },
  };
  if (miss !== 'record' || !recorder) return executor;
  // Record if missing: the relay's background work, postbacks and late fetches stay its own.
  return {
    ...executor,
    async executeLive(input, fn, signal): Promise<ExecutionOutcome> {
      if (library.has(taskMatchKey(input, match), fn)) return { statusCode: STATUS.OK.code, statusMessage: STATUS.OK.message };
      return recorder.executeLive
        ? recorder.executeLive(input, fn, signal)
        : (recorder.execute(input, signal) as Promise<ExecutionOutcome>);
    },
    fetchResult: recorder.fetchResult?.bind(recorder),
    fetchTaskResult: recorder.fetchTaskResult?.bind(recorder),
    receivePostback: recorder.receivePostback?.bind(recorder),
    postbackKey: recorder.postbackKey,
    start: recorder.start?.bind(recorder),
    stop: recorder.stop?.bind(recorder),
    collectOnce: recorder.collectOnce?.bind(recorder),
  };
}
