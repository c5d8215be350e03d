import { describe, expect, it } from 'vitest';
import {
  GrammarError,
  MAX_FILTER_CONDITIONS,
  compileFilter,
  compileOrder,
  compileRegex,
  parseFilters,
  parseOrderBy,
  valueAt,
  type FilterNode,
} from './filters.js';

const cond = (i: number) => ['keyword_info.search_volume', '>', i];

describe('parseFilters', () => {
  it('reads a bare condition, a wrapped one, and no filter', () => {
    expect(parseFilters(['keyword_info.search_volume', '>', 0])).toEqual({
      ok: true,
      value: { kind: 'cond', field: 'keyword_info.search_volume', path: ['keyword_info', 'search_volume'], op: '>', value: 0 },
    });
    // The vendor's whois example wraps a lone condition: [["epp_status_codes","in",[…]]].
    const wrapped = parseFilters([['epp_status_codes', 'in', ['client_transfer_prohibited', 'client_update_prohibited']]]);
    expect(wrapped.ok && wrapped.value).toMatchObject({
      kind: 'cond',
      op: 'in',
      value: ['client_transfer_prohibited', 'client_update_prohibited'],
    });
    expect(parseFilters(undefined)).toEqual({ ok: true, value: null });
    expect(parseFilters(null)).toEqual({ ok: true, value: null });
    expect(parseFilters([])).toEqual({ ok: true, value: null });
  });

  it('reads the documented nested and/or examples, "and" binding tighter than "or"', () => {
    // From the Labs keyword_suggestions description in the vendor's OpenAPI file.
    const r = parseFilters([
      ['keyword_data.keyword_info.search_volume', '>', 100],
      'and',
      [['keyword_data.keyword_info.cpc', '<', 0.5], 'or', ['keyword_info.high_top_of_page_bid', '<=', 0.5]],
    ]);
    expect(r.ok).toBe(true);
    const node = (r as { value: FilterNode }).value;
    expect(node.kind).toBe('and');
    expect(node.kind !== 'cond' && node.nodes.map((n) => n.kind)).toEqual(['cond', 'or']);

    const flat = parseFilters([cond(1), 'or', cond(2), 'and', cond(3)]);
    expect(flat.ok && flat.value).toMatchObject({
      kind: 'or',
      nodes: [
        { kind: 'cond', value: 1 },
        { kind: 'and', nodes: [{ value: 2 }, { value: 3 }] },
      ],
    });
  });

  it('allows 8 conditions and refuses a ninth, however nested', () => {
    const eight: unknown[] = [cond(0)];
    for (let i = 1; i < MAX_FILTER_CONDITIONS; i++) eight.push('and', cond(i));
    expect(parseFilters(eight).ok).toBe(true);
    expect(parseFilters([...eight, 'or', cond(8)]).ok).toBe(false);
    expect(parseFilters([[eight.slice(0, 9), 'and', eight.slice(0, 9)], 'or', [cond(1)]]).ok).toBe(false);
    // Nesting alone is bounded.
    let deep: unknown = cond(1);
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(parseFilters(deep).ok).toBe(false);
  });

  it.each([
    ['not an array', 'keyword,>,0'],
    ['a condition of two', ['keyword', '=']],
    ['a condition of four', ['keyword', '=', 'a', 'b']],
    ['an unknown operator', ['keyword', '==', 'a']],
    ['an upper-case operator', ['keyword', 'LIKE', '%a%']],
    ['a bad field', ['keyword info', '=', 'a']],
    ['an empty field', ['', '=', 'a']],
    ['a bad logical operator', [cond(1), 'xor', cond(2)]],
    ['a missing logical operator', [cond(1), cond(2)]],
    ['a dangling logical operator', [cond(1), 'and']],
    ['an empty group', [cond(1), 'and', []]],
    ['in with a scalar', ['keyword_info.search_volume', 'in', 10]],
    ['in with an empty array', ['keyword_info.search_volume', 'in', []]],
    ['in with an object', ['keyword_info.search_volume', 'in', [{}]]],
    ['like with a number', ['keyword', 'like', 5]],
    ['< with a boolean', ['keyword_info.search_volume', '<', true]],
    ['= with an object', ['keyword', '=', { a: 1 }]],
    ['match without words', ['keyword', 'match', ' - ']],
    ['an invalid regex', ['keyword', 'regex', '(unclosed']],
    ['a regex over 1000 characters', ['keyword', 'regex', 'a'.repeat(1001)]],
    ['a catastrophic regex', ['keyword', 'regex', '(a+)+$']],
  ])('refuses %s', (_label, raw) => {
    expect(parseFilters(raw).ok).toBe(false);
  });

  it('asks isField about every field', () => {
    const known = new Set(['keyword', 'keyword_info.search_volume']);
    const isField = (f: string) => known.has(f);
    expect(parseFilters([['keyword', 'like', '%a%'], 'and', cond(1)], { isField }).ok).toBe(true);
    expect(parseFilters([['keyword', 'like', '%a%'], 'and', ['etv', '>', 1]], { isField }).ok).toBe(false);
  });
});

