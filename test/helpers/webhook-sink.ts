import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { gunzipSync } from 'node:zlib';

/**
 * A local webhook receiver for tests. The first path segment picks its behaviour:
 * /ok (200), /s204, /s300, /s301 (redirect to /ok/redirected), /s404, /s500, /hang (never answers),
 * /reset (destroys the connection), /slow (200 once the test calls `releaseSlow()`, so it answers after
 * the others without a timer), /flip (500 until `flip.ok = true`),
 * /hold (hangs until `flip.ok = true`: setting it answers the calls held so far with 200, and the
 * later ones at once).
 * Every request is recorded, with gzip bodies unpacked.
 */
export interface SinkRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly raw: Buffer;
  /** The body after gunzip when it was sent gzip-encoded. */
  readonly body: string;
}

export interface WebhookSink {
  readonly base: string;
  readonly requests: SinkRequest[];
  /** The receivers' switch: setting `ok` to true also answers the /hold calls still held (200). */
  readonly flip: { ok: boolean };
  /** Resolves when `n` requests have arrived (woken by each arrival; the test's timeout bounds a hang). */
  waitFor(n: number): Promise<void>;
  /**
   * Resolves once `done` holds over the requests received so far: checked now and again on each
   * arrival (no timer; the test's timeout bounds a hang). A predicate that throws rejects the wait.
   */
  waitUntil(done: (requests: readonly SinkRequest[]) => boolean): Promise<void>;
  /** Answers every /slow request held so far (200). */
  releaseSlow(): void;
  close(): Promise<void>;
}

export async function startSink(): Promise<WebhookSink> {
  const requests: SinkRequest[] = [];
  const waiters: Array<() => void> = [];
  const hanging = new Set<ServerResponse>();
  const held = new Set<ServerResponse>();
  let ok = false;
  const flip = {
    get ok(): boolean {
      return ok;
    },
    set ok(value: boolean) {
      ok = value;
      if (!value) return;
      // A call whose sender died leaves the set when its connection closes; one whose close is not
      // seen yet gets an answer nobody reads.
      for (const res of [...held]) {
        held.delete(res);
        if (!res.destroyed) res.end('held ok');
      }
    },
  };
  const slow: ServerResponse[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const gz = String(req.headers['content-encoding'] ?? '') === 'gzip';
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        raw,
        body: gz ? gunzipSync(raw).toString('utf8') : raw.toString('utf8'),
      });
      waiters.splice(0).forEach((w) => w());
      const kind = (req.url ?? '/').split(/[/?]/)[1];
      switch (kind) {
        case 'ok':
          return res.end('received');
        case 's204':
          res.statusCode = 204;
          return res.end();
        case 's300':
          res.statusCode = 300;
          return res.end('multiple');
        case 's301':
          res.writeHead(301, { location: '/ok/redirected' });
          return res.end();
        case 's404':
          res.statusCode = 404;
          return res.end('no such hook');
        case 's500':
          res.statusCode = 500;
          return res.end('x'.repeat(100_000)); // a large error body: only a capped part is kept
        case 'hang':
          hanging.add(res);
          return;
        case 'hold': // hangs until flip.ok is set, then answers 200
          if (flip.ok) return res.end('held ok');
          held.add(res);
          res.on('close', () => held.delete(res));
          return;
        case 'reset':
          return req.socket.destroy();
        case 'slow':
          slow.push(res);
          return;
        case 'flip':
          res.statusCode = flip.ok ? 200 : 500;
          return res.end();
        default:
          res.statusCode = 404;
          return res.end();
      }
    });
  });
  function waitUntil(done: (received: readonly SinkRequest[]) => boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const check = () => {
        try {
          if (done(requests)) resolve();
          else waiters.push(check);
        } catch (err) {
          reject(err);
        }
      };
      check();
    });
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    flip,
    waitFor: (n) => waitUntil((received) => received.length >= n),
    waitUntil,
    releaseSlow() {
      for (const res of slow.splice(0)) res.end('slow ok');
    },
    async close() {
      for (const res of [...hanging, ...held, ...slow]) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
