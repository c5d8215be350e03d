import { formatDuration } from '../domain/time-format.js';
import { microToUsd } from '../domain/pricing.js';
import type { StatusDef } from '../domain/status-codes.js';

/**
 * The vendor's response envelope (https://docs.dataforseo.com/v3/appendix/errors/ and every endpoint
 * page): snake_case exactly as on the wire. Builders here are the only place envelopes are made.
 */

/** Build stamp in the vendor's `0.1.YYYYMMDD` form. */
export const API_VERSION = '0.1.20261128';

/** One entry of `tasks[]`. */
export interface WireTask {
  id: string;
  status_code: number;
  status_message: string;
  time: string;
  cost: number;
  result_count: number;
  path: string[];
  data: Record<string, unknown> | null;
  result: unknown[] | null;
}

/** The top-level envelope. */
export interface WireEnvelope {
  version: string;
  status_code: number;
  status_message: string;
  time: string;
  cost: number;
  tasks_count: number;
  tasks_error: number;
  tasks: WireTask[] | null;
}

/** Task-level codes that are not errors: success, created, and the two "not ready yet" answers. */
const NON_ERROR = new Set([20000, 20100, 40601, 40602]);

export function isTaskError(code: number): boolean {
  return !NON_ERROR.has(code);
}

/** `path` of a task entry: the URL path split on "/" (query string dropped). */
export function pathSegments(url: string): string[] {
  const q = url.indexOf('?');
  return (q >= 0 ? url.slice(0, q) : url).split('/').filter((s) => s.length > 0);
}

export function wireTask(
  id: string,
  status: StatusDef | { code: number; message: string },
  opts: { timeMs: number; costMicro?: number; path: string[]; data: Record<string, unknown> | null; result?: unknown[] | null },
): WireTask {
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

export function envelope(
  status: StatusDef | { code: number; message: string },
  opts: { timeMs: number; costMicro?: number; tasks: WireTask[] | null },
): WireEnvelope {
  const tasks = opts.tasks;
  let errors = 0;
  if (tasks) for (const t of tasks) if (isTaskError(t.status_code)) errors++;
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

/**
 * A value already serialised as JSON text (a renderer that writes its result as text, which is
 * several times cheaper than building objects for JSON.stringify to walk). stringifyEnvelope splices
 * the text in as is; anything else serialising it gets the parsed value, so the output is the same.
 */
export class RawJson {
  constructor(readonly text: string) {}

  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

/** A placeholder no other string of an envelope can serialise to (fixed per process). */
const RAW_MARK = `\u0000raw-${Math.random().toString(36).slice(2)}-`;

/** JSON.stringify of an envelope, with results that are RawJson spliced in as their text. */
export function stringifyEnvelope(env: WireEnvelope): string {
  const raws: string[] = [];
  let tasks = env.tasks;
  if (tasks) {
    for (let t = 0; t < tasks.length; t++) {
      const result = (tasks[t] as WireTask).result;
      if (!result?.some((r) => r instanceof RawJson)) continue;
      if (tasks === env.tasks) tasks = tasks.slice();
      tasks[t] = {
        ...(tasks[t] as WireTask),
        result: result.map((r) => (r instanceof RawJson ? RAW_MARK + (raws.push(r.text) - 1) : r)),
      };
    }
  }
  if (raws.length === 0) return JSON.stringify(env);
  let json = JSON.stringify({ ...env, tasks });
  // JSON.stringify writes the mark's NUL as \u0000; each placeholder string is replaced by its text.
  const quotedMark = JSON.stringify(RAW_MARK).slice(0, -1);
  raws.forEach((text, i) => {
    json = json.replace(quotedMark + i + '"', () => text);
  });
  return json;
}
