/**
 * A budget held by two relay nodes sharing one PostgreSQL store: both take an account's task posts
 * at once, each with a call in flight, until both refuse with 40203. The spend counted over the
 * nodes never passes the budget by more than one call (the call in flight on the other node when
 * a node read the spend), and the refused calls cost nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, type TestStore, createTestStore, pgSkipNote } from '../helpers/dialects.js';
import { admin, client, idListRows } from '../helpers/relay.js';
import { type ServerProcess, killAllServers, startServer } from '../helpers/server-process.js';

const UP_TOKEN = 'budgets-nodes-upstream';
const RELAY_TOKEN = 'budgets-nodes-relay';
/** The budget: a day's spend of USD 0.03 (50 standard organic tasks at USD 0.0006). */
const BUDGET_USD = 0.03;
const TASK_USD = 0.0006;

describe.skipIf(!DIALECTS.includes('postgres'))('a budget on two relay nodes sharing PostgreSQL', () => {
  let dir: string;
  let pg: TestStore;
  let nodes: ServerProcess[];
  pgSkipNote();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'serpq-budget-nodes-'));
    const up = await startServer({ db: join(dir, 'upstream.db'), adminToken: UP_TOKEN });
    await admin(up, UP_TOKEN, 'PATCH', '/admin/accounts/demo', { balance: 10_000 });
    pg = await createTestStore('postgres', 'budgets-nodes');
    const start = () =>
      startServer({
        db: pg.url,
        adminToken: RELAY_TOKEN,
        timeTravel: true,
        extraArgs: ['--executor', 'relay', '--upstream-url', up.base, '--upstream-login', 'demo', '--upstream-password', 'demo'],
      });
    nodes = [await start()];
    nodes.push(await start());
    await admin(nodes[0]!, RELAY_TOKEN, 'PATCH', '/admin/accounts/demo', {
      balance: 100,
      limits: { requests_per_minute: 1_000_000, concurrent_requests: 1000 },
    });
  }, 90_000);
  afterAll(async () => {
    await killAllServers();
    await pg?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses with 40203 on both nodes once the day’s spend reaches the budget, exact within one call', async () => {
    const budget = await admin(nodes[0]!, RELAY_TOKEN, 'POST', '/admin/accounts/demo/budgets', { period: 'day', amount: BUDGET_USD });
    expect(budget.id).toBeDefined();
    const balanceBefore = Number((await admin(nodes[0]!, RELAY_TOKEN, 'GET', '/admin/accounts/demo')).balance);

    /** One node posting one task at a time until refused twice in a row; returns its accepted ids. */
    async function drive(node: ServerProcess, n: number): Promise<{ accepted: string[]; refused: number }> {
      const c = client(node);
      const accepted: string[] = [];
      let refused = 0;
      for (let i = 0; refused < 2 && i < 200; i++) {
        const env = await c.taskPost('google', 'organic', [{ keyword: `node ${n} budget ${i}`, location_code: 2840, language_code: 'en' }]);
        const t = env.tasks![0]!;
        if (t.status_code === 20100) accepted.push(t.id);
        else {
          expect(t.status_code, t.status_message).toBe(40203);
          refused++;
        }
      }
      return { accepted, refused };
    }
    const [a, b] = await Promise.all([drive(nodes[0]!, 0), drive(nodes[1]!, 1)]);
    expect(a.refused).toBe(2);
    expect(b.refused).toBe(2);
    // Both nodes took part.
    expect(a.accepted.length).toBeGreaterThan(0);
    expect(b.accepted.length).toBeGreaterThan(0);

    // What the account was charged: its tasks' costs in id_list, the balance, and the budget's view agree.
    const rows = await idListRows(nodes[1]!, RELAY_TOKEN, client(nodes[1]!));
    expect(rows.map((r) => r.id).sort()).toEqual([...a.accepted, ...b.accepted].sort());
    const spent = rows.reduce((sum, r) => sum + r.cost, 0);
    expect(spent).toBeGreaterThan(BUDGET_USD - TASK_USD - 1e-9);
    expect(spent).toBeLessThanOrEqual(BUDGET_USD + TASK_USD + 1e-9);
    const balanceAfter = Number((await admin(nodes[0]!, RELAY_TOKEN, 'GET', '/admin/accounts/demo')).balance);
    expect(balanceBefore - balanceAfter).toBeCloseTo(spent, 9);
    const listed = (await admin(nodes[1]!, RELAY_TOKEN, 'GET', '/admin/accounts/demo/budgets')).budgets as Array<{ spent: number }>;
    expect(listed[0]!.spent).toBeCloseTo(spent, 9);
  });
});
