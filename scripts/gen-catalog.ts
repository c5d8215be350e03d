// Dev script: derives the catalog of every DataForSEO API (endpoints, their kinds, task types, request
// rules and result structure) from the vendor's OpenAPI file and the official TypeScript client, and
// writes src/domain/api-catalog/generated/*.ts (one module per API plus the apis.ts index):
//
//   npx tsx scripts/gen-catalog.ts [path-to-openapi-full.yaml]          (npm run gen:catalog)
//   npx tsx scripts/gen-catalog.ts --check [path-to-openapi-full.yaml]  (npm run gen:catalog:check)
//
// Inputs: the OpenAPI file (SERPQ_OPENAPI_FULL_FILE, else ../shared/dataforseo/openapi-full.yaml,
// relative to the project root) and node_modules/dataforseo-client (read with the TypeScript compiler
// API). The path list is the union of both; the client, newer, wins where both describe an endpoint
// (docs/catalog.md says how each fact is chosen). Only structure and facts are kept, no prose; the
// output is deterministic for given inputs.
//
// --check regenerates in memory and compares with the files on disk (or under --out DIR): exit 1 when
// they differ, 0 when equal. The vendor file lives outside the project and may be absent: then the
// check is skipped (exit 0), since there is nothing to compare with. --verbose prints where the two
// sources' request rules disagree.

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import ts from 'typescript';
import { parse } from 'yaml';
import { type ClientOperation, ClientReader } from './lib/client-reader.js';
import { type FieldRule, type JsonType, type ParsedField, oneOfGroups, parseField } from './lib/field-rules.js';
import { emitNodes, type Node, OpenApiNodes, type Schema, singleRef } from './lib/openapi-nodes.js';
import type { EndpointKind } from '../src/domain/api-catalog/types.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = parseArgs({
  options: { check: { type: 'boolean', default: false }, out: { type: 'string' }, verbose: { type: 'boolean', default: false } },
  allowPositionals: true,
});
const CHECK = args.values.check;
const OUT_DIR = resolve(args.values.out ?? resolve(ROOT, 'src/domain/api-catalog/generated'));
const DEFAULT_INPUT = resolve(ROOT, '../shared/dataforseo/openapi-full.yaml');
const input = resolve(args.positionals[0] ?? (process.env.SERPQ_OPENAPI_FULL_FILE || DEFAULT_INPUT));
const CLIENT_DIR = resolve(ROOT, 'node_modules/dataforseo-client');

if (!existsSync(input) || !ClientReader.available(CLIENT_DIR)) {
  const missing = !existsSync(input) ? `the vendor file ${input}` : `the official client ${CLIENT_DIR}`;
  if (CHECK) {
    console.log(`${relative(ROOT, OUT_DIR)}: check skipped, ${missing} is absent`);
    process.exit(0);
  }
  console.error(`${missing} does not exist${existsSync(input) ? ' (run npm install)' : ': pass the OpenAPI file as the first argument'}`);
  process.exit(1);
}

/* ------------------------------------------------------------------------ */
/* Sources                                                                   */
/* ------------------------------------------------------------------------ */

type Method = 'GET' | 'POST';
interface OpenApiOperation {
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}

const doc = parse(readFileSync(input, 'utf8'), { maxAliasCount: -1 }) as {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, Schema> };
};
const client = new ClientReader(CLIENT_DIR);
const REGISTRY: Record<string, Node> = {};

const API_ORDER = [
  'serp',
  'keywords_data',
  'dataforseo_labs',
  'backlinks',
  'on_page',
  'merchant',
  'app_data',
  'business_data',
  'domain_analytics',
  'content_analysis',
  'content_generation',
  'ai_optimization',
  'appendix',
] as const;

interface Source {
  path: string;
  method: Method;
  client?: ClientOperation;
  openapi?: OpenApiOperation;
}

const sources = new Map<string, Source>();
const keyOf = (method: Method, path: string) => `${method} ${path}`;
for (const op of client.operations()) {
  const path = stripV3(op.url);
  const k = keyOf(op.method, path);
  if (sources.has(k)) throw new Error(`the client declares ${k} twice`);
  sources.set(k, { path, method: op.method, client: op });
}
let openapiOperations = 0;
for (const [url, item] of Object.entries(doc.paths)) {
  for (const [m, op] of Object.entries(item)) {
    const method = m.toUpperCase();
    if (method !== 'GET' && method !== 'POST') throw new Error(`${url}: unsupported method ${m}`);
    openapiOperations++;
    const path = stripV3(url);
    const k = keyOf(method, path);
    const s = sources.get(k) ?? { path, method };
    s.openapi = op;
    sources.set(k, s);
  }
}
// Same path, other method in the other source: a disagreement to look at, not to paper over.
for (const s of sources.values()) {
  const other = sources.get(keyOf(s.method === 'GET' ? 'POST' : 'GET', s.path));
  if (other && (!!s.client !== !!other.client || !!s.openapi !== !!other.openapi)) {
    throw new Error(`${s.path}: the sources disagree on its HTTP method`);
  }
}

