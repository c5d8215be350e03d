import { createHash } from 'node:crypto';
import type { AccountRow, Accounts } from '../store/store.js';
import { verifyPassword } from './passwords.js';

/**
 * HTTP Basic authentication against the accounts in the store. A password hash costs tens of
 * milliseconds by design, so a verified header is remembered: the cache maps a SHA-256 of the header
 * (never the plaintext) to the account and the password hash it was checked against. The account row
 * is re-read at most once a second (and at once after a change through the admin API), so balance and
 * limit changes apply within a second on every node; a changed password no longer matches the cached
 * hash and is verified afresh. (Balances are re-checked inside the task_post transaction regardless.)
 */
export interface Authenticator {
  authenticate(header: string | undefined): Promise<AccountRow | null>;
  /** The account of a header verified recently, without any I/O; undefined when a check is needed. */
  cached(header: string | undefined, connection?: object): AccountRow | undefined;
  /** Drops cached account rows (after an account changed through this process's admin API). */
  forget(): void;
}

interface CacheEntry {
  accountId: number;
  passwordHash: string;
  expires: number;
  /** The account row and when it was read: reused for `rowTtlMs`, then read again. */
  row: AccountRow;
  rowAt: number;
}

const MAX_ENTRIES = 10_000;

export interface AuthenticatorOptions {
  readonly ttlMs?: number;
  readonly failureTtlMs?: number;
  /** The password check (scrypt); replaceable so tests can count how often it runs. */
  readonly verify?: (password: string, hash: string) => Promise<boolean>;
  /** How long a cached account row is reused (ms). */
  readonly rowTtlMs?: number;
}

export function createAuthenticator(
  store: Pick<Accounts, 'accountById' | 'accountByLogin'>,
  options: AuthenticatorOptions = {},
): Authenticator {
  const verify = options.verify ?? verifyPassword;
  const ttl = options.ttlMs ?? 10 * 60_000;
  const failureTtl = options.failureTtlMs ?? 5_000;
  const rowTtl = options.rowTtlMs ?? 1_000;
  const verified = new Map<string, CacheEntry>();
  // Recently failed headers are refused without hashing again, so a client retrying bad credentials
  // in a loop cannot turn the server into a scrypt furnace.
  const failed = new Map<string, number>();

  const remember = <V>(map: Map<string, V>, key: string, value: V): void => {
    if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value as string);
    map.set(key, value);
  };

  const keyOf = (header: string) => createHash('sha256').update(header).digest('base64');
  // A keep-alive connection sends the same header again and again: its hash is remembered per
  // connection (for as long as the connection lives), so repeat requests skip the digest.
  const byConnection = new WeakMap<object, { header: string; key: string }>();
  const connectionKey = (header: string, connection?: object): string => {
    if (!connection) return keyOf(header);
    const seen = byConnection.get(connection);
    if (seen && seen.header === header) return seen.key;
    const key = keyOf(header);
    byConnection.set(connection, { header, key });
    return key;
  };

  return {
    cached(header, connection) {
      if (!header || !header.startsWith('Basic ')) return undefined;
      const hit = verified.get(connectionKey(header, connection));
      const now = Date.now();
      return hit && hit.expires > now && now - hit.rowAt < rowTtl ? hit.row : undefined;
    },
    async authenticate(header) {
      if (!header || !header.startsWith('Basic ')) return null;
      const key = keyOf(header);
      const now = Date.now();
      const hit = verified.get(key);
      if (hit && hit.expires > now) {
        if (now - hit.rowAt < rowTtl) return hit.row;
        const account = await store.accountById(hit.accountId);
        if (account && account.passwordHash === hit.passwordHash) {
          hit.row = account;
          hit.rowAt = now;
          return account;
        }
        verified.delete(key);
      }
      const failedUntil = failed.get(key);
      if (failedUntil !== undefined && failedUntil > now) return null;

      const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon <= 0) return null;
      const login = decoded.slice(0, colon);
      const password = decoded.slice(colon + 1);
      const account = await store.accountByLogin(login);
      if (account && (await verify(password, account.passwordHash))) {
        failed.delete(key);
        remember(verified, key, {
          accountId: account.id,
          passwordHash: account.passwordHash,
          expires: now + ttl,
          row: account,
          rowAt: now,
        });
        return account;
      }
      remember(failed, key, now + failureTtl);
      return null;
    },
    forget() {
      for (const entry of verified.values()) entry.rowAt = 0;
    },
  };
}
