import type { Clock } from '../domain/clock.js';
import { createAccount } from '../services/accounts.js';
import type { Accounts } from '../store/store.js';

/**
 * The demo account (`demo` / `demo`, 100 USD): created on a fresh database that only this machine
 * can reach, and again after an admin reset.
 */
export const DEMO_LOGIN = 'demo';
export const DEMO_PASSWORD = 'demo';
/**
 * The scrypt hash of DEMO_PASSWORD, precomputed so a start does not spend time hashing it. The password
 * is public, so neither the fixed salt nor the low cost (N = 1024, ~2 ms to verify instead of ~45 ms)
 * hides anything: the first call of a test suite as demo is not kept waiting. A password set for the
 * demo account later through the admin API is hashed at the full cost like any other.
 */
export const DEMO_PASSWORD_HASH = 'scrypt$1024$8$1$c2VycHEgZGVtbyBhY2NudA$-iH0KHlJspY2uzz5iS9srS0tOhe4paEeFFXJtYiIx98';
export const DEMO_BALANCE_USD = 100;

/**
 * Creates the demo account; with `ifNoAccounts`, only on a store without any account. Several
 * nodes started at once on one fresh database: one of them creates it, the others find it.
 * Resolves to whether this call created it.
 */
export async function seedDemoAccount(
  store: Pick<Accounts, 'countAccounts' | 'createAccount' | 'accountByLogin' | 'updateAccount'>,
  clock: Clock,
  ifNoAccounts: boolean,
): Promise<boolean> {
  if (ifNoAccounts && (await store.countAccounts()) > 0) return false;
  try {
    await createAccount(store, clock.now(), { login: DEMO_LOGIN, password: DEMO_PASSWORD, balance: DEMO_BALANCE_USD }, DEMO_PASSWORD_HASH);
    return true;
  } catch (err) {
    if (!(await store.accountByLogin(DEMO_LOGIN))) throw err;
    return false;
  }
}