describe('compileRegex', () => {
  it('takes RE2 patterns: a leading flag group, named groups', () => {
    expect(compileRegex('(how|what|when)')?.test('how to cook')).toBe(true);
    expect(compileRegex('(?i)^SEO')?.test('seo tools')).toBe(true);
    expect(compileRegex('^seo')?.test('SEO tools')).toBe(false);
    expect(compileRegex('(?P<word>\\w+) tools')?.test('seo tools')).toBe(true);
    expect(compileRegex('\\Aseo\\z')?.test('seo')).toBe(true);
    expect(compileRegex('\\Aseo\\z')?.test('seo!')).toBe(false);
    expect(compileRegex('[a-z]+\\d{2,3}')?.test('abc12')).toBe(true);
    expect(compileRegex('(ab)+c')?.test('ababc')).toBe(true);
  });

  it('refuses what RE2 rejects and what would backtrack catastrophically', () => {
    for (const p of ['(a)\\1', '(?=a)', '(?!a)', '(?<=a)b', '(?<!a)b', 'a(?i)b', '*a', 'a**', '(a', 'a)', '[a', '']) {
      expect(compileRegex(p), p).toBeNull();
    }
    for (const p of ['(a+)+$', '(a*)*b', '(\\w+\\s?)*$', '(a|aa)+$', '((a+))+', '(x+x+)+y', '(a{2,})*']) {
      expect(compileRegex(p), p).toBeNull();
    }
    // A repeated group of fixed width, an optional alternation: fine.
    expect(compileRegex('(ab){2}')).not.toBeNull();
    expect(compileRegex('(com|net)?$')).not.toBeNull();
  });
});

