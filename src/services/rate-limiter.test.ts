import { describe, expect, it } from 'vitest';
import { createManualClock } from '../domain/clock.js';
import { createRateLimiter } from './rate-limiter.js';

describe('rate limiter', () => {
  it('allows `limit` hits in any sliding minute', () => {
    const clock = createManualClock(0);
    const rl = createRateLimiter(clock);
    for (let i = 0; i < 20; i++) {
      expect(rl.hit('a', 20)).toEqual({ allowed: true, remaining: 19 - i });
      clock.advance(1000); // 20 hits over 20 s
    }
    expect(rl.hit('a', 20).allowed).toBe(false);
    clock.advance(20_000); // t = 40 s: the first hit (t=0) leaves the window at t=60 s
    expect(rl.hit('a', 20).allowed).toBe(false);
    clock.advance(20_001);
    expect(rl.hit('a', 20)).toEqual({ allowed: true, remaining: 0 });
    expect(rl.hit('a', 20).allowed).toBe(false);
    expect(rl.hit('b', 20).allowed).toBe(true); // keys are independent
    expect(rl.peek('b', 20)).toBe(19);
  });
  it('counts concurrent slots', () => {
    const rl = createRateLimiter(createManualClock(0));
    expect(rl.enter('k', 2)).toBe(true);
    expect(rl.enter('k', 2)).toBe(true);
    expect(rl.enter('k', 2)).toBe(false);
    rl.leave('k');
    expect(rl.enter('k', 2)).toBe(true);
  });
});
