import { randomBytes } from 'node:crypto';
import { SUBSCRIPTION_APIS } from '../domain/api-prices.js';
import { microToUsd, usdToMicro } from '../domain/pricing.js';
import { newWebhookSecret } from '../domain/webhooks.js';
import type { RelayUsage } from '../domain/relay-records.js';
import { type AccountLimits, type AccountRow, DEFAULT_LIMITS, type Accounts } from '../store/store.js';
import { hashPassword } from './passwords.js';

/** Account management shared by the admin API and the CLI. Inputs use the admin API's snake_case. */
export interface AccountInput {
  readonly login?: unknown;
  readonly password?: unknown;
  readonly balance?: unknown;
  readonly limits?: unknown;
  /** Opt-in webhook retries (boolean). */
  readonly webhook_retries?: unknown;
  /** Opt-in webhook signing: true generates a secret, a `whsec_...` string sets one, null turns signing off. */
  readonly webhook_secret?: unknown;
  /** Daily cost cap in USD (40203 past it; resets 00:00 UTC); null turns it off. */
  readonly daily_cost_limit?: unknown;
  /** Identical tasks allowed per hour / per day: 10..100 in steps of 10 (40205 / 40206); null = off. */
  readonly duplicate_limit_hour?: unknown;
  readonly duplicate_limit_day?: unknown;
  /**
   * The vendor's API subscriptions, by API path prefix (`backlinks`, `ai_optimization/llm_mentions`):
   * true has it, false lacks it (its live calls answer 40204); prefixes not named keep their setting.
   */
  readonly subscriptions?: unknown;
}

export class AccountInputError extends Error {}

const LIMIT_KEYS: Record<string, keyof AccountLimits> = {
  tasks_ready_per_minute: 'tasksReadyPerMinute',
  requests_per_minute: 'requestsPerMinute',
  concurrent_requests: 'concurrentRequests',
};

const LOGIN_RE = /^[A-Za-z0-9._@+-]{1,128}$/;

function parseLimits(v: unknown): Partial<AccountLimits> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new AccountInputError('limits must be an object');
  const out: Partial<Record<keyof AccountLimits, number>> = {};
  for (const [k, value] of Object.entries(v as Record<string, unknown>)) {
    const key = LIMIT_KEYS[k];
    if (!key) throw new AccountInputError(`unknown limit '${k}' (known: ${Object.keys(LIMIT_KEYS).join(', ')})`);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new AccountInputError(`${k} must be a whole number >= 0`);
    out[key] = value;
  }
  return out;
}

function parseBalance(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) throw new AccountInputError('balance must be a number of USD >= 0');
  return usdToMicro(n);
}

function parsePassword(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v.length < 1 || v.length > 1024) throw new AccountInputError('password must be a non-empty string');
  return v;
}

function parseRetries(v: unknown): boolean | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw new AccountInputError('webhook_retries must be true or false');
  return v;
}

function parseSecret(v: unknown): string | null | undefined {
  if (v === undefined) return undefined;
  if (v === null || v === false) return null;
  if (v === true) return newWebhookSecret(randomBytes(24));
  if (typeof v === 'string' && /^whsec_[A-Za-z0-9+/=]{16,}$/.test(v)) return v;
  throw new AccountInputError('webhook_secret must be true (generate), null (off) or a whsec_<base64> secret');
}

function parseCostLimit(v: unknown): number | null | undefined {
  if (v === undefined) return undefined;
  if (v === null) return null;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0)
    throw new AccountInputError('daily_cost_limit must be a number of USD >= 0, or null (no limit)');
  return usdToMicro(n);
}

function parseDuplicateLimit(name: string, v: unknown): number | null | undefined {
  if (v === undefined) return undefined;
  if (v === null) return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 10 || v > 100 || v % 10 !== 0) {
    throw new AccountInputError(`${name} must be 10, 20, ... or 100 (identical tasks allowed), or null (off)`);
  }
  return v;
}

/** The `subscriptions` object of an input: prefix -> has it (undefined = unchanged). */
function parseSubscriptions(v: unknown): ReadonlyMap<string, boolean> | undefined {
  if (v === undefined) return undefined;
  const known = Object.keys(SUBSCRIPTION_APIS);
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new AccountInputError(`subscriptions must be an object of API to true or false (APIs: ${known.join(', ')})`);
  const out = new Map<string, boolean>();
  for (const [api, has] of Object.entries(v as Record<string, unknown>)) {
    if (!known.includes(api)) throw new AccountInputError(`unknown subscription '${api}' (known: ${known.join(', ')})`);
    if (typeof has !== 'boolean') throw new AccountInputError(`subscriptions.${api} must be true or false`);
    out.set(api, has);
  }
  return out;
}

