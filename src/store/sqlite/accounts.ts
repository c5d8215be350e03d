/** Accounts in the SQLite store (the Accounts role). */
import type { AccountLimits, Accounts } from '../store.js';
import { type RawAccount, toAccount } from '../row-mappers.js';
import type { SqliteConnection } from './connection.js';

const LIMIT_COLUMNS: Record<keyof AccountLimits, string> = {
  tasksReadyPerMinute: 'tasks_ready_per_minute',
  requestsPerMinute: 'requests_per_minute',
  concurrentRequests: 'concurrent_requests',
};

const CONTROL_COLUMNS = {
  dailyCostLimitMicro: 'daily_cost_limit_micro',
  duplicateLimitHour: 'duplicate_limit_hour',
  duplicateLimitDay: 'duplicate_limit_day',
} as const;

export function accounts(conn: SqliteConnection): Accounts {
  const { db } = conn;
  const s = {
    insertAccount: db.prepare(
      `INSERT INTO accounts (login, password_hash, balance_micro, total_deposits_micro, tasks_ready_per_minute, requests_per_minute, concurrent_requests, no_subscriptions, created_at)
         VALUES (@login, @passwordHash, @balance, @balance, @trpm, @rpm, @cc, @noSubscriptions, @createdAt) RETURNING *`,
    ),
    accountByLogin: db.prepare('SELECT * FROM accounts WHERE login = ?'),
    accountById: db.prepare('SELECT * FROM accounts WHERE id = ?'),
    listAccounts: db.prepare('SELECT * FROM accounts ORDER BY id'),
    countAccounts: db.prepare('SELECT count(*) AS n FROM accounts').pluck(),
  };
  const accountByLogin: Accounts['accountByLogin'] = async (login) => {
    const r = s.accountByLogin.get(login) as RawAccount | undefined;
    return r ? toAccount(r) : null;
  };

  return {
    async createAccount(a) {
      const row = s.insertAccount.get({
        login: a.login,
        passwordHash: a.passwordHash,
        balance: a.balanceMicro,
        trpm: a.limits.tasksReadyPerMinute,
        rpm: a.limits.requestsPerMinute,
        cc: a.limits.concurrentRequests,
        noSubscriptions: JSON.stringify(a.noSubscriptions ?? []),
        createdAt: a.createdAt,
      }) as RawAccount;
      return toAccount(row);
    },

    async updateAccount(login, patch) {
      const sets: string[] = [];
      const params: Record<string, unknown> = { login };
      if (patch.passwordHash !== undefined) {
        sets.push('password_hash = @passwordHash');
        params.passwordHash = patch.passwordHash;
      }
      if (patch.balanceMicro !== undefined) {
        // A raised balance counts as a deposit (user_data money.total).
        sets.push('total_deposits_micro = total_deposits_micro + max(0, @balance - balance_micro)', 'balance_micro = @balance');
        params.balance = patch.balanceMicro;
      }
      for (const [k, col] of Object.entries(LIMIT_COLUMNS) as [keyof AccountLimits, string][]) {
        const v = patch.limits?.[k];
        if (v !== undefined) {
          sets.push(`${col} = @${k}`);
          params[k] = v;
        }
      }
      if (patch.webhookRetries !== undefined) {
        sets.push('webhook_retries = @webhookRetries');
        params.webhookRetries = patch.webhookRetries ? 1 : 0;
      }
      if (patch.webhookSecret !== undefined) {
        sets.push('webhook_secret = @webhookSecret');
        params.webhookSecret = patch.webhookSecret;
      }
      for (const [k, col] of Object.entries(CONTROL_COLUMNS) as [keyof typeof CONTROL_COLUMNS, string][]) {
        const v = patch[k];
        if (v !== undefined) {
          sets.push(`${col} = @${k}`);
          params[k] = v;
        }
      }
      if (patch.noSubscriptions !== undefined) {
        sets.push('no_subscriptions = @noSubscriptions');
        params.noSubscriptions = JSON.stringify(patch.noSubscriptions);
      }
      if (sets.length === 0) return accountByLogin(login);
      const row = db.prepare(`UPDATE accounts SET ${sets.join(', ')} WHERE login = @login RETURNING *`).get(params) as
        RawAccount | undefined;
      return row ? toAccount(row) : null;
    },

    accountByLogin,

    async accountById(id) {
      const r = s.accountById.get(id) as RawAccount | undefined;
      return r ? toAccount(r) : null;
    },

    async listAccounts() {
      return (s.listAccounts.all() as RawAccount[]).map(toAccount);
    },

    async countAccounts() {
      return s.countAccounts.get() as number;
    },
  };
}
