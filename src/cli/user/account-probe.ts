import type { SerpqClient } from '../../client/index.js';
import { MINUTE_MS } from './pacing.js';

/**
 * What the user commands learn from one GET /v3/appendix/user_data before they start: that the
 * credentials work, the account's per-minute limits (all calls, task_post and tasks_ready), and how far the
 * server's clock is from ours (serpq with time travel runs days ahead; id_list windows are in the
 * server's time). The skew is read from the current-minute statistics key, so it is known to the
 * minute; a difference of a minute or less counts as none.
 */
export interface AccountProbe {
  readonly login: string;
  readonly balance: number | null;
  /** Calls a minute over every function (`rates.limits.minute.total`): task_get, tasks_ready, user_data... */
  readonly requestsPerMinute: number;
  readonly postsPerMinute: number;
  readonly readyPerMinute: number;
  /** Server time minus local time, ms (0 unless more than a minute apart). */
  readonly skewMs: number;
}

const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback);

export async function probeAccount(client: SerpqClient, now: () => number = Date.now): Promise<AccountProbe> {
  const env = await client.userData();
  const info = (env.tasks?.[0]?.result?.[0] ?? {}) as {
    login?: string;
    money?: { balance?: number };
    rates?: {
      limits?: { minute?: { total?: unknown; serp?: { task_post?: unknown; tasks_ready?: unknown } } };
      statistics?: { minute?: { value?: unknown } };
    };
  };
  const minuteKey = info.rates?.statistics?.minute?.value;
  let skewMs = 0;
  if (typeof minuteKey === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(minuteKey);
    if (m) {
      const server = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
      const local = Math.floor(now() / MINUTE_MS) * MINUTE_MS;
      if (Math.abs(server - local) > MINUTE_MS) skewMs = server - local;
    }
  }
  const minute = info.rates?.limits?.minute;
  const postsPerMinute = num(minute?.serp?.task_post, 2000);
  return {
    login: info.login ?? '',
    balance: typeof info.money?.balance === 'number' ? info.money.balance : null,
    requestsPerMinute: num(minute?.total, postsPerMinute),
    postsPerMinute,
    readyPerMinute: num(minute?.serp?.tasks_ready, 20),
    skewMs,
  };
}
