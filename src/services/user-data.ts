import { envelope, pathSegments, wireTask } from '../contracts/envelope.js';
import { API_NAMES } from '../domain/api-catalog/index.js';
import { ID_FAMILY, newId } from '../domain/ids.js';
import { PRICE_MICRO, microToUsd } from '../domain/pricing.js';
import { STATUS } from '../domain/status-codes.js';
import { DAY, MINUTE } from '../domain/time-format.js';
import type { RelayLedger } from '../executors/relay/ledger.js';
import type { AccountRow, Accounts, TaskHistory } from '../store/store.js';
import { type CallContext, type ServiceDeps, elapsedMs } from './deps.js';
import type { Usage, UsageWindow } from './usage.js';
import type { ServiceResult } from './webhooks.js';
import { relayView } from './accounts.js';

/**
 * GET /v3/appendix/user_data (SPEC 6.2, schema AppendixUserDataResultInfo): the caller's login,
 * time zone (UTC), call limits and usage, money and prices. Free.
 *
 * - rates.limits: from the account's limits. Per minute: tasks_ready and tasks_fixed get
 *   `tasks_ready_per_minute`, every other function `requests_per_minute` (serpq counts all calls
 *   against one per-minute budget, as the vendor documents). Per day: serpq has no daily call cap,
 *   so the bound the minute limit implies (x 1440).
 * - rates.statistics: this process's call counters (src/services/usage.ts) for the current UTC day
 *   and minute, `value` = `yyyy-MM-dd` / `yyyy-MM-dd HH:mm`. userData() records its own call first.
 * - money: total = all deposits, balance; limits.day.total = the daily cost cap over every API (null
 *   when none; per-API, per-function and minute caps do not exist: null); statistics = the cost of
 *   the tasks posted in the current UTC day / minute, per API (`total_<api>`) and in all (`total`);
 *   no per-function split (`<api>` null).
 * - price.serp: task_post per priority (normal 0.0006, high 0.0012 per request: the base price of one
 *   task up to the type's billing unit), live per function (0.002), free functions 0.
 * The other APIs' rates are one per-minute budget each (`total_<api>`), their functions not split.
 */
export interface UserDataDeps extends Pick<
  ServiceDeps<Pick<Accounts, 'accountById'> & Pick<TaskHistory, 'spentByApiSince'> & Pick<RelayLedger, 'relayUsage'>>,
  'store' | 'clock'
> {
  readonly usage: Usage;
}

const RESULT_FNS = ['regular', 'advanced', 'html'] as const;

type Price = Array<{ cost_type: 'per_request' | 'per_result'; cost: number }>;

const perRequest = (micro: number): Price => [{ cost_type: 'per_request', cost: microToUsd(micro) }];
/** A function with one price whatever the priority. */
const flat = (micro: number) => ({ priority_low: perRequest(micro), priority_normal: perRequest(micro), priority_high: perRequest(micro) });

/** price.serp and price.appendix: the same for every account. */
export function priceTable() {
  const free = flat(0);
  const live = flat(PRICE_MICRO.live);
  return {
    serp: {
      task_post: {
        // Priority 1 (normal) and 2 (high) exist; "low" is charged like normal.
        priority_low: perRequest(PRICE_MICRO.normal),
        priority_normal: perRequest(PRICE_MICRO.normal),
        priority_high: perRequest(PRICE_MICRO.high),
      },
      task_get: { regular: free, advanced: free, html: free },
      tasks_ready: free,
      tasks_fixed: free,
      live: { regular: live, advanced: live, html: live },
      errors: free,
      locations: free,
      languages: free,
      id_list: free,
      screenshot: null,
      jobs: null,
    },
    appendix: { user_data: free, errors: free },
  };
}

/** rates.limits.{day|minute} from the account's per-minute limits. */
function rateLimits(limits: AccountRow['limits'], factor: number, minute: boolean) {
  const all = limits.requestsPerMinute * factor;
  const ready = limits.tasksReadyPerMinute * factor;
  const byFn = { regular: all, advanced: all, html: all };
  const serp: Record<string, unknown> = {
    task_post: all,
    task_get: byFn,
    tasks_ready: ready,
    tasks_fixed: ready,
    live: byFn,
    errors: all,
    locations: all,
    languages: all,
    id_list: all,
    screenshot: all,
    jobs: { task_post: all },
  };
  if (minute) serp.tasks_ready_queue = null;
  return {
    serp,
    total_serp: all,
    appendix: { user_data: all, errors: all, ...(minute ? { status: all, test: all } : {}) },
    total_appendix: all,
    // The other APIs: one budget per account (their per-function split is not kept: null).
    ...Object.fromEntries(
      OTHER_APIS.flatMap((api) => [
        [api, null],
        [`total_${api}`, all],
      ]),
    ),
    total: all,
  };
}

