import type { Command } from 'commander';
import { openStore } from '../app.js';
import { ConfigError, loadConfig } from '../config.js';
import { systemClock } from '../domain/clock.js';
import { budgetView, parseBudget } from '../services/budgets.js';

/**
 * `serpq budgets add|list|remove`: an account's budgets on the calendar, in the store (the admin
 * API's `/admin/accounts/:login/budgets` from the command line). Output is the admin API's JSON.
 */
export function addBudgetCommands(program: Command, fail: (err: unknown) => never): void {
  const budgets = program.command('budgets').description("manage accounts' budgets (USD per day, week or month)");

  type Store = Awaited<ReturnType<typeof openStore>>;
  type Account = NonNullable<Awaited<ReturnType<Store['accountByLogin']>>>;

  /** Runs `fn` over the store of `--db` and the account named (a one-line error when there is none), then closes the store. */
  async function withAccount(db: string | undefined, login: string, fn: (store: Store, account: Account) => Promise<void>) {
    const config = loadConfig(process.env, { db });
    const store = await openStore(config.db);
    try {
      await store.migrate();
      const account = await store.accountByLogin(login);
      if (!account) throw new ConfigError([`no account '${login}'`]);
      await fn(store, account);
    } finally {
      await store.close();
    }
  }

  budgets
    .command('add <login>')
    .description('add a budget: a call that would pass it answers 40203 at no cost')
    .requiredOption('--period <period>', 'day, week (from Monday) or month (from the 1st)')
    .requiredOption('--amount <usd>', 'USD per period')
    .option('--api <api>', 'only this API (dataforseo_labs, serp, ...); default: every API')
    .option('--time-zone <zone>', 'IANA time zone the period follows (default UTC)')
    .option('--alert-at <fractions>', 'comma-separated fractions of the amount for alerts (default 0.8,1)')
    .option('--alert-url <url>', 'where alerts are posted')
    .option('--db <db>', 'database (SERPQ_DB)')
    .action(async (login: string, flags: Record<string, string | undefined>) => {
      try {
        const amount = Number(flags.amount);
        const alertAt = flags.alertAt?.split(',').map((x) => Number(x.trim()));
        await withAccount(flags.db, login, async (store, account) => {
          const parsed = parseBudget(account.id, {
            period: flags.period,
            amount: Number.isFinite(amount) ? amount : flags.amount,
            api: flags.api,
            time_zone: flags.timeZone,
            alert_at: alertAt,
            alert_url: flags.alertUrl,
          });
          if (!parsed.ok) throw new ConfigError([parsed.message.replace(/^(\w+)/, (f) => `--${f.replace(/_/g, '-')}`)]);
          const budget = await store.addBudget(parsed.budget, Date.now());
          console.log(JSON.stringify(await budgetView(store, systemClock, budget), null, 2));
        });
      } catch (err) {
        fail(err);
      }
    });

  budgets
    .command('list <login>')
    .description("list an account's budgets with their spend this period")
    .option('--db <db>', 'database (SERPQ_DB)')
    .action(async (login: string, flags: { db?: string }) => {
      try {
        await withAccount(flags.db, login, async (store, account) => {
          const views = await Promise.all((await store.budgetsOf(account.id)).map((b) => budgetView(store, systemClock, b)));
          console.log(JSON.stringify(views, null, 2));
        });
      } catch (err) {
        fail(err);
      }
    });

  budgets
    .command('remove <login> <id>')
    .description('remove a budget')
    .option('--db <db>', 'database (SERPQ_DB)')
    .action(async (login: string, id: string, flags: { db?: string }) => {
      try {
        await withAccount(flags.db, login, async (store, account) => {
          if (!/^\d+$/.test(id) || !(await store.deleteBudget(account.id, Number(id)))) {
            throw new ConfigError([`account '${login}' has no budget ${id}`]);
          }
          console.log(JSON.stringify({ deleted: Number(id) }));
        });
      } catch (err) {
        fail(err);
      }
    });
}