describe('compileFilter', () => {
  const items = [
    { keyword: 'best seo tools', keyword_info: { search_volume: 1000, cpc: 2.5, competition_level: 'HIGH' }, tags: ['a', 'b'] },
    { keyword: 'SEO Audit', keyword_info: { search_volume: 50, cpc: 0.3, competition_level: 'LOW' }, tags: ['c'] },
    { keyword: 'cheap phone', keyword_info: { search_volume: 0, cpc: null, competition_level: 'LOW' }, tags: [] },
    { keyword: 'phone case 100%', keyword_info: null },
    { keyword: 'smartphone', keyword_info: { search_volume: '250', cpc: 1 } },
  ] as Record<string, unknown>[];
  const pick = (filters: unknown) => items.filter(compileFilter(filters)).map((i) => i.keyword);

  it('compares numbers, numeric strings and strings', () => {
    expect(pick(['keyword_info.search_volume', '>', 100])).toEqual(['best seo tools', 'smartphone']);
    expect(pick(['keyword_info.search_volume', '<=', 50])).toEqual(['SEO Audit', 'cheap phone']);
    expect(pick(['keyword_info.search_volume', '=', 250])).toEqual(['smartphone']);
    expect(pick(['keyword_info.competition_level', '=', 'LOW'])).toEqual(['SEO Audit', 'cheap phone']);
    expect(pick(['keyword', '>=', 'smart'])).toEqual(['smartphone']);
  });

  it('treats a missing or null field as failing every condition but "= null"', () => {
    expect(pick(['keyword_info.cpc', '<', 1])).toEqual(['SEO Audit']);
    expect(pick(['keyword_info.cpc', '<>', 1])).toEqual(['best seo tools', 'SEO Audit']);
    expect(pick(['keyword_info.cpc', 'not_in', [1]])).toEqual(['best seo tools', 'SEO Audit']);
    expect(pick(['keyword_info.cpc', '=', null])).toEqual(['cheap phone', 'phone case 100%']);
    expect(pick(['keyword_info.cpc', '<>', null])).toEqual(['best seo tools', 'SEO Audit', 'smartphone']);
    expect(pick(['nope.nothing', 'not_like', '%x%'])).toEqual([]);
  });

  it('in / not_in are set membership; array fields match on any element', () => {
    expect(pick(['keyword_info.search_volume', 'in', [0, 50]])).toEqual(['SEO Audit', 'cheap phone']);
    expect(pick(['keyword_info.competition_level', 'not_in', ['HIGH']])).toEqual(['SEO Audit', 'cheap phone']);
    expect(pick(['tags', 'in', ['b', 'c']])).toEqual(['best seo tools', 'SEO Audit']);
    expect(pick(['tags', 'has', 'a'])).toEqual(['best seo tools']);
    expect(pick(['tags', 'has_not', 'a'])).toEqual(['SEO Audit', 'cheap phone']);
  });

  it('like is anchored with % wildcards and case-sensitive; ilike ignores case', () => {
    expect(pick(['keyword', 'like', '%seo%'])).toEqual(['best seo tools']);
    expect(pick(['keyword', 'ilike', '%seo%'])).toEqual(['best seo tools', 'SEO Audit']);
    expect(pick(['keyword', 'like', 'seo'])).toEqual([]);
    expect(pick(['keyword', 'like', 'cheap%'])).toEqual(['cheap phone']);
    expect(pick(['keyword', 'like', '%phone'])).toEqual(['cheap phone', 'smartphone']);
    expect(pick(['keyword', 'like', 's%a%t%e'])).toEqual(['smartphone']);
    expect(pick(['keyword', 'like', '%100%%'])).toEqual(['phone case 100%']);
    expect(pick(['keyword', 'not_ilike', '%seo%'])).toEqual(['cheap phone', 'phone case 100%', 'smartphone']);
    expect(pick(['keyword', 'like', '_heap phone'])).toEqual([]); // only % is a wildcard
  });

  it('match is a whole-word search; regex searches anywhere', () => {
    expect(pick(['keyword', 'match', 'phone'])).toEqual(['cheap phone', 'phone case 100%']);
    expect(pick(['keyword', 'match', 'SEO tools'])).toEqual(['best seo tools']);
    expect(pick(['keyword', 'not_match', 'phone'])).toEqual(['best seo tools', 'SEO Audit', 'smartphone']);
    expect(pick(['keyword', 'regex', '(best|cheap) '])).toEqual(['best seo tools', 'cheap phone']);
    expect(pick(['keyword', 'regex', '(?i)^seo'])).toEqual(['SEO Audit']);
    expect(pick(['keyword', 'not_regex', 'phone$'])).toEqual(['best seo tools', 'SEO Audit', 'phone case 100%']);
  });

  it('combines and / or, nested', () => {
    expect(
      pick([
        ['keyword_info.search_volume', '>', 10],
        'and',
        [['keyword_info.cpc', '<', 0.5], 'or', ['keyword_info.competition_level', '=', 'HIGH']],
      ]),
    ).toEqual(['best seo tools', 'SEO Audit']);
    expect(pick([['keyword', 'like', 'cheap%'], 'or', ['keyword', 'like', 'best%'], 'and', ['keyword_info.cpc', '>', 100]])).toEqual([
      'cheap phone',
    ]);
  });

  it('accepts a parsed filter, keeps everything without one, and throws on a bad one', () => {
    const parsed = parseFilters(['keyword', 'ilike', 'seo%']);
    expect(parsed.ok && items.filter(compileFilter(parsed.value)).length).toBe(1);
    expect(items.filter(compileFilter(undefined))).toHaveLength(items.length);
    expect(items.filter(compileFilter([]))).toHaveLength(items.length);
    expect(() => compileFilter(['keyword', 'sounds_like', 'x'])).toThrow(GrammarError);
  });

  it('runs a refused catastrophic pattern never, and an accepted one fast', () => {
    expect(() => compileFilter(['keyword', 'regex', '(a+)+$'])).toThrow(GrammarError);
    const f = compileFilter(['keyword', 'regex', 'a+b?$']);
    const started = Date.now();
    expect(f({ keyword: 'a'.repeat(5000) + '!' })).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('order_by', () => {
  it('parses up to three "field,asc|desc" rules', () => {
    expect(parseOrderBy(['keyword_info.search_volume,desc', 'keyword, asc'])).toEqual({
      ok: true,
      value: [
        { field: 'keyword_info.search_volume', path: ['keyword_info', 'search_volume'], direction: 'desc' },
        { field: 'keyword', path: ['keyword'], direction: 'asc' },
      ],
    });
    expect(parseOrderBy(undefined)).toEqual({ ok: true, value: [] });
    expect(parseOrderBy([])).toEqual({ ok: true, value: [] });
    for (const bad of [
      'rank,desc',
      ['a,asc', 'b,asc', 'c,asc', 'd,asc'],
      ['rank'],
      ['rank,down'],
      ['rank,DESC'],
      ['rank,desc,asc'],
      [',desc'],
      [5],
    ]) {
      expect(parseOrderBy(bad).ok, JSON.stringify(bad)).toBe(false);
    }
    expect(parseOrderBy(['etv,desc'], { isField: (f) => f !== 'etv' }).ok).toBe(false);
  });

  it('sorts by the rules in order, missing values last either way, stably', () => {
    const rows = [
      { id: 1, v: 10, k: 'b' },
      { id: 2, v: null, k: 'a' },
      { id: 3, v: 30, k: 'a' },
      { id: 4, v: 10, k: 'a' },
      { id: 5, k: 'c' },
      { id: 6, v: 10, k: 'a' },
    ] as Record<string, unknown>[];
    const ids = (orderBy: unknown) => [...rows].sort(compileOrder(orderBy)).map((r) => r.id);
    expect(ids(['v,asc'])).toEqual([1, 4, 6, 3, 2, 5]);
    expect(ids(['v,desc'])).toEqual([3, 1, 4, 6, 2, 5]);
    expect(ids(['v,desc', 'k,asc'])).toEqual([3, 4, 6, 1, 2, 5]);
    expect(ids(['k,desc', 'v,asc'])).toEqual([5, 1, 4, 6, 3, 2]);
    expect(ids([])).toEqual([1, 2, 3, 4, 5, 6]);
    const parsed = parseOrderBy(['v,asc']);
    expect(parsed.ok && [...rows].sort(compileOrder(parsed.value)).map((r) => r.id)).toEqual([1, 4, 6, 3, 2, 5]);
    expect(() => compileOrder(['v'])).toThrow(GrammarError);
  });

  it('compares dotted numbers numerically and the vendor datetimes chronologically', () => {
    const rows = [
      { m: { etv: 9 }, d: '2021-02-15 01:00:00 +00:00' },
      { m: { etv: 100 }, d: '2019-11-15 12:57:46 +00:00' },
      { m: { etv: 20.5 }, d: '2020-01-01 00:00:00 +00:00' },
    ] as Record<string, unknown>[];
    expect([...rows].sort(compileOrder(['m.etv,desc'])).map((r) => valueAt(r, ['m', 'etv']))).toEqual([100, 20.5, 9]);
    expect([...rows].sort(compileOrder(['d,asc'])).map((r) => r.d)).toEqual([
      '2019-11-15 12:57:46 +00:00',
      '2020-01-01 00:00:00 +00:00',
      '2021-02-15 01:00:00 +00:00',
    ]);
  });
});
