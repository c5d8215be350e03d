import { describe, expect, it } from 'vitest';
import { findSeType } from './catalog.js';
import { billedBlocks, livePriceMicro, microToUsd, taskPostPriceMicro, usdToMicro, fundInOrder } from './pricing.js';

const images = findSeType('google', 'images')!;

describe('pricing', () => {
  it('bills google/images per started block of 100 results', () => {
    expect(billedBlocks(images, 1)).toBe(1);
    expect(billedBlocks(images, 100)).toBe(1);
    expect(billedBlocks(images, 101)).toBe(2);
    expect(billedBlocks(images, 700)).toBe(7);
  });
  it('charges 0.0006 normal, 0.0012 high, x5 with search operators', () => {
    expect(taskPostPriceMicro(images, { priority: 1, depth: 100, hasOperators: false })).toBe(600);
    expect(taskPostPriceMicro(images, { priority: 2, depth: 100, hasOperators: false })).toBe(1200);
    expect(taskPostPriceMicro(images, { priority: 1, depth: 150, hasOperators: true })).toBe(6000);
    expect(livePriceMicro(images, { depth: 100, hasOperators: false })).toBe(2000);
  });
  it('converts between micro-USD and the wire number exactly', () => {
    expect(microToUsd(600)).toBe(0.0006);
    expect(microToUsd(600 * 3)).toBe(0.0018);
    expect(usdToMicro(0.0006)).toBe(600);
    expect(usdToMicro(100)).toBe(100_000_000);
  });
});

describe('fundInOrder', () => {
  it('takes each task, in order, while the balance left covers it', () => {
    const tasks = [{ costMicro: 1000 }, { costMicro: 2000 }, { costMicro: 1000 }, { costMicro: 600 }, { costMicro: 500 }];
    expect(fundInOrder(tasks, 2500)).toEqual({
      accepted: [true, false, true, false, true],
      funded: [tasks[0], tasks[2], tasks[4]],
      spentMicro: 2500,
      balanceMicro: 0,
    });
    expect(fundInOrder(tasks, 0)).toMatchObject({ funded: [], spentMicro: 0, balanceMicro: 0 });
  });
});
