import { randomBytes } from 'node:crypto';
import { type App, DEMO_LOGIN, DEMO_PASSWORD, createApp } from '../app.js';
import { loadConfig } from '../config.js';

/**
 * `serpq/testing`: serpq in the test's own process, on a free port, with an in-memory store. Time
 * moves only when the test says so (`advance`), `settle` finishes what is due, `reset` starts over.
 *
 *   const em = await startEmulator();
 *   // point the client under test at em.baseUrl with em.login / em.password
 *   await em.advance(3 * 86_400);
 *   await em.close();
 */
export interface EmulatorAccount {
  readonly login: string;
  readonly password: string;
  /** USD (default 100). */
  readonly balance?: number;
  readonly limits?: Readonly<Record<string, number>>;
}

export interface EmulatorOptions {
  /** Sandbox completion latency: `0` (default), `2s`, `normal=2s,high=500ms`. */
  readonly latency?: string;
  /** Let `advance` move the clock (default true). */
  readonly timeTravel?: boolean;
  /** Accounts to create (default: demo / demo with 100 USD); the first is `login` / `password`. */
  readonly accounts?: readonly EmulatorAccount[];
  /** A fixed port (default: a free one). */
  readonly port?: number;
  /** Postbacks and pingbacks to private addresses, e.g. a receiver on 127.0.0.1 (default true). */
  readonly allowPrivateWebhooks?: boolean;
}

export interface Emulator {
  /** `http://127.0.0.1:<port>`: the base URL to give a DataForSEO client. */
  readonly baseUrl: string;
  readonly login: string;
  readonly password: string;
  /** Bearer token of the admin API (`/admin/...`). */
  readonly adminToken: string;
  /** Moves the clock forward (time travel); tasks and webhooks that became due are then settled. */
  advance(seconds: number): Promise<void>;
  /** Executes every task and sends every webhook due now. */
  settle(): Promise<{ executed: number; delivered: number }>;
  /** Wipes tasks, deliveries, usage and the clock, and creates the accounts again. */
  reset(): Promise<void>;
  /** The next `count` executions fail with a vendor code (40101, 40102, 40103). */
  faults(statusCode: number, count?: number): Promise<void>;
  close(): Promise<void>;
  /** The app itself, for what the helpers above do not cover. */
  readonly app: App;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const adminToken = randomBytes(18).toString('base64url');
  // The test's SERPQ_* variables do not configure it: only these options do.
  const config = loadConfig(
    {},
    {
      host: '127.0.0.1',
      port: options.port ?? 0,
      db: ':memory:',
      timeTravel: options.timeTravel ?? true,
      adminToken,
      sandboxLatency: options.latency ?? '0',
      allowPrivateWebhooks: options.allowPrivateWebhooks ?? true,
      webhookThreads: 0,
      logLevel: 'silent',
    },
  );
  const app = await createApp(config);
  const accounts = options.accounts ?? [];
  const call = async (method: 'GET' | 'POST', url: string, body?: unknown): Promise<unknown> => {
    const res = await app.http.inject({
      method,
      url,
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      payload: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.statusCode >= 300) throw new Error(`serpq emulator: ${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json() as unknown;
  };
  const createAccounts = async () => {
    for (const a of accounts) await call('POST', '/admin/accounts', { balance: 100, ...a });
  };
  try {
    await createAccounts();
    await app.listen();
  } catch (err) {
    await app.close();
    throw err;
  }
  const address = app.http.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const first = accounts[0] ?? { login: DEMO_LOGIN, password: DEMO_PASSWORD };
  const settle = async () => (await call('POST', '/admin/settle')) as { executed: number; delivered: number };
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    login: first.login,
    password: first.password,
    adminToken,
    app,
    async advance(seconds) {
      await call('POST', '/admin/clock', { advance_seconds: seconds });
      await settle();
    },
    settle,
    async reset() {
      await call('POST', '/admin/reset');
      await createAccounts();
    },
    async faults(statusCode, count = 1) {
      await call('POST', '/admin/faults', { status_code: statusCode, count });
    },
    close: () => app.close(),
  };
}
