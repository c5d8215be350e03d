import { randomBytes } from 'node:crypto';

/**
 * Task and call ids in the vendor's shape: 8-4-4-4-12 lowercase hex, not an RFC 4122 UUID.
 * The vendor's first group is the creation time (MMDDHHmm, Kyiv local time), the second a per-account
 * shard, the third the endpoint family (0066 task_post, 0087 tasks_ready, ...). serpq keeps that shape so
 * ids sort by creation time like the vendor's, and clients that parse or log them see nothing unusual.
 */
export const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The vendor's example id: task_get with it returns an example holding every item type. */
export const EXAMPLE_TASK_ID = '00000000-0000-0000-0000-000000000000';

/** Endpoint-family group of the id (third group), as the vendor uses it. */
export const ID_FAMILY = Object.freeze({
  TASK_POST: '0066',
  TASKS_READY: '0087',
  LIVE: '0139',
  ERRORS: '0229',
  ID_LIST: '0521',
  APPENDIX: '0161',
  USER_DATA: '0161',
} as const);

/**
 * Milliseconds Kyiv local time is ahead of UTC at `ms`: EET (UTC+2), and EEST (UTC+3) from the last
 * Sunday of March to the last Sunday of October at 01:00 UTC, the EU rule Ukraine has followed since
 * 1996. Computed here instead of with Intl.DateTimeFormat, whose time-zone data costs ~15 ms and
 * ~10 MB of resident memory at the first use (ids.test.ts checks it against Intl minute by hour).
 */
export function kyivOffsetMs(ms: number): number {
  const year = new Date(ms).getUTCFullYear();
  const lastSunday = (month: number) => {
    const last = new Date(Date.UTC(year, month + 1, 0));
    return Date.UTC(year, month, last.getUTCDate() - last.getUTCDay(), 1);
  };
  return ms >= lastSunday(2) && ms < lastSunday(9) ? 3 * 3_600_000 : 2 * 3_600_000;
}

// Ids are minted tens of thousands of times a second, so the prefix is cached per minute.
let cachedMinute = -1;
let cachedPrefix = '';
function timePrefix(ms: number): string {
  const minute = Math.floor(ms / 60_000);
  if (minute !== cachedMinute) {
    const local = new Date(minute * 60_000 + kyivOffsetMs(minute * 60_000));
    const two = (n: number) => String(n).padStart(2, '0');
    cachedPrefix = two(local.getUTCMonth() + 1) + two(local.getUTCDate()) + two(local.getUTCHours()) + two(local.getUTCMinutes());
    cachedMinute = minute;
  }
  return cachedPrefix;
}

// Random bytes are drawn in bulk: one syscall per 4096 ids instead of one per id.
let pool = Buffer.alloc(0);
let poolOffset = 0;
function randomHex(bytes: number): string {
  if (poolOffset + bytes > pool.length) {
    pool = randomBytes(6 * 4096);
    poolOffset = 0;
  }
  const hex = pool.toString('hex', poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return hex;
}

/** The 4-hex account shard of an id (account ids above 65535 wrap; the shard is informational). */
export function accountShard(accountId: number): string {
  return (accountId & 0xffff).toString(16).padStart(4, '0');
}

/** A new id for a task or a call made at `ms` by `accountId` on endpoint family `family`. */
export function newId(ms: number, accountId: number, family: string): string {
  return `${timePrefix(ms)}-${accountShard(accountId)}-${family}-0000-${randomHex(6)}`;
}

export function isTaskId(text: string): boolean {
  return ID_PATTERN.test(text);
}
