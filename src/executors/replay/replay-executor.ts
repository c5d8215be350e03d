import { STATUS } from '../../domain/status-codes.js';
import type { ExecutionDeferral, ExecutionInput, ExecutionOutcome, Executor } from '../executor.js';
import { type Cassette, type MatchField, type ReplayMiss, cassetteRequest, matchKey } from './cassette.js';
import type { CassetteLibrary } from './library.js';
import { encode } from '../sandbox/serp-text.js';

/**
 * The replay executor: tasks whose request matches a cassette complete with its recorded result,
 * rendered on read like the sandbox's (nothing is stored per task), with the task's own keyword,
 * datetime and check_url. Everything else behaves as with the sandbox: latency, tasks_ready,
 * webhooks, time travel, faults. A miss is answered by the sandbox (`sandbox`), fails with 40102
 * (`error`), or is fetched once through the relay and recorded (`record`).
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

export function createReplayExecutor(options: ReplayOptions): Executor {
  const { library, match, miss, sandbox, recorder } = options;
  if (miss === 'record' && !recorder) throw new Error('replay miss policy record needs the relay');
  const find = (input: ExecutionInput, fn?: keyof Cassette['results']) => library.find(taskMatchKey(input, match), fn);

  const executor: Executor = {
    name: 'replay',
    latencyMs: (priority) => sandbox.latencyMs(priority),
    async execute(input, signal, owner): Promise<ExecutionOutcome | ExecutionDeferral> {
      // Injected faults first, as with the sandbox.
      const fault = await sandbox.execute(input, signal, owner);
      if ('statusCode' in fault && fault.statusCode !== STATUS.OK.code) return fault;
      if (library.has(taskMatchKey(input, match))) return fault;
      if (miss === 'error') return { statusCode: STATUS.NO_SEARCH_RESULTS.code, statusMessage: STATUS.NO_SEARCH_RESULTS.message };
      if (miss === 'record') return recorder!.execute(input, signal, owner);
      return fault;
    },
    render(input, fn, datetime) {
      const c = find(input, fn);
      if (c) return replayedResult(c, fn, input, datetime);
      // A miss recorded through the relay has its result stored; the sandbox renders its own.
      return miss === 'sandbox' ? (sandbox.render?.(input, fn, datetime) ?? null) : null;
    },
    example: (def, fn, datetime) => sandbox.example?.(def, fn, datetime) ?? null,
    injectFaults: (code, count) => sandbox.injectFaults?.(code, count),
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
    receivePostback: recorder.receivePostback?.bind(recorder),
    postbackKey: recorder.postbackKey,
    start: recorder.start?.bind(recorder),
    stop: recorder.stop?.bind(recorder),
    collectOnce: recorder.collectOnce?.bind(recorder),
  };
}
