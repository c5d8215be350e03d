import { NAMED_SCHEMAS, RESULT_SCHEMAS, type SchemaNode } from '../sandbox/schema-data.js';

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
  return check(schema, value, 'result');
}

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`.slice(0, 60);
}

function check(node: SchemaNode, v: unknown, path: string): string | null {
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
        const p = check(node.i, v[i], `${path}[${i}]`);
        if (p) return p;
      }
      return null;
    }
    case 'map': {
      if (typeof v !== 'object' || Array.isArray(v)) return `${path}: expected an object, got ${kind(v)}`;
      for (const [k, x] of Object.entries(v)) {
        const p = check(node.v, x, `${path}.${k}`);
        if (p) return p;
      }
      return null;
    }
    case 'object': {
      if (typeof v !== 'object' || Array.isArray(v)) return `${path}: expected an object, got ${kind(v)}`;
      for (const [k, x] of Object.entries(v)) {
        const field = node.p[k];
        if (!field) continue;
        const p = check(field, x, `${path}.${k}`);
        if (p) return p;
      }
      return null;
    }
    case 'ref': {
      const named = NAMED_SCHEMAS[node.n];
      return named ? check(named, v, path) : null;
    }
    case 'union': {
      if (typeof v !== 'object' || Array.isArray(v)) return `${path}: expected an object, got ${kind(v)}`;
      const d = (v as Record<string, unknown>)[node.d];
      const target = typeof d === 'string' ? node.m[d] : undefined;
      if (!target) return `${path}.${node.d}: ${kind(d)} is not an item type of this result`;
      const named = NAMED_SCHEMAS[target];
      return named ? check(named, v, path) : null;
    }
  }
}
