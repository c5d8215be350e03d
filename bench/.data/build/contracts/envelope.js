import { formatDuration } from '../domain/time-format.js';
import { microToUsd } from '../domain/pricing.js';
/**
 * The vendor's response envelope (https://docs.dataforseo.com/v3/appendix/errors/ and every endpoint
 * page): snake_case exactly as on the wire. Builders here are the only place envelopes are made.
 */
/** Build stamp in the vendor's `0.1.YYYYMMDD` form. */
export const API_VERSION = '0.1.20261128';
/** Task-level codes that are not errors: success, created, and the two "not ready yet" answers. */
const NON_ERROR = new Set([20000, 20100, 40601, 40602]);
export function isTaskError(code) {
    return !NON_ERROR.has(code);
}
/** `path` of a task entry: the URL path split on "/" (query string dropped). */
export function pathSegments(url) {
    const q = url.indexOf('?');
    return (q >= 0 ? url.slice(0, q) : url).split('/').filter((s) => s.length > 0);
}
export function wireTask(id, status, opts) {
    const result = opts.result ?? null;
    return {
        id,
        status_code: status.code,
        status_message: status.message,
        time: formatDuration(opts.timeMs),
        cost: microToUsd(opts.costMicro ?? 0),
        result_count: result ? result.length : 0,
        path: opts.path,
        data: opts.data,
        result,
    };
}
export function envelope(status, opts) {
    const tasks = opts.tasks;
    let errors = 0;
    if (tasks)
        for (const t of tasks)
            if (isTaskError(t.status_code))
                errors++;
    return {
        version: API_VERSION,
        status_code: status.code,
        status_message: status.message,
        time: formatDuration(opts.timeMs),
        cost: microToUsd(opts.costMicro ?? 0),
        tasks_count: tasks ? tasks.length : 0,
        tasks_error: errors,
        tasks,
    };
}
