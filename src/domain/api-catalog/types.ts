/**
 * The catalog of every DataForSEO API: the shape of the data `scripts/gen-catalog.ts` writes to
 * `generated/*.ts` (one module per API) from the vendor's OpenAPI file and the official client.
 * docs/catalog.md says what each fact is derived from and what the files do not say.
 *
 * Paths are written after `/v3/`, in template form: `keywords_data/google_ads/locations/{country}`.
 */

/** The APIs, each the first segment of its paths. */
export type ApiName =
  | 'serp'
  | 'keywords_data'
  | 'dataforseo_labs'
  | 'backlinks'
  | 'on_page'
  | 'merchant'
  | 'app_data'
  | 'business_data'
  | 'domain_analytics'
  | 'content_analysis'
  | 'content_generation'
  | 'ai_optimization'
  | 'appendix';

export type HttpMethod = 'GET' | 'POST';

/**
 * What an endpoint does, from its path:
 * - `task_post`: `{type}/task_post`, posts tasks of `type`;
 * - `tasks_ready`: `{prefix}/tasks_ready`, lists completed, uncollected tasks of the types its scope
 *   names (`ApiCatalog.tasksReady`); `type` is set when the scope is one type;
 * - `tasks_fixed`: `{type}/tasks_fixed` (SERP only), tasks re-parsed after a parser fix;
 * - `task_get`: reads a task's result: `{type}/task_get[/{fn}]/{id}`, and the On-Page functions over
 *   one crawl task (`on_page/summary/{id}`, `on_page/pages` with the id in the body, ...; type `on_page`);
 * - `live`: `{type}/live[/{fn}]`, and other POST endpoints answering at once without a task
 *   (`serp/screenshot`, `serp/ai_summary`, `on_page/instant_pages`, `on_page/page_screenshot`, ...;
 *   their type is their path);
 * - `id_list`, `errors`: `{api}/id_list`, `{api}/errors` (POST): the account's tasks and failed tasks;
 * - `locations`, `languages`, `categories`, `available_filters`, `status`: reference lists named by the
 *   last path segment (`status`: `appendix/status`, `dataforseo_labs/status`, `keywords_data/google_ads/status`);
 * - `reference`: any other list or lookup, named by `ref`: `locations_country` (`…/locations/{country}`),
 *   `locations_and_languages`, `models`, `error_codes` (`appendix/errors`), `user_data`, `index`,
 *   `available_history`, `technologies`, `industries`, `job_functions`, `grammar_rules`, `audits`,
 *   `versions`, `ad_url` (`merchant/google/sellers/ad_url/{shop_ad_aclk}`);
 * - `action`: acts on earlier tasks, named by `ref`: `force_stop` (`on_page/force_stop`, type `on_page`),
 *   `webhook_resend` (`appendix/webhook_resend`).
 */
export type EndpointKind =
  | 'task_post'
  | 'tasks_ready'
  | 'tasks_fixed'
  | 'task_get'
  | 'live'
  | 'id_list'
  | 'errors'
  | 'locations'
  | 'languages'
  | 'categories'
  | 'available_filters'
  | 'status'
  | 'reference'
  | 'action';

/**
 * A compact structural schema node (the format of src/executors/sandbox/schema-data.ts): `ref` names an
 * entry of `ApiCatalog.schemas`; `union` dispatches on property `d` (a value of it → a schema name in
 * `m`); `map` is an object of arbitrary keys with values `v`. Every field may be null on the wire.
 */
export type SchemaNode =
  | { readonly t: 'string' | 'integer' | 'number' | 'boolean' | 'any' }
  | { readonly t: 'object'; readonly p: Readonly<Record<string, SchemaNode>> }
  | { readonly t: 'array'; readonly i: SchemaNode }
  | { readonly t: 'map'; readonly v: SchemaNode }
  | { readonly t: 'ref'; readonly n: string }
  | { readonly t: 'union'; readonly d: string; readonly m: Readonly<Record<string, string>> };

export type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object' | 'any';

/** One top-level field of a task object of a POST body, with the facts its documentation states. */
export interface FieldRule {
  readonly name: string;
  readonly type: JsonType;
  /** Arrays: the JSON type of the items. */
  readonly items?: JsonType;
  /** Required in every task ("required field"). */
  readonly required?: true;
  /** Required under a condition the docs state in words ("required field if …"); see `oneOf`. */
  readonly conditional?: true;
  /** Documented values (arrays: of each item). */
  readonly enum?: readonly (string | number)[];
  /** Documented default, when the field is omitted. */
  readonly default?: string | number | boolean | readonly (string | number)[];
  /** Numbers: documented bounds, inclusive. */
  readonly min?: number;
  readonly max?: number;
  /** Arrays: the most items (e.g. `keywords` ≤ 1000). */
  readonly maxItems?: number;
  /** Strings: the most characters; arrays of strings: of each item. */
  readonly maxLength?: number;
}

