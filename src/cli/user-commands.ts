import type { Command } from 'commander';
import type { ResultFunction } from '../client/index.js';
import { type SeTypeDef, findSeType, isKnownEngine } from '../domain/catalog.js';
import { type Connection, type ConnectionFlags, UserError, baseUrlOf, connect, describeFailure } from './user/connection.js';

/**
 * The commands for users of serpq and of the vendor alike: post, collect, ready, clock. They talk
 * HTTP to --base-url (default http://127.0.0.1:8080) with the credentials of connection.ts. Each
 * command's module (and cli-progress) is imported when that command runs, so `serpq serve` never loads them.
 */
function withConnection(cmd: Command): Command {
  return cmd
    .option('--base-url <url>', 'the API to talk to (SERPQ_BASE_URL, default http://127.0.0.1:8080)')
    .option('--login <login>', 'API login (SERPQ_LOGIN, else DATAFORSEO_LOGIN)')
    .option('--password <password>', 'API password (SERPQ_PASSWORD, else DATAFORSEO_PASSWORD)');
}

function postType(text: string | undefined): SeTypeDef {
  if (!text) throw new UserError('--type is required: e.g. --type google/organic');
  const [se, seType, extra] = text.split('/');
  const def = se && seType && extra === undefined ? findSeType(se, seType) : undefined;
  if (!def)
    throw new UserError(
      `unknown --type '${text}': use an engine and type of the SERP API, e.g. google/organic, bing/organic, youtube/video_info`,
    );
  return def;
}

function scopeOf(text: string | undefined): { se?: string; seType?: string } {
  if (!text) return {};
  const [se, seType, extra] = text.split('/');
  if (se && seType === undefined && isKnownEngine(se)) return { se };
  if (se && seType && extra === undefined && findSeType(se, seType)) return { se, seType };
  throw new UserError(`unknown --type '${text}': use an engine (e.g. google) or an engine and type (e.g. google/organic)`);
}

function intOption(text: string | undefined, name: string, min: number, max: number, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max)
    throw new UserError(`${name} must be a whole number from ${min} to ${max}`);
  return Number(text);
}

/** Runs a user command: one clear line for what went wrong, Ctrl-C stops after the calls in flight. */
async function run(body: (signal: AbortSignal) => Promise<number>, connection?: Connection): Promise<never> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    process.stderr.write('\nstopping after the calls in flight (Ctrl-C again to quit at once; the state is kept either way)\n');
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let code: number;
  try {
    code = await body(controller.signal);
  } catch (err) {
    if (err instanceof UserError) {
      process.stderr.write(`serpq: ${err.message}\n`);
      code = err.exitCode;
    } else {
      process.stderr.write(`serpq: ${describeFailure(err, connection?.baseUrl ?? 'the server')}\n`);
      code = 1;
    }
  }
  await connection?.close().catch(() => undefined);
  process.exit(code);
}

function connectOrFail(flags: ConnectionFlags, connections: number): Connection {
  try {
    return connect(flags, process.env, connections);
  } catch (err) {
    process.stderr.write(`serpq: ${(err as Error).message}\n`);
    process.exit(err instanceof UserError ? err.exitCode : 1);
  }
}

interface PostFlags extends ConnectionFlags {
  type?: string;
  location?: string;
  language?: string;
  priority?: string;
  device?: string;
  depth?: string;
  tag?: string;
  postbackUrl?: string;
  postbackData?: string;
  pingbackUrl?: string;
  concurrency?: string;
}

interface CollectFlags extends ConnectionFlags {
  out?: string;
  type?: string;
  function?: string;
  follow?: boolean;
  concurrency?: string;
}

