import type { AccountRow } from '../domain/account.js';
import { isApiName } from '../domain/api-catalog/index.js';
import {
  BUDGET_PERIODS,
  type Budget,
  type BudgetPeriod,
  DEFAULT_ALERT_AT,
  type NewBudget,
  budgetWindow,
  crossedThresholds,
  isTimeZone,
} from '../domain/budgets.js';
import type { Clock } from '../domain/clock.js';
import { microToUsd } from '../domain/pricing.js';
import { STATUS, type StatusDef } from '../domain/status-codes.js';
import type { Budgets, TaskHistory } from '../store/store.js';

/**
 * Budgets on the calendar (domain/budgets.ts): the admin API's input and views, and the check every
 * charged call passes: a call that would take a period's spend past one of the account's budgets
 * (all APIs, or the call's own) is refused with the vendor's 40203 and costs nothing. The spend is
 * read from the charges recorded in the store, so every node sharing it counts the same; two calls
 * racing each other may together pass a budget by the smaller one (as the daily cost cap).
 *
 * An account's budgets are read at most every 2 seconds per process (a budget added through another
 * node applies within that); this process's own changes apply at once.
 *
 * Alerts: when the spend of the calls that pass crosses one of a budget's thresholds (`alert_at`,
 * 80% and 100% by default), and when a call is refused for a budget (its 100% alert, whatever
 * `alert_at` says: calls are being refused), the alert of that period and threshold is claimed in
 * the store, once whichever node sees it first, and queued as a webhook to the budget's
 * `alert_url` in the same transaction; the dispatcher sends it as it sends postbacks (signed with
 * the account's secret, retried when the account opts in, logged, resendable). The spend counted is
 * the calls' price when checked: a call refused later for the balance (40210) has counted toward
 * an alert all the same.
 */

type BudgetStore = Pick<Budgets, 'budgetsOf'> & Pick<TaskHistory, 'spentByApiSince'>;
type AlertingStore = BudgetStore & Pick<Budgets, 'claimBudgetAlert'>;

/** The threshold claimed when a call is refused for a budget. */
const REFUSAL_THRESHOLD = 1;

const CACHE_MS = 2000;
const cached = new WeakMap<object, Map<number, { at: number; budgets: Promise<Budget[]> }>>();

function budgetsOf(store: BudgetStore, accountId: number, realNow: number): Promise<Budget[]> {
  let byAccount = cached.get(store);
  if (!byAccount) cached.set(store, (byAccount = new Map()));
  const hit = byAccount.get(accountId);
  if (hit && realNow - hit.at < CACHE_MS) return hit.budgets;
  const budgets = store.budgetsOf(accountId);
  byAccount.set(accountId, { at: realNow, budgets });
  budgets.catch(() => byAccount.delete(accountId));
  return budgets;
}

/**
 * Alerts this process knows are claimed, by whichever node, per store: an account past its budget
 * has every call refused, and each refusal would otherwise write its claim again. Keyed by the
 * budget's id and creation (an id a store hands out again is another budget), the period's start and
 * the threshold. Bounded: forgotten all at once past the cap (a claim asked again is a no-op write).
 */
const claimedAlerts = new WeakMap<object, Set<string>>();
const CLAIMED_ALERTS_CAP = 10_000;
const alertKey = (budget: Budget, periodStart: number, threshold: number) => `${budget.id}:${budget.createdAt}:${periodStart}:${threshold}`;

/** Forgets what this process read of the account's budgets (of every account without one) and the alerts it knew claimed: after a change through it, or a reset. */
export function forgetBudgets(store: object, accountId?: number): void {
  if (accountId === undefined) cached.get(store)?.clear();
  else cached.get(store)?.delete(accountId);
  claimedAlerts.get(store)?.clear();
}

