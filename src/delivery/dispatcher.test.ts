import { describe, expect, it } from 'vitest';
import { groupCommit } from './dispatcher.js';

describe('groupCommit', () => {
  it('writes items submitted together in one flush, and those arriving during a flush in the next', async () => {
    const flushes: number[][] = [];
    let release: () => void = () => {};
    const record = groupCommit(async (batch: number[]) => {
      flushes.push(batch);
      if (flushes.length === 1) await new Promise<void>((r) => (release = r));
      return batch.map((n) => n * 10);
    });
    const first = [1, 2, 3].map(record);
    await new Promise((r) => setImmediate(r));
    expect(flushes).toEqual([[1, 2, 3]]);
    // The first flush is still writing: these wait for it, then go together.
    const second = [4, 5].map(record);
    await new Promise((r) => setImmediate(r));
    expect(flushes).toHaveLength(1);
    release();
    expect(await Promise.all([...first, ...second])).toEqual([10, 20, 30, 40, 50]);
    expect(flushes).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('caps a flush at maxBatch and gives every caller of a failed flush its error', async () => {
    const flushes: number[][] = [];
    const record = groupCommit(async (batch: number[]) => {
      flushes.push(batch);
      if (batch.includes(3)) throw new Error('disk full');
      return batch.map(() => true);
    }, 2);
    const out = await Promise.allSettled([1, 2, 3, 4, 5].map(record));
    expect(flushes).toEqual([[1, 2], [3, 4], [5]]);
    expect(out.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((out[2] as PromiseRejectedResult).reason).toEqual(new Error('disk full'));
  });
});
