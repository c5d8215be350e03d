import type { ApiCatalog, Endpoint } from '../../domain/api-catalog/index.js';
import { NAMED_SCHEMAS, RESULT_SCHEMAS, type SchemaNode } from '../sandbox/schema-data.js';

type Named = Readonly<Record<string, SchemaNode>>;

/**
 * Checks a result against the official schema extract of its path (`se/se_type/function`): every
 * documented field has the documented type (any may be null), items dispatch on their `type`, and
 * the result itself has no field the schema does not name (a misspelt `items_cuont` is caught here,
 * not in a client). Items may carry fields the extract lacks: the vendor's own responses do (news
 * items' `source`), and the schema lags them.
 * Returns null when it matches, else the first wrong field by its path and what was wrong.
 */
export function resultProblem(se: string, seType: string, fn: string, value: unknown): string | null {
  const schema = RESULT_SCHEMAS[`${se}/${seType}/${fn}`];
  if (!schema) return null;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return `result: expected an object, got ${kind(value)}`;
  if (schema.t === 'object') {
    for (const k of Object.keys(value)) if (!schema.p[k]) return `result.${k}: not a field of this result`;
  }
  return check(schema, value, 'result', NAMED_SCHEMAS);
}

/**
 * Checks the `result` array of another API's endpoint (a live endpoint, or a task type's task_get
 * function) against the catalog's schema of one result item, by the same rules: each item is
 * checked as SERP's result object is (no field the schema does not name), what it holds as its
 * items are. Returns null when it matches (or the catalog has no schema for it), else the first wrong
 * field by its path (`result[0].items[3].keyword`) and what was wrong.
 */
export function catalogResultProblem(api: ApiCatalog, endpoint: Endpoint, value: unknown): string | null {
  if (!Array.isArray(value)) return `result: expected an array, got ${kind(value)}`;
  const node = endpoint.result;
  if (!node) return null;
  const named = api.schemas as Named;
  const item = node.t === 'ref' ? named[node.n] : node;
  for (let i = 0; i < value.length; i++) {
    const v: unknown = value[i];
    if (v === null) continue;
    if (item?.t === 'object') {
      if (typeof v !== 'object' || Array.isArray(v)) return `result[${i}]: expected an object, got ${kind(v)}`;
      for (const k of Object.keys(v)) if (!item.p[k]) return `result[${i}].${k}: not a field of this result`;
    }
    const p = check(node as SchemaNode, v, `result[${i}]`, named);
    if (p) return p;
  }
  return null;
}

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`.slice(0, 60);
}

function check(node: SchemaNode, v: unknown, path: string, named: Named): string | null {
  if (v === null || v === undefined) return null;
  switch (node.t) {
    case 'any':
      return null;
    case 'string':
      return typeof v === 'string' ? null : `${path}: expected a string, got ${kind(v)}`;
    case 'integer':
      return Number.isInteger(v) ? null : `${path}: expected an integer, got ${kind(v)}`;
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? null : `${path}: expected a number, got ${kind(v)}`;
    case 'boolean':
      return typeof v === 'boolean' ? null : `${path}: expected a boolean, got ${kind(v)}`;
    case 'array': {
      if (!Array.isArray(v)) return `${path}: expected an array, got ${kind(v)}`;
      for (let i = 0; i < v.length; i++) {
        const p = check(node.i, v[i], `${path}[${i}]`, named);
        if (p) return p;
      }
      return null;
    }
    case 'map': {
      if (typeof v !== 'object' || Array.isArray(v)) return `${path}: expected an object, got ${kind(v)}`;
      for (const [k, x] of Object.entries(v)) {
        const p = check(node.v, x, `${path}.${k}`, named);
        if (p) return p;
      }
      return null;
    }
    case 'object': {
      if (typeof v !== 'object' || Array.isArray(v)) return `${path}: expected an object, got ${kind(v)}`;
      for (const [k, x] of Object.entries(v)) {
        const field = node.p[k];
        if (!field) continue;
        const p = check(field, x, `${path}.${k}`, named);
        if (p) return p;
      }
      return null;
    }
    case 'ref': {
      const ref = named[node.n];
      return ref ? check(ref, v, path, named) : null;
    }
    case 'union': {
      if (typeof v !== 'object' || Array.isArray(v)) return `${path}: expected an object, got ${kind(v)}`;
      const d = (v as Record<string, unknown>)[node.d];
      const target = typeof d === 'string' ? node.m[d] : undefined;
      if (!target) return `${path}.${node.d}: ${kind(d)} is not an item type of this result`;
      const ref = named[target];
      return ref ? check(ref, v, path, named) : null;
    }
  }
}
