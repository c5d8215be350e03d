import { closeSync, fstatSync, mkdirSync, openSync, readSync, readdirSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultFunction } from '../../domain/catalog.js';
import { findSeType } from '../../domain/catalog.js';
import { type Cassette, CassetteError, type MatchField, RESULT_FUNCTIONS, cassetteFile, cassetteLine, matchKey } from './cassette.js';
import {
  type AnyCassette,
  type CatalogCassette,
  catalogCassetteFile,
  catalogCassetteLine,
  catalogMatchKey,
  isCatalogCassette,
  parseAnyCassetteLine,
} from './catalog-cassette.js';

/**
 * A cassette folder: every `*.jsonl` file in it (SERP's engine's cassettes and the other APIs'
 * alike, told apart by their lines), indexed at open by match key. The index holds only
 * where each line is (file, offset, length, which functions it has), so a lookup costs one map
 * read whatever the number of cassettes, and a hit reads its one line (the last few hundred read
 * stay parsed). Lines appended by this process are kept as values; lines other processes append
 * are picked up on a miss, at most once a second.
 */
export { CassetteError };

export interface CassetteLibrary {
  readonly dir: string;
  /** Cassettes indexed. */
  size(): number;
  /** The newest cassette for the key that has `fn` (any function when omitted), or null. */
  find(key: string, fn?: ResultFunction): Cassette | null;
  /** Whether `find` would find one, without reading it. */
  has(key: string, fn?: ResultFunction): boolean;
  /** The newest cassette of another API for the key (`catalogMatchKey`), or null. */
  findCatalog(key: string): CatalogCassette | null;
  hasCatalog(key: string): boolean;
  /**
   * Appends a cassette to its file (an engine and type's, another API's path's): one write, so a
   * crash never leaves half a line.
   */
  append(c: AnyCassette): void;
  close(): void;
}

interface Entry {
  /** Bit per function in RESULT_FUNCTIONS order. */
  readonly fns: number;
  readonly file?: number;
  readonly offset?: number;
  readonly length?: number;
  readonly value?: AnyCassette;
}

interface IndexedFile {
  readonly path: string;
  readonly fd: number;
  /** Bytes indexed (complete lines). */
  scanned: number;
  lines: number;
}

const fnBits = (results: Readonly<Record<string, unknown>>): number =>
  RESULT_FUNCTIONS.reduce((bits, fn, i) => (results[fn] !== undefined ? bits | (1 << i) : bits), 0);

const CHUNK = 8 << 20;
const PARSED_KEPT = 512;

