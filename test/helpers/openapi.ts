/**
 * Test helper: validate JSON response bodies against DataForSEO's official
 * OpenAPI 3.0.1 document (openapi-serp.yaml).
 *
 * The document lives OUTSIDE the project (../shared/dataforseo/openapi-serp.yaml
 * relative to the project root, or wherever SERPQ_OPENAPI_FILE points). Nothing
 * may depend on it: callers must guard with `openapiAvailable()`, e.g.
 * `describe.skipIf(!openapiAvailable())(...)`.
 *
 * Why a hand-written validator instead of Ajv: the schemas are generated for
 * DataForSEO's typed clients and are not literally valid JSON Schema for real
 * responses. We interpret them the way those generated clients do:
 *
 *  - `additionalProperties: false` appears on the discriminator base schemas
 *    (BaseSerpApiElementItem, BaseSerpApiGoogleImagesElementItem, ...) that every
 *    concrete item extends through `allOf`; taken literally no item could ever be
 *    valid, so extra properties are always allowed.
 *  - `additionalProperties: <schema>` (a free-form map) is checked per entry EXCEPT
 *    for the bare `{type: object}` value pattern. The generator emits that pattern
 *    for "echo of the request" maps: `BaseResponseTaskInfo.data` and
 *    `SerpIdListResultInfo.metadata`. Taken literally it would reject every real
 *    echo (`"keyword": "x"`, `"location_code": 2840`, `"tag": "t"`); the generated
 *    clients deserialize these as untyped dictionaries. The remaining maps
 *    (maps `rating_distribution` -> integer, paid `extra` -> string,
 *    `WorkHours.timetable` -> WorkDayInfo[]) are plausible and are checked.
 *  - Inheritance is written as `allOf: [{type: object, oneOf: [{$ref: Base}]}, {...own}]`
 *    where Base carries a `discriminator` mapping back to the child. Inside allOf
 *    that member means "Base's own properties"; dispatching on the discriminator
 *    again would recurse forever.
 *  - `discriminator` on a schema reached through `$ref`/`oneOf` outside allOf
 *    (array items: `items: {oneOf: [{$ref: BaseSerpApiElementItem}]}`) dispatches on
 *    the value's discriminator property to the mapped schema; unknown values are
 *    errors.
 *  - `format` (int64, double) is ignored; `integer` means Number.isInteger.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/* ------------------------------------------------------------------------- */
/* Loading                                                                    */
/* ------------------------------------------------------------------------- */

type Schema = {
  $ref?: string;
  type?: string;
  nullable?: boolean;
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  enum?: unknown[];
  additionalProperties?: boolean | Schema;
  discriminator?: { propertyName: string; mapping?: Record<string, string> };
  [k: string]: unknown;
};

type Operation = {
  operationId?: string;
  requestBody?: { content?: Record<string, { schema?: Schema & { example?: unknown } }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
};

type OpenApiDoc = {
  openapi?: string;
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
};

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEFAULT_FILE = resolve(PROJECT_ROOT, '../shared/dataforseo/openapi-serp.yaml');
const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);

/** Absolute path of the OpenAPI file in use (SERPQ_OPENAPI_FILE overrides the default). */
export function openapiFile(): string {
  const env = process.env.SERPQ_OPENAPI_FILE;
  return env && env.trim() !== '' ? resolve(env) : DEFAULT_FILE;
}

/** True when the vendor OpenAPI file is present; tests must skip otherwise. */
export function openapiAvailable(): boolean {
  try {
    return existsSync(openapiFile());
  } catch {
    return false;
  }
}

// Module-level cache: the document is ~1.5 MB of YAML (~0.5 s to parse).
let cached: { file: string; doc: OpenApiDoc } | undefined;

function loadDoc(): OpenApiDoc {
  const file = openapiFile();
  if (cached && cached.file === file) return cached.doc;
  if (!existsSync(file)) {
    throw new Error(`OpenAPI file not found at ${file}; guard tests with openapiAvailable() (or set SERPQ_OPENAPI_FILE)`);
  }
  const doc = parse(readFileSync(file, 'utf8'), { maxAliasCount: -1 }) as OpenApiDoc;
  if (!doc || typeof doc !== 'object' || !doc.paths) {
    throw new Error(`${file} does not look like an OpenAPI document (no "paths")`);
  }
  cached = { file, doc };
  schemaCache.clear();
  return doc;
}

/* ------------------------------------------------------------------------- */
/* Paths                                                                      */
/* ------------------------------------------------------------------------- */

/** Every operation in the document, in document order. */
export function listPaths(): Array<{ method: string; path: string; operationId: string }> {
  const doc = loadDoc();
  const out: Array<{ method: string; path: string; operationId: string }> = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item ?? {})) {
      if (!HTTP_METHODS.has(method)) continue;
      out.push({ method, path, operationId: op?.operationId ?? '' });
    }
  }
  return out;
}

