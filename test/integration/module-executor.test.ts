import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { WireEnvelope } from '../../src/contracts/envelope.js';
import { CATALOG } from '../../src/domain/catalog.js';
import { createManualClock } from '../../src/domain/clock.js';
import { parseTaskRequest } from '../../src/domain/task-request.js';
import { isDeferral } from '../../src/executors/executor.js';
import { loadModuleExecutor } from '../../src/executors/module/module-executor.js';
import { ADMIN_TOKEN, basicAuth, eachDialect } from '../helpers/app.js';
import { type Dialect, createTestStore } from '../helpers/dialects.js';
import { admin, client } from '../helpers/relay.js';
import { killAllServers, startServer } from '../helpers/server-process.js';
import { type WebhookSink, startSink } from '../helpers/webhook-sink.js';

/**
 * Executors of the user's own: an ES module loaded by `--executor PATH|PACKAGE`, its results checked
 * against the official schema; bad results, throws, hangs and odd codes fail the task (50000) with a
 * log line, never the process; vendor codes end the task with them; modules that cannot be loaded
 * refuse the start with the reason. The example module of examples/ runs against a real local fetcher,
 * in-process and in a real serpq process.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const EXAMPLE = join(ROOT, 'examples/http-fetcher-executor.mjs');

/** One module whose behaviour the keyword picks. */
const BEHAVIOURS = `
const result = (task, items) => ({
  keyword: task.keyword, type: 'organic', se_domain: 'google.com', location_code: task.location_code,
  language_code: task.language_code, check_url: 'https://www.google.com/search?q=x', datetime: '2026-12-01 00:00:00 +00:00',
  spell: null, refinement_chips: null, item_types: ['organic'], se_results_count: 1, items_count: items.length, items,
});
const organic = { type: 'organic', rank_group: 1, rank_absolute: 1, position: 'left', domain: 'example.com', title: 'Example', url: 'https://example.com/' };
export const seen = [];
export default function factory(options) {
  return {
    async execute(task, signal) {
      seen.push(task);
      switch (task.keyword) {
        case 'good': return { results: { advanced: result(task, [organic]) } };
        case 'both': return { results: { advanced: result(task, [organic]), regular: result(task, [organic]) } };
        case 'bad schema': return { results: { advanced: result(task, [organic, organic, { ...organic, rank_group: 'one' }]) } };
        case 'misspelt': return { results: { advanced: { ...result(task, []), itemz_count: 0 } } };
        case 'bad html': return { results: { advanced: result(task, []), html: { items_count: 1, items: [{ page: '1', html: '<p>' }] } } };
        case 'boom': throw new Error('fetcher exploded');
        case 'hang': return new Promise(() => {});
        case 'nothing': return { status_code: 40102 };
        case 'bad field': return { status_code: 40501, status_message: "Invalid Field: 'keyword'." };
        case 'odd code': return { status_code: 12345 };
        case 'in queue': return { status_code: 40602 };
        case 'empty': return {};
        default: return { results: { advanced: result(task, []) } };
      }
    },
  };
}
`;

interface ModuleApp {
  readonly app: App;
  readonly logged: string[];
  post(keyword: string, extra?: Record<string, unknown>): Promise<string>;
  get(id: string, fn?: string): Promise<{ code: number; message: string; result: unknown }>;
  run(keyword: string): Promise<{ code: number; message: string; result: unknown }>;
  runWorkers(): Promise<void>;
  request(method: 'GET' | 'POST', url: string, body?: unknown): Promise<WireEnvelope>;
  close(): Promise<void>;
}

