import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WireEnvelope } from '../../src/contracts/envelope.js';
import { type TestApp, makeTestApp } from '../helpers/app.js';
import { admin, client } from '../helpers/relay.js';
import { killAllServers, startServer } from '../helpers/server-process.js';

/**
 * Record and replay for every API: a Labs live call and a Keywords Data task recorded through a
 * relay to a real upstream process (and exported from its database), saved vendor answers of
 * Merchant (task_get) and Backlinks (live) imported; each replayed by a serpq with no upstream, with
 * the match rules and the miss policies.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function serpqCli(args: string[]): { status: number | null; out: string } {
  const clean: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('SERPQ_')) clean[k] = v;
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, env: clean, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** A result without the times derived from when it was answered (replays carry their own). */
const undated = (r: unknown) => JSON.parse(JSON.stringify(r).replace(/"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+00:00"/g, '""'));
const first = (env: WireEnvelope) => env.tasks![0]!;

const LABS = 'dataforseo_labs/google/ranked_keywords/live';
const LABS_TASK = { target: 'replay.example', location_code: 2840, language_code: 'en', limit: 5 };
const VOLUME = 'keywords_data/google_ads/search_volume';
const VOLUME_TASK = { keywords: ['replay shoes', 'replay boots'], location_code: 2840, language_code: 'en' };
const MERCHANT = 'merchant/amazon/products';
const MERCHANT_TASK = { keyword: 'replay kettle', location_code: 2840, language_code: 'en_US' };
const BACKLINKS = 'backlinks/summary/live';
const BACKLINKS_TASK = { target: 'replay.example' };

