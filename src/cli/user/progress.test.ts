import { describe, expect, it } from 'vitest';
import type { Hold } from './pacing.js';
import { createProgress, describeHold } from './progress.js';

/** A pipe-like stderr (not a terminal) that keeps what is written. */
function sink() {
  const lines: string[] = [];
  const stream = { isTTY: false, write: (s: string) => (lines.push(...s.split('\n').filter(Boolean)), true) };
  return { lines, stream: stream as unknown as NodeJS.WriteStream };
}

describe('progress lines', () => {
  it('counts a rerun’s earlier work on the bar but not in the rate, and rejected items apart', () => {
    let now = 1_000_000;
    const { lines, stream } = sink();
    const p = createProgress({ label: 'post', unit: 'tasks', doneWord: 'posted', total: 5000, stream, now: () => now, everyMs: 0 });
    p.skip(3000, 20);
    now += 10_000;
    p.add(100);
    p.reject(5);
    expect(lines.at(-1)).toBe('post: 3,125/5,000 tasks (posted 3,100, rejected 25) | 10/s | ETA 2m59s');
  });

  it('says "at least" while the total is only a lower bound', () => {
    let now = 0;
    const { lines, stream } = sink();
    const p = createProgress({ label: 'collect', unit: 'tasks', total: 0, exact: false, stream, now: () => now, everyMs: 0 });
    p.add(0);
    expect(lines.at(-1)).toMatch(/^collect: 0\/\? tasks \| /);
    p.setTotal(1000, false);
    now += 2000;
    p.add(500);
    expect(lines.at(-1)).toBe('collect: 500/at least 1,000 tasks | 250/s | ETA ≥2s');
    p.setTotal(1400, true);
    p.add(100);
    expect(lines.at(-1)).toMatch(/^collect: 600\/1,400 tasks \| /);
  });

  it('names what holds the run back and when it resumes, in a line of its own as soon as it starts', () => {
    let now = 0;
    let hold: Hold | null = null;
    const { lines, stream } = sink();
    const p = createProgress({ label: 'collect', unit: 'tasks', total: 10, stream, now: () => now, hold: () => hold });
    p.add(1);
    hold = { reason: "the account's limit of 2,000 calls/min", until: now + 42_000 };
    p.add(1);
    expect(lines.at(-1)).toMatch(/waiting for the account's limit of 2,000 calls\/min \(resumes in 42s\)$/);
    p.stop();
  });

  it('describes a short wait as going at the limit, a long one with a countdown', () => {
    expect(describeHold({ reason: 'X', until: 500 }, 0)).toBe('at X');
    expect(describeHold({ reason: 'X', until: 125_000 }, 0)).toBe('waiting for X (resumes in 2m05s)');
    expect(describeHold(null, 0)).toBeNull();
  });
});
