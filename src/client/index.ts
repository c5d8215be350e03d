import type { WireEnvelope, WireTask } from '../contracts/envelope.js';

/**
 * A small typed client for serpq and for any DataForSEO v3-compatible SERP API (the vendor itself
 * included): Basic auth, JSON in and out, the vendor's envelope as the result of every call.
 * https://docs.dataforseo.com/v3/serp/overview/
 */
export type { WireEnvelope, WireTask };

export type ResultFunction = 'regular' | 'advanced' | 'html';

/** A tasks_ready row. https://docs.dataforseo.com/v3/serp/google/images/tasks_ready/ */
export interface ReadyRow {
  id: string;
  se: string;
  se_type: string;
  date_posted: string;
  tag: string | null;
  endpoint_regular: string | null;
  endpoint_advanced: string | null;
  endpoint_html: string | null;
}

import type { FetchLike } from './fetch-like.js';
export type { FetchLike } from './fetch-like.js';

export interface ClientOptions {
  /** e.g. http://127.0.0.1:8080 (no trailing /v3). */
  readonly baseUrl: string;
  readonly login: string;
  readonly password: string;
  /** A fetch implementation (defaults to the global one; `createPoolFetch` for many calls to one origin). */
  readonly fetch?: FetchLike;
  /** Aborts a call that has not answered within this many ms (default: no limit). */
  readonly timeoutMs?: number;
  /** False: a redirect answer is an error instead of being followed (default: followed). */
  readonly followRedirects?: boolean;
}

export class SerpqHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: WireEnvelope | null,
  ) {
    super(`HTTP ${status}${body ? `: ${body.status_code} ${body.status_message}` : ''}`);
  }
}

export interface SerpqClient {
  /** POST /v3/serp/{se}/{se_type}/task_post (up to 100 tasks). */
  taskPost(se: string, seType: string, tasks: Record<string, unknown>[]): Promise<WireEnvelope>;
  /** GET tasks_ready at the SERP scope, one engine, or one engine and type. */
  tasksReady(scope?: { se?: string; seType?: string }): Promise<WireEnvelope>;
  /** The rows of a tasks_ready call. */
  readyRows(scope?: { se?: string; seType?: string }): Promise<ReadyRow[]>;
  /** GET /v3/serp/{se}/{se_type}/task_get/{fn}/{id} (the first one collects the task). */
  taskGet(se: string, seType: string, fn: ResultFunction, id: string): Promise<WireEnvelope>;
  /** POST /v3/serp/{se}/{se_type}/live/{fn} (one task). */
  live(se: string, seType: string, fn: ResultFunction, task: Record<string, unknown>): Promise<WireEnvelope>;
  /** POST /v3/{api}/id_list (`serp` unless given). */
  idList(query: Record<string, unknown>, api?: string): Promise<WireEnvelope>;
  /** POST /v3/{api}/errors (`serp` unless given). */
  errors(query?: Record<string, unknown>, api?: string): Promise<WireEnvelope>;
  /**
   * Any API, by the vendor's paths (written after `/v3/`, without slashes at the ends):
   * `request('GET', 'keywords_data/google_ads/locations')`.
   */
  request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<WireEnvelope>;
  /** POST /v3/{type}/task_post, e.g. `taskPostOf('keywords_data/google_ads/search_volume', tasks)`. */
  taskPostOf(type: string, tasks: Record<string, unknown>[]): Promise<WireEnvelope>;
  /** GET /v3/{scope}/tasks_ready: an API (`keywords_data`) or one type (`merchant/google/products`). */
  tasksReadyOf(scope: string): Promise<WireEnvelope>;
  /** GET /v3/{type}/task_get[/{fn}]/{id}: `fn` where the type has functions (`advanced`, `html`). */
  taskGetOf(type: string, id: string, fn?: string): Promise<WireEnvelope>;
  /** POST a live endpoint: `liveOf('dataforseo_labs/google/ranked_keywords/live', [task])`. */
  liveOf(path: string, tasks: Record<string, unknown>[]): Promise<WireEnvelope>;
  /** POST /v3/appendix/webhook_resend. */
  webhookResend(ids: string[]): Promise<WireEnvelope>;
  /** GET /v3/appendix/user_data. */
  userData(): Promise<WireEnvelope>;
}

export function createClient(options: ClientOptions): SerpqClient {
  const doFetch: FetchLike = options.fetch ?? fetch;
  const base = options.baseUrl.replace(/\/+$/, '');
  const auth = 'Basic ' + Buffer.from(`${options.login}:${options.password}`).toString('base64');

  async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<WireEnvelope> {
    const res = await doFetch(base + path, {
      method,
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined,
      redirect: options.followRedirects === false ? 'manual' : 'follow',
    });
    const text = await res.text();
    let parsed: WireEnvelope | null = null;
    try {
      parsed = JSON.parse(text) as WireEnvelope;
    } catch {
      parsed = null;
    }
    // The vendor answers 200 for almost everything; 401, 402, 404 and 500 still carry an envelope.
    if (res.status !== 200 || !parsed) throw new SerpqHttpError(res.status, parsed);
    return parsed;
  }
  const readyPath = (scope: { se?: string; seType?: string } = {}) =>
    `/v3/serp/${scope.se ? `${scope.se}/` : ''}${scope.se && scope.seType ? `${scope.seType}/` : ''}tasks_ready`;
  const seg = encodeURIComponent;
  /** A path after /v3/ with each segment encoded (slashes at the ends dropped). */
  const v3 = (path: string) =>
    '/v3/' +
    path
      .replace(/^\/+|\/+$/g, '')
      .split('/')
      .map(seg)
      .join('/');

  return {
    taskPost: (se, seType, tasks) => call('POST', `/v3/serp/${seg(se)}/${seg(seType)}/task_post`, tasks),
    tasksReady: (scope) => call('GET', readyPath(scope)),
    async readyRows(scope) {
      const env = await call('GET', readyPath(scope));
      return (env.tasks?.[0]?.result ?? []) as ReadyRow[];
    },
    taskGet: (se, seType, fn, id) => call('GET', `/v3/serp/${seg(se)}/${seg(seType)}/task_get/${fn}/${seg(id)}`),
    live: (se, seType, fn, task) => call('POST', `/v3/serp/${seg(se)}/${seg(seType)}/live/${fn}`, [task]),
    idList: (query, api = 'serp') => call('POST', v3(`${api}/id_list`), [query]),
    errors: (query = {}, api = 'serp') => call('POST', v3(`${api}/errors`), [query]),
    request: (method, path, body) => call(method, v3(path), body),
    taskPostOf: (type, tasks) => call('POST', v3(`${type}/task_post`), tasks),
    tasksReadyOf: (scope) => call('GET', v3(`${scope}/tasks_ready`)),
    taskGetOf: (type, id, fn) => call('GET', v3(fn ? `${type}/task_get/${fn}/${id}` : `${type}/task_get/${id}`)),
    liveOf: (path, tasks) => call('POST', v3(path), tasks),
    webhookResend: (ids) =>
      call(
        'POST',
        '/v3/appendix/webhook_resend',
        ids.map((id) => ({ id })),
      ),
    userData: () => call('GET', '/v3/appendix/user_data'),
  };
}
export { createPoolFetch, type PoolFetch } from './pool-fetch.js';
