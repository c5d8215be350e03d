import { resolve } from 'node:path';
import type { WireEnvelope, WireTask } from '../../client/index.js';
import { REQUEST_CAPS, SPECIAL_LIMITS, longestPrefix } from '../../domain/api-prices.js';
import { type AccountProbe, probeAccount } from './account-probe.js';
import { readTaskObjects } from './catalog-file.js';
import { type Connection, UserError, describeFailure, refused, statusOf } from './connection.js';
import { type Found, checkInDoubt } from './in-doubt.js';
import { Journal } from './journal.js';
import { Pacer, Sleeper } from './pacing.js';
import { createProgress } from './progress.js';
import type { FileTask } from './task-file.js';
import type { LiveTarget } from './task-types.js';

/**
 * `serpq live FILE --path <live endpoint> --out OUT.jsonl`: one live call per task of FILE, as many
 * at once and a minute as the account and the endpoint allow, each answer's task object written to
 * OUT as one JSON line with the input line number first (`{"line":12,"id":…,"status_code":…,"cost":…,"result":…}`).
 *
 * Resumable and exact: OUT is the record of what is done (a line number in it is never called or
 * written again); the state file (`--state`, default `OUT.serpq-live.jsonl`) records each call
 * before it is sent (fsync'd) and each line once its answer is in OUT. A call that was sent but
 * whose answer never reached OUT (a kill -9, a crash, a connection broken mid-call) is in doubt: it
 * is looked up in the API's id_list (by the fields it was sent with). Found, it was made and
 * charged, but its answer is lost (live results cannot be read back): the line is called again, and
 * the lost call's id and cost go into that line's `serpq_lost` so that the costs in OUT add up to
 * what the account was charged. Not found, it was never made and is simply called.
 *
 *   {"serpq_live":1,"path":…,"file":…,"base_url":…,"login":…}   first line
 *   {"sending":[[line,task]],"at":…}                          before the call (fsync'd)
 *   {"done":[line]}                                           after its answer was written to OUT
 *   {"answered":[line]}                                       answered, not written (a refusal to retry)
 *   {"lost":[[line,id,cost]]}                                 an unanswered call id_list found
 */
export interface LiveOptions {
  readonly file: string;
  readonly target: LiveTarget;
  readonly outFile: string;
  readonly stateFile?: string;
  readonly concurrency: number;
  readonly connection: Connection;
  readonly signal: AbortSignal;
  readonly out?: NodeJS.WriteStream;
  readonly err?: NodeJS.WriteStream;
}

export interface LiveSummary {
  readonly exitCode: number;
  readonly answered: number;
  readonly errors: number;
  readonly left: number;
}