function normalizeUrlPath(urlPath: string): string {
  let p = urlPath;
  if (/^[a-z]+:\/\//i.test(p)) p = new URL(p).pathname;
  p = p.replace(/[?#].*$/, '');
  if (p.length > 1) p = p.replace(/\/+$/, '');
  if (!p.startsWith('/')) p = '/' + p;
  return p;
}

/**
 * The path template of `method` matching a concrete URL path, or undefined.
 * `{param}` segments match exactly one non-empty segment; when several templates
 * match, the one with the most literal segments wins.
 */
export function findPathTemplate(method: 'get' | 'post', urlPath: string): string | undefined {
  const doc = loadDoc();
  const segs = normalizeUrlPath(urlPath).split('/');
  let best: { path: string; literals: number } | undefined;
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!item?.[method]) continue;
    const tsegs = path.split('/');
    if (tsegs.length !== segs.length) continue;
    let literals = 0;
    let ok = true;
    for (let i = 0; i < tsegs.length; i++) {
      const t = tsegs[i]!;
      if (/^\{[^}]+\}$/.test(t)) {
        if (segs[i] === '') ok = false;
      } else if (t === segs[i]) {
        literals++;
      } else {
        ok = false;
      }
      if (!ok) break;
    }
    if (ok && (!best || literals > best.literals)) best = { path, literals };
  }
  return best?.path;
}

/* ------------------------------------------------------------------------- */
/* Requests                                                                   */
/* ------------------------------------------------------------------------- */

/** One documented request field: its name, its description text (whitespace collapsed) and JSON type. */
export interface RequestField {
  readonly name: string;
  readonly type: string | undefined;
  readonly description: string;
}

/** A POST operation's published request: the body example and the fields of its task object. */
export interface RequestDoc {
  readonly path: string;
  /** `requestBody.content['application/json'].schema.example` (an array of task objects), if any. */
  readonly example: unknown;
  readonly fields: ReadonlyMap<string, RequestField>;
}

function taskSchema(body: Schema | undefined): Schema | undefined {
  const items = body?.items;
  const ref = items?.$ref ?? items?.oneOf?.find((s) => s.$ref)?.$ref;
  return ref ? resolveRef(ref) : items;
}

/** The request documentation of every POST path whose path matches `pattern`, in document order. */
export function requestDocs(pattern: RegExp): RequestDoc[] {
  const doc = loadDoc();
  const out: RequestDoc[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    const body = item?.post?.requestBody?.content?.['application/json']?.schema;
    if (!body || !pattern.test(path)) continue;
    const fields = new Map<string, RequestField>();
    for (const [name, field] of Object.entries(taskSchema(body)?.properties ?? {})) {
      const description = typeof field.description === 'string' ? field.description.replace(/\s+/g, ' ').trim() : '';
      fields.set(name, { name, type: field.type, description });
    }
    out.push({ path, example: body.example, fields });
  }
  return out;
}

/* ------------------------------------------------------------------------- */
/* Validation                                                                 */
/* ------------------------------------------------------------------------- */

export interface ValidateOptions {
  /**
   * Every property declared by the schema must be PRESENT (null is fine when the
   * property is nullable). Applied only inside `tasks[i].result[...]` (result
   * objects, their items, and everything nested below): envelope and task-level
   * keys may legitimately be absent, and `data` is an echo of the request.
   */
  requireAllProperties?: boolean;
  /**
   * A null where the schema is a bare `$ref` is accepted: OpenAPI 3.0 cannot mark a `$ref` nullable,
   * and the vendor's answers carry null there for objects it did not compute (e.g. the clickstream
   * and normalized keyword info of Labs without `include_clickstream_data`).
   */
  nullRefs?: boolean;
}

const ENVELOPE_KEYS = ['version', 'status_code', 'status_message', 'time', 'cost', 'tasks_count', 'tasks_error', 'tasks'] as const;

const REF_PREFIX = '#/components/schemas/';
const schemaCache = new Map<string, Schema>();

function refName(ref: string): string {
  if (!ref.startsWith(REF_PREFIX)) throw new Error(`unsupported $ref '${ref}' (only ${REF_PREFIX}X)`);
  return ref.slice(REF_PREFIX.length);
}

function resolveRef(ref: string): Schema {
  const name = refName(ref);
  const hit = schemaCache.get(name);
  if (hit) return hit;
  const schema = loadDoc().components?.schemas?.[name];
  if (!schema) throw new Error(`unresolvable $ref '${ref}'`);
  schemaCache.set(name, schema);
  return schema;
}

