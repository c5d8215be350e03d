/**
 * A strict parser of the Prometheus text exposition format (0.0.4), for tests of GET /metrics: any
 * line a Prometheus server would refuse (a bad name, an unescaped label value, a sample before its
 * TYPE, a family declared twice, a duplicate series, histogram buckets not cumulative or without
 * +Inf equal to _count) throws, naming the line.
 */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Family {
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  readonly help: string;
  readonly samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SUFFIXES: Record<Family['type'], readonly string[]> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

function parseValue(text: string, where: string): number {
  // As Prometheus reads them (Go's ParseFloat): Inf and NaN in any case.
  const special = text.toLowerCase();
  if (special === '+inf' || special === 'inf') return Infinity;
  if (special === '-inf') return -Infinity;
  if (special === 'nan') return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`${where}: bad value '${text}'`);
  return Number(text);
}

/** Parses `{a="x",b="y"}` starting at `s[i] === '{'`; returns the labels and the index after `}`. */
function parseLabels(s: string, i: number, where: string): [Record<string, string>, number] {
  const labels: Record<string, string> = {};
  i++;
  for (;;) {
    if (s[i] === '}') return [labels, i + 1];
    const eq = s.indexOf('=', i);
    if (eq < 0) throw new Error(`${where}: label without '='`);
    const key = s.slice(i, eq);
    if (!LABEL.test(key)) throw new Error(`${where}: bad label name '${key}'`);
    if (key in labels) throw new Error(`${where}: label '${key}' twice`);
    if (s[eq + 1] !== '"') throw new Error(`${where}: label value not quoted`);
    let j = eq + 2;
    let value = '';
    for (;;) {
      const c = s[j];
      if (c === undefined) throw new Error(`${where}: unterminated label value`);
      if (c === '"') break;
      if (c === '\\') {
        const e = s[j + 1];
        if (e === '\\') value += '\\';
        else if (e === '"') value += '"';
        else if (e === 'n') value += '\n';
        else throw new Error(`${where}: bad escape '\\${e}'`);
        j += 2;
        continue;
      }
      if (c === '\n') throw new Error(`${where}: newline in label value`);
      value += c;
      j++;
    }
    labels[key] = value;
    i = j + 1;
    if (s[i] === ',') i++;
    else if (s[i] !== '}') throw new Error(`${where}: expected ',' or '}' after a label`);
  }
}

export function parsePrometheusText(text: string): Map<string, Family> {
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const families = new Map<string, Family & { typed: boolean }>();
  const seen = new Set<string>();
  const lines = text.slice(0, -1).split('\n');
  lines.forEach((line, n) => {
    const where = `line ${n + 1} '${line}'`;
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (!m) return; // a plain comment
      const [, kind, name, rest] = m;
      if (!NAME.test(name)) throw new Error(`${where}: bad metric name`);
      const f = families.get(name) ?? { name, type: 'untyped' as const, help: '', samples: [], typed: false };
      if (kind === 'TYPE') {
        if (!TYPES.has(rest)) throw new Error(`${where}: unknown type`);
        if (f.typed) throw new Error(`${where}: TYPE given twice`);
        if (f.samples.length > 0) throw new Error(`${where}: TYPE after samples`);
        families.set(name, { ...f, type: rest as Family['type'], typed: true });
      } else {
        families.set(name, { ...f, help: rest });
      }
      return;
    }
    const nameEnd = line.search(/[{ ]/);
    if (nameEnd <= 0) throw new Error(`${where}: no value`);
    const name = line.slice(0, nameEnd);
    if (!NAME.test(name)) throw new Error(`${where}: bad metric name`);
    let labels: Record<string, string> = {};
    let i = nameEnd;
    if (line[i] === '{') [labels, i] = parseLabels(line, i, where);
    if (line[i] !== ' ') throw new Error(`${where}: expected a space before the value`);
    const parts = line.slice(i + 1).split(' ');
    if (parts.length > 2 || (parts.length === 2 && !/^-?\d+$/.test(parts[1]))) throw new Error(`${where}: bad value or timestamp`);
    const value = parseValue(parts[0], where);
    const family = [...families.values()].find((f) => SUFFIXES[f.type].some((s) => f.name + s === name));
    if (!family) throw new Error(`${where}: sample of no declared family`);
    if (family.type === 'histogram' && name.endsWith('_bucket') && !('le' in labels)) throw new Error(`${where}: bucket without le`);
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seen.has(key)) throw new Error(`${where}: duplicate series`);
    seen.add(key);
    family.samples.push({ name, labels, value });
  });
  for (const f of families.values()) if (f.type === 'histogram') checkHistogram(f);
  return new Map([...families].map(([k, { typed: _typed, ...f }]) => [k, f]));
}

/** Buckets of each series ascending by le, counts cumulative, +Inf present and equal to _count. */
function checkHistogram(f: Family): void {
  const series = new Map<string, { le: number; v: number }[]>();
  const idOf = (labels: Record<string, string>) =>
    JSON.stringify(
      Object.entries(labels)
        .filter(([k]) => k !== 'le')
        .sort(),
    );
  for (const s of f.samples) {
    if (!s.name.endsWith('_bucket')) continue;
    const list = series.get(idOf(s.labels)) ?? [];
    list.push({ le: parseValue(s.labels.le, f.name), v: s.value });
    series.set(idOf(s.labels), list);
  }
  for (const [id, buckets] of series) {
    for (let k = 1; k < buckets.length; k++) {
      if (!(buckets[k].le > buckets[k - 1].le) || buckets[k].v < buckets[k - 1].v)
        throw new Error(`${f.name}${id}: buckets not cumulative`);
    }
    const last = buckets[buckets.length - 1];
    const count = f.samples.find((s) => s.name === `${f.name}_count` && idOf(s.labels) === id);
    if (last.le !== Infinity || !count || count.value !== last.v) throw new Error(`${f.name}${id}: +Inf bucket must equal _count`);
  }
}

/** The value of one series: exactly these labels; undefined when the series is not exported. */
export function sampleValue(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = JSON.stringify(Object.entries(labels).sort());
  for (const f of families.values()) {
    const s = f.samples.find((x) => x.name === name && JSON.stringify(Object.entries(x.labels).sort()) === want);
    if (s) return s.value;
  }
  return undefined;
}
