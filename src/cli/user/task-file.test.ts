import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSeType } from '../../domain/catalog.js';
import { readCsv } from './csv.js';
import { taskKeys } from './post-state.js';
import { readTaskFile } from './task-file.js';

const organic = findSeType('google', 'organic')!;
const dir = mkdtempSync(join(tmpdir(), 'serpq-taskfile-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('readCsv', () => {
  it('reads quoted cells with commas, quotes and line breaks, and remembers where each row starts', () => {
    const rows = readCsv('keyword,tag\r\n"a, b","say ""hi"""\n"two\nlines",x\n\nlast,\n');
    expect(rows).toEqual([
      { line: 1, cells: ['keyword', 'tag'] },
      { line: 2, cells: ['a, b', 'say "hi"'] },
      { line: 3, cells: ['two\nlines', 'x'] },
      { line: 6, cells: ['last', ''] },
    ]);
  });
});

describe('readTaskFile', () => {
  it('turns plain text into keyword tasks with the command-line defaults', () => {
    const tasks = readTaskFile(file('k.txt', 'alpha\n\n  beta  \n'), organic, { location: '2840', language: 'en', priority: 2 });
    expect(tasks).toEqual([
      { line: 1, task: { keyword: 'alpha', location_code: 2840, language_code: 'en', priority: 2 } },
      { line: 3, task: { keyword: 'beta', location_code: 2840, language_code: 'en', priority: 2 } },
    ]);
  });

  it('types CSV cells by field and leaves a task its own location', () => {
    const tasks = readTaskFile(
      file('k.csv', 'keyword,location_name,depth,calculate_rectangles\n2024,"Paris,Ile-de-France,France",20,true\n'),
      organic,
      {
        location: '2840',
        language: 'English',
      },
    );
    expect(tasks[0]?.task).toEqual({
      keyword: '2024',
      location_name: 'Paris,Ile-de-France,France',
      depth: 20,
      calculate_rectangles: true,
      language_name: 'English',
    });
  });

  it('names every bad line and posts nothing', () => {
    const p = file('bad.jsonl', '{"keyword":"ok"}\n[1]\n{"keyword":\n');
    expect(() => readTaskFile(p, organic, {})).toThrow(/bad\.jsonl:2: a task must be a JSON object[\s\S]*bad\.jsonl:3: not valid JSON/);
    expect(() => readTaskFile(file('h.csv', 'word\nx\n'), organic, {})).toThrow(/h\.csv:1: a CSV needs a header row naming keyword/);
    expect(() => readTaskFile(file('n.csv', 'keyword,depth\nx,deep\n'), organic, {})).toThrow(/n\.csv:2: depth must be a number/);
  });
});

describe('taskKeys', () => {
  it('gives identical tasks different keys and keeps a key when its line moves', () => {
    const a = { keyword: 'a' };
    const b = { keyword: 'b' };
    const [k1, k2, k3] = taskKeys([a, b, { keyword: 'a' }]);
    expect(k1).not.toBe(k3);
    expect(taskKeys([b, a])).toEqual([k2, k1]);
  });
});
