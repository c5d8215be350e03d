/** Accounts in the PostgreSQL store (the Accounts role). */
import type { AccountLimits, Accounts } from '../store.js';
import { type RawAccount, toAccount } from '../row-mappers.js';
import type { PostgresConnection } from './connection.js';

const LIMIT_COLUMNS: Record<keyof AccountLimits, string> = {
  tasksReadyPerMinute: 'tasks_ready_per_minute',
  requestsPerMinute: 'requests_per_minute',
  concurrentRequests: 'concurrent_requests',
};

export function accounts(conn: PostgresConnection): Accounts {
  const { query } = conn;
  const accountByLogin: Accounts['accountByLogin'] = async (login) => {
    const r = await query<RawAccount>('serpq_account_by_login', 'SELECT * FROM accounts WHERE login = $1', [login]);
    return r.rows[0] ? toAccount(r.rows[0]) : null;
  };
  return {
    async createAccount(a) {
      const r = await query<RawAccount>(
        'serpq_insert_account',
        `INSERT INTO accounts (login, password_hash, balance_micro, total_deposits_micro, tasks_ready_per_minute, requests_per_minute, concurrent_requests, no_subscriptions, created_at)
         VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8) RETURNING *`,
        [
          a.login,
          a.passwordHash,
          a.balanceMicro,
          a.limits.tasksReadyPerMinute,
          a.limits.requestsPerMinute,
          a.limits.concurrentRequests,
          JSON.stringify(a.noSubscriptions ?? []),
          a.createdAt,
        ],
      );
      return toAccount(r.rows[0]!);
    },

    async updateAccount(login, patch) {
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
        sets.push(
          `total_deposits_micro = total_deposits_micro + greatest(0, ${p}::bigint - balance_micro)`,
          `balance_micro = ${p}::bigint`,
        );
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
      if (patch.noSubscriptions !== undefined) sets.push(`no_subscriptions = ${param(JSON.stringify(patch.noSubscriptions))}`);
      if (sets.length === 0) return accountByLogin(login);
      const r = await query<RawAccount>(undefined, `UPDATE accounts SET ${sets.join(', ')} WHERE login = $1 RETURNING *`, values);
      return r.rows[0] ? toAccount(r.rows[0]) : null;
    },

    accountByLogin,

    async accountById(id) {
      const r = await query<RawAccount>('serpq_account_by_id', 'SELECT * FROM accounts WHERE id = $1', [id]);
      return r.rows[0] ? toAccount(r.rows[0]) : null;
    },

    async listAccounts() {
      return (await query<RawAccount>(undefined, 'SELECT * FROM accounts ORDER BY id')).rows.map(toAccount);
    },

    async countAccounts() {
      return (await query<{ n: number }>(undefined, 'SELECT count(*) AS n FROM accounts')).rows[0]!.n;
    },
  };
}
