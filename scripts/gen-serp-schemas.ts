// Dev script: derives compact, structure-only SERP schemas from DataForSEO's official OpenAPI file and
// writes src/executors/sandbox/schema-data.ts. Run after the vendor file changes:
//
//   npx tsx scripts/gen-serp-schemas.ts [path-to-openapi-serp.yaml]
//   npx tsx scripts/gen-serp-schemas.ts --check [path-to-openapi-serp.yaml]
//
// Default input: SERPQ_OPENAPI_FILE, else ../shared/dataforseo/openapi-serp.yaml (relative to the project
// root). Only structure is kept (field names, types, discriminator mappings, request field flags parsed
// from the vendor's descriptions); no description prose is copied. Output is deterministic for a given input.
//
// --check regenerates in memory and compares with the committed file (or --out FILE): exit 1 when they
// differ, 0 when equal. The vendor file lives outside the project and may be absent: then the check is
// skipped (exit 0), since there is nothing to compare with.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { emitNodes as emit, type Node, OpenApiNodes, type Schema, singleRef } from './lib/openapi-nodes.js';

interface RequestField {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object';
  required: boolean;
  conditional?: true;
  enum?: Array<string | number>;
  default?: string | number;
  max?: number;
  mobileDefault?: number;
  mobileMax?: number;
  byDevice?: Record<string, { enum: string[]; default?: string }>;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = parseArgs({ options: { check: { type: 'boolean', default: false }, out: { type: 'string' } }, allowPositionals: true });
const CHECK = args.values.check;
const OUT = resolve(args.values.out ?? resolve(ROOT, 'src/executors/sandbox/schema-data.ts'));
const DEFAULT_INPUT = resolve(ROOT, '../shared/dataforseo/openapi-serp.yaml');
const input = resolve(args.positionals[0] ?? (process.env.SERPQ_OPENAPI_FILE || DEFAULT_INPUT));
if (!existsSync(input)) {
  if (CHECK) {
    console.log(`${relative(ROOT, OUT)}: check skipped, the vendor file ${input} is absent`);
    process.exit(0);
  }
  console.error(`the vendor OpenAPI file ${input} does not exist: pass its path as the first argument`);
  process.exit(1);
}

const doc = parse(readFileSync(input, 'utf8'), { maxAliasCount: -1 }) as {
  paths: Record<string, Record<string, any>>;
  components: { schemas: Record<string, Schema> };
};
const SCHEMAS = doc.components.schemas;
const nodes = new OpenApiNodes(SCHEMAS);
const NAMED = nodes.named;
const named = (name: string): Schema => nodes.schema(name);
const refTo = (name: string): Node => nodes.refTo(name);
const collectProps = (s: Schema): Record<string, Schema> => nodes.collectProps(s);

/* ------------------------------------------------------------------------ */
/* Result schemas                                                            */
/* ------------------------------------------------------------------------ */

function operationBodySchema(op: any): string {
  const s = op.requestBody.content['application/json'].schema;
  const r = singleRef(s.items);
  if (!r) throw new Error('request body items are not a single $ref');
  return r;
}

function resultSchemaName(op: any): string {
  const root = op.responses['200'].content['application/json'].schema as Schema;
  const resp = singleRef(root)!;
  const tasks = collectProps(named(resp)).tasks!;
  const task = singleRef(tasks.items!)!;
  const result = collectProps(named(task)).result!;
  const res = singleRef(result.items!);
  if (!res) throw new Error('result items are not a single $ref');
  return res;
}

/* ------------------------------------------------------------------------ */
/* Request fields                                                            */
/* ------------------------------------------------------------------------ */

function lines(desc: string): string[] {
  return desc
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** Values after a "possible values:" style marker (same line, or the next line when empty). */
function listAfterMarker(desc: string): string[] | undefined {
  const ls = lines(desc);
  const marker = /^(?:possible values?|can take the values|available values|only value|choose from the following values)\s*:+\s*(.*)$/i;
  for (let i = 0; i < ls.length; i++) {
    const m = marker.exec(ls[i]!);
    if (!m) continue;
    const rest = (m[1] ?? '').trim() || (ls[i + 1] ?? '');
    const vals = rest
      .replace(/[;.]$/, '')
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '');
    if (vals.length > 0 && vals.every((v) => /^[a-z_]+$/.test(v))) return vals;
    return undefined;
  }
  return undefined;
}

function numberAfter(desc: string, re: RegExp): number | undefined {
  const m = re.exec(desc.replace(/\u00a0/g, ' '));
  return m ? Number(m[1]) : undefined;
}

function requestField(name: string, s: Schema): RequestField {
  const desc = s.description ?? '';
  const ls = lines(desc).map((l) => l.toLowerCase());
  const optional = ls.some((l) => l.startsWith('optional field'));
  const unconditional = ls.some((l) => /^required field[.;]?$/.test(l));
  const conditional = ls.some((l) => /^required field\s+\S/.test(l));
  let type: RequestField['type'];
  if (s.type === 'string' || s.type === 'integer' || s.type === 'number' || s.type === 'boolean' || s.type === 'array') {
    type = s.type;
  } else if (s.type === 'object' || s.properties || singleRef(s)) {
    type = 'object';
  } else {
    throw new Error(`request field ${name}: unsupported type ${String(s.type)}`);
  }
  const f: RequestField = { name, type, required: unconditional && !optional };
  if (!f.required && conditional && !optional) f.conditional = true;

  if (name === 'device' || name === 'postback_data') {
    const vals = listAfterMarker(desc);
    if (vals) f.enum = vals;
    if (name === 'device') {
      const d = /default value:\s*([a-z]+)/i.exec(desc);
      if (d) f.default = d[1]!;
      else if (vals && vals.length === 1) f.default = vals[0]!;
    }
  } else if (name === 'os') {
    const ls2 = lines(desc);
    const byDevice: Record<string, { enum: string[]; default?: string }> = {};
    let all: string[] = [];
    let current: { enum: string[]; default?: string } | undefined;
    for (const l of ls2) {
      const dev = /^if you specify (\w+) in the device field, choose from the following values:\s*(.+)$/i.exec(l);
      const plain = /^(?:possible values?|choose from the following values)\s*:\s*(.+)$/i.exec(l);
      const def = /^default value:\s*([a-z]+)/i.exec(l);
      if (dev) {
        current = { enum: dev[2]!.split(',').map((v) => v.trim()) };
        byDevice[dev[1]!.toLowerCase()] = current;
        all = [...all, ...current.enum.filter((v) => !all.includes(v))];
      } else if (plain) {
        current = { enum: plain[1]!.split(',').map((v) => v.trim()) };
        all = [...all, ...current.enum.filter((v) => !all.includes(v))];
      } else if (def && current) {
        current.default = def[1]!;
        if (f.default === undefined) f.default = def[1]!;
      }
    }
    if (all.length > 0 && all.every((v) => /^[a-z]+$/.test(v))) f.enum = all;
    if (f.default === undefined && current && current.enum.length === 1 && Object.keys(byDevice).length === 0) {
      f.default = current.enum[0]!;
    }
    if (Object.keys(byDevice).length > 0) f.byDevice = byDevice;
  } else if (name === 'priority') {
    const vals = [...desc.matchAll(/^\s*(\d)\s*[–-]/gm)].map((m) => Number(m[1]));
    if (vals.length > 0) f.enum = vals;
    const d = /^\s*(\d)\s*[–-][^\n]*set by default/m.exec(desc);
    if (d) f.default = Number(d[1]);
  } else if (name === 'depth') {
    const def = numberAfter(desc, /default value(?: for desktop)?:\s*(\d+)/i);
    const max = numberAfter(desc, /max(?:imum)? value(?: for desktop)?:\s*(\d+)/i);
    if (def !== undefined) f.default = def;
    if (max !== undefined) f.max = max;
    const mdef = numberAfter(desc, /default value for mobile:\s*(\d+)/i);
    const mmax = numberAfter(desc, /max(?:imum)? value for mobile:\s*(\d+)/i);
    if (mdef !== undefined) f.mobileDefault = mdef;
    if (mmax !== undefined) f.mobileMax = mmax;
  }
  return f;
}

/* ------------------------------------------------------------------------ */
/* Main                                                                      */
/* ------------------------------------------------------------------------ */

const RESULT: Record<string, Node> = {};
const REQUEST: Record<string, RequestField[]> = {};

for (const [path, item] of Object.entries(doc.paths)) {
  const get = /^\/v3\/serp\/([^/]+)\/([^/]+)\/task_get\/(regular|advanced|html)\/\{id\}$/.exec(path);
  if (get && item.get) {
    RESULT[`${get[1]}/${get[2]}/${get[3]}`] = refTo(resultSchemaName(item.get));
    continue;
  }
  const post = /^\/v3\/serp\/([^/]+)\/([^/]+)\/(task_post|live\/(?:regular|advanced|html))$/.exec(path);
  if (post && item.post) {
    const schema = named(operationBodySchema(item.post));
    REQUEST[`${post[1]}/${post[2]}/${post[3]}`] = Object.entries(collectProps(schema)).map(([k, v]) => requestField(k, v));
  }
}

// Inline the result roots: each result schema is used by exactly one key.
for (const [key, node] of Object.entries(RESULT)) {
  if (node.t !== 'ref') continue;
  const users = Object.values(RESULT).filter((n) => n.t === 'ref' && n.n === node.n).length;
  const referenced = JSON.stringify(NAMED).includes(`"n":"${node.n}"`);
  if (users === 1 && !referenced) {
    RESULT[key] = NAMED[node.n]!;
    delete NAMED[node.n];
  }
}

const sortedNamed = Object.fromEntries(
  Object.keys(NAMED)
    .sort()
    .map((k) => [k, NAMED[k]!]),
);

// Primitive nodes are shared constants (_s, _i, _n, _b, _ay) to keep the file (and memory) small: see emitNodes.
const rel = relative(ROOT, input).split('\\').join('/');
const out = `// Generated by scripts/gen-serp-schemas.ts from DataForSEO's openapi-serp.yaml — do not edit;
// \`npx tsx scripts/gen-serp-schemas.ts --check\` verifies it. To change it, change the script or the
// vendor file and re-run \`npx tsx scripts/gen-serp-schemas.ts [path-to-yaml]\`.
// Structure only (field names, types, discriminator mappings, request field flags). Every result
// field is nullable in the vendor schema; that is implicit here.
/* eslint-disable */

/** A compact schema node. \`ref\` points into NAMED_SCHEMAS; \`union\` dispatches on property \`d\`. */
export type SchemaNode =
  | { readonly t: 'string' | 'integer' | 'number' | 'boolean' | 'any' }
  | { readonly t: 'object'; readonly p: Readonly<Record<string, SchemaNode>> }
  | { readonly t: 'array'; readonly i: SchemaNode }
  | { readonly t: 'map'; readonly v: SchemaNode }
  | { readonly t: 'ref'; readonly n: string }
  | { readonly t: 'union'; readonly d: string; readonly m: Readonly<Record<string, string>> };

/** One top-level request field of a task_post or live endpoint. */
export interface RequestFieldSpec {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object';
  /** Unconditionally required ("required field"). */
  readonly required: boolean;
  /** Required only under a condition ("required field if ..."), e.g. location_code/location_name. */
  readonly conditional?: true;
  /** Documented values (device, os, postback_data: strings; priority: numbers). */
  readonly enum?: readonly (string | number)[];
  /** Documented default (depth: number; device/os: string; priority: number). For depth with per-device rules: desktop. */
  readonly default?: string | number;
  /** Documented maximum (depth). For depth with per-device rules: desktop. */
  readonly max?: number;
  /** depth with per-device rules: mobile default and maximum. */
  readonly mobileDefault?: number;
  readonly mobileMax?: number;
  /** os: values and default per device, when documented per device. */
  readonly byDevice?: Readonly<Record<string, { readonly enum: readonly string[]; readonly default?: string }>>;
}

const _s: SchemaNode = { t: 'string' };
const _i: SchemaNode = { t: 'integer' };
const _n: SchemaNode = { t: 'number' };
const _b: SchemaNode = { t: 'boolean' };
const _ay: SchemaNode = { t: 'any' };

/** Named shared nodes: item schemas (allOf-merged with their base) and discriminated unions. */
export const NAMED_SCHEMAS: Readonly<Record<string, SchemaNode>> = ${emit(sortedNamed)};

/** Schema of ONE result object (tasks[].result[]) per "{se}/{se_type}/{regular|advanced|html}". */
export const RESULT_SCHEMAS: Readonly<Record<string, SchemaNode>> = ${emit(RESULT)};

/** Top-level request fields per "{se}/{se_type}/task_post" and "{se}/{se_type}/live/{fn}". */
export const REQUEST_FIELDS: Readonly<Record<string, readonly RequestFieldSpec[]>> = ${JSON.stringify(REQUEST)};
`;
if (CHECK) {
  const committed = existsSync(OUT) ? readFileSync(OUT, 'utf8') : undefined;
  if (committed === out) {
    console.log(`${relative(ROOT, OUT)}: up to date with ${rel}`);
    process.exit(0);
  }
  const what = committed === undefined ? 'is missing' : 'differs from what the generator makes of ' + rel;
  const command = `npx tsx scripts/gen-serp-schemas.ts${input === DEFAULT_INPUT ? '' : ` ${input}`}`;
  console.error(`${relative(ROOT, OUT)} ${what}: run \`${command}\` and commit the result`);
  process.exit(1);
}
writeFileSync(OUT, out);
console.log(
  `wrote ${relative(ROOT, OUT)} from ${rel}: ${Object.keys(RESULT).length} result schemas, ` +
    `${Object.keys(sortedNamed).length} named schemas, ${Object.keys(REQUEST).length} request specs, ${out.length} bytes`,
);
