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

/** Scratch space for byte-wise draws (hex, base64url); 4 bytes of slack for the last 32-bit write. */
const SCRATCH = Buffer.allocUnsafe(1028);

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
  /** n characters of the base64url alphabet (A-Z a-z 0-9 - _). */
  base64url(n: number): string;
  /** Up to k distinct elements in random order (partial Fisher-Yates on a copy). */
  sample<T>(items: readonly T[], k: number): T[];
}

const oneByte = new Map<string, boolean>();

/** Whether every character of `s` fits in one byte (latin1); remembered per alphabet. */
function isOneByte(s: string): boolean {
  let known = oneByte.get(s);
  if (known === undefined) {
    known = !/[^\u0000-\u00ff]/.test(s);
    if (oneByte.size < 256) oneByte.set(s, known);
  }
  return known;
}

/** Creates a mulberry32 generator; a string seed is hashed with FNV-1a first. */
export function createRng(seed: string | number): Rng {
  return new FastRng((typeof seed === 'number' ? seed : hashString(seed)) >>> 0);
}

/**
 * mulberry32 as a class: one small object per generator (renderers create one per result row), with
 * its methods shared on the prototype instead of a set of closures per instance.
 */
export class FastRng implements Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  private nextU32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  next(): number {
    return this.nextU32() / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  hex(n: number): string {
    return this.#bytes(Math.ceil(n / 2))
      .toString('hex', 0, Math.ceil(n / 2))
      .slice(0, n);
  }

  base64url(n: number): string {
    // Every 3 bytes give 4 characters; Buffer's encoder makes one flat string in native code.
    const bytes = Math.ceil((n * 3) / 4);
    return this.#bytes(bytes).toString('base64url', 0, bytes).slice(0, n);
  }

  /** The next `count` random bytes in a scratch buffer (valid until the next call). */
  #bytes(count: number): Buffer {
    const buf = count <= SCRATCH.length - 4 ? SCRATCH : Buffer.allocUnsafe(count + 3);
    for (let i = 0; i < count; i += 4) buf.writeUInt32LE(this.nextU32(), i);
    return buf;
  }

  /**
   * Several characters per 32-bit draw: as many as the alphabet's size fits in 2^32 without bias worth
   * noting. One-byte alphabets are written into scratch bytes and decoded once, into one flat string.
   */
  chars(n: number, alphabet: string): string {
    const size = alphabet.length;
    const perDraw = size <= 1 ? n : Math.max(1, Math.floor(32 / Math.log2(size)));
    const bytes = isOneByte(alphabet) && n <= SCRATCH.length;
    let v = 0;
    let out = '';
    for (let i = 0; i < n; i++) {
      if (i % perDraw === 0) v = this.nextU32();
      if (bytes) SCRATCH[i] = alphabet.charCodeAt(v % size);
      else out += alphabet[v % size];
      v = Math.floor(v / size);
    }
    return bytes ? SCRATCH.toString('latin1', 0, n) : out;
  }

  sample<T>(items: readonly T[], k: number): T[] {
    const copy = items.slice();
    const count = Math.min(k, copy.length);
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(this.next() * (copy.length - i));
      const tmp = copy[i] as T;
      copy[i] = copy[j] as T;
      copy[j] = tmp;
    }
    return copy.slice(0, count);
  }
}
