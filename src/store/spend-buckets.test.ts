import { describe, expect, it } from 'vitest';
import { BUDGET_PERIODS, budgetWindow } from '../domain/budgets.js';
import { SPEND_BUCKET_MS, spendBucketOf, spendDeltas, spendEdgeAtOrAfter } from './spend-buckets.js';

const T = Date.UTC(2025, 0, 15, 12, 0, 0);

describe('spend buckets', () => {
  it('puts a time in its quarter hour and finds the next edge', () => {
    expect(spendBucketOf(T)).toBe(T);
    expect(spendBucketOf(T + 1)).toBe(T);
    expect(spendBucketOf(T + SPEND_BUCKET_MS - 1)).toBe(T);
    expect(spendBucketOf(T - 1)).toBe(T - SPEND_BUCKET_MS);
    expect(spendEdgeAtOrAfter(T)).toBe(T);
    expect(spendEdgeAtOrAfter(T + 1)).toBe(T + SPEND_BUCKET_MS);
    expect(spendEdgeAtOrAfter(T - 1)).toBe(T);
    expect(spendEdgeAtOrAfter(0)).toBe(0);
  });

  it("sums a call's charges per API and bucket, leaving out nothing but zero sums", () => {
    expect(
      spendDeltas([
        { postedAt: T, costMicro: 600 },
        { postedAt: T + 5, costMicro: 1200, api: 'serp' },
        { postedAt: T, costMicro: 50, api: 'keywords_data' },
        { postedAt: T + SPEND_BUCKET_MS, costMicro: 7 },
        { postedAt: T, costMicro: 0, api: 'backlinks' },
      ]),
    ).toEqual([
      { api: 'serp', bucket: T, micro: 1800 },
      { api: 'keywords_data', bucket: T, micro: 50 },
      { api: 'serp', bucket: T + SPEND_BUCKET_MS, micro: 7 },
    ]);
    expect(spendDeltas([])).toEqual([]);
  });

  // The counters are exact for a budget's period only when the period starts on a bucket edge: every
  // zone's offset this era is a multiple of 15 minutes. Checked for every zone the runtime knows, for
  // the periods containing a day every 31 days over 2025-2026 (in and out of daylight saving).
  it('has every budget period of every IANA zone start on a bucket edge', () => {
    // ICU lists Kathmandu as Asia/Katmandu: the quarter-hour zones are named too.
    const odd = ['Asia/Kathmandu', 'Australia/Eucla', 'Pacific/Chatham', 'Australia/Lord_Howe', 'America/St_Johns'];
    const zones = [...new Set([...Intl.supportedValuesOf('timeZone'), ...odd])];
    expect(zones.length).toBeGreaterThan(400);
    const off: string[] = [];
    for (let now = Date.UTC(2025, 0, 3, 12); now < Date.UTC(2027, 0, 1); now += 31 * 86_400_000) {
      for (const zone of zones) {
        for (const period of BUDGET_PERIODS) {
          const { start, end } = budgetWindow(period, zone, now);
          if (start % SPEND_BUCKET_MS !== 0 || end % SPEND_BUCKET_MS !== 0) off.push(`${zone} ${period} ${new Date(now).toISOString()}`);
        }
      }
    }
    expect(off).toEqual([]);
  });

  it('has the day of a zone with a quarter-hour offset start on an edge', () => {
    // Kathmandu (+5:45): 15 Jan 2025 starts at 18:15 UTC on the 14th; Eucla (+8:45): 15:15 UTC.
    expect(budgetWindow('day', 'Asia/Kathmandu', T).start).toBe(Date.UTC(2025, 0, 14, 18, 15));
    expect(budgetWindow('day', 'Australia/Eucla', T).start).toBe(Date.UTC(2025, 0, 14, 15, 15));
  });
});