function stripV3(url: string): string {
  if (!url.startsWith('/v3/')) throw new Error(`unexpected URL ${url}`);
  return url.slice(4);
}

/* ------------------------------------------------------------------------ */
/* Number types: the client's `number` is refined with the OpenAPI file     */
/* ------------------------------------------------------------------------ */

const oa = new OpenApiNodes(doc.components.schemas, {
  named: REGISTRY,
  external: (name) => (client.has(name) ? clientRefTo(name) : undefined),
});

/** Per field name, the number types it has anywhere in the OpenAPI file (its vote when nothing closer says). */
const NUMBER_VOTES = new Map<string, Set<string>>();
for (const s of Object.values(doc.components.schemas)) {
  for (const [k, v] of Object.entries(oa.collectProps(s))) {
    let x: Schema | undefined = v;
    while (x && x.type === 'array') x = x.items;
    if (x && (x.type === 'integer' || x.type === 'number')) {
      if (!NUMBER_VOTES.has(k)) NUMBER_VOTES.set(k, new Set());
      NUMBER_VOTES.get(k)!.add(x.type);
    }
  }
}
/** The same, over the request bodies only (request fields vote among themselves first). */
const REQUEST_NUMBER_VOTES = new Map<string, Set<string>>();
for (const item of Object.values(doc.paths)) {
  for (const op of Object.values(item)) {
    const body = op.requestBody?.content['application/json']?.schema;
    if (!body?.items) continue;
    for (const [k, v] of Object.entries(oa.collectProps(body.items))) {
      let x: Schema | undefined = v;
      while (x && x.type === 'array') x = x.items;
      if (x && (x.type === 'integer' || x.type === 'number')) {
        if (!REQUEST_NUMBER_VOTES.has(k)) REQUEST_NUMBER_VOTES.set(k, new Set());
        REQUEST_NUMBER_VOTES.get(k)!.add(x.type);
      }
    }
  }
}
function voteNumber(field: string, votes: Map<string, Set<string>> = NUMBER_VOTES): 'integer' | 'number' {
  const v = votes.get(field) ?? NUMBER_VOTES.get(field);
  return v && v.size === 1 && v.has('integer') ? 'integer' : 'number';
}

/** A schema with a single $ref resolved (for reading its type). */
function deref(s: Schema | undefined): Schema | undefined {
  if (!s) return undefined;
  const r = singleRef(s);
  return r ? doc.components.schemas[r] : s;
}

/** The OpenAPI counterpart of a client model's property, for its number types. */
function openapiProp(model: string, wire: string): Schema | undefined {
  const s = doc.components.schemas[model];
  return s ? deref(oa.collectProps(s)[wire]) : undefined;
}

/* ------------------------------------------------------------------------ */
/* Client models → Nodes                                                     */
/* ------------------------------------------------------------------------ */

const clientInProgress = new Set<string>();

function clientRefTo(name: string): Node {
  if (!(name in REGISTRY) && !clientInProgress.has(name)) {
    clientInProgress.add(name);
    const m = client.model(name);
    if (!m) throw new Error(`the client has no model ${name}`);
    let node: Node;
    if (m.discriminator) {
      for (const target of Object.values(m.discriminator.mapping)) clientRefTo(target);
      node = { t: 'union', d: m.discriminator.property, m: sortedRecord(m.discriminator.mapping) };
    } else {
      const p: Record<string, Node> = {};
      for (const prop of client.allProps(name)) p[prop.wire] = tsToNode(prop.type, openapiProp(name, prop.wire), prop.wire, name);
      node = { t: 'object', p };
    }
    REGISTRY[name] = node;
    clientInProgress.delete(name);
  }
  return { t: 'ref', n: name };
}

/** The type without `undefined`/`null` members. */
function nonNullable(t: ts.TypeNode): ts.TypeNode {
  if (ts.isParenthesizedTypeNode(t)) return nonNullable(t.type);
  if (!ts.isUnionTypeNode(t)) return t;
  const rest = t.types.filter(
    (x) => x.kind !== ts.SyntaxKind.UndefinedKeyword && !(ts.isLiteralTypeNode(x) && x.literal.kind === ts.SyntaxKind.NullKeyword),
  );
  if (rest.length !== 1) throw new Error(`unsupported union type of ${rest.length} members`);
  return nonNullable(rest[0]!);
}

