import { type IncomingMessage, type Server, createServer, request } from 'node:http';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { type EventHub, createEventHub, sseFrame } from '../../src/admin/events.js';
import { type SseEvent, createSseParser } from '../../src/dashboard/sse.js';

/** The dashboard's event hub on a real socket: frames, heartbeats, pokes, and nothing left running after the last stream. */

// The hub's timers are Vitest's (only the timer functions: sockets and setImmediate stay real), so a
// tick, a heartbeat or a poke comes when the test moves time, never by waiting for it.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
});

let server: Server | null = null;
afterEach(async () => {
  vi.useRealTimers();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

async function serve(hub: EventHub): Promise<string> {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    hub.subscribe(res);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
}

/**
 * Until `done()`: moves the fake clock a millisecond at a time and lets real I/O run between (a frame
 * crosses the socket, the server sees a client's close).
 */
async function until(done: () => boolean): Promise<void> {
  while (!done()) {
    await vi.advanceTimersByTimeAsync(1);
    await new Promise((r) => setImmediate(r));
  }
}

/** A client that records events and comments. */
async function connect(url: string) {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const parser = createSseParser(
    (e) => events.push(e),
    (c) => comments.push(c),
  );
  const req = request(url);
  const res = await new Promise<IncomingMessage>((resolve) => req.on('response', resolve).end());
  res.setEncoding('utf8');
  res.on('data', (t: string) => parser.push(t));
  const ended = new Promise<void>((resolve) => res.on('end', resolve));
  return { events, comments, until, ended, close: () => req.destroy() };
}

it('writes one event per frame: the event name, then the JSON on one data line', () => {
  expect(sseFrame('snapshot', { a: 'x\ny', b: [1] })).toBe('event: snapshot\ndata: {"a":"x\\ny","b":[1]}\n\n');
});

it('sends a snapshot at once, then every tick, heartbeats between, and the same frame to every stream', async () => {
  let reads = 0;
  const hub = createEventHub({
    read: async () => ({ n: ++reads }),
    onError: (err) => expect.fail(String(err)),
    tickMs: 20,
    heartbeatMs: 30,
  });
  const url = await serve(hub);
  const a = await connect(url);
  await a.until(() => a.events.length >= 3 && a.comments.length >= 1);
  expect(a.events.every((e) => e.event === 'snapshot')).toBe(true);
  const ns = a.events.map((e) => (JSON.parse(e.data) as { n: number }).n);
  expect(ns).toEqual([...ns].sort((x, y) => x - y));
  expect(a.comments[0]).toBe('heartbeat');

  const b = await connect(url);
  await b.until(() => b.events.length >= 2);
  const last = b.events.at(-1)!.data;
  await a.until(() => a.events.some((e) => e.data === last));
  expect(hub.size()).toBe(2);

  a.close();
  b.close();
  await until(() => hub.size() === 0);
  // No stream, no timer: three tick lengths later nothing more was read.
  const after = reads;
  await vi.advanceTimersByTimeAsync(60);
  expect(reads).toBe(after);
  expect(vi.getTimerCount()).toBe(0);
  hub.close();
});

it('sends soon after a poke, skips ticks while a read is running, reports failed reads, and ends streams on close', async () => {
  let release: () => void = () => {};
  let reads = 0;
  const errors: unknown[] = [];
  const hub = createEventHub({
    read: async () => {
      reads++;
      if (reads === 2) throw new Error('store down');
      if (reads === 3) await new Promise<void>((r) => (release = r));
      return { n: reads };
    },
    onError: (err) => errors.push(err),
    tickMs: 60_000,
    pokeMs: 0,
  });
  const url = await serve(hub);
  const a = await connect(url);
  await a.until(() => a.events.length === 1);
  hub.poke(); // read 2 fails: reported, nothing sent
  await until(() => errors.length === 1);
  expect(errors).toEqual([new Error('store down')]);
  hub.poke(); // read 3 hangs until released; pokes meanwhile start no second read
  await until(() => reads === 3);
  const timers = vi.getTimerCount();
  hub.poke();
  hub.poke();
  // The pokes' timers (pokeMs 0) are due now: fired by the fake clock without moving it.
  await vi.advanceTimersByTimeAsync(0);
  expect(vi.getTimerCount()).toBe(timers); // no poke left waiting
  expect(reads).toBe(3);
  release();
  await a.until(() => a.events.length === 2);
  expect(JSON.parse(a.events[1].data)).toEqual({ n: 3 });
  hub.close();
  await a.ended;
  expect(hub.size()).toBe(0);
});
