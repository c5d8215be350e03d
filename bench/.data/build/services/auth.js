import { createHash } from 'node:crypto';
import { verifyPassword } from './passwords.js';
const MAX_ENTRIES = 10_000;
export function createAuthenticator(store, options = {}) {
    const ttl = options.ttlMs ?? 10 * 60_000;
    const failureTtl = options.failureTtlMs ?? 5_000;
    const verified = new Map();
    // Recently failed headers are refused without hashing again, so a client retrying bad credentials
    // in a loop cannot turn the server into a scrypt furnace.
    const failed = new Map();
    const remember = (map, key, value) => {
        if (map.size >= MAX_ENTRIES)
            map.delete(map.keys().next().value);
        map.set(key, value);
    };
    return {
        async authenticate(header) {
            if (!header || !header.startsWith('Basic '))
                return null;
            const key = createHash('sha256').update(header).digest('base64');
            const now = Date.now();
            const hit = verified.get(key);
            if (hit && hit.expires > now) {
                const account = await store.accountById(hit.accountId);
                if (account && account.passwordHash === hit.passwordHash)
                    return account;
                verified.delete(key);
            }
            const failedUntil = failed.get(key);
            if (failedUntil !== undefined && failedUntil > now)
                return null;
            const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
            const colon = decoded.indexOf(':');
            if (colon <= 0)
                return null;
            const login = decoded.slice(0, colon);
            const password = decoded.slice(colon + 1);
            const account = await store.accountByLogin(login);
            if (account && (await verifyPassword(password, account.passwordHash))) {
                failed.delete(key);
                remember(verified, key, { accountId: account.id, passwordHash: account.passwordHash, expires: now + ttl });
                return account;
            }
            remember(failed, key, now + failureTtl);
            return null;
        },
    };
}
