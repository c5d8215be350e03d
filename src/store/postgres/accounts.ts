import type { AccountLimits, AccountPatch, AccountRow, NewAccount } from '../store.js';
import { type RawAccount, toAccount } from '../row-mappers.js';
import type { Query } from './connection.js';

/** Accounts in the PostgreSQL store (see Store.createAccount and the rest). */

export async function createAccount(query: Query, a: NewAccount): Promise<AccountRow> {
  const r = await query<RawAccount>(
    'serpq_insert_account',
    `INSERT INTO accounts (login, password_hash, balance_micro, total_deposits_micro, tasks_ready_per_minute, requests_per_minute, concurrent_requests, created_at)
     VALUES ($1, $2, $3, $3, $4, $5, $6, $7) RETURNING *`,
    [
      a.login,
      a.passwordHash,
      a.balanceMicro,
      a.limits.tasksReadyPerMinute,
      a.limits.requestsPerMinute,
      a.limits.concurrentRequests,
      a.createdAt,
    ],
  );
  return toAccount(r.rows[0]!);
}

const LIMIT_COLUMNS: Record<keyof AccountLimits, string> = {
  tasksReadyPerMinute: 'tasks_ready_per_minute',
  requestsPerMinute: 'requests_per_minute',
  concurrentRequests: 'concurrent_requests',
};

export async function updateAccount(query: Query, login: string, patch: AccountPatch): Promise<AccountRow | null> {
  const sets: string[] = [];
  const values: unknown[] = [login];
  const param = (v: unknown): string => {
    values.push(v);
    return `$${values.length}`;
  };
  if (patch.passwordHash !== undefined) sets.push(`password_hash = ${param(patch.passwordHash)}`);
  if (patch.balanceMicro !== undefined) {
    // A raised balance counts as a deposit (user_data money.total).
    const p = param(patch.balanceMicro);
    sets.push(`total_deposits_micro = total_deposits_micro + greatest(0, ${p}::bigint - balance_micro)`, `balance_micro = ${p}::bigint`);
  }
  for (const [k, col] of Object.entries(LIMIT_COLUMNS) as [keyof AccountLimits, string][]) {
    const v = patch.limits?.[k];
    if (v !== undefined) sets.push(`${col} = ${param(v)}`);
  }
  if (patch.webhookRetries !== undefined) sets.push(`webhook_retries = ${param(patch.webhookRetries)}`);
  if (patch.webhookSecret !== undefined) sets.push(`webhook_secret = ${param(patch.webhookSecret)}`);
  if (patch.dailyCostLimitMicro !== undefined) sets.push(`daily_cost_limit_micro = ${param(patch.dailyCostLimitMicro)}::bigint`);
  if (patch.duplicateLimitHour !== undefined) sets.push(`duplicate_limit_hour = ${param(patch.duplicateLimitHour)}::int`);
  if (patch.duplicateLimitDay !== undefined) sets.push(`duplicate_limit_day = ${param(patch.duplicateLimitDay)}::int`);
  if (sets.length === 0) return accountByLogin(query, login);
  const r = await query<RawAccount>(undefined, `UPDATE accounts SET ${sets.join(', ')} WHERE login = $1 RETURNING *`, values);
  return r.rows[0] ? toAccount(r.rows[0]) : null;
}

export async function accountByLogin(query: Query, login: string): Promise<AccountRow | null> {
  const r = await query<RawAccount>('serpq_account_by_login', 'SELECT * FROM accounts WHERE login = $1', [login]);
  return r.rows[0] ? toAccount(r.rows[0]) : null;
}

export async function accountById(query: Query, id: number): Promise<AccountRow | null> {
  const r = await query<RawAccount>('serpq_account_by_id', 'SELECT * FROM accounts WHERE id = $1', [id]);
  return r.rows[0] ? toAccount(r.rows[0]) : null;
}

export async function listAccounts(query: Query): Promise<AccountRow[]> {
  return (await query<RawAccount>(undefined, 'SELECT * FROM accounts ORDER BY id')).rows.map(toAccount);
}

export async function countAccounts(query: Query): Promise<number> {
  return (await query<{ n: number }>(undefined, 'SELECT count(*) AS n FROM accounts')).rows[0]!.n;
}
