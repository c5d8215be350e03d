import { constants, gunzipSync, gzipSync } from 'node:zlib';

/**
 * How a task's result is kept in `task_results.body`: the gzip of its JSON text. Every writer (the
 * worker, live calls, the relay) and every reader (task_get, the relay's forwarding, cassette
 * export) goes through here; the store itself treats the bytes as opaque and never compares them.
 *
 * The level is the fastest (Z_BEST_SPEED), which the relay used already (the worker and live calls
 * used the default, 6). Measured on sandbox google/organic results (Node 20, a shared 2-core
 * machine, 40 keywords, mean per result): at depth 100 (advanced, 143 KiB of JSON) gzip takes
 * 0.49 ms and keeps 16.8 KiB at level 1, against 1.06 ms and 13.7 KiB at level 6 (with
 * JSON.stringify: 1.8 ms against 2.35 ms); at depth 10 (20 KiB) 0.12 ms and 3.9 KiB against
 * 0.25 ms and 3.6 KiB. Reading back costs the same at both levels (gunzip 1.2 ms at depth 100). A
 * result is compressed once, synchronously, on the event loop of the process that completes it
 * (often the one answering HTTP as well), and is deleted after 30 days: halving that time is worth
 * 10-23% more bytes. Rows stored at another level read back the same, and nothing compares the bytes.
 */
export const RESULT_GZIP_LEVEL = constants.Z_BEST_SPEED;

/** A result value as stored: the gzip of its JSON text. */
export function encodeResult(value: unknown): Buffer {
  return gzipSync(JSON.stringify(value), { level: RESULT_GZIP_LEVEL });
}

/**
 * A stored result's JSON text, for answers that splice it in as it is (RawJson) rather than parse it
 * only to serialise it again.
 */
export function decodeResultText(body: Uint8Array): string {
  return gunzipSync(body).toString('utf8');
}

/** A stored result as its value. */
export function decodeResult(body: Uint8Array): unknown {
  return JSON.parse(decodeResultText(body)) as unknown;
}
