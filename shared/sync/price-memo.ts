import type { PricePoint } from './price-store';

/**
 * Prices already written per slot by this container: most users hold the same popular tokens, so a
 * token's slot price is written once per container rather than once per user (first writer wins
 * within the slot). Only the two newest slots are remembered.
 */
export function createPriceMemo() {
  const written = new Map<string, Set<string>>();
  const keyOf = (price: PricePoint) => `${price.chainIndex}#${price.tokenAddress}`;
  return {
    unwritten: (slot: string, prices: readonly PricePoint[]) => prices.filter((price) => !written.get(slot)?.has(keyOf(price))),
    record(slot: string, prices: readonly PricePoint[]) {
      const seen = written.get(slot) ?? new Set<string>();
      for (const price of prices) seen.add(keyOf(price));
      written.set(slot, seen);
      for (const old of [...written.keys()].sort().slice(0, -2)) written.delete(old);
    },
  };
}

export type PriceMemo = ReturnType<typeof createPriceMemo>;