function tsToNode(type: ts.TypeNode, counterpart: Schema | undefined, field: string, model: string): Node {
  const t = nonNullable(type);
  switch (t.kind) {
    case ts.SyntaxKind.StringKeyword:
      return { t: 'string' };
    case ts.SyntaxKind.BooleanKeyword:
      return { t: 'boolean' };
    case ts.SyntaxKind.AnyKeyword:
      return { t: 'any' };
    case ts.SyntaxKind.NumberKeyword: {
      const c = counterpart?.type;
      return { t: c === 'integer' || c === 'number' ? c : voteNumber(field) };
    }
  }
  if (ts.isArrayTypeNode(t)) return { t: 'array', i: tsToNode(t.elementType, deref(counterpart?.items), field, model) };
  if (ts.isTypeLiteralNode(t)) {
    const index = t.members.find(ts.isIndexSignatureDeclaration);
    if (!index || t.members.length !== 1) throw new Error(`${model}.${field}: unsupported type literal`);
    const ap = counterpart?.additionalProperties;
    const value = tsToNode(index.type, typeof ap === 'object' ? deref(ap) : undefined, field, model);
    return value.t === 'any' ? { t: 'any' } : { t: 'map', v: value };
  }
  if (ts.isTypeReferenceNode(t) && ts.isIdentifier(t.typeName) && !t.typeArguments) {
    if (!client.has(t.typeName.text)) throw new Error(`${model}.${field}: unknown model ${t.typeName.text}`);
    return clientRefTo(t.typeName.text);
  }
  throw new Error(`${model}.${field}: unsupported type ${ts.SyntaxKind[t.kind]}`);
}

function sortedRecord<T>(r: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.keys(r)
      .sort()
      .map((k) => [k, r[k]!]),
  );
}

/* ------------------------------------------------------------------------ */
/* Results: the schema of one tasks[].result[] item                          */
/* ------------------------------------------------------------------------ */

/** The result item of an operation as a Node, or null when the result is always null. */
function clientResult(op: ClientOperation): Node | null {
  if (!op.responseModel) return null;
  const tasks = client.allProps(op.responseModel).find((p) => p.wire === 'tasks');
  if (!tasks) throw new Error(`${op.responseModel}: no tasks`);
  const taskType = nonNullable(tasks.type);
  if (!ts.isArrayTypeNode(taskType) || !ts.isTypeReferenceNode(taskType.elementType))
    throw new Error(`${op.responseModel}: tasks is not X[]`);
  const taskName = taskType.elementType.typeName;
  if (!ts.isIdentifier(taskName)) throw new Error(`${op.responseModel}: tasks is not X[]`);
  const taskModel = taskName.text;
  const result = client.allProps(taskModel).find((p) => p.wire === 'result');
  if (!result) return null;
  const rt = nonNullable(result.type);
  if (rt.kind === ts.SyntaxKind.AnyKeyword) return null;
  if (!ts.isArrayTypeNode(rt)) throw new Error(`${taskModel}: result is not an array`);
  const counterpart = deref(deref(doc.components.schemas[taskModel] && oa.collectProps(doc.components.schemas[taskModel]!).result)?.items);
  return tsToNode(rt.elementType, counterpart, 'result', taskModel);
}

function openapiResult(op: OpenApiOperation): Node | null {
  const root = op.responses['200']?.content?.['application/json']?.schema;
  if (!root) return null;
  const tasks = oa.collectProps(root).tasks;
  const taskItem = tasks?.items;
  if (!taskItem) throw new Error('response without tasks');
  const result = oa.collectProps(taskItem).result;
  if (!result || !result.items) return null;
  const node = oa.convert(result.items);
  return node.t === 'any' ? null : node;
}

/* ------------------------------------------------------------------------ */
/* Requests                                                                  */
/* ------------------------------------------------------------------------ */

interface RequestRules {
  fields: FieldRule[];
  oneOf: Array<{ fields: string[]; required: boolean }>;
}
const DISAGREEMENTS: string[] = [];
/** POST endpoints whose task fields neither source documents. */
const UNDOCUMENTED: string[] = [];

function openapiRequestSchema(op: OpenApiOperation | undefined): Schema | undefined {
  const body = op?.requestBody?.content['application/json']?.schema;
  if (!body) return undefined;
  if (body.type !== 'array' || !body.items) throw new Error('request body is not an array');
  return deref(body.items);
}

function jsonTypeOfSchema(s: Schema | undefined): JsonType {
  const d = deref(s);
  if (!d) return 'any';
  if (d.type === 'string' || d.type === 'integer' || d.type === 'number' || d.type === 'boolean' || d.type === 'array') return d.type;
  if (d.type === 'object' || d.properties || d.allOf || d.additionalProperties) return 'object';
  return 'any';
}

