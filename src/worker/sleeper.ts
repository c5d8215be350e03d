/**
 * An interruptible sleep for background loops: `sleep(ms)` waits until the time is up or `wake()`
 * is called, whichever comes first. Wake-ups are hints (a new task, a NOTIFY); the timeout keeps the
 * loop polling either way.
 */
export interface Sleeper {
  sleep(ms: number): Promise<void>;
  wake(): void;
}

export function createSleeper(): Sleeper {
  let timer: NodeJS.Timeout | null = null;
  let wakeUp: (() => void) | null = null;
  return {
    async sleep(ms) {
      await new Promise<void>((resolve) => {
        wakeUp = resolve;
        timer = setTimeout(resolve, ms);
      });
      wakeUp = null;
      timer = null;
    },
    wake() {
      if (timer) clearTimeout(timer);
      wakeUp?.();
    },
  };
}
