import type { Agent } from 'undici';
import { checkLiteralHost, guardedLookup } from './url-guard.js';

/**
 * One outbound webhook request. Redirects are not followed, the answer's body is read up to a small
 * cap, and the whole exchange (connect, send, answer) must finish within `timeoutMs`.
 */
export interface SendOptions {
  readonly timeoutMs: number;
  readonly allowPrivate: boolean;
  /** Bytes of the receiver's answer kept for the log. */
  readonly maxResponseBytes?: number;
}

export interface SendResult {
  readonly httpCode: number | null;
  readonly durationMs: number;
  readonly response: string | null;
  readonly error: string | null;
}

export interface WebhookRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: Buffer;
}

export interface Sender {
  send(req: WebhookRequest): Promise<SendResult>;
  close(): Promise<void>;
}

type Undici = typeof import('undici');

/** undici, loaded at the first webhook call: a process that never makes one does not pay for it. */
let undici: Promise<Undici> | null = null;

export function createSender(options: SendOptions & { connectionsPerOrigin?: number }): Sender {
  const cap = options.maxResponseBytes ?? 4096;
  let client: { readonly agent: Agent } | null = null;
  let closed = false;
  const open = async () => {
    const u = await (undici ??= import('undici'));
    client ??= {
      agent: new u.Agent({
        connections: options.connectionsPerOrigin ?? 32,
        keepAliveTimeout: 10_000,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
        connectTimeout: options.timeoutMs,
        // The lookup hook sees the address the socket will use: private targets are refused there.
        connect: options.allowPrivate ? {} : { lookup: guardedLookup as never },
      }),
    };
    // Closed before its first call: the call fails as on any closed agent.
    if (closed && !client.agent.closed) await client.agent.close();
    return client;
  };

  // The total-time limit: one timer for every request in flight instead of one per request (a
  // per-request AbortSignal.timeout costs more than the rest of a small call). A sweep aborts the
  // requests past their deadline, and an answer that ends after its deadline still counts as a
  // timeout, so the rule stays exact whatever the sweep's granularity.
  const sweepMs = Math.max(10, Math.min(250, Math.floor(options.timeoutMs / 4)));
  const live = new Set<InFlight>();
  let sweeper: NodeJS.Timeout | null = null;
  const sweep = () => {
    const now = performance.now();
    for (const f of live) {
      if (f.deadline <= now) {
        f.timedOut = true;
        f.controller?.abort(new Error('timeout'));
        live.delete(f);
      }
    }
    if (live.size === 0 && sweeper) {
      clearInterval(sweeper);
      sweeper = null;
    }
  };
  const timeout = (took: number): SendResult => ({
    httpCode: null,
    durationMs: took,
    response: null,
    error: `timeout: no answer within ${options.timeoutMs / 1000} s`,
  });

  return {
    async send(req) {
      const started = performance.now();
      const took = () => performance.now() - started;
      const flight: InFlight = { deadline: started + options.timeoutMs, controller: null, timedOut: false };
      live.add(flight);
      if (!sweeper) {
        sweeper = setInterval(sweep, sweepMs);
        sweeper.unref();
      }
      try {
        const url = new URL(req.url);
        if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`unsupported protocol ${url.protocol}`);
        if (!options.allowPrivate) checkLiteralHost(url);
        const { agent } = client ?? (await open());
        const answer = await exchange(agent, url, req, flight, cap);
        if (took() > options.timeoutMs) return timeout(took());
        return { httpCode: answer.statusCode, durationMs: took(), response: answer.text, error: null };
      } catch (err) {
        const e = err as Error & { code?: string; cause?: { message?: string; code?: string } };
        if (
          flight.timedOut ||
          took() > options.timeoutMs ||
          e.code === 'UND_ERR_HEADERS_TIMEOUT' ||
          e.code === 'UND_ERR_BODY_TIMEOUT' ||
          e.code === 'UND_ERR_CONNECT_TIMEOUT'
        ) {
          return timeout(took());
        }
        return { httpCode: null, durationMs: took(), response: null, error: e.cause?.message ?? e.message };
      } finally {
        live.delete(flight);
      }
    },
    async close() {
      if (sweeper) clearInterval(sweeper);
      sweeper = null;
      closed = true;
      if (client && !client.agent.closed) await client.agent.close();
    },
  };
}

interface InFlight {
  readonly deadline: number;
  /** The request's controller once undici started it (aborts it). */
  controller: { abort(reason: Error): void } | null;
  timedOut: boolean;
}

/**
 * One exchange through undici's dispatch interface: the status and the first `cap` bytes of the
 * answer, as text. Cheaper per call than `request()` (no body stream, no AbortSignal): a webhook
 * reads a few bytes of an answer it only logs. An answer longer than the cap is cut there (the
 * connection is dropped rather than read to its end).
 */
function exchange(
  agent: Agent,
  url: URL,
  req: WebhookRequest,
  flight: InFlight,
  cap: number,
): Promise<{ statusCode: number; text: string }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let statusCode = 0;
    let settled = false;
    const done = () => {
      if (settled) return;
      settled = true;
      resolve({ statusCode, text: Buffer.concat(chunks).toString('utf8') });
    };
    agent.dispatch(
      { origin: url.origin, path: url.pathname + url.search, method: req.method, headers: req.headers, body: req.body ?? null },
      {
        onRequestStart(controller) {
          flight.controller = controller;
          if (flight.timedOut) controller.abort(new Error('timeout'));
        },
        onResponseStart(_controller, code) {
          statusCode = code;
        },
        onResponseData(controller, chunk) {
          if (settled) return;
          if (size < cap) chunks.push(chunk.subarray(0, cap - size));
          size += chunk.length;
          if (size >= cap) {
            done();
            controller.abort(new Error('answer cut at the cap'));
          }
        },
        onResponseEnd() {
          done();
        },
        onResponseError(_controller, err) {
          if (settled) return;
          settled = true;
          reject(err);
        },
      },
    );
  });
}
