/** Wire formats for time, exactly as the vendor writes them. */

const pad2 = (n: number): string => (n < 10 ? '0' + n : String(n));

/** `yyyy-mm-dd hh:mm:ss +00:00` in UTC, the vendor's datetime format. */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  return (
    d.getUTCFullYear() +
    '-' +
    pad2(d.getUTCMonth() + 1) +
    '-' +
    pad2(d.getUTCDate()) +
    ' ' +
    pad2(d.getUTCHours()) +
    ':' +
    pad2(d.getUTCMinutes()) +
    ':' +
    pad2(d.getUTCSeconds()) +
    ' +00:00'
  );
}

/** `0.0123 sec.`: execution time with four decimals. */
export function formatDuration(ms: number): string {
  return (ms / 1000).toFixed(4) + ' sec.';
}

/** `yyyy-MM-dd` (UTC), the day key of user_data statistics and daily limits. */
export function dayKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Parses the vendor's datetime format (`2019-11-15 12:57:46 +00:00`, any offset) or an ISO string.
 * Returns epoch milliseconds, or null when the text is not a datetime.
 */
export function parseDateTime(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, off] = m;
  let offsetMin = 0;
  if (off && off !== 'Z') {
    const sign = off[0] === '-' ? -1 : 1;
    const digits = off.slice(1).replace(':', '');
    offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
  }
  const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s) - offsetMin * 60_000;
  return Number.isFinite(ms) ? ms : null;
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
