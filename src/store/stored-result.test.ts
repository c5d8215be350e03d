import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { RawJson, envelope, stringifyEnvelope, wireTask } from '../contracts/envelope.js';
import { STATUS } from '../domain/status-codes.js';
import { decodeResult, decodeResultText, encodeResult } from './stored-result.js';

const VALUE = {
  keyword: 'albert einstein',
  se_results_count: 1_234_567,
  items: [
    {
      type: 'organic',
      rank_group: 1,
      title: 'Albert Einstein – Wikipedia',
      url: 'https://en.wikipedia.org/wiki/Albert_Einstein',
      rating: null,
    },
    { type: 'people_also_ask', items: [{ title: 'Was Einstein "a genius"?\n', expanded: [] }], price: 1.5 },
  ],
};

describe('stored results', () => {
  it('read back as the value that was stored', () => {
    const body = encodeResult(VALUE);
    expect(body.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(decodeResult(body)).toEqual(VALUE);
    expect(decodeResult(encodeResult(null))).toBeNull();
    expect(decodeResult(encodeResult([]))).toEqual([]);
  });

  it('read back as the JSON text of the value, byte for byte', () => {
    expect(decodeResultText(encodeResult(VALUE))).toBe(JSON.stringify(VALUE));
  });

  it('store a RawJson value as its JSON (what JSON.stringify writes of it)', () => {
    const raw = new RawJson('{"a": 1.50, "b": [ ]}');
    expect(decodeResultText(encodeResult(raw))).toBe('{"a":1.5,"b":[]}');
  });

  it('read back rows written at another compression level alike', () => {
    for (const level of [1, 6, 9]) {
      const body = gzipSync(JSON.stringify(VALUE), { level });
      expect(decodeResult(body)).toEqual(VALUE);
      expect(decodeResultText(body)).toBe(JSON.stringify(VALUE));
    }
  });

  it('splice into an answer as their text, the same as serialising the value', () => {
    const text = decodeResultText(encodeResult(VALUE));
    const wire = (result: unknown) =>
      envelope(STATUS.OK, { timeMs: 1, tasks: [wireTask('t', STATUS.OK, { timeMs: 1, path: ['v3'], data: null, result: [result] })] });
    expect(stringifyEnvelope(wire(new RawJson(text)))).toBe(JSON.stringify(wire(VALUE)));
  });
});