/** A real serpq (HTTP, store, worker, webhooks) whose executor is the module, loaded as --executor would. */
async function moduleApp(
  dialect: Dialect,
  path: string,
  options: { timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<ModuleApp> {
  const logged: string[] = [];
  const executor = await loadModuleExecutor(path, { timeoutMs: options.timeoutMs, env: options.env, log: (l) => logged.push(l) });
  const testStore = await createTestStore(dialect, `module-${path}-${Math.random()}`);
  const config = loadConfig(
    {
      SERPQ_DB: testStore.url,
      SERPQ_ADMIN_TOKEN: ADMIN_TOKEN,
      SERPQ_LOG_LEVEL: 'silent',
      SERPQ_ALLOW_PRIVATE_WEBHOOKS: '1',
      SERPQ_WEBHOOK_THREADS: '0',
    },
    {},
  );
  const app = await createApp(config, { clock: createManualClock(), store: testStore.store, executor });
  await app.http.ready();
  const request = async (method: 'GET' | 'POST', url: string, body?: unknown): Promise<WireEnvelope> => {
    const headers: Record<string, string> = { authorization: basicAuth('demo', 'demo') };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await app.http.inject({ method, url, headers, payload: body === undefined ? undefined : JSON.stringify(body) });
    return JSON.parse(res.body) as WireEnvelope;
  };
  const runWorkers = async () => {
    while (((await app.worker?.runOnce()) ?? 0) > 0);
  };
  const post = async (keyword: string, extra: Record<string, unknown> = {}) => {
    const posted = await request('POST', '/v3/serp/google/organic/task_post', [
      { keyword, location_code: 2840, language_code: 'en', ...extra },
    ]);
    expect(posted.tasks![0]!.status_code).toBe(20100);
    return posted.tasks![0]!.id;
  };
  const get = async (id: string, fn = 'advanced') => {
    const got = (await request('GET', `/v3/serp/google/organic/task_get/${fn}/${id}`)).tasks![0]!;
    return { code: got.status_code, message: got.status_message, result: got.result?.[0] ?? null };
  };
  return {
    app,
    logged,
    post,
    get,
    async run(keyword) {
      const id = await post(keyword);
      await runWorkers();
      return get(id);
    },
    runWorkers,
    request,
    async close() {
      await app.close();
      await testStore.cleanup();
    },
  };
}

/** A SERP fetcher of the user's: answers every POST with two results, recording what it was asked. */
async function startFetcher(): Promise<{ server: Server; url: string; asked: unknown[] }> {
  const asked: unknown[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      asked.push(JSON.parse(body));
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          items: [
            { title: 'Albert Einstein - Wikipedia', url: 'https://en.wikipedia.org/wiki/Albert_Einstein', description: 'Physicist.' },
            { title: 'Einstein Archives', url: 'https://www.einstein.org/', description: null },
          ],
          total: 123,
        }),
      );
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/serp`, asked };
}

async function stopServer(server: Server | null): Promise<void> {
  if (!server?.listening) return;
  server.close();
  await once(server, 'close');
}

const EXAMPLE_ANSWER = {
  keyword: 'albert einstein',
  type: 'organic',
  se_results_count: 123,
  items_count: 2,
  items: [
    {
      type: 'organic',
      rank_group: 1,
      rank_absolute: 1,
      domain: 'en.wikipedia.org',
      title: 'Albert Einstein - Wikipedia',
      description: 'Physicist.',
    },
    { type: 'organic', rank_group: 2, domain: 'www.einstein.org', description: null },
  ],
};

eachDialect('executor modules', (dialect) => {
  let dir: string;
  let t: ModuleApp | null = null;
  let sink: WebhookSink | null = null;
  let fetcher: Server | null = null;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'serpq-module-'));
    writeFileSync(join(dir, 'behaviours.mjs'), BEHAVIOURS);
  });
  afterEach(async () => {
    await t?.close();
    t = null;
    await sink?.close();
    sink = null;
    await stopServer(fetcher);
    fetcher = null;
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores a good result: task_get returns it, tasks_ready lists it, its postback carries it; a function left out answers 40404', async () => {
    t = await moduleApp(dialect, join(dir, 'behaviours.mjs'));
    sink = await startSink();
    const id = await t.post('good', { postback_url: `${sink.base}/ok/pb?id=$id`, postback_data: 'advanced' });
    const both = await t.post('both', { tag: 'mine' });
    await t.runWorkers();
    // tasks_ready lists the completed tasks without a postback (the vendor's rule).
    const ready = await t.request('GET', '/v3/serp/google/organic/tasks_ready');
    expect((ready.tasks![0]!.result as Array<{ id: string; tag: string }>).map((r) => [r.id, r.tag])).toEqual([[both, 'mine']]);

    const good = await t.get(id);
    expect(good.code).toBe(20000);
    expect(good.result).toMatchObject({
      keyword: 'good',
      items_count: 1,
      items: [{ type: 'organic', rank_group: 1, url: 'https://example.com/' }],
    });
    expect(await t.get(id, 'regular')).toEqual({
      code: 40404,
      message: 'No Prepared Data Found. Please Contact Our Support Team.',
      result: null,
    });
    expect(await t.app.dispatcher!.runOnce()).toBe(1);
    expect(sink.requests[0]!.url).toBe(`/ok/pb?id=${id}`);
    expect((JSON.parse(sink.requests[0]!.body) as WireEnvelope).tasks![0]!.result).toEqual([good.result]);

    // Both functions returned: both stored.
    expect((await t.get(both, 'regular')).code).toBe(20000);
    expect((await t.get(both, 'advanced')).code).toBe(20000);
    expect(t.logged).toEqual([]);
  });

  it('hands the module the normalized request in the vendor words, and the posted fields as data', async () => {
    t = await moduleApp(dialect, join(dir, 'behaviours.mjs'));
    const id = await t.post('Good', { device: 'mobile', depth: 20, priority: 2, se_domain: 'google.co.uk', tag: 'x' });
    await t.runWorkers();
    const { seen } = (await import(join(dir, 'behaviours.mjs'))) as { seen: Array<Record<string, unknown>> };
    expect(seen.at(-1)).toMatchObject({
      id,
      se: 'google',
      se_type: 'organic',
      functions: ['regular', 'advanced', 'html'],
      keyword: 'Good',
      location_code: 2840,
      language_code: 'en',
      country_iso_code: 'US',
      device: 'mobile',
      os: 'android',
      depth: 20,
      priority: 2,
      se_domain: 'google.co.uk',
      data: { keyword: 'Good', tag: 'x', depth: 20, device: 'mobile' },
    });
  });

  it('fails a result off the schema with 50000 and a log line naming the first wrong field', async () => {
    t = await moduleApp(dialect, join(dir, 'behaviours.mjs'));
    for (const [keyword, line] of [
      [
        'bad schema',
        /^serpq: executor module \S+behaviours\.mjs: task \S+: google\/organic\/advanced: result\.items\[2\]\.rank_group: expected an integer, got string "one"$/,
      ],
      ['misspelt', /: google\/organic\/advanced: result\.itemz_count: not a field of this result$/],
      // One wrong function fails the task: the good advanced result is not kept either.
      ['bad html', /: google\/organic\/html: result\.items\[0\]\.page: expected an integer, got string "1"$/],
    ] as const) {
      const before = t.logged.length;
      const r = await t.run(keyword);
      expect(r, keyword).toEqual({ code: 50000, message: 'Internal Error.', result: null });
      expect(t.logged.slice(before), keyword).toEqual([expect.stringMatching(line)]);
    }
  });

  it('fails throwing, hanging and odd answers with 50000 and a log line; the server serves on', async () => {
    t = await moduleApp(dialect, join(dir, 'behaviours.mjs'), { timeoutMs: 50 });
    for (const [keyword, line] of [
      ['boom', /task \S+: threw: fetcher exploded$/],
      ['hang', /task \S+: no answer within 50 ms$/],
      ['odd code', /returned status_code 12345, which is not a vendor code a task can end with$/],
      ['in queue', /returned status_code 40602, which is not a vendor code a task can end with$/],
      ['empty', /returned status_code 20000 without results$/],
    ] as const) {
      const before = t.logged.length;
      expect(await t.run(keyword), keyword).toEqual({ code: 50000, message: 'Internal Error.', result: null });
      expect(t.logged.slice(before), keyword).toEqual([expect.stringMatching(line)]);
    }
    // The worker and the API live on.
    expect((await t.run('good')).code).toBe(20000);
  });

  it('ends a task with the vendor code the module returns, and with injected faults', async () => {
    t = await moduleApp(dialect, join(dir, 'behaviours.mjs'));
    expect(await t.run('nothing')).toEqual({ code: 40102, message: 'No Search Results.', result: null });
    expect(await t.run('bad field')).toEqual({ code: 40501, message: "Invalid Field: 'keyword'.", result: null });
    const fault = await t.app.http.inject({
      method: 'POST',
      url: '/admin/faults',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ status_code: 40101, count: 1 }),
    });
    expect(fault.statusCode).toBe(200);
    expect(await t.run('good')).toMatchObject({ code: 40101, message: 'Internal SE Server Error.' });
    expect((await t.run('good')).code).toBe(20000);
    expect(t.logged).toEqual([]);
  });

  it('runs the example module of examples/ against a local fetcher', async () => {
    const f = await startFetcher();
    fetcher = f.server;
    t = await moduleApp(dialect, EXAMPLE, { env: { FETCHER_URL: f.url } });
    const r = await t.run('albert einstein');
    expect(r.code).toBe(20000);
    expect(r.result).toMatchObject(EXAMPLE_ANSWER);
    expect(f.asked).toEqual([
      {
        keyword: 'albert einstein',
        location_code: 2840,
        language_code: 'en',
        device: 'desktop',
        os: 'windows',
        depth: 10,
        se_domain: null,
      },
    ]);
    // A fetcher that is gone fails the task, not the server.
    await stopServer(fetcher);
    fetcher = null;
    expect((await t.run('albert einstein')).code).toBe(50000);
    expect(t.logged.at(-1)).toMatch(/task \S+: threw: fetch failed$/);
  });
});

describe('loading executor modules', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'serpq-module-load-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const organic = CATALOG.find((d) => d.se === 'google' && d.seType === 'organic')!;
  function input(id = '12011200-1234-0066-0000-000000000001') {
    const parsed = parseTaskRequest(organic, { keyword: 'x', location_code: 2840, language_code: 'en' }, 'task_post');
    if (!parsed.ok) throw new Error(parsed.field);
    return { id, def: organic, request: parsed.task, params: parsed.data, postedAt: 1_000 };
  }

  it('refuses a module that cannot be loaded or exports no factory, with one line giving the reason', async () => {
    const files: Record<string, string> = {
      'no-default.mjs': 'export const x = 1;\n',
      'not-a-function.mjs': 'export default { execute() {} };\n',
      'factory-throws.mjs': "export default () => { throw new Error('FETCHER_URL is not set'); };\n",
      'no-execute.mjs': 'export default async () => ({});\n',
      'broken.mjs': 'export default (;\n',
      'bad-import.mjs': "import 'no-such-package-anywhere';\nexport default () => ({ execute() {} });\n",
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const load = (spec: string) => loadModuleExecutor(spec, { cwd: dir, log: () => {} });
    await expect(load('./missing.mjs')).rejects.toThrow(
      `executor module ./missing.mjs cannot be found (no file ${join(dir, 'missing.mjs')})`,
    );
    await expect(load('no-such-executor-package')).rejects.toThrow(
      `executor module no-such-executor-package cannot be found (neither a file nor a package installed in ${dir})`,
    );
    await expect(load('./no-default.mjs')).rejects.toThrow(
      'executor module ./no-default.mjs has no default export (export default a factory: (options) => executor)',
    );
    await expect(load('./not-a-function.mjs')).rejects.toThrow(
      'executor module ./not-a-function.mjs: its default export is not a function (a factory: (options) => executor)',
    );
    await expect(load('./factory-throws.mjs')).rejects.toThrow(
      'executor module ./factory-throws.mjs: its factory threw: FETCHER_URL is not set',
    );
    await expect(load('./no-execute.mjs')).rejects.toThrow(
      'executor module ./no-execute.mjs: its factory did not return an executor (an object with execute(task, signal))',
    );
    await expect(load('./broken.mjs')).rejects.toThrow(/^executor module \.\/broken\.mjs cannot be loaded: /);
    await expect(load('./bad-import.mjs')).rejects.toThrow(
      /^executor module \.\/bad-import\.mjs cannot be loaded: .*no-such-package-anywhere/,
    );
    // Load errors are one line each (the start-up message).
    await expect(load('./broken.mjs')).rejects.toThrow(/^[^\n]+$/);
  });

  it('loads a package by name from the working directory, ESM-only exports too, and a bare file name', async () => {
    const exec = "export default (o) => ({ execute: async () => ({ status_code: 40102, status_message: '%s' }) });\n";
    const pkg = (name: string, manifest: Record<string, unknown>, file: string) => {
      mkdirSync(join(dir, 'node_modules', name), { recursive: true });
      writeFileSync(join(dir, 'node_modules', name, 'package.json'), JSON.stringify({ name, type: 'module', ...manifest }));
      writeFileSync(join(dir, 'node_modules', name, file), exec.replace('%s', name));
    };
    pkg('plain-executor', { main: 'index.js' }, 'index.js');
    pkg('esm-only-executor', { exports: { '.': { import: './lib/entry.mjs' } } }, 'entry.mjs');
    mkdirSync(join(dir, 'node_modules/esm-only-executor/lib'));
    writeFileSync(join(dir, 'node_modules/esm-only-executor/lib/entry.mjs'), exec.replace('%s', 'esm-only-executor'));
    pkg('@team/executor', { exports: { './serp': { import: './serp.mjs' } } }, 'serp.mjs');
    writeFileSync(join(dir, 'local.mjs'), exec.replace('%s', 'local'));
    // From a folder below: packages are found upwards, as Node finds them.
    mkdirSync(join(dir, 'sub'));
    for (const [spec, cwd] of [
      ['plain-executor', dir],
      ['esm-only-executor', join(dir, 'sub')],
      ['@team/executor/serp', dir],
      ['local.mjs', dir],
    ] as const) {
      const executor = await loadModuleExecutor(spec, { cwd, log: () => {} });
      const out = await executor.execute(input(), new AbortController().signal);
      expect(out, spec).toEqual({ statusCode: 40102, statusMessage: spec.split('/serp')[0]!.replace('.mjs', '') });
    }
  });

  it('gives a task back to the queue when the worker stops, and closes the module once', async () => {
    writeFileSync(
      join(dir, 'slow.mjs'),
      `export const log = [];
       export default () => ({
         execute: (task, signal) => new Promise((_, reject) => signal.addEventListener('abort', () => { log.push('aborted ' + signal.reason?.name); reject(signal.reason); })),
         close: async () => { log.push('closed'); },
       });\n`,
    );
    const lines: string[] = [];
    const executor = await loadModuleExecutor('./slow.mjs', { cwd: dir, log: (l) => lines.push(l), timeoutMs: 60_000 });
    const worker = new AbortController();
    const running = executor.execute(input(), worker.signal);
    worker.abort();
    const out = await running;
    expect(isDeferral(out) && out).toEqual({ defer: 'retry', at: 1_000, reason: 'the worker stopped' });
    expect(lines).toEqual([
      expect.stringMatching(/task 12011200-1234-0066-0000-000000000001: stopped with the worker; back to the queue$/),
    ]);
    // Already stopped: not run at all.
    expect(isDeferral(await executor.execute(input(), worker.signal))).toBe(true);
    await Promise.all([executor.stop!(), executor.stop!()]);
    const { log } = (await import(join(dir, 'slow.mjs'))) as { log: string[] };
    expect(log).toEqual(['aborted AbortError', 'closed']);

    // The time limit aborts the module's signal with a TimeoutError.
    const timed = await loadModuleExecutor('./slow.mjs', { cwd: dir, log: () => {}, timeoutMs: 20 });
    expect(await timed.execute(input(), new AbortController().signal)).toEqual({ statusCode: 50000, statusMessage: 'Internal Error.' });
    expect(log.at(-1)).toBe('aborted TimeoutError');
  });
});

describe('--executor in a real serpq process', () => {
  let fetcher: Server | null = null;
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'serpq-module-proc-'));
  });
  afterEach(async () => {
    await stopServer(fetcher);
    fetcher = null;
    await killAllServers();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to start with a module that cannot be loaded, naming it and the reason', () => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--db', ':memory:', '--port', '0', '--executor', './nope.mjs'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(
      `serpq: invalid configuration: executor (SERPQ_EXECUTOR): executor module ./nope.mjs cannot be found (no file ${join(ROOT, 'nope.mjs')})`,
    );
  });

  it('runs the example module with --executor against a local fetcher', async () => {
    const f = await startFetcher();
    fetcher = f.server;
    const TOKEN = 'module-example-token';
    const srv = await startServer({
      db: join(dir, 'serpq.db'),
      adminToken: TOKEN,
      extraArgs: ['--executor', './examples/http-fetcher-executor.mjs', '--executor-timeout', '5s'],
      env: { FETCHER_URL: f.url },
    });
    const c = client(srv);
    const id = (await c.taskPost('google', 'organic', [{ keyword: 'albert einstein', location_code: 2840, language_code: 'en' }]))
      .tasks![0]!.id;
    await admin(srv, TOKEN, 'POST', '/admin/settle');
    const got = (await c.taskGet('google', 'organic', 'advanced', id)).tasks![0]!;
    expect(got.status_code).toBe(20000);
    expect(got.result?.[0]).toMatchObject(EXAMPLE_ANSWER);
    expect(f.asked).toHaveLength(1);
  });
});
