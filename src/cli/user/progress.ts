import cliProgress from 'cli-progress';
import type { Hold } from './pacing.js';

/**
 * Progress of a long command on stderr: a cli-progress bar on a terminal; plain log lines (at most
 * one every few seconds, one whenever the run starts or stops being held back, and one at the end)
 * when stderr is a file or a pipe. Messages about single tasks go above the bar (`note`) so they are
 * never drawn over.
 *
 * The figures tell the truth about this run: work done before it (a rerun) fills the bar but is not
 * in the rate; the rate and ETA are over this run's own wall time; rejected items are counted apart
 * from done ones; a total that is only a lower bound (collect knows what tasks_ready listed so far)
 * reads "at least N"; and what holds the run back (a limit, a refusal) is said with the time until
 * it resumes.
 */
export interface Progress {
  /** Items answered before this run (a rerun's earlier work): on the bar, not in the rate. */
  skip(done: number, rejected?: number): void;
  /** `n` more items done. */
  add(n: number): void;
  /** `n` more items refused (they are answered, but counted apart). */
  reject(n: number): void;
  /** What is known of the total: exact, or only a lower bound while more may exist. */
  setTotal(total: number, exact?: boolean): void;
  /** A message line (a rejection, a retry), printed above the bar. */
  note(line: string): void;
  stop(): void;
}

export interface ProgressOptions {
  readonly label: string;
  readonly unit: string;
  /** What the done items are called beside the rejected ones, e.g. "posted". */
  readonly doneWord?: string;
  readonly total: number;
  readonly exact?: boolean;
  readonly stream?: NodeJS.WriteStream;
  /** Plain lines no more often than this (ms), when not a terminal. */
  readonly everyMs?: number;
  /** What holds the run back now (asked at every redraw), or null. */
  readonly hold?: () => Hold | null;
  readonly now?: () => number;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function seconds(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return s >= 120 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** A hold in words: a short wait is the run going at the limit's pace, a longer one a stop with a countdown. */
export function describeHold(hold: Hold | null, now: number): string | null {
  if (!hold) return null;
  const left = hold.until - now;
  return left < 1000 ? `at ${hold.reason}` : `waiting for ${hold.reason} (resumes in ${seconds(left)})`;
}

/** The counters and the sentence they make, shared by the bar and the plain lines. */
function createTally(o: ProgressOptions) {
  const now = o.now ?? Date.now;
  const startedAt = now();
  const t = { skipped: 0, skippedRejected: 0, done: 0, rejected: 0, total: o.total, exact: o.exact ?? true };
  const answered = () => t.skipped + t.skippedRejected + t.done + t.rejected;
  const elapsed = () => Math.max(1, now() - startedAt) / 1000;
  return {
    t,
    answered,
    /** "1,200/at least 2,000 tasks (posted 1,190, rejected 10) | 33/s | ETA 24s | at the account's limit of ..." */
    text(): string {
      // Nothing known yet (collect before tasks_ready's first answer): no number at all.
      const total = t.exact ? fmt(t.total) : t.total === 0 ? '?' : `at least ${fmt(t.total)}`;
      const rejected = t.skippedRejected + t.rejected;
      const split = rejected > 0 ? ` (${o.doneWord ?? 'done'} ${fmt(t.skipped + t.done)}, rejected ${fmt(rejected)})` : '';
      const rate = t.done / elapsed();
      const speed = (t.done + t.rejected) / elapsed();
      const left = t.total - answered();
      const hold = o.hold?.() ?? null;
      // A run held back is done no sooner than it resumes.
      const etaMs = Math.max(speed > 0 ? (left / speed) * 1000 : 0, hold ? hold.until - now() : 0);
      const eta = left > 0 && etaMs > 0 ? ` | ETA ${t.exact ? '' : '≥'}${seconds(etaMs)}` : '';
      const held = describeHold(hold, now());
      return `${fmt(answered())}/${total} ${o.unit}${split} | ${fmt(rate)}/s${eta}${held ? ` | ${held}` : ''}`;
    },
  };
}

/** How the counts are shown: redrawn (a bar) or written as lines. */
interface View {
  /** The counts changed; `answered` when items were answered (worth a line), not only the total or earlier work. */
  update(answered: boolean): void;
  note(line: string): void;
  stop(): void;
}

export function createProgress(o: ProgressOptions): Progress {
  const stream = o.stream ?? process.stderr;
  const tally = createTally(o);
  const { t } = tally;
  const view = stream.isTTY ? barView(o, stream, tally) : lineView(o, stream, tally);
  return {
    skip(done, rejected = 0) {
      t.skipped += done;
      t.skippedRejected += rejected;
      view.update(false);
    },
    add(n) {
      t.done += n;
      view.update(true);
    },
    reject(n) {
      t.rejected += n;
      view.update(true);
    },
    setTotal(total, exact = true) {
      t.total = total;
      t.exact = exact;
      view.update(false);
    },
    note: (line) => view.note(line),
    stop: () => view.stop(),
  };
}

type Tally = ReturnType<typeof createTally>;

/** On a terminal: a cli-progress bar, redrawn at every change and a few times a second (the countdown). */
function barView(o: ProgressOptions, stream: NodeJS.WriteStream, tally: Tally): View {
  const { t } = tally;
  const multi = new cliProgress.MultiBar(
    {
      stream,
      format: (options, params) => `${o.label} [${cliProgress.Format.BarFormat(params.progress, options)}] ${tally.text()}`,
      hideCursor: true,
      barsize: 24,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  const bar = multi.create(Math.max(1, t.total), tally.answered());
  const draw = () => {
    bar.setTotal(Math.max(1, t.total, tally.answered()));
    bar.update(tally.answered());
  };
  return {
    update: draw,
    note: (line) => multi.log(line + '\n'),
    stop() {
      draw();
      multi.stop();
    },
  };
}

/**
 * To a file or a pipe: a line at most every `everyMs` as items are answered, one at once when what
 * holds the run back changes (checked every second while a hold is possible), and one at the end.
 */
function lineView(o: ProgressOptions, stream: NodeJS.WriteStream, tally: Tally): View {
  const everyMs = o.everyMs ?? 2000;
  const now = o.now ?? Date.now;
  let lastAt = 0;
  let lastHold: string | null = null;
  let lastLine = '';
  const line = () => {
    lastAt = now();
    const text = `${o.label}: ${tally.text()}`;
    // The closing line repeats nothing the last one said.
    if (text !== lastLine) stream.write(text + '\n');
    lastLine = text;
  };
  const maybe = () => {
    // A change of what holds the run back is worth a line at once; progress alone every few seconds.
    const hold = o.hold?.() ?? null;
    const held = hold && hold.until - now() >= 1000 ? hold.reason : null;
    if (held !== lastHold || now() - lastAt >= everyMs) line();
    lastHold = held;
  };
  const ticker = o.hold ? setInterval(maybe, 1000) : null;
  ticker?.unref();
  return {
    update(answered) {
      if (answered) maybe();
    },
    note: (text) => void stream.write(text + '\n'),
    stop() {
      if (ticker) clearInterval(ticker);
      line();
    },
  };
}
