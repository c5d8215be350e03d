import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCatalogTaskFile, readTaskObjects } from './catalog-file.js';
import { closeMatches, resolveLivePath, resolvePostType, resolveReadyTargets } from './task-types.js';

const dir = mkdtempSync(join(tmpdir(), 'serpq-types-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--type and --path of every API', () => {
  it('resolves SERP types as before and other APIs by their catalog path', async () => {
    expect(await resolvePostType('google/organic')).toMatchObject({ kind: 'serp', name: 'google/organic' });
    expect(await resolvePostType('serp/bing/organic')).toMatchObject({ kind: 'serp', name: 'bing/organic' });
    for (const type of [
      'keywords_data/google_ads/search_volume',
      'merchant/amazon/products',
      'app_data/google/app_info',
      'business_data/google/reviews',
      'on_page',
    ]) {
      expect(await resolvePostType(type)).toMatchObject({ kind: 'catalog', name: type, endpoint: { kind: 'task_post' } });
    }
  });

  it('answers an unknown type with the closest ones, on one line', async () => {
    await expect(resolvePostType('merchant/amazon/product')).rejects.toThrow(
      /^unknown --type 'merchant\/amazon\/product': did you mean merchant\/amazon\/products[,?]/,
    );
    await expect(resolvePostType('google/nonsense')).rejects.toThrow(/^unknown --type 'google\/nonsense'/);
    await expect(resolvePostType(undefined)).rejects.toThrow(/--type is required/);
    expect(
      closeMatches('app_data/google/app_infos', ['app_data/google/app_info', 'app_data/apple/app_info', 'merchant/google/products']),
    ).toEqual(['app_data/google/app_info', 'app_data/apple/app_info']);
  });

  it('collect scopes: SERP by default, an API at its widest tasks_ready, a type at its own, all', async () => {
    expect(await resolveReadyTargets(undefined)).toEqual([{ api: 'serp', scope: {}, label: 'serp' }]);
    expect(await resolveReadyTargets('google/organic,merchant')).toEqual([
      { api: 'serp', scope: { se: 'google', seType: 'organic' }, label: 'serp/google/organic' },
      { api: 'merchant', path: 'merchant', label: 'merchant' },
    ]);
    // Keywords Data has no API-wide tasks_ready: each type's own.
    const kd = await resolveReadyTargets('keywords_data');
    expect(kd.length).toBeGreaterThan(5);
    expect(kd).toContainEqual({
      api: 'keywords_data',
      path: 'keywords_data/google_ads/search_volume',
      label: 'keywords_data/google_ads/search_volume',
    });
    const all = await resolveReadyTargets('all');
    expect(new Set(all.map((t) => t.api))).toEqual(
      new Set(['serp', 'keywords_data', 'on_page', 'merchant', 'app_data', 'business_data', 'ai_optimization']),
    );
    await expect(resolveReadyTargets('merchant/amazon/product')).rejects.toThrow(/did you mean merchant\/amazon\/products/);
  });

  it('live paths', async () => {
    expect((await resolveLivePath('/v3/dataforseo_labs/google/ranked_keywords/live')).path).toBe(
      'dataforseo_labs/google/ranked_keywords/live',
    );
    await expect(resolveLivePath('keywords_data/google_ads/search_volume/task_post')).rejects.toThrow(
      /serpq post FILE --type keywords_data\/google_ads\/search_volume/,
    );
    await expect(resolveLivePath('backlinks/summry/live')).rejects.toThrow(/did you mean backlinks\/summary\/live/);
  });
});

describe('task files of other APIs', () => {
  it('reads JSON Lines, a JSON array and CSV typed by the rules, and names each bad line and field', async () => {
    const target = await resolvePostType('keywords_data/google_ads/search_volume');
    if (target.kind !== 'catalog') throw new Error('catalog type expected');
    const csv = join(dir, 'sv.csv');
    writeFileSync(csv, 'keywords,location_code,search_partners\n"a|b",2840,true\n"[""c""]",2826,false\n');
    expect(readCatalogTaskFile(csv, target.name, target.endpoint, { tag: 'x' }).map((t) => t.task)).toEqual([
      { keywords: ['a', 'b'], location_code: 2840, search_partners: true, tag: 'x' },
      { keywords: ['c'], location_code: 2826, search_partners: false, tag: 'x' },
    ]);
    const arr = join(dir, 'sv.json');
    writeFileSync(arr, JSON.stringify([{ keywords: ['a'] }, { keywords: ['b'] }]));
    expect(readTaskObjects(arr, target.endpoint, '').map((t) => t.line)).toEqual([1, 2]);
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"keywords":["ok"]}\n{"keywords":["x"],"location_code":"nowhere"}\nnot json\n');
    expect(() => readCatalogTaskFile(bad, target.name, target.endpoint, {})).toThrow(/bad\.jsonl:3: not valid JSON/);
    writeFileSync(bad, '{"keywords":["ok"]}\n{"keywords":["x"],"location_code":"nowhere"}\n');
    expect(() => readCatalogTaskFile(bad, target.name, target.endpoint, {})).toThrow(
      /bad\.jsonl:2: 40501 Invalid Field: 'location_code'\. \(location_code: must be an integer\)\nnothing was posted/,
    );
    expect(() => readCatalogTaskFile(bad, target.name, target.endpoint, { depth: 10 })).toThrow(
      /--depth: keywords_data\/google_ads\/search_volume has no such field/,
    );
  });
});