function jsonTypeOfTs(type: ts.TypeNode, counterpart: Schema | undefined, field: string): { type: JsonType; items?: JsonType } {
  const t = nonNullable(type);
  switch (t.kind) {
    case ts.SyntaxKind.StringKeyword:
      return { type: 'string' };
    case ts.SyntaxKind.BooleanKeyword:
      return { type: 'boolean' };
    case ts.SyntaxKind.AnyKeyword:
      return { type: 'any' };
    case ts.SyntaxKind.NumberKeyword: {
      const c = counterpart?.type;
      return { type: c === 'integer' || c === 'number' ? c : voteNumber(field, REQUEST_NUMBER_VOTES) };
    }
  }
  if (ts.isArrayTypeNode(t)) return { type: 'array', items: jsonTypeOfTs(t.elementType, deref(counterpart?.items), field).type };
  if (ts.isTypeLiteralNode(t) || ts.isTypeReferenceNode(t)) return { type: 'object' };
  throw new Error(`request field ${field}: unsupported type ${ts.SyntaxKind[t.kind]}`);
}

function requestRules(s: Source, label: string): RequestRules | null {
  const oaSchema = openapiRequestSchema(s.openapi);
  const oaProps = oaSchema ? oa.collectProps(oaSchema) : undefined;
  // A few client request models declare no fields (serp/youtube/*): the OpenAPI file's, if any, then.
  const clientModel = s.client?.requestModel ?? null;
  const model = clientModel && client.allProps(clientModel).length > 0 ? clientModel : null;
  if (!model && !oaProps) {
    if (clientModel) UNDOCUMENTED.push(s.path);
    return null;
  }

  const fromOpenApi = (): ParsedField[] => {
    const known = new Set(Object.keys(oaProps!));
    return Object.entries(oaProps!).map(([name, v]) => {
      const d = deref(v);
      const type = jsonTypeOfSchema(v);
      const items = type === 'array' ? jsonTypeOfSchema(d?.items) : undefined;
      return parseField(name, type, items, v.description ?? d?.description ?? '', 'openapi', known);
    });
  };
  let parsed: ParsedField[];
  if (model) {
    const props = client.allProps(model);
    const known = new Set(props.map((p) => p.wire));
    const byName = new Map((oaProps ? fromOpenApi() : []).map((p) => [p.rule.name, p]));
    parsed = props.map((p) => {
      const counterpart = deref(oaProps?.[p.wire]) ?? openapiProp(model, p.wire);
      const { type, items } = jsonTypeOfTs(p.type, counterpart, p.wire);
      const mine = parseField(p.wire, type, items, p.doc, 'client', known);
      const theirs = byName.get(p.wire);
      return theirs ? merge(mine, theirs, `${label} ${p.wire}`) : mine;
    });
  } else {
    parsed = fromOpenApi();
  }
  return { fields: parsed.map((p) => p.rule), oneOf: oneOfGroups(parsed) };
}

const FACTS = ['enum', 'default', 'min', 'max', 'maxItems', 'maxLength'] as const;

/** Which facts apply to a field of a JSON type. */
function factApplies(f: (typeof FACTS)[number], r: FieldRule): boolean {
  const numeric = r.type === 'integer' || r.type === 'number';
  switch (f) {
    case 'min':
    case 'max':
      return numeric;
    case 'maxItems':
      return r.type === 'array';
    case 'maxLength':
      return r.type === 'string' || (r.type === 'array' && r.items === 'string');
    case 'enum':
      return r.type === 'string' || numeric || r.type === 'array';
    default:
      return true;
  }
}

/** A fact from the OpenAPI file, in the JSON type of the client's field. */
function coerce(f: (typeof FACTS)[number], value: unknown, r: FieldRule): unknown {
  const valueType = r.type === 'array' ? r.items : r.type;
  const cast = (v: unknown) =>
    valueType === 'string' ? String(v) : (valueType === 'integer' || valueType === 'number') && typeof v === 'string' ? Number(v) : v;
  if (f === 'enum') return (value as unknown[]).map(cast);
  if (f === 'default') {
    if (r.type === 'array') return Array.isArray(value) ? value.map(cast) : undefined;
    if (Array.isArray(value)) return undefined;
    if (r.type === 'boolean') return typeof value === 'boolean' ? value : undefined;
    const v = cast(value);
    return typeof v === 'number' && Number.isNaN(v) ? undefined : v;
  }
  return value;
}

