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
});
const kyivFormat = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Kyiv',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
});
// Formatting a date in a time zone costs microseconds; ids are minted tens of thousands of times a
// second, so the prefix is cached per minute.
let cachedMinute = -1;
let cachedPrefix = '';
function timePrefix(ms) {
    const minute = Math.floor(ms / 60_000);
    if (minute !== cachedMinute) {
        const parts = kyivFormat.formatToParts(new Date(minute * 60_000));
        const get = (t) => parts.find((p) => p.type === t)?.value ?? '00';
        cachedPrefix = get('month') + get('day') + get('hour') + get('minute');
        cachedMinute = minute;
    }
    return cachedPrefix;
}
// Random bytes are drawn in bulk: one syscall per 4096 ids instead of one per id.
let pool = Buffer.alloc(0);
let poolOffset = 0;
function randomHex(bytes) {
    if (poolOffset + bytes > pool.length) {
        pool = randomBytes(6 * 4096);
        poolOffset = 0;
    }
    const hex = pool.toString('hex', poolOffset, poolOffset + bytes);
    poolOffset += bytes;
    return hex;
}
/** The 4-hex account shard of an id (account ids above 65535 wrap; the shard is informational). */
export function accountShard(accountId) {
    return (accountId & 0xffff).toString(16).padStart(4, '0');
}
/** A new id for a task or a call made at `ms` by `accountId` on endpoint family `family`. */
export function newId(ms, accountId, family) {
    return `${timePrefix(ms)}-${accountShard(accountId)}-${family}-0000-${randomHex(6)}`;
}
export function isTaskId(text) {
    return ID_PATTERN.test(text);
}
