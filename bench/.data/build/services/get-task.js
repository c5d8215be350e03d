import { gunzipSync } from 'node:zlib';
import { EXAMPLE_TASK_ID, isTaskId } from '../domain/ids.js';
import { STATUS } from '../domain/status-codes.js';
import { HTML_RETENTION_MS, RESULT_RETENTION_MS } from '../domain/task.js';
import { parseTaskRequest } from '../domain/task-request.js';
import { formatDateTime } from '../domain/time-format.js';
import { envelope, pathSegments, wireTask } from '../contracts/envelope.js';
import { elapsedMs } from './deps.js';
/**
 * task_get/{regular|advanced|html}/{id}. Answers with the task's own id and status: 40602 while it
 * is queued or running (result null), the task's terminal code after a failed execution, and the
 * result after success. The first answer for a completed task collects it (it leaves tasks_ready).
 * Another account's task answers 40001 and never shows its data.
 */
export async function getTask(deps, ctx, def, fn, id) {
    const path = pathSegments(ctx.url);
    const now = deps.clock.now();
    const answer = (status, data, result = null) => envelope(STATUS.OK, {
        timeMs: elapsedMs(ctx),
        tasks: [wireTask(id, status, { timeMs: elapsedMs(ctx), path, data, result })],
    });
    const baseData = { api: 'serp', function: 'task_get', se: def.se, se_type: def.seType };
    if (id === EXAMPLE_TASK_ID) {
        const example = deps.executor.example?.(def, fn, formatDateTime(now));
        if (!example)
            return answer(STATUS.NO_PREPARED_DATA, baseData);
        return answer(STATUS.OK, { ...baseData, keyword: 'albert einstein', location_code: 2840, language_code: 'en', device: 'desktop', os: 'windows' }, [example]);
    }
    if (!isTaskId(id))
        return answer(STATUS.TASK_NOT_FOUND, baseData);
    const task = await deps.store.taskById(id);
    if (!task)
        return answer(STATUS.TASK_NOT_FOUND, baseData);
    if (task.accountId !== ctx.account.id)
        return answer(STATUS.ID_OTHER_CLIENT, baseData);
    if (task.se !== def.se)
        return answer(STATUS.ID_OTHER_SE, baseData);
    if (task.seType !== def.seType)
        return answer(STATUS.ID_OTHER_SE_TYPE, baseData);
    const data = taskData(task);
    if (task.state !== 'done' || task.completedAt === null)
        return answer(STATUS.TASK_IN_QUEUE, data);
    const retention = fn === 'html' ? HTML_RETENTION_MS : RESULT_RETENTION_MS;
    if (now - task.completedAt > retention)
        return answer(STATUS.RESULTS_EXPIRED, data);
    await deps.store.markCollected(task.id, now);
    if (task.statusCode !== STATUS.OK.code) {
        return answer({ code: task.statusCode ?? STATUS.TASK_EXECUTION_FAILED.code, message: task.statusMessage ?? STATUS.TASK_EXECUTION_FAILED.message }, data);
    }
    const result = await resultOf(deps, task, def, fn);
    if (result === null)
        return answer(STATUS.NO_PREPARED_DATA, data);
    return answer(STATUS.OK, data, [result]);
}
/** The task's `data` echo as answered by task_get. */
export function taskData(task) {
    const data = JSON.parse(task.data);
    data.function = 'task_get';
    return data;
}
/** A completed task's result for a function: rendered on read by deterministic executors, else stored. */
export async function resultOf(deps, task, def, fn) {
    if (deps.executor.render) {
        const parsed = parseTaskRequest(def, JSON.parse(task.data), 'task_post');
        if (parsed.ok) {
            const rendered = deps.executor.render({ id: task.id, def, request: parsed.task, postedAt: task.postedAt }, fn, formatDateTime(task.completedAt ?? task.postedAt));
            if (rendered !== null)
                return rendered;
        }
    }
    const stored = await deps.store.resultOf(task.id, fn);
    return stored ? JSON.parse(gunzipSync(stored).toString('utf8')) : null;
}