/** The client's facts win; the OpenAPI file's fill what the client's text does not state. */
function merge(mine: ParsedField, theirs: ParsedField, label: string): ParsedField {
  const rule: FieldRule = { ...mine.rule };
  for (const f of FACTS) {
    const a = mine.rule[f];
    const b = theirs.rule[f];
    if (a === undefined && b !== undefined && factApplies(f, rule)) {
      const v = coerce(f, b, rule);
      if (v !== undefined) (rule as any)[f] = v;
    } else if (a !== undefined && b !== undefined && JSON.stringify(a) !== JSON.stringify(b)) {
      DISAGREEMENTS.push(`${label}.${f}: client ${JSON.stringify(a)}, openapi ${JSON.stringify(b)}`);
    }
  }
  if (!!mine.rule.required !== !!theirs.rule.required || !!mine.rule.conditional !== !!theirs.rule.conditional) {
    DISAGREEMENTS.push(`${label}.required: client ${flags(mine.rule)}, openapi ${flags(theirs.rule)}`);
  }
  const ordered: FieldRule = { name: rule.name, type: rule.type };
  for (const k of ['items', 'required', 'conditional', ...FACTS] as const) if (rule[k] !== undefined) (ordered as any)[k] = rule[k];
  return {
    rule: ordered,
    alternatives: mine.alternatives.length > 0 ? mine.alternatives : theirs.alternatives,
    requiredUnless: mine.requiredUnless.length > 0 ? mine.requiredUnless : theirs.requiredUnless,
  };
}
function flags(r: FieldRule): string {
  return r.required ? 'required' : r.conditional ? 'conditional' : 'optional';
}

/* ------------------------------------------------------------------------ */
/* Kinds and types                                                           */
/* ------------------------------------------------------------------------ */

type Kind = EndpointKind;

interface Endpoint {
  path: string;
  method: Method;
  api: string;
  kind: Kind;
  type: string | null;
  fn: string | null;
  ref: string | null;
  params: string[];
  idIn: 'path' | 'body' | null;
  clientClass: string | null;
  clientMethod: string | null;
  inOpenApi: boolean;
  request: RequestRules | null;
  result: Node | null;
}

interface Classified {
  kind: Kind;
  /** The type key for typed kinds (tasks_ready: the scope's prefix, resolved later). */
  type: string | null;
  fn: string | null;
  ref: string | null;
  idIn: 'path' | 'body' | null;
}

function classify(path: string, method: Method, request: RequestRules | null): Classified {
  const segs = path.split('/');
  const api = segs[0]!;
  const last = segs[segs.length - 1]!;
  const none = { fn: null, ref: null, idIn: null } as const;
  let m: RegExpExecArray | null;
  if ((m = /^(.+)\/task_post$/.exec(path))) return { kind: 'task_post', type: m[1]!, ...none };
  if ((m = /^(.+)\/tasks_ready$/.exec(path))) return { kind: 'tasks_ready', type: m[1]!, ...none };
  if ((m = /^(.+)\/tasks_fixed$/.exec(path))) return { kind: 'tasks_fixed', type: m[1]!, ...none };
  if ((m = /^(.+)\/task_get(?:\/([a-z_]+))?\/\{id\}$/.exec(path)))
    return { kind: 'task_get', type: m[1]!, fn: m[2] ?? null, ref: null, idIn: 'path' };
  if ((m = /^(.+)\/live(?:\/([a-z_]+))?$/.exec(path))) return { kind: 'live', type: m[1]!, fn: m[2] ?? null, ref: null, idIn: null };
  if (segs.length === 2 && last === 'id_list') return { kind: 'id_list', type: null, ...none };
  if (segs.length === 2 && last === 'errors' && method === 'POST') return { kind: 'errors', type: null, ...none };
  if (path === 'appendix/errors') return { kind: 'reference', type: null, fn: null, ref: 'error_codes', idIn: null };
  if (last === 'locations' || last === 'languages' || last === 'categories' || last === 'available_filters' || last === 'status') {
    return { kind: last, type: null, ...none };
  }
  if (/\/locations\/\{country\}$/.test(path)) return { kind: 'reference', type: null, fn: null, ref: 'locations_country', idIn: null };
  if (path === 'appendix/webhook_resend' || path === 'on_page/force_stop') {
    return { kind: 'action', type: api === 'on_page' ? 'on_page' : null, fn: null, ref: last, idIn: 'body' };
  }
  if (api === 'on_page' && segs.length >= 2) {
    // Functions over one crawl task: on_page/summary/{id}, on_page/pages (id in the body), ...
    if (segs.length === 3 && last === '{id}' && method === 'GET')
      return { kind: 'task_get', type: 'on_page', fn: segs[1]!, ref: null, idIn: 'path' };
    if (segs.length === 2 && method === 'POST' && request?.fields.some((f) => f.name === 'id' && f.required)) {
      return { kind: 'task_get', type: 'on_page', fn: segs[1]!, ref: null, idIn: 'body' };
    }
    if (segs.length === 2 && method === 'POST') return { kind: 'live', type: path, ...none };
  }
  if (method === 'POST') return { kind: 'live', type: path, ...none };
  const literal = segs.filter((s) => !s.startsWith('{'));
  return { kind: 'reference', type: null, fn: null, ref: literal[literal.length - 1]!, idIn: null };
}

