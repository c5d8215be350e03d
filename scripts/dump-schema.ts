// Dev script: migrates a fresh SQLite database and, when a server is given, a fresh PostgreSQL schema
// with the stores' own migrate(), and writes what they produce to test/schema/{sqlite,postgres}.json
// (described by test/helpers/schema-description.ts). Run it after a deliberate migration change and
// commit the diff; `--check` compares instead of writing and exits 1 on drift.
//
//   npx tsx scripts/dump-schema.ts [--check] [--pg postgres://user@host:5432/db]
//
// PostgreSQL: --pg, else SERPQ_TEST_PG_URL; without either only SQLite is migrated, and the two
// dialects are compared with the committed postgres.json.

import { writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as prettier from 'prettier';
import {
  DUMP_COMMAND,
  KNOWN_DIALECT_DIFFERENCES,
  SCHEMA_FILES,
  type SchemaDescription,
  type SchemaDialect,
  checkDialectDifferences,
  diffDescriptions,
  migrateAndDescribe,
  readCommitted,
} from '../test/helpers/schema-description.js';

const ROOT = resolve(import.meta.dirname, '..');
const rel = (file: string) => relative(ROOT, file);

const { values } = parseArgs({
  options: { check: { type: 'boolean', default: false }, pg: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});
if (values.help) {
  console.log('usage: npx tsx scripts/dump-schema.ts [--check] [--pg postgres://...]  (PostgreSQL also from SERPQ_TEST_PG_URL)');
  process.exit(0);
}
const pgUrl = values.pg ?? (process.env.SERPQ_TEST_PG_URL || undefined);

/** The file as committed: the description as JSON, formatted the way `prettier --check` expects. */
async function render(d: SchemaDescription): Promise<string> {
  const file = SCHEMA_FILES[d.dialect];
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(JSON.stringify(d), { ...options, filepath: file });
}

const live = new Map<SchemaDialect, SchemaDescription>();
live.set('sqlite', await migrateAndDescribe('sqlite'));
if (pgUrl) live.set('postgres', await migrateAndDescribe('postgres', { pgUrl }));
else {
  const left = values.check ? 'is not checked' : 'is left as committed';
  console.log(`PostgreSQL skipped (set SERPQ_TEST_PG_URL or pass --pg URL): ${rel(SCHEMA_FILES.postgres)} ${left}`);
}

let failed = false;
for (const [dialect, description] of live) {
  const file = rel(SCHEMA_FILES[dialect]);
  const drift = diffDescriptions(readCommitted(dialect), description);
  if (values.check) {
    if (drift.length === 0) {
      console.log(`${file}: up to date`);
    } else {
      failed = true;
      console.error(`${file} differs from what the ${dialect} migrations produce (- committed, + migrated):`);
      for (const line of drift) console.error(`  ${line}`);
    }
  } else {
    writeFileSync(SCHEMA_FILES[dialect], await render(description));
    const tables = Object.keys(description.tables).length;
    console.log(`wrote ${file}: ${tables} tables, ${drift.length === 0 ? 'unchanged' : `${drift.length} changed lines`}`);
  }
}

// The dialects against each other: a live PostgreSQL description when there is one, else the committed one.
const postgres = live.get('postgres') ?? readCommitted('postgres');
if (postgres) {
  const { unexpected, stale } = checkDialectDifferences(live.get('sqlite')!, postgres);
  if (unexpected.length > 0 || stale.length > 0) {
    failed = true;
    console.error('The dialects disagree beyond KNOWN_DIALECT_DIFFERENCES (test/helpers/schema-description.ts):');
    for (const d of unexpected) console.error(`  not listed: ${d}`);
    for (const d of stale) console.error(`  listed but gone: ${d}`);
    console.error('Fix the migration of the dialect that is behind, or list a deliberate difference with its reason.');
  } else {
    const known = Object.keys(KNOWN_DIALECT_DIFFERENCES).length;
    console.log(`dialects agree but for the ${known} known differences${live.has('postgres') ? '' : ' (PostgreSQL as committed)'}`);
  }
} else {
  console.log(`no ${rel(SCHEMA_FILES.postgres)}: the dialects were not compared`);
}

if (failed) {
  if (values.check)
    console.error(`After a deliberate migration change run \`${DUMP_COMMAND}\` (with SERPQ_TEST_PG_URL set) and commit the files.`);
  process.exit(1);
}
