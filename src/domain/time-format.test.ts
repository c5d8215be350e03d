import { describe, expect, it } from 'vitest';
import { formatDateTime, formatDuration, parseDateTime } from './time-format.js';

describe('time formats', () => {
  it('writes datetimes as yyyy-mm-dd hh:mm:ss +00:00 in UTC', () => {
    expect(formatDateTime(Date.UTC(2019, 10, 15, 12, 57, 46))).toBe('2019-11-15 12:57:46 +00:00');
    expect(formatDateTime(Date.UTC(2026, 0, 1, 0, 0, 5))).toBe('2026-01-01 00:00:05 +00:00');
  });
  it('writes durations with four decimals', () => {
    expect(formatDuration(12.3)).toBe('0.0123 sec.');
    expect(formatDuration(0)).toBe('0.0000 sec.');
    expect(formatDuration(2270)).toBe('2.2700 sec.');
  });
  it('parses the vendor format with any offset, and ISO', () => {
    expect(parseDateTime('2023-01-07 00:00:00 +02:00')).toBe(Date.UTC(2023, 0, 6, 22, 0, 0));
    expect(parseDateTime('2019-11-15 12:57:46 +00:00')).toBe(Date.UTC(2019, 10, 15, 12, 57, 46));
    expect(parseDateTime('2019-11-15T12:57:46Z')).toBe(Date.UTC(2019, 10, 15, 12, 57, 46));
    expect(parseDateTime('yesterday')).toBeNull();
  });
});
