// The request's `filters` and `order_by` over generated items, through the domain's grammar
// (src/domain/api-catalog/filters.ts). A value the grammar rejects is the request validator's to
// refuse; here it filters or sorts nothing, so a render never fails on it.

import { compileFilter, compileOrder } from '../../../domain/api-catalog/filters.js';

export type Item = Record<string, unknown>;

/** The predicate of a `filters` value, or null when there is none (or it is not valid). */
export function filterOf(filters: unknown): ((item: Item) => boolean) | null {
  if (filters === undefined || filters === null || (Array.isArray(filters) && filters.length === 0)) return null;
  try {
    return compileFilter(filters);
  } catch {
    return null;
  }
}

/** The comparator of an `order_by` value, or null when there is none (or it is not valid). */
export function orderOf(orderBy: unknown): ((a: Item, b: Item) => number) | null {
  if (orderBy === undefined || orderBy === null || (Array.isArray(orderBy) && orderBy.length === 0)) return null;
  try {
    return compileOrder(orderBy);
  } catch {
    return null;
  }
}
