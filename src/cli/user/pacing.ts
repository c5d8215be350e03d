/**
 * Keeping within an account's limits from the client side: at most `perMinute` calls in any 60 s
 * (a sliding window of start times) and at most `concurrent` calls at once. `backOff` pauses every
 * caller after the server said 40202 (per-minute limit) or 40209 (too many simultaneous requests),
 * doubling the pause while the refusals go on.
 */
export const MINUTE_MS = 60_000;

export class Pacer {
  private readonly starts: number[] = [];
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private pausedUntil = 0;
  private pauseMs = 1000;

  constructor(
    private readonly perMinute: number,
    private readonly concurrent: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Waits for a slot; call `done()` on the returned release when the call has answered. */
  async take(signal?: AbortSignal): Promise<() => void> {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const now = this.now();
      while (this.starts.length > 0 && (this.starts[0] ?? 0) <= now - MINUTE_MS) this.starts.shift();
      if (now < this.pausedUntil) {
        await delay(this.pausedUntil - now, signal);
        continue;
      }
      if (this.starts.length >= this.perMinute) {
        await delay((this.starts[0] ?? now) + MINUTE_MS - now + 5, signal);
        continue;
      }
      if (this.running >= this.concurrent) {
        await new Promise<void>((resolve) => this.waiting.push(resolve));
        continue;
      }
      this.running++;
      this.starts.push(now);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        this.running--;
        this.waiting.shift()?.();
      };
    }
  }

  /** The server refused for a limit: everyone waits, longer each time in a row (up to a minute). */
  backOff(): number {
    const wait = this.pauseMs;
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + wait);
    this.pauseMs = Math.min(MINUTE_MS, this.pauseMs * 2);
    return wait;
  }

  /** A call went through: the next refusal starts again from a short pause. */
  succeeded(): void {
    this.pauseMs = 1000;
  }

  /** Time until the window lets one more call start (0 when it would start now). */
  nextSlotIn(): number {
    const now = this.now();
    while (this.starts.length > 0 && (this.starts[0] ?? 0) <= now - MINUTE_MS) this.starts.shift();
    const byWindow = this.starts.length >= this.perMinute ? (this.starts[0] ?? now) + MINUTE_MS - now : 0;
    return Math.max(0, byWindow, this.pausedUntil - now);
  }
}

/** setTimeout as a promise that an AbortSignal ends early (rejecting with the signal's reason). */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
