/**
 * An API account: its credentials (hashed), money (integer micro-USD) and limits, and the vendor's
 * dashboard controls. The authenticated caller of every request; the store keeps it.
 */
export interface AccountLimits {
  /** tasks_ready (and tasks_fixed) calls per minute; the vendor's default is 20. */
  readonly tasksReadyPerMinute: number;
  /** All API calls per minute; the vendor's documented default is 2000. */
  readonly requestsPerMinute: number;
  /** Requests in flight at once; the vendor's default is 30. */
  readonly concurrentRequests: number;
}

export const DEFAULT_LIMITS: AccountLimits = Object.freeze({
  tasksReadyPerMinute: 20,
  requestsPerMinute: 2000,
  concurrentRequests: 30,
});

export interface AccountRow {
  readonly id: number;
  readonly login: string;
  readonly passwordHash: string;
  readonly balanceMicro: number;
  readonly totalDepositsMicro: number;
  readonly limits: AccountLimits;
  /** Opt-in: retry failed webhooks on the published schedule. */
  readonly webhookRetries: boolean;
  /** Opt-in: sign webhooks (Standard Webhooks) with this secret. */
  readonly webhookSecret: string | null;
  /** Daily cost cap in micro-USD (UTC day; past it task_post answers 40203); null = none. */
  readonly dailyCostLimitMicro: number | null;
  /** Identical tasks allowed per hour (vendor: 10..100 in steps of 10; past it 40205); null = off. */
  readonly duplicateLimitHour: number | null;
  /** Identical tasks allowed per day (vendor: 10..100 in steps of 10; past it 40206); null = off. */
  readonly duplicateLimitDay: number | null;
  /**
   * The APIs (keys of SUBSCRIPTION_APIS, path prefixes) this account has no subscription for: their
   * live calls answer the vendor's 40204 per task. Empty (the default) = every subscription.
   */
  readonly noSubscriptions: readonly string[];
  readonly createdAt: number;
}
