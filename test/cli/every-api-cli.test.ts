import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SerpqClient } from '../../src/client/index.js';
import { SCRIPT, serpqCommand } from '../helpers/cli-process.js';
import { type UpstreamProxy, admin, client, startUpstreamProxy, wireTime } from '../helpers/relay.js';
import { type ServerProcess, killAllServers, startServer } from '../helpers/server-process.js';

/**
 * `serpq post`, `collect` and `live` for the APIs besides SERP, as a user runs them, against a real
 * `serpq serve` behind a proxy that can hold an answer while the command is killed with SIGKILL
 * (the server did the work, the command never heard): 2,000 Google Ads search volume tasks posted and
 * collected, each exactly once; a Merchant type; 500 Labs live calls, each line written once and
 * every cent the account was charged accounted for in the output.
 */
const TOKEN = 'every-api-cli-admin-token';
const ADS = 2000;
const PRODUCTS = 150;
const LABS = 500;
const serpq = serpqCommand;

interface IdRow {
  id: string;
  url: string;
  cost: number;
  metadata: Record<string, unknown> | null;
}

/** Every task of an API of the account (id_list with metadata over the last day of the server's clock). */
async function idListOf(srv: ServerProcess, c: SerpqClient, api: string): Promise<IdRow[]> {
  const now = Date.parse(String((await admin(srv, TOKEN, 'GET', '/admin/clock')).now));
  const out: IdRow[] = [];
  for (let offset = 0; ; offset += 1000) {
    const env = await c.idList(
      { datetime_from: wireTime(now - 86_400_000), datetime_to: wireTime(now), include_metadata: true, limit: 1000, offset },
      api,
    );
    const task = env.tasks?.[0];
    if (task?.status_code !== 20000) throw new Error(`id_list: ${task?.status_code} ${task?.status_message}`);
    const rows = (task.result ?? []) as IdRow[];
    out.push(...rows);
    if (rows.length < 1000) return out;
  }
}

const jsonLines = <T>(path: string): T[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);

