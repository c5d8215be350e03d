import { API_VERSION, pathSegments } from '../contracts/envelope.js';
import { ID_FAMILY, newId } from '../domain/ids.js';
import { READY_PAGE_SIZE, READY_WINDOW_MS } from '../domain/task.js';
import { formatDuration } from '../domain/time-format.js';
import { elapsedMs } from './deps.js';
/**
 * tasks_ready at any scope: the caller's completed, uncollected tasks of the last 3 days (without a
 * postback, or whose postback failed), oldest completion first, at most 1000. Free.
 *
 * The rows are JSON text written once at task_post, so the page is assembled by joining strings: no
 * row is parsed or serialised per request. Only the small envelope around them is built here.
 */
export async function listReady(deps, ctx, scope, fn = 'tasks_ready') {
    const now = deps.clock.now();
    const rows = fn === 'tasks_ready' ? await deps.store.listReady(ctx.account.id, scope, now - READY_WINDOW_MS, READY_PAGE_SIZE) : [];
    const data = { api: 'serp', function: fn };
    if (scope.se)
        data.se = scope.se;
    if (scope.seType)
        data.se_type = scope.seType;
    const time = formatDuration(elapsedMs(ctx));
    const id = newId(now, ctx.account.id, ID_FAMILY.TASKS_READY);
    return (`{"version":"${API_VERSION}","status_code":20000,"status_message":"Ok.","time":"${time}","cost":0,"tasks_count":1,"tasks_error":0,` +
        `"tasks":[{"id":"${id}","status_code":20000,"status_message":"Ok.","time":"${time}","cost":0,"result_count":${rows.length},` +
        `"path":${JSON.stringify(pathSegments(ctx.url))},"data":${JSON.stringify(data)},"result":[${rows.join(',')}]}]}`);
}
