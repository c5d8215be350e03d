import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestApp, makeTestApp } from '../helpers/app.js';
import { type WebhookSink, startSink } from '../helpers/webhook-sink.js';
import { admin, client } from '../helpers/relay.js';
import { killAllServers, startServer } from '../helpers/server-process.js';

/**
 * Record and replay: cassettes from saved vendor task_get responses (import) and from a relay to a
 * real upstream process (--record, export), replayed by a fresh serpq with no upstream through
 * task_post, tasks_ready, task_get and a postback; the miss policies and the match rules.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function serpqCli(args: string[], env: Record<string, string> = {}): { status: number | null; out: string } {
  const clean: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('SERPQ_')) clean[k] = v;
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    env: { ...clean, ...env },
    encoding: 'utf8',
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** A result without its datetime (replays carry the task's own). */
const undated = (r: unknown): unknown => ({ ...(r as Record<string, unknown>), datetime: '<datetime>' });

const ORGANIC = { keyword: 'replay organic', location_code: 2840, language_code: 'en', depth: 10 };

async function postAndRun(t: TestApp, task: Record<string, unknown>, type = 'organic'): Promise<string> {
  const posted = await t.request('POST', `/v3/serp/google/${type}/task_post`, { body: [task] });
  expect(posted.body.tasks?.[0]?.status_code).toBe(20100);
  await t.runWorkers();
  return posted.body.tasks![0]!.id;
}

async function advanced(t: TestApp, id: string, type = 'organic'): Promise<{ code: number; result: unknown }> {
  const got = await t.request('GET', `/v3/serp/google/${type}/task_get/advanced/${id}`);
  const task = got.body.tasks![0]!;
  return { code: task.status_code, result: task.result?.[0] ?? null };
}

