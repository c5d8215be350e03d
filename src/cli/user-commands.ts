import type { Command } from 'commander';
import { type Connection, type ConnectionFlags, UserError, baseUrlOf, connect, describeFailure } from './user/connection.js';
import {
  type LiveTarget,
  type PostTarget,
  type ReadyTarget,
  resolveLivePath,
  resolvePostType,
  resolveReadyTargets,
} from './user/task-types.js';

/**
 * The commands for users of serpq and of the vendor alike: post, collect, live, ready, clock. They talk
 * HTTP to --base-url (default http://127.0.0.1:8080) with the credentials of connection.ts. Each
 * command's module (and cli-progress) is imported when that command runs, so `serpq serve` never loads them.
 */
function withConnection(cmd: Command): Command {
  return cmd
    .option('--base-url <url>', 'the API to talk to (SERPQ_BASE_URL, default http://127.0.0.1:8080)')
    .option('--login <login>', 'API login (SERPQ_LOGIN, else DATAFORSEO_LOGIN)')
    .option('--password <password>', 'API password (SERPQ_PASSWORD, else DATAFORSEO_PASSWORD)');
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
  repostUnchecked?: boolean;
}

interface LiveFlags extends ConnectionFlags {
  path?: string;
  out?: string;
  state?: string;
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
      .option('--type <type>', "SERP engine and type (google/organic), or another API's task type (keywords_data/google_ads/search_volume)")
      .option('--location <code|name>', 'location for tasks without one (e.g. 2840 or "United States")')
      .option('--language <code|name>', 'language for tasks without one (e.g. en or English)')
      .option('--priority <1|2>', 'priority for tasks without one')
      .option('--device <device>', 'device for tasks without one (desktop, mobile)')
      .option('--depth <n>', 'depth for tasks without one')
      .option('--tag <tag>', 'tag for tasks without one')
      .option('--postback-url <url>', 'postback_url for tasks without one')
      .option('--postback-data <fn>', 'postback_data for tasks without one (regular, advanced, html)')
      .option('--pingback-url <url>', 'pingback_url for tasks without one')
      .option('--concurrency <n>', 'task_post calls at once (1-30, default 10)')
      .option('--repost-unchecked', 'post again the tasks of an unanswered call where the API has no id_list to check them'),
  ).action(async (file: string, flags: PostFlags) => {
    let target: PostTarget;
    let concurrency: number;
    const num = (v: string | undefined, name: string) => (v === undefined ? undefined : intOption(v, name, 0, 1_000_000, 0));
    let defaults;
    try {
      target = await resolvePostType(flags.type);
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
      async (signal) =>
        (
          await (
            await import('./user/post.js')
          ).runPost({ file, target, defaults, concurrency, connection, signal, repostUnchecked: flags.repostUnchecked === true })
        ).exitCode,
      connection,
    );
  });

  withConnection(
    program
      .command('collect')
      .description('collect the tasks listed in tasks_ready into FILE.jsonl, one JSON line per task (resumable)')
      .requiredOption('--out <file>', 'JSON Lines file to append the tasks to')
      .option(
        '--type <scopes>',
        'what to collect, comma-separated: SERP (default), an engine or engine/type (google/organic), an API (keywords_data), a task type (merchant/amazon/products), or all',
      )
      .option('--function <fn>', 'task_get function where the type has it: regular, advanced (default), html or json')
      .option('--follow', 'keep collecting as tasks complete (until Ctrl-C)')
      .option('--concurrency <n>', 'task_get calls at once (1-30, default 20)'),
  ).action(async (flags: CollectFlags) => {
    let scopes: ReadyTarget[];
    let fn: string;
    let concurrency: number;
    try {
      scopes = await resolveReadyTargets(flags.type);
      const f = flags.function ?? 'advanced';
      if (f !== 'regular' && f !== 'advanced' && f !== 'html' && f !== 'json')
        throw new UserError(`--function must be regular, advanced, html or json, not '${f}'`);
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
          ).runCollect({ outFile, scopes, fn, follow: flags.follow === true, concurrency, connection, signal })
        ).exitCode,
      connection,
    );
  });

  withConnection(
    program
      .command('live <file>')
      .description(
        'one live call per task of FILE (JSON Lines, a JSON array or CSV of task objects), each answer a JSON line of --out with its line number (resumable)',
      )
      .option('--path <path>', 'the live endpoint, e.g. dataforseo_labs/google/ranked_keywords/live')
      .requiredOption('--out <file>', 'JSON Lines file to append the answers to')
      .option('--state <file>', 'state file (default OUT.serpq-live.jsonl)')
      .option('--concurrency <n>', 'calls at once (1-30, default 10)'),
  ).action(async (file: string, flags: LiveFlags) => {
    let target: LiveTarget;
    let concurrency: number;
    try {
      target = await resolveLivePath(flags.path);
      concurrency = intOption(flags.concurrency, '--concurrency', 1, 30, 10);
    } catch (err) {
      process.stderr.write(`serpq: ${(err as Error).message}\n`);
      process.exit(1);
    }
    const connection = connectOrFail(flags, concurrency + 2);
    const outFile = flags.out as string;
    await run(
      async (signal) =>
        (await (await import('./user/live.js')).runLive({ file, target, outFile, stateFile: flags.state, concurrency, connection, signal }))
          .exitCode,
      connection,
    );
  });

  withConnection(
    program
      .command('ready')
      .description('print the tasks_ready list')
      .option('--type <scopes>', 'as collect takes it: SERP (default), an engine or engine/type, an API, a task type, or all')
      .option('--json', 'one JSON object per line'),
  ).action(async (flags: ConnectionFlags & { type?: string; json?: boolean }) => {
    let targets: ReadyTarget[];
    try {
      targets = await resolveReadyTargets(flags.type);
    } catch (err) {
      process.stderr.write(`serpq: ${(err as Error).message}\n`);
      process.exit(1);
    }
    const connection = connectOrFail(flags, 2);
    await run(async () => (await import('./user/ready-clock.js')).runReady(connection, targets, flags.json === true), connection);
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
