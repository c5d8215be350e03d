import { describe, expect, it } from 'vitest';
import { budgetAlertKey, budgetOfAlertKey, budgetWindow, crossedThresholds, isTimeZone } from './budgets.js';

const iso = (w: { start: number; end: number }) => [new Date(w.start).toISOString(), new Date(w.end).toISOString()];

describe('budget periods on the calendar', () => {
  it('starts a day at local midnight, 23 or 25 hours long when the clocks change', () => {
    expect(iso(budgetWindow('day', 'UTC', Date.parse('2026-01-15T12:00:00Z')))).toEqual([
      '2026-01-15T00:00:00.000Z',
      '2026-01-16T00:00:00.000Z',
    ]);
    expect(iso(budgetWindow('day', 'America/New_York', Date.parse('2026-01-15T03:00:00Z')))).toEqual([
      '2026-01-14T05:00:00.000Z',
      '2026-01-15T05:00:00.000Z',
    ]);
    // 8 March 2026: New York springs forward, the day has 23 hours.
    expect(iso(budgetWindow('day', 'America/New_York', Date.parse('2026-03-08T12:00:00Z')))).toEqual([
      '2026-03-08T05:00:00.000Z',
      '2026-03-09T04:00:00.000Z',
    ]);
    expect(iso(budgetWindow('day', 'Asia/Kathmandu', Date.parse('2026-01-15T12:00:00Z')))).toEqual([
      '2026-01-14T18:15:00.000Z',
      '2026-01-15T18:15:00.000Z',
    ]);
  });

  it('starts a week on Monday and a month on the 1st, not 7 or 30 days after anything', () => {
    // Thursday 15 January 2026.
    expect(iso(budgetWindow('week', 'UTC', Date.parse('2026-01-15T12:00:00Z')))).toEqual([
      '2026-01-12T00:00:00.000Z',
      '2026-01-19T00:00:00.000Z',
    ]);
    expect(iso(budgetWindow('month', 'UTC', Date.parse('2026-02-28T23:59:59Z')))).toEqual([
      '2026-02-01T00:00:00.000Z',
      '2026-03-01T00:00:00.000Z',
    ]);
    expect(iso(budgetWindow('month', 'Europe/Berlin', Date.parse('2026-02-28T23:30:00Z')))).toEqual([
      '2026-02-28T23:00:00.000Z',
      '2026-03-31T22:00:00.000Z',
    ]);
  });

  it('knows IANA zones, and which thresholds a charge crosses', () => {
    expect([isTimeZone('America/New_York'), isTimeZone('UTC'), isTimeZone('Mars/Olympus'), isTimeZone('')]).toEqual([
      true,
      true,
      false,
      false,
    ]);
    const b = { alertAt: [0.5, 0.8, 1], amountMicro: 1000 };
    expect(crossedThresholds(b, 400, 850)).toEqual([0.5, 0.8]);
    expect(crossedThresholds(b, 800, 1000)).toEqual([1]);
    expect(crossedThresholds(b, 1000, 1200)).toEqual([]);
  });
});

describe('budget alert keys', () => {
  it('keys an alert by budget, period and threshold, and reads the budget back', () => {
    const start = Date.parse('2026-01-15T05:00:00Z');
    expect(budgetAlertKey(7, start, 0.8)).toBe(`budget-7-${start}-0.8`);
    expect(budgetAlertKey(7, start, 1)).not.toBe(budgetAlertKey(7, start, 0.8));
    expect(budgetOfAlertKey(budgetAlertKey(7, start, 0.8))).toBe(7);
    expect(budgetOfAlertKey(budgetAlertKey(12, start, 1))).toBe(12);
    // A task id is no alert's key.
    expect(budgetOfAlertKey('01151200-1535-0066-0000-000000000001')).toBeNull();
  });
});
