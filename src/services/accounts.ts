import { randomBytes } from 'node:crypto';
import { microToUsd, usdToMicro } from '../domain/pricing.js';
import { newWebhookSecret } from '../domain/webhooks.js';
import { type AccountLimits, type AccountRow, DEFAULT_LIMITS, type Store } from '../store/store.js';
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

export async function createAccount(store: Store, now: number, input: AccountInput): Promise<AccountRow> {
  if (typeof input.login !== 'string' || !LOGIN_RE.test(input.login)) {
    throw new AccountInputError('login must be 1-128 characters of letters, digits and ._@+-');
  }
  const password = parsePassword(input.password);
  if (password === undefined) throw new AccountInputError('password is required');
  if (await store.accountByLogin(input.login)) throw new AccountInputError(`account '${input.login}' exists`);
  return store.createAccount({
    login: input.login,
    passwordHash: await hashPassword(password),
    balanceMicro: parseBalance(input.balance) ?? 0,
    limits: { ...DEFAULT_LIMITS, ...parseLimits(input.limits) },
    createdAt: now,
  }).then(async (created) => {
    const retries = parseRetries(input.webhook_retries);
    const secret = parseSecret(input.webhook_secret);
    if (retries === undefined && secret === undefined) return created;
    return (await store.updateAccount(created.login, { webhookRetries: retries, webhookSecret: secret })) ?? created;
  });
}

export async function updateAccount(store: Store, login: string, input: AccountInput): Promise<AccountRow | null> {
  const password = parsePassword(input.password);
  return store.updateAccount(login, {
    passwordHash: password === undefined ? undefined : await hashPassword(password),
    balanceMicro: parseBalance(input.balance),
    limits: parseLimits(input.limits),
    webhookRetries: parseRetries(input.webhook_retries),
    webhookSecret: parseSecret(input.webhook_secret),
  });
}

/** The admin API's view of an account (never the password hash). */
export function publicAccount(a: AccountRow) {
  return {
    login: a.login,
    balance: microToUsd(a.balanceMicro),
    total_deposits: microToUsd(a.totalDepositsMicro),
    limits: {
      tasks_ready_per_minute: a.limits.tasksReadyPerMinute,
      requests_per_minute: a.limits.requestsPerMinute,
      concurrent_requests: a.limits.concurrentRequests,
    },
    webhook_retries: a.webhookRetries,
    webhook_secret: a.webhookSecret,
    created_at: new Date(a.createdAt).toISOString(),
  };
}
