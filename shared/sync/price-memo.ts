import type { PricePoint } from './price-store';

/**
 * Prices already written per slot by this container: most users hold the same popular tokens, so a
 * token's slot price is written once per container rather than once per user. A price that differs from
 * the one written (a Refresh after the market moved) is written again: holdings are valued at the
 * recorded slot price. Only the two newest slots are remembered.
 */
export function createPriceMemo() {
  const written = new Map<string, Map<string, string>>();
  const keyOf = (price: PricePoint) => `${price.chainIndex}#${price.tokenAddress}`;
  return {
    unwritten: (slot: string, prices: readonly PricePoint[]) =>
      prices.filter((price) => written.get(slot)?.get(keyOf(price)) !== price.priceUsd),
    record(slot: string, prices: readonly PricePoint[]) {
      const seen = written.get(slot) ?? new Map<string, string>();
      for (const price of prices) seen.set(keyOf(price), price.priceUsd);
      written.set(slot, seen);
      for (const old of [...written.keys()].sort().slice(0, -2)) written.delete(old);
    },
  };
}

export type PriceMemo = ReturnType<typeof createPriceMemo>;
