import { type Server, createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSender } from './send.js';

describe('sender', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/hang') return; // never answers
      if (req.url === '/big') return res.end('x'.repeat(100_000));
      res.statusCode = 204;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const a = server.address();
    base = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('answers with the code, keeps at most 4 KB of the answer, and times out a silent receiver', async () => {
    const sender = createSender({ timeoutMs: 200, allowPrivate: true });
    try {
      expect(await sender.send({ method: 'GET', url: `${base}/ok`, headers: {} })).toMatchObject({ httpCode: 204, error: null });
      const big = await sender.send({ method: 'GET', url: `${base}/big`, headers: {} });
      expect(big.httpCode).toBe(200);
      expect(big.response).toHaveLength(4096);
      // Several at once share the one timer; each ends as a timeout, none far past its limit.
      const hung = await Promise.all(
        [1, 2, 3].map(() => sender.send({ method: 'POST', url: `${base}/hang`, headers: {}, body: Buffer.from('{}') })),
      );
      for (const h of hung) {
        expect(h).toMatchObject({ httpCode: null, response: null, error: 'timeout: no answer within 0.2 s' });
        expect(h.durationMs).toBeGreaterThanOrEqual(200);
        expect(h.durationMs).toBeLessThan(2000);
      }
      expect(await sender.send({ method: 'GET', url: 'ftp://127.0.0.1/x', headers: {} })).toMatchObject({
        httpCode: null,
        error: 'unsupported protocol ftp:',
      });
    } finally {
      await sender.close();
    }
  });
});
