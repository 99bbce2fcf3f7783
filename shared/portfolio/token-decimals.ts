import type { MarketDataPort } from '../platform/okx/market-data-port';
import type { Holding } from '../kernel/types';
import { toRawUnits } from '../kernel/decimal';

/**
 * The balance API gives no decimals; a rebalance needs them for raw amounts. Ask OKX token info only
 * for the priced, non-risk tokens that still lack them, once, right before planning.
 */
export async function withDecimals(market: MarketDataPort, holdings: readonly Holding[]): Promise<Holding[]> {
  const missing = holdings.filter(
    (holding) => holding.decimals === undefined && holding.priceUsd !== undefined && !holding.isRiskToken,
  );
  if (missing.length === 0) return [...holdings];
  const infos = await market.getTokenInfo(
    missing.map(({ chainIndex, tokenAddress }) => ({ chainIndex, tokenAddress })),
  );
  const decimalsOf = new Map(infos.map((info) => [`${info.chainIndex}:${info.tokenAddress}`, info.decimals]));
  return holdings.map((holding) => {
    const decimals = holding.decimals ?? decimalsOf.get(`${holding.chainIndex}:${holding.tokenAddress}`);
    if (decimals === undefined || holding.decimals !== undefined) return holding;
    return { ...holding, decimals, rawBalance: holding.rawBalance ?? toRawUnits(holding.balance, decimals) };
  });
}
