import type { SerpqClient } from '../../client/index.js';
import { stableJson } from '../../domain/serp-request.js';
import { formatDateTime } from '../../domain/time-format.js';
import { UserError } from './connection.js';
import type { Sleeper } from './pacing.js';

/**
 * A task_post call whose answer never arrived (the connection broke, the server answered 5xx, or
 * this process was killed while waiting): its tasks may or may not have been accepted. Posting them
 * again could post them twice, so they are looked up first, in POST /v3/<api>/id_list with metadata
 * (the tasks posted around the call, with the fields they were posted with). A listed task whose
 * metadata carries every field that was sent counts as that task (each listed task once); what is
 * not found was not accepted and may be posted again. The same check serves `serpq live`: a live
 * call whose answer was lost is listed by id_list too (with its cost), under the live path's url.
 */
export interface InDoubtCall {
  readonly at: number;
  readonly tasks: ReadonlyArray<readonly [key: string, task: Record<string, unknown>]>;
}

interface ListedTask {
  id: string;
  url: string;
  datetime_posted: string;
  cost?: number;
  metadata: Record<string, unknown> | null;
}

function matches(task: Record<string, unknown>, metadata: Record<string, unknown>): boolean {
  for (const [k, v] of Object.entries(task)) {
    // A null field is not given: the server neither keeps nor echoes it.
    if (v === undefined || v === null) continue;
    if (stableJson(metadata[k]) !== stableJson(v)) return false;
  }
  return true;
}

export interface CheckOptions {
  readonly client: SerpqClient;
  /** The API whose id_list lists the tasks (`serp`, `keywords_data`, `dataforseo_labs`, ...). */
  readonly api: string;
  /** The tasks' url as id_list writes it: `v3/serp/google/organic/task_post`, `v3/dataforseo_labs/google/ranked_keywords/live`. */
  readonly url: string;
  /** Server time minus local time (account probe). */
  readonly skewMs: number;
  /** Ids already known to be ours (never matched again). */
  readonly known: ReadonlySet<string>;
  readonly note: (line: string) => void;
  /** The run's waits (ended by its Ctrl-C). */
  readonly sleeper: Sleeper;
  readonly now?: () => number;
}

export interface Found {
  readonly id: string;
  /** What the task cost, as id_list says (USD). */
  readonly cost: number;
}

/** The keys of the calls' tasks that the server did accept, with their task ids and costs. */
export async function checkInDoubt(calls: readonly InDoubtCall[], o: CheckOptions): Promise<Map<string, Found>> {
  const found = new Map<string, Found>();
  const pending = calls.flatMap((c) => c.tasks.map(([key, task]) => ({ key, task })));
  if (pending.length === 0) return found;
  const now = o.now ?? Date.now;
  // Two minutes of slack before the first call: the clocks are compared to the minute.
  const from = Math.min(...calls.map((c) => c.at)) + o.skewMs - 120_000;
  const to = now() + o.skewMs;
  const url = o.url;
  const used = new Set<string>(o.known);
  let waitedNote = false;

  for (let offset = 0; ;) {
    const env = await o.client.idList(
      {
        datetime_from: formatDateTime(from),
        datetime_to: formatDateTime(to),
        include_metadata: true,
        limit: 1000,
        offset,
        sort: 'asc',
      },
      o.api,
    );
    const listed = env.tasks?.[0];
    if (listed?.status_code === 40501 && /datetime_to/.test(listed.status_message)) {
      // The server's clock has not reached our "now" yet (it runs behind, or the skew is only known
      // to the minute): wait for it rather than miss a task posted in the last moments.
      if (!waitedNote)
        o.note(`waiting for the server's clock to pass ${formatDateTime(to)} to check ${pending.length} tasks of an unanswered call`);
      waitedNote = true;
      await o.sleeper.sleep(2000);
      continue;
    }
    if (env.status_code !== 20000 || listed?.status_code !== 20000) {
      throw new UserError(
        `cannot check ${pending.length} tasks of an unanswered call with id_list (${listed?.status_code ?? env.status_code} ${listed?.status_message ?? env.status_message}): nothing more was posted; run again later`,
      );
    }
    const rows = (listed.result ?? []) as ListedTask[];
    for (const row of rows) {
      if (row.url !== url || used.has(row.id) || !row.metadata) continue;
      const i = pending.findIndex((p) => !found.has(p.key) && matches(p.task, row.metadata as Record<string, unknown>));
      if (i === -1) continue;
      const hit = pending[i];
      if (!hit) continue;
      found.set(hit.key, { id: row.id, cost: typeof row.cost === 'number' ? row.cost : 0 });
      used.add(row.id);
    }
    if (rows.length < 1000 || found.size === pending.length) break;
    offset += rows.length;
  }
  return found;
}
