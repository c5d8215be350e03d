import { parseDuration } from '../../domain/duration.js';
import { type Connection, UserError, describeFailure } from './connection.js';
import type { ReadyTarget } from './task-types.js';

/** `serpq ready [--type scopes] [--json]`: the tasks_ready list of each scope (as collect takes them), one task per line. */
export async function runReady(
  connection: Connection,
  targets: readonly ReadyTarget[],
  json: boolean,
  out: NodeJS.WriteStream = process.stdout,
): Promise<number> {
  const lines: string[] = [];
  let full = false;
  let count = 0;
  for (const target of targets) {
    let rows: Array<Record<string, unknown>>;
    try {
      if ('scope' in target) rows = (await connection.client.readyRows(target.scope)) as unknown as Array<Record<string, unknown>>;
      else {
        const env = await connection.client.tasksReadyOf(target.path);
        const task = env.tasks?.[0];
        if (env.status_code !== 20000 || (task && task.status_code !== 20000))
          throw new UserError(
            `tasks_ready of ${target.label}: ${task?.status_code ?? env.status_code} ${task?.status_message ?? env.status_message}`,
          );
        rows = (task?.result ?? []) as Array<Record<string, unknown>>;
      }
    } catch (e) {
      if (e instanceof UserError) throw e;
      throw new UserError(describeFailure(e, connection.baseUrl));
    }
    count += rows.length;
    full ||= rows.length === 1000;
    for (const r of rows) {
      if (json) lines.push(JSON.stringify(r));
      else {
        const type =
          'scope' in target
            ? `${String(r.se)}/${String(r.se_type)}`
            : [target.api, r.se, r.se_type].filter((x) => typeof x === 'string' && x !== '').join('/');
        lines.push([r.id, type, r.date_posted ?? '', r.tag ?? ''].map(String).join('  ').trimEnd());
      }
    }
  }
  if (!json)
    lines.push(`${count} task${count === 1 ? '' : 's'} ready${full ? ' (the most one call lists; collect them to see more)' : ''}`);
  out.write(lines.map((l) => l + '\n').join(''));
  return 0;
}

export interface ClockFlags {
  baseUrl: string;
  adminToken?: string;
}

/** `serpq clock` and `serpq clock advance 3d`: the server's clock through its admin API. */
export async function runClock(flags: ClockFlags, advance: string | undefined, out: NodeJS.WriteStream = process.stdout): Promise<number> {
  const token = flags.adminToken ?? process.env.SERPQ_ADMIN_TOKEN;
  if (!token) throw new UserError('the clock needs the admin token: pass --admin-token or set SERPQ_ADMIN_TOKEN');
  let body: string | undefined;
  if (advance !== undefined) {
    let ms: number;
    try {
      ms = parseDuration(advance);
    } catch (e) {
      throw new UserError((e as Error).message);
    }
    body = JSON.stringify({ advance_seconds: ms / 1000 });
  }
  const method = body === undefined ? 'GET' : 'POST';
  let res: Response;
  try {
    res = await fetch(`${flags.baseUrl}/admin/clock`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
    });
  } catch (e) {
    throw new UserError(describeFailure(e, flags.baseUrl));
  }
  const text = await res.text();
  let answer: { now?: string; time_travel?: boolean; offset_seconds?: number; error?: string } = {};
  try {
    answer = JSON.parse(text) as typeof answer;
  } catch {
    // not serpq's admin API
  }
  const call = `${method} /admin/clock answered ${res.status}`;
  // The server's own words first (e.g. "time travel is off: start the server with --time-travel").
  if (res.status !== 200 && typeof answer.error === 'string') {
    throw new UserError(`${flags.baseUrl}: ${answer.error} (${call})`);
  }
  if (res.status === 401)
    throw new UserError(`${flags.baseUrl} refused the admin token (${call}): check --admin-token or SERPQ_ADMIN_TOKEN`);
  if (res.status !== 200 || !answer.now) throw new UserError(`${flags.baseUrl} has no serpq clock (${call})`);
  const offset = answer.offset_seconds ?? 0;
  out.write(`${answer.now}  (time travel ${answer.time_travel ? 'on' : 'off'}, ${formatOffset(offset)} ahead of real time)\n`);
  return 0;
}

function formatOffset(seconds: number): string {
  const parts: string[] = [];
  let s = Math.round(seconds);
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  if (s > 0 || parts.length === 0) parts.push(`${s}s`);
  return parts.join(' ');
}
