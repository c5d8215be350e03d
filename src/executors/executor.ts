import type { ApiCatalog, Endpoint, TaskType } from '../domain/api-catalog/index.js';
import type { ResultFunction, SeTypeDef } from '../domain/catalog.js';
import type { CrawlState } from '../domain/crawl.js';
import type { NormalizedTask } from '../domain/task-request.js';
import { parseDuration } from '../domain/duration.js';
import type { WireEnvelope } from '../contracts/envelope.js';

/**
 * The Executor port: turns an accepted task into a SERP. The sandbox renders deterministic SERPs;
 * a relay forwards to an upstream DataForSEO-compatible API; a user module can plug its own fetcher.
 */

export interface ExecutionInput {
  readonly id: string;
  readonly def: SeTypeDef;
  readonly request: NormalizedTask;
  /** The posted fields (the `data` echo), for type-specific ones. */
  readonly params?: Readonly<Record<string, unknown>>;
  readonly postedAt: number;
  /** The account that posted it (executors that share work across accounts keep them fair). */
  readonly accountId?: number;
}

/** What an upstream postback received by `receivePostback` came to. */
export type PostbackReceipt = 'done' | 'later' | 'unknown';

export interface ExecutionOutcome {
  /** 20000, or a terminal vendor code (40101, 40102, 40103, ...). */
  readonly statusCode: number;
  readonly statusMessage: string;
  /**
   * Results to store, by function. Executors that render on read return none. A SERP task's `fn` is
   * a ResultFunction and its value the result object; a catalog task's (`executeTask`) is the key of
   * each task_get function (`taskResultKey` of domain/api-catalog/tasks.ts) and its value that
   * function's `result` array.
   */
  readonly results?: ReadonlyArray<{ readonly fn: ResultFunction | (string & {}); readonly value: unknown }>;
  /** Final cost in micro-USD (what an upstream charged); omitted = as charged at task_post, or serpq's price for a live call. */
  readonly costMicro?: number;
}

/**
 * An execution that does not end now: `handed-over` when the executor has passed the task's claim on
 * (the relay, while the upstream works; it completes the task itself later), `retry` when the task
 * goes back to the queue, due again at `at` (process clock), e.g. after an upstream outage.
 */
export type ExecutionDeferral =
  { readonly defer: 'handed-over' } | { readonly defer: 'retry'; readonly at: number; readonly reason: string };

export function isDeferral(out: ExecutionOutcome | ExecutionDeferral): out is ExecutionDeferral {
  return 'defer' in out;
}

/** What an executor with background work reports to its process. */
export interface ExecutorHooks {
  /** Tasks it completed itself (the dispatcher sends their webhooks). */
  onCompleted(count: number): void;
  /** Which tasks it completed, with their codes (metrics by engine, type and code). */
  onFinished?(tasks: ReadonlyArray<{ readonly id: string; readonly statusCode: number }>): void;
  onError(err: unknown): void;
}

/** What every executor does: turn a claimed task into its outcome. The worker sees only this. */
export interface TaskExecutor {
  readonly name: string;
  /** Delay between posting and completion for a priority (the sandbox's emulated latency). */
  latencyMs(priority: number): number;
  /** `owner` is the claim owner of the worker that runs it (an executor that hands claims over needs it). */
  execute(input: ExecutionInput, signal: AbortSignal, owner?: string): Promise<ExecutionOutcome | ExecutionDeferral>;
}

/** Capability: live calls run differently from task_post (the relay calls the upstream's live endpoint). */
export interface LiveExecution {
  /** A live call (one task, the caller waits); without this capability, live calls use `execute`. */
  executeLive(input: ExecutionInput, fn: ResultFunction, signal: AbortSignal): Promise<ExecutionOutcome>;
}

/** Capability: results of other functions fetched after completion (the relay stores one function's). */
export interface LateResults {
  /**
   * Fetches another function's result of a completed task on its first task_get (the relay reads it
   * from the upstream), storing it; null when there is none.
   */
  fetchResult(taskId: string, def: SeTypeDef, fn: ResultFunction): Promise<unknown | null>;
}

/** Capability: an upstream reports finished tasks by postback (the relay's postback route). */
export interface UpstreamPostbacks {
  /**
   * An upstream's postback for a task it ran: `done` when completed here (or already), `later` when it
   * cannot be taken yet (the upstream lists it for collection), `unknown` when it is not one of ours.
   */
  receivePostback(query: Readonly<Record<string, string | undefined>>, body: unknown): Promise<PostbackReceipt>;
  /** The secret the upstream's postback URL carries (checked by the postback route). */
  readonly postbackKey: string;
}

/** Capability: background work of the executor's own (the relay's collector). */
export interface BackgroundWork {
  start(hooks: ExecutorHooks): void;
  stop(): Promise<void>;
  /** One round of that background work now (the relay's collection), for /admin/settle and tests. */
  collectOnce(): Promise<number>;
}

/** Capability of deterministic executors: results rendered on read from the request alone, nothing stored. */
export interface RenderOnRead {
  /**
   * Renders a result; `datetime` is the completion time in the vendor's format. Returns null when the
   * executor stores its results instead.
   */
  render(input: ExecutionInput, fn: ResultFunction, datetime: string): unknown | null;
  /** The example result for the vendor's magic id 00000000-0000-0000-0000-000000000000. */
  example(def: SeTypeDef, fn: ResultFunction, datetime: string): unknown | null;
}

/** Capability (an emulator extension): the next `count` executions end with a vendor code (40101, 40102, 40103). */
export interface FaultInjection {
  injectFaults(statusCode: number, count: number): void;
}

