import { type WireTask, envelope, pathSegments, wireTask } from '../contracts/envelope.js';
import type { Endpoint } from '../domain/api-catalog/index.js';
import { checkTask } from '../domain/api-catalog/validate.js';
import { crawlState } from '../domain/crawl.js';
import { ID_FAMILY, isTaskId, newId } from '../domain/ids.js';
import { STATUS, type StatusDef } from '../domain/status-codes.js';
import { RESULT_RETENTION_MS } from '../domain/task.js';
import { formatDateTime } from '../domain/time-format.js';
import type { TaskIntake, TaskReads } from '../store/store.js';
import { catalogTaskOf } from './catalog-tasks.js';
import { type CallContext, type ServiceDeps, elapsedMs } from './deps.js';
import type { ServiceResult } from './webhooks.js';

/**
 * On-Page's functions over a crawl task (`on_page/summary/{id}`, and `on_page/pages`,
 * `resources`, `links`, … with the task's `id` in each posted task) and `on_page/force_stop`. A crawl
 * progresses with the clock (domain/crawl.ts): every function answers from the same crawl, while it
 * runs (`crawl_progress: in_progress`, the pages crawled so far) and once it has finished, when the
 * first answer collects the task (it leaves on_page/tasks_ready). The functions are free; the crawl
 * was charged at task_post. force_stop ends a crawl now: the worker completes its task, with the
 * pages crawled by then and `crawl_stop_reason: force_stopped`.
 */

type Deps = ServiceDeps<Pick<TaskIntake, 'expediteTask'> & Pick<TaskReads, 'taskById' | 'markCollected'>>;

/** The kind of task an On-Page function reads: its crawl task (api on_page, no se or se_type). */
const isCrawl = (t: { api: string; se: string; seType: string }) => t.api === 'on_page' && t.se === '' && t.seType === '';

/** Whether an endpoint is one of the functions over a crawl, or force_stop. */
export function isCrawlEndpoint(endpoint: Endpoint): boolean {
  return endpoint.api === 'on_page' && endpoint.type === 'on_page' && (endpoint.kind === 'task_get' || endpoint.ref === 'force_stop');
}

/** One call of a function over crawls, or of force_stop: `pathId` for `summary/{id}`, else the posted tasks. */
export async function callCrawlFunction(
  deps: Deps,
  ctx: CallContext,
  endpoint: Endpoint,
  pathId: string | undefined,
  body: unknown,
): Promise<ServiceResult> {
  const path = pathSegments(ctx.url);
  const top = (s: StatusDef): ServiceResult => ({ httpStatus: s.http, body: envelope(s, { timeMs: elapsedMs(ctx), tasks: null }) });
  let tasks: unknown[];
  if (endpoint.idIn === 'path') tasks = [{ id: pathId }];
  else if (body === undefined || body === null || (Array.isArray(body) && body.length === 0)) return top(STATUS.POST_DATA_EMPTY);
  else if (!Array.isArray(body)) return top(STATUS.POST_DATA_INVALID);
  else tasks = body;
  const entries: WireTask[] = [];
  // A refused entry has an id of its own; an answered one is its crawl task's.
  const refusedId = () => newId(deps.clock.now(), ctx.account.id, ID_FAMILY.TASK_POST);
  for (const [i, posted] of tasks.entries()) {
    if (i >= 100) {
      entries.push(wireTask(refusedId(), STATUS.TOO_MANY_TASKS, { timeMs: 0, path, data: checkTask(endpoint, null).data }));
      continue;
    }
    const checked = endpoint.idIn === 'path' ? null : checkTask(endpoint, posted);
    if (checked && !checked.ok) {
      entries.push(wireTask(refusedId(), { code: checked.code, message: checked.message }, { timeMs: 0, path, data: checked.data }));
      continue;
    }
    const call = checked?.params ?? (posted as Record<string, unknown>);
    const data = checked?.data ?? { ...checkTask(endpoint, null).data, id: pathId };
    entries.push(await oneCall(deps, ctx, endpoint, String(call.id ?? '').toLowerCase(), call, data, path));
  }
  return { httpStatus: 200, body: envelope(STATUS.OK, { timeMs: elapsedMs(ctx), tasks: entries }) };
}

async function oneCall(
  deps: Deps,
  ctx: CallContext,
  endpoint: Endpoint,
  taskId: string,
  call: Readonly<Record<string, unknown>>,
  data: Record<string, unknown>,
  path: string[],
): Promise<WireTask> {
  const answer = (status: StatusDef | { code: number; message: string }, result: unknown[] | null = null) =>
    wireTask(taskId, status, { timeMs: elapsedMs(ctx), path, data, result });
  if (!isTaskId(taskId)) return answer(STATUS.TASK_NOT_FOUND);
  const task = await deps.store.taskById(taskId);
  if (!task) return answer(STATUS.TASK_NOT_FOUND);
  if (task.accountId !== ctx.account.id) return answer(STATUS.ID_OTHER_CLIENT);
  if (!isCrawl(task)) return answer(task.api === 'on_page' ? STATUS.ID_OTHER_SE_TYPE : STATUS.ID_OTHER_SE);
  const now = deps.clock.now();
  const done = task.state === 'done' && task.completedAt !== null;

  if (deps.executor.callTaskFunction) {
    // The crawl runs where the executor sent it (the relay's upstream): that answers the function.
    if (done && now - task.completedAt! > RESULT_RETENTION_MS) return answer(STATUS.RESULTS_EXPIRED);
    const input = await catalogTaskOf(task);
    if (!input) return answer(STATUS.NO_PREPARED_DATA);
    const out = await deps.executor.callTaskFunction(input, endpoint, { ...call, id: task.id });
    if (done && out.statusCode === STATUS.OK.code && endpoint.ref !== 'force_stop') await deps.store.markCollected(task.id, now);
    return answer({ code: out.statusCode, message: out.statusMessage }, out.result);
  }
  if (endpoint.ref === 'force_stop') {
    // A crawl still running ends now: its task becomes due, and the worker completes it.
    if (!done && (await deps.store.expediteTask(ctx.account.id, task.id, now))) deps.notifyQueued();
    return answer(STATUS.OK);
  }
  if (done && task.statusCode !== STATUS.OK.code) {
    return answer({ code: task.statusCode ?? STATUS.TASK_EXECUTION_FAILED.code, message: task.statusMessage ?? '' });
  }
  if (done && now - task.completedAt! > RESULT_RETENTION_MS) return answer(STATUS.RESULTS_EXPIRED);
  const input = await catalogTaskOf(task);
  if (!input || !deps.executor.renderTask) return answer(STATUS.NO_PREPARED_DATA);
  const target = String(input.params.target ?? '');
  const crawl = crawlState(target, Number(input.params.max_crawl_pages), task.postedAt, now, done ? task.completedAt : null);
  // The crawl's own request and this call's fields (limit, offset, filters, url, …), seeded by the task id.
  const params = { ...input.params, ...call, id: task.id };
  const result = await deps.executor.renderTask({ ...input, params, crawl }, endpoint, formatDateTime(task.completedAt ?? task.postedAt));
  if (done) await deps.store.markCollected(task.id, now);
  return result === null ? answer(STATUS.NO_PREPARED_DATA) : answer(STATUS.OK, result);
}
