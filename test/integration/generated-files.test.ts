import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openapiAvailable, openapiFile } from '../helpers/openapi.js';

/**
 * Generated files stay what their generator makes (pg-boss's `gen:manifest:check`, fastify's validator
 * integrity test): `scripts/gen-serp-schemas.ts --check` and `scripts/gen-catalog.ts --check` are run as
 * a user runs them. They need DataForSEO's OpenAPI files, which live outside the project: without them
 * the comparison is skipped.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SCHEMA_DATA = join(ROOT, 'src/executors/sandbox/schema-data.ts');

function genSchemas(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/gen-serp-schemas.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe.skipIf(!openapiAvailable())('src/executors/sandbox/schema-data.ts', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'serpq-gen-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('is what scripts/gen-serp-schemas.ts makes of the vendor file', () => {
    const r = genSchemas('--check', openapiFile());
    expect(r.code, `${r.out}\nrun \`npx tsx scripts/gen-serp-schemas.ts\` and commit the result`).toBe(0);
    expect(r.out).toContain('up to date');
  });

  it('--check fails on a hand edit and says how to regenerate', () => {
    const edited = join(tmp, 'schema-data.ts');
    const committed = readFileSync(SCHEMA_DATA, 'utf8');
    const text = committed.replace("{ t: 'string' }", "{ t: 'integer' }");
    expect(text).not.toBe(committed);
    writeFileSync(edited, text);
    const r = genSchemas('--check', '--out', edited, openapiFile());
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/schema-data\.ts differs from what the generator makes of .*: run `npx tsx scripts\/gen-serp-schemas\.ts/);
  });
});

it('the generator check is skipped, not failed, when the vendor file is absent', () => {
  const r = genSchemas('--check', join(tmpdir(), 'serpq-no-such-dir', 'openapi-serp.yaml'));
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/check skipped, the vendor file .* is absent/);
});

/* The catalog of every API: scripts/gen-catalog.ts over openapi-full.yaml and the official client. */

const CATALOG_DIR = join(ROOT, 'src/domain/api-catalog/generated');
const FULL_OPENAPI = resolve(process.env.SERPQ_OPENAPI_FULL_FILE || join(ROOT, '../shared/dataforseo/openapi-full.yaml'));

function genCatalog(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/gen-catalog.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe.skipIf(!existsSync(FULL_OPENAPI))('src/domain/api-catalog/generated', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'serpq-catalog-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('is what scripts/gen-catalog.ts makes of the vendor files', () => {
    const r = genCatalog('--check', FULL_OPENAPI);
    expect(r.code, `${r.out}\nrun \`npm run gen:catalog\` and commit the result`).toBe(0);
    expect(r.out).toContain('up to date');
  });

  it('--check fails on a hand edit and says how to regenerate', () => {
    const edited = join(tmp, 'generated');
    cpSync(CATALOG_DIR, edited, { recursive: true });
    const file = join(edited, 'backlinks.ts');
    const committed = readFileSync(file, 'utf8');
    const text = committed.replace('"required":true', '"required":false');
    expect(text).not.toBe(committed);
    writeFileSync(file, text);
    const r = genCatalog('--check', '--out', edited, FULL_OPENAPI);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/backlinks\.ts differs from what the generator makes of .*: run `npx tsx scripts\/gen-catalog\.ts/);
  });
});

it('the catalog check is skipped, not failed, when the vendor file is absent', () => {
  const r = genCatalog('--check', join(tmpdir(), 'serpq-no-such-dir', 'openapi-full.yaml'));
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/check skipped, the vendor file .* is absent/);
});
