import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin } from '../helpers/relay.js';
import { type ServerProcess, killAllServers, startServer } from '../helpers/server-process.js';
import { type WebhookSink, startSink } from '../helpers/webhook-sink.js';

/**
 * The operator dashboard end to end: a real `serpq serve` (time travel, private webhooks allowed,
 * tasks due 30 minutes after posting), Debian's Chromium driven by playwright-core, and a webhook
 * receiver that refuses until told otherwise; then a relay in front of a second serpq. The only
 * waits are for states the test caused.
 */
const CHROMIUM = '/usr/bin/chromium';
const TOKEN = 'e2e-admin-token-0123456789';
const OUTPUT = resolve(process.env.SERPQ_TEST_OUTPUT ?? 'test-output');

describe.skipIf(!existsSync(CHROMIUM))('dashboard in Chromium', () => {
  let dir: string;
  let server: ServerProcess;
  let sink: WebhookSink;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const urls: string[] = [];

  beforeAll(async () => {
    // The bundle the server serves, built from the sources under test (as `npm run build` does).
    execFileSync(process.execPath, ['scripts/build-dashboard.mjs'], { cwd: resolve(import.meta.dirname, '../..'), stdio: 'pipe' });
    dir = mkdtempSync(join(tmpdir(), 'serpq-e2e-'));
    sink = await startSink();
    [server, browser] = await Promise.all([
      startServer({
        db: join(dir, 'serpq.db'),
        adminToken: TOKEN,
        timeTravel: true,
        latency: '30m',
        extraArgs: ['--allow-private-webhooks'],
      }),
      chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] }),
    ]);
    page = await openPage();
  });

  async function openPage(): Promise<Page> {
    const p = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    p.setDefaultTimeout(10_000);
    p.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    // A refused sign-in logs its 401 as a failed resource, a task not found its 404; anything else
    // (a CSP refusal) is a problem.
    p.on('console', (m) => m.type() === 'error' && !/40[14]/.test(m.text()) && problems.push(`console: ${m.text()}`));
    p.on('request', (r) => urls.push(r.url()));
    return p;
  }

  afterAll(async () => {
    await browser?.close();
    await killAllServers();
    await sink?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const text = (testId: string) => page.getByTestId(testId).first().textContent();
  const shows = (testId: string, value: string | RegExp, on = page) =>
    on.locator(`[data-testid="${testId}"]`, { hasText: value }).first().waitFor();

  /** The page is no wider than the window at these widths (wide tables scroll inside their cards). */
  async function fits(on: Page, widths = [1280, 1400]) {
    for (const width of widths) {
      await on.setViewportSize({ width, height: 1000 });
      // Charts follow their box on a ResizeObserver: measured once that has run (the next frames).
      await on.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
      const [scrollWidth, innerWidth] = await on.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      expect(scrollWidth, `page width at a ${width} px window`).toBeLessThanOrEqual(innerWidth);
    }
    await on.setViewportSize({ width: 1280, height: 1000 });
  }

  async function signIn(on: Page, base: string) {
    await on.goto(`${base}/dashboard`);
    await on.fill('#token', TOKEN);
    await on.click('button[type=submit]');
    await shows('live', 'live', on);
  }

  it('signs in, sees the demo account, watches a posted task move, resends its failed webhook, advances the clock', async () => {
    const res = await page.goto(`${server.base}/dashboard`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");

    // A wrong token is refused with a clear line; the right one opens the dashboard.
    await page.fill('#token', 'not-the-token');
    await page.click('button[type=submit]');
    await page.getByRole('alert').filter({ hasText: 'admin token was refused' }).waitFor();
    await page.fill('#token', TOKEN);
    await page.click('button[type=submit]');
    await shows('live', 'live');
    const demo = page.locator('[data-testid=accounts] tr[data-login=demo]');
    await demo.waitFor();
    expect(await demo.locator('[data-testid=spent-today]').textContent()).toBe('$0.00');
    expect(await text('queued')).toBe('0');

    // Limits are editable in place (PATCH /admin/accounts/demo).
    await demo.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('requests per minute').fill('1500');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-testid=accounts] tr[data-login=demo] td', { hasText: /^1500$/ }).waitFor();

    // A task through the vendor API, due in 30 minutes of serpq's clock: queued, and charged today.
    const posted = await fetch(`${server.base}/v3/serp/google/organic/task_post`, {
      method: 'POST',
      headers: { authorization: 'Basic ' + Buffer.from('demo:demo').toString('base64'), 'content-type': 'application/json' },
      body: JSON.stringify([
        { keyword: 'dashboard', location_code: 2840, language_code: 'en', postback_url: `${sink.base}/flip/$id`, postback_data: 'regular' },
      ]),
    }).then((r) => r.json() as Promise<{ tasks: Array<{ id: string; status_code: number }> }>);
    expect(posted.tasks[0].status_code).toBe(20100);
    const id = posted.tasks[0].id;
    await shows('queued', /^1$/);
    expect(await demo.locator('[data-testid=spent-today]').textContent()).not.toBe('$0.00');

    // +1 hour: the task becomes due and runs, its postback is refused (500): the counts move and
    // the failed webhook shows with its code.
    const before = Date.parse((await page.getByTestId('clock').getAttribute('datetime'))!);
    await page.getByRole('button', { name: '+1 hour' }).click();
    await shows('offset', '+1h');
    const after = Date.parse((await page.getByTestId('clock').getAttribute('datetime'))!);
    expect(after - before).toBeGreaterThanOrEqual(3600_000);
    await shows('queued', /^0$/);
    await shows('completed', /^1$/);
    const row = page.locator(`[data-testid=failed-webhooks] tr[data-task="${id}"]`);
    await row.locator('[data-testid=webhook-state]', { hasText: 'failed' }).waitFor();
    expect(await row.textContent()).toContain('HTTP 500');
    await shows('ready', /^1$/);

    // The receiver is fixed; Resend sends the postback again and the row turns delivered.
    sink.flip.ok = true;
    await row.getByRole('button', { name: 'Resend' }).click();
    await row.locator('[data-testid=webhook-state]', { hasText: 'delivered' }).waitFor();
    expect(sink.requests.map((r) => r.url)).toEqual([`/flip/${id}`, `/flip/${id}`]);

    // Not a relay: no upstream card. The page fits the window with the failed webhook listed, its
    // attempts and Resend in view.
    expect(await page.getByTestId('upstream').count()).toBe(0);
    await fits(page);
    const table = (await page.locator('.scroll', { has: page.getByTestId('failed-webhooks') }).boundingBox())!;
    for (const cell of [row.locator('td.num').last(), row.getByRole('button', { name: 'Resend' })]) {
      const box = (await cell.boundingBox())!;
      expect(box.x + box.width, 'inside the table’s visible part').toBeLessThanOrEqual(table.x + table.width);
    }
    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: join(OUTPUT, 'dashboard.png'), fullPage: true });

    // Find a task: an unknown id says so; the task's id shows its state, account and postbacks.
    const lookup = page.getByTestId('task-lookup');
    await lookup.getByLabel('task id').fill('01151200-1535-0066-0000-00000000abcd');
    await lookup.getByRole('button', { name: 'Find' }).click();
    await shows('task-missing', "No task with id '01151200-1535-0066-0000-00000000abcd'");
    await lookup.getByLabel('task id').fill(id);
    await lookup.getByRole('button', { name: 'Find' }).click();
    await shows('task-state', 'completed');
    expect(await text('task-login')).toBe('demo');
    expect(await text('task-ready')).toBe('yes');
    expect(await text('task-webhooks')).toBe('postback delivered after 2 attempts');
    expect(await page.locator('[data-testid=task-attempts] tbody tr').count()).toBe(2);
    // The task's id in the failed webhooks opens it too.
    await lookup.getByLabel('task id').fill('');
    await row.getByRole('button', { name: id }).click();
    await page.locator(`[data-testid=task-lookup] [data-task="${id}"]`).waitFor();
    expect(await lookup.getByLabel('task id').inputValue()).toBe(id);
    await fits(page);
    await page.screenshot({ path: join(OUTPUT, 'dashboard-task.png'), fullPage: true });

    expect(problems).toEqual([]);
    // The token travels in headers only, never in a URL.
    expect(urls.filter((u) => u.includes(TOKEN))).toEqual([]);
  });

  it("shows the demo account's budget with its spend and bar, and today's spend by API; fits a phone and a desktop", async () => {
    // The demo account spent on SERP in the test above: a daily budget shows that spend this period.
    const budget = await admin(server, TOKEN, 'POST', '/admin/accounts/demo/budgets', {
      period: 'day',
      amount: 1,
      time_zone: 'America/New_York',
      alert_url: `${sink.base}/ok/budget`,
    });
    const row = page.locator(`[data-testid=budgets] tr[data-budget="${String(budget.id)}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('America/New_York');
    expect(await row.locator('[data-testid=budget-spent]').textContent()).toMatch(/^\$0\.\d+$/);
    expect(await row.locator('[data-testid=budget-used]').textContent()).toMatch(/^\d+%$/);
    expect(await row.getByRole('meter').count()).toBe(1);
    expect(await row.locator('[data-testid=budget-alerts]').textContent()).toContain('none');
    await page.locator('[data-testid=spend-by-api] tr[data-login=demo][data-api=serp]').waitFor();
    await fits(page, [1280, 390]);
    await page.setViewportSize({ width: 390, height: 900 });
    await page.screenshot({ path: join(OUTPUT, 'dashboard-budgets-390.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 1000 });
    expect(problems).toEqual([]);
  });

  it('on a relay in front of a second serpq, shows the upstream: reachable, balance, tasks relayed', async () => {
    const up = await startServer({ db: join(dir, 'upstream.db'), adminToken: TOKEN });
    const relay = await startServer({
      db: join(dir, 'relay.db'),
      adminToken: TOKEN,
      timeTravel: true,
      extraArgs: ['--executor', 'relay', '--upstream-url', up.base, '--upstream-login', 'demo', '--upstream-password', 'demo'],
    });
    const relayPage = await openPage();
    await signIn(relayPage, relay.base);
    const card = relayPage.getByTestId('upstream');
    await card.waitFor();
    await shows('upstream-reachable', /^reachable$/, relayPage);
    // The upstream's demo account, as its user_data told the relay at start.
    expect(await relayPage.getByTestId('upstream-balance').textContent()).toBe('$100.00');
    expect(await relayPage.getByTestId('upstream-calls-in-flight').textContent()).toBe('0 / 30');
    expect(await relayPage.getByTestId('upstream-calls-minute').textContent()).toMatch(/^\d+ \/ 2,000$/);

    // One task through the relay: forwarded (relay), executed (upstream), collected (relay).
    const posted = await fetch(`${relay.base}/v3/serp/google/organic/task_post`, {
      method: 'POST',
      headers: { authorization: 'Basic ' + Buffer.from('demo:demo').toString('base64'), 'content-type': 'application/json' },
      body: JSON.stringify([{ keyword: 'relayed', location_code: 2840, language_code: 'en' }]),
    }).then((r) => r.json() as Promise<{ tasks: Array<{ id: string; status_code: number }> }>);
    expect(posted.tasks[0].status_code).toBe(20100);
    for (const srv of [relay, up, relay]) await admin(srv, TOKEN, 'POST', '/admin/settle');
    await shows('tasks-relayed', /^1$/, relayPage);
    await shows('upstream-in-flight', /^0$/, relayPage);
    expect(await relayPage.locator('[data-testid=relay-usage] tbody tr').first().locator('td').allTextContents()).toEqual([
      'demo',
      '1',
      '0',
    ]);

    await fits(relayPage);
    await relayPage.screenshot({ path: join(OUTPUT, 'dashboard-relay.png'), fullPage: true });
    await relayPage.close();
    expect(problems).toEqual([]);
  });
});
