import type { SeTypeDef } from './catalog.js';

/**
 * Prices in micro-USD (1 USD = 1,000,000), so that sums and balances stay exact integers.
 * Standard method: normal priority 0.0006, high 0.0012; live 0.002 (SPEC section 7).
 */
export const PRICE_MICRO = Object.freeze({
  normal: 600,
  high: 1200,
  live: 2000,
  /** Search operators in the keyword multiply the price. */
  operatorFactor: 5,
});

export interface PriceInput {
  readonly priority: 1 | 2;
  readonly depth: number;
  readonly hasOperators: boolean;
}

/** Blocks billed for a depth: the base covers one billing unit, each further started unit is one more block. */
export function billedBlocks(def: SeTypeDef, depth: number): number {
  if (!def.depth) return 1; // billed per request
  const extra = Math.max(0, Math.ceil(depth / def.depth.billingUnit) - 1);
  return 1 + extra * def.depth.extraBlockFactor;
}

/** Cost of one standard-method task at task_post, in micro-USD. */
export function taskPostPriceMicro(def: SeTypeDef, input: PriceInput): number {
  const base = input.priority === 2 ? PRICE_MICRO.high : PRICE_MICRO.normal;
  return Math.round(base * billedBlocks(def, input.depth) * (input.hasOperators ? PRICE_MICRO.operatorFactor : 1));
}

/** Cost of one live task, in micro-USD. */
export function livePriceMicro(def: SeTypeDef, input: Omit<PriceInput, 'priority'>): number {
  return Math.round(PRICE_MICRO.live * billedBlocks(def, input.depth) * (input.hasOperators ? PRICE_MICRO.operatorFactor : 1));
}

/** Micro-USD to the USD number written on the wire (exact for every multiple of 1e-6). */
export function microToUsd(micro: number): number {
  return Number((micro / 1_000_000).toFixed(6));
}

export function usdToMicro(usd: number): number {
  return Math.round(usd * 1_000_000);
}

/**
 * Which tasks of one task_post call the balance pays for, in order: each is taken while what is left
 * covers it (a dearer task may be refused and a cheaper one after it taken). Both stores run this
 * inside the transaction that holds the account's balance.
 */
export function fundInOrder<T extends { readonly costMicro: number }>(
  tasks: readonly T[],
  balanceMicro: number,
): { accepted: boolean[]; funded: T[]; spentMicro: number; balanceMicro: number } {
  const accepted: boolean[] = [];
  const funded: T[] = [];
  let balance = balanceMicro;
  for (const t of tasks) {
    const ok = t.costMicro <= balance;
    accepted.push(ok);
    if (!ok) continue;
    balance -= t.costMicro;
    funded.push(t);
  }
  return { accepted, funded, spentMicro: balanceMicro - balance, balanceMicro: balance };
}
