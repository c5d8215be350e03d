import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../../..');

describe('loading', () => {
  it('importing index.ts loads no API module; loadApi loads one, once, and cachedApi returns it', async () => {
    vi.resetModules();
    const catalog = await import('./index.js');
    expect(catalog.loadedApis()).toEqual([]);
    expect(catalog.cachedApi('backlinks')).toBeUndefined();
    const [a, b] = await Promise.all([catalog.loadApi('backlinks'), catalog.loadApi('backlinks')]);
    expect(a).toBe(b);
    expect(a.api).toBe('backlinks');
    expect(catalog.cachedApi('backlinks')).toBe(a);
    expect(await catalog.loadApi('backlinks')).toBe(a);
    expect(catalog.loadedApis()).toEqual(['backlinks']);
  });

  describe('in a fresh process', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'serpq-catalog-'));
    afterAll(() => rmSync(tmp, { recursive: true, force: true }));

    it('resolves no per-API module until one is loaded', () => {
      // A resolve hook records every module the process resolves.
      writeFileSync(
        join(tmp, 'hooks.mjs'),
        `let port;
export async function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  port.postMessage(r.url);
  return r;
}
`,
      );
      writeFileSync(
        join(tmp, 'main.mjs'),
        `import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const seen = [];
const { port1, port2 } = new MessageChannel();
port1.on('message', (url) => seen.push(url));
port1.unref();
register(${JSON.stringify(pathToFileURL(join(tmp, 'hooks.mjs')).href)}, { data: { port: port2 }, transferList: [port2] });
// The hooks post every resolved URL in order: once a marker module's URL has arrived, every URL
// resolved before it has too (no waiting on a timer).
let marks = 0;
const settle = async () => {
  const marker = 'data:text/javascript,export default ' + ++marks;
  await import(marker);
  port1.ref();
  while (!seen.includes(marker)) await new Promise((r) => port1.once('message', r));
  port1.unref();
};
const catalog = await import(${JSON.stringify(pathToFileURL(join(HERE, 'index.ts')).href)});
await settle();
const generated = () => seen.filter((u) => u.includes('/api-catalog/generated/')).map((u) => u.slice(u.lastIndexOf('/') + 1).replace(/\\.[jt]s$/, ''));
const afterImport = generated();
await catalog.loadApi('on_page');
await settle();
console.log(JSON.stringify({ afterImport, afterLoad: generated() }));
`,
      );
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(tmp, 'main.mjs')], { cwd: ROOT, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { afterImport: string[]; afterLoad: string[] };
      expect(out.afterImport).toEqual(['apis']);
      expect(out.afterLoad).toEqual(['apis', 'on_page']);
    });
  });
});

describe('matchEndpoint', () => {
  it('matches literal paths and templates, with their parameters', async () => {
    const { loadApi, matchEndpoint } = await import('./index.js');
    const onPage = await loadApi('on_page');
    const id = '07131248-1535-0216-1000-17384017ad04';
    const summary = matchEndpoint(onPage, 'GET', `on_page/summary/${id}`);
    expect(summary?.endpoint).toMatchObject({ path: 'on_page/summary/{id}', kind: 'task_get', type: 'on_page', fn: 'summary' });
    expect(summary?.params).toEqual({ id });
    expect(matchEndpoint(onPage, 'POST', 'on_page/pages')).toMatchObject({ endpoint: { path: 'on_page/pages' }, params: {} });
    expect(matchEndpoint(onPage, 'GET', 'on_page/pages')).toBeNull();
    expect(matchEndpoint(onPage, 'GET', 'on_page/summary')).toBeNull();
    expect(matchEndpoint(onPage, 'GET', 'on_page/summary/')).toBeNull();
    expect(matchEndpoint(onPage, 'GET', `on_page/summary/${id}/extra`)).toBeNull();

    const kw = await loadApi('keywords_data');
    expect(matchEndpoint(kw, 'GET', 'keywords_data/google_ads/locations/us')).toMatchObject({
      endpoint: { path: 'keywords_data/google_ads/locations/{country}', kind: 'reference', ref: 'locations_country' },
      params: { country: 'us' },
    });
    // The literal list wins over nothing; the template needs its segment.
    expect(matchEndpoint(kw, 'GET', 'keywords_data/google_ads/locations')?.endpoint.kind).toBe('locations');
    expect(matchEndpoint(kw, 'GET', `keywords_data/google_ads/search_volume/task_get/${id}`)).toMatchObject({
      endpoint: { kind: 'task_get', type: 'keywords_data/google_ads/search_volume', fn: null },
      params: { id },
    });
    expect(matchEndpoint(kw, 'POST', 'keywords_data/google_ads/search_volume/task_post')?.endpoint.kind).toBe('task_post');
    expect(matchEndpoint(kw, 'POST', 'keywords_data/google_ads/search_volume/nope')).toBeNull();

    const serp = await loadApi('serp');
    expect(matchEndpoint(serp, 'GET', `serp/google/organic/task_get/advanced/${id}`)).toMatchObject({
      endpoint: { kind: 'task_get', type: 'serp/google/organic', fn: 'advanced' },
      params: { id },
    });
  });

  it('finds the API of a path', async () => {
    const { apiOfPath, isApiName } = await import('./index.js');
    expect(apiOfPath('merchant/google/products/task_post')).toBe('merchant');
    expect(apiOfPath('appendix')).toBe('appendix');
    expect(apiOfPath('nope/x')).toBeNull();
    expect(isApiName('ai_optimization')).toBe(true);
    expect(isApiName('traffic_analytics')).toBe(false);
  });
});
