import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type TestApp, makeTestApp } from '../helpers/app.js';
import { admin, client } from '../helpers/relay.js';
import { killAllServers, startServer } from '../helpers/server-process.js';

/**
 * Executors of the user's own: an ES module loaded by `--executor PATH`, its results checked
 * against the official schema; bad results, throws and hangs fail the task (50000), never the
 * process; modules that cannot be loaded refuse the start with the reason. The example module of
 * examples/ runs against a real local fetcher.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** One module whose behaviour the keyword picks. */
const BEHAVIOURS = `
const result = (task, items) => ({
  keyword: task.keyword, type: 'organic', se_domain: 'google.com', location_code: task.location_code,
  language_code: task.language_code, check_url: 'https://www.google.com/search?q=x', datetime: '2026-12-01 00:00:00 +00:00',
  spell: null, refinement_chips: null, item_types: ['organic'], se_results_count: 1, items_count: items.length, items,
});
const organic = { type: 'organic', rank_group: 1, rank_absolute: 1, position: 'left', domain: 'example.com', title: 'Example', url: 'https://example.com/' };
export default function factory(options) {
  return {
    async execute(task, signal) {
      switch (task.keyword) {
        case 'good': return { results: { advanced: result(task, [organic]) } };
        case 'bad schema': return { results: { advanced: result(task, [{ ...organic, rank_group: 'one' }]) } };
        case 'misspelt': return { results: { advanced: { ...result(task, []), itemz_count: 0 } } };
        case 'boom': throw new Error('fetcher exploded');
        case 'hang': return new Promise(() => {});
        case 'nothing': return { status_code: 40102 };
        case 'odd code': return { status_code: 12345 };
        default: return { results: { advanced: result(task, []) } };
      }
    },
  };
}
`;

describe('executor modules', () => {
  let dir: string;
  const apps: TestApp[] = [];
  let fetcher: Server | null = null;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'serpq-module-'));
    writeFileSync(join(dir, 'behaviours.mjs'), BEHAVIOURS);
  });
  afterEach(async () => {
    for (const a of apps.splice(0)) await a.close();
    if (fetcher) {
      fetcher.close();
      await once(fetcher, 'close');
      fetcher = null;
    }
    await killAllServers();
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  async function app(executor: string, env: Record<string, string> = {}): Promise<TestApp> {
    const a = await makeTestApp({ env: { SERPQ_EXECUTOR: executor, ...env } });
    apps.push(a);
    return a;
  }

  async function run(t: TestApp, keyword: string): Promise<{ code: number; message: string; result: unknown }> {
    const posted = await t.request('POST', '/v3/serp/google/organic/task_post', {
      body: [{ keyword, location_code: 2840, language_code: 'en' }],
    });
    const id = posted.body.tasks![0]!.id;
    await t.runWorkers();
    const got = (await t.request('GET', `/v3/serp/google/organic/task_get/advanced/${id}`)).body.tasks![0]!;
    return { code: got.status_code, message: got.status_message, result: got.result?.[0] ?? null };
  }

  it('stores a good result, fails bad, throwing and hanging ones with 50000 and a log line, and passes vendor codes through', async () => {
    const logged: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: unknown) => void logged.push(String(line)));
    const t = await app(join(dir, 'behaviours.mjs'), { SERPQ_EXECUTOR_TIMEOUT: '50ms' });

    const good = await run(t, 'good');
    expect(good.code).toBe(20000);
    expect(good.result).toMatchObject({ keyword: 'good', items_count: 1, items: [{ type: 'organic', rank_group: 1 }] });

    for (const [keyword, line] of [
      ['bad schema', /task \S+: google\/organic\/advanced: result\.items\[0\]\.rank_group: expected an integer, got string "one"/],
      ['misspelt', /result\.itemz_count: not a field of this result/],
      ['boom', /task \S+: threw: fetcher exploded/],
      ['hang', /task \S+: no answer within 50 ms/],
      ['odd code', /returned status_code 12345, which is not a vendor task failure code/],
    ] as const) {
      const r = await run(t, keyword);
      expect(r, keyword).toMatchObject({ code: 50000, message: 'Internal Error.', result: null });
      expect(
        logged.some((l) => line.test(l)),
        `${keyword}: ${logged.join('\n')}`,
      ).toBe(true);
    }
    expect(await run(t, 'nothing')).toMatchObject({ code: 40102, message: 'No Search Results.' });
    // The worker lives on.
    expect((await run(t, 'good')).code).toBe(20000);
  });

  it('refuses to start when the module cannot be loaded or exports no factory, with the reason', async () => {
    writeFileSync(join(dir, 'no-default.mjs'), 'export const x = 1;\n');
    writeFileSync(join(dir, 'not-a-function.mjs'), 'export default { execute() {} };\n');
    writeFileSync(join(dir, 'no-execute.mjs'), 'export default () => ({});\n');
    await expect(app(join(dir, 'missing.mjs'))).rejects.toThrow(/executor module .*missing\.mjs cannot be found/);
    await expect(app(join(dir, 'no-default.mjs'))).rejects.toThrow(/has no default export/);
    await expect(app(join(dir, 'not-a-function.mjs'))).rejects.toThrow(/its default export is not a function/);
    await expect(app(join(dir, 'no-execute.mjs'))).rejects.toThrow(/did not return an executor/);
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--db', ':memory:', '--port', '0', '--executor', './nope.mjs'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('serpq: invalid configuration: executor (SERPQ_EXECUTOR): executor module ./nope.mjs cannot be found');
  });

  it('runs the example module of examples/ in a real serpq process against a local fetcher', async () => {
    const asked: unknown[] = [];
    fetcher = createServer((req, res) => {
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
    fetcher.listen(0, '127.0.0.1');
    await once(fetcher, 'listening');
    const port = (fetcher.address() as AddressInfo).port;
    const TOKEN = 'module-example-token';
    const srv = await startServer({
      db: join(dir, 'serpq.db'),
      adminToken: TOKEN,
      extraArgs: ['--executor', './examples/http-fetcher-executor.mjs'],
      env: { FETCHER_URL: `http://127.0.0.1:${port}/serp` },
    });
    const c = client(srv);
    const id = (await c.taskPost('google', 'organic', [{ keyword: 'albert einstein', location_code: 2840, language_code: 'en' }]))
      .tasks![0]!.id;
    await admin(srv, TOKEN, 'POST', '/admin/settle');
    const got = (await c.taskGet('google', 'organic', 'advanced', id)).tasks![0]!;
    expect(got.status_code).toBe(20000);
    expect(got.result?.[0]).toMatchObject({
      keyword: 'albert einstein',
      se_results_count: 123,
      items_count: 2,
      items: [
        { rank_group: 1, domain: 'en.wikipedia.org', title: 'Albert Einstein - Wikipedia' },
        { rank_group: 2, domain: 'www.einstein.org' },
      ],
    });
    expect(asked).toEqual([{ keyword: 'albert einstein', location_code: 2840, language_code: 'en', device: 'desktop', depth: 10 }]);
  });
});
