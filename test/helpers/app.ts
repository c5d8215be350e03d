import { describe } from 'vitest';
import { type App, createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { type TravelClock, createManualClock } from '../../src/domain/clock.js';
import type { WireEnvelope } from '../../src/contracts/envelope.js';
import type { SeTypeDef } from '../../src/domain/catalog.js';
import { DIALECTS, type Dialect, createTestStore, pgSkipNote } from './dialects.js';

/** Declares a suite once per store dialect (SQLite always; PostgreSQL when SERPQ_TEST_PG_URL is set). */
export function eachDialect(title: string, body: (dialect: Dialect) => void): void {
  pgSkipNote();
  for (const dialect of DIALECTS) describe(`${title} [${dialect}]`, () => body(dialect));
}

/**
 * A real serpq app on a fresh SQLite file in a temp folder, with a manual clock (time moves only
 * when a test says so) and workers that run only when the test calls `runWorkers()`.
 */
export interface TestApp {
  readonly app: App;
  readonly clock: TravelClock;
  readonly adminToken: string;
  /** Basic auth header of the demo account (balance 100 USD). */
  readonly demoAuth: string;
  /** Executes every task due now (repeats until nothing is left to claim). */
  runWorkers(): Promise<number>;
  /** Sends every webhook due now and waits for the outcomes. */
  runDeliveries(): Promise<number>;
  /** Moves the clock forward by seconds. */
  advance(seconds: number): void;
  request(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    opts?: { auth?: string | null; body?: unknown; rawBody?: string | Buffer; headers?: Record<string, string> },
  ): Promise<{ status: number; body: WireEnvelope; headers: Record<string, unknown>; text: string }>;
  /** Makes the next `count` executions fail with a vendor code (admin fault injection). */
  injectFaults(statusCode: number, count?: number): Promise<void>;
  /** Creates an account through the admin API and returns its Basic auth header. */
  addAccount(login: string, opts?: { password?: string; balance?: number; limits?: Record<string, number> }): Promise<string>;
  close(): Promise<void>;
}

export const ADMIN_TOKEN = 'test-admin-token';

export function basicAuth(login: string, password: string): string {
  return 'Basic ' + Buffer.from(`${login}:${password}`).toString('base64');
}

let counter = 0;

export async function makeTestApp(options: { latency?: string; env?: Record<string, string>; dialect?: Dialect } = {}): Promise<TestApp> {
  const testStore = await createTestStore(options.dialect ?? 'sqlite', `app-${process.pid}-${++counter}`);
  const config = loadConfig(
    {
      SERPQ_DB: testStore.url,
      SERPQ_TIME_TRAVEL: '1',
      SERPQ_ADMIN_TOKEN: ADMIN_TOKEN,
      SERPQ_SANDBOX_LATENCY: options.latency ?? '0',
      SERPQ_LOG_LEVEL: 'silent',
      SERPQ_ALLOW_PRIVATE_WEBHOOKS: '1',
      SERPQ_WEBHOOK_TIMEOUT_MS: '400',
      SERPQ_WEBHOOK_THREADS: '0',
      ...options.env,
    },
    {},
  );
  const base = createManualClock();
  const app = await createApp(config, { clock: base, store: testStore.store });
  const clock = app.clock as TravelClock;
  await app.http.ready();

  const request: TestApp['request'] = async (method, url, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    const auth = opts.auth === undefined ? basicAuth('demo', 'demo') : opts.auth;
    if (auth) headers.authorization = auth;
    let payload: string | Buffer | undefined = opts.rawBody;
    if (opts.body !== undefined) {
      payload = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await app.http.inject({ method, url, headers, payload });
    let body: WireEnvelope;
    try {
      body = JSON.parse(res.body) as WireEnvelope;
    } catch {
      throw new Error(`non-JSON response ${res.statusCode} for ${method} ${url}: ${res.body.slice(0, 200)}`);
    }
    return { status: res.statusCode, body, headers: res.headers as Record<string, unknown>, text: res.body };
  };

  return {
    app,
    clock,
    adminToken: ADMIN_TOKEN,
    demoAuth: basicAuth('demo', 'demo'),
    async runWorkers() {
      let total = 0;
      for (;;) {
        const n = (await app.worker?.runOnce()) ?? 0;
        if (n === 0) return total;
        total += n;
      }
    },
    async runDeliveries() {
      return (await app.dispatcher?.runOnce()) ?? 0;
    },
    advance(seconds: number) {
      clock.advance(seconds * 1000);
    },
    request,
    async injectFaults(statusCode, count = 1) {
      const res = await app.http.inject({
        method: 'POST',
        url: '/admin/faults',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ status_code: statusCode, count }),
      });
      if (res.statusCode !== 200) throw new Error(`faults: ${res.statusCode} ${res.body}`);
    },
    async addAccount(login, opts = {}) {
      const password = opts.password ?? `${login}-secret`;
      const res = await app.http.inject({
        method: 'POST',
        url: '/admin/accounts',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ login, password, balance: opts.balance ?? 100, limits: opts.limits }),
      });
      if (res.statusCode !== 201) throw new Error(`account ${login}: ${res.statusCode} ${res.body}`);
      return basicAuth(login, password);
    },
    async close() {
      await app.close();
      await testStore.cleanup();
    },
  };
}

/** A valid google/images task. */
export function imagesTask(keyword = 'albert einstein', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { keyword, location_code: 2840, language_code: 'en', ...extra };
}

/** Posts tasks to google/images and returns the created ids (asserting they were created). */
export async function postImages(t: TestApp, tasks: Record<string, unknown>[], auth?: string): Promise<string[]> {
  const res = await t.request('POST', '/v3/serp/google/images/task_post', { body: tasks, auth });
  if (res.status !== 200 || !res.body.tasks) throw new Error(`task_post failed: ${res.text.slice(0, 300)}`);
  return res.body.tasks.map((task) => {
    if (task.status_code !== 20100) throw new Error(`task not created: ${task.status_code} ${task.status_message}`);
    return task.id;
  });
}

/** The ids listed by a tasks_ready call. */
export async function readyIds(t: TestApp, url = '/v3/serp/google/images/tasks_ready', auth?: string): Promise<string[]> {
  const res = await t.request('GET', url, { auth });
  const result = (res.body.tasks?.[0]?.result ?? []) as Array<{ id: string }>;
  return result.map((r) => r.id);
}

/** A minimal valid task of a type. */
export function minimalTask(def: SeTypeDef, keyword = 'albert einstein'): Record<string, unknown> {
  const task: Record<string, unknown> = { location_code: 2840, language_code: 'en' };
  if (def.subject === 'keyword' || def.subject === 'keyword_optional') task.keyword = keyword;
  if (def.subject === 'video_id') task.video_id = 'dQw4w9WgXcQ';
  if (def.subject === 'dataset_id') task.dataset_id = 'L2cvMTFqbl96ZGNjMg==';
  if (def.subject === 'image_url') task.image_url = 'https://upload.wikimedia.org/wikipedia/commons/d/d3/Albert_Einstein_Head.jpg';
  // Fields required as a group (google/ads_search: target or advertiser_ids): the first of each.
  for (const [field] of def.requiredAnyOf) {
    if (field) task[field] = def.extraFields[field] === 'array' ? ['AR13752565271262920705'] : 'example.com';
  }
  return task;
}
