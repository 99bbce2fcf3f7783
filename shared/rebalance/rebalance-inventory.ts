import { assetSymbolOf, isRegistryAsset, registryTokensOf } from '../kernel/asset-registry';
import { gasReserveOf } from '../kernel/chains';
import { sumDecimals, toDecimal, ZERO, type Decimal } from '../kernel/decimal';
import type { ChainIndex, Holding, RebalanceToken, TargetAllocation } from '../kernel/types';

/** One holding a rebalance may sell from: what is held minus the chain's gas reserve for a native coin. */
export interface SellSource {
  readonly holding: Holding;
  readonly token: RebalanceToken;
  readonly price: Decimal;
  /** Token units that may be sold (> 0). */
  readonly sellable: Decimal;
  /** Native units kept back for gas ('0' for tokens). */
  readonly reserve: Decimal;
}

/** What the planner sees: priced, non-risk, targeted holdings only (finance-methods §5.4). */
export interface Inventory {
  readonly totalUsd: Decimal;
  readonly valueOf: (assetId: string) => Decimal;
  readonly symbolOf: (assetId: string) => string;
  readonly sourcesOf: (assetId: string) => readonly SellSource[];
  /** The token to BUY for an asset on a chain: the user's own token there, else the registry's. */
  readonly buyToken: (assetId: string, chainIndex: ChainIndex) => RebalanceToken | undefined;
  /** Eligible holdings that cannot be sold because OKX gave no decimals (no exact raw amount). */
  readonly withoutDecimals: readonly Holding[];
  readonly notes: readonly string[];
}

export function formatUsdNote(usd: Decimal): string {
  return `$${usd.round(2).toString()}`;
}

function isPriced(holding: Holding): boolean {
  return holding.priceUsd !== undefined && toDecimal(holding.priceUsd).gt(ZERO);
}

function valueOfHolding(holding: Holding): Decimal {
  return toDecimal(holding.balance).times(toDecimal(holding.priceUsd!));
}

function tokenOf(holding: Holding, decimals: number, symbol = holding.symbol): RebalanceToken {
  return {
    chainIndex: holding.chainIndex,
    tokenAddress: holding.tokenAddress,
    assetId: holding.assetId,
    symbol,
    decimals,
  };
}

function sourceOf(holding: Holding): SellSource | undefined {
  if (holding.decimals === undefined) return undefined;
  const reserve = holding.tokenAddress === '' ? toDecimal(gasReserveOf(holding.chainIndex)) : ZERO;
  const sellable = toDecimal(holding.balance).minus(reserve);
  if (sellable.lte(ZERO)) return undefined;
  return { holding, token: tokenOf(holding, holding.decimals), price: toDecimal(holding.priceUsd!), sellable, reserve };
}

function exclusionNotes(holdings: readonly Holding[], target: TargetAllocation): string[] {
  const notes: string[] = [];
  const risky = holdings.filter((holding) => holding.isRiskToken).length;
  if (risky > 0) notes.push(`${risky} risk-flagged token${risky === 1 ? '' : 's'} left out of the rebalance`);
  const safe = holdings.filter((holding) => !holding.isRiskToken);
  const unpriced = [...new Set(safe.filter((holding) => !isPriced(holding)).map((holding) => holding.symbol))];
  if (unpriced.length > 0) notes.push(`no price for ${unpriced.join(', ')}: left out of the total`);
  const untargeted = new Map<string, Decimal>();
  for (const holding of safe.filter((item) => isPriced(item) && target[item.assetId] === undefined)) {
    untargeted.set(holding.symbol, (untargeted.get(holding.symbol) ?? ZERO).plus(valueOfHolding(holding)));
  }
  const listed = [...untargeted].map(([symbol, usd]) => `${symbol} (${formatUsdNote(usd)})`);
  if (listed.length > 0) notes.push(`not in your target, left as is: ${listed.join(', ')}`);
  return notes;
}

function buyTokenFinder(eligible: readonly Holding[]) {
  return (assetId: string, chainIndex: ChainIndex): RebalanceToken | undefined => {
    const held = eligible.find(
      (holding) => holding.assetId === assetId && holding.chainIndex === chainIndex && holding.decimals !== undefined,
    );
    if (held) return tokenOf(held, held.decimals!);
    const listed = registryTokensOf(assetId).find((token) => token.chainIndex === chainIndex);
    return (
      listed && {
        chainIndex,
        tokenAddress: listed.tokenAddress,
        assetId,
        symbol: listed.symbol,
        decimals: listed.decimals,
      }
    );
  };
}

export function takeInventory(holdings: readonly Holding[], target: TargetAllocation): Inventory {
  const eligible = holdings.filter(
    (holding) => !holding.isRiskToken && isPriced(holding) && target[holding.assetId] !== undefined,
  );
  const values = new Map<string, Decimal>();
  for (const holding of eligible)
    values.set(holding.assetId, (values.get(holding.assetId) ?? ZERO).plus(valueOfHolding(holding)));
  const sources = new Map<string, SellSource[]>();
  for (const source of eligible.map(sourceOf))
    if (source) sources.set(source.holding.assetId, [...(sources.get(source.holding.assetId) ?? []), source]);
  const symbolOf = (assetId: string) =>
    isRegistryAsset(assetId)
      ? assetSymbolOf(assetId)
      : (holdings.find((holding) => holding.assetId === assetId)?.symbol ?? assetId);
  return {
    totalUsd: sumDecimals(values.values()),
    valueOf: (assetId) => values.get(assetId) ?? ZERO,
    symbolOf,
    sourcesOf: (assetId) => sources.get(assetId) ?? [],
    buyToken: buyTokenFinder(eligible),
    withoutDecimals: eligible.filter((holding) => holding.decimals === undefined),
    notes: exclusionNotes(holdings, target),
  };
}
