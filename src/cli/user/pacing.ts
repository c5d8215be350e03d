/**
 * Keeping within an account's limits from the client side, so a long run never runs into the
 * server's refusals: at most `perMinute` calls start in any 60 s (a sliding window of start times,
 * as the server counts them), spread out at the limit's rate after a first burst of `concurrent`
 * (at most 10 s worth of the limit; so the run flows at the limit instead of spending the minute's calls in seconds and then
 * standing still), and at most `concurrent` calls at once. `backOff` pauses every caller after the
 * server said 40202 (per-minute limit) or 40209 (too many simultaneous requests), doubling the pause
 * while the refusals go on. `hold()` says what holds the run back, and until when, for the progress line.
 */
export const MINUTE_MS = 60_000;

/**
 * The waits of one run, all ended by its AbortSignal through a single listener: a listener per
 * waiting call (20 lanes of collect) passed Node's limit of 10 and printed a
 * MaxListenersExceededWarning into the progress bar.
 */
export class Sleeper {
  readonly #waits = new Set<{ timer: NodeJS.Timeout; reject: (reason: unknown) => void }>();

  constructor(readonly signal?: AbortSignal) {
    signal?.addEventListener(
      'abort',
      () => {
        for (const w of this.#waits) {
          clearTimeout(w.timer);
          w.reject(signal.reason);
        }
        this.#waits.clear();
      },
      { once: true },
    );
  }

  /** Resolves after `ms`; rejects with the signal's reason when the run is aborted first. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.signal?.aborted) return reject(this.signal.reason as Error);
      const wait = {
        timer: setTimeout(
          () => {
            this.#waits.delete(wait);
            resolve();
          },
          Math.max(0, ms),
        ),
        reject,
      };
      this.#waits.add(wait);
    });
  }

  /** Waits in progress (for tests: one listener serves them all). */
  get waiting(): number {
    return this.#waits.size;
  }
}

/** What holds a run back: said on the progress line with the time left. */
export interface Hold {
  readonly reason: string;
  readonly until: number;
}

export interface PacerOptions {
  readonly perMinute: number;
  readonly concurrent: number;
  /** The limit in the user's words, e.g. "2,000 calls/min". */
  readonly limit?: string;
  readonly sleeper?: Sleeper;
  readonly now?: () => number;
}

/** How long after the last wait the run still counts as held at the limit. */
const HELD_FOR_MS = 2000;

const REFUSALS: Record<number, string> = {
  40202: "the server's per-minute limit (40202)",
  40209: "the server's limit on simultaneous requests (40209)",
};

export class Pacer {
  readonly #perMinute: number;
  readonly #concurrent: number;
  readonly #limit: string;
  readonly #sleeper: Sleeper;
  readonly #now: () => number;
  readonly #starts: number[] = [];
  readonly #waiting: Array<() => void> = [];
  #running = 0;
  /** Burst tokens: spent one a start, refilled at the limit's rate up to `concurrent`. */
  #tokens: number;
  #tokensAt: number;
  #pausedUntil = 0;
  #pauseMs = 1000;
  #refusal = '';
  /** Callers asleep in take() for the window or a pause, and when the first may go. */
  #asleep = 0;
  #resumesAt = 0;
  #sleptAt = -Infinity;

  constructor(o: PacerOptions) {
    this.#perMinute = Math.max(1, o.perMinute);
    this.#concurrent = Math.max(1, o.concurrent);
    this.#limit = o.limit ?? `${this.#perMinute.toLocaleString('en-US')} calls/min`;
    this.#sleeper = o.sleeper ?? new Sleeper();
    this.#now = o.now ?? Date.now;
    this.#tokens = this.#capacity();
    this.#tokensAt = this.#now();
  }

  /**
   * The burst: `concurrent` calls, but never more than 10 s worth of the limit, so that burst and
   * pace together stay within the minute's window (a small limit is spread out from the start).
   */
  #capacity(): number {
    return Math.max(1, Math.min(this.#concurrent, Math.floor(this.#perMinute / 6)));
  }

  /** How long until a call may start now (0: at once), by the window, the pace and any pause. */
  #waitFor(now: number): number {
    while (this.#starts.length > 0 && (this.#starts[0] ?? 0) <= now - MINUTE_MS) this.#starts.shift();
    this.#tokens = Math.min(this.#capacity(), this.#tokens + ((now - this.#tokensAt) * this.#perMinute) / MINUTE_MS);
    this.#tokensAt = now;
    const byPause = this.#pausedUntil - now;
    const byWindow = this.#starts.length >= this.#perMinute ? (this.#starts[0] ?? now) + MINUTE_MS - now + 1 : 0;
    const byPace = this.#tokens >= 1 ? 0 : Math.ceil(((1 - this.#tokens) * MINUTE_MS) / this.#perMinute);
    return Math.max(0, byPause, byWindow, byPace);
  }

  /** Waits for a slot; call the returned release when the call has answered. */
  async take(): Promise<() => void> {
    const signal = this.#sleeper.signal;
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const now = this.#now();
      const wait = this.#waitFor(now);
      if (wait > 0) {
        this.#asleep++;
        this.#sleptAt = now;
        this.#resumesAt = this.#asleep === 1 ? now + wait : Math.min(this.#resumesAt, now + wait);
        try {
          await this.#sleeper.sleep(wait);
        } finally {
          this.#asleep--;
        }
        continue;
      }
      if (this.#running >= this.#concurrent) {
        await new Promise<void>((resolve) => this.#waiting.push(resolve));
        continue;
      }
      this.#running++;
      this.#tokens -= 1;
      this.#starts.push(now);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        this.#running--;
        this.#waiting.shift()?.();
      };
    }
  }

  /** The server refused for a limit: everyone waits, longer each time in a row (up to a minute). */
  backOff(code?: number | null): number {
    const wait = this.#pauseMs;
    this.#pausedUntil = Math.max(this.#pausedUntil, this.#now() + wait);
    this.#pauseMs = Math.min(MINUTE_MS, this.#pauseMs * 2);
    this.#refusal = (code ? REFUSALS[code] : undefined) ?? 'the server refused for its limits';
    return wait;
  }

  /** A call went through: the next refusal starts again from a short pause. */
  succeeded(): void {
    this.#pauseMs = 1000;
  }

  /** Time until the window lets one more call start (0 when it would start now). */
  nextSlotIn(): number {
    return this.#waitFor(this.#now());
  }

  /**
   * What holds callers back now, or null when nothing does: a refusal's pause, or the account's
   * limit (a full window, or the run going at the limit's pace) while callers wait on it.
   */
  hold(): Hold | null {
    const now = this.#now();
    if (this.#pausedUntil > now) return { reason: this.#refusal, until: this.#pausedUntil };
    // Going at the limit's pace, callers sleep tens of ms at a time: the run counts as held at the
    // limit until none has had to wait for a while, so the progress line does not flicker.
    if (this.#asleep === 0 && now - this.#sleptAt > HELD_FOR_MS) return null;
    const until = this.#asleep > 0 ? Math.max(this.#resumesAt, now) : now;
    return { reason: `the account's limit of ${this.#limit}`, until };
  }
}
