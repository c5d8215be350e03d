// Schema walking: compiles a node of the vendor's schema (object, array, map, reference, union) into
// a generator once, cached per schema name, with the nesting and presence rules that keep results
// realistic in size: optional objects are sparse on items and richer deeper down, nothing nests
// past MAX_DEPTH, and each array of items gets its own rank counters.

import { NAMED_SCHEMAS, type SchemaNode } from './schema-data.js';
import { booleanGen, integerGen, numberGen, stringArrayGen, stringGen } from './schema-faker-fields.js';
import { MAX_DEPTH, emptyState, type Ctx, type Gen, type ObjGen, type ObjState, type Rank } from './schema-faker-model.js';
import { WEEKDAYS } from './schema-faker-words.js';
import { MODIFIERS } from './vocab.js';

/** schema name -> discriminator tag, from every union mapping (first union wins). */
const TAG_OF = new Map<string, string>();
for (const node of Object.values(NAMED_SCHEMAS)) {
  if (node.t !== 'union') continue;
  for (const [tag, name] of Object.entries(node.m)) if (!TAG_OF.has(name)) TAG_OF.set(name, tag);
}

/** `type` values of item schemas that are not union members (the vendor's element names). */
const NAME_TAGS: Record<string, string> = {
  AiModeAiOverviewInfo: 'ai_overview',
  GoogleJobsItem: 'google_jobs_item',
  EventItem: 'event_item',
  Autocomplete: 'autocomplete',
  Dataset: 'dataset',
  YoutubeComment: 'youtube_comment',
  YoutubeVideoInfo: 'youtube_video_info',
  YoutubeSubtitles: 'youtube_subtitles',
  AdsSearch: 'ads_search',
};

/**
 * The `type` an object of a named schema carries: its discriminator tag, a known element name, or
 * one derived from the schema name ("SerpGoogleOrganicItem" style -> snake_case).
 */
