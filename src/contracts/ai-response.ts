/**
 * The vendor's AI-optimized responses: a live or task_get path with `.ai` appended answers a cropped
 * JSON document meant for LLMs (docs: appendix/ai_optimized_response). What the vendor documents:
 * - the service part is reduced to `id`, `status_code` and `status_message`;
 * - items carry no field that is empty, null or false;
 * - floats are rounded to the third decimal;
 * - `position` and `xpath` are removed;
 * - `monthly_searches` is a map `{"2025-03": 201000, …}`;
 * - depth and limit default to 10 where the task takes them (the request side: http/ai-responses.ts);
 * - Content Generation answers at most 10 results;
 * - a locations list without a country holds countries only.
 *
 * Where the vendor's page says no more, serpq decides (SPEC [I], docs/catalog.md): the answer is one
 * object per task, `{id, status_code, status_message, items}`, `items` being the task's `result` array
 * cleaned by the rules above (the vendor's MCP server reads `.ai` answers by exactly these four names:
 * `id`, `status_code`, `status_message`, `items.<field of a result>`); a call of several tasks answers
 * an array of such objects; a call refused as a whole (bad credentials, an unknown path) answers its
 * `status_code` and `status_message` only.
 */

export interface AiOptions {
  /** A locations list without a country: only countries are kept. */
  readonly countriesOnly?: boolean;
  /** The most results kept (Content Generation: 10). */
  readonly maxResults?: number;
}

const REMOVED: ReadonlySet<string> = new Set(['position', 'xpath']);

/** A value cleaned by the rules: null when nothing is left of it. */
export function aiClean(value: unknown, key = ''): unknown {
  if (value === null || value === undefined || value === false || value === '') return null;
  if (typeof value === 'number') return Number.isInteger(value) ? value : Math.round(value * 1000) / 1000;
  if (Array.isArray(value)) {
    if (key === 'monthly_searches') return monthlyMap(value) ?? cleanArray(value);
    return cleanArray(value);
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    let any = false;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (REMOVED.has(k)) continue;
      const c = aiClean(v, k);
      if (c === null) continue;
      out[k] = c;
      any = true;
    }
    return any ? out : null;
  }
  return value;
}

function cleanArray(value: readonly unknown[]): unknown[] | null {
  const out: unknown[] = [];
  for (const v of value) {
    const c = aiClean(v);
    if (c !== null) out.push(c);
  }
  return out.length > 0 ? out : null;
}

/** `[{year, month, search_volume}]` as `{"yyyy-mm": search_volume}`; null when the rows are not of that shape. */
function monthlyMap(rows: readonly unknown[]): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  for (const r of rows) {
    if (r === null || typeof r !== 'object') return null;
    const { year, month, search_volume: volume } = r as Record<string, unknown>;
    if (typeof year !== 'number' || typeof month !== 'number') return null;
    out[`${year}-${String(month).padStart(2, '0')}`] = volume ?? null;
  }
  return rows.length > 0 ? out : null;
}

interface WireTaskLike {
  readonly id?: unknown;
  readonly status_code?: unknown;
  readonly status_message?: unknown;
  readonly result?: unknown;
}

/** The AI-optimized answer for a vendor envelope (see the module comment). */
export function toAiResponse(body: unknown, options: AiOptions = {}): unknown {
  if (body === null || typeof body !== 'object') return body;
  const envelope = body as { status_code?: unknown; status_message?: unknown; tasks?: unknown };
  if (!Array.isArray(envelope.tasks) || envelope.tasks.length === 0) {
    return { status_code: envelope.status_code, status_message: envelope.status_message };
  }
  const tasks = (envelope.tasks as WireTaskLike[]).map((t) => aiTask(t, options));
  return tasks.length === 1 ? tasks[0] : tasks;
}

function aiTask(task: WireTaskLike, options: AiOptions): Record<string, unknown> {
  let result = Array.isArray(task.result) ? (task.result as unknown[]) : null;
  if (result !== null && options.countriesOnly) {
    result = result.filter((r) => (r as { location_type?: unknown } | null)?.location_type === 'Country');
  }
  if (result !== null && options.maxResults !== undefined) result = result.slice(0, options.maxResults);
  const out: Record<string, unknown> = { id: task.id, status_code: task.status_code, status_message: task.status_message };
  const items = result === null ? null : cleanArray(result);
  if (items !== null) out.items = items;
  return out;
}