/** Opens (and indexes) a cassette folder; `create` makes it when missing (record mode), else it must exist. */
export function openCassettes(dir: string, match: readonly MatchField[], options: { create?: boolean } = {}): CassetteLibrary {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    if (options.create) {
      mkdirSync(dir, { recursive: true });
      isDir = true;
    }
  }
  if (!isDir) throw new CassetteError(`the cassette folder ${dir} does not exist`);

  const files: IndexedFile[] = [];
  const byPath = new Map<string, IndexedFile>();
  const index = new Map<string, Entry[]>();
  const parsed = new Map<Entry, AnyCassette>();
  let count = 0;
  let lastRefresh = Date.now();

  function add(key: string, entry: Entry): void {
    const list = index.get(key);
    // Newest first: a later line of the same request wins.
    if (list) list.unshift(entry);
    else index.set(key, [entry]);
    count++;
  }

  /** Indexes the complete lines of a file past what was scanned. */
  function scan(f: IndexedFile, fileNo: number): void {
    const size = fstatSync(f.fd).size;
    let carry = Buffer.alloc(0);
    let pos = f.scanned;
    while (pos < size) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, size - pos));
      const n = readSync(f.fd, chunk, 0, chunk.length, pos);
      if (n <= 0) break;
      const buf = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      const base = pos - carry.length;
      pos += n;
      let start = 0;
      for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
        f.lines++;
        const text = buf.toString('utf8', start, nl);
        if (text.trim() !== '') indexLine(f, fileNo, text, base + start, nl - start);
        start = nl + 1;
      }
      carry = Buffer.from(buf.subarray(start));
      f.scanned = base + start;
    }
  }

  function indexLine(f: IndexedFile, fileNo: number, text: string, offset: number, length: number): void {
    const c = parseAnyCassetteLine(text, `${f.path}:${f.lines}`);
    // Another API's path is checked against its catalog when a call looks it up (loaded on first use).
    if (isCatalogCassette(c)) return add(catalogMatchKey(c.path, c.request, match), { fns: 0, file: fileNo, offset, length });
    if (!findSeType(c.se, c.se_type)) throw new CassetteError(`${f.path}:${f.lines}: unknown engine and type ${c.se}/${c.se_type}`);
    add(matchKey(c.se, c.se_type, c.request, match), { fns: fnBits(c.results), file: fileNo, offset, length });
  }

  function openFile(path: string): IndexedFile {
    const f: IndexedFile = { path, fd: openSync(path, 'r'), scanned: 0, lines: 0 };
    files.push(f);
    byPath.set(path, f);
    return f;
  }

  function scanFolder(): void {
    for (const name of readdirSync(dir)
      .filter((n) => n.endsWith('.jsonl'))
      .sort()) {
      const path = join(dir, name);
      const f = byPath.get(path) ?? openFile(path);
      scan(f, files.indexOf(f));
    }
  }

  function read(entry: Entry): AnyCassette {
    if (entry.value) return entry.value;
    const kept = parsed.get(entry);
    if (kept) {
      parsed.delete(entry);
      parsed.set(entry, kept);
      return kept;
    }
    const f = files[entry.file!]!;
    const buf = Buffer.allocUnsafe(entry.length!);
    readSync(f.fd, buf, 0, entry.length!, entry.offset!);
    const c = JSON.parse(buf.toString('utf8')) as AnyCassette;
    parsed.set(entry, c);
    if (parsed.size > PARSED_KEPT) parsed.delete(parsed.keys().next().value!);
    return c;
  }

  try {
    scanFolder();
  } catch (err) {
    for (const f of files) closeSync(f.fd);
    throw err;
  }

  function lookup(key: string, fn?: ResultFunction): Entry | undefined {
    const list = index.get(key);
    if (!fn) return list?.[0];
    const bit = 1 << RESULT_FUNCTIONS.indexOf(fn);
    return list?.find((e) => (e.fns & bit) !== 0);
  }

  /** A lookup; on a miss, lines other processes appended are indexed first (at most once a second). */
  function lookupFresh(key: string, fn?: ResultFunction): Entry | undefined {
    const entry = lookup(key, fn);
    if (entry || Date.now() - lastRefresh < 1000) return entry;
    lastRefresh = Date.now();
    try {
      scanFolder();
    } catch {
      // A malformed line another process wrote: the cassettes indexed so far still answer.
    }
    return lookup(key, fn);
  }

  return {
    dir,
    size: () => count,
    find(key, fn) {
      const entry = lookupFresh(key, fn);
      return entry ? (read(entry) as Cassette) : null;
    },
    has: (key, fn) => lookupFresh(key, fn) !== undefined,
    findCatalog(key) {
      const entry = lookupFresh(key);
      return entry ? (read(entry) as CatalogCassette) : null;
    },
    hasCatalog: (key) => lookupFresh(key) !== undefined,
    append(c) {
      const catalog = isCatalogCassette(c);
      const path = join(dir, catalog ? catalogCassetteFile(c.path) : cassetteFile(c.se, c.se_type));
      const line = (catalog ? catalogCassetteLine(c) : cassetteLine(c)) + '\n';
      const fd = openSync(path, 'a');
      try {
        writeSync(fd, line);
      } finally {
        closeSync(fd);
      }
      const f = byPath.get(path) ?? openFile(path);
      // Our own line is indexed now, as a value; the file's scan skips past it only when nothing
      // else was appended in between (else the next scan indexes both, which finds the same value).
      const size = fstatSync(f.fd).size;
      const written = Buffer.byteLength(line);
      if (f.scanned === size - written) {
        f.scanned = size;
        f.lines++;
      }
      if (catalog) add(catalogMatchKey(c.path, c.request, match), { fns: 0, value: c });
      else add(matchKey(c.se, c.se_type, c.request, match), { fns: fnBits(c.results), value: c });
    },
    close() {
      for (const f of files) closeSync(f.fd);
      files.length = 0;
    },
  };
}