interface Ctx {
  strict: boolean;
  nullRefs: boolean;
  /** Recursion guard: (value object, schema name) pairs currently being validated. */
  active: WeakMap<object, Set<string>>;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fmtPath(path: string): string {
  return path === '' ? '(root)' : path;
}

function childPath(path: string, key: string): string {
  const k = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `[${JSON.stringify(key)}]`;
  if (k.startsWith('[')) return path + k;
  return path === '' ? k : `${path}.${k}`;
}

/** requireAllProperties applies from tasks[i].result[j] downwards only. */
function strictAt(path: string): boolean {
  return /^tasks\[\d+\]\.result(\[\d+\]|\.|$)/.test(path);
}

function checkType(type: string, value: unknown, path: string, errors: string[]): boolean {
  let ok: boolean;
  switch (type) {
    case 'string':
      ok = typeof value === 'string';
      break;
    case 'integer':
      ok = typeof value === 'number' && Number.isInteger(value);
      break;
    case 'number':
      ok = typeof value === 'number' && Number.isFinite(value);
      break;
    case 'boolean':
      ok = typeof value === 'boolean';
      break;
    case 'array':
      ok = Array.isArray(value);
      break;
    case 'object':
      ok = isPlainObject(value);
      break;
    default:
      ok = true; // unknown type keyword: do not guess
  }
  if (!ok) errors.push(`${fmtPath(path)}: expected ${type}, got ${typeOf(value)}`);
  return ok;
}

/**
 * Validate `value` against `schema`.
 * @param dispatch whether a discriminator on a $ref'd schema may redirect to the
 *   mapped sub-schema (false inside allOf: "the base's own properties").
 */
function validate(schema: Schema, value: unknown, path: string, ctx: Ctx, dispatch: boolean, errors: string[]): void {
  if (value === undefined) return;

  if (schema.$ref !== undefined) {
    if (value === null && ctx.nullRefs) return;
    validateRef(schema.$ref, value, path, ctx, dispatch, errors);
    return;
  }

  if (value === null) {
    if (schema.nullable === true) return;
    if (typeof schema.type === 'string') {
      errors.push(`${fmtPath(path)}: expected ${schema.type}, got null`);
      return;
    }
    // No type at this level (e.g. a bare oneOf/allOf): let the members decide.
  }

  if (value !== null && typeof schema.type === 'string') {
    if (!checkType(schema.type, value, path, errors)) return;
  }

  if (Array.isArray(schema.enum) && value !== null && !schema.enum.some((e) => e === value)) {
    errors.push(`${fmtPath(path)}: value ${JSON.stringify(value)} not in enum ${JSON.stringify(schema.enum)}`);
  }

  if (schema.allOf) {
    for (const member of schema.allOf) {
      // Inheritance: refs inside allOf (directly or through a single-element oneOf)
      // mean the base's own properties; never dispatch through its discriminator.
      validate(member, value, path, ctx, false, errors);
    }
  }

  if (schema.oneOf && schema.oneOf.length > 0) {
    validateOneOf(schema.oneOf, value, path, ctx, dispatch, errors);
  }

  if (schema.anyOf && schema.anyOf.length > 0) {
    validateOneOf(schema.anyOf, value, path, ctx, dispatch, errors);
  }

  if (value === null) return;

  if (Array.isArray(value) && schema.items) {
    const items = schema.items;
    value.forEach((v, i) => validate(items, v, `${path}[${i}]`, ctx, true, errors));
  }

  if (isPlainObject(value) && schema.properties) {
    const strict = ctx.strict && strictAt(path);
    for (const [key, propSchema] of Object.entries(schema.properties)) {
      const p = childPath(path, key);
      if (!Object.prototype.hasOwnProperty.call(value, key) || value[key] === undefined) {
        if (strict) errors.push(`${fmtPath(p)}: missing property (declared by the schema)`);
        continue;
      }
      validate(propSchema, value[key], p, ctx, true, errors);
    }
  }
  const ap = schema.additionalProperties;
  if (isPlainObject(value) && typeof ap === 'object' && ap !== null && !isUntypedObjectMap(ap)) {
    const declared = schema.properties ?? {};
    for (const [key, v] of Object.entries(value)) {
      if (Object.prototype.hasOwnProperty.call(declared, key)) continue;
      validate(ap, v, childPath(path, key), ctx, true, errors);
    }
  }
  // `additionalProperties: false` is never enforced, see the header comment.
}

/**
 * The generator's `additionalProperties: {type: object[, nullable]}` pattern used
 * for request echoes (`data`, id_list `metadata`): not checked, see header comment.
 */
function isUntypedObjectMap(ap: Schema): boolean {
  return ap.type === 'object' && !ap.properties && !ap.$ref && !ap.allOf && !ap.oneOf && !ap.anyOf && !ap.items;
}

function validateOneOf(members: Schema[], value: unknown, path: string, ctx: Ctx, dispatch: boolean, errors: string[]): void {
  if (members.length === 1) {
    validate(members[0]!, value, path, ctx, dispatch, errors);
    return;
  }
  let closest: string[] | undefined;
  for (const m of members) {
    const errs: string[] = [];
    validate(m, value, path, ctx, dispatch, errs);
    if (errs.length === 0) return;
    if (!closest || errs.length < closest.length) closest = errs;
  }
  errors.push(`${fmtPath(path)}: matches none of ${members.length} oneOf alternatives; closest:`);
  errors.push(...(closest ?? []));
}

function validateRef(ref: string, value: unknown, path: string, ctx: Ctx, dispatch: boolean, errors: string[]): void {
  const name = refName(ref);
  const schema = resolveRef(ref);

  if (dispatch && schema.discriminator && isPlainObject(value)) {
    const { propertyName, mapping } = schema.discriminator;
    const tag = value[propertyName];
    const target = typeof tag === 'string' ? mapping?.[tag] : undefined;
    if (target === undefined) {
      const shown = tag === undefined ? 'undefined' : typeof tag === 'string' ? `'${tag}'` : JSON.stringify(tag);
      const what = propertyName === 'type' ? 'item type' : `${propertyName}`;
      errors.push(`${fmtPath(path)}: unknown ${what} ${shown} for ${name}`);
      // Still check the base's own properties so other errors surface too.
      validateNamed(name, schema, value, path, ctx, errors);
      return;
    }
    if (refName(target) !== name) {
      // The mapped schema extends the base via allOf (validated without dispatch).
      validateRef(target, value, path, ctx, true, errors);
      return;
    }
  }
  validateNamed(name, schema, value, path, ctx, errors);
}

function validateNamed(name: string, schema: Schema, value: unknown, path: string, ctx: Ctx, errors: string[]): void {
  if (typeof value === 'object' && value !== null) {
    let active = ctx.active.get(value);
    if (!active) ctx.active.set(value, (active = new Set()));
    if (active.has(name)) return; // recursion guard: already validating this value against this schema
    active.add(name);
    try {
      validate(schema, value, path, ctx, false, errors);
    } finally {
      active.delete(name);
    }
    return;
  }
  validate(schema, value, path, ctx, false, errors);
}

function responseSchema(method: string, pathTemplate: string): Schema | string {
  const doc = loadDoc();
  const op = doc.paths[pathTemplate]?.[method];
  if (!op) return `no ${method.toUpperCase()} operation for path template '${pathTemplate}' in ${openapiFile()}`;
  const content = op.responses?.['200']?.content;
  const schema = content?.['application/json']?.schema ?? Object.values(content ?? {})[0]?.schema;
  if (!schema) return `${method.toUpperCase()} ${pathTemplate} declares no 200 response schema`;
  return schema;
}

function envelopeErrors(body: unknown): string[] {
  if (!isPlainObject(body)) return [`(root): expected a response envelope object, got ${typeOf(body)}`];
  return ENVELOPE_KEYS.filter((k) => !Object.prototype.hasOwnProperty.call(body, k)).map((k) => `(root): missing envelope key '${k}'`);
}

function dedupe(errors: string[]): string[] {
  return [...new Set(errors)];
}

/**
 * Errors (empty = valid) of `body` against the 200 response schema of `method`
 * `pathTemplate`, e.g. ('get', '/v3/serp/google/images/task_get/advanced/{id}').
 * An unknown method/path template yields a single error.
 */
export function validateResponse(method: 'get' | 'post', pathTemplate: string, body: unknown, options: ValidateOptions = {}): string[] {
  const schema = responseSchema(method, pathTemplate);
  if (typeof schema === 'string') return [schema];
  const errors = envelopeErrors(body);
  if (!isPlainObject(body)) return errors;
  const ctx: Ctx = { strict: options.requireAllProperties === true, nullRefs: options.nullRefs === true, active: new WeakMap() };
  // The root schema is `{type: object, nullable: true, oneOf: [$ref ...ResponseInfo]}`;
  // a null body is already rejected by the envelope check above.
  validate(schema, body, '', ctx, true, errors);
  return dedupe(errors);
}

/**
 * Same as validateResponse, but first finds the path template for a concrete URL
 * path such as /v3/serp/google/images/task_get/html/0123... (query string and
 * trailing slash ignored).
 */
export function validateResponseForUrl(method: 'get' | 'post', urlPath: string, body: unknown, options: ValidateOptions = {}): string[] {
  const template = findPathTemplate(method, urlPath);
  if (!template) return [`no ${method.toUpperCase()} path template in ${openapiFile()} matches '${urlPath}'`];
  return validateResponse(method, template, body, options);
}