export function tagForName(name: string): string {
  const t = TAG_OF.get(name) ?? NAME_TAGS[name];
  if (t) return t;
  const base = name
    .replace(/^(Base)?(SerpApi|Serp)?(AiMode|Bing)?/, '')
    .replace(/(ElementItem|Info|Item)$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
  return base || 'element';
}

const namedCache = new Map<string, ObjGen>();

/** The generator of a named schema (with the tag it is used under), compiled once. */
export function named(name: string, tag: string | null): ObjGen {
  const key = tag === null ? name : `${name}|${tag}`;
  let g = namedCache.get(key);
  if (g) return g;
  const node = NAMED_SCHEMAS[name];
  if (!node) throw new Error(`schema-faker: unknown named schema ${name}`);
  if (node.t === 'object') g = compileObject(node.p, tag ?? tagForName(name), name);
  else if (node.t === 'union') g = compileUnionSingle(node.m);
  else {
    const inner = compileValue('', node);
    g = (c, d) => inner(c, d, emptyState(null)) as Record<string, unknown> | null;
  }
  namedCache.set(key, g);
  return g;
}

/** A lazily-resolved reference (schemas are recursive). */
function lazyNamed(name: string): ObjGen {
  let g: ObjGen | null = null;
  return (c, d, rank, top) => (g ??= named(name, null))(c, d, rank, top);
}

/** An object of the schema: one generator per field, its `type` fixed to the tag it is used under. */
function compileObject(props: Readonly<Record<string, SchemaNode>>, tag: string, schemaName: string): ObjGen {
  const keys = Object.keys(props);
  const gens: Gen[] = keys.map((k) => {
    if (k === 'type' && props[k]!.t === 'string') return () => tag;
    return compileValue(k, props[k]!, schemaName);
  });
  const build = objectBuilder(keys);
  return (c, d, rank, top) => {
    if (d > MAX_DEPTH) return null;
    const st: ObjState = { tag, rankAbs: rank ? rank.abs : 0, rankGroup: rank ? rank.group : 0, top, domain: null };
    return build(gens, c, d + 1, st);
  };
}

type Builder = (gens: readonly Gen[], c: Ctx, d: number, st: ObjState) => Record<string, unknown>;

/**
 * A function returning an object literal with the schema's keys in order, each value produced by
 * gens[i]. An object literal gets one fixed hidden class, several times faster than adding keys to
 * `{}` one by one. Keys come from the generated schema data and are JSON-quoted, so this is safe.
 */
function objectBuilder(keys: readonly string[]): Builder {
  const body = `return {${keys.map((k, i) => `${JSON.stringify(k)}: g[${i}](c, d, st)`).join(', ')}};`;
  return new Function('g', 'c', 'd', 'st', body) as Builder;
}

/** A single union-typed value: one member, drawn at random per object. */
function compileUnionSingle(m: Readonly<Record<string, string>>): ObjGen {
  const tags = Object.keys(m);
  const gens = tags.map((t) => {
    let g: ObjGen | null = null;
    return (c: Ctx, d: number, rank: Rank | null, top: boolean) => (g ??= named(m[t]!, t))(c, d, rank, top);
  });
  return (c, d, rank, top) => gens[Math.floor(c.rng.next() * gens.length)]!(c, d, rank, top);
}

/** Generator for one object-valued field (ref/union/object), null-or-present by probability. */
export function compileValue(key: string, node: SchemaNode, owner = ''): Gen {
  switch (node.t) {
    case 'string':
      return stringGen(key);
    case 'integer':
      return integerGen(key);
    case 'number':
      return numberGen(key);
    case 'boolean':
      return booleanGen(key);
    case 'any':
      return () => null;
    case 'map':
      return compileMap(key, node.v);
    case 'array':
      return compileArray(key, node.i, owner);
    case 'object': {
      const g = compileObject(node.p, key, owner + '.' + key);
      return optionalObj(key, g);
    }
    case 'ref': {
      if (key === 'rectangle' || key === 'spell' || key === 'refinement_chips') return () => null;
      return optionalObj(key, lazyNamed(node.n));
    }
    case 'union': {
      const g = compileUnionSingle(node.m);
      return optionalObj(key, g);
    }
  }
}

/** Nested objects that always accompany their parent (the parent is meaningless without them). */
const ALWAYS_OBJ = new Set(['quote', 'address_info', 'open', 'close', 'event_dates', 'location_info', 'work_hours']);
/** rating/price are present on these item kinds and rare elsewhere. */
const RATED = /maps|local|hotel|shopping|product|app|review|popular|recipe|course|place|sights|event|youtube_video_info/;

/** Probability that an optional nested object/array is present: sparse on items, richer deeper down. */
function presence(key: string, d: number, st: ObjState): number {
  if (ALWAYS_OBJ.has(key)) return 1;
  if (key === 'rating' || key === 'price' || key === 'rating_distribution') return st.tag !== null && RATED.test(st.tag) ? 1 : 0.1;
  return d <= 2 ? 0.12 : 0.3;
}

function optionalObj(key: string, g: ObjGen): Gen {
  return (c, d, st) => {
    if (d > MAX_DEPTH) return null;
    const p = presence(key, d, st);
    if (p < 1 && !c.rng.chance(p)) return null;
    return g(c, d, null, false);
  };
}

function compileMap(key: string, v: SchemaNode): Gen {
  if (key === 'rating_distribution') {
    return (c, d, st) => {
      if (!c.rng.chance(presence(key, d, st))) return null;
      const out: Record<string, number> = {};
      for (let s = 1; s <= 5; s++) out[String(s)] = c.rng.int(0, 400) * s;
      return out;
    };
  }
  if (key === 'timetable' && v.t === 'array' && v.i.t === 'ref' && v.i.n === 'WorkDayInfo') {
    // Opening hours: one interval per day, opening before closing.
    return (c, d) => {
      if (d > MAX_DEPTH) return null;
      const open = c.rng.int(6, 11);
      const close = c.rng.int(17, 23);
      const out: Record<string, unknown> = {};
      for (const day of WEEKDAYS) {
        out[day] =
          day === 'sunday' && c.rng.chance(0.3)
            ? null
            : [{ open: { hour: open, minute: 0 }, close: { hour: close, minute: c.rng.pick([0, 30]) } }];
      }
      return out;
    };
  }
  if (key === 'timetable') {
    const inner = compileArray('', v.t === 'array' ? v.i : v, '');
    return (c, d, st) => {
      if (d > MAX_DEPTH) return null;
      const out: Record<string, unknown> = {};
      for (const day of WEEKDAYS) out[day] = inner(c, d, st);
      return out;
    };
  }
  const g = compileValue(key, v);
  return (c, d, st) => {
    if (d > MAX_DEPTH || !c.rng.chance(presence(key, d, st))) return null;
    return { [c.rng.pick(MODIFIERS)]: g(c, d + 1, st) };
  };
}

/** Arrays of objects (union or named/inline) get their own rank counters; arrays of scalars are small. */
function compileArray(key: string, item: SchemaNode, owner: string): Gen {
  if (item.t === 'string') return stringArrayGen(key);
  if (item.t === 'integer' || item.t === 'number' || item.t === 'boolean') {
    const g = compileValue(key, item);
    return (c, d, st) => {
      if (d > MAX_DEPTH + 1) return null;
      const n = c.rng.int(1, 4);
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) out.push(g(c, d, st));
      return out;
    };
  }
  if (item.t === 'array') {
    const g = compileArray(key, item.i, owner);
    return (c, d, st) => {
      if (d > MAX_DEPTH) return null;
      const n = c.rng.int(1, 3);
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) out.push(g(c, d + 1, st));
      return out;
    };
  }
  if (item.t === 'any' || item.t === 'map') return () => null;

  let pickTag: ((c: Ctx) => string) | null = null;
  let memberGen: (tag: string) => ObjGen;
  if (item.t === 'ref' && NAMED_SCHEMAS[item.n]?.t === 'union') {
    const m = (NAMED_SCHEMAS[item.n] as { m: Readonly<Record<string, string>> }).m;
    const tags = Object.keys(m);
    const gens = new Map<string, ObjGen>();
    memberGen = (t) => {
      let g = gens.get(t);
      if (!g) gens.set(t, (g = named(m[t]!, t)));
      return g;
    };
    pickTag = (c) => tags[Math.floor(c.rng.next() * tags.length)]!;
  } else if (item.t === 'ref') {
    const tag = tagForName(item.n);
    const g = lazyNamed(item.n);
    memberGen = () => g;
    pickTag = () => tag;
  } else {
    const inline = compileObject((item as { p: Readonly<Record<string, SchemaNode>> }).p, key.replace(/s$/, '') + '_element', owner);
    memberGen = () => inline;
    pickTag = () => key;
  }
  // "items" of a SERP feature are its content: always present when the depth budget allows.
  const always = key === 'items' || key === 'timetable' || key === '' || key === 'quotes' || key === 'subtitles';
  return (c, d, st) => {
    if (d > MAX_DEPTH) return null;
    if (!always && !c.rng.chance(presence(key, d, st))) return null;
    const n = c.rng.int(1, d <= 2 ? 4 : 3);
    const out: unknown[] = [];
    const groups = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const tag = pickTag!(c);
      const g = (groups.get(tag) ?? 0) + 1;
      groups.set(tag, g);
      out.push(memberGen(tag)(c, d, { abs: i + 1, group: g }, false));
    }
    return out;
  };
}
