import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { serpqCommand as serpq } from '../helpers/cli-process.js';

/** `serpq budgets add|list|remove` against a database, as an operator runs them. */
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'serpq-budgets-cli-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

it('adds, lists and removes an account’s budgets; a wrong value or account is one line naming it', async () => {
  const db = join(dir, 'serpq.db');
  expect((await serpq(['accounts', 'add', 'team', '--password', 'team-secret', '--balance', '5', '--db', db], dir).done).code).toBe(0);
  const added = await serpq(
    [
      'budgets',
      'add',
      'team',
      '--period',
      'month',
      '--amount',
      '12.5',
      '--api',
      'dataforseo_labs',
      '--time-zone',
      'Europe/Berlin',
      '--db',
      db,
    ],
    dir,
  ).done;
  expect(added.code, added.stderr).toBe(0);
  const budget = JSON.parse(added.stdout) as Record<string, unknown>;
  expect(budget).toMatchObject({
    period: 'month',
    amount: 12.5,
    api: 'dataforseo_labs',
    time_zone: 'Europe/Berlin',
    spent: 0,
    alert_at: [0.8, 1],
  });
  // Midnight of the 1st in Berlin (23:00 or 22:00 UTC the day before).
  const berlin = (iso: unknown) =>
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Berlin',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(String(iso)));
  expect(berlin(budget.period_start)).toBe('01, 00:00');
  expect(berlin(budget.resets_at)).toBe('01, 00:00');

  const listed = await serpq(['budgets', 'list', 'team', '--db', db], dir).done;
  expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ id: budget.id, amount: 12.5 })]);

  const bad = await serpq(['budgets', 'add', 'team', '--period', 'fortnight', '--amount', '1', '--db', db], dir).done;
  expect(bad.code).toBe(1);
  expect(bad.stderr.trim()).toBe('serpq: invalid configuration: --period must be one of day, week, month');
  const zone = await serpq(['budgets', 'add', 'team', '--period', 'day', '--amount', '1', '--time-zone', 'Moon/Base', '--db', db], dir)
    .done;
  expect(zone.stderr.trim()).toBe(
    'serpq: invalid configuration: --time-zone must be an IANA time zone such as America/New_York, not "Moon/Base"',
  );
  const nobody = await serpq(['budgets', 'list', 'nobody', '--db', db], dir).done;
  expect([nobody.code, nobody.stderr.trim()]).toEqual([1, "serpq: invalid configuration: no account 'nobody'"]);

  expect((await serpq(['budgets', 'remove', 'team', String(budget.id), '--db', db], dir).done).stdout.trim()).toBe(
    JSON.stringify({ deleted: budget.id }),
  );
  expect(JSON.parse((await serpq(['budgets', 'list', 'team', '--db', db], dir).done).stdout)).toEqual([]);
  const again = await serpq(['budgets', 'remove', 'team', String(budget.id), '--db', db], dir).done;
  expect([again.code, again.stderr.trim()]).toEqual([1, `serpq: invalid configuration: account 'team' has no budget ${budget.id}`]);
}, 60_000);
