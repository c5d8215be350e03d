import { type WireEnvelope, envelope, pathSegments, wireTask } from '../contracts/envelope.js';
import { type ApiCatalog, type Endpoint, type TaskType, cachedApi, isApiName, loadApi } from '../domain/api-catalog/index.js';
import { readyRowJson, readyScopeOf, taskPostEndpoint, taskResultKey, typeColumns, typeOfTask } from '../domain/api-catalog/tasks.js';
import { checkTask } from '../domain/api-catalog/validate.js';
import { subscriptionDenial } from '../domain/api-prices.js';
import { endpointChargeMicro } from '../domain/api-pricing.js';
import { crawlDurationMs } from '../domain/crawl.js';
import { isTaskId } from '../domain/ids.js';
import { STATUS, type StatusDef } from '../domain/status-codes.js';
import { HTML_RETENTION_MS, RESULT_RETENTION_MS } from '../domain/task.js';
import { formatDateTime } from '../domain/time-format.js';
import type { CatalogTaskInput, Executor } from '../executors/executor.js';
import type { ReadyScope, TaskRow } from '../store/store.js';
import { decodeResult } from '../store/stored-result.js';
import { type CallContext, type ServiceDeps, elapsedMs } from './deps.js';
import { completedAnswer } from './get-task.js';
import type { PostedType } from './post-tasks.js';

/**
 * The task system for the task types of every API but SERP (Keywords Data, Merchant, App Data,
 * Business Data, On-Page, AI Optimization): task_post reads a task by its type's request rules in the
 * catalog (src/domain/api-catalog/) and prices it from the price table; task_get answers a completed
 * task's result per function. The queue, the worker, tasks_ready, postbacks and pingbacks, id_list and
 * errors are SERP's own, with the task's API beside its se and se_type.
 */

/**
 * A catalog type as task_post reads it: checked against its task_post request rules (`checkTask`),
 * priced at the vendor's price for a task posted with that priority. An account without the API's
 * subscription gets the vendor's 40204 on every task.
 */
export function catalogPostedType(api: ApiCatalog, type: TaskType, endpoint: Endpoint, noSubscriptions: readonly string[]): PostedType {
  const { se, seType } = typeColumns(type.type);
  const denied = subscriptionDenial(noSubscriptions, endpoint.path);
  return {
    api: api.api,
    se,
    seType,
    echo: checkTask(endpoint, null).data,
    read(task) {
      const checked = checkTask(endpoint, task);
      if (denied) return { ok: false, code: denied.statusCode, message: denied.statusMessage, data: checked.data };
      if (!checked.ok) return checked;
      const { data, params } = checked;
      const priority = params.priority === 2 ? 2 : 1;
      const tag = typeof params.tag === 'string' ? params.tag : null;
      const text = (k: string) => (typeof params[k] === 'string' ? (params[k] as string) : null);
      return {
        ok: true,
        data,
        priority,
        tag,
        postbackUrl: type.postback ? text('postback_url') : null,
        postbackData: type.postback && text('postback_url') !== null ? text('postback_data') : null,
        pingbackUrl: type.pingback ? text('pingback_url') : null,
        costMicro: endpointChargeMicro(endpoint.path, { live: false, priority }, params, null),
        minDurationMs: type.type === 'on_page' ? crawlDurationMs(String(params.target), Number(params.max_crawl_pages)) : undefined,
        readyJson: (id, postedAt) => readyRowJson(api, type, id, postedAt, tag, params),
      };
    },
  };
}

/** A stored task's catalog type and checked request, or null when it is a SERP task or no longer checks. */
export async function catalogTaskOf(
  task: Pick<TaskRow, 'id' | 'api' | 'se' | 'seType' | 'data' | 'postedAt' | 'accountId'>,
): Promise<CatalogTaskInput | null> {
  if (task.api === 'serp' || !isApiName(task.api)) return null;
  const api = cachedApi(task.api) ?? (await loadApi(task.api));
  const type = api.types[typeOfTask(task.api, task.se, task.seType)];
  const post = type ? taskPostEndpoint(api, type.type) : undefined;
  if (!type || !post) return null;
  const checked = checkTask(post, JSON.parse(task.data));
  if (!checked.ok) return null;
  return { id: task.id, api, type, params: checked.params, postedAt: task.postedAt, accountId: task.accountId };
}

/**
 * The `result` array of a completed catalog task for one of its task_get endpoints: rendered on read
 * by a deterministic executor, else the stored result of that function (`taskResultKey`), else fetched by an executor whose
 * results come from elsewhere (the relay: another function than the one collected); null when none.
 */
