// Converts schemas of DataForSEO's OpenAPI files into the compact structural `Node` format shared by
// the generators (src/executors/sandbox/schema-data.ts, src/domain/api-catalog/generated/*.ts).
// Structure only: field names, JSON types, array items, maps, named refs and discriminated unions.
//
// The vendor's files write inheritance as `allOf: [{oneOf: [{$ref: Base}]}, {own properties}]` where
// Base carries a `discriminator` mapping back to the child: inside allOf such a member means "the
// base's own properties"; anywhere else a ref to a discriminated schema is a union.

export type Schema = {
  $ref?: string;
  type?: string;
  nullable?: boolean;
  description?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  additionalProperties?: boolean | Schema;
  discriminator?: { propertyName: string; mapping?: Record<string, string> };
};

export type Node =
  | { t: 'string' | 'integer' | 'number' | 'boolean' | 'any' }
  | { t: 'object'; p: Record<string, Node> }
  | { t: 'array'; i: Node }
  | { t: 'map'; v: Node }
  | { t: 'ref'; n: string }
  | { t: 'union'; d: string; m: Record<string, string> };

export const REF_PREFIX = '#/components/schemas/';

export function refName(ref: string): string {
  if (!ref.startsWith(REF_PREFIX)) throw new Error(`unsupported $ref ${ref}`);
  return ref.slice(REF_PREFIX.length);
}

/** A single $ref behind `{$ref}` or `{oneOf|anyOf: [{$ref}]}`; undefined otherwise. */
export function singleRef(s: Schema): string | undefined {
  if (s.$ref) return refName(s.$ref);
  const alts = s.oneOf ?? s.anyOf;
  if (alts && alts.length === 1 && alts[0]!.$ref && !s.properties) return refName(alts[0]!.$ref);
  return undefined;
}

/**
 * Converts named and inline schemas to Nodes, registering every named schema it meets in `named`.
 * `external`, when given, is asked first for every named schema: a Node it returns is used instead
 * (the caller registers what it needs), so another source can take precedence by name.
 */
export class OpenApiNodes {
  readonly named: Record<string, Node>;
  private readonly inProgress = new Set<string>();

  constructor(
    readonly schemas: Record<string, Schema>,
    options: { named?: Record<string, Node>; external?: (name: string) => Node | undefined } = {},
  ) {
    this.named = options.named ?? {};
    this.external = options.external;
  }

  private readonly external: ((name: string) => Node | undefined) | undefined;

  schema(name: string): Schema {
    const s = this.schemas[name];
    if (!s) throw new Error(`unknown schema ${name}`);
    return s;
  }

  /** Own properties of a schema (allOf members merged; refs inside allOf mean "the base's own properties"). */
  ownProps(s: Schema, out: Record<string, Node>): void {
    const r = singleRef(s);
    if (r) {
      this.ownProps(this.schema(r), out);
      return;
    }
    for (const m of s.allOf ?? []) this.ownProps(m, out);
    const alts = s.oneOf ?? s.anyOf;
    if (alts) {
      if (alts.length !== 1) throw new Error('multi-member oneOf/anyOf is not supported');
      this.ownProps(alts[0]!, out);
    }
    for (const [k, v] of Object.entries(s.properties ?? {})) out[k] = this.convert(v);
  }

  /** Registers a named schema (object or discriminated union) and returns a ref to it. */
  refTo(name: string): Node {
    const ext = this.external?.(name);
    if (ext) return ext;
    if (!(name in this.named) && !this.inProgress.has(name)) {
      this.inProgress.add(name);
      const s = this.schema(name);
      let node: Node;
      if (s.discriminator) {
        const m: Record<string, string> = {};
        for (const [tag, target] of Object.entries(s.discriminator.mapping ?? {})) {
          const t = refName(target);
          if (t === name) throw new Error(`${name}: discriminator maps '${tag}' to itself (unsupported)`);
          m[tag] = t;
          this.refTo(t);
        }
        node = { t: 'union', d: s.discriminator.propertyName, m };
      } else {
        node = this.convertInline(s);
      }
      this.named[name] = node;
      this.inProgress.delete(name);
    }
    return { t: 'ref', n: name };
  }

  convert(s: Schema): Node {
    const r = singleRef(s);
    if (r) return this.refTo(r);
    return this.convertInline(s);
  }

  convertInline(s: Schema): Node {
    if (s.allOf || s.properties) {
      const p: Record<string, Node> = {};
      this.ownProps(s, p);
      return { t: 'object', p };
    }
    const alts = s.oneOf ?? s.anyOf;
    if (alts) {
      if (alts.length !== 1) throw new Error('multi-member oneOf/anyOf is not supported');
      return this.convert(alts[0]!);
    }
    switch (s.type) {
      case 'string':
      case 'integer':
      case 'number':
      case 'boolean':
        return { t: s.type };
      case 'array':
        return { t: 'array', i: s.items ? this.convert(s.items) : { t: 'any' } };
      case 'object':
      case undefined: {
        const ap = s.additionalProperties;
        if (ap && typeof ap === 'object') {
          const untyped = ap.type === 'object' && !ap.properties && !ap.$ref && !ap.allOf && !ap.oneOf && !ap.items;
          return untyped ? { t: 'any' } : { t: 'map', v: this.convert(ap) };
        }
        return { t: 'any' };
      }
      default:
        throw new Error(`unsupported type ${s.type}`);
    }
  }

  /** Raw (unconverted) merged properties of a schema through allOf/refs. */
  collectProps(s: Schema): Record<string, Schema> {
    const r = singleRef(s);
    if (r) return this.collectProps(this.schema(r));
    let out: Record<string, Schema> = {};
    for (const m of s.allOf ?? []) out = { ...out, ...this.collectProps(m) };
    return { ...out, ...(s.properties ?? {}) };
  }
}

/** Primitive nodes become shared constants (_s, _i, _n, _b, _ay) in the emitted modules. */
export function emitNodes(value: unknown): string {
  return JSON.stringify(value).replace(
    /\{"t":"(string|integer|number|boolean|any)"\}/g,
    (_m, t: string) => `_${t[0]}${t === 'any' ? 'y' : ''}`,
  );
}