const SERP_TYPE_RESULT = /^serp\/[^/]+\/[^/]+$/;

const endpoints: Endpoint[] = [];
for (const s of [...sources.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.method < b.method ? -1 : 1))) {
  const api = s.path.split('/')[0]!;
  if (!(API_ORDER as readonly string[]).includes(api)) throw new Error(`${s.path}: unknown API ${api}`);
  const request = s.method === 'POST' ? requestRules(s, s.path) : null;
  const c = classify(s.path, s.method, request);
  const params = [...s.path.matchAll(/\{([^}]+)\}/g)].map((x) => x[1]!);
  // SERP: the per-type result schemas live in src/executors/sandbox/schema-data.ts.
  const omitResult = api === 'serp' && (c.kind === 'task_get' || c.kind === 'live') && c.type !== null && SERP_TYPE_RESULT.test(c.type);
  let result: Node | null = null;
  if (!omitResult) result = s.client ? clientResult(s.client) : openapiResult(s.openapi!);
  endpoints.push({
    path: s.path,
    method: s.method,
    api,
    kind: c.kind,
    type: c.type,
    fn: c.fn,
    ref: c.ref,
    params,
    idIn: c.idIn,
    clientClass: s.client?.clientClass ?? null,
    clientMethod: s.client?.clientMethod ?? null,
    inOpenApi: !!s.openapi,
    request,
    result,
  });
}

/* Types and tasks_ready scopes. */

interface TaskType {
  type: string;
  taskPost: boolean;
  taskGet: Array<string | null>;
  live: Array<string | null>;
  tasksFixed: boolean;
  tasksReady: string[];
  postback: boolean;
  pingback: boolean;
  postbackData: string[] | null;
}

const TYPED: ReadonlySet<Kind> = new Set(['task_post', 'task_get', 'live', 'tasks_fixed']);
const types = new Map<string, TaskType>();
for (const e of endpoints) {
  if (!TYPED.has(e.kind) || e.type === null) continue;
  let t = types.get(e.type);
  if (!t) {
    t = {
      type: e.type,
      taskPost: false,
      taskGet: [],
      live: [],
      tasksFixed: false,
      tasksReady: [],
      postback: false,
      pingback: false,
      postbackData: null,
    };
    types.set(e.type, t);
  }
  if (e.kind === 'task_post') {
    t.taskPost = true;
    const fields = e.request?.fields ?? [];
    t.postback = fields.some((f) => f.name === 'postback_url');
    t.pingback = fields.some((f) => f.name === 'pingback_url');
    const pd = fields.find((f) => f.name === 'postback_data');
    t.postbackData = pd?.enum ? pd.enum.map(String) : null;
  }
  if (e.kind === 'task_get') t.taskGet.push(e.fn);
  if (e.kind === 'live') t.live.push(e.fn);
  if (e.kind === 'tasks_fixed') t.tasksFixed = true;
}
const FN_ORDER = [null, 'regular', 'advanced', 'html', 'json'];
const fnRank = (f: string | null) => (FN_ORDER.includes(f) ? FN_ORDER.indexOf(f) : FN_ORDER.length);
for (const t of types.values()) {
  for (const list of [t.taskGet, t.live]) list.sort((a, b) => fnRank(a) - fnRank(b) || String(a).localeCompare(String(b)));
}

interface ReadyScope {
  path: string;
  types: string[];
}
const readyScopes = new Map<string, ReadyScope[]>();
for (const e of endpoints) {
  if (e.kind !== 'tasks_ready') continue;
  const prefix = e.type!;
  const own = types.get(prefix);
  const listed = own?.taskPost
    ? [prefix]
    : [...types.values()]
        .filter((t) => t.taskPost && t.type.startsWith(`${prefix}/`))
        .map((t) => t.type)
        .sort();
  e.type = own ? prefix : null;
  if (!readyScopes.has(e.api)) readyScopes.set(e.api, []);
  readyScopes.get(e.api)!.push({ path: e.path, types: listed });
  for (const t of listed) types.get(t)!.tasksReady.push(e.path);
}
// tasks_fixed lists the same rows for re-parsed tasks: its type must be a posted type.
for (const e of endpoints)
  if (e.kind === 'tasks_fixed' && !types.get(e.type!)?.taskPost) throw new Error(`${e.path}: tasks_fixed without task_post`);

/* ------------------------------------------------------------------------ */
/* Structural dedupe of named schemas                                        */
/* ------------------------------------------------------------------------ */