/** The subscriptions an account lacks after `changes`, in SUBSCRIPTION_APIS order. */
function lackedAfter(lacked: readonly string[], changes: ReadonlyMap<string, boolean>): string[] {
  return Object.keys(SUBSCRIPTION_APIS).filter((api) => !(changes.get(api) ?? !lacked.includes(api)));
}

/** The account-control part of an input (undefined = unchanged). */
function parseControls(input: AccountInput) {
  return {
    dailyCostLimitMicro: parseCostLimit(input.daily_cost_limit),
    duplicateLimitHour: parseDuplicateLimit('duplicate_limit_hour', input.duplicate_limit_hour),
    duplicateLimitDay: parseDuplicateLimit('duplicate_limit_day', input.duplicate_limit_day),
  };
}

/**
 * `hashed` is the scrypt hash of `input.password` when the caller has it already (the demo account's
 * is a constant: hashing costs ~40 ms of a start).
 */
export async function createAccount(
  store: Pick<Accounts, 'createAccount' | 'accountByLogin' | 'updateAccount'>,
  now: number,
  input: AccountInput,
  hashed?: string,
): Promise<AccountRow> {
  if (typeof input.login !== 'string' || !LOGIN_RE.test(input.login)) {
    throw new AccountInputError('login must be 1-128 characters of letters, digits and ._@+-');
  }
  const password = parsePassword(input.password);
  if (password === undefined) throw new AccountInputError('password is required');
  // Every field is checked before anything is written: a bad setting never leaves a half-made account.
  const controls = parseControls(input);
  const retries = parseRetries(input.webhook_retries);
  const secret = parseSecret(input.webhook_secret);
  const subscriptions = parseSubscriptions(input.subscriptions);
  if (await store.accountByLogin(input.login)) throw new AccountInputError(`account '${input.login}' exists`);
  return store
    .createAccount({
      login: input.login,
      passwordHash: hashed ?? (await hashPassword(password)),
      balanceMicro: parseBalance(input.balance) ?? 0,
      limits: { ...DEFAULT_LIMITS, ...parseLimits(input.limits) },
      noSubscriptions: subscriptions ? lackedAfter([], subscriptions) : [],
      createdAt: now,
    })
    .then(async (created) => {
      const hasControls = Object.values(controls).some((v) => v !== undefined);
      if (retries === undefined && secret === undefined && !hasControls) return created;
      return (await store.updateAccount(created.login, { webhookRetries: retries, webhookSecret: secret, ...controls })) ?? created;
    });
}

export async function updateAccount(
  store: Pick<Accounts, 'updateAccount' | 'accountByLogin'>,
  login: string,
  input: AccountInput,
): Promise<AccountRow | null> {
  const password = parsePassword(input.password);
  const subscriptions = parseSubscriptions(input.subscriptions);
  let noSubscriptions: string[] | undefined;
  if (subscriptions) {
    // The stored list is whole: named APIs change, the others keep what the account has now.
    const current = await store.accountByLogin(login);
    if (!current) return null;
    noSubscriptions = lackedAfter(current.noSubscriptions, subscriptions);
  }
  return store.updateAccount(login, {
    passwordHash: password === undefined ? undefined : await hashPassword(password),
    balanceMicro: parseBalance(input.balance),
    limits: parseLimits(input.limits),
    webhookRetries: parseRetries(input.webhook_retries),
    webhookSecret: parseSecret(input.webhook_secret),
    ...parseControls(input),
    noSubscriptions,
  });
}

/** The admin API's view of an account (never the password hash). */
/** An account's spend (all deposits less the balance) and what the relay did for it. */
export function relayView(a: AccountRow, usage: RelayUsage | undefined) {
  return {
    spent: microToUsd(a.totalDepositsMicro - a.balanceMicro),
    tasks_relayed: usage?.relayed ?? 0,
    cache_hits: usage?.cacheHits ?? 0,
  };
}

export function publicAccount(a: AccountRow, usage?: RelayUsage) {
  return {
    login: a.login,
    balance: microToUsd(a.balanceMicro),
    total_deposits: microToUsd(a.totalDepositsMicro),
    ...relayView(a, usage),
    limits: {
      tasks_ready_per_minute: a.limits.tasksReadyPerMinute,
      requests_per_minute: a.limits.requestsPerMinute,
      concurrent_requests: a.limits.concurrentRequests,
    },
    webhook_retries: a.webhookRetries,
    webhook_secret: a.webhookSecret,
    daily_cost_limit: a.dailyCostLimitMicro === null ? null : microToUsd(a.dailyCostLimitMicro),
    duplicate_limit_hour: a.duplicateLimitHour,
    duplicate_limit_day: a.duplicateLimitDay,
    subscriptions: Object.fromEntries(Object.keys(SUBSCRIPTION_APIS).map((api) => [api, !a.noSubscriptions.includes(api)])),
    created_at: new Date(a.createdAt).toISOString(),
  };
}