/** The APIs besides serp and appendix, in the vendor's order of user_data. */
const OTHER_APIS = API_NAMES.filter((a) => a !== 'serp' && a !== 'appendix');

/**
 * money.statistics.{day|minute}: the cost of the tasks posted in the window, per API (`total_<api>`;
 * the per-function split is not kept: `<api>` is null) and in all.
 */
function moneyByApi(spent: Readonly<Record<string, number>>, value: string) {
  const out: Record<string, unknown> = {};
  let total = 0;
  for (const api of API_NAMES) {
    const micro = spent[api] ?? 0;
    total += micro;
    out[api] = null;
    out[`total_${api}`] = microToUsd(micro);
  }
  return { ...out, total: microToUsd(total), value };
}

/** rates.statistics.{day|minute} from usage counters. */
function rateStatistics(w: UsageWindow) {
  const c = (fn: string) => w.counts[fn] ?? 0;
  const byFn = (prefix: string) => Object.fromEntries(RESULT_FNS.map((f) => [f, c(`${prefix}/${f}`)]));
  const serp = {
    task_post: c('task_post'),
    task_get: byFn('task_get'),
    tasks_ready: c('tasks_ready'),
    tasks_fixed: c('tasks_fixed'),
    live: byFn('live'),
    errors: c('errors'),
    locations: c('locations'),
    languages: c('languages'),
    id_list: c('id_list'),
    screenshot: c('screenshot'),
    ai_summary: 0,
    jobs: { task_post: 0 },
  };
  const appendix = { user_data: c('user_data'), errors: c('appendix_errors'), webhook_resend: c('webhook_resend') };
  const totalSerp = [
    serp.task_post,
    serp.tasks_ready,
    serp.tasks_fixed,
    serp.errors,
    serp.locations,
    serp.languages,
    serp.id_list,
    serp.screenshot,
    ...Object.values(serp.task_get),
    ...Object.values(serp.live),
  ].reduce((a, b) => a + b, 0);
  const totalAppendix = appendix.user_data + appendix.errors + appendix.webhook_resend;
  return { serp, total_serp: totalSerp, appendix, total_appendix: totalAppendix, total: totalSerp + totalAppendix, value: w.value };
}

export async function userData(deps: UserDataDeps, ctx: CallContext): Promise<ServiceResult> {
  const now = deps.clock.now();
  // The authenticated row may be up to a second old: money is read fresh.
  const account = (await deps.store.accountById(ctx.account.id)) ?? ctx.account;
  const dayStart = Math.floor(now / DAY) * DAY;
  const minuteStart = Math.floor(now / MINUTE) * MINUTE;
  const [spentDay, spentMinute, [relayed]] = await Promise.all([
    deps.store.spentByApiSince(account.id, dayStart),
    deps.store.spentByApiSince(account.id, minuteStart),
    deps.store.relayUsage(account.id),
  ]);
  // This call counts in the statistics it answers with.
  deps.usage.record(account.id, 'user_data');
  const usage = deps.usage.snapshot(account.id);
  const cap = account.dailyCostLimitMicro === null ? null : microToUsd(account.dailyCostLimitMicro);
  // The daily cost cap is the account's, over every API.
  const caps = (total: number | null) => ({
    ...Object.fromEntries(
      API_NAMES.flatMap((api) => [
        [api, null],
        [`total_${api}`, null],
      ]),
    ),
    total,
  });

  const result = {
    login: account.login,
    timezone: 'UTC',
    rates: {
      limits: { day: rateLimits(account.limits, 24 * 60, false), minute: rateLimits(account.limits, 1, true) },
      statistics: { day: rateStatistics(usage.day), minute: rateStatistics(usage.minute) },
    },
    money: {
      total: microToUsd(account.totalDepositsMicro),
      balance: microToUsd(account.balanceMicro),
      limits: { day: caps(cap), minute: caps(null) },
      statistics: { day: moneyByApi(spentDay, usage.day.value), minute: moneyByApi(spentMinute, usage.minute.value) },
    },
    price: priceTable(),
    // An extension: the account's spend and what a relaying serpq did for it (sent upstream, served from the cache).
    relay: relayView(account, relayed),
    backlinks_subscription_expiry_date: null,
    llm_mentions_subscription_expiry_date: null,
  };

  const id = newId(now, account.id, ID_FAMILY.USER_DATA);
  return {
    httpStatus: 200,
    body: envelope(STATUS.OK, {
      timeMs: elapsedMs(ctx),
      tasks: [
        wireTask(id, STATUS.OK, {
          timeMs: elapsedMs(ctx),
          path: pathSegments(ctx.url),
          data: { api: 'appendix', function: 'user_data' },
          result: [result],
        }),
      ],
    }),
  };
}