/** Names whose structure is identical collapse into one (the shortest name, then the first in order). */
function dedupeRegistry(): Map<string, string> {
  const alias = new Map<string, string>();
  const resolveName = (n: string): string => {
    let x = n;
    while (alias.has(x)) x = alias.get(x)!;
    return x;
  };
  const rewrite = (node: Node): Node => {
    switch (node.t) {
      case 'ref':
        return { t: 'ref', n: resolveName(node.n) };
      case 'object':
        return { t: 'object', p: Object.fromEntries(Object.entries(node.p).map(([k, v]) => [k, rewrite(v)])) };
      case 'array':
        return { t: 'array', i: rewrite(node.i) };
      case 'map':
        return { t: 'map', v: rewrite(node.v) };
      case 'union':
        return { t: 'union', d: node.d, m: Object.fromEntries(Object.entries(node.m).map(([k, v]) => [k, resolveName(v)])) };
      default:
        return node;
    }
  };
  for (;;) {
    const byShape = new Map<string, string[]>();
    for (const name of Object.keys(REGISTRY).sort()) {
      if (alias.has(name)) continue;
      const shape = JSON.stringify(rewrite(REGISTRY[name]!));
      if (!byShape.has(shape)) byShape.set(shape, []);
      byShape.get(shape)!.push(name);
    }
    let changed = false;
    for (const names of byShape.values()) {
      if (names.length < 2) continue;
      const keep = [...names].sort((a, b) => a.length - b.length || (a < b ? -1 : 1))[0]!;
      for (const n of names) if (n !== keep) (alias.set(n, keep), (changed = true));
    }
    if (!changed) break;
  }
  for (const name of Object.keys(REGISTRY)) {
    if (alias.has(name)) delete REGISTRY[name];
    else REGISTRY[name] = rewrite(REGISTRY[name]!);
  }
  for (const e of endpoints) if (e.result) e.result = rewrite(e.result);
  return alias;
}
dedupeRegistry();

function closure(roots: Node[]): string[] {
  const seen = new Set<string>();
  const visit = (node: Node): void => {
    switch (node.t) {
      case 'ref':
        if (!seen.has(node.n)) {
          seen.add(node.n);
          visit(REGISTRY[node.n]!);
        }
        return;
      case 'object':
        for (const v of Object.values(node.p)) visit(v);
        return;
      case 'array':
        return visit(node.i);
      case 'map':
        return visit(node.v);
      case 'union':
        for (const n of Object.values(node.m)) visit({ t: 'ref', n });
        return;
    }
  };
  for (const r of roots) visit(r);
  return [...seen].sort();
}

/* ------------------------------------------------------------------------ */
/* Output                                                                    */
/* ------------------------------------------------------------------------ */

const HEADER = "// GENERATED by scripts/gen-catalog.ts from the vendor's OpenAPI file and official client: do not edit.";
const HOWTO = '// Regenerate with `npm run gen:catalog`; `npm run gen:catalog:check` verifies. Keys: see ../types.ts.';