describe('record and replay of every API', () => {
  let dir: string;
  let cassettes: string;
  const apps: TestApp[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'serpq-replay-apis-'));
    cassettes = join(dir, 'cassettes');
  });
  afterEach(async () => {
    for (const a of apps.splice(0)) await a.close();
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

  const live = async (t: TestApp, path: string, task: Record<string, unknown>) =>
    first((await t.request('POST', `/v3/${path}`, { body: [task] })).body);
  /** Posts a task of a type, runs it, and reads a function of it (null: task_get/{id}). */
  async function runTask(t: TestApp, type: string, task: Record<string, unknown>, fn: string | null = null) {
    const posted = first((await t.request('POST', `/v3/${type}/task_post`, { body: [task] })).body);
    expect(posted.status_code, JSON.stringify(posted)).toBe(20100);
    await t.runWorkers();
    return first((await t.request('GET', `/v3/${type}/task_get/${fn === null ? '' : `${fn}/`}${posted.id}`)).body);
  }

  it('records a Labs live call and a Keywords Data task through a relay, exports them, and replays both with no upstream', async () => {
    const UP = 'replay-apis-upstream';
    const RELAY = 'replay-apis-relay';
    const up = await startServer({ db: join(dir, 'up.db'), adminToken: UP });
    await admin(up, UP, 'PATCH', '/admin/accounts/demo', { balance: 1000 });
    const recordDir = join(dir, 'recorded');
    const relay = await startServer({
      db: join(dir, 'relay.db'),
      adminToken: RELAY,
      extraArgs: ['--executor', 'relay', '--upstream-url', up.base, '--upstream-login', 'demo', '--upstream-password', 'demo'],
      env: { SERPQ_RECORD: recordDir },
    });
    const c = client(relay);
    const labs = first(await c.liveOf(LABS, [{ ...LABS_TASK }]));
    expect(labs.status_code).toBe(20000);
    const id = first(await c.taskPostOf(VOLUME, [{ ...VOLUME_TASK, tag: 'recorded' }])).id;
    await admin(relay, RELAY, 'POST', '/admin/settle');
    await admin(up, UP, 'POST', '/admin/settle');
    await admin(relay, RELAY, 'POST', '/admin/settle');
    const volume = first(await c.taskGetOf(VOLUME, id));
    expect(volume.status_code, JSON.stringify(volume)).toBe(20000);
    await relay.kill();
    await up.kill();

    const labsFile = 'dataforseo_labs.google.ranked_keywords.live.jsonl';
    const volumeFile = 'keywords_data.google_ads.search_volume.task_get.jsonl';
    expect(readdirSync(recordDir).sort()).toEqual([labsFile, volumeFile]);
    const line = JSON.parse(readFileSync(join(recordDir, labsFile), 'utf8').trim()) as Record<string, unknown>;
    expect(Object.keys(line)).toEqual(['api', 'path', 'request', 'result', 'recorded_at', 'source']);
    expect(line).toMatchObject({ api: 'dataforseo_labs', path: LABS, request: LABS_TASK, source: up.base });
    // The tag (the account's) is not part of the request.
    const volumeLine = JSON.parse(readFileSync(join(recordDir, volumeFile), 'utf8').trim()) as { request: Record<string, unknown> };
    expect(volumeLine.request).toMatchObject(VOLUME_TASK);
    expect(volumeLine.request).not.toHaveProperty('tag');

    // The task's stored result exports as the same cassette (live results are not stored: recorded only).
    const exported = join(dir, 'exported');
    const ex = serpqCli(['cassettes', 'export', '--out', exported, '--db', join(dir, 'relay.db')]);
    expect(ex.status, ex.out).toBe(0);
    expect(readdirSync(exported)).toEqual([volumeFile]);

    for (const folder of [recordDir, exported]) {
      cassettes = folder;
      const t = await replay('error');
      if (folder === recordDir) {
        const again = await live(t, LABS, { ...LABS_TASK, tag: 'other tag' });
        expect(again.status_code).toBe(20000);
        expect(undated(again.result)).toEqual(undated(labs.result));
      }
      const replayed = await runTask(t, VOLUME, { ...VOLUME_TASK });
      expect(replayed.status_code, folder).toBe(20000);
      expect(undated(replayed.result)).toEqual(undated(volume.result));
    }
  });

  it('imports a saved Merchant task_get answer and a Backlinks live answer, and replays them', async () => {
    // A sandbox serpq speaks the vendor's wire: its answers stand in for saved vendor responses.
    const source = await app();
    const merchant = await runTask(source, MERCHANT, { ...MERCHANT_TASK }, 'advanced');
    expect(merchant.status_code).toBe(20000);
    const merchantFile = join(dir, 'merchant-task-get.json');
    writeFileSync(merchantFile, JSON.stringify({ status_code: 20000, tasks: [merchant] }));
    const backlinksFile = join(dir, 'backlinks-live.json');
    const backlinks = (await source.request('POST', `/v3/${BACKLINKS}`, { body: [BACKLINKS_TASK] })).text;
    writeFileSync(backlinksFile, backlinks);
    const r = serpqCli(['cassettes', 'import', merchantFile, backlinksFile, '--cassettes', cassettes]);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain('imported 2 results');
    expect(readdirSync(cassettes).sort()).toEqual(['backlinks.summary.live.jsonl', 'merchant.amazon.products.task_get.advanced.jsonl']);

    const t = await replay('error');
    const got = await runTask(t, MERCHANT, { ...MERCHANT_TASK, tag: 'mine' }, 'advanced');
    expect(got.status_code).toBe(20000);
    expect(undated(got.result)).toEqual(undated(merchant.result));
    // A function that was not recorded answers as a result that does not exist.
    const html = first((await t.request('GET', `/v3/${MERCHANT}/task_get/html/${got.id}`)).body);
    expect(html.status_code).toBe(40404);
    const summary = await live(t, BACKLINKS, { ...BACKLINKS_TASK });
    expect(summary.status_code).toBe(20000);
    expect(undated(summary.result)).toEqual(undated(first(JSON.parse(backlinks) as WireEnvelope).result));
  });

  it('misses of other APIs: error fails with 40102, sandbox answers; keywords match as the vendor compares them; unmatched inputs are ignored', async () => {
    const source = await app();
    const labs = await live(source, LABS, { ...LABS_TASK });
    const volume = await runTask(source, VOLUME, { ...VOLUME_TASK });
    const saved = join(dir, 'saved.jsonl');
    writeFileSync(saved, `${JSON.stringify({ tasks: [labs] })}\n${JSON.stringify({ tasks: [volume] })}\n`);
    const r = serpqCli(['cassettes', 'import', saved, '--cassettes', cassettes]);
    expect(r.status, r.out).toBe(0);

    const strict = await replay('error');
    expect((await live(strict, LABS, { ...LABS_TASK, target: 'other.example' })).status_code).toBe(40102);
    expect((await live(strict, LABS, { ...LABS_TASK, location_code: 2826 })).status_code).toBe(40102);
    expect((await runTask(strict, VOLUME, { ...VOLUME_TASK, keywords: ['never recorded'] })).status_code).toBe(40102);
    const spelled = await runTask(strict, VOLUME, { ...VOLUME_TASK, keywords: ['  Replay   SHOES', 'replay boots '] });
    expect(spelled.status_code).toBe(20000);
    expect(undated(spelled.result)).toEqual(undated(volume.result));
    // A reference list without a cassette is the sandbox's whatever the policy.
    expect(first((await strict.request('GET', '/v3/dataforseo_labs/categories')).body).status_code).toBe(20000);

    const loose = await replay('error', { SERPQ_REPLAY_MATCH: 'keyword,language,device,depth' });
    const elsewhere = await live(loose, LABS, { ...LABS_TASK, location_code: 2826 });
    expect(elsewhere.status_code).toBe(20000);
    expect(undated(elsewhere.result)).toEqual(undated(labs.result));

    const sandboxed = await replay('sandbox');
    const miss = await live(sandboxed, LABS, { ...LABS_TASK, target: 'other.example' });
    expect(miss.status_code).toBe(20000);
    expect(undated(miss.result)).toEqual(undated(await live(source, LABS, { ...LABS_TASK, target: 'other.example' })).result);
    const missTask = await runTask(sandboxed, VOLUME, { ...VOLUME_TASK, keywords: ['never recorded'] });
    expect(missTask.status_code).toBe(20000);
    expect(undated((await runTask(sandboxed, VOLUME, { ...VOLUME_TASK })).result)).toEqual(undated(volume.result));

    // Injected faults end the next execution, cassette or not.
    await sandboxed.injectFaults(40103, 1);
    expect((await live(sandboxed, LABS, { ...LABS_TASK })).status_code).toBe(40103);
  });
});
