import { parentPort, workerData } from 'node:worker_threads';
import { createSandboxExecutor } from '../executors/sandbox/sandbox-executor.js';
import { type WebhookCall, sendCall } from './courier.js';
import { type PostbackBody, buildPostbackSync, resultResolver } from './payload.js';
import { type SendOptions, type SendResult, createSender } from './send.js';

/**
 * A courier thread (see courier-pool.ts): builds postback bodies and sends webhook calls for the main
 * thread. It renders with its own sandbox renderer (deterministic, so the same bytes as the main
 * thread would make), or uses the stored result the main thread read for it.
 */
export interface ThreadData {
  readonly renderer: 'sandbox' | null;
  readonly send: SendOptions;
}

export interface ThreadJob {
  readonly id: number;
  readonly call: WebhookCall;
  readonly stored: Uint8Array | null;
}

export type ThreadReply =
  { readonly id: number; readonly result: SendResult } | { readonly id: number; readonly error: string } | { readonly ready: true };

const port = parentPort;
if (!port) throw new Error('courier-thread runs as a worker thread');
const data = workerData as ThreadData;
const executor = data.renderer === 'sandbox' ? createSandboxExecutor({ latency: { normal: 0, high: 0 } }) : null;
const sender = createSender(data.send);

/** The body of a call (none for a pingback): microtasks only, so a turn builds it to the end. */
async function bodyOf(job: ThreadJob): Promise<PostbackBody | null> {
  const { call } = job;
  return call.kind === 'postback'
    ? buildPostbackSync(
        call,
        resultResolver(executor, call.task, call.fn, () => job.stored),
        executor,
      )
    : null;
}

function reply(job: ThreadJob, done: Promise<SendResult>): void {
  done.then(
    (result) => port!.postMessage({ id: job.id, result } satisfies ThreadReply),
    (err: unknown) => port!.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) } satisfies ThreadReply),
  );
}

// Calls are built in the order they came, a few milliseconds' worth per turn of the event loop: the
// requests started in one turn are written to their sockets when it ends (undici writes when the loop
// turns), so the first postbacks of a group leave soon after their own bodies are ready instead of
// after the whole group's. A turn per call would cost more: every answer and reply would then wake
// the threads one by one.
const TURN_MS = 2;
const waiting: ThreadJob[] = [];
let scheduled = false;

async function turn(): Promise<void> {
  scheduled = false;
  const began = performance.now();
  let job: ThreadJob | undefined;
  while (performance.now() - began < TURN_MS && (job = waiting.shift())) {
    const built = bodyOf(job);
    await built.catch(() => null);
    const call = job.call;
    reply(
      job,
      built.then((postback) => sendCall(sender, call, postback)),
    );
  }
  if (waiting.length > 0) schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(() => void turn());
}

port.on('message', (job: ThreadJob) => {
  waiting.push(job);
  schedule();
});
port.postMessage({ ready: true } satisfies ThreadReply);
