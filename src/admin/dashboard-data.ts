import { type Clock, isTravelClock } from '../domain/clock.js';
import { microToUsd } from '../domain/pricing.js';
import { DAY, MINUTE } from '../domain/time-format.js';
import { publicAccount } from '../services/accounts.js';
import { ERRORS_WINDOW_MS } from '../services/webhooks.js';
import type { RelayUsage } from '../domain/relay-records.js';
import type { RelayLedger } from '../executors/relay/ledger.js';
import { budgetOfAlertKey } from '../domain/budgets.js';
import { budgetView } from '../services/budgets.js';
import type { Accounts, Budgets, DashboardReads, MinuteCompletions, QueueStats, TaskHistory } from '../store/store.js';
import type { UpstreamReport } from './routes.js';

/**
 * What the operator dashboard shows, read from the store (so it is right across every node sharing
 * it) and shaped as the admin API's plain JSON. One snapshot is read at most once per `cacheMs` of
 * the process clock however many dashboards are open; the SSE stream and the GET endpoints share it.
 */
export interface DashboardDataDeps {
  readonly store: DashboardReads &
    Pick<Accounts, 'listAccounts'> &
    Pick<TaskHistory, 'spentSince' | 'spentByApiSince'> &
    Pick<Budgets, 'budgetsOf' | 'budgetAlertsOf'> &
    Pick<RelayLedger, 'relayUsage'>;
  readonly clock: Clock;
  /** Whether this process's executor takes injected faults (POST /admin/faults). */
  readonly faultInjection: boolean;
  /** The relay's upstream (what GET /admin/upstream answers); absent with other executors. */
  readonly upstream?: () => Promise<UpstreamReport>;
  readonly cacheMs?: number;
}

/** Minutes of completions the chart shows, the current one last. */
export const CHART_MINUTES = 30;
/** Rows of each failure list. */
export const FAILURE_ROWS = 20;
export const DASHBOARD_CACHE_MS = 2000;

export interface Overview {
  readonly now: string;
  readonly time_travel: boolean;
  readonly offset_seconds: number;
  readonly fault_injection: boolean;
  readonly queue: {
    readonly queued: number;
    readonly running: number;
    readonly ready: number;
    readonly oldest_queued_age_seconds: number;
  };
  /** CHART_MINUTES entries, oldest first; minutes without completions count 0. */
  readonly completed_per_minute: ReadonlyArray<{ readonly minute: string; readonly done: number; readonly failed: number }>;
}

/** A budget as GET /admin/accounts/:login/budgets shows it (spend this period, alerts of the period). */
export type BudgetView = Awaited<ReturnType<typeof budgetView>>;

export type AccountView = ReturnType<typeof publicAccount> & {
  readonly spent_today: number;
  /** Today's spend (UTC day) per API, USD; APIs without any are left out. */
  readonly spent_today_by_api: Readonly<Record<string, number>>;
  readonly budgets: readonly BudgetView[];
};

export interface Failures {
  readonly tasks: ReadonlyArray<{
    readonly id: string;
    readonly login: string | null;
    readonly se: string;
    readonly se_type: string;
    readonly function: string;
    readonly status_code: number;
    readonly status_message: string | null;
    readonly completed_at: string;
  }>;
  readonly webhooks: ReadonlyArray<{
    readonly task_id: string;
    /** A budget alert's budget (kind 'budget_alert', whose task_id is no task's); null for a task's webhooks. */
    readonly budget_id: number | null;
    readonly login: string | null;
    readonly kind: string;
    readonly url: string;
    readonly failed_at: string;
    readonly http_code: number | null;
    readonly error: string | null;
    readonly state: string;
    readonly attempts: number;
  }>;
}

/** A relay's upstream, with what the relay did for the accounts: tasks sent upstream and served from its cache. */
export type UpstreamView = UpstreamReport & { readonly tasks_relayed: number; readonly cache_hits: number };

export interface Snapshot {
  readonly overview: Overview;
  readonly accounts: readonly AccountView[];
  readonly failures: Failures;
  /** null when this server does not relay. */
  readonly upstream: UpstreamView | null;
}

