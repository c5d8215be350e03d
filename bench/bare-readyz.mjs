import { createServer } from 'node:http';

/**
 * The start-up baseline of `npm run bench -- --startup` (bench/startup.ts): the least a node:http
 * server started with plain `node` costs. It answers every request 200 with a small JSON body, so
 * that the mixed requests the bench sends serpq can be sent here too.
 *
 * Plain JavaScript on purpose: it starts exactly like the built serpq (`node <file>`), with no
 * TypeScript loader in between.
 *
 * Usage: node bench/bare-readyz.mjs <port>
 */
const port = Number(process.argv[2] ?? 0);
const body = JSON.stringify({ status: 'ok' });
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 72_000;
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  console.log(`bare listening on ${typeof address === 'object' && address ? address.port : 0}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
