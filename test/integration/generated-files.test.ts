import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openapiAvailable, openapiFile } from '../helpers/openapi.js';

/**
 * Generated files stay what their generator makes (pg-boss's `gen:manifest:check`, fastify's validator
 * integrity test): `scripts/gen-serp-schemas.ts --check` is run as a user runs it. It needs DataForSEO's
 * OpenAPI file, which lives outside the project: without it the comparison is skipped.
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
