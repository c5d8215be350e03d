import type { Clock } from '../../domain/clock.js';
import type { ResultFunction } from '../../domain/catalog.js';
import type { RelayAnswers, Results, TaskQueue, TaskReads } from '../../store/store.js';
import type { RelayLedger } from './ledger.js';

/** The store roles the relay uses. */
export type RelayStore = RelayLedger &
  Pick<TaskQueue, 'completeTasks' | 'deferTasks'> &
  Pick<TaskReads, 'tasksByIds'> &
  Results &
  RelayAnswers;
import type { ExecutionDeferral, ExecutionOutcome, ExecutorHooks } from '../executor.js';
import type { RelayInput } from './targets.js';
import type { Upstream } from './upstream.js';

/** What the relay's forwarding and collection share. */
export interface RelayContext {
  /** What the relay reads and writes: its ledger, the queue's completions and deferrals, results. */
  readonly store: RelayStore;
  readonly clock: Clock;
  /** Upstream windows (id_list) and forwarding records are on the real clock, whatever the process clock says. */
  readonly realClock: Clock;
  readonly upstream: Upstream;
  /** How long a task may wait for the upstream, from its posting, before it fails with 50000. */
  readonly giveUpMs: number;
  /** Reuse of upstream results for equal requests (0 = off): completed within it, or still in flight. */
  readonly cacheTtlMs: number;
  /** Upstream postbacks: the URL each upstream task reports to (with `$id` and `$tag`), or null. */
  readonly postbackUrl: string | null;
  /** Called with every result that arrives from the upstream (record mode writes cassettes). */
  readonly onResult?: UpstreamResultHook;
  /** Called with every result of another API that arrives from the upstream (record mode). */
  readonly onCatalogResult?: UpstreamCatalogResultHook;
  /**
   * Tasks of types the vendor takes no `tag` for (Bing audience estimation), handed over by this
   * process: upstream id -> serpq id, so its tasks_ready rows are recognised (others' by the sweep).
   */
  readonly untagged: Map<string, string>;
  hooks: ExecutorHooks | null;
}

/** A result that arrived from the upstream for a task (its engine, type and posted fields). */
export type UpstreamResultHook = (
  task: { readonly se: string; readonly seType: string; readonly data: string },
  fn: ResultFunction,
  value: unknown,
) => void;

/**
 * A result of another API than SERP that arrived from the upstream: its API, the endpoint path it
 * answers (a live endpoint's, e.g. `dataforseo_labs/google/ranked_keywords/live`, or a task type's
 * task_get function without the id, e.g. `keywords_data/google_ads/search_volume/task_get`), the
 * fields posted for it, and the upstream's `result` array.
 */
export type UpstreamCatalogResultHook = (
  call: { readonly api: string; readonly path: string; readonly params: Readonly<Record<string, unknown>> },
  result: readonly unknown[],
) => void;

/** A task handed over by the worker, waiting for its call: a SERP task or another API's. */
export interface Pending {
  readonly input: RelayInput;
  readonly owner: string;
  readonly resolve: (out: ExecutionOutcome | ExecutionDeferral) => void;
}

/** The upstream's USD amount in micro-USD, when it is a number. */
export const micro = (usd: unknown): number | undefined =>
  typeof usd === 'number' && Number.isFinite(usd) ? Math.round(usd * 1_000_000) : undefined;

// The relay's names for the stored-result encoding (store/stored-result.ts, shared by every writer and reader).
export { decodeResult as unzipResult, encodeResult as zipResult } from '../../store/stored-result.js';
