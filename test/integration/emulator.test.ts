import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { createClient } from '../../src/client/index.js';
import { loadConfig } from '../../src/config.js';
import { type Emulator, startEmulator } from '../../src/testing/index.js';

/**
 * serpq/testing: the emulator in the test's own process. A test posts, settles, moves the clock three
 * days and sees tasks_ready empty; reset starts over; /admin/reset is refused where not allowed; and
 * a consumer project imports the built package by its name under node:test.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('serpq/testing: startEmulator', () => {
  const started: Emulator[] = [];
  afterEach(async () => {
    for (const em of started.splice(0)) await em.close();
  });
  const start = async (...args: Parameters<typeof startEmulator>) => {
    const em = await startEmulator(...args);
    started.push(em);
    return em;
  };

  it('posts, settles, lists; three days later the list is empty; reset starts over with the accounts', async () => {
    const em = await start({ accounts: [{ login: 'suite', password: 'suite-secret', balance: 5 }] });
    const c = createClient({ baseUrl: em.baseUrl, login: em.login, password: em.password });
    const posted = await c.taskPost('google', 'organic', [{ keyword: 'emulated', location_code: 2840, language_code: 'en' }]);
    expect(posted.tasks?.[0]?.status_code).toBe(20100);
    await em.settle();
    expect((await c.readyRows()).map((r) => r.id)).toEqual([posted.tasks![0]!.id]);
    await em.advance(3 * 86_400);
    expect(await c.readyRows()).toEqual([]);

    await em.faults(40102, 1);
    const failing = await c.taskPost('google', 'organic', [{ keyword: 'fails', location_code: 2840, language_code: 'en' }]);
    await em.settle();
    expect((await c.taskGet('google', 'organic', 'advanced', failing.tasks![0]!.id)).tasks?.[0]?.status_code).toBe(40102);

    await em.reset();
    // Tasks, spend and the clock are gone; the accounts are there again with their balance.
    expect((await c.taskGet('google', 'organic', 'advanced', failing.tasks![0]!.id)).tasks?.[0]?.status_code).toBe(40401);
    const user = await c.userData();
    expect(user.tasks?.[0]?.result?.[0]).toMatchObject({ login: 'suite', money: { balance: 5 } });
    const clock = (await (await fetch(`${em.baseUrl}/admin/clock`, { headers: { authorization: `Bearer ${em.adminToken}` } })).json()) as {
      offset_seconds: number;
    };
    expect(clock.offset_seconds).toBe(0);
  });

  it('a reset after time travel leaves no per-minute window behind (the limits count from the reset)', async () => {
    const em = await start({ accounts: [{ login: 'poller', password: 'poller-secret', limits: { tasks_ready_per_minute: 2 } }] });
    const c = createClient({ baseUrl: em.baseUrl, login: em.login, password: em.password });
    await em.advance(3 * 86_400);
    for (let i = 0; i < 2; i++) expect((await c.tasksReady()).status_code).toBe(20000);
    expect((await c.tasksReady()).status_code).toBe(40202);
    await em.reset();
    // Back at real time, hits stamped three days ahead would fill the window for three days.
    expect((await c.tasksReady()).status_code).toBe(20000);
  });

  it('refuses POST /admin/reset on a server started without --time-travel or --allow-reset', async () => {
    const config = loadConfig({}, { db: ':memory:', adminToken: 'reset-refused-token', logLevel: 'silent', webhookThreads: 0 });
    const app = await createApp(config);
    try {
      const res = await app.http.inject({ method: 'POST', url: '/admin/reset', headers: { authorization: 'Bearer reset-refused-token' } });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toEqual({ error: 'reset is off: start the server with --time-travel or --allow-reset' });
      expect(await app.store.countAccounts()).toBe(1);
    } finally {
      await app.close();
    }
  });

  describe('from the built package, in a consumer project', () => {
    let project: string;
    // The test a user writes (README, "Testing your code against serpq"), for each runner.
    const body = (runner: string) => `${runner}
import { startEmulator } from 'serpq/testing';
import { createClient } from 'serpq/client';

test('a task through the emulator', async () => {
  const em = await startEmulator();
  try {
    const c = createClient({ baseUrl: em.baseUrl, login: em.login, password: em.password });
    await c.taskPost('google', 'organic', [{ keyword: 'from a consumer', location_code: 2840, language_code: 'en' }]);
    await em.settle();
    assert.equal((await c.readyRows()).length, 1);
    await em.advance(3 * 86400);
    assert.deepEqual(await c.readyRows(), []);
  } finally {
    await em.close();
  }
});
`;

    beforeAll(() => {
      const build = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], {
        encoding: 'utf8',
      });
      expect(build.status, build.stdout + build.stderr).toBe(0);
      project = mkdtempSync(join(tmpdir(), 'serpq-consumer-'));
      mkdirSync(join(project, 'node_modules'));
      // serpq as an installed package; vitest as the consumer's own dev dependency.
      symlinkSync(ROOT, join(project, 'node_modules', 'serpq'), 'dir');
      symlinkSync(join(ROOT, 'node_modules', 'vitest'), join(project, 'node_modules', 'vitest'), 'dir');
      writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
      writeFileSync(
        join(project, 'emulator.test.mjs'),
        body(`import { test } from 'node:test';\nimport assert from 'node:assert/strict';`),
      );
      writeFileSync(join(project, 'emulator.spec.mjs'), body(`import { test, assert } from 'vitest';`));
    }, 120_000);
    afterAll(() => rmSync(project, { recursive: true, force: true }));

    it('passes under node:test', () => {
      const run = spawnSync(process.execPath, ['--test', 'emulator.test.mjs'], { cwd: project, encoding: 'utf8' });
      expect(run.status, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toMatch(/# pass 1/);
    });

    it('passes under Vitest', () => {
      const vitest = join(project, 'node_modules', 'vitest', 'vitest.mjs');
      const run = spawnSync(process.execPath, [vitest, 'run', '--root', project, 'emulator.spec.mjs'], {
        cwd: project,
        encoding: 'utf8',
        // A fresh run, not a child of this one: none of this runner's variables.
        env: Object.fromEntries(
          Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_OPTIONS' && k !== 'TEST'),
        ),
      });
      expect(run.status, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toMatch(/1 passed/);
    }, 60_000);
  });
});