describe('record and replay', () => {
  let dir: string;
  let cassettes: string;
  const apps: TestApp[] = [];
  let sink: WebhookSink | null = null;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'serpq-replay-'));
    cassettes = join(dir, 'cassettes');
  });
  afterEach(async () => {
    for (const a of apps.splice(0)) await a.close();
    await sink?.close();
    sink = null;
    await killAllServers();
    rmSync(dir, { recursive: true, force: true });
  });

  async function app(env: Record<string, string> = {}): Promise<TestApp> {
    const a = await makeTestApp({ env });
    apps.push(a);
    return a;
  }
  const replay = (miss: string, extra: Record<string, string> = {}) =>
    app({ SERPQ_EXECUTOR: 'replay', SERPQ_CASSETTES: cassettes, SERPQ_REPLAY_MISS: miss, ...extra });

  /** A vendor-style saved task_get answer (a sandbox serpq speaks the vendor's wire), imported by the CLI. */
  async function importSaved(task: Record<string, unknown>): Promise<unknown> {
    const source = await app();
    const id = await postAndRun(source, task);
    const saved = await source.request('GET', `/v3/serp/google/organic/task_get/advanced/${id}`);
    const file = join(dir, 'saved-task-get.json');
    writeFileSync(file, saved.text);
    const r = serpqCli(['cassettes', 'import', file, '--cassettes', cassettes]);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain('1 results from task_get and live responses');
    return saved.body.tasks![0]!.result![0];
  }

  it('imports a saved vendor task_get response and replays its result through task_post, tasks_ready, task_get and a postback', async () => {
    const recorded = await importSaved(ORGANIC);
    const lines = readFileSync(join(cassettes, 'google.organic.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(Object.keys(JSON.parse(lines[0]!))).toEqual(['se', 'se_type', 'request', 'results', 'recorded_at', 'source']);

    sink = await startSink();
    const t = await replay('error');
    const listed = await postAndRun(t, { ...ORGANIC, tag: 'mine' });
    const ready = await t.request('GET', '/v3/serp/google/organic/tasks_ready');
    expect(ready.body.tasks?.[0]?.result?.map((r) => (r as { id: string }).id)).toEqual([listed]);
    const id = await postAndRun(t, { ...ORGANIC, postback_url: `${sink.base}/ok`, postback_data: 'advanced' });
    const got = await advanced(t, id);
    expect(got.code).toBe(20000);
    expect(undated(got.result)).toEqual(undated(recorded));
    expect((got.result as { datetime: string }).datetime).not.toBe('<datetime>');

    await t.runDeliveries();
    await sink.waitFor(1);
    const postback = JSON.parse(sink.requests[0]!.body) as { tasks: Array<{ id: string; result: unknown[] }> };
    expect(postback.tasks[0]!.id).toBe(id);
    expect(undated(postback.tasks[0]!.result[0])).toEqual(undated(recorded));
  });

  it('misses: sandbox answers, error fails with 40102, and depth decides a match unless it is not matched', async () => {
    const recorded = await importSaved(ORGANIC);

    const strict = await replay('error');
    expect((await advanced(strict, await postAndRun(strict, { ...ORGANIC, depth: 20 }))).code).toBe(40102);
    expect((await advanced(strict, await postAndRun(strict, { ...ORGANIC, keyword: 'never recorded' }))).code).toBe(40102);
    // The keyword as the vendor compares it: case and spacing do not matter; the result echoes the posted one.
    const spelled = await advanced(strict, await postAndRun(strict, { ...ORGANIC, keyword: '  Replay   ORGANIC ' }));
    expect(spelled.code).toBe(20000);
    expect((spelled.result as { keyword: string }).keyword).toBe('Replay   ORGANIC');
    expect((spelled.result as { items: unknown }).items).toEqual((recorded as { items: unknown }).items);

    const loose = await replay('error', { SERPQ_REPLAY_MATCH: 'keyword,location,language,device' });
    const deeper = await advanced(loose, await postAndRun(loose, { ...ORGANIC, depth: 20 }));
    expect(deeper.code).toBe(20000);
    expect(undated(deeper.result)).toEqual(undated(recorded));

    const sandboxed = await replay('sandbox');
    const miss = await advanced(sandboxed, await postAndRun(sandboxed, { ...ORGANIC, keyword: 'never recorded' }));
    expect(miss.code).toBe(20000);
    expect((miss.result as { keyword: string }).keyword).toBe('never recorded');
    const hit = await advanced(sandboxed, await postAndRun(sandboxed, ORGANIC));
    expect(undated(hit.result)).toEqual(undated(recorded));
  });

  it('refuses to start on a missing folder or a malformed line, naming the file and line; import names a file of neither format', async () => {
    await expect(replay('error')).rejects.toThrow(/cassette folder .* does not exist/);
    mkdirSync(cassettes);
    writeFileSync(
      join(cassettes, 'google.organic.jsonl'),
      '{"se":"google","se_type":"organic","request":{},"results":{"advanced":{}}}\n{oops\n',
    );
    await expect(replay('error')).rejects.toThrow(/google\.organic\.jsonl:2: not valid JSON/);

    const odd = join(dir, 'odd.json');
    writeFileSync(odd, JSON.stringify({ hello: 'world' }));
    const r = serpqCli(['cassettes', 'import', odd, '--cassettes', cassettes]);
    expect(r.status).toBe(1);
    expect(r.out).toContain('is neither cassettes (JSON Lines) nor a saved task_get or live response');
    const bad = serpqCli(['serve', '--executor', 'replay', '--cassettes', cassettes, '--db', ':memory:', '--port', '0']);
    expect(bad.status).toBe(1);
    expect(bad.out.trim().split('\n')).toEqual([
      expect.stringMatching(/^serpq: invalid configuration: cassettes .*jsonl:2: not valid JSON/),
    ]);
  });

  it('records through a relay to a real upstream, exports, and replays the same results with no upstream', async () => {
    const UP = 'replay-upstream-token';
    const RELAY = 'replay-relay-token';
    const up = await startServer({ db: join(dir, 'up.db'), adminToken: UP });
    await admin(up, UP, 'PATCH', '/admin/accounts/demo', { balance: 1000 });
    const recordDir = join(dir, 'recorded');
    const relay = await startServer({
      db: join(dir, 'relay.db'),
      adminToken: RELAY,
      extraArgs: ['--executor', 'relay', '--upstream-url', up.base, '--upstream-login', 'demo', '--upstream-password', 'demo'],
      env: { SERPQ_RECORD: recordDir },
    });
    const requests = [
      ['organic', ORGANIC],
      ['images', { keyword: 'replay images', location_code: 2840, language_code: 'en' }],
    ] as const;
    const c = client(relay);
    const ids: string[] = [];
    for (const [type, task] of requests) ids.push((await c.taskPost('google', type, [{ ...task }])).tasks![0]!.id);
    await admin(relay, RELAY, 'POST', '/admin/settle');
    await admin(up, UP, 'POST', '/admin/settle');
    await admin(relay, RELAY, 'POST', '/admin/settle');
    const real: unknown[] = [];
    for (const [i, [type]] of requests.entries()) {
      const t = (await c.taskGet('google', type, 'advanced', ids[i]!)).tasks![0]!;
      expect(t.status_code).toBe(20000);
      real.push(t.result![0]);
    }
    // A function fetched later (html, on its first task_get) is recorded too, and so is a live call.
    const html = (await c.taskGet('google', 'images', 'html', ids[1]!)).tasks![0]!.result![0];
    const LIVE = { keyword: 'replay live', location_code: 2840, language_code: 'en' };
    const live = (await c.live('google', 'organic', 'advanced', { ...LIVE })).tasks![0]!;
    expect(live.status_code).toBe(20000);
    await relay.kill();
    await up.kill();
    expect(readdirSync(recordDir).sort()).toEqual(['google.images.jsonl', 'google.organic.jsonl']);

    const exported = join(dir, 'exported');
    const ex = serpqCli(['cassettes', 'export', '--out', exported, '--db', join(dir, 'relay.db')]);
    expect(ex.status, ex.out).toBe(0);
    // Two tasks and the live call.
    expect(ex.out).toContain('exported 3 results');
    const exportedImages = JSON.parse(readFileSync(join(exported, 'google.images.jsonl'), 'utf8')) as {
      results: Record<string, unknown>;
      source: string;
    };
    expect(Object.keys(exportedImages.results).sort()).toEqual(['advanced', 'html']);
    // Exported results keep where they came from, as recorded ones do.
    const recordedImages = JSON.parse(readFileSync(join(recordDir, 'google.images.jsonl'), 'utf8').split('\n')[0]!) as { source: string };
    expect(exportedImages.source).toBe(up.base);
    expect(recordedImages.source).toBe(up.base);

    for (const folder of [recordDir, exported]) {
      cassettes = folder;
      const t = await replay('error');
      for (const [i, [type, task]] of requests.entries()) {
        const got = await advanced(t, await postAndRun(t, { ...task }, type), type);
        expect(got.code, folder).toBe(20000);
        expect(undated(got.result)).toEqual(undated(real[i]));
      }
      const fromLive = await advanced(t, await postAndRun(t, { ...LIVE }));
      expect(undated(fromLive.result)).toEqual(undated(live.result![0]));
      const imagesId = await postAndRun(t, { ...requests[1][1] }, 'images');
      const replayedHtml = (await t.request('GET', `/v3/serp/google/images/task_get/html/${imagesId}`)).body.tasks![0]!.result![0];
      expect(undated(replayedHtml)).toEqual(undated(html));
    }
  });

  it('miss record: fetches a miss upstream once, appends it, and replays it after the upstream is gone', async () => {
    const UP = 'record-upstream-token';
    const ME = 'record-replay-token';
    const up = await startServer({ db: join(dir, 'up.db'), adminToken: UP });
    await admin(up, UP, 'PATCH', '/admin/accounts/demo', { balance: 1000 });
    const srv = await startServer({
      db: join(dir, 'replay.db'),
      adminToken: ME,
      extraArgs: ['--executor', 'replay', '--replay-miss', 'record', '--cassettes', cassettes],
      env: { SERPQ_UPSTREAM_URL: up.base, SERPQ_UPSTREAM_LOGIN: 'demo', SERPQ_UPSTREAM_PASSWORD: 'demo' },
    });
    const c = client(srv);
    const first = (await c.taskPost('google', 'organic', [{ ...ORGANIC }])).tasks![0]!.id;
    await admin(srv, ME, 'POST', '/admin/settle');
    await admin(up, UP, 'POST', '/admin/settle');
    await admin(srv, ME, 'POST', '/admin/settle');
    const fetched = (await c.taskGet('google', 'organic', 'advanced', first)).tasks![0]!;
    expect(fetched.status_code).toBe(20000);
    expect(readFileSync(join(cassettes, 'google.organic.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
    await up.kill();

    const again = (await c.taskPost('google', 'organic', [{ ...ORGANIC, tag: 'again' }])).tasks![0]!.id;
    await admin(srv, ME, 'POST', '/admin/settle');
    const replayed = (await c.taskGet('google', 'organic', 'advanced', again)).tasks![0]!;
    expect(replayed.status_code).toBe(20000);
    expect(undated(replayed.result![0])).toEqual(undated(fetched.result![0]));
  });
});
