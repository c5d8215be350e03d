import { describe, expect, it } from 'vitest';
import { createLogThrottle } from './log-throttle.js';

describe('createLogThrottle', () => {
  it('logs the first report of a key, holds repeats back for the window, then logs with the count held', () => {
    const t = createLogThrottle(1000);
    expect(t.admit('a', 0)).toEqual({ held: 0 });
    expect(t.admit('a', 10)).toBeNull();
    expect(t.admit('a', 999)).toBeNull();
    expect(t.admit('a', 1000)).toEqual({ held: 2 });
    expect(t.admit('a', 1500)).toBeNull();
    expect(t.admit('a', 2000)).toEqual({ held: 1 });
    expect(t.admit('a', 5000)).toEqual({ held: 0 });
  });

  it('keeps keys apart', () => {
    const t = createLogThrottle(1000);
    expect(t.admit('a', 0)).toEqual({ held: 0 });
    expect(t.admit('b', 1)).toEqual({ held: 0 });
    expect(t.admit('a', 2)).toBeNull();
    expect(t.admit('b', 3)).toBeNull();
  });

  it('logs when the clock went back rather than holding back for an unknown time', () => {
    const t = createLogThrottle(1000);
    expect(t.admit('a', 5000)).toEqual({ held: 0 });
    expect(t.admit('a', 4000)).toEqual({ held: 0 });
  });

  it('remembers a bounded number of keys, forgetting the oldest first', () => {
    const t = createLogThrottle(1000);
    for (let i = 0; i < 300; i++) expect(t.admit(`k${i}`, 0)).toEqual({ held: 0 });
    // k0 was forgotten: logged again; k299 is remembered: held back.
    expect(t.admit('k0', 1)).toEqual({ held: 0 });
    expect(t.admit('k299', 1)).toBeNull();
  });
});
