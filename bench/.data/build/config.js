import { z } from 'zod';
import { parseLatency } from './executors/executor.js';
const bool = z
    .union([z.boolean(), z.string()])
    .transform((v, ctx) => {
    if (typeof v === 'boolean')
        return v;
    const t = v.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(t))
        return true;
    if (['0', 'false', 'no', 'off', ''].includes(t))
        return false;
    ctx.addIssue({ code: 'custom', message: `expected a boolean, got '${v}'` });
    return z.NEVER;
});
const schema = z.object({
    host: z.string().min(1),
    port: z.coerce.number().int().min(0).max(65535),
    db: z.string().min(1),
    executor: z.string().min(1),
    sandboxLatency: z.string().transform((v, ctx) => {
        try {
            return parseLatency(v);
        }
        catch (err) {
            ctx.addIssue({ code: 'custom', message: err.message });
            return z.NEVER;
        }
    }),
    timeTravel: bool,
    adminToken: z.string().min(8, 'the admin token needs at least 8 characters').nullable(),
    allowPrivateWebhooks: bool,
    workers: bool,
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
});
const ENV = {
    host: 'SERPQ_HOST',
    port: 'SERPQ_PORT',
    db: 'SERPQ_DB',
    executor: 'SERPQ_EXECUTOR',
    sandboxLatency: 'SERPQ_SANDBOX_LATENCY',
    timeTravel: 'SERPQ_TIME_TRAVEL',
    adminToken: 'SERPQ_ADMIN_TOKEN',
    allowPrivateWebhooks: 'SERPQ_ALLOW_PRIVATE_WEBHOOKS',
    workers: 'SERPQ_WORKERS',
    logLevel: 'SERPQ_LOG_LEVEL',
};
const DEFAULTS = {
    host: '127.0.0.1',
    port: 8080,
    db: './serpq.db',
    executor: 'sandbox',
    sandboxLatency: '0',
    timeTravel: false,
    adminToken: null,
    allowPrivateWebhooks: false,
    workers: true,
    logLevel: 'warn',
};
export class ConfigError extends Error {
    problems;
    constructor(problems) {
        super(`invalid configuration:\n  ${problems.join('\n  ')}`);
        this.problems = problems;
    }
}
export function loadConfig(env = process.env, overrides = {}) {
    const raw = {};
    for (const key of Object.keys(DEFAULTS)) {
        const fromEnv = env[ENV[key]];
        raw[key] = overrides[key] !== undefined ? overrides[key] : fromEnv !== undefined && fromEnv !== '' ? fromEnv : DEFAULTS[key];
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
        throw new ConfigError(parsed.error.issues.map((i) => {
            const key = String(i.path[0]);
            return `${key} (${ENV[key]}): ${i.message}`;
        }));
    }
    return Object.freeze({ ...parsed.data, sandboxLatency: Object.freeze(parsed.data.sandboxLatency) });
}
/** True when the address only accepts local connections (demo credentials are allowed there). */
export function isLoopbackHost(host) {
    return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
