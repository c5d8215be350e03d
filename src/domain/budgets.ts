/**
 * Budgets on the calendar: an account's spending limit in USD per day, week or month, for all its
 * APIs or one, in an IANA time zone (UTC by default). A period starts at the calendar boundary in
 * that zone (midnight; Monday for weeks, as ISO 8601; the 1st for months), so a "month" is the
 * calendar month, not 30 days, and a day in a zone with daylight saving is 23 or 25 hours when the
 * clocks change. The spend of a period is what the account was charged for the tasks and calls it
 * made since its start, so a budget added mid-period counts what was spent before it.
 */
import { TZDate } from '@date-fns/tz';
import { addDays, addMonths, addWeeks, startOfDay, startOfMonth, startOfWeek } from 'date-fns';

export type BudgetPeriod = 'day' | 'week' | 'month';

export const BUDGET_PERIODS: readonly BudgetPeriod[] = ['day', 'week', 'month'];

/** Alert thresholds when none are given: 80% and 100% of the amount. */
export const DEFAULT_ALERT_AT: readonly number[] = [0.8, 1];

export interface Budget {
  readonly id: number;
  readonly accountId: number;
  readonly period: BudgetPeriod;
  readonly amountMicro: number;
  /** One API (`dataforseo_labs`), or null for every API. */
  readonly api: string | null;
  readonly timeZone: string;
  /** Fractions of the amount at which an alert goes, ascending. */
  readonly alertAt: readonly number[];
  readonly alertUrl: string | null;
  readonly createdAt: number;
}

export type NewBudget = Omit<Budget, 'id' | 'createdAt'>;

/** The period of `budget` that contains `now`: its start and the start of the next one (epoch ms). */
export function budgetWindow(period: BudgetPeriod, timeZone: string, now: number): { start: number; end: number } {
  const t = new TZDate(now, timeZone);
  switch (period) {
    case 'day': {
      const start = startOfDay(t);
      return { start: start.getTime(), end: addDays(start, 1).getTime() };
    }
    case 'week': {
      const start = startOfWeek(t, { weekStartsOn: 1 });
      return { start: start.getTime(), end: addWeeks(start, 1).getTime() };
    }
    case 'month': {
      const start = startOfMonth(t);
      return { start: start.getTime(), end: addMonths(start, 1).getTime() };
    }
  }
}

/** Whether `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

/** The thresholds a call's spend crosses: those in (before, after] of the amount. */
export function crossedThresholds(budget: Pick<Budget, 'alertAt' | 'amountMicro'>, beforeMicro: number, afterMicro: number): number[] {
  return budget.alertAt.filter((t) => beforeMicro < t * budget.amountMicro && afterMicro >= t * budget.amountMicro);
}

/**
 * The outbox key of a budget's alert (its delivery's `task_id`, which has no task behind it): unique
 * per budget, period and threshold, and never a task id (those are UUID-shaped).
 */
export function budgetAlertKey(budgetId: number, periodStart: number, threshold: number): string {
  return `budget-${budgetId}-${periodStart}-${threshold}`;
}

/** The budget of an alert's outbox key, or null when `key` is not one. */
export function budgetOfAlertKey(key: string): number | null {
  const m = /^budget-(\d+)-\d+-[\d.e+-]+$/.exec(key);
  return m ? Number(m[1]) : null;
}