export async function catalogTaskResult(
  executor: Partial<Pick<Executor, 'renderTask' | 'fetchTaskResult'>> | null,
  input: CatalogTaskInput,
  endpoint: Endpoint,
  completedAt: number,
  stored: (key: string) => Uint8Array | null | Promise<Uint8Array | null> = () => null,
): Promise<unknown[] | null> {
  if (executor?.renderTask) {
    const rendered = await executor.renderTask(input, endpoint, formatDateTime(completedAt));
    if (rendered !== null) return rendered;
  }
  const body = await stored(taskResultKey(endpoint.fn));
  if (body) {
    const value = decodeResult(body);
    return Array.isArray(value) ? value : null;
  }
  return executor?.fetchTaskResult ? executor.fetchTaskResult(input, endpoint) : null;
}

/** The answer of a catalog task's task_get, whose `data` is the stored echo (its `function` is the type's). */
export function catalogTaskEnvelope(
  task: Pick<TaskRow, 'id' | 'data' | 'statusCode' | 'statusMessage'>,
  call: { path: string[]; startedAt: number },
  result: unknown[] | null,
): WireEnvelope {
  return completedAnswer(task, call, JSON.parse(task.data) as Record<string, unknown>, result);
}

/**
 * task_get of a catalog type, `endpoint` being one of its task_get endpoints: the rules of SERP's
 * (40602 while queued or running, the terminal code after a failed execution, 40403 past retention,
 * another account's task 40001 without its data, another type's 40002 / 40003), and the first answer
 * for a completed task collects it.
 */
export async function getCatalogTask(
  deps: ServiceDeps,
  ctx: CallContext,
  api: ApiCatalog,
  endpoint: Endpoint,
  rawId: string,
): Promise<WireEnvelope> {
  const id = rawId.toLowerCase();
  const path = pathSegments(ctx.url);
  const now = deps.clock.now();
  const type = endpoint.type!;
  const { se, seType } = typeColumns(type);
  const baseData = checkTask(taskPostEndpoint(api, type) ?? endpoint, null).data;
  const answer = (status: StatusDef | { code: number; message: string }, data: Record<string, unknown> | null): WireEnvelope =>
    envelope(STATUS.OK, { timeMs: elapsedMs(ctx), tasks: [wireTask(id, status, { timeMs: elapsedMs(ctx), path, data, result: null })] });

  if (!isTaskId(id)) return answer(STATUS.TASK_NOT_FOUND, baseData);
  const task = await deps.store.taskById(id);
  if (!task) return answer(STATUS.TASK_NOT_FOUND, baseData);
  if (task.accountId !== ctx.account.id) return answer(STATUS.ID_OTHER_CLIENT, baseData);
  if (task.api !== api.api || task.se !== se) return answer(STATUS.ID_OTHER_SE, baseData);
  if (task.seType !== seType) return answer(STATUS.ID_OTHER_SE_TYPE, baseData);
  const stored = JSON.parse(task.data) as Record<string, unknown>;
  if (task.state !== 'done' || task.completedAt === null) return answer(STATUS.TASK_IN_QUEUE, stored);
  const retention = endpoint.fn === 'html' ? HTML_RETENTION_MS : RESULT_RETENTION_MS;
  if (now - task.completedAt > retention) return answer(STATUS.RESULTS_EXPIRED, stored);

  await deps.store.markCollected(task.id, now);
  let result: unknown[] | null = null;
  if (task.statusCode === STATUS.OK.code) {
    const input = await catalogTaskOf(task);
    result = input
      ? await catalogTaskResult(deps.executor, input, endpoint, task.completedAt, (key) => deps.store.resultOf(task.id, key))
      : null;
  }
  return catalogTaskEnvelope(task, { path, startedAt: ctx.startedAt }, result);
}

/**
 * Whether this process serves a catalog endpoint of the task system: task_post, task_get (id in the
 * path) and tasks_ready of every API but SERP (whose routes are its own), when the executor runs
 * catalog tasks. On-Page's functions over a crawl (summary, pages, …) and force_stop are
 * services/on-page.ts's.
 */
export function servesTaskEndpoint(endpoint: Endpoint, executor: Partial<Pick<Executor, 'executeTask'>>): boolean {
  if (!executor.executeTask || endpoint.api === 'serp' || endpoint.api === 'appendix') return false;
  if (endpoint.kind === 'task_post' || endpoint.kind === 'tasks_ready') return true;
  return endpoint.kind === 'task_get' && endpoint.idIn === 'path' && endpoint.type !== 'on_page';
}

/** The store scope a catalog tasks_ready endpoint lists, or null when the catalog has no such scope. */
export function catalogReadyScope(api: ApiCatalog, endpoint: Endpoint): ReadyScope | null {
  const scope = api.tasksReady.find((s) => s.path === endpoint.path);
  return scope ? readyScopeOf(api, scope) : null;
}