/** A budget's spend in the period containing `now`: every API's, or its own API's. */
async function spentIn(
  store: BudgetStore,
  budget: Budget,
  now: number,
  /** Spend by API already read for a period start (budgets of one account sharing a start read it once). */
  reads = new Map<number, Promise<Record<string, number>>>(),
): Promise<{ spent: number; start: number; end: number }> {
  const { start, end } = budgetWindow(budget.period, budget.timeZone, now);
  let read = reads.get(start);
  if (!read) reads.set(start, (read = store.spentByApiSince(budget.accountId, start)));
  const byApi = await read;
  const spent = budget.api === null ? Object.values(byApi).reduce((a, b) => a + b, 0) : (byApi[budget.api] ?? 0);
  return { spent, start, end };
}

/**
 * Per candidate charge of one call (in order, each counting the ones before it that pass): 40203 when
 * it would take a budget of the account that covers `api` past its amount, else null.
 */
export async function checkBudgets(
  store: AlertingStore,
  clock: Clock,
  account: AccountRow,
  api: string,
  costs: readonly number[],
  /** Called when an alert was queued (wakes this process's dispatcher; it polls otherwise). */
  onAlert?: () => void,
): Promise<Array<StatusDef | null>> {
  const out: Array<StatusDef | null> = costs.map(() => null);
  if (costs.length === 0) return out;
  const budgets = (await budgetsOf(store, account.id, Date.now())).filter((b) => b.api === null || b.api === api);
  if (budgets.length === 0) return out;
  const now = clock.now();
  const reads = new Map<number, Promise<Record<string, number>>>();
  let claimed = claimedAlerts.get(store);
  if (!claimed) claimedAlerts.set(store, (claimed = new Set()));
  const known = claimed;
  const windows = await Promise.all(budgets.map((b) => spentIn(store, b, now, reads)));
  const before = windows.map((w) => w.spent);
  const spent = [...before];
  const refused = new Set<number>();
  costs.forEach((cost, i) => {
    if (cost <= 0) return;
    const over = budgets.flatMap((b, k) => (spent[k]! + cost > b.amountMicro ? [k] : []));
    if (over.length > 0) {
      out[i] = STATUS.COST_LIMIT;
      over.forEach((k) => refused.add(k));
      return;
    }
    budgets.forEach((_, k) => (spent[k] = spent[k]! + cost));
  });
  // The alerts this call raises, claimed before it is answered (rare writes; each goes once).
  const alerts = budgets.flatMap((b, k) => {
    const thresholds = new Set(crossedThresholds(b, before[k]!, spent[k]!));
    if (refused.has(k)) thresholds.add(REFUSAL_THRESHOLD);
    return [...thresholds]
      .filter((threshold) => !known.has(alertKey(b, windows[k]!.start, threshold)))
      .map((threshold) => ({ budget: b, window: windows[k]!, spent: spent[k]!, threshold, refused: refused.has(k) }));
  });
  if (alerts.length > 0) {
    const queued = await Promise.all(
      alerts.map((a) =>
        store.claimBudgetAlert(
          a.budget.id,
          a.window.start,
          a.threshold,
          now,
          alertPayload(account.login, a.budget, a.window, a.spent, a.threshold, a.refused),
        ),
      ),
    );
    if (known.size + alerts.length > CLAIMED_ALERTS_CAP) known.clear();
    for (const a of alerts) known.add(alertKey(a.budget, a.window.start, a.threshold));
    if (queued.some(Boolean)) onAlert?.();
  }
  return out;
}

/**
 * The JSON body of a budget alert: whose budget, which threshold, the spend and the amount (USD) of
 * the period, and whether a call was refused for it.
 */
function alertPayload(
  login: string,
  budget: Budget,
  window: { start: number; end: number },
  spentMicro: number,
  threshold: number,
  refused: boolean,
): string {
  return JSON.stringify({
    login,
    budget_id: budget.id,
    threshold,
    spent: microToUsd(spentMicro),
    amount: microToUsd(budget.amountMicro),
    period: budget.period,
    period_start: new Date(window.start).toISOString(),
    resets_at: new Date(window.end).toISOString(),
    api: budget.api,
    time_zone: budget.timeZone,
    refused,
  });
}

/**
 * A budget as the admin API shows it: its terms, its spend in the current period, and the alerts
 * of the period with their delivery now (null: recorded, not sent, as without an alert_url).
 */
