import { describe, expect, it } from 'vitest';
import { STATUS } from '../domain/status-codes.js';
import { RawJson, envelope, stringifyEnvelope, wireTask } from './envelope.js';

describe('stringifyEnvelope', () => {
  const task = (id: string, result: unknown[] | null) =>
    wireTask(id, STATUS.OK, { timeMs: 1, path: ['v3', 'x'], data: { k: 'v' }, result });

  it('is JSON.stringify for envelopes without raw results', () => {
    const env = envelope(STATUS.OK, { timeMs: 2, tasks: [task('a', [{ x: 1, s: 'q"\\' }]), task('b', null)] });
    expect(stringifyEnvelope(env)).toBe(JSON.stringify(env));
  });

  it('splices raw results in as their text, leaving the envelope untouched', () => {
    const one = { keyword: 'say "hi" $& $1', items: [{ a: 1 }, { b: '\u0000' }] };
    const two = [1, 2, 3];
    const raw = envelope(STATUS.OK, {
      timeMs: 2,
      tasks: [
        task('a', [new RawJson(JSON.stringify(one))]),
        task('b', null),
        task('c', [{ plain: true }, new RawJson(JSON.stringify(two))]),
      ],
    });
    const plain = envelope(STATUS.OK, {
      timeMs: 2,
      tasks: [task('a', [one]), task('b', null), task('c', [{ plain: true }, two])],
    });
    // Same timings in both, so the texts must match byte for byte.
    plain.time = raw.time;
    plain.tasks!.forEach((t, i) => (t.time = raw.tasks![i]!.time));
    expect(stringifyEnvelope(raw)).toBe(JSON.stringify(plain));
    expect(raw.tasks![0]!.result![0]).toBeInstanceOf(RawJson);
    // Anything else serialising a raw result gets the parsed value.
    expect(JSON.stringify(raw)).toBe(JSON.stringify(plain));
  });
});
