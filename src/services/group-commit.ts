/**
 * Group commit: items submitted within the same turn of the event loop (within `lingerMs` of the
 * first, when given) are written together by one flush (at most `maxBatch` at a time). Each caller
 * gets its own item's answer, or the flush's error.
 *
 * By default flushes run one at a time, and items arriving during a flush wait to go with the next
 * (fewer, larger writes: transactions on one database handle). With `overlap`, each turn's items
 * flush at once, beside any flush still running (for round trips to a server, where waiting for the
 * previous answer would only add its latency).
 */
export function groupCommit<T, R>(
  flush: (batch: T[]) => Promise<R[]>,
  maxBatch = 256,
  lingerMs = 0,
  overlap = false,
): (item: T) => Promise<R> {
  type Waiting = { item: T; resolve(r: R): void; reject(err: unknown): void };
  let queue: Waiting[] = [];
  let flushing = false;
  let scheduled = false;

  async function write(batch: Waiting[]): Promise<void> {
    try {
      const out = await flush(batch.map((b) => b.item));
      batch.forEach((b, i) => b.resolve(out[i] as R));
    } catch (err) {
      for (const b of batch) b.reject(err);
    }
  }

  async function drain(): Promise<void> {
    scheduled = false;
    if (overlap) {
      const taken = queue;
      queue = [];
      for (let i = 0; i < taken.length; i += maxBatch) void write(taken.slice(i, i + maxBatch));
      return;
    }
    if (flushing) return;
    flushing = true;
    try {
      while (queue.length > 0) {
        const batch = queue.slice(0, maxBatch);
        queue = queue.slice(batch.length);
        await write(batch);
      }
    } finally {
      flushing = false;
    }
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (!scheduled && (overlap || !flushing)) {
        scheduled = true;
        if (lingerMs > 0) setTimeout(() => void drain(), lingerMs);
        else setImmediate(() => void drain());
      }
    });
}
