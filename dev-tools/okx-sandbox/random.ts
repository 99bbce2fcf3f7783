import { createHash } from 'node:crypto';

/** SHA-256 of the parts joined with '|': the root of every deterministic choice in the sandbox. */
export function hashBytes(...parts: readonly (string | number)[]): Buffer {
  return createHash('sha256').update(parts.join('|')).digest();
}

/** A 32-bit unsigned integer derived from the parts. */
export function hash32(...parts: readonly (string | number)[]): number {
  return hashBytes(...parts).readUInt32BE(0);
}

/** Cheap integer mixer (murmur3 finaliser) for hot paths such as candle walks. */
export function mix32(a: number, b: number): number {
  let h = (a ^ Math.imul(b, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A seeded PRNG (mulberry32) returning integers in [0, 2^32). */
export function createRandom(...parts: readonly (string | number)[]): {
  next(): number;
  below(n: number): number;
  pick<T>(items: readonly T[]): T;
} {
  let state = hash32(...parts);
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const below = (n: number): number => next() % n;
  return { next, below, pick: (items) => items[below(items.length)]! };
}
