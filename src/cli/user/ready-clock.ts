import { parseDuration } from '../../domain/duration.js';
import { type Connection, UserError, describeFailure } from './connection.js';

/** `serpq ready [--type se[/type]] [--json]`: the tasks_ready list, one task per line. */
export async function runReady(
  connection: Connection,
  scope: { se?: string; seType?: string },
  json: boolean,
  out: NodeJS.WriteStream = process.stdout,
): Promise<number> {
  let rows;
  try {
    rows = await connection.client.readyRows(scope);
  } catch (e) {
    throw new UserError(describeFailure(e, connection.baseUrl));
  }
  if (json) {
    out.write(rows.map((r) => JSON.stringify(r) + '\n').join(''));
    return 0;
  }
  const lines = rows.map((r) => [r.id, `${r.se}/${r.se_type}`, r.date_posted, r.tag ?? ''].join('  ').trimEnd());
  lines.push(
    `${rows.length} task${rows.length === 1 ? '' : 's'} ready${rows.length === 1000 ? ' (the most one call lists; collect them to see more)' : ''}`,
  );
  out.write(lines.join('\n') + '\n');
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
