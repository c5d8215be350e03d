import { type ResultFunction, findSeType } from '../../domain/catalog.js';
import { parseTaskRequest } from '../../domain/task-request.js';
import { formatDateTime } from '../../domain/time-format.js';
import { type Cassette, cassetteRequest } from './cassette.js';
import type { CassetteLibrary } from './library.js';

/** A task as the recorder reads it: its engine, type and posted fields (stored JSON). */
export interface RecordedTask {
  readonly se: string;
  readonly seType: string;
  readonly data: string;
}

/** The cassette of one task's result, or null when its stored request no longer parses. */
export function cassetteOf(task: RecordedTask, results: Cassette['results'], recordedAt: number, source: string): Cassette | null {
  const def = findSeType(task.se, task.seType);
  if (!def) return null;
  const params = JSON.parse(task.data) as Record<string, unknown>;
  const parsed = parseTaskRequest(def, params, 'task_post');
  if (!parsed.ok) return null;
  return {
    se: def.se,
    se_type: def.seType,
    request: cassetteRequest(def, parsed.task, parsed.data),
    results,
    recorded_at: formatDateTime(recordedAt),
    source,
  };
}

/**
 * Record mode: every result that arrives from the upstream is appended to the cassettes. A write
 * that fails (a full disk) is reported and costs the task nothing: it completed already.
 */
export function createRecorder(
  library: CassetteLibrary,
  source: string,
  now: () => number,
  onError: (err: unknown) => void,
): (task: RecordedTask, fn: ResultFunction, value: unknown) => void {
  return (task, fn, value) => {
    try {
      const c = cassetteOf(task, { [fn]: value }, now(), source);
      if (c) library.append(c);
    } catch (err) {
      onError(err);
    }
  };
}
