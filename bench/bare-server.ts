import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

/**
 * The baseline ("physical limit"): a bare node:http server that answers JSON.stringify of the very
 * envelope objects serpq returned (parsed once from real serpq response bodies). Every request pays
 * the serialisation, as a hand-written server would. GET /empty answers the empty-list envelope,
 * anything else the full-page one.
 *
 * Usage: node --import tsx bench/bare-server.ts <full.json> <empty.json>
 */
const [fullPath, emptyPath] = process.argv.slice(2);
if (!fullPath || !emptyPath) {
  console.error('usage: bare-server <full.json> <empty.json>');
  process.exit(2);
}
const full: unknown = JSON.parse(readFileSync(fullPath, 'utf8'));
const empty: unknown = JSON.parse(readFileSync(emptyPath, 'utf8'));

const server = createServer((req, res) => {
  const body = JSON.stringify(req.url === '/empty' ? empty : full);
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 72_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(`bare listening on ${typeof address === 'object' && address ? address.port : 0}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
