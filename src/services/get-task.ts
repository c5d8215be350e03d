import type { ResultFunction, SeTypeDef } from '../domain/catalog.js';
import { EXAMPLE_TASK_ID, isTaskId } from '../domain/ids.js';
import { STATUS, type StatusDef } from '../domain/status-codes.js';
import { HTML_RETENTION_MS, RESULT_RETENTION_MS } from '../domain/task.js';
import { parseTaskRequest } from '../domain/task-request.js';
import { formatDateTime } from '../domain/time-format.js';
import { RawJson, type WireEnvelope, envelope, pathSegments, wireTask } from '../contracts/envelope.js';
import type { Executor } from '../executors/executor.js';
import type { TaskRow } from '../store/store.js';
import { decodeResultText } from '../store/stored-result.js';
import { type CallContext, type ServiceDeps, elapsedMs } from './deps.js';

/**
 * task_get/{regular|advanced|html}/{id}. Answers with the task's own id and status: 40602 while it
 * is queued or running (result null), the task's terminal code after a failed execution, and the
 * result after success. The first answer for a completed task collects it (it leaves tasks_ready).
 * Another account's task answers 40001 and never shows its data.
 */
export async function getTask(deps: ServiceDeps, ctx: CallContext, def: SeTypeDef, fn: ResultFunction, id: string): Promise<WireEnvelope> {
  const path = pathSegments(ctx.url);
  const now = deps.clock.now();
  const answer = (
    status: StatusDef | { code: number; message: string },
    data: Record<string, unknown> | null,
    result: unknown[] | null = null,
  ): WireEnvelope =>
    envelope(STATUS.OK, {
      timeMs: elapsedMs(ctx),
      tasks: [wireTask(id, status, { timeMs: elapsedMs(ctx), path, data, result })],
    });
  const baseData = { api: 'serp', function: 'task_get', se: def.se, se_type: def.seType };

  if (id === EXAMPLE_TASK_ID) {
    const example = deps.executor.example?.(def, fn, formatDateTime(now));
    if (!example) return answer(STATUS.NO_PREPARED_DATA, baseData);
    return answer(
      STATUS.OK,
      { ...baseData, keyword: 'albert einstein', location_code: 2840, language_code: 'en', device: 'desktop', os: 'windows' },
      [example],
    );
  }
  if (!isTaskId(id)) return answer(STATUS.TASK_NOT_FOUND, baseData);

  const task = await deps.store.taskById(id);
  if (!task) return answer(STATUS.TASK_NOT_FOUND, baseData);
  if (task.accountId !== ctx.account.id) return answer(STATUS.ID_OTHER_CLIENT, baseData);
  if (task.se !== def.se) return answer(STATUS.ID_OTHER_SE, baseData);
  if (task.seType !== def.seType) return answer(STATUS.ID_OTHER_SE_TYPE, baseData);

  if (task.state !== 'done' || task.completedAt === null) return answer(STATUS.TASK_IN_QUEUE, taskData(task));

  const retention = fn === 'html' ? HTML_RETENTION_MS : RESULT_RETENTION_MS;
  if (now - task.completedAt > retention) return answer(STATUS.RESULTS_EXPIRED, taskData(task));

  await deps.store.markCollected(task.id, now);
  return completedTaskEnvelope(deps, task, def, fn, { path, startedAt: ctx.startedAt });
}

/**
 * The task_get/{fn} envelope of a completed task: its terminal code with a null result after a failed
 * execution, else the result. The body of a postback is exactly this.
 */
export async function completedTaskEnvelope(
  deps: ServiceDeps,
  task: TaskRow,
  def: SeTypeDef,
  fn: ResultFunction,
  call: { path: string[]; startedAt: number },
): Promise<WireEnvelope> {
  return taskEnvelope(task, fn, call, (params) => resultOf(deps, task, def, fn, params));
}

/**
 * The envelope of a completed task with its result from `result` (given the parsed request). Kept
 * free of the store so that postback bodies can be built off the main thread.
 */
export async function taskEnvelope(
  task: TaskRow,
  fn: ResultFunction,
  call: { path: string[]; startedAt: number },
  result: (params: Record<string, unknown>) => unknown | Promise<unknown>,
): Promise<WireEnvelope> {
  // The stored request is parsed once: it is both the `data` echo and what a renderer reads.
  const params = JSON.parse(task.data) as Record<string, unknown>;
  const data = { ...params, function: 'task_get' };
  let value: unknown[] | null = null;
  if (task.statusCode === STATUS.OK.code) {
    const found = await result(params);
    value = found === null || found === undefined ? null : [found];
  }
  return completedAnswer(task, call, data, value);
}

/**
 * The task_get envelope of a completed task given its result: the terminal code with a null result
 * after a failed execution, 40404 when no result was found, else the result.
 */
export function completedAnswer(
  task: Pick<TaskRow, 'id' | 'statusCode' | 'statusMessage'>,
  call: { path: string[]; startedAt: number },
  data: Record<string, unknown>,
  result: unknown[] | null,
): WireEnvelope {
  let status: StatusDef | { code: number; message: string } = STATUS.OK;
  let value: unknown[] | null = null;
  if (task.statusCode !== STATUS.OK.code) {
    status = {
      code: task.statusCode ?? STATUS.TASK_EXECUTION_FAILED.code,
      message: task.statusMessage ?? STATUS.TASK_EXECUTION_FAILED.message,
    };
  } else if (result === null) status = STATUS.NO_PREPARED_DATA;
  else value = result;
  const timeMs = elapsedMs(call);
  return envelope(STATUS.OK, { timeMs, tasks: [wireTask(task.id, status, { timeMs, path: call.path, data, result: value })] });
}

/** The task's `data` echo as answered by task_get. */
export function taskData(task: TaskRow): Record<string, unknown> {
  const data = JSON.parse(task.data) as Record<string, unknown>;
  data.function = 'task_get';
  return data;
}

/** A completed task's result for a function: rendered on read by deterministic executors, else stored. */
export async function resultOf(
  deps: ServiceDeps,
  task: TaskRow,
  def: SeTypeDef,
  fn: ResultFunction,
  params: Record<string, unknown> = JSON.parse(task.data) as Record<string, unknown>,
): Promise<unknown | null> {
  const rendered = renderedResult(deps.executor, task, def, fn, params);
  if (rendered !== null) return rendered;
  const stored = storedResult(await deps.store.resultOf(task.id, fn));
  if (stored !== null || !deps.executor.fetchResult || task.statusCode !== STATUS.OK.code) return stored;
  // Stored for one function at completion; the others are fetched on their first read.
  return deps.executor.fetchResult(task.id, def, fn);
}

/** The result a deterministic executor renders for a task, or null when it renders none. */
export function renderedResult(
  executor: Pick<Executor, 'render'>,
  task: TaskRow,
  def: SeTypeDef,
  fn: ResultFunction,
  params: Record<string, unknown>,
): unknown | null {
  if (!executor.render) return null;
  const parsed = parseTaskRequest(def, params, 'task_post');
  if (!parsed.ok) return null;
  return executor.render(
    { id: task.id, def, request: parsed.task, params, postedAt: task.postedAt },
    fn,
    formatDateTime(task.completedAt ?? task.postedAt),
  );
}

/** A stored result (stored-result.ts), or null when none was stored. */
export function storedResult(gz: Uint8Array | null): unknown | null {
  // Spliced into the answer as stored text: never parsed only to be serialised again.
  return gz ? new RawJson(decodeResultText(gz)) : null;
}
