import cliProgress from 'cli-progress';

/**
 * Progress of a long command on stderr: a cli-progress bar with counts, rate and ETA on a terminal;
 * plain log lines (at most one every few seconds, and one at the end) when stderr is a file or a
 * pipe. Messages about single tasks go above the bar (`note`) so they are never drawn over.
 */
export interface Progress {
  /** `n` more items done. */
  add(n: number): void;
  /** The number of items to do changed (collect learns it as tasks become ready). */
  setTotal(total: number): void;
  /** A message line (a rejection, a retry), printed above the bar. */
  note(line: string): void;
  stop(): void;
}

export interface ProgressOptions {
  readonly label: string;
  readonly unit: string;
  readonly total: number;
  readonly done: number;
  readonly stream?: NodeJS.WriteStream;
  /** Plain lines no more often than this (ms), when not a terminal. */
  readonly everyMs?: number;
}

function rateOf(done: number, startDone: number, startedAt: number): number {
  const seconds = (Date.now() - startedAt) / 1000;
  return seconds > 0 ? (done - startDone) / seconds : 0;
}

export function createProgress(o: ProgressOptions): Progress {
  const stream = o.stream ?? process.stderr;
  const startedAt = Date.now();
  let done = o.done;
  let total = o.total;
  const rate = () => Math.round(rateOf(done, o.done, startedAt));

  if (stream.isTTY) {
    const multi = new cliProgress.MultiBar(
      {
        stream,
        format: `${o.label} [{bar}] {value}/{total} ${o.unit} | {rate}/s | ETA {eta_formatted}`,
        hideCursor: true,
        etaBuffer: 50,
        fps: 10,
      },
      cliProgress.Presets.shades_classic,
    );
    const bar = multi.create(total, done, { rate: 0 });
    return {
      add(n) {
        done += n;
        bar.update(done, { rate: rate() });
      },
      setTotal(t) {
        total = t;
        bar.setTotal(t);
      },
      note(line) {
        multi.log(line + '\n');
      },
      stop() {
        bar.update(done, { rate: rate() });
        multi.stop();
      },
    };
  }

  const everyMs = o.everyMs ?? 2000;
  let lastAt = 0;
  const line = () => {
    const r = rateOf(done, o.done, startedAt);
    const eta = r > 0 && total > done ? `, ETA ${Math.ceil((total - done) / r)}s` : '';
    stream.write(`${o.label}: ${done}/${total} ${o.unit} (${Math.round(r)}/s${eta})\n`);
  };
  return {
    add(n) {
      done += n;
      if (Date.now() - lastAt >= everyMs) {
        lastAt = Date.now();
        line();
      }
    },
    setTotal(t) {
      total = t;
    },
    note(text) {
      stream.write(text + '\n');
    },
    stop() {
      line();
    },
  };
}
