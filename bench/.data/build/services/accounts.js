import { microToUsd, usdToMicro } from '../domain/pricing.js';
import { DEFAULT_LIMITS } from '../store/store.js';
import { hashPassword } from './passwords.js';
export class AccountInputError extends Error {
}
const LIMIT_KEYS = {
    tasks_ready_per_minute: 'tasksReadyPerMinute',
    requests_per_minute: 'requestsPerMinute',
    concurrent_requests: 'concurrentRequests',
};
const LOGIN_RE = /^[A-Za-z0-9._@+-]{1,128}$/;
function parseLimits(v) {
    if (v === undefined || v === null)
        return {};
    if (typeof v !== 'object' || Array.isArray(v))
        throw new AccountInputError('limits must be an object');
    const out = {};
    for (const [k, value] of Object.entries(v)) {
        const key = LIMIT_KEYS[k];
        if (!key)
            throw new AccountInputError(`unknown limit '${k}' (known: ${Object.keys(LIMIT_KEYS).join(', ')})`);
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
            throw new AccountInputError(`${k} must be a whole number >= 0`);
        out[key] = value;
    }
    return out;
}
function parseBalance(v) {
    if (v === undefined || v === null)
        return undefined;
    const n = typeof v === 'string' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0)
        throw new AccountInputError('balance must be a number of USD >= 0');
    return usdToMicro(n);
}
function parsePassword(v) {
    if (v === undefined || v === null)
        return undefined;
    if (typeof v !== 'string' || v.length < 1 || v.length > 1024)
        throw new AccountInputError('password must be a non-empty string');
    return v;
}
export async function createAccount(store, now, input) {
    if (typeof input.login !== 'string' || !LOGIN_RE.test(input.login)) {
        throw new AccountInputError('login must be 1-128 characters of letters, digits and ._@+-');
    }
    const password = parsePassword(input.password);
    if (password === undefined)
        throw new AccountInputError('password is required');
    if (await store.accountByLogin(input.login))
        throw new AccountInputError(`account '${input.login}' exists`);
    return store.createAccount({
        login: input.login,
        passwordHash: await hashPassword(password),
        balanceMicro: parseBalance(input.balance) ?? 0,
        limits: { ...DEFAULT_LIMITS, ...parseLimits(input.limits) },
        createdAt: now,
    });
}
export async function updateAccount(store, login, input) {
    const password = parsePassword(input.password);
    return store.updateAccount(login, {
        passwordHash: password === undefined ? undefined : await hashPassword(password),
        balanceMicro: parseBalance(input.balance),
        limits: parseLimits(input.limits),
    });
}
/** The admin API's view of an account (never the password hash). */
export function publicAccount(a) {
    return {
        login: a.login,
        balance: microToUsd(a.balanceMicro),
        total_deposits: microToUsd(a.totalDepositsMicro),
        limits: {
            tasks_ready_per_minute: a.limits.tasksReadyPerMinute,
            requests_per_minute: a.limits.requestsPerMinute,
            concurrent_requests: a.limits.concurrentRequests,
        },
        created_at: new Date(a.createdAt).toISOString(),
    };
}
