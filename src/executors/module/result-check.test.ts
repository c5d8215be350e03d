import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../domain/catalog.js';
import { parseTaskRequest } from '../../domain/task-request.js';
import { createSandboxExecutor } from '../sandbox/sandbox-executor.js';
import { RESULT_SCHEMAS } from '../sandbox/schema-data.js';
import { resultProblem } from './result-check.js';

describe('result check against the official schema extract', () => {
  const sandbox = createSandboxExecutor({ latency: { normal: 0, high: 0 } });

  it('passes every result the sandbox renders for every schema path', () => {
    let checked = 0;
    for (const def of CATALOG) {
      for (const fn of def.getFunctions) {
        if (!RESULT_SCHEMAS[`${def.se}/${def.seType}/${fn}`]) continue;
        const example = sandbox.example!(def, fn, '2026-12-01 00:00:00 +00:00');
        expect(resultProblem(def.se, def.seType, fn, example), `${def.se}/${def.seType}/${fn}`).toBeNull();
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('passes what the sandbox renders for tasks of every type and function', () => {
    const request = {
      keyword: 'albert einstein',
      location_code: 2840,
      language_code: 'en',
      image_url: 'https://example.com/a.png',
      dataset_id: 'L2cvMTFqbmRfcnR4Mg==',
      target: 'example.com',
      video_id: 'M7lc1UVf-VE',
    };
    let checked = 0;
    for (const def of CATALOG) {
      for (const device of def.devices) {
        const parsed = parseTaskRequest(def, { ...request, device, depth: 20 }, 'task_post');
        // Fields a type does not take make its parse fail: post only what it takes.
        const retry = parsed.ok ? parsed : parseTaskRequest(def, onlyFieldsOf(request, parsed.field), 'task_post');
        if (!retry.ok) throw new Error(`${def.se}/${def.seType}: ${retry.field}`);
        for (const fn of def.getFunctions) {
          const input = { id: '12011200-1234-0066-0000-000000000001', def, request: retry.task, params: retry.data, postedAt: 0 };
          // As stored: some renders are JSON text already (RawJson).
          const value: unknown = JSON.parse(JSON.stringify(sandbox.render!(input, fn, '2026-12-01 00:00:00 +00:00')));
          expect(resultProblem(def.se, def.seType, fn, value), `${def.se}/${def.seType}/${fn} ${device}`).toBeNull();
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('names the first wrong field by its path', () => {
    const def = CATALOG.find((d) => d.se === 'google' && d.seType === 'organic')!;
    const parsed = parseTaskRequest(def, { keyword: 'x', location_code: 2840, language_code: 'en' }, 'task_post');
    if (!parsed.ok) throw new Error('request');
    const good = sandbox.render!(
      { id: 't', def, request: parsed.task, params: parsed.data, postedAt: 0 },
      'advanced',
      '2026-12-01 00:00:00 +00:00',
    ) as {
      items: Array<Record<string, unknown>>;
    };
    expect(resultProblem('google', 'organic', 'advanced', good)).toBeNull();
    const items = good.items.map((it, i) => (i === 2 ? { ...it, rank_absolute: '3' } : it));
    expect(resultProblem('google', 'organic', 'advanced', { ...good, items })).toBe(
      'result.items[2].rank_absolute: expected an integer, got string "3"',
    );
    expect(resultProblem('google', 'organic', 'advanced', { ...good, items: [{ type: 'no_such_item' }] })).toBe(
      'result.items[0].type: string "no_such_item" is not an item type of this result',
    );
    expect(resultProblem('google', 'organic', 'advanced', { ...good, keywords: 'x' })).toBe('result.keywords: not a field of this result');
    // Items may carry fields the extract lacks (the vendor's do); their documented fields are checked.
    expect(resultProblem('google', 'organic', 'advanced', { ...good, items: [{ ...good.items[0], vendor_new_field: 1 }] })).toBeNull();
    expect(resultProblem('google', 'organic', 'advanced', [good])).toBe('result: expected an object, got an array');
  });
});

/** The request without the field a type refused (and so on until it parses). */
function onlyFieldsOf(request: Record<string, unknown>, refused: string): Record<string, unknown> {
  const { [refused]: _drop, ...rest } = request;
  return rest;
}