/**
 * Fields that stand in for each other ("if you use this field, you don't need to specify …"), e.g.
 * location_name / location_code / location_coordinate. `required`: one of them must be given.
 */
export interface OneOfGroup {
  readonly fields: readonly string[];
  readonly required: boolean;
}

/** The rules of one task object of a POST body (the body is an array of task objects). */
export interface RequestRules {
  readonly fields: readonly FieldRule[];
  readonly oneOf: readonly OneOfGroup[];
}

/** One path and HTTP method. */
export interface Endpoint {
  /** After `/v3/`, template form: `on_page/summary/{id}`. */
  readonly path: string;
  readonly method: HttpMethod;
  readonly api: ApiName;
  readonly kind: EndpointKind;
  /**
   * The task type the endpoint belongs to: the path before its function, e.g.
   * `keywords_data/google_ads/search_volume`, `merchant/google/products`, `serp/google/organic`;
   * `on_page` for the crawl task and its functions; a live-only endpoint's own path; null for API-wide
   * and reference endpoints (and API-wide tasks_ready).
   */
  readonly type: string | null;
  /** task_get and live: the function (`regular`, `advanced`, `html`, `json`; On-Page: `summary`, `pages`, …), or null when the path has none. */
  readonly fn: string | null;
  /** reference and action: the name of the list or action (see EndpointKind). */
  readonly ref: string | null;
  /** Path parameters in order: `id`, `country`, `shop_ad_aclk`. */
  readonly params: readonly string[];
  /** task_get and action: where the task id comes from: the path (`{id}`) or each body task's `id` field. */
  readonly idIn: 'path' | 'body' | null;
  /** The official client's class and method (`KeywordsDataApi`, `googleAdsSearchVolumeTaskPost`), or null when it lacks the path. */
  readonly clientClass: string | null;
  readonly clientMethod: string | null;
  /** Whether the vendor's OpenAPI file (May 2025) lists the path; false for paths only the newer client has. */
  readonly inOpenApi: boolean;
  /** POST: the rules of one task object; null for GET. */
  readonly request: RequestRules | null;
  /**
   * One item of `tasks[].result[]`, usually a `ref` into `ApiCatalog.schemas`; null when the result is
   * always null (task_post, webhook_resend, force_stop) or, for SERP task_get/live of `serp/{se}/{se_type}`,
   * omitted: src/executors/sandbox/schema-data.ts has those.
   */
  readonly result: SchemaNode | null;
}

/** A task type: what its endpoints offer. */
export interface TaskType {
  readonly type: string;
  readonly taskPost: boolean;
  /** task_get functions (null: `task_get/{id}` without one); for `on_page`, the functions over a crawl. */
  readonly taskGet: readonly (string | null)[];
  /** live functions (null: `live` without one, or a live-only endpoint). */
  readonly live: readonly (string | null)[];
  readonly tasksFixed: boolean;
  /** The tasks_ready paths that list this type's tasks (its own and API-wide ones). */
  readonly tasksReady: readonly string[];
  /** task_post takes `postback_url` / `pingback_url`. */
  readonly postback: boolean;
  readonly pingback: boolean;
  /**
   * The documented values of task_post's `postback_data` (which result a postback carries), or null
   * when task_post has no such field (then a postback carries the type's only result).
   */
  readonly postbackData: readonly string[] | null;
}

/** A tasks_ready path and the types whose tasks it lists. */
export interface TasksReadyScope {
  readonly path: string;
  readonly types: readonly string[];
}

/** One API's catalog: one generated module. */
export interface ApiCatalog {
  readonly api: ApiName;
  /** Sorted by path, then method. */
  readonly endpoints: readonly Endpoint[];
  readonly types: Readonly<Record<string, TaskType>>;
  readonly tasksReady: readonly TasksReadyScope[];
  /**
   * Named schemas the endpoints' `result` nodes refer to. Names are the vendor's model names; models of
   * identical structure are merged under the shortest name, so a name may mention a sibling endpoint.
   */
  readonly schemas: Readonly<Record<string, SchemaNode>>;
}
