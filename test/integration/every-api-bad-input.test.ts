/**
 * Bad input to every live endpoint of every API outside the SERP engine: malformed bodies, wrong
 * types, out-of-range limits, filters the grammar refuses, catastrophic regular expressions, too many
 * keywords or conditions, and bodies that are not JSON. Every call is answered in the vendor's
 * envelope with a vendor status code and never with a 5xx; nothing is charged for a refused task.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { API_NAMES, loadApi } from '../../src/domain/api-catalog/index.js';
import { servesEndpoint } from '../../src/services/endpoint-calls.js';
import { type TestApp, makeTestApp } from '../helpers/app.js';

const BODIES: unknown[] = [
  null,
  1,
  'x',
  {},
  [],
  [null],
  [1],
  ['x'],
  [[]],
  [{}],
  [{ target: 123, keywords: 'x', limit: -5, offset: 'a', filters: [[['x', '=', 1]]], order_by: 'x' }],
  [{ target: 'a.com', keywords: ['x'], limit: 1e9, offset: 1e12, filters: ['a', 'bogus', 1], order_by: ['a,up'] }],
  [{ target: 'a.com', keywords: Array(2000).fill('k'), filters: [['keyword_data.keyword', 'regex', '(a+)+$'], 'and', ['x', 'in', []]] }],
  [{ target: { a: 1 }, keyword: ['x'], location_code: 'abc', language_code: 5, depth: -1 }],
  [{ target: 'a.com', limit: 0, filters: Array(20).fill(['x', '=', 1]) }],
];

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(async () => {
  await t.close();
});

it('answers every malformed call of every live endpoint in the envelope, never 5xx, refused tasks free', async () => {
  const problems: string[] = [];
  let calls = 0;
  for (const name of API_NAMES) {
    for (const e of (await loadApi(name)).endpoints) {
      if (!servesEndpoint(e) || e.method !== 'POST') continue;
      for (const body of BODIES) {
        const res = await t.request('POST', `/v3/${e.path.replace(/\{[^}]+\}/g, 'x')}`, { body });
        calls++;
        const tasks = res.body?.tasks ?? [];
        const refusedButCharged = tasks.some((task) => task.status_code !== 20000 && task.cost !== 0);
        if (res.status >= 500 || typeof res.body?.status_code !== 'number' || refusedButCharged) {
          problems.push(`${e.path} ${JSON.stringify(body).slice(0, 80)} -> ${res.status} ${res.text.slice(0, 120)}`);
        }
      }
    }
  }
  for (const raw of ['{', '[{"a":', '\u0000', 'null', '[{"target": "a.com"}]x']) {
    const res = await t.request('POST', '/v3/backlinks/summary/live', { rawBody: raw });
    calls++;
    if (res.status >= 500 || typeof res.body?.status_code !== 'number') problems.push(`raw ${JSON.stringify(raw)} -> ${res.status}`);
  }
  expect(calls).toBeGreaterThan(2000);
  expect(problems.slice(0, 20)).toEqual([]);
}, 300_000);