export async function budgetView(store: BudgetStore & Pick<Budgets, 'budgetAlertsOf'>, clock: Clock, budget: Budget) {
  const { spent, start, end } = await spentIn(store, budget, clock.now());
  const alerts = await store.budgetAlertsOf(budget.id, start);
  return {
    id: budget.id,
    period: budget.period,
    amount: microToUsd(budget.amountMicro),
    api: budget.api,
    time_zone: budget.timeZone,
    alert_at: budget.alertAt,
    alert_url: budget.alertUrl,
    spent: microToUsd(spent),
    period_start: new Date(start).toISOString(),
    resets_at: new Date(end).toISOString(),
    created_at: new Date(budget.createdAt).toISOString(),
    alerts: alerts.map((a) => ({
      threshold: a.threshold,
      sent_at: new Date(a.sentAt).toISOString(),
      delivery: a.delivery && {
        state: a.delivery.state,
        attempts: a.delivery.attempts,
        next_attempt_at: a.delivery.state === 'pending' ? new Date(a.delivery.nextAttemptAt).toISOString() : null,
      },
    })),
  };
}

/** Queues the current period's alerts of a budget again (admin resend); returns how many deliveries. */
export async function resendBudgetAlerts(store: Pick<Budgets, 'resendBudgetAlerts'>, clock: Clock, budget: Budget): Promise<number> {
  const now = clock.now();
  return store.resendBudgetAlerts(budget.id, budgetWindow(budget.period, budget.timeZone, now).start, now);
}

/**
 * The terms of a new budget from the admin API's JSON (`period`, `amount` in USD, `api`, `time_zone`,
 * `alert_at`, `alert_url`), or the message naming the field that is wrong.
 */
export function parseBudget(accountId: number, body: unknown): { ok: true; budget: NewBudget } | { ok: false; message: string } {
  const b = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  if (!b) return { ok: false, message: 'the body must be a JSON object: {"period": "day"|"week"|"month", "amount": USD, ...}' };
  if (typeof b.period !== 'string' || !BUDGET_PERIODS.includes(b.period as BudgetPeriod)) {
    return { ok: false, message: `period must be one of ${BUDGET_PERIODS.join(', ')}` };
  }
  if (typeof b.amount !== 'number' || !Number.isFinite(b.amount) || b.amount <= 0 || b.amount > 1e9) {
    return { ok: false, message: 'amount must be a number of USD greater than 0' };
  }
  if (b.api !== undefined && b.api !== null && (typeof b.api !== 'string' || !isApiName(b.api))) {
    return {
      ok: false,
      message: `api must be the name of a DataForSEO API (serp, keywords_data, dataforseo_labs, ...), not ${JSON.stringify(b.api)}`,
    };
  }
  const timeZone = b.time_zone === undefined || b.time_zone === null ? 'UTC' : b.time_zone;
  if (typeof timeZone !== 'string' || !isTimeZone(timeZone)) {
    return { ok: false, message: `time_zone must be an IANA time zone such as America/New_York, not ${JSON.stringify(b.time_zone)}` };
  }
  const alertAt = b.alert_at === undefined || b.alert_at === null ? DEFAULT_ALERT_AT : b.alert_at;
  if (!Array.isArray(alertAt) || alertAt.some((t) => typeof t !== 'number' || !(t > 0) || t > 10)) {
    return { ok: false, message: 'alert_at must be an array of fractions of the amount, each above 0 and at most 10 (e.g. [0.8, 1])' };
  }
  const alertUrl = b.alert_url === undefined ? null : b.alert_url;
  if (alertUrl !== null && (typeof alertUrl !== 'string' || !/^https?:\/\/\S+$/i.test(alertUrl))) {
    return { ok: false, message: 'alert_url must be an http(s) URL' };
  }
  return {
    ok: true,
    budget: {
      accountId,
      period: b.period as BudgetPeriod,
      amountMicro: Math.round(b.amount * 1_000_000),
      api: (b.api as string | null | undefined) ?? null,
      timeZone,
      alertAt: [...new Set(alertAt as number[])].sort((x, y) => x - y),
      alertUrl,
    },
  };
}
