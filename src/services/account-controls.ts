import { createHash } from 'node:crypto';
import type { Clock } from '../domain/clock.js';
import { STATUS, type StatusDef } from '../domain/status-codes.js';
import { DAY, HOUR } from '../domain/time-format.js';
import type { AccountRow, Budgets, TaskHistory } from '../store/store.js';
import { checkBudgets } from './budgets.js';

/**
 * The account controls of the vendor's dashboard (SPEC 1.7, Help Center "limit my payments" and
 * "limit duplicate tasks"), applied to the candidates of one task_post or live call before they are
 * stored:
 *
 * - daily cost cap (`dailyCostLimitMicro`): a candidate whose cost would take the day's spend past
 *   the cap answers 40203. The day is the UTC day of the shared clock (the cap resets at 00:00 UTC);
 *   the spend is the cost of the account's tasks posted that day, plus the earlier accepted
 *   candidates of the same call.
 * - duplicate limits (`duplicateLimitHour` / `duplicateLimitDay`, 10..100 in steps of 10): a task is
 *   a duplicate of another when its payload hash is equal (the same posted fields to the same
 *   endpoint, see `payloadHash`). With a limit of N, N identical tasks are accepted per window and
 *   the next answers 40205 (the last 60 minutes) or 40206 (the current UTC day). Earlier accepted
 *   candidates of the same call count.
 *
 * Checked in this order: 40205, 40206, 40203; a rejected candidate uses no budget and counts as no
 * duplicate. The checks read the store before the caller's store transaction, so two calls of one
 * account racing each other may together pass a limit by the size of the smaller call (a soft cap;
 * the balance rule inside the transaction stays strict).
 */

/** Keys of the `data` echo that only name the endpoint (part of the hash through se/type/method). */
const ECHO_KEYS = new Set(['api', 'function', 'se', 'se_type']);

/** JSON with object keys sorted, so that the same fields in another order hash alike. */
function stableJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return '[' + v.map(stableJson).join(',') + ']';
  const o = v as Record<string, unknown>;
  return (
    '{' +
    Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => JSON.stringify(k) + ':' + stableJson(o[k]))
      .join(',') +
    '}'
  );
}

/**
 * A stable hash (hex SHA-256) of a task's payload to one endpoint: engine, type and function (e.g.
 * 'task_post', 'live/advanced') plus the task's fields as echoed in `data`, without the echo keys
 * api/function/se/se_type. Use the normalized echo (defaults filled in), so that a task that spells
 * out a default is a duplicate of one that omits it.
 */
export function payloadHash(se: string, seType: string, method: string, data: Record<string, unknown>): string {
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) if (!ECHO_KEYS.has(k)) fields[k] = v;
  return createHash('sha256')
    .update(`${se}/${seType}/${method}\n${stableJson(fields)}`)
    .digest('hex');
}

export interface ControlCandidate {
  readonly payloadHash: string;
  readonly costMicro: number;
}

/** Whether the account has any control switched on (callers may skip hashing when not). */
export function hasTaskControls(account: AccountRow): boolean {
  return account.dailyCostLimitMicro !== null || account.duplicateLimitHour !== null || account.duplicateLimitDay !== null;
}

/**
 * Per candidate, in order: the status that rejects it (40205, 40206 or 40203), or null when the
 * account's controls let it through.
 */
export async function checkTaskControls(
  store: TaskHistory,
  clock: Clock,
  account: AccountRow,
  candidates: readonly ControlCandidate[],
): Promise<Array<StatusDef | null>> {
  const out: Array<StatusDef | null> = candidates.map(() => null);
  if (candidates.length === 0 || !hasTaskControls(account)) return out;
  const now = clock.now();
  const dayStart = Math.floor(now / DAY) * DAY;
  const hourStart = now - HOUR;
  const hourLimit = account.duplicateLimitHour;
  const dayLimit = account.duplicateLimitDay;
  const costLimit = account.dailyCostLimitMicro;

  // Stored counts per distinct hash, read once.
  const hourCounts = new Map<string, number>();
  const dayCounts = new Map<string, number>();
  if (hourLimit !== null || dayLimit !== null) {
    const hashes = [...new Set(candidates.map((c) => c.payloadHash))];
    await Promise.all(
      hashes.map(async (h) => {
        const [hour, day] = await Promise.all([
          hourLimit !== null ? store.countDuplicates(account.id, h, hourStart) : 0,
          dayLimit !== null ? store.countDuplicates(account.id, h, dayStart) : 0,
        ]);
        hourCounts.set(h, hour);
        dayCounts.set(h, day);
      }),
    );
  }
  let spent = costLimit !== null ? await store.spentSince(account.id, dayStart) : 0;

  candidates.forEach((c, i) => {
    const hour = hourCounts.get(c.payloadHash) ?? 0;
    const day = dayCounts.get(c.payloadHash) ?? 0;
    if (hourLimit !== null && hour >= hourLimit) {
      out[i] = STATUS.DUPLICATE_HOUR;
      return;
    }
    if (dayLimit !== null && day >= dayLimit) {
      out[i] = STATUS.DUPLICATE_DAY;
      return;
    }
    if (costLimit !== null && spent + c.costMicro > costLimit) {
      out[i] = STATUS.COST_LIMIT;
      return;
    }
    spent += c.costMicro;
    hourCounts.set(c.payloadHash, hour + 1);
    dayCounts.set(c.payloadHash, day + 1);
  });
  return out;
}

/**
 * Every limit an account puts on what it spends, per candidate of one task_post or live call of
 * `api`, in order: the controls above (when the account has any), then its budgets on the calendar
 * (services/budgets.ts, 40203 past one) for the candidates the controls let through; null passes.
 */
export async function checkAccountLimits(
  store: TaskHistory & Pick<Budgets, 'budgetsOf' | 'claimBudgetAlert'>,
  clock: Clock,
  account: AccountRow,
  api: string,
  candidates: readonly ControlCandidate[],
  /** Called when a budget alert was queued (wakes the dispatcher). */
  onAlert?: () => void,
): Promise<Array<StatusDef | null>> {
  const out = await checkTaskControls(store, clock, account, candidates);
  const passing = candidates.flatMap((_, i) => (out[i] ? [] : [i]));
  const overBudget = await checkBudgets(
    store,
    clock,
    account,
    api,
    passing.map((i) => candidates[i]!.costMicro),
    onAlert,
  );
  passing.forEach((i, k) => (out[i] = overBudget[k] ?? null));
  return out;
}
