import { Agent, request } from 'undici';
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

export function createSender(options: SendOptions & { connectionsPerOrigin?: number }): Sender {
  const cap = options.maxResponseBytes ?? 4096;
  const agent = new Agent({
    connections: options.connectionsPerOrigin ?? 32,
    keepAliveTimeout: 10_000,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connectTimeout: options.timeoutMs,
    // The lookup hook sees the address the socket will use: private targets are refused there.
    connect: options.allowPrivate ? {} : { lookup: guardedLookup as never },
  });

  return {
    async send(req) {
      const started = performance.now();
      const took = () => performance.now() - started;
      try {
        const url = new URL(req.url);
        if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`unsupported protocol ${url.protocol}`);
        if (!options.allowPrivate) checkLiteralHost(url);
        const res = await request(url, {
          method: req.method,
          headers: req.headers,
          body: req.body,
          dispatcher: agent,
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        const chunks: Buffer[] = [];
        let size = 0;
        try {
          for await (const chunk of res.body as AsyncIterable<Buffer>) {
            if (size < cap) chunks.push(chunk.subarray(0, cap - size));
            size += chunk.length;
            if (size >= cap) break;
          }
        } finally {
          res.body.destroy();
        }
        return { httpCode: res.statusCode, durationMs: took(), response: Buffer.concat(chunks).toString('utf8'), error: null };
      } catch (err) {
        const e = err as Error & { code?: string; cause?: { message?: string; code?: string } };
        const reason =
          e.name === 'TimeoutError' ||
          e.code === 'UND_ERR_HEADERS_TIMEOUT' ||
          e.code === 'UND_ERR_BODY_TIMEOUT' ||
          e.code === 'UND_ERR_CONNECT_TIMEOUT'
            ? `timeout: no answer within ${options.timeoutMs / 1000} s`
            : (e.cause?.message ?? e.message);
        return { httpCode: null, durationMs: took(), response: null, error: reason };
      }
    },
    async close() {
      await agent.close();
    },
  };
}
