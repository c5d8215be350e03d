import { expect, it } from 'vitest';
import { compact, count } from './format.js';

it('writes counts with thousands separators, and short ones for a chart axis', () => {
  expect([0, 7, 1500, 1_234_567].map(count)).toEqual(['0', '7', '1,500', '1,234,567']);
  expect([0, 950, 9500, 10_000, 12_500, 250_000, 999_000, 999_700, 1_250_000, 20_000_000, -12_500].map(compact)).toEqual([
    '0',
    '950',
    '9,500',
    '10k',
    '12.5k',
    '250k',
    '999k',
    '1M',
    '1.25M',
    '20M',
    '-12.5k',
  ]);
});
