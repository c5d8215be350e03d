import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Pacer, Sleeper } from './pacing.js';

describe('Pacer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts at most perMinute calls in any minute', async () => {
    const pacer = new Pacer({ perMinute: 3, concurrent: 10 });
    const started: number[] = [];
    const t0 = Date.now();
    const calls = Array.from({ length: 7 }, () => pacer.take().then((release) => (started.push(Date.now() - t0), release())));
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual([0]);
    await vi.advanceTimersByTimeAsync(130_000);
    await Promise.all(calls);
    expect(started.length).toBe(7);
    // Any three consecutive starts span a minute or more: never a fourth call within 60 s.
    for (let i = 3; i < started.length; i++) expect((started[i] ?? 0) - (started[i - 3] ?? 0)).toBeGreaterThanOrEqual(60_000);
  });

  it('after a first burst of `concurrent`, spreads the calls at the limit rate instead of spending the minute at once', async () => {
    // 600 a minute: one every 100 ms once the burst of 5 is spent.
    const pacer = new Pacer({ perMinute: 600, concurrent: 5 });
    const started: number[] = [];
    const t0 = Date.now();
    const calls = Array.from({ length: 15 }, () => pacer.take().then((release) => (started.push(Date.now() - t0), release())));
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual([0, 0, 0, 0, 0]);
    await vi.advanceTimersByTimeAsync(1000);
    await Promise.all(calls);
    const after = started.slice(5);
    for (let i = 1; i < after.length; i++) expect((after[i] ?? 0) - (after[i - 1] ?? 0)).toBeGreaterThanOrEqual(99);
    expect(started[14]).toBeLessThanOrEqual(1000);
  });

  it('keeps the first burst of a small limit to 10 s worth, so the window never fills and stops the run', async () => {
    const pacer = new Pacer({ perMinute: 12, concurrent: 20 });
    const started: number[] = [];
    const t0 = Date.now();
    const calls = Array.from({ length: 12 }, () => pacer.take().then((release) => (started.push(Date.now() - t0), release())));
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual([0, 0]);
    await vi.advanceTimersByTimeAsync(60_000);
    await Promise.all(calls);
    // Then one every 5 s: the twelfth by the end of the minute, no call waiting out a full window.
    expect(started.at(-1)).toBeLessThanOrEqual(50_000);
  });

  it('holds calls beyond the concurrency until one is released', async () => {
    const pacer = new Pacer({ perMinute: 100, concurrent: 2 });
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
    const pacer = new Pacer({ perMinute: 100, concurrent: 2 });
    expect([pacer.backOff(40202), pacer.backOff(40202), pacer.backOff(40202)]).toEqual([1000, 2000, 4000]);
    expect(pacer.nextSlotIn()).toBe(4000);
    pacer.succeeded();
    expect(pacer.backOff()).toBe(1000);
  });

  it('says what holds the run back and until when: the account limit while calls wait on it, a refusal while paused', async () => {
    const pacer = new Pacer({ perMinute: 2, concurrent: 10, limit: '2 calls/min' });
    expect(pacer.hold()).toBeNull();
    const t0 = Date.now();
    const calls = Array.from({ length: 3 }, () => pacer.take().then((release) => release()));
    await vi.advanceTimersByTimeAsync(0);
    const hold = pacer.hold();
    expect(hold?.reason).toBe("the account's limit of 2 calls/min");
    // 2 a minute: the second call may start half a minute after the first.
    expect(hold?.until).toBeGreaterThanOrEqual(t0 + 30_000);
    await vi.advanceTimersByTimeAsync(60_010);
    await Promise.all(calls);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(pacer.hold()).toBeNull();
    pacer.backOff(40209);
    expect(pacer.hold()).toEqual({ reason: "the server's limit on simultaneous requests (40209)", until: Date.now() + 1000 });
  });
});

describe('Sleeper', () => {
  it('serves any number of waits with one abort listener, and Ctrl-C ends them all', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const controller = new AbortController();
      const sleeper = new Sleeper(controller.signal);
      const pacer = new Pacer({ perMinute: 1, concurrent: 20, sleeper });
      // 30 lanes waiting at once, as `serpq collect --concurrency 30` has them on a full minute.
      const lanes = Array.from({ length: 30 }, () =>
        pacer.take().then(
          (r) => (r(), 'started'),
          () => 'aborted',
        ),
      );
      await new Promise((r) => setImmediate(r));
      expect(sleeper.waiting).toBe(29);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
      controller.abort(new Error('interrupted'));
      const outcomes = await Promise.all(lanes);
      expect(outcomes.filter((o) => o === 'started')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'aborted')).toHaveLength(29);
      expect(sleeper.waiting).toBe(0);
      await new Promise((r) => setImmediate(r));
      expect(warnings.map((w) => w.name)).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });
});
