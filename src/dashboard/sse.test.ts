import { expect, it } from 'vitest';
import { type SseEvent, createSseParser } from './sse.js';

function parse(pieces: string[]): { events: SseEvent[]; comments: string[] } {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const p = createSseParser(
    (e) => events.push(e),
    (c) => comments.push(c),
  );
  for (const piece of pieces) p.push(piece);
  return { events, comments };
}

const STREAM = 'retry: 2000\n\n: heartbeat\n\nevent: snapshot\ndata: {"a":1}\n\ndata: one\ndata:two\n\nevent: empty\n\n';

it('parses events, multi-line data, comments; ignores retry and frames without data', () => {
  expect(parse([STREAM])).toEqual({
    events: [
      { event: 'snapshot', data: '{"a":1}' },
      { event: 'message', data: 'one\ntwo' },
    ],
    comments: ['heartbeat'],
  });
});

it('gives the same events however the stream is split, CRLF and CR line ends included', () => {
  const whole = parse([STREAM]);
  for (let size = 1; size < 12; size++) {
    const pieces = STREAM.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g'))!;
    expect(parse(pieces)).toEqual(whole);
  }
  const crlf = STREAM.replace(/\n/g, '\r\n');
  expect(parse(crlf.split(''))).toEqual(whole);
  expect(parse([STREAM.replace(/\n/g, '\r')])).toEqual(whole);
});

it('dispatches nothing for a frame not yet ended', () => {
  expect(parse(['event: snapshot\ndata: {"a":1}\n']).events).toEqual([]);
});
