import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCRIPT, serpqCommand } from '../helpers/cli-process.js';
import { type ServerProcess, killAllServers, startServer } from '../helpers/server-process.js';

/**
 * `serpq collect` on a real terminal: the command runs under `script`, which gives it a
 * pseudo-terminal (so it draws its cli-progress bar), against a real `serpq serve`. What the
 * terminal shows is checked as a user would read it: no warning printed into the bar, a total
 * that is never below what is ready ("at least N" while tasks_ready may list more), what holds
 * the run back and when it resumes, and Ctrl-C (typed into the terminal) ending with an honest count.
 */
const TOKEN = 'cli-terminal-admin-token';
const READY = 2500;

/** `serpq ARGS` on a pseudo-terminal, env from the test only. */
const onTerminal = (args: string[], cwd: string, env: Record<string, string>) => serpqCommand(args, cwd, env, { tty: true });

/** Every "done/total" the bar drew: [done, total, exact]. */
function totalsDrawn(screen: string): Array<[number, number, boolean]> {
  const n = (s: string) => Number(s.replace(/,/g, ''));
  return [...screen.matchAll(/(\d[\d,]*)\/(at least )?(\d[\d,]*) tasks/g)].map((m) => [n(m[1] ?? ''), n(m[3] ?? ''), !m[2]]);
}

async function admin(srv: ServerProcess, path: string, body?: unknown): Promise<Response> {
  return fetch(`${srv.base}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function postTasks(srv: ServerProcess, login: string, password: string, count: number): Promise<void> {
  for (let from = 0; from < count; from += 100) {
    const tasks = Array.from({ length: Math.min(100, count - from) }, (_, i) => ({
      keyword: `${login} keyword ${from + i}`,
      location_code: 2840,
      language_code: 'en',
    }));
    const res = await fetch(`${srv.base}/v3/serp/google/organic/task_post`, {
      method: 'POST',
      headers: { authorization: 'Basic ' + Buffer.from(`${login}:${password}`).toString('base64'), 'content-type': 'application/json' },
      body: JSON.stringify(tasks),
    });
    const env = (await res.json()) as { tasks_error: number };
    expect(env.tasks_error).toBe(0);
  }
  expect((await admin(srv, '/admin/settle')).status).toBe(200);
}

describe.skipIf(!existsSync(SCRIPT))('serpq collect on a terminal', () => {
  let srv: ServerProcess;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'serpq-tty-'));
    srv = await startServer({ db: join(dir, 'serpq.db'), adminToken: TOKEN, latency: '0' });
    // 30,000 calls a minute: the 20 lanes wait on the pace between calls (each wait once listened
    // to Ctrl-C on its own, past Node's 10 listeners), and 2,500 tasks take seconds, not minutes.
    const bulk = { login: 'bulk', password: 'bulk-password', balance: 100, limits: { requests_per_minute: 30_000 } };
    // 12 calls a minute, 2 of them tasks_ready: task_get has 9 (one goes to user_data).
    const slow = { login: 'slow', password: 'slow-password', balance: 100, limits: { requests_per_minute: 12, tasks_ready_per_minute: 2 } };
    for (const account of [bulk, slow]) expect((await admin(srv, '/admin/accounts', account)).status).toBe(201);
    await postTasks(srv, 'bulk', 'bulk-password', READY);
    await postTasks(srv, 'slow', 'slow-password', 12);
  }, 120_000);

  afterAll(async () => {
    await killAllServers();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`draws no warning and never a total below what is ready (${READY} tasks, 20 lanes)`, async () => {
    const run = onTerminal(['collect', '--out', 'bulk.jsonl', '--concurrency', '20'], dir, {
      SERPQ_BASE_URL: srv.base,
      SERPQ_LOGIN: 'bulk',
      SERPQ_PASSWORD: 'bulk-password',
    });
    const { code } = await run.done;
    const screen = run.out();
    expect(code, screen).toBe(0);
    expect(screen).not.toMatch(/Warning|MaxListeners/);
    const drawn = totalsDrawn(screen);
    expect(drawn.length).toBeGreaterThan(0);
    // While more pages may exist the bar says "at least"; an exact total is the whole of what was ready.
    expect(drawn.some(([, , exact]) => !exact)).toBe(true);
    for (const [done, total, exact] of drawn) {
      expect(done).toBeLessThanOrEqual(READY);
      if (exact) expect(total).toBe(READY);
      else expect(total).toBeGreaterThanOrEqual(Math.min(done, READY));
    }
    expect(drawn.at(-1)).toEqual([READY, READY, true]);
    expect(screen).toContain(`collected ${READY} tasks this run`);
    expect(readFileSync(join(dir, 'bulk.jsonl'), 'utf8').trim().split('\n')).toHaveLength(READY);
  }, 180_000);

  it('says which limit holds it back and when it resumes; Ctrl-C counts what is left', async () => {
    const run = onTerminal(['collect', '--out', 'slow.jsonl'], dir, {
      SERPQ_BASE_URL: srv.base,
      SERPQ_LOGIN: 'slow',
      SERPQ_PASSWORD: 'slow-password',
    });
    await run.shows(/waiting for the account's limit of 12 calls\/min \(resumes in \d+s\)/);
    // Ctrl-C typed into the terminal: the line discipline sends SIGINT to the command.
    run.type('\x03');
    const { code } = await run.done;
    const screen = run.out();
    expect(code, screen).toBe(130);
    if (process.env.SERPQ_TEST_OUTPUT) writeFileSync(join(process.env.SERPQ_TEST_OUTPUT, 'collect-terminal.txt'), screen);
    const written = readFileSync(join(dir, 'slow.jsonl'), 'utf8').trim().split('\n').filter(Boolean).length;
    expect(written).toBeLessThan(12);
    const tasks = (n: number) => `${n} ${n === 1 ? 'task' : 'tasks'}`;
    expect(screen).toContain(`collected ${tasks(written)} this run`);
    expect(screen).toContain(`left: ${tasks(12 - written)} listed by tasks_ready and not fetched`);
    expect(screen).toContain('run the same command again');
    expect(screen).not.toMatch(/Warning|MaxListeners/);
  }, 60_000);
});
