/**
 * The executor port for user modules, published as `serpq/executor`. A module's default export is a
 * factory; serpq calls it once at start and then `execute` for every task a worker claims:
 *
 *   export default function factory(options) {
 *     return {
 *       async execute(task, signal) {
 *         const items = await myFetcher(task.keyword, { signal });
 *         return { status_code: 20000, results: { advanced: { ...result built from items } } };
 *       },
 *     };
 *   }
 *
 * Names are the vendor's: what a module reads and returns is what a DataForSEO task carries.
 *
 * SERP's engine is served by `execute`. A module that also serves other APIs (Keywords Data, Labs,
 * Backlinks, Merchant, …: their task types and live endpoints) adds `executeApi`, which receives the
 * API, the path and the posted fields of each task or live call:
 *
 *   async executeApi(task, signal) {
 *     if (task.path === 'dataforseo_labs/google/ranked_keywords/live') return { result: [await ranked(task.data)] };
 *     if (task.path === 'keywords_data/google_ads/search_volume') return { results: { task_get: await volumes(task.data.keywords) } };
 *     return { status_code: 40400 };
 *   }
 *
 * Without `executeApi` a module serves SERP only, as before: the other APIs' paths answer 404.
 */

export type ResultFunction = 'regular' | 'advanced' | 'html';

/** A task as a module sees it: its ids and the normalized request (defaults filled in). */
export interface ExecutorTask {
  /** serpq's task id (the vendor's format). */
  readonly id: string;
  /** Always `serp` here (the other APIs' tasks go to `executeApi`). */
  readonly api: 'serp';
  /** The task type's path after `/v3/`: `serp/google/organic`. */
  readonly path: string;
  readonly se: string;
  readonly se_type: string;
  /** The functions of this type (task_get/regular, advanced, html); return a result for each you can. */
  readonly functions: readonly ResultFunction[];
  /** The function the task's postback sends, when it has one. */
  readonly postback_data: ResultFunction | null;
  /** %-decoded; null for types whose subject is not a keyword (then see `data`). */
  readonly keyword: string | null;
  readonly location_code: number | null;
  readonly location_name: string | null;
  readonly location_coordinate: string | null;
  /** ISO country of the location, e.g. "US". */
  readonly country_iso_code: string | null;
  readonly language_code: string | null;
  readonly language_name: string | null;
  readonly se_domain: string | null;
  readonly device: 'desktop' | 'mobile' | 'tablet';
  readonly os: string;
  /** Items requested: the posted depth, else the type's default. */
  readonly depth: number;
  readonly max_crawl_pages: number | null;
  readonly search_param: string | null;
  /** 1 normal, 2 high. */
  readonly priority: 1 | 2;
  /** The task's fields as posted (type-specific ones too), as task_get echoes them in `data`. */
  readonly data: Readonly<Record<string, unknown>>;
  /** When it was posted, epoch ms. */
  readonly posted_at: number;
}

/**
 * What `execute` returns. `status_code` 20000 (the default) with `results`: one result object per
 * function, as the vendor's task_get `result[0]`; each is checked against the official schema of its
 * path (`google/organic/advanced`, ...). A function left out answers task_get with 40404 "No
 * Prepared Data Found.". Any other vendor status code (40000 and up, not 40601/40602) fails the task
 * with it and `status_message` (default: the vendor's message), e.g. `{ status_code: 40102 }`.
 */
export interface ExecutorResult {
  readonly status_code?: number;
  readonly status_message?: string;
  readonly results?: Readonly<Partial<Record<ResultFunction, unknown>>>;
}

/**
 * A task or a live call of another API than SERP's engine, as `executeApi` sees it.
 */
export interface ApiTask {
  /** serpq's task id; null for a live call (its id is given when it is answered). */
  readonly id: string | null;
  /** The API: `keywords_data`, `dataforseo_labs`, `backlinks`, `merchant`, `app_data`, `business_data`, … */
  readonly api: string;
  /**
   * What to answer, after `/v3/`: a task type's path (`keywords_data/google_ads/search_volume`,
   * `merchant/amazon/products`) for a task, the endpoint's path for a live call
   * (`dataforseo_labs/google/ranked_keywords/live`, `backlinks/summary/live`).
   */
  readonly path: string;
  /** `task`: posted with task_post, read with task_get; `live`: the caller waits for the answer. */
  readonly kind: 'task' | 'live';
  /**
   * A task's task_get functions, each a key of `results`: `advanced`, `html`, … , or `task_get` for a
   * type read with `task_get/{id}` without one. Empty for a live call.
   */
  readonly functions: readonly string[];
  /** The function the task's postback sends, when it has one. */
  readonly postback_data: string | null;
  /** The task's fields as checked against the endpoint's request rules, documented defaults filled in. */
  readonly data: Readonly<Record<string, unknown>>;
  /** When it was posted (a live call: called), epoch ms. */
  readonly posted_at: number;
}

/**
 * What `executeApi` returns. `status_code` 20000 (the default) with the vendor's `result` array: for
 * a live call as `result`; for a task one array per function in `results` (`{ advanced: [...] }`,
 * `{ task_get: [...] }`), or `result` for its first function. Each item is checked against the
 * official schema of the endpoint's result (no field the schema does not name; documented fields
 * of their documented types). A function left out answers task_get with 40404. Other codes end
 * the task or call as with `execute` (`{ status_code: 40400 }` for a path the module does not serve).
 */
export interface ApiResult {
  readonly status_code?: number;
  readonly status_message?: string;
  readonly result?: readonly unknown[];
  readonly results?: Readonly<Record<string, readonly unknown[]>>;
}

export interface Executor {
  /**
   * Runs one task. `signal` aborts when the task's time is up (the task then fails with 50000) or the
   * worker stops (the task goes back to the queue); an answer after that is dropped.
   */
  execute(task: ExecutorTask, signal: AbortSignal): Promise<ExecutorResult>;
  /**
   * Optional: runs a task or a live call of any other API (their task types and live endpoints), by
   * the same rules of time, aborts and failures as `execute`. Reference lists (locations, languages)
   * stay serpq's.
   */
  executeApi?(task: ApiTask, signal: AbortSignal): Promise<ApiResult>;
  /** Called when serpq stops. */
  close?(): Promise<void> | void;
}

export interface ExecutorOptions {
  /** Per-task time limit in ms (after it, the task fails with 50000 and `signal` aborts). */
  readonly timeoutMs: number;
  /** One line to serpq's log. */
  log(line: string): void;
  /** The process environment (for a module's own settings). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** A module's default export. */
export type ExecutorFactory = (options: ExecutorOptions) => Executor | Promise<Executor>;
