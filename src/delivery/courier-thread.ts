import { parentPort, workerData } from 'node:worker_threads';
import { createSandboxExecutor } from '../executors/sandbox/sandbox-executor.js';
import { type WebhookCall, sendCall } from './courier.js';
import { buildPostbackSync, resultResolver } from './payload.js';
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

async function run(job: ThreadJob): Promise<SendResult> {
  const { call } = job;
  const postback =
    call.kind === 'postback'
      ? await buildPostbackSync(
          call,
          resultResolver(executor, call.task, call.fn, () => job.stored),
        )
      : null;
  return sendCall(sender, call, postback);
}

port.on('message', (job: ThreadJob) => {
  run(job).then(
    (result) => port.postMessage({ id: job.id, result } satisfies ThreadReply),
    (err: unknown) => port.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) } satisfies ThreadReply),
  );
});
port.postMessage({ ready: true } satisfies ThreadReply);
