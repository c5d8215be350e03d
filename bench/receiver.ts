import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';

/**
 * Webhook receiver for the benchmark: a bare node:http server that reads each request body in full
 * and answers 200 at once. For every POST it records the task id (query parameter `id`, which serpq
 * fills in from `$id` in the postback URL) and the arrival time (Date.now(), the same clock serpq
 * writes completed_at with). GET /stats returns {count, arrivals: [[id, ms], ...]}, GET /count the count; GET /reset clears.
 * The first POST body (gzip bytes) and its headers are saved to <save> when given, for the baseline.
 *
 * Usage: node --import tsx bench/receiver.ts [save-path]
 */
const savePath = process.argv[2];
let saved = false;
let ids: string[] = [];
let times: number[] = [];
let count = 0;

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    const arrivals = ids.map((id, i) => [id, times[i]]);
    const body = JSON.stringify({ count, arrivals });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  if (req.method === 'GET' && req.url === '/count') {
    res.end(String(count));
    return;
  }
  if (req.method === 'GET' && req.url === '/reset') {
    ids = [];
    times = [];
    count = 0;
    res.end('ok');
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => {
    if (!saved && savePath) chunks.push(c);
  });
  req.on('end', () => {
    const at = Date.now();
    count++;
    const q = req.url?.indexOf('id=') ?? -1;
    if (q >= 0) {
      ids.push(req.url!.slice(q + 3).split('&')[0]);
      times.push(at);
    }
    if (!saved && savePath && chunks.length > 0) {
      saved = true;
      writeFileSync(savePath, Buffer.concat(chunks));
      writeFileSync(savePath + '.headers.json', JSON.stringify(req.headers));
    }
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 });
    res.end('ok');
  });
});
server.keepAliveTimeout = 72_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(`receiver listening on ${typeof address === 'object' && address ? address.port : 0}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
