// Deterministic randomness for synthetic SERPs. The sandbox must return the same SERP for the same
// task parameters on every call and every machine, so nothing here touches Math.random or the clock.
// FNV-1a turns strings into 32-bit seeds; mulberry32 is a tiny, fast generator with good enough
// statistical quality for picking vocabulary (not for anything security-related).

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a 32-bit hash over UTF-16 code units; returns an unsigned 32-bit integer. */
export function hashString(input: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < input.length; i++) {
    h ^= input.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  // FNV alone mixes the last characters weakly; a murmur3 finaliser spreads them over all bits.
  return fmix32(h);
}

/** murmur3 finaliser: cheap avalanche of a 32-bit integer. */
function fmix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * Derives an independent 32-bit seed for sub-stream `n` of `seed` without hashing strings,
 * so per-item generators are cheap and item n does not depend on how many items precede it.
 */
export function deriveSeed(seed: number, n: number): number {
  return fmix32((seed ^ Math.imul(n + 1, 0x9e3779b9)) >>> 0);
}

const HEX = '0123456789abcdef';

/** Seeded pseudo-random generator with small convenience helpers. */
export interface Rng {
  /** Float in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** Uniformly chosen element; the array must be non-empty. */
  pick<T>(items: readonly T[]): T;
  /** True with probability p. */
  chance(p: number): boolean;
  /** n lowercase hex characters. */
  hex(n: number): string;
  /** n characters drawn from `alphabet`. */
  chars(n: number, alphabet: string): string;
  /** Up to k distinct elements in random order (partial Fisher-Yates on a copy). */
  sample<T>(items: readonly T[], k: number): T[];
}

/** Creates a mulberry32 generator; a string seed is hashed with FNV-1a first. */
export function createRng(seed: string | number): Rng {
  let state = (typeof seed === 'number' ? seed : hashString(seed)) >>> 0;

  const nextU32 = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const next = (): number => nextU32() / 4294967296;
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));

  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    chance: (p: number): boolean => next() < p,
    hex(n: number): string {
      let out = '';
      while (out.length < n) {
        let v = nextU32();
        for (let j = 0; j < 8 && out.length < n; j++) {
          out += HEX[v & 15];
          v >>>= 4;
        }
      }
      return out;
    },
    chars(n: number, alphabet: string): string {
      let out = '';
      for (let i = 0; i < n; i++) out += alphabet[Math.floor(next() * alphabet.length)];
      return out;
    },
    sample<T>(items: readonly T[], k: number): T[] {
      const copy = items.slice();
      const count = Math.min(k, copy.length);
      for (let i = 0; i < count; i++) {
        const j = i + Math.floor(next() * (copy.length - i));
        const tmp = copy[i] as T;
        copy[i] = copy[j] as T;
        copy[j] = tmp;
      }
      return copy.slice(0, count);
    },
  };
}