export interface DashboardData {
  /** The cached snapshot, read again once it is `cacheMs` old. */
  snapshot(): Promise<Snapshot>;
  /** A snapshot read now (the SSE ticks, and after a change), which the cached one becomes. */
  refresh(): Promise<Snapshot>;
  /** Drops what is cached (after a reset the counts per minute are read again from scratch). */
  forget(): void;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function createDashboardData(deps: DashboardDataDeps): DashboardData {
  const { store, clock } = deps;
  const cacheMs = deps.cacheMs ?? DASHBOARD_CACHE_MS;
  const perMinute = createMinuteCounts(store);
  let cached: { at: number; snapshot: Promise<Snapshot> } | null = null;

  async function read(now: number): Promise<Snapshot> {
    const dayStart = Math.floor(now / DAY) * DAY;
    const [stats, minutes, accounts, usage, byApi, failedTasks, failedHooks, upstream] = await Promise.all([
      store.queueStats(),
      perMinute.read(now),
      store.listAccounts(),
      store.relayUsage(),
      store.spendByAccount(dayStart),
      store.latestFailedTasks(now - ERRORS_WINDOW_MS, FAILURE_ROWS),
      store.latestFailedWebhooks(now - ERRORS_WINDOW_MS, FAILURE_ROWS),
      deps.upstream?.() ?? null,
    ]);
    const usageOf = new Map(usage.map((u) => [u.accountId, u]));
    const [spent, budgets] = await Promise.all([
      Promise.all(accounts.map((a) => store.spentSince(a.id, dayStart))),
      Promise.all(accounts.map(async (a) => Promise.all((await store.budgetsOf(a.id)).map((b) => budgetView(store, clock, b))))),
    ]);
    const apisOf = new Map<string, Record<string, number>>();
    for (const row of byApi) {
      const apis = apisOf.get(row.login) ?? {};
      apis[row.api] = microToUsd(row.micro);
      apisOf.set(row.login, apis);
    }
    return {
      overview: overviewOf(clock, now, stats, minutes, deps.faultInjection),
      accounts: accounts.map((a, i) => ({
        ...publicAccount(a, usageOf.get(a.id)),
        spent_today: microToUsd(spent[i]),
        spent_today_by_api: apisOf.get(a.login) ?? {},
        budgets: budgets[i] ?? [],
      })),
      failures: {
        tasks: failedTasks.map((t) => ({
          id: t.id,
          login: t.login,
          se: t.se,
          se_type: t.seType,
          function: t.method,
          status_code: t.statusCode,
          status_message: t.statusMessage,
          completed_at: iso(t.completedAt),
        })),
        webhooks: failedHooks.map((w) => ({
          task_id: w.taskId,
          budget_id: w.kind === 'budget_alert' ? budgetOfAlertKey(w.taskId) : null,
          login: w.login,
          kind: w.kind,
          url: w.url,
          failed_at: iso(w.failedAt),
          http_code: w.httpCode,
          error: w.error,
          state: w.state,
          attempts: w.attempts,
        })),
      },
      upstream: upstream && upstreamView(upstream, usage),
    };
  }

  function refresh(): Promise<Snapshot> {
    const now = clock.now();
    const snapshot = read(now);
    cached = { at: now, snapshot };
    // A failed read is not reused: the next call tries the store again.
    snapshot.catch(() => {
      if (cached?.snapshot === snapshot) cached = null;
    });
    return snapshot;
  }

  return {
    snapshot() {
      const now = clock.now();
      if (!cached || now - cached.at >= cacheMs || now < cached.at) return refresh();
      return cached.snapshot;
    },
    refresh,
    forget() {
      cached = null;
      perMinute.forget();
    },
  };
}

function overviewOf(clock: Clock, now: number, s: QueueStats, minutes: MinuteCompletions[], faults: boolean): Overview {
  return {
    now: iso(now),
    time_travel: isTravelClock(clock),
    offset_seconds: isTravelClock(clock) ? clock.offsetMs() / 1000 : 0,
    fault_injection: faults,
    queue: {
      queued: s.queued,
      running: s.running,
      ready: s.ready,
      oldest_queued_age_seconds: s.oldestQueuedAt === null ? 0 : Math.max(0, Math.round((now - s.oldestQueuedAt) / 100) / 10),
    },
    completed_per_minute: minutes.map((m) => ({ minute: iso(m.minute), done: m.done, failed: m.failed })),
  };
}

function upstreamView(report: UpstreamReport, usage: readonly RelayUsage[]): UpstreamView {
  return {
    ...report,
    tasks_relayed: usage.reduce((n, u) => n + u.relayed, 0),
    cache_hits: usage.reduce((n, u) => n + u.cacheHits, 0),
  };
}

/**
 * Completions per minute for the last CHART_MINUTES minutes, read incrementally: a minute two
 * minutes past is final (completions are stamped with the clock, which only moves forward), so each
 * read asks the store only for the previous and the current minute (the previous one again, for
 * nodes whose clocks lag a little). A busy store then costs two minutes of index entries per read,
 * not thirty.
 */
export function createMinuteCounts(store: Pick<DashboardReads, 'completionsByMinute'>) {
  const counts = new Map<number, MinuteCompletions>();
  let finalBefore = -Infinity;
  let lastNow = -Infinity;
  // Bumped by forget(): a read that began before it must not write what it read into the new state.
  let generation = 0;
  const forget = () => {
    counts.clear();
    finalBefore = -Infinity;
    lastNow = -Infinity;
    generation++;
  };
  return {
    async read(now: number): Promise<MinuteCompletions[]> {
      // The clock went back (a reset): nothing known holds.
      if (now < lastNow) forget();
      lastNow = now;
      const began = generation;
      const current = Math.floor(now / MINUTE) * MINUTE;
      const start = current - (CHART_MINUTES - 1) * MINUTE;
      const from = Math.max(start, finalBefore);
      const rows = await store.completionsByMinute(from, now + 1);
      const known = began === generation ? counts : new Map<number, MinuteCompletions>();
      for (const minute of known.keys()) if (minute < start || minute >= from) known.delete(minute);
      for (const r of rows) known.set(r.minute, r);
      if (began === generation) finalBefore = Math.max(finalBefore, current - MINUTE);
      return Array.from({ length: CHART_MINUTES }, (_, i) => {
        const minute = start + i * MINUTE;
        return known.get(minute) ?? { minute, done: 0, failed: 0 };
      });
    },
    forget,
  };
}
