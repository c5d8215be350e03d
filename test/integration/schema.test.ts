import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, pgSkipNote } from '../helpers/dialects.js';
import {
  DUMP_COMMAND,
  type SchemaDescription,
  type SchemaDialect,
  checkDialectDifferences,
  diffDescriptions,
  migrateAndDescribe,
  readCommitted,
} from '../helpers/schema-description.js';

/**
 * The schema the migrations produce, against the committed description in test/schema/ (graphile-worker's
 * committed schema dump): a migration that changes the schema fails here until the description is
 * regenerated and the diff reviewed. Both dialects are also held to the same tables and columns.
 */

pgSkipNote();

const PG_URL = process.env.SERPQ_TEST_PG_URL || undefined;

function hint(dialect: SchemaDialect): string {
  const env = dialect === 'postgres' ? ' with SERPQ_TEST_PG_URL set' : '';
  return (
    `the ${dialect} migrations no longer produce test/schema/${dialect}.json (- committed, + migrated). ` +
    `After a deliberate migration change run \`${DUMP_COMMAND}\`${env} and commit the diff`
  );
}

const DIFFERENCES_HINT =
  'the dialects differ beyond KNOWN_DIALECT_DIFFERENCES (test/helpers/schema-description.ts): ' +
  'bring the dialect that is behind up to date, or list a deliberate difference with its reason and run `npx tsx scripts/dump-schema.ts`';

describe('schema description', () => {
  const live = new Map<SchemaDialect, SchemaDescription>();

  beforeAll(async () => {
    for (const dialect of DIALECTS) live.set(dialect, await migrateAndDescribe(dialect, { pgUrl: PG_URL }));
  });

  for (const dialect of DIALECTS) {
    it(`the ${dialect} migrations produce test/schema/${dialect}.json`, () => {
      expect(diffDescriptions(readCommitted(dialect), live.get(dialect)!), hint(dialect)).toEqual([]);
    });
  }

  it('both dialects have the same tables, columns and indexes, but for the listed differences', () => {
    // Without a server, SQLite is held to the committed PostgreSQL description (checked above when there is one).
    const postgres = live.get('postgres') ?? readCommitted('postgres');
    expect(postgres, 'test/schema/postgres.json is missing').toBeDefined();
    expect(checkDialectDifferences(live.get('sqlite')!, postgres!), DIFFERENCES_HINT).toEqual({ unexpected: [], stale: [] });
  });

  for (const dialect of DIALECTS) {
    it(`a column only the ${dialect} schema has is caught, by both checks`, async () => {
      const drifted = await migrateAndDescribe(dialect, { pgUrl: PG_URL, extraSql: 'ALTER TABLE tasks ADD COLUMN drift_probe TEXT' });
      expect(diffDescriptions(readCommitted(dialect), drifted)).toEqual([
        '+ column tasks.drift_probe: {"type":"text","sqlType":"text","nullable":true}',
      ]);
      const other = dialect === 'sqlite' ? readCommitted('postgres')! : live.get('sqlite')!;
      const { unexpected } = dialect === 'sqlite' ? checkDialectDifferences(drifted, other) : checkDialectDifferences(other, drifted);
      expect(unexpected).toEqual([`column tasks.drift_probe: ${dialect} only`]);
    });
  }
});
