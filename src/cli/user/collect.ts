import { truncateSync } from 'node:fs';
import { type ReadyRow, type ResultFunction, SerpqHttpError, type WireEnvelope } from '../../client/index.js';
import { type AccountProbe, probeAccount } from './account-probe.js';
import { type Connection, UserError, describeFailure, refused, statusOf } from './connection.js';
import { Journal } from './journal.js';
import { Pacer, Sleeper } from './pacing.js';
import { createProgress } from './progress.js';
import type { ReadyTarget } from './task-types.js';

/**
 * `serpq collect --out FILE.jsonl [--type ...]`: drains tasks_ready of each scope asked for (SERP's by
 * default; other APIs' at their API or type scope, each API within its own per-minute limit), task_get each
 * listed task in parallel (within the concurrency limit), and appends one JSON line per task (the
 * task object of the task_get answer). Resumable: the ids in FILE are never written again, and the
 * tasks being fetched are journaled first (`FILE.serpq-pending.jsonl`), so a task that left
 * tasks_ready when its task_get began is fetched again after a crash rather than lost.
 */
export interface CollectOptions {
  readonly outFile: string;
  /** The tasks_ready scopes to drain, in order. */
  readonly scopes: readonly ReadyTarget[];
  /** The function to fetch: SERP's `regular`/`advanced`/`html`; other APIs' where the type has it (`json`), else its own. */
  readonly fn: string;
  readonly follow: boolean;
  readonly concurrency: number;
  readonly connection: Connection;
  readonly signal: AbortSignal;
  readonly out?: NodeJS.WriteStream;
  readonly err?: NodeJS.WriteStream;
}

/** A task to fetch: SERP's by engine, type and function; another API's by its task_get path after `/v3/`. */
type Pending = readonly [id: string, se: string, seType: string, fn: ResultFunction] | readonly [id: string, getPath: string];

/** The most rows one tasks_ready call lists. */
const READY_PAGE = 1000;
const ID_AT_START = /^\{"id":"([^"]+)"/;
const FALLBACK: readonly ResultFunction[] = ['advanced', 'regular', 'html'];

export function pendingFileOf(outFile: string): string {
  return `${outFile}.serpq-pending.jsonl`;
}

/** Which function to fetch for a row: the one asked for, else one the type has. */
function functionFor(row: ReadyRow, wanted: string): ResultFunction | null {
  const has = (fn: ResultFunction) => row[`endpoint_${fn}`] !== null && row[`endpoint_${fn}`] !== undefined;
  if ((FALLBACK as readonly string[]).includes(wanted) && has(wanted as ResultFunction)) return wanted as ResultFunction;
  return FALLBACK.find(has) ?? null;
}

/**
 * The task_get path (after `/v3/`) of another API's tasks_ready row: `endpoint_<fn>` for the function
 * asked for, else the type's function-less `endpoint`, else its first function (html last); an
 * On-Page crawl (its rows name no endpoint) is read by its summary, which collects it.
 */
