import type { Command } from 'commander';
import { UPSTREAM_URL_SETTING, openStore } from '../app.js';
import { ConfigError, loadConfig } from '../config.js';
import { parseDateTime } from '../domain/time-format.js';
import { typeOfTask } from '../domain/api-catalog/tasks.js';
import { readImportFile, writeCassettes } from '../executors/replay/cassette-files.js';
import { type AnyCassette, TASK_GET, taskGetCassettePath } from '../executors/replay/catalog-cassette.js';
import { catalogCassetteOf, cassetteOf } from '../executors/replay/recorder.js';
import type { StoredResultsRow } from '../store/store.js';
import { decodeResult } from '../store/stored-result.js';

/**
 * `serpq cassettes export` and `serpq cassettes import`: real results of every API as cassette files
 * (SERP's by engine and type, the other APIs' by endpoint path).
 */
export function addCassetteCommands(program: Command, fail: (err: unknown) => never): void {
  const cassettes = program.command('cassettes').description('record and replay: write cassettes from stored results or saved responses');

  cassettes
    .command('export')
    .description('write the stored real results of every API (from the relay) as cassettes')
    .requiredOption('--out <dir>', 'cassette folder to write (created when missing)')
    .option('--db <db>', 'database (SERPQ_DB)')
    .option('--since <date>', 'only results completed at or after this date (e.g. 2026-11-01 or 2026-11-01T12:00:00Z)')
    .option('--account <login>', "only this account's tasks")
    .option('--source <text>', "the cassettes' source (default: the relay's upstream URL, as recorded with --record)")
    .action(async (flags: { out: string; db?: string; since?: string; account?: string; source?: string }) => {
      try {
        const config = loadConfig(process.env, { db: flags.db });
        const since = flags.since === undefined ? 0 : parseSince(flags.since);
        const store = await openStore(config.db);
        try {
          await store.migrate();
          let accountId: number | undefined;
          if (flags.account !== undefined) {
            const account = await store.accountByLogin(flags.account);
            if (!account) throw new ConfigError([`--account: no account '${flags.account}'`]);
            accountId = account.id;
          }
          // The stored results are the relay's upstream's: the cassettes name it, as a recording does.
          const source = flags.source ?? (await store.getSetting(UPSTREAM_URL_SETTING)) ?? 'export';
          const found: AnyCassette[] = [];
          let after: { completedAt: number; id: string } | undefined;
          for (;;) {
            const page = await store.storedResults({ since, accountId, after, limit: 500 });
            for (const row of page) found.push(...(await cassettesOfRow(row, source)));
            if (page.length < 500) break;
            const last = page[page.length - 1]!;
            after = { completedAt: last.completedAt, id: last.id };
          }
          const { files } = writeCassettes(flags.out, found);
          console.log(`exported ${found.length} results to ${flags.out}${files.length ? ` (${files.join(', ')})` : ''}`);
        } finally {
          await store.close();
        }
      } catch (err) {
        fail(err);
      }
    });

  cassettes
    .command('import <files...>')
    .description('add cassettes from cassette files, or task_get and live responses of any API saved from the vendor')
    .option('--cassettes <dir>', 'cassette folder to add to (SERPQ_CASSETTES)')
    .action(async (files: string[], flags: { cassettes?: string }) => {
      try {
        const dir = flags.cassettes ?? process.env.SERPQ_CASSETTES;
        if (!dir) throw new ConfigError(['cassettes (SERPQ_CASSETTES): name the cassette folder with --cassettes DIR']);
        const all: AnyCassette[] = [];
        for (const file of files) {
          const got = await readImportFile(file, Date.now());
          for (const s of got.skipped) console.error(`serpq: ${file}: skipped task ${s}`);
          console.log(
            `${file}: ${got.cassettes.length} ${got.format === 'cassettes' ? 'cassettes' : 'results from task_get and live responses'}`,
          );
          all.push(...got.cassettes);
        }
        const { files: written } = writeCassettes(dir, all);
        console.log(`imported ${all.length} results into ${dir}${written.length ? ` (${written.join(', ')})` : ''}`);
      } catch (err) {
        fail(err);
      }
    });
}

/** The cassettes of a stored task: SERP's one with its functions, another API's one per task_get function. */
async function cassettesOfRow(row: StoredResultsRow, source: string): Promise<AnyCassette[]> {
  if (row.api === 'serp') {
    const results: Record<string, unknown> = {};
    for (const r of row.results) results[r.fn] = decodeResult(r.body);
    const c = cassetteOf(row, results, row.completedAt, source);
    return c ? [c] : [];
  }
  const type = typeOfTask(row.api, row.se, row.seType);
  const params = JSON.parse(row.data) as Record<string, unknown>;
  const out: AnyCassette[] = [];
  for (const r of row.results) {
    const value = decodeResult(r.body);
    if (!Array.isArray(value)) continue;
    const path = taskGetCassettePath(type, r.fn === TASK_GET ? null : r.fn);
    const c = await catalogCassetteOf({ api: row.api, path, params }, value, row.completedAt, source);
    if (c) out.push(c);
  }
  return out;
}

function parseSince(v: string): number {
  const vendor = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{2}:\d{2}$/.test(v) ? parseDateTime(v) : null;
  const ms = vendor ?? Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  if (ms === null || !Number.isFinite(ms)) throw new ConfigError([`--since: expected a date such as 2026-11-01, got '${v}'`]);
  return ms;
}