/** Codes worth another call in this run (limits, the vendor's internal errors). */
const RETRY = new Set([40202, 40209, 50000, 50301, 50401]);
/** Codes after which no call can succeed now (money, account, a path not served). */
const STOP = new Set([40200, 40201, 40203, 40210, 40104, 40400]);
const ATTEMPTS = 8;
const LINE_AT_START = /^\{"line":(\d+),/;

export function liveStateFileOf(outFile: string): string {
  return `${outFile}.serpq-live.jsonl`;
}

interface Sent {
  readonly at: number;
  readonly task: Record<string, unknown>;
}

/** The state file: sent calls not yet in OUT, and the lost calls found for each line. */
class LiveState {
  /** Lines sent (their last call) and not done: in doubt when a run starts. */
  readonly sent = new Map<number, Sent>();
  readonly lost = new Map<number, Array<{ id: string; cost: number }>>();

  private constructor(private readonly journal: Journal) {}

  static open(path: string, header: Record<string, string>): LiveState {
    let first: Record<string, unknown> | null = null;
    const records: Array<Record<string, unknown>> = [];
    const journal = Journal.open(path, (line, n) => {
      let rec: unknown;
      try {
        rec = JSON.parse(line);
      } catch {
        throw new UserError(`${path}:${n}: not a serpq live state record: move the file away to start over`);
      }
      if (first === null) first = rec as Record<string, unknown>;
      else records.push(rec as Record<string, unknown>);
    });
    const state = new LiveState(journal);
    const h = first as Record<string, unknown> | null;
    if (h === null) journal.append({ serpq_live: 1, ...header, created: new Date().toISOString() }, true);
    else {
      if (h.serpq_live !== 1) {
        journal.close();
        throw new UserError(`${path} is not a serpq live state file: pass another --state, or move it away`);
      }
      for (const [field, want] of Object.entries(header)) {
        if (h[field] !== want) {
          journal.close();
          throw new UserError(
            `${path} records live calls of ${String(h.file)} to ${String(h.base_url)}/v3/${String(h.path)} as ${String(h.login)}, not ${field} ${want}: run with those, or give another --out and --state`,
          );
        }
      }
    }
    for (const r of records) state.apply(r);
    return state;
  }

  private apply(r: Record<string, unknown>): void {
    for (const [line, task] of (r.sending as Array<[number, Record<string, unknown>]>) ?? [])
      this.sent.set(line, { at: Number(r.at), task });
    for (const line of [...((r.done as number[]) ?? []), ...((r.answered as number[]) ?? [])]) this.sent.delete(line);
    for (const [line, id, cost] of (r.lost as Array<[number, string, number]>) ?? []) {
      const list = this.lost.get(line) ?? [];
      if (!list.some((l) => l.id === id)) list.push({ id, cost });
      this.lost.set(line, list);
    }
  }

  sending(line: number, task: Record<string, unknown>, at: number): void {
    this.journal.append({ sending: [[line, task]], at }, true);
    this.sent.set(line, { at, task });
  }

  done(line: number): void {
    this.journal.append({ done: [line] });
    this.sent.delete(line);
  }

  /** The line's call is settled without an answer to write (a refusal to retry, a lookup done). */
  answered(line: number): void {
    this.journal.append({ answered: [line] });
    this.sent.delete(line);
  }

  /** Lost calls found (charged, answer never written); the lines stay to be called. */
  foundLost(found: Array<[number, string, number]>): void {
    if (found.length === 0) return;
    this.journal.append({ lost: found }, true);
    this.apply({ lost: found });
  }

  close(): void {
    this.journal.close();
  }
}

const usd = (n: number) => `$${n.toFixed(4)}`;
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

export async function runLive(o: LiveOptions): Promise<LiveSummary> {
  const out = o.out ?? process.stdout;
  const err = o.err ?? process.stderr;
  const { client, baseUrl } = o.connection;
  const { path, endpoint } = o.target;
  const fileTasks = readTaskObjects(o.file, endpoint, 'nothing was called: fix the file and run the same command again');

  let probe: AccountProbe;
  try {
    probe = await probeAccount(client);
  } catch (e) {
    throw new UserError(describeFailure(e, baseUrl));
  }

  // OUT first: it says what is done (a torn last line, from a kill inside a write, is cut off).
  const doneLines = new Map<number, { ok: boolean; cost: number; lost: number; error?: string }>();
  const writtenIds = new Set<string>();
  const results = Journal.open(o.outFile, (text, n) => {
    let rec: {
      line?: unknown;
      id?: unknown;
      status_code?: unknown;
      status_message?: unknown;
      cost?: unknown;
      serpq_lost?: Array<{ id?: unknown; cost?: unknown }>;
    };
    try {
      rec = JSON.parse(text) as typeof rec;
    } catch {
      rec = {};
    }
    const line = Number(LINE_AT_START.exec(text)?.[1] ?? rec.line);
    if (!Number.isInteger(line) || line < 1)
      throw new UserError(`${o.outFile}:${n}: not a line written by serpq live: write to another --out file`);
    if (typeof rec.id === 'string') writtenIds.add(rec.id);
    for (const l of rec.serpq_lost ?? []) if (typeof l.id === 'string') writtenIds.add(l.id);
    const lost = (rec.serpq_lost ?? []).reduce((s, l) => s + num(l.cost), 0);
    const ok = rec.status_code === 20000;
    if (!doneLines.has(line))
      doneLines.set(line, {
        ok,
        cost: num(rec.cost),
        lost,
        error: ok ? undefined : `${String(rec.status_code)} ${String(rec.status_message)}`,
      });
  });
  const stateFile = o.stateFile ?? liveStateFileOf(o.outFile);
  let state: LiveState;
  try {
    state = LiveState.open(stateFile, { path, file: resolve(o.file), base_url: baseUrl, login: o.connection.login });
  } catch (e) {
    results.close();
    throw e;
  }

  const startedAt = Date.now();
  const sleeper = new Sleeper(o.signal);
  const special = longestPrefix(SPECIAL_LIMITS, path)?.[1];
  // The account's requests a minute (less this run's user_data and id_list calls), and the endpoint's own limit where it has one.
  const perMinute = Math.max(1, Math.min(probe.requestsPerMinute - 2, special?.callsPerMinute ?? Infinity));
  const maxSimultaneous = longestPrefix(REQUEST_CAPS, path)?.[1].maxSimultaneous ?? 30;
  const concurrency = Math.max(1, Math.min(o.concurrency, maxSimultaneous));
  const pacer = new Pacer({
    perMinute,
    concurrent: concurrency,
    limit: special
      ? `${perMinute.toLocaleString('en-US')} calls/min to ${special.bucket}`
      : `${perMinute.toLocaleString('en-US')} calls/min`,
    sleeper,
  });
  const total = fileTasks.length;
  const inFile = new Set(fileTasks.map((t) => t.line));
  const before = [...doneLines.entries()].filter(([l]) => inFile.has(l));
  const okBefore = before.filter(([, d]) => d.ok).length;
  const progress = createProgress({
    label: 'live',
    unit: 'lines',
    doneWord: 'answered',
    total,
    stream: err,
    hold: () => pacer.hold(),
  });
  progress.skip(okBefore, before.length - okBefore);
  const syncTimer = setInterval(() => results.sync(), 2000);
  const hasIdList = o.target.api.endpoints.some((e) => e.kind === 'id_list');
  let calls = 0;
  let costNow = 0;
  let lostNow = 0;
  let stopReason: string | null = null;

  /**
   * Lines whose call was sent but whose answer is not in OUT: looked up in the API's id_list (one
   * check at a time); what it finds was charged and is recorded as lost. Every such line is called again.
   */
  let checking: Promise<unknown> = Promise.resolve();
  const settle = (lines: number[]): Promise<void> => {
    const run = checking.then(async () => {
      const calls = lines
        .map((line) => [line, state.sent.get(line)] as const)
        .filter((x): x is readonly [number, Sent] => x[1] !== undefined && !doneLines.has(x[0]));
      if (calls.length === 0) return;
      if (!hasIdList) {
        progress.note(
          `${calls.length} calls sent without an answer cannot be checked (${o.target.api.api} has no id_list): calling them again`,
        );
        return;
      }
      const known = new Set([...writtenIds, ...[...state.lost.values()].flat().map((l) => l.id)]);
      const found: Map<string, Found> = await checkInDoubt(
        calls.map(([line, s]) => ({ at: s.at, tasks: [[String(line), s.task] as const] })),
        { client, api: o.target.api.api, url: `v3/${path}`, skewMs: probe.skewMs, known, note: (l) => progress.note(l), sleeper },
      );
      const lost: Array<[number, string, number]> = [...found.entries()].map(([line, f]) => [Number(line), f.id, f.cost]);
      state.foundLost(lost);
      lostNow += lost.length;
      if (lost.length > 0)
        progress.note(
          `${lost.length} calls were made but their answers lost (${usd(lost.reduce((s, l) => s + l[2], 0))}): calling them again`,
        );
    });
    checking = run.catch(() => undefined);
    return run;
  };

  const write = (line: number, task: Record<string, unknown>): void => {
    const lost = state.lost.get(line);
    const rec: Record<string, unknown> = { line, ...task };
    if (lost && lost.length > 0) rec.serpq_lost = lost;
    // OUT before the state: a line in OUT is done whatever the state file says.
    results.appendLines([JSON.stringify(rec)]);
    const ok = task.status_code === 20000;
    const error = ok ? undefined : `${String(task.status_code)} ${String(task.status_message ?? '')}`;
    doneLines.set(line, { ok, cost: num(task.cost), lost: (lost ?? []).reduce((s, l) => s + l.cost, 0), error });
    if (typeof task.id === 'string') writtenIds.add(task.id);
    state.done(line);
    costNow += num(task.cost);
    if (ok) progress.add(1);
    else progress.reject(1);
  };

  /** One line to its end: written, or left for the next run (Ctrl-C, a stop, attempts spent). */
  async function callLine(ft: FileTask): Promise<void> {
    for (let attempt = 0; attempt < ATTEMPTS && stopReason === null && !o.signal.aborted; attempt++) {
      const release = await pacer.take().catch(() => null);
      if (!release) return;
      state.sending(ft.line, ft.task, Date.now());
      calls++;
      let env: WireEnvelope | null = null;
      let failure: unknown = null;
      try {
        env = await client.liveOf(path, [ft.task]);
      } catch (e) {
        failure = e;
        env = (e as { body?: WireEnvelope | null }).body ?? null;
      } finally {
        release();
      }
      const top = env?.status_code ?? statusOf(failure);
      const task: WireTask | undefined = env?.tasks?.[0];
      if (refused(failure) || top === 40100) {
        state.answered(ft.line);
        stopReason = describeFailure(failure ?? new Error('40100'), baseUrl);
        return;
      }
      if (top === 40202 || top === 40209) {
        state.answered(ft.line);
        pacer.backOff(top);
        attempt--;
        continue;
      }
      if (top !== null && STOP.has(top)) {
        state.answered(ft.line);
        stopReason = `${baseUrl} answered ${top} ${env?.status_message ?? (failure as Error)?.message ?? ''}: stopped calling`;
        return;
      }
      if (top === 20000 && task) {
        pacer.succeeded();
        if (RETRY.has(task.status_code) && attempt < ATTEMPTS - 1) {
          // Answered (not charged for a failure): try again after a pause.
          state.answered(ft.line);
          const wait = pacer.backOff(task.status_code);
          if (task.status_code >= 50000)
            progress.note(`${o.file}:${ft.line}: ${task.status_code} ${task.status_message}; again in ${Math.round(wait / 1000)}s`);
          continue;
        }
        if (STOP.has(task.status_code)) {
          state.answered(ft.line);
          stopReason = `${baseUrl} answered ${task.status_code} ${task.status_message}: stopped calling`;
          return;
        }
        write(ft.line, task as unknown as Record<string, unknown>);
        return;
      }
      if (env && top !== null && top < 50000 && !task) {
        // A refusal of the call itself (e.g. 40501 on the body): the line's answer, without a task.
        write(ft.line, { id: null, status_code: top, status_message: env.status_message, cost: 0, result: null });
        return;
      }
      // No answer for the call (network, 5xx): whether it was made is unknown until id_list says.
      progress.note(
        `${o.file}:${ft.line}: no answer (${describeFailure(failure ?? new Error(String(top)), baseUrl)}): checking whether it was made`,
      );
      await sleeper.sleep(1000).catch(() => undefined);
      if (o.signal.aborted) return;
      try {
        await settle([ft.line]);
      } catch (e) {
        stopReason = e instanceof UserError ? e.message : describeFailure(e, baseUrl);
        return;
      }
      state.answered(ft.line);
    }
  }

  try {
    // Calls an earlier run sent and never wrote: settled before anything else.
    const inDoubt = [...state.sent.keys()].filter((l) => !doneLines.has(l));
    if (inDoubt.length > 0) {
      progress.note(`checking ${inDoubt.length} calls an earlier run sent without writing their answers`);
      await settle(inDoubt);
      for (const line of inDoubt) state.answered(line);
    }
    const queue = fileTasks.filter((t) => !doneLines.has(t.line));
    let next = 0;
    const lane = async () => {
      while (next < queue.length && !o.signal.aborted && stopReason === null) {
        const ft = queue[next++];
        if (ft) await callLine(ft);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, lane));
  } catch (e) {
    if (!o.signal.aborted) stopReason ??= e instanceof UserError ? e.message : describeFailure(e, baseUrl);
  } finally {
    clearInterval(syncTimer);
    progress.stop();
    results.close();
    state.close();
  }

  const answered = fileTasks.filter((t) => doneLines.has(t.line));
  const errors = answered.filter((t) => !doneLines.get(t.line)?.ok);
  const left = total - answered.length;
  const inOut = [...doneLines.values()];
  const costAll = inOut.reduce((s, d) => s + d.cost + d.lost, 0);
  const lostAll = inOut.reduce((s, d) => s + d.lost, 0);
  const seconds = (Date.now() - startedAt) / 1000;
  const lines = [
    `${path}: ${answered.length} of ${total} lines answered (${answered.length - before.length} in ${calls} calls, ${seconds.toFixed(1)}s this run), ${errors.length} with errors, ${left} left; cost ${usd(costNow)} this run, ${usd(costAll)} in ${o.outFile}${lostAll > 0 ? ` (${usd(lostAll)} of it for answers lost in a crash and called again: serpq_lost)` : ''}; state: ${stateFile}`,
  ];
  if (errors.length > 0) {
    const shown = errors.slice(0, 10).map((t) => `  ${o.file}:${t.line}: ${doneLines.get(t.line)?.error ?? ''}`);
    if (errors.length > 10) shown.push(`  ... and ${errors.length - 10} more (see ${o.outFile})`);
    lines.push('errors:', ...shown);
  }
  if (lostNow > 0) lines.push(`${lostNow} calls of an earlier run were charged but their answers lost: called again`);
  if (o.signal.aborted && left > 0) lines.push(`interrupted: run the same command again to call the ${left} lines left`);
  else if (stopReason) lines.push(`stopped: ${stopReason}`, `run the same command again to call the ${left} lines left`);
  else if (left > 0) lines.push(`${left} lines kept failing for now: run the same command again to call them`);
  out.write(lines.join('\n') + '\n');
  const exitCode = o.signal.aborted && left > 0 ? 130 : left > 0 || errors.length > 0 || stopReason ? 1 : 0;
  return { exitCode, answered: answered.length, errors: errors.length, left };
}