describe('serpq post, collect and live for every API (kill -9 in the middle)', () => {
  let srv: ServerProcess;
  let proxy: UpstreamProxy;
  let dir: string;
  let env: Record<string, string>;
  let c: SerpqClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'serpq-every-api-'));
    srv = await startServer({ db: join(dir, 'serpq.db'), adminToken: TOKEN, latency: '0', timeTravel: true });
    proxy = await startUpstreamProxy(srv.base);
    for (const login of ['bulk', 'labs']) {
      await admin(srv, TOKEN, 'POST', '/admin/accounts', {
        login,
        password: `${login}-password`,
        balance: 1000,
        limits: { requests_per_minute: 100_000 },
      });
    }
    env = { SERPQ_BASE_URL: proxy.base, SERPQ_LOGIN: 'bulk', SERPQ_PASSWORD: 'bulk-password' };
    c = client(srv, 'bulk', 'bulk-password');
    const ads = Array.from({ length: ADS }, (_, i) =>
      JSON.stringify({ keywords: [`ads keyword ${i + 1}`], location_code: 2840, language_code: 'en' }),
    );
    writeFileSync(join(dir, 'ads.jsonl'), ads.join('\n') + '\n');
  }, 60_000);

  afterAll(async () => {
    await proxy?.close();
    await killAllServers();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`posts ${ADS} Google Ads tasks exactly once across a kill -9 that lost an answer, then collects each once`, async () => {
    const args = ['post', 'ads.jsonl', '--type', 'keywords_data/google_ads/search_volume', '--concurrency', '4'];
    const first = serpq(args, dir, env);
    let posts = 0;
    // The 8th call of 100: the server keeps its tasks, the command is killed before it hears so.
    const cut = proxy.arm({
      match: (call) => call.kind === 'task_post' && call.path.includes('/keywords_data/') && ++posts === 8,
      phase: 'after',
      action: async () => {
        first.child.kill('SIGKILL');
        await first.done;
      },
    });
    const killed = await first.done;
    expect(cut.disarm(), 'the command was killed while a task_post answer was held').toBe(false);
    expect(killed.signal).toBe('SIGKILL');
    const answered = readFileSync(join(dir, 'ads.jsonl.serpq-state.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"posted"')).length;
    expect(answered).toBeGreaterThan(0);
    expect(answered).toBeLessThan(ADS / 100);

    const again = await serpq(args, dir, env).done;
    expect(again.code, again.stderr + again.stdout).toBe(0);
    expect(again.stdout).toContain(`keywords_data/google_ads/search_volume: ${ADS} of ${ADS} tasks posted`);
    const rows = await idListOf(srv, c, 'keywords_data');
    expect(rows.every((r) => r.url === 'v3/keywords_data/google_ads/search_volume/task_post')).toBe(true);
    const keywords = rows.map((r) => JSON.stringify(r.metadata?.keywords));
    expect(keywords).toHaveLength(ADS);
    expect(new Set(keywords).size).toBe(ADS);

    // collect, killed after the server answered its 700th task_get (that task left tasks_ready).
    await admin(srv, TOKEN, 'POST', '/admin/settle');
    const collectArgs = ['collect', '--out', 'ads-results.jsonl', '--type', 'keywords_data/google_ads/search_volume', '--concurrency', '8'];
    const collecting = serpq(collectArgs, dir, env);
    let gets = 0;
    const cutGet = proxy.arm({
      match: (call) => call.kind === 'task_get' && ++gets === 700,
      phase: 'after',
      action: async () => {
        collecting.child.kill('SIGKILL');
        await collecting.done;
      },
    });
    expect((await collecting.done).signal).toBe('SIGKILL');
    expect(cutGet.disarm()).toBe(false);
    const collected = await serpq(collectArgs, dir, env).done;
    expect(collected.code, collected.stderr + collected.stdout).toBe(0);

    const tasks = jsonLines<{ id: string; status_code: number; data: { keywords: string[] } }>(join(dir, 'ads-results.jsonl'));
    const posted = new Set(rows.map((r) => r.id));
    expect(tasks).toHaveLength(ADS);
    expect(new Set(tasks.map((t) => t.id)).size).toBe(ADS);
    expect(tasks.every((t) => posted.has(t.id) && t.status_code === 20000)).toBe(true);
    expect(new Set(tasks.map((t) => t.data.keywords[0])).size).toBe(ADS);
    expect((await c.tasksReadyOf('keywords_data/google_ads/search_volume')).tasks?.[0]?.result).toEqual([]);
    expect((await idListOf(srv, c, 'keywords_data')).length).toBe(ADS);
  }, 240_000);

  it(`posts and collects a Merchant type (${PRODUCTS} tasks, CSV, the first call's answer lost)`, async () => {
    const csv = ['keyword,location_code,language_code', ...Array.from({ length: PRODUCTS }, (_, i) => `product ${i + 1},2840,en`)];
    writeFileSync(join(dir, 'products.csv'), csv.join('\n') + '\n');
    const args = ['post', 'products.csv', '--type', 'merchant/amazon/products'];
    const first = serpq(args, dir, env);
    const cut = proxy.arm({
      match: (call) => call.kind === 'task_post' && call.path.includes('/merchant/'),
      phase: 'after',
      action: async () => {
        first.child.kill('SIGKILL');
        await first.done;
      },
    });
    expect((await first.done).signal).toBe('SIGKILL');
    expect(cut.disarm()).toBe(false);
    const again = await serpq(args, dir, env).done;
    expect(again.code, again.stderr + again.stdout).toBe(0);
    expect(again.stdout).toContain(`${PRODUCTS} of ${PRODUCTS} tasks posted`);
    const rows = await idListOf(srv, c, 'merchant');
    expect(rows).toHaveLength(PRODUCTS);
    expect(new Set(rows.map((r) => r.metadata?.keyword)).size).toBe(PRODUCTS);

    await admin(srv, TOKEN, 'POST', '/admin/settle');
    const collected = await serpq(['collect', '--out', 'products.jsonl', '--type', 'merchant'], dir, env).done;
    expect(collected.code, collected.stderr + collected.stdout).toBe(0);
    const tasks = jsonLines<{ id: string; path: string[] }>(join(dir, 'products.jsonl'));
    expect(tasks).toHaveLength(PRODUCTS);
    expect(new Set(tasks.map((t) => t.id))).toEqual(new Set(rows.map((r) => r.id)));
    expect(tasks.every((t) => t.path.join('/') === `v3/merchant/amazon/products/task_get/advanced/${t.id}`)).toBe(true);
  }, 120_000);

  it(`calls ${LABS} Labs live endpoints across a kill -9: each line written once, every charge accounted for`, async () => {
    const lines = Array.from({ length: LABS }, (_, i) =>
      JSON.stringify({ target: `site${i + 1}.example`, location_code: 2840, language_code: 'en', limit: 2 }),
    );
    lines[99] = JSON.stringify({ location_code: 2840 }); // no target: 40501, written, the run goes on
    writeFileSync(join(dir, 'labs.jsonl'), lines.join('\n') + '\n');
    const labsEnv = { ...env, SERPQ_LOGIN: 'labs', SERPQ_PASSWORD: 'labs-password' };
    const args = [
      'live',
      'labs.jsonl',
      '--path',
      'dataforseo_labs/google/ranked_keywords/live',
      '--out',
      'labs-out.jsonl',
      '--state',
      'labs-state.jsonl',
    ];
    const first = serpq([...args, '--concurrency', '8'], dir, labsEnv);
    let lives = 0;
    const cut = proxy.arm({
      match: (call) => call.path.endsWith('/ranked_keywords/live') && ++lives === 200,
      phase: 'after',
      action: async () => {
        first.child.kill('SIGKILL');
        await first.done;
      },
    });
    expect((await first.done).signal).toBe('SIGKILL');
    expect(cut.disarm()).toBe(false);
    const written = jsonLines<{ line: number }>(join(dir, 'labs-out.jsonl')).length;
    // Answered before the kill (how many depends on the machine's load), the rest not.
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(200);

    const again = await serpq(args, dir, labsEnv).done;
    expect(again.code, again.stderr + again.stdout).toBe(1); // line 100 answered 40501
    expect(again.stdout).toContain(`${LABS} of ${LABS} lines answered`);
    expect(again.stdout).toContain("labs.jsonl:100: 40501 Invalid Field: 'target'.");

    type Out = { line: number; id: string; status_code: number; cost: number; serpq_lost?: Array<{ id: string; cost: number }> };
    const out = jsonLines<Out>(join(dir, 'labs-out.jsonl'));
    expect(out).toHaveLength(LABS);
    expect(new Set(out.map((o) => o.line))).toEqual(new Set(Array.from({ length: LABS }, (_, i) => i + 1)));
    expect(out.filter((o) => o.status_code !== 20000).map((o) => o.line)).toEqual([100]);
    // The held answer (at least) was charged and lost: its line says so, and was called again.
    const lost = out.flatMap((o) => o.serpq_lost ?? []);
    expect(lost.length).toBeGreaterThanOrEqual(1);
    const ids = [...out.map((o) => o.id), ...lost.map((l) => l.id)];
    expect(new Set(ids).size).toBe(ids.length);
    // id_list keeps the calls that were made (not the one refused with 40501): those written and those lost.
    const rows = await idListOf(srv, client(srv, 'labs', 'labs-password'), 'dataforseo_labs');
    const made = [...out.filter((o) => o.status_code === 20000).map((o) => o.id), ...lost.map((l) => l.id)];
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(made));
    const costs = out.reduce((s, o) => s + o.cost, 0) + lost.reduce((s, l) => s + l.cost, 0);
    const account = await admin(srv, TOKEN, 'GET', '/admin/accounts/labs');
    expect(costs).toBeCloseTo(Number(account.spent), 6);

    // A third run has nothing to call.
    const third = await serpq(args, dir, labsEnv).done;
    expect(third.stdout).toContain('(0 in 0 calls');
    expect(jsonLines(join(dir, 'labs-out.jsonl'))).toHaveLength(LABS);
  }, 180_000);

  it.skipIf(!existsSync(SCRIPT))(
    "live on a terminal: keeps to Google Ads live's 12 calls a minute, says so, and Ctrl-C keeps what is done",
    async () => {
      const lines = Array.from({ length: 30 }, (_, i) => JSON.stringify({ keywords: [`live keyword ${i + 1}`], location_code: 2840 }));
      writeFileSync(join(dir, 'ads-live.jsonl'), lines.join('\n') + '\n');
      const args = ['live', 'ads-live.jsonl', '--path', 'keywords_data/google_ads/search_volume/live', '--out', 'ads-live-out.jsonl'];
      const run = serpqCommand(args, dir, env, { tty: true });
      await run.shows(/waiting for the account's limit of 12 calls\/min to keywords_data\/google_ads\/live \(resumes in \d+s\)/);
      run.type('\x03');
      const { code } = await run.done;
      const screen = run.out();
      expect(code, screen).toBe(130);
      expect(screen).toMatch(/live \[[^\]]+\] \d+\/30 lines/);
      const written = jsonLines<{ line: number }>(join(dir, 'ads-live-out.jsonl'));
      expect(written.length).toBeGreaterThan(0);
      expect(written.length).toBeLessThanOrEqual(12);
      expect(screen).toContain(`${written.length} of 30 lines answered`);
      expect(screen).toContain(`interrupted: run the same command again to call the ${30 - written.length} lines left`);
      expect(screen).not.toMatch(/Warning|MaxListeners/);
    },
    60_000,
  );

  it('names an unknown --type or --path with the closest ones, and a bad task by line and field, posting nothing', async () => {
    const before = (await idListOf(srv, c, 'keywords_data')).length;
    const oneLine = (stderr: string) => {
      const l = stderr.trim().split('\n');
      expect(l, stderr).toHaveLength(1);
      return l[0] ?? '';
    };
    const [type, path, collectType] = await Promise.all([
      serpq(['post', 'ads.jsonl', '--type', 'keywords_data/google_ads/search_volumes'], dir, env).done,
      serpq(['live', 'ads.jsonl', '--path', 'dataforseo_labs/google/ranked_keyword/live', '--out', 'x.jsonl'], dir, env).done,
      serpq(['collect', '--out', 'x.jsonl', '--type', 'merchant/amazon/product'], dir, env).done,
    ]);
    for (const r of [type, path, collectType]) expect(r.code).toBe(1);
    expect(oneLine(type.stderr)).toMatch(
      /^serpq: unknown --type 'keywords_data\/google_ads\/search_volumes': did you mean keywords_data\/google_ads\/search_volume[,?]/,
    );
    expect(oneLine(path.stderr)).toMatch(/^serpq: unknown --path .*did you mean dataforseo_labs\/google\/ranked_keywords\/live[,?]/);
    expect(oneLine(collectType.stderr)).toMatch(/did you mean merchant\/amazon\/products[,?]/);

    writeFileSync(
      join(dir, 'bad-ads.jsonl'),
      ['{"keywords":["fine"],"location_code":2840}', '{"keywords":"not a list","location_code":2840}', '{"keyword":["typo"]}'].join('\n'),
    );
    const bad = await serpq(['post', 'bad-ads.jsonl', '--type', 'keywords_data/google_ads/search_volume'], dir, env).done;
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("bad-ads.jsonl:2: 40501 Invalid Field: 'keywords'. (keywords: must be an array of strings)");
    expect(bad.stderr).toContain("bad-ads.jsonl:3: keywords_data/google_ads/search_volume has no field 'keyword' (did you mean keywords?)");
    expect(bad.stderr).toContain('nothing was posted');
    expect((await idListOf(srv, c, 'keywords_data')).length).toBe(before);
  }, 60_000);
});