export function addUserCommands(program: Command): void {
  withConnection(
    program
      .command('post <file>')
      .description(
        'post the tasks of FILE (JSON Lines of tasks, CSV with a header, or one keyword per line); a rerun posts only what is left',
      )
      .option('--type <se/type>', 'engine and type, e.g. google/organic')
      .option('--location <code|name>', 'location for tasks without one (e.g. 2840 or "United States")')
      .option('--language <code|name>', 'language for tasks without one (e.g. en or English)')
      .option('--priority <1|2>', 'priority for tasks without one')
      .option('--device <device>', 'device for tasks without one (desktop, mobile)')
      .option('--depth <n>', 'depth for tasks without one')
      .option('--tag <tag>', 'tag for tasks without one')
      .option('--postback-url <url>', 'postback_url for tasks without one')
      .option('--postback-data <fn>', 'postback_data for tasks without one (regular, advanced, html)')
      .option('--pingback-url <url>', 'pingback_url for tasks without one')
      .option('--concurrency <n>', 'task_post calls at once (1-30, default 10)'),
  ).action(async (file: string, flags: PostFlags) => {
    let def: SeTypeDef;
    let concurrency: number;
    const num = (v: string | undefined, name: string) => (v === undefined ? undefined : intOption(v, name, 0, 1_000_000, 0));
    let defaults;
    try {
      def = postType(flags.type);
      concurrency = intOption(flags.concurrency, '--concurrency', 1, 30, 10);
      defaults = {
        location: flags.location,
        language: flags.language,
        priority: num(flags.priority, '--priority'),
        device: flags.device,
        depth: num(flags.depth, '--depth'),
        tag: flags.tag,
        postbackUrl: flags.postbackUrl,
        postbackData: flags.postbackData,
        pingbackUrl: flags.pingbackUrl,
      };
    } catch (err) {
      process.stderr.write(`serpq: ${(err as Error).message}\n`);
      process.exit(1);
    }
    const connection = connectOrFail(flags, concurrency + 2);
    await run(
      async (signal) => (await (await import('./user/post.js')).runPost({ file, def, defaults, concurrency, connection, signal })).exitCode,
      connection,
    );
  });

  withConnection(
    program
      .command('collect')
      .description('collect the tasks listed in tasks_ready into FILE.jsonl, one JSON line per task (resumable)')
      .requiredOption('--out <file>', 'JSON Lines file to append the tasks to')
      .option('--type <se[/type]>', 'only this engine, or engine and type')
      .option('--function <fn>', 'task_get function: regular, advanced (default) or html')
      .option('--follow', 'keep collecting as tasks complete (until Ctrl-C)')
      .option('--concurrency <n>', 'task_get calls at once (1-30, default 20)'),
  ).action(async (flags: CollectFlags) => {
    let scope: { se?: string; seType?: string };
    let fn: ResultFunction;
    let concurrency: number;
    try {
      scope = scopeOf(flags.type);
      const f = flags.function ?? 'advanced';
      if (f !== 'regular' && f !== 'advanced' && f !== 'html')
        throw new UserError(`--function must be regular, advanced or html, not '${f}'`);
      fn = f;
      concurrency = intOption(flags.concurrency, '--concurrency', 1, 30, 20);
    } catch (err) {
      process.stderr.write(`serpq: ${(err as Error).message}\n`);
      process.exit(1);
    }
    const connection = connectOrFail(flags, concurrency + 2);
    const outFile = flags.out as string;
    await run(
      async (signal) =>
        (
          await (
            await import('./user/collect.js')
          ).runCollect({ outFile, scope, fn, follow: flags.follow === true, concurrency, connection, signal })
        ).exitCode,
      connection,
    );
  });

  withConnection(
    program
      .command('ready')
      .description('print the tasks_ready list')
      .option('--type <se[/type]>', 'only this engine, or engine and type')
      .option('--json', 'one JSON object per line'),
  ).action(async (flags: ConnectionFlags & { type?: string; json?: boolean }) => {
    let scope: { se?: string; seType?: string };
    try {
      scope = scopeOf(flags.type);
    } catch (err) {
      process.stderr.write(`serpq: ${(err as Error).message}\n`);
      process.exit(1);
    }
    const connection = connectOrFail(flags, 2);
    await run(async () => (await import('./user/ready-clock.js')).runReady(connection, scope, flags.json === true), connection);
  });

  program
    .command('clock [action] [duration]')
    .description("show serpq's clock, or move it: `serpq clock advance 3d` (a server started with --time-travel)")
    .option('--base-url <url>', 'the serpq server (SERPQ_BASE_URL, default http://127.0.0.1:8080)')
    .option('--admin-token <token>', 'its admin token (SERPQ_ADMIN_TOKEN)')
    .action(async (action: string | undefined, duration: string | undefined, flags: { baseUrl?: string; adminToken?: string }) => {
      await run(async () => {
        if (action !== undefined && action !== 'advance')
          throw new UserError(`unknown clock action '${action}': use \`serpq clock\` or \`serpq clock advance 3d\``);
        if (action === 'advance' && duration === undefined)
          throw new UserError('how far? e.g. `serpq clock advance 3d` (units: ms, s, m, h, d)');
        const { runClock } = await import('./user/ready-clock.js');
        return runClock(
          { baseUrl: baseUrlOf(flags, process.env), adminToken: flags.adminToken },
          action === 'advance' ? duration : undefined,
        );
      });
    });
}
