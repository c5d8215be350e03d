import { describe, expect, it } from 'vitest';
import { retryDelayMs, withBusyRetry } from './map-db-error.js';

const busy = () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });

describe('withBusyRetry', () => {
  it('retries transient contention after a pause that grows with the attempt', () => {
    const at: number[] = [];
    const out = withBusyRetry(() => {
      at.push(performance.now());
      if (at.length < 3) throw busy();
      return 'done';
    });
    expect(out).toBe('done');
    expect(at).toHaveLength(3);
    // At least 5 ms before the second attempt, 10 ms before the third (timers may round down by under a millisecond).
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(4);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(9);
  });

  it('gives up after the attempts, with the last error', () => {
    let calls = 0;
    expect(() =>
      withBusyRetry(() => {
        calls++;
        throw busy();
      }),
    ).toThrow('database is locked');
    expect(calls).toBe(3);
  });

  it('does not retry other errors', () => {
    let calls = 0;
    expect(() =>
      withBusyRetry(() => {
        calls++;
        throw Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
      }),
    ).toThrow('UNIQUE');
    expect(calls).toBe(1);
  });
});

describe('retryDelayMs', () => {
  it('is jittered within a range that grows with the attempt', () => {
    for (const attempt of [1, 2, 3]) {
      const delays = Array.from({ length: 200 }, () => retryDelayMs(attempt));
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(5 * attempt);
      expect(Math.max(...delays)).toBeLessThan(15 * attempt);
      expect(new Set(delays).size).toBeGreaterThan(100);
    }
  });
});
