import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serpqCommand } from '../helpers/cli-process.js';
import { type IdListRow, type UpstreamProxy, client, idListRows, startUpstreamProxy } from '../helpers/relay.js';
import { type ServerProcess, killAllServers, startServer } from '../helpers/server-process.js';

/**
 * `serpq post` then `serpq collect`, as a user runs them, against a real `serpq serve`: 5,000
 * keywords, each command killed with SIGKILL in the middle at the worst moment (the server had
 * answered a call, the answer never reached the command), then run again. Every keyword is posted
 * exactly once and every task is written exactly once.
 */
const TOKEN = 'cli-test-admin-token';
const KEYWORDS = 5000;
const serpq = serpqCommand;

describe('serpq post and collect (5,000 keywords, kill -9 in the middle of each)', () => {
  let srv: ServerProcess;
  let proxy: UpstreamProxy;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'serpq-cli-'));
    srv = await startServer({ db: join(dir, 'serpq.db'), adminToken: TOKEN, latency: '0', timeTravel: true });
    proxy = await startUpstreamProxy(srv.base);
    // A collecting team's account: above the default 2,000 calls a minute, so 5,000 task_get calls
    // do not wait out minutes (the command reads the account's limits from user_data).
    const made = await fetch(`${srv.base}/admin/accounts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'bulk', password: 'bulk-password', balance: 1000, limits: { requests_per_minute: 100_000 } }),
    });
    expect(made.status).toBe(201);
    env = { SERPQ_BASE_URL: proxy.base, DATAFORSEO_LOGIN: 'bulk', DATAFORSEO_PASSWORD: 'bulk-password' };
    writeFileSync(join(dir, 'keywords.txt'), Array.from({ length: KEYWORDS }, (_, i) => `keyword ${i + 1}`).join('\n') + '\n');
  }, 60_000);

  afterAll(async () => {
    await proxy?.close();
    await killAllServers();
    rmSync(dir, { recursive: true, force: true });
  });

  it('posts every keyword exactly once across a kill -9 that lost an answer', async () => {
    const args = ['post', 'keywords.txt', '--type', 'google/organic', '--location', '2840', '--language', 'en', '--concurrency', '4'];
    const first = serpq(args, dir, env);
    let posts = 0;
    // The 20th call of 100: the server accepts its tasks, the command is killed before it hears so.
    const cut = proxy.arm({
      match: (c) => c.kind === 'task_post' && ++posts === 20,
      phase: 'after',
      action: async () => {
        first.child.kill('SIGKILL');
        await first.done;
      },
    });
    const killed = await first.done;
    expect(cut.disarm(), 'the command was killed while a task_post answer was held').toBe(false);
    expect(killed.signal).toBe('SIGKILL');

    const state = readFileSync(join(dir, 'keywords.txt.serpq-state.jsonl'), 'utf8').trim().split('\n');
    const answered = state.filter((l) => l.includes('"posted"')).length;
    expect(answered).toBeGreaterThan(0);
    expect(answered).toBeLessThan(KEYWORDS / 100);

    const again = await serpq(args, dir, env).done;
    expect(again.code, again.stderr + again.stdout).toBe(0);
    expect(again.stdout).toContain(`${KEYWORDS} of ${KEYWORDS} tasks posted`);

    const rows: IdListRow[] = await idListRows(srv, TOKEN, client(srv, 'bulk', 'bulk-password'));
    const keywords = rows.map((r) => (r.metadata as { keyword?: string } | null)?.keyword);
    expect(keywords).toHaveLength(KEYWORDS);
    expect(new Set(keywords).size).toBe(KEYWORDS);

    // A third run has nothing to do and says so.
    const third = await serpq(args, dir, env).done;
    expect(third.code).toBe(0);
    expect(third.stdout).toContain('(0 in 0 calls');
    expect((await idListRows(srv, TOKEN, client(srv, 'bulk', 'bulk-password'))).length).toBe(KEYWORDS);
  }, 240_000);

  it('collects every task exactly once across a kill -9 after a task_get was answered', async () => {
    await fetch(`${srv.base}/admin/settle`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    const args = ['collect', '--out', 'results.jsonl', '--concurrency', '8'];
    const first = serpq(args, dir, env);
    let gets = 0;
    // The server collected the task (it left tasks_ready) but the command never got its result.
    const cut = proxy.arm({
      match: (c) => c.kind === 'task_get' && ++gets === 1500,
      phase: 'after',
      action: async () => {
        first.child.kill('SIGKILL');
        await first.done;
      },
    });
    const killed = await first.done;
    expect(cut.disarm()).toBe(false);
    expect(killed.signal).toBe('SIGKILL');

    const again = await serpq(args, dir, env).done;
    expect(again.code, again.stderr + again.stdout).toBe(0);

    const lines = readFileSync(join(dir, 'results.jsonl'), 'utf8').trim().split('\n');
    const tasks = lines.map((l) => JSON.parse(l) as { id: string; status_code: number; data: { keyword: string } });
    const posted = new Set((await idListRows(srv, TOKEN, client(srv, 'bulk', 'bulk-password'))).map((r) => r.id));
    expect(tasks).toHaveLength(KEYWORDS);
    expect(new Set(tasks.map((t) => t.id)).size).toBe(KEYWORDS);
    expect(tasks.every((t) => posted.has(t.id) && t.status_code === 20000)).toBe(true);
    expect(new Set(tasks.map((t) => t.data.keyword)).size).toBe(KEYWORDS);
    expect(await client(srv, 'bulk', 'bulk-password').readyRows()).toEqual([]);
  }, 240_000);

  it('refuses bad input with one clear line each, posting nothing', async () => {
    writeFileSync(join(dir, 'bad.jsonl'), '{"keyword":"fine","location_code":2840,"language_code":"en"}\n{"keyword": oops}\n');
    const before = (await idListRows(srv, TOKEN, client(srv, 'bulk', 'bulk-password'))).length;
    const malformed = await serpq(['post', 'bad.jsonl', '--type', 'google/organic'], dir, env).done;
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toMatch(/^serpq: bad\.jsonl:2: not valid JSON/m);

    const unknown = await serpq(['post', 'keywords.txt', '--type', 'google/nonsense'], dir, env).done;
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toContain("unknown --type 'google/nonsense'");

    const refused = await serpq(['post', 'keywords.txt', '--type', 'google/organic'], dir, {
      ...env,
      SERPQ_LOGIN: 'bulk',
      SERPQ_PASSWORD: 'wrong',
    }).done;
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('credentials refused');

    const none = await serpq(['ready'], dir, { SERPQ_BASE_URL: proxy.base }).done;
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no credentials');
    expect((await idListRows(srv, TOKEN, client(srv, 'bulk', 'bulk-password'))).length).toBe(before);
  }, 60_000);

  it('reports a 40501 rejection with its line and field, and a rerun does not post it again', async () => {
    writeFileSync(
      join(dir, 'mixed.jsonl'),
      [
        '{"keyword":"ok one","location_code":2840,"language_code":"en"}',
        '{"keyword":"bad one","location_code":"nowhere","language_code":"en"}',
      ].join('\n'),
    );
    const args = ['post', 'mixed.jsonl', '--type', 'google/organic'];
    const first = await serpq(args, dir, env).done;
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/mixed\.jsonl:2: 40501 Invalid Field: 'location_code'/);
    const second = await serpq(args, dir, env).done;
    expect(second.stdout).toContain('(0 in 0 calls');
    const rows = await idListRows(srv, TOKEN, client(srv, 'bulk', 'bulk-password'));
    expect(rows.filter((r) => (r.metadata as { keyword?: string } | null)?.keyword === 'ok one')).toHaveLength(1);
  }, 60_000);

  it('moves the clock and lists what is ready', async () => {
    const shown = await serpq(['clock', 'advance', '1h'], dir, { SERPQ_BASE_URL: srv.base, SERPQ_ADMIN_TOKEN: TOKEN }).done;
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/time travel on, 1h ahead of real time/);
    const ready = await serpq(['ready', '--json'], dir, env).done;
    expect(ready.code).toBe(0);
    const listed = ready.stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { id: string });
    expect(listed.map((r) => r.id).sort()).toEqual((await client(srv, 'bulk', 'bulk-password').readyRows()).map((r) => r.id).sort());
  }, 60_000);
});
