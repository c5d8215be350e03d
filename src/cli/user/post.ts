import { basename } from 'node:path';
import type { WireEnvelope } from '../../client/index.js';
import { REQUEST_CAPS, longestPrefix } from '../../domain/api-prices.js';
import { readCatalogTaskFile } from './catalog-file.js';
import { type AccountProbe, probeAccount } from './account-probe.js';
import { type Connection, UserError, describeFailure, refused, statusOf } from './connection.js';
import { checkInDoubt } from './in-doubt.js';
import { Pacer, Sleeper } from './pacing.js';
import { PostState, taskKeys } from './post-state.js';
import { createProgress } from './progress.js';
import { type FileTask, type TaskDefaults, readTaskFile } from './task-file.js';
import type { PostTarget } from './task-types.js';

/**
 * `serpq post FILE --type se/type` (SERP) or `--type <api>/<task type>` (every other API's task
 * types: `keywords_data/google_ads/search_volume`, `merchant/amazon/products`, ...): posts every task
 * of FILE in calls of 100, within the account's limits, recording each task's outcome in the state
 * file beside FILE; a rerun posts only what no answer acknowledged (see post-state.ts and
 * in-doubt.ts: an unanswered call is looked up in that API's id_list), never a task twice.
 */
export interface PostOptions {
  readonly file: string;
  readonly target: PostTarget;
  readonly defaults: TaskDefaults;
  /** Post again the tasks of unanswered calls where the API has no id_list to check them with. */
  readonly repostUnchecked?: boolean;
  readonly concurrency: number;
  readonly connection: Connection;
  readonly signal: AbortSignal;
  readonly out?: NodeJS.WriteStream;
  readonly err?: NodeJS.WriteStream;
}

export interface PostSummary {
  readonly exitCode: number;
  readonly posted: number;
  readonly rejected: number;
  readonly left: number;
}

/** Per-task codes worth another try in this run; the rest are answers. */
const RETRY_TASK = new Set([40202, 40209, 50000, 50301, 50401]);
/** Codes after which posting more cannot succeed now (money, account state). */
const STOP = new Set([40200, 40201, 40203, 40210, 40104]);
const BATCH = 100;

/** Tasks in one task_post call of a type: the vendor's documented cap, else 100. */
function batchOf(target: PostTarget): number {
  if (target.kind === 'serp') return BATCH;
  return longestPrefix(REQUEST_CAPS, target.endpoint.path)?.[1].maxTasksPerPost ?? BATCH;
}

export function stateFileOf(file: string): string {
  return `${file}.serpq-state.jsonl`;
}

