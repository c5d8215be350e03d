import type { Clock } from '../domain/clock.js';
import { MINUTE, dayKey } from '../domain/time-format.js';

/**
 * In-process API usage counters per account, by function, for the current UTC day and the current
 * minute of the shared clock: the `rates.statistics` of GET /v3/appendix/user_data. Each process
 * counts the calls it answered (several API nodes each count their own share); counters start at
 * zero after a restart. Only the current day and minute are kept, so memory is a few small maps per
 * active account.
 *
 * Function names follow the vendor's user_data keys: `task_post`, `tasks_ready`, `tasks_fixed`,
 * `task_get/regular|advanced|html`, `live/regular|advanced|html`, `errors`, `id_list`, `locations`,
 * `languages`, `screenshot`, `user_data`, `appendix_errors` (GET /v3/appendix/errors),
 * `webhook_resend`. Other names are counted too and shown as given.
 */
export type UsageFn =
  | 'task_post'
  | 'tasks_ready'
  | 'tasks_fixed'
  | 'task_get/regular'
  | 'task_get/advanced'
  | 'task_get/html'
  | 'live/regular'
  | 'live/advanced'
  | 'live/html'
  | 'errors'
  | 'id_list'
  | 'locations'
  | 'languages'
  | 'screenshot'
  | 'user_data'
  | 'appendix_errors'
  | 'webhook_resend';

export interface UsageWindow {
  /** `yyyy-MM-dd` for the day, `yyyy-MM-dd HH:mm` for the minute (UTC). */
  readonly value: string;
  /** Calls by function name in this window. */
  readonly counts: Readonly<Record<string, number>>;
}

export interface UsageSnapshot {
  readonly day: UsageWindow;
  readonly minute: UsageWindow;
}

export interface Usage {
  /** Counts `n` (default 1) calls of `fn` by the account now. */
  record(accountId: number, fn: UsageFn | (string & {}), n?: number): void;
  /** The account's counts for the current day and minute (zero when it made no calls). */
  snapshot(accountId: number): UsageSnapshot;
}

/** `yyyy-MM-dd HH:mm` (UTC), the minute key of user_data statistics. */
export function minuteKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

interface Window {
  key: number;
  counts: Map<string, number>;
}

interface AccountUsage {
  day: Window;
  minute: Window;
}

const DAY_MS = 24 * 60 * MINUTE;

export function createUsage(clock: Clock): Usage {
  const byAccount = new Map<number, AccountUsage>();

  /** The account's windows, reset when the clock has left them. */
  const current = (accountId: number, now: number, create: boolean): AccountUsage | undefined => {
    const day = Math.floor(now / DAY_MS);
    const minute = Math.floor(now / MINUTE);
    let u = byAccount.get(accountId);
    if (!u) {
      if (!create) return undefined;
      u = { day: { key: day, counts: new Map() }, minute: { key: minute, counts: new Map() } };
      byAccount.set(accountId, u);
    }
    if (u.day.key !== day) u.day = { key: day, counts: new Map() };
    if (u.minute.key !== minute) u.minute = { key: minute, counts: new Map() };
    return u;
  };

  const view = (w: Window | undefined): Record<string, number> => Object.fromEntries(w ? w.counts : []);

  return {
    record(accountId, fn, n = 1) {
      const u = current(accountId, clock.now(), true) as AccountUsage;
      u.day.counts.set(fn, (u.day.counts.get(fn) ?? 0) + n);
      u.minute.counts.set(fn, (u.minute.counts.get(fn) ?? 0) + n);
    },
    snapshot(accountId) {
      const now = clock.now();
      const u = current(accountId, now, false);
      return {
        day: { value: dayKey(now), counts: view(u?.day) },
        minute: { value: minuteKey(now), counts: view(u?.minute) },
      };
    },
  };
}

/**
 * The usage function of a /v3/ request path (query string ignored), or null for paths that are not
 * counted. `/v3/appendix/user_data` maps to null: its handler records itself before it answers, so
 * its own call shows in the statistics it returns.
 */
export function usageFnOf(url: string): string | null {
  const q = url.indexOf('?');
  const parts = (q >= 0 ? url.slice(0, q) : url).split('/').filter((s) => s.length > 0);
  if (parts[0] !== 'v3') return null;
  if (parts[1] === 'appendix') {
    if (parts.length !== 3) return null;
    if (parts[2] === 'errors') return 'appendix_errors';
    if (parts[2] === 'webhook_resend') return 'webhook_resend';
    return null;
  }
  if (parts[1] !== 'serp') return null;
  const rest = parts.slice(2);
  if (rest.length === 1) {
    if (rest[0] === 'id_list' || rest[0] === 'errors' || rest[0] === 'tasks_ready') return rest[0];
    return null;
  }
  // /v3/serp/{se}[/{type}]/...
  for (let i = 1; i < rest.length && i <= 2; i++) {
    const seg = rest[i];
    const tail = rest.length - i - 1;
    if ((seg === 'tasks_ready' || seg === 'tasks_fixed') && tail === 0) return seg;
    if ((seg === 'locations' && tail <= 1) || (seg === 'languages' && tail === 0)) return seg;
    if (i === 2 && seg === 'task_post' && tail === 0) return 'task_post';
    if (i === 2 && seg === 'task_get' && tail === 2 && isFn(rest[i + 1])) return `task_get/${rest[i + 1]}`;
    if (i === 2 && seg === 'live' && tail === 1 && isFn(rest[i + 1])) return `live/${rest[i + 1]}`;
  }
  return null;
}

function isFn(s: string | undefined): boolean {
  return s === 'regular' || s === 'advanced' || s === 'html';
}
