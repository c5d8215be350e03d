import { randomBytes } from 'node:crypto';
import { isLoopbackHost } from './config.js';
import { createTravelClock, systemClock } from './domain/clock.js';
import { createSandboxExecutor } from './executors/sandbox/sandbox-executor.js';
import { createHttpServer } from './http/server.js';
import { createAuthenticator } from './services/auth.js';
import { createAccount } from './services/accounts.js';
import { createRateLimiter } from './services/rate-limiter.js';
import { SqliteStore } from './store/sqlite/sqlite-store.js';
import { createWorker } from './worker/worker.js';
export const DEMO_LOGIN = 'demo';
export const DEMO_PASSWORD = 'demo';
export const DEMO_BALANCE_USD = 100;
export function openStore(db) {
    if (/^postgres(ql)?:\/\//.test(db)) {
        throw new Error('PostgreSQL is not available in this build yet; use a SQLite file path or :memory:');
    }
    return new SqliteStore({ path: db });
}
function createExecutor(config) {
    if (config.executor === 'sandbox')
        return createSandboxExecutor({ latency: config.sandboxLatency });
    throw new Error(`executor '${config.executor}' is not available in this build; use 'sandbox'`);
}
export async function createApp(config, overrides = {}) {
    const baseClock = overrides.clock ?? systemClock;
    const clock = config.timeTravel ? createTravelClock(baseClock) : baseClock;
    const store = overrides.store ?? openStore(config.db);
    await store.migrate();
    // Default credentials only on a fresh database that is reachable from this machine alone.
    let demoCreated = false;
    if (isLoopbackHost(config.host) && (await store.countAccounts()) === 0) {
        await createAccount(store, clock.now(), { login: DEMO_LOGIN, password: DEMO_PASSWORD, balance: DEMO_BALANCE_USD });
        demoCreated = true;
    }
    const executor = overrides.executor ?? createExecutor(config);
    const worker = config.workers
        ? createWorker({
            store,
            clock,
            executor,
            leaseMs: overrides.worker?.leaseMs,
            pollMs: overrides.worker?.pollMs,
            onError: (err) => http.log.error({ err }, 'worker error'),
        })
        : null;
    const services = { store, clock, executor, notifyQueued: () => worker?.wake() };
    const adminToken = config.adminToken ?? randomBytes(18).toString('base64url');
    const http = createHttpServer({
        services,
        auth: createAuthenticator(store),
        limiter: createRateLimiter(clock),
        admin: { store, clock, token: adminToken, onClockMoved: () => worker?.wake() },
        logLevel: config.logLevel,
    });
    return {
        config,
        store,
        clock,
        http,
        worker,
        adminToken,
        demoCreated,
        async listen() {
            const address = await http.listen({ host: config.host, port: config.port });
            worker?.start();
            return address;
        },
        async close() {
            await worker?.stop();
            await http.close();
            await store.close();
        },
    };
}
