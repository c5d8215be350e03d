/**
 * The official client's runs over every API class, against any serpq base URL (an in-process app, a
 * relay process): every method of a live endpoint or reference list, and the task methods of the
 * other APIs' task types in the order a user calls them. Each returns the failures it saw (a method
 * that threw, or answered outside 2xxxx), naming the class and method.
 */
import * as client from 'dataforseo-client';
import { type Endpoint, API_NAMES, loadApi } from '../../src/domain/api-catalog/index.js';
import { createSandboxExecutor } from '../../src/executors/sandbox/sandbox-executor.js';
import { servesTaskEndpoint } from '../../src/services/catalog-tasks.js';
import { servesEndpoint } from '../../src/services/endpoint-calls.js';
import { minimalRequest } from './catalog-requests.js';

interface ClientAnswer {
  status_code?: number;
  tasks?: Array<{ status_code?: number; status_message?: string; id?: string }>;
}
type ClientClass = new (base: string, http: unknown) => Record<string, (...args: unknown[]) => Promise<ClientAnswer>>;

/** The client's `http` option: its fetch with Basic credentials. */
export const basicAuth = (login: string, password: string) => ({
  fetch: (url: RequestInfo, init?: RequestInit) =>
    fetch(url, { ...init, headers: { ...init?.headers, Authorization: `Basic ${btoa(`${login}:${password}`)}` } }),
});

function caller(base: string, http: unknown, failures: string[]) {
  return async (e: Endpoint, ...args: unknown[]): Promise<ClientAnswer | null> => {
    const Api = (client as unknown as Record<string, ClientClass>)[e.clientClass!];
    if (!Api) {
      failures.push(`${e.clientClass} is not exported by the client`);
      return null;
    }
    try {
      const answer = await new Api(base, http)[e.clientMethod!]!(...args);
      const code = answer?.tasks?.[0]?.status_code ?? answer?.status_code;
      if (!code || code < 20000 || code >= 30000)
        failures.push(`${e.clientClass}.${e.clientMethod}: ${code} ${answer?.tasks?.[0]?.status_message}`);
      return answer;
    } catch (err) {
      failures.push(`${e.clientClass}.${e.clientMethod}: threw ${(err as Error).message?.slice(0, 200)}`);
      return null;
    }
  };
}

/** Every client method of a served live endpoint or reference list outside the SERP engine's own live paths. */
export async function liveMethods(): Promise<Endpoint[]> {
  const endpoints: Endpoint[] = [];
  const serpEngine = /^serp\/[^/]+\/[^/]+\/live/;
  for (const name of API_NAMES)
    for (const e of (await loadApi(name)).endpoints) if (e.clientMethod && servesEndpoint(e) && !serpEngine.test(e.path)) endpoints.push(e);
  return endpoints;
}

/** Calls every method of `endpoints` with a request of the documented required fields. */
export async function callLiveMethods(base: string, http: unknown, endpoints: readonly Endpoint[]): Promise<string[]> {
  const failures: string[] = [];
  const call = caller(base, http, failures);
  for (const e of endpoints)
    await call(e, ...(e.method === 'POST' ? [[minimalRequest(e)]] : e.params.map((p) => (p === 'country' ? 'us' : 'x'))));
  return failures;
}

/** What serves the other APIs' task types (the sandbox and the relay serve the same ones). */
const sandbox = createSandboxExecutor({ latency: { normal: 0, high: 0 } });

/** Every task_post, tasks_ready and task_get method of the other APIs' task types. */
export async function taskMethods(): Promise<Endpoint[]> {
  const endpoints: Endpoint[] = [];
  for (const name of API_NAMES)
    for (const e of (await loadApi(name)).endpoints) if (e.clientMethod && servesTaskEndpoint(e, sandbox)) endpoints.push(e);
  return endpoints;
}

/**
 * Posts a task of every type, lets `settle` run them (and move the clock past On-Page crawls), reads
 * every tasks_ready, then every task_get function of each posted task (On-Page's functions over a
 * crawl with its id in a posted task).
 */
export async function callTaskMethods(
  base: string,
  http: unknown,
  endpoints: readonly Endpoint[],
  settle: () => Promise<void>,
): Promise<string[]> {
  const failures: string[] = [];
  const call = caller(base, http, failures);
  const byKind = (kind: string) => endpoints.filter((e) => e.kind === kind);
  const ids = new Map<string, string>();
  for (const e of byKind('task_post')) {
    const id = (await call(e, [minimalRequest(e)]))?.tasks?.[0]?.id;
    if (id) ids.set(e.type!, id);
  }
  await settle();
  for (const e of byKind('tasks_ready')) await call(e);
  for (const e of byKind('task_get')) {
    const id = ids.get(e.type!);
    if (id) await call(e, e.idIn === 'body' ? [{ ...minimalRequest(e), id }] : id);
    else failures.push(`${e.clientClass}.${e.clientMethod}: no task of ${e.type} was posted`);
  }
  return failures;
}
