// Types shared by the parts of the schema-driven renderer: the per-render context, the per-object
// state, and the compiled generator functions a schema key turns into.

import type { Rng } from './prng.js';
import type { SerpRenderInput } from './render-input.js';

/** What a render computes once from the task (makeCtx in schema-faker.ts). */
export interface Ctx {
  readonly input: SerpRenderInput;
  /** The generator of the current top-level item (re-seeded per item). */
  rng: Rng;
  /** keyword (or a topic standing in for it), Title Case, slug, query-string form. */
  readonly kw: string;
  readonly Kw: string;
  readonly slug: string;
  /** keyword without local-intent words, for business names and categories */
  readonly core: string;
  readonly plus: string;
  readonly lang: string;
  readonly cc: string;
  readonly nowMs: number;
  readonly year: number;
  readonly wikiHost: string;
  /** Wikipedia-style slug: Title_Case_With_Underscores */
  readonly wslug: string;
  readonly lat: number;
  readonly lng: number;
  readonly city: string;
  readonly ticker: string;
}

/** Per-object state shared by the fields of one object (coherent domain/url/title, ranks, tag). */
export interface ObjState {
  readonly tag: string | null;
  readonly rankAbs: number;
  readonly rankGroup: number;
  /** top-level item of the result (depth 1) */
  readonly top: boolean;
  domain: string | null;
}

/** Rank of an object in its array: position (abs) and position among items of its type (group). */
export interface Rank {
  abs: number;
  group: number;
}

export type Gen = (c: Ctx, d: number, st: ObjState) => unknown;
export type ObjGen = (c: Ctx, d: number, rank: Rank | null, top: boolean) => Record<string, unknown> | null;

/** Nested objects deeper than this (result = 0, items = 1) are null. */
export const MAX_DEPTH = 4;
/** The vendor's largest depth. */
export const MAX_ITEMS = 700;

/** The state of an object that is not a ranked item (result level, nested objects). */
export function emptyState(tag: string | null): ObjState {
  return { tag, rankAbs: 0, rankGroup: 0, top: false, domain: null };
}