/** One call of an endpoint of the catalog of every API: the endpoint, the checked task, the call's time. */
export interface EndpointCall {
  readonly api: ApiCatalog;
  readonly endpoint: Endpoint;
  /** The path called, after `/v3/` (the template's parameters filled: `keywords_data/google_ads/locations/us`). */
  readonly path: string;
  /** The task object as posted (POST endpoints), for executors that pass the call on as it came. */
  readonly posted?: unknown;
  /** The task's fields as checked against the endpoint's request rules (with documented defaults). */
  readonly params: Readonly<Record<string, unknown>>;
  /** The time of the call in the vendor's format (`2026-12-06 03:12:00 +00:00`). */
  readonly datetime: string;
  /** The account calling (an executor that shares answers between accounts counts its hits). */
  readonly accountId?: number;
}

/** What an endpoint call came to: the task's status and its `result` array. */
export interface EndpointOutcome {
  readonly statusCode: number;
  readonly statusMessage: string;
  readonly result: unknown[] | null;
  /** The call's final cost, when the executor knows it (an upstream's charge); else serpq's price. */
  readonly costMicro?: number;
}

/**
 * Capability: answers calls of catalog endpoints outside the SERP engine (live calls of every API,
 * reference lists it generates). An executor without it serves the SERP API only; the other APIs'
 * paths then answer 404 as unknown paths do.
 */
export interface EndpointExecution {
  executeEndpoint(call: EndpointCall, signal: AbortSignal): Promise<EndpointOutcome>;
}

/** A task of a type of the catalog of every API (not SERP's engine): what `executeTask` runs. */
export interface CatalogTaskInput {
  readonly id: string;
  readonly api: ApiCatalog;
  readonly type: TaskType;
  /** The task's fields as checked against its task_post rules (with documented defaults). */
  readonly params: Readonly<Record<string, unknown>>;
  readonly postedAt: number;
  readonly accountId?: number;
  /** An On-Page crawl's state when its functions are read (summary, pages, …): their results follow it. */
  readonly crawl?: CrawlState;
}

/**
 * Capability: runs tasks of the other APIs' task types (Keywords Data, Merchant, App Data, Business
 * Data, On-Page, AI Optimization), posted with task_post and listed on their tasks_ready. Without
 * it, those types' task_post answers 404 as an unknown path does.
 */
export interface CatalogTasks {
  /**
   * The same contract as `execute`, for a catalog task. Results returned are stored (keyed by
   * `taskResultKey`) and answer task_get when `renderTask` renders none.
   */
  executeTask(input: CatalogTaskInput, signal: AbortSignal, owner?: string): Promise<ExecutionOutcome | ExecutionDeferral>;
  /**
   * Deterministic executors: the `result` array task_get answers for `endpoint` (one of the type's
   * task_get endpoints), rendered on read from the request; null when results are stored instead.
   */
  renderTask?(input: CatalogTaskInput, endpoint: Endpoint, datetime: string): Promise<unknown[] | null>;
  /**
   * Executors whose results come from elsewhere (the relay): the `result` array of a completed task
   * for a task_get endpoint whose result is not stored yet, fetched, stored and returned; null when
   * there is none to fetch.
   */
  fetchTaskResult?(input: CatalogTaskInput, endpoint: Endpoint): Promise<unknown[] | null>;
  /**
   * Executors whose tasks run elsewhere (the relay): one call of a function over a task that is no
   * task_get (On-Page's functions over a crawl, force_stop), answered by where the task runs.
   * `call` is the posted entry (with the task's `id`) or `{id}` for a function with the id in its path.
   */
  callTaskFunction?(input: CatalogTaskInput, endpoint: Endpoint, call: Readonly<Record<string, unknown>>): Promise<EndpointOutcome>;
}

/** A call of a path the catalog does not know, as it came: `path` after `/v3/`, the body as posted. */
export interface UnknownCall {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
}

/**
 * Capability: passes calls of paths the catalog does not know (a vendor endpoint newer than serpq)
 * to an upstream as they came (the relay with `--relay-pass-unknown`). Synchronous calls only: the
 * service never hands it a task path.
 */
export interface UnknownPassThrough {
  /** The upstream's envelope; null when the upstream could not be reached (or the call was aborted). */
  passUnknown(call: UnknownCall, signal: AbortSignal): Promise<WireEnvelope | null>;
}

/**
 * An executor: the task port and whichever capabilities it has. The composition root and the
 * services detect a capability by its presence; the worker is handed the TaskExecutor part only.
 */
export type Executor = TaskExecutor &
  Partial<
    LiveExecution &
      LateResults &
      UpstreamPostbacks &
      BackgroundWork &
      RenderOnRead &
      FaultInjection &
      EndpointExecution &
      CatalogTasks &
      UnknownPassThrough
  >;

/** Parses a latency spec: `0`, `2s`, or `normal=2s,high=500ms` (units ms, s, m, h; bare numbers are ms). */
export function parseLatency(spec: string): { normal: number; high: number } {
  const unit = (v: string): number => {
    try {
      return parseDuration(v);
    } catch {
      throw new Error(`invalid latency '${v}': use e.g. 0, 500ms, 2s, 5m, 1h, normal=2s,high=500ms`);
    }
  };
  const out = { normal: 0, high: 0 };
  const text = spec.trim();
  if (!text.includes('=')) {
    out.normal = out.high = unit(text);
    return out;
  }
  for (const part of text.split(',')) {
    const [k, v] = part.split('=');
    const key = k?.trim();
    if ((key !== 'normal' && key !== 'high') || v === undefined) {
      throw new Error(`invalid latency '${spec}': use e.g. normal=2s,high=500ms`);
    }
    out[key] = unit(v);
  }
  return out;
}