function emitModule(api: string): string {
  const eps = endpoints.filter((e) => e.api === api);
  const fieldIds = new Map<string, string>();
  const fieldDecls: string[] = [];
  const ruleIds = new Map<string, string>();
  const ruleDecls: string[] = [];
  const ruleRef = (r: RequestRules | null): string => {
    if (!r) return 'null';
    const fields = r.fields.map((f) => {
      const json = JSON.stringify(f);
      let id = fieldIds.get(json);
      if (!id) {
        id = `f${fieldIds.size}`;
        fieldIds.set(json, id);
        fieldDecls.push(`const ${id}: FieldRule = ${json};`);
      }
      return id;
    });
    const body = `{ fields: [${fields.join(', ')}], oneOf: ${JSON.stringify(r.oneOf)} }`;
    let id = ruleIds.get(body);
    if (!id) {
      id = `r${ruleIds.size}`;
      ruleIds.set(body, id);
      ruleDecls.push(`const ${id}: RequestRules = ${body};`);
    }
    return id;
  };
  const epLines = eps.map((e) => {
    const parts = [
      `path: ${JSON.stringify(e.path)}`,
      `method: ${JSON.stringify(e.method)}`,
      `api: ${JSON.stringify(e.api)}`,
      `kind: ${JSON.stringify(e.kind)}`,
      `type: ${JSON.stringify(e.type)}`,
      `fn: ${JSON.stringify(e.fn)}`,
      `ref: ${JSON.stringify(e.ref)}`,
      `params: ${JSON.stringify(e.params)}`,
      `idIn: ${JSON.stringify(e.idIn)}`,
      `clientClass: ${JSON.stringify(e.clientClass)}`,
      `clientMethod: ${JSON.stringify(e.clientMethod)}`,
      `inOpenApi: ${e.inOpenApi}`,
      `request: ${ruleRef(e.request)}`,
      `result: ${e.result ? emitNodes(e.result) : 'null'}`,
    ];
    return `    { ${parts.join(', ')} },`;
  });
  const apiTypes = [...types.values()].filter((t) => t.type.split('/')[0] === api).sort((a, b) => (a.type < b.type ? -1 : 1));
  const typeLines = apiTypes.map((t) => `    ${JSON.stringify(t.type)}: ${JSON.stringify(t)},`);
  const scopes = (readyScopes.get(api) ?? []).sort((a, b) => (a.path < b.path ? -1 : 1));
  const names = closure(eps.flatMap((e) => (e.result ? [e.result] : [])));
  const schemaLines = names.map((n) => `    ${JSON.stringify(n)}: ${emitNodes(REGISTRY[n])},`);
  return [
    HEADER,
    HOWTO,
    '/* eslint-disable */',
    "import type { ApiCatalog, FieldRule, RequestRules, SchemaNode } from '../types.js';",
    '',
    "const _s: SchemaNode = { t: 'string' };",
    "const _i: SchemaNode = { t: 'integer' };",
    "const _n: SchemaNode = { t: 'number' };",
    "const _b: SchemaNode = { t: 'boolean' };",
    "const _ay: SchemaNode = { t: 'any' };",
    '',
    ...fieldDecls,
    '',
    ...ruleDecls,
    '',
    'const catalog: ApiCatalog = {',
    `  api: ${JSON.stringify(api)},`,
    '  endpoints: [',
    ...epLines,
    '  ],',
    '  types: {',
    ...typeLines,
    '  },',
    `  tasksReady: ${JSON.stringify(scopes)},`,
    '  schemas: {',
    ...schemaLines,
    '  },',
    '};',
    'export default catalog;',
    '',
  ].join('\n');
}

function emitIndex(): string {
  return [
    HEADER,
    HOWTO,
    "import type { ApiCatalog, ApiName } from '../types.js';",
    '',
    "/** Every API of the catalog, in the vendor's order. */",
    `export const API_NAMES: readonly ApiName[] = ${JSON.stringify(API_ORDER)};`,
    '',
    '/** Per API, its module: loaded on first use (literal paths, so tsc emits them and they load lazily). */',
    'export const API_LOADERS: { readonly [K in ApiName]: () => Promise<{ default: ApiCatalog }> } = {',
    ...API_ORDER.map((a) => `  ${a}: () => import('./${a}.js'),`),
    '};',
    '',
  ].join('\n');
}

const files = new Map<string, string>();
for (const api of API_ORDER) files.set(`${api}.ts`, emitModule(api));
files.set('apis.ts', emitIndex());

const rel = relative(ROOT, input).split('\\').join('/');
if (args.values.verbose) for (const d of DISAGREEMENTS) console.log(`disagreement: ${d}`);
if (args.values.verbose || !CHECK) for (const p of UNDOCUMENTED) console.log(`note: neither source documents the request fields of ${p}`);

if (CHECK) {
  const stale: string[] = [];
  for (const [name, text] of files) {
    const file = join(OUT_DIR, name);
    if (!existsSync(file) || readFileSync(file, 'utf8') !== text) stale.push(name);
  }
  const extra = existsSync(OUT_DIR) ? readdirSync(OUT_DIR).filter((f) => f.endsWith('.ts') && !files.has(f)) : [];
  if (stale.length === 0 && extra.length === 0) {
    console.log(`${relative(ROOT, OUT_DIR)}: up to date with ${rel} and dataforseo-client ${client.version}`);
    process.exit(0);
  }
  const what = [...stale.map((f) => `${f} differs`), ...extra.map((f) => `${f} is not generated`)].join(', ');
  const command = `npx tsx scripts/gen-catalog.ts${input === DEFAULT_INPUT ? '' : ` ${input}`}`;
  console.error(`${relative(ROOT, OUT_DIR)}: ${what} from what the generator makes of ${rel}: run \`${command}\` and commit the result`);
  process.exit(1);
}

mkdirSync(OUT_DIR, { recursive: true });
for (const [name, text] of files) writeFileSync(join(OUT_DIR, name), text);
const summary = API_ORDER.map((a) => `${a} ${endpoints.filter((e) => e.api === a).length}`).join(', ');
console.log(
  `wrote ${relative(ROOT, OUT_DIR)} from ${rel} (${openapiOperations} operations) and dataforseo-client ${client.version}: ` +
    `${endpoints.length} endpoints (${summary}), ${types.size} types, ${DISAGREEMENTS.length} source disagreements (--verbose lists them)`,
);
