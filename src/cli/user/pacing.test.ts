import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Pacer } from './pacing.js';

describe('Pacer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts at most perMinute calls in any minute', async () => {
    const pacer = new Pacer(3, 10, () => Date.now());
    const started: number[] = [];
    const t0 = Date.now();
    const calls = Array.from({ length: 5 }, () => pacer.take().then((release) => (started.push(Date.now() - t0), release())));
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual([0, 0, 0]);
    await vi.advanceTimersByTimeAsync(60_010);
    await Promise.all(calls);
    expect(started.length).toBe(5);
    expect(started[3]).toBeGreaterThanOrEqual(60_000);
  });

  it('holds calls beyond the concurrency until one is released', async () => {
    const pacer = new Pacer(100, 2, () => Date.now());
    const a = await pacer.take();
    await pacer.take();
    let third = false;
    const c = pacer.take().then(() => (third = true));
    await vi.advanceTimersByTimeAsync(1000);
    expect(third).toBe(false);
    a();
    await c;
    expect(third).toBe(true);
  });

  it('backs off longer while the server keeps refusing, and starts short again after a success', () => {
    const pacer = new Pacer(100, 2, () => Date.now());
    expect([pacer.backOff(), pacer.backOff(), pacer.backOff()]).toEqual([1000, 2000, 4000]);
    expect(pacer.nextSlotIn()).toBe(4000);
    pacer.succeeded();
    expect(pacer.backOff()).toBe(1000);
  });
});
