import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../domain/catalog.js';
import { parseTaskRequest } from '../../domain/task-request.js';
import type { ExecutionInput } from '../executor.js';
import { outcomeOf, taskOf } from './module-executor.js';
import type { ExecutorResult } from './types.js';

const def = CATALOG.find((d) => d.se === 'google' && d.seType === 'organic')!;
const parsed = parseTaskRequest(def, { keyword: 'x', location_code: 2840, language_code: 'en', tag: 't' }, 'task_post');
if (!parsed.ok) throw new Error(parsed.field);
const input: ExecutionInput = { id: 'id-1', def, request: parsed.task, params: parsed.data, postedAt: 5 };
const result = { keyword: 'x', type: 'organic', items_count: 0, items: [] };
const out = (got: unknown) => outcomeOf(input, got as ExecutorResult);

describe("mapping a module's answer to an outcome", () => {
  it('stores results of the functions of the type, as JSON', () => {
    expect(out({ results: { advanced: result } })).toEqual({
      statusCode: 20000,
      statusMessage: 'Ok.',
      results: [{ fn: 'advanced', value: result }],
    });
    const when = new Date(Date.UTC(2026, 11, 1));
    expect(out({ status_code: 20000, results: { advanced: { ...result, datetime: when, spell: undefined }, html: undefined } })).toEqual({
      statusCode: 20000,
      statusMessage: 'Ok.',
      results: [{ fn: 'advanced', value: { ...result, datetime: '2026-12-01T00:00:00.000Z' } }],
    });
  });

  it('names what is wrong with an answer it cannot use', () => {
    const cyclic: Record<string, unknown> = { ...result };
    cyclic.self = cyclic;
    expect(out(null)).toBe('returned null, not { status_code, results }');
    expect(out([result])).toBe('returned an array, not { status_code, results }');
    expect(out({})).toBe('returned status_code 20000 without results');
    expect(out({ results: {} })).toBe('returned status_code 20000 without results');
    expect(out({ results: [result] })).toBe('returned results as an array');
    expect(out({ results: { live: result } })).toBe("returned a result for 'live', not a function of google/organic");
    expect(out({ results: { advanced: cyclic } })).toMatch(
      /^google\/organic\/advanced: result is not JSON \(Converting circular structure/,
    );
    expect(out({ results: { advanced: () => result } })).toBe('google/organic/advanced: result is function, not JSON');
    expect(out({ results: { advanced: { ...result, items_count: '0' } } })).toBe(
      'google/organic/advanced: result.items_count: expected an integer, got string "0"',
    );
  });

  it('passes vendor codes a task can end with, and only those', () => {
    expect(out({ status_code: 40102 })).toEqual({ statusCode: 40102, statusMessage: 'No Search Results.' });
    expect(out({ status_code: 40501, status_message: "Invalid Field: 'keyword'." })).toEqual({
      statusCode: 40501,
      statusMessage: "Invalid Field: 'keyword'.",
    });
    expect(out({ status_code: 50000, status_message: '' })).toEqual({ statusCode: 50000, statusMessage: 'Internal Error.' });
    for (const code of [20100, 40601, 40602, 12345, '40102', 40102.5]) {
      expect(out({ status_code: code }), String(code)).toBe(
        `returned status_code ${JSON.stringify(code)}, which is not a vendor code a task can end with`,
      );
    }
  });

  it('hands the module the request in the vendor words', () => {
    expect(taskOf(input)).toEqual({
      id: 'id-1',
      api: 'serp',
      path: 'serp/google/organic',
      se: 'google',
      se_type: 'organic',
      functions: ['regular', 'advanced', 'html'],
      postback_data: null,
      keyword: 'x',
      location_code: 2840,
      location_name: parsed.task.locationName,
      location_coordinate: null,
      country_iso_code: 'US',
      language_code: 'en',
      language_name: parsed.task.languageName,
      se_domain: null,
      device: 'desktop',
      os: 'windows',
      depth: parsed.task.depth,
      max_crawl_pages: null,
      search_param: null,
      priority: 1,
      data: parsed.data,
      posted_at: 5,
    });
  });
});
