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
/** Blocks billed for a depth: the base covers one billing unit, each further started unit is one more block. */
export function billedBlocks(def, depth) {
    const extra = Math.max(0, Math.ceil(depth / def.depth.billingUnit) - 1);
    return 1 + extra * def.depth.extraBlockFactor;
}
/** Cost of one standard-method task at task_post, in micro-USD. */
export function taskPostPriceMicro(def, input) {
    const base = input.priority === 2 ? PRICE_MICRO.high : PRICE_MICRO.normal;
    return Math.round(base * billedBlocks(def, input.depth) * (input.hasOperators ? PRICE_MICRO.operatorFactor : 1));
}
/** Cost of one live task, in micro-USD. */
export function livePriceMicro(def, input) {
    return Math.round(PRICE_MICRO.live * billedBlocks(def, input.depth) * (input.hasOperators ? PRICE_MICRO.operatorFactor : 1));
}
/** Micro-USD to the USD number written on the wire (exact for every multiple of 1e-6). */
export function microToUsd(micro) {
    return Number((micro / 1_000_000).toFixed(6));
}
export function usdToMicro(usd) {
    return Math.round(usd * 1_000_000);
}