function catalogGetPath(api: string, row: Record<string, unknown>, wanted: string): string | null {
  const text = (k: string) => (typeof row[k] === 'string' && row[k] !== '' ? (row[k] as string) : null);
  const fns = Object.keys(row)
    .filter((k) => k.startsWith('endpoint_') && text(k))
    .sort((a, b) => Number(a === 'endpoint_html') - Number(b === 'endpoint_html'));
  const path = text(`endpoint_${wanted}`) ?? text('endpoint') ?? (fns[0] ? text(fns[0]) : null);
  if (path) return path.replace(/^\/?v3\//, '');
  const id = text('id');
  return api === 'on_page' && id ? `on_page/summary/${id}` : null;
}

/** The rows of a tasks_ready call; a refusal in the envelope (40202 with HTTP 200) is thrown as a failure. */
async function readyRowsOf(client: CollectOptions['connection']['client'], target: ReadyTarget): Promise<Array<Record<string, unknown>>> {
  if ('scope' in target) return (await client.readyRows(target.scope)) as unknown as Array<Record<string, unknown>>;
  const env = await client.tasksReadyOf(target.path);
  const task = env.tasks?.[0];
  if (env.status_code !== 20000) throw new SerpqHttpError(200, env);
  if (task && task.status_code !== 20000)
    throw new SerpqHttpError(200, { ...env, status_code: task.status_code, status_message: task.status_message });
  return (task?.result ?? []) as Array<Record<string, unknown>>;
}

export async function runCollect(o: CollectOptions): Promise<{ exitCode: number; written: number }> {
  const out = o.out ?? process.stdout;
  const err = o.err ?? process.stderr;
  const { client, baseUrl } = o.connection;
  let probe: AccountProbe;
  try {
    probe = await probeAccount(client);
  } catch (e) {
    throw new UserError(describeFailure(e, baseUrl));
  }

  const written = new Set<string>();
  const results = Journal.open(o.outFile, (line, n) => {
    const id = ID_AT_START.exec(line)?.[1] ?? idOf(line);
    if (!id) throw new UserError(`${o.outFile}:${n}: not a task line written by serpq collect: write to another --out file`);
    written.add(id);
  });
  const pendingPath = pendingFileOf(o.outFile);
  const pending = new Map<string, Pending>();
  const journal = Journal.open(pendingPath, (line) => {
    for (const p of (JSON.parse(line) as { fetching?: Pending[] }).fetching ?? []) if (!written.has(p[0])) pending.set(p[0], p);
  });
  const writtenBefore = written.size;
  const sleeper = new Sleeper(o.signal);
  const perMinute = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'call' : 'calls'}/min`;
  // tasks_ready has its own limit per API (20 calls a minute by default): one pacer each.
  const apis = [...new Set(o.scopes.map((s) => s.api))];
  const readyPacers = new Map(
    apis.map((api) => [
      api,
      new Pacer({
        perMinute: probe.readyPerMinute,
        // An API polled at several scopes (Keywords Data has no API-wide tasks_ready) may start with a few at once.
        concurrent: Math.min(3, o.scopes.filter((s) => s.api === api).length),
        limit: `${perMinute(probe.readyPerMinute)} to ${api === 'serp' ? '' : `${api}'s `}tasks_ready`,
        sleeper,
      }),
    ]),
  );
  let readyPacer = readyPacers.get(o.scopes[0]?.api ?? 'serp') as Pacer;
  // Every call counts against the account's requests a minute, tasks_ready's too: task_get gets
  // what tasks_ready (of each API polled) and this run's user_data call leave of it.
  const getsPerMinute = Math.max(1, probe.requestsPerMinute - probe.readyPerMinute * apis.length - 1);
  const getPacer = new Pacer({
    perMinute: getsPerMinute,
    concurrent: o.concurrency,
    limit: perMinute(probe.requestsPerMinute),
    sleeper,
  });
  /** Whether tasks_ready may list more than it did: before its first answer, or after a full page. */
  let moreMayBeReady = true;
  let waitingForPage = false;
  const progress = createProgress({
    label: 'collect',
    unit: 'tasks',
    total: written.size + pending.size,
    exact: !moreMayBeReady,
    stream: err,
    // Between pages only tasks_ready's limit holds the run; while a page is fetched, task_get's.
    hold: () => (waitingForPage ? readyPacer.hold() : getPacer.hold()),
  });
  progress.skip(written.size);
  const syncTimer = setInterval(() => results.sync(), 2000);
  let failedTasks = 0;
  let stopReason: string | null = null;
  const inFlight = new Set<string>();

  async function fetchOne(p: Pending): Promise<void> {
    const id = p[0];
    for (let attempt = 0; attempt < 8 && stopReason === null; attempt++) {
      // Ctrl-C ends the wait: the task stays pending (journaled) for the next run.
      const release = await getPacer.take().catch(() => null);
      if (!release) return;
      let env: WireEnvelope | null = null;
      let failure: unknown = null;
      try {
        env = p.length === 4 ? await client.taskGet(p[1], p[2], p[3], id) : await client.request('GET', p[1]);
      } catch (e) {
        failure = e;
      } finally {
        release();
      }
      const top = env?.status_code ?? statusOf(failure);
      if (refused(failure)) {
        stopReason = describeFailure(failure, baseUrl);
        return;
      }
      const task = env?.tasks?.[0];
      if (env && env.status_code === 20000 && task) {
        if (written.has(id)) return;
        getPacer.succeeded();
        if (task.status_code !== 20000) failedTasks++;
        results.appendLines([JSON.stringify(task)]);
        written.add(id);
        pending.delete(id);
        progress.add(1);
        return;
      }
      const wait = getPacer.backOff(top);
      if (top === 40202 || top === 40209) continue;
      progress.note(
        `task_get ${id}: ${describeFailure(failure ?? new Error(`${top} ${env?.status_message ?? ''}`), baseUrl)}; again in ${Math.round(wait / 1000)}s`,
      );
    }
  }

  async function fetchAll(list: Pending[]): Promise<void> {
    const todo = list.filter((p) => !written.has(p[0]) && !inFlight.has(p[0]));
    let next = 0;
    const lane = async () => {
      while (next < todo.length && !o.signal.aborted && stopReason === null) {
        const p = todo[next++];
        if (!p) break;
        inFlight.add(p[0]);
        try {
          await fetchOne(p);
        } finally {
          inFlight.delete(p[0]);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(o.concurrency, todo.length) }, lane));
  }

  try {
    if (pending.size > 0) {
      progress.note(`fetching ${pending.size} tasks an earlier run had started`);
      await fetchAll([...pending.values()]);
    }
    // Each scope is drained in turn (polled again while it lists new tasks); the run ends (or, with
    // --follow, waits) once every scope in a row listed nothing new.
    const lastFull = new Map(o.scopes.map((t) => [t.label, true]));
    let si = 0;
    let emptyInRow = 0;
    while (!o.signal.aborted && stopReason === null && o.scopes.length > 0) {
      const target = o.scopes[si] as ReadyTarget;
      readyPacer = readyPacers.get(target.api) as Pacer;
      let rows: Array<Record<string, unknown>>;
      waitingForPage = true;
      const release = await readyPacer.take().catch(() => null);
      waitingForPage = false;
      if (!release) break;
      try {
        rows = await readyRowsOf(client, target);
        readyPacer.succeeded();
      } catch (e) {
        if (refused(e)) throw new UserError(describeFailure(e, baseUrl));
        const code = statusOf(e);
        const wait = readyPacer.backOff(code);
        if (code !== 40202 && code !== 40209)
          progress.note(
            `tasks_ready${o.scopes.length > 1 ? ` of ${target.label}` : ''}: ${describeFailure(e, baseUrl)}; again in ${Math.round(wait / 1000)}s`,
          );
        continue;
      } finally {
        release();
      }
      // A full page (the most one call lists) may hide more: the total is a lower bound until a page is not full.
      lastFull.set(target.label, rows.length >= READY_PAGE);
      moreMayBeReady = [...lastFull.values()].some(Boolean);
      const fresh: Pending[] = [];
      for (const row of rows) {
        const id = String(row.id);
        if (written.has(id) || pending.has(id)) continue;
        if ('scope' in target) {
          const r = row as unknown as ReadyRow;
          const fn = functionFor(r, o.fn);
          if (fn) fresh.push([r.id, r.se, r.se_type, fn]);
        } else {
          const path = catalogGetPath(target.api, row, o.fn);
          if (path) fresh.push([id, path]);
        }
      }
      if (fresh.length > 0) {
        // On disk before the first task_get collects them out of tasks_ready.
        journal.append({ fetching: fresh }, true);
        for (const p of fresh) pending.set(p[0], p);
        progress.setTotal(written.size + pending.size, !moreMayBeReady);
        await fetchAll(fresh);
        emptyInRow = 0;
        continue;
      }
      progress.setTotal(written.size + pending.size, !moreMayBeReady);
      si = (si + 1) % o.scopes.length;
      if (++emptyInRow < o.scopes.length) continue;
      if (!o.follow) break;
      emptyInRow = 0;
      waitingForPage = true;
      await sleeper.sleep(Math.ceil(60_000 / probe.readyPerMinute)).catch(() => undefined);
      waitingForPage = false;
    }
  } finally {
    clearInterval(syncTimer);
    progress.stop();
    results.close();
    journal.close();
  }
  if (pending.size === 0) truncateSync(pendingPath, 0);
  const left = pending.size;
  const lines = [
    `collected ${tasks(written.size - writtenBefore)} this run (${written.size} in ${o.outFile}), ${failedTasks} of them with a status other than 20000`,
  ];
  // What is left: the listed tasks not fetched yet, and, when tasks_ready's last answer was full,
  // more it had no room to list (it shows at most 1,000 at a time, oldest first).
  if (left > 0 && moreMayBeReady) lines.push(`left: at least ${tasks(left)} (${left} listed and not fetched; tasks_ready may hold more)`);
  else if (left > 0) lines.push(`left: ${tasks(left)} listed by tasks_ready and not fetched`);
  else if (moreMayBeReady && (o.signal.aborted || stopReason))
    lines.push('left: more tasks may be ready (tasks_ready lists at most 1,000 at a time)');
  if (stopReason) lines.push(`stopped: ${stopReason}`);
  if (left > 0 || (moreMayBeReady && o.signal.aborted)) lines.push('run the same command again to fetch the rest');
  else if (o.signal.aborted && !o.follow) lines.push('interrupted: run the same command again to go on');
  out.write(lines.join('\n') + '\n');
  const exitCode = pending.size > 0 ? (o.signal.aborted ? 130 : 1) : stopReason ? 1 : o.signal.aborted && !o.follow ? 130 : 0;
  return { exitCode, written: written.size };
}

const tasks = (n: number) => `${n} ${n === 1 ? 'task' : 'tasks'}`;

function idOf(line: string): string | null {
  try {
    const v = JSON.parse(line) as { id?: unknown };
    return typeof v.id === 'string' ? v.id : null;
  } catch {
    return null;
  }
}