export async function runPost(o: PostOptions): Promise<PostSummary> {
  const out = o.out ?? process.stdout;
  const err = o.err ?? process.stderr;
  const { client, baseUrl } = o.connection;
  const target = o.target;
  const type = target.name;
  const fileTasks: FileTask[] =
    target.kind === 'serp'
      ? readTaskFile(o.file, target.def, o.defaults)
      : readCatalogTaskFile(o.file, target.name, target.endpoint, o.defaults);
  const api = target.kind === 'serp' ? 'serp' : target.api.api;
  const hasIdList = target.kind === 'serp' || target.api.endpoints.some((e) => e.kind === 'id_list');
  const batchSize = batchOf(target);
  const keys = taskKeys(fileTasks.map((t) => t.task));
  const lineOf = new Map(keys.map((k, i) => [k, fileTasks[i]?.line ?? 0]));

  let probe: AccountProbe;
  try {
    probe = await probeAccount(client);
  } catch (e) {
    throw new UserError(describeFailure(e, baseUrl));
  }
  const stateFile = stateFileOf(o.file);
  const state = PostState.open(stateFile, { type, baseUrl, login: o.connection.login });
  const startedAt = Date.now();
  let calls = 0;
  let stopReason: string | null = null;
  const sleeper = new Sleeper(o.signal);
  // task_post within its own limit and what the account's requests a minute leave after this run's
  // user_data and id_list calls.
  const postsPerMinute = Math.max(1, Math.min(probe.postsPerMinute, probe.requestsPerMinute - 2));
  const pacer = new Pacer({
    perMinute: postsPerMinute,
    concurrent: o.concurrency,
    limit: `${postsPerMinute.toLocaleString('en-US')} task_post calls/min`,
    sleeper,
  });
  const progress = createProgress({
    label: 'post',
    unit: 'tasks',
    doneWord: 'posted',
    total: keys.length,
    stream: err,
    hold: () => pacer.hold(),
  });
  const where = (key: string) => `${basename(o.file)}:${lineOf.get(key) ?? '?'}`;

  try {
    // An earlier run that died waiting for an answer: find out what the server kept before anything else.
    if (state.inDoubt.size > 0) await resolveInDoubt([...state.inDoubt.keys()]);

    const done = (k: string) => state.posted.has(k) || state.rejected.has(k);
    const postedBefore = keys.filter((k) => state.posted.has(k)).length;
    // Answered in earlier runs: on the bar, not in this run's rate; the rejected ones apart.
    progress.skip(postedBefore, keys.filter((k) => state.rejected.has(k)).length);
    const queue = keys.filter((k) => !done(k));
    const taskOf = new Map(keys.map((k, i) => [k, fileTasks[i]?.task ?? {}]));
    const attempts = new Map<string, number>();

    /** Looks the calls' tasks up on the server; resolves to how many it had accepted. */
    async function resolveInDoubt(callIds: number[]): Promise<number> {
      const calls = callIds.map((c) => state.inDoubt.get(c)).filter((c) => c !== undefined);
      if (!hasIdList && !o.repostUnchecked) {
        const n = calls.reduce((sum, c) => sum + c.tasks.length, 0);
        throw new UserError(
          `${n} tasks of an unanswered call cannot be checked: ${api} has no id_list; see whether your account has them (tasks_ready, the vendor's dashboard), then run again with --repost-unchecked to post them again`,
        );
      }
      const found = hasIdList
        ? await checkInDoubt(calls, {
            client,
            api,
            url: `v3/${target.kind === 'serp' ? `serp/${target.def.se}/${target.def.seType}` : target.name}/task_post`,
            skewMs: probe.skewMs,
            known: new Set(state.posted.values()),
            note: (l) => progress.note(l),
            sleeper,
          })
        : new Map<string, { id: string }>();
      for (const c of callIds) {
        const call = state.inDoubt.get(c);
        if (!call) continue;
        state.checked(
          c,
          call.tasks.filter(([k]) => found.has(k)).map(([k]) => [k, found.get(k)?.id as string]),
        );
      }
      return found.size;
    }

    const requeue = (batch: string[]) => {
      for (const k of batch) {
        const n = (attempts.get(k) ?? 0) + 1;
        attempts.set(k, n);
        if (n < 8) queue.push(k);
      }
    };

    async function send(batch: string[]): Promise<void> {
      const release = await pacer.take();
      const tasks: Array<[string, Record<string, unknown>]> = batch.map((k) => [k, taskOf.get(k) ?? {}]);
      const call = state.sending(Date.now(), tasks);
      calls++;
      let env: WireEnvelope | null = null;
      let failure: unknown = null;
      try {
        env =
          target.kind === 'serp'
            ? await client.taskPost(
                target.def.se,
                target.def.seType,
                tasks.map(([, t]) => t),
              )
            : await client.taskPostOf(
                target.name,
                tasks.map(([, t]) => t),
              );
      } catch (e) {
        failure = e;
      } finally {
        release();
      }
      const top = env?.status_code ?? statusOf(failure);
      if (refused(failure) || top === 40100) {
        state.answered(call, [], []);
        stopReason = describeFailure(failure ?? new Error('40100'), baseUrl);
        return;
      }
      if (top === 40202 || top === 40209) {
        state.answered(call, [], []);
        pacer.backOff(top);
        queue.unshift(...batch);
        return;
      }
      if (top !== null && STOP.has(top)) {
        state.answered(call, [], []);
        stopReason = `${baseUrl} answered ${top} ${env?.status_message ?? (failure as Error).message}: stopped posting`;
        return;
      }
      if (!env || env.status_code !== 20000 || !Array.isArray(env.tasks)) {
        // No answer for the tasks: whether they were taken is unknown until id_list says.
        progress.note(
          `no answer for ${batch.length} tasks (${describeFailure(failure ?? new Error(String(top)), baseUrl)}): checking what the server kept`,
        );
        await sleeper.sleep(1000).catch(() => undefined);
        progress.add(await resolveInDoubt([call]));
        requeue(batch.filter((k) => !state.posted.has(k)));
        return;
      }
      pacer.succeeded();
      const posted: Array<[string, string]> = [];
      const rejected: Array<[string, number, string]> = [];
      const retry: string[] = [];
      batch.forEach((k, i) => {
        const t = env?.tasks?.[i];
        if (!t) retry.push(k);
        else if (t.status_code === 20100) posted.push([k, t.id]);
        else if (RETRY_TASK.has(t.status_code)) retry.push(k);
        else if (STOP.has(t.status_code)) {
          stopReason ??= `${baseUrl} answered ${t.status_code} ${t.status_message}: stopped posting`;
        } else rejected.push([k, t.status_code, t.status_message]);
      });
      state.answered(call, posted, rejected);
      for (const [k, code, message] of rejected) progress.note(`${where(k)}: ${code} ${message}`);
      progress.add(posted.length);
      progress.reject(rejected.length);
      if (retry.length > 0) {
        pacer.backOff(env.tasks?.find((t) => RETRY_TASK.has(t.status_code))?.status_code);
        requeue(retry);
      }
    }

    const inFlight = new Set<Promise<void>>();
    while (!o.signal.aborted && stopReason === null && (queue.length > 0 || inFlight.size > 0)) {
      if (queue.length > 0 && inFlight.size < o.concurrency) {
        const batch = queue.splice(0, batchSize);
        const p: Promise<void> = send(batch)
          .catch((e: unknown) => {
            if (o.signal.aborted) queue.unshift(...batch);
            else stopReason ??= e instanceof UserError ? e.message : describeFailure(e, baseUrl);
          })
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
        continue;
      }
      await Promise.race(inFlight);
    }
    await Promise.allSettled([...inFlight]);
    progress.stop();

    const postedNow = keys.filter((k) => state.posted.has(k)).length;
    const rejectedNow = keys.filter((k) => state.rejected.has(k));
    const left = keys.length - postedNow - rejectedNow.length;
    const seconds = (Date.now() - startedAt) / 1000;
    const lines: string[] = [];
    lines.push(
      `${type}: ${postedNow} of ${keys.length} tasks posted (${postedNow - postedBefore} in ${calls} calls, ${seconds.toFixed(1)}s this run), ${rejectedNow.length} rejected, ${left} left; state: ${stateFile}`,
    );
    if (rejectedNow.length > 0) {
      const shown = rejectedNow.slice(0, 10).map((k) => {
        const r = state.rejected.get(k);
        return `  ${where(k)}: ${r?.code} ${r?.message}`;
      });
      if (rejectedNow.length > 10) shown.push(`  ... and ${rejectedNow.length - 10} more (see the state file)`);
      lines.push('rejected:', ...shown);
    }
    if (o.signal.aborted && left > 0) lines.push(`interrupted: run the same command again to post the ${left} tasks left`);
    else if (stopReason) lines.push(`stopped: ${stopReason}`, `run the same command again to post the ${left} tasks left`);
    else if (left > 0) lines.push(`${left} tasks kept failing for now: run the same command again to post them`);
    out.write(lines.join('\n') + '\n');
    const exitCode = o.signal.aborted && left > 0 ? 130 : left > 0 || rejectedNow.length > 0 || stopReason ? 1 : 0;
    return { exitCode, posted: postedNow, rejected: rejectedNow.length, left };
  } finally {
    state.close();
  }
}
