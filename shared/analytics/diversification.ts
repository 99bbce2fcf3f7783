import { gasReserveOf } from '../kernel/chains';
import { ONE, sumDecimals, toDecimal, ZERO, type Decimal } from '../kernel/decimal';
import type { DecimalString, DiversificationReport, Holding, RiskFlag, Sector } from '../kernel/types';

export interface DiversificationOptions {
  /** An asset above this share of the portfolio is flagged (default '0.5', finance-methods §6). */
  readonly assetThreshold?: DecimalString;
  readonly sectorThreshold?: DecimalString;
  /** A chain above this share is flagged (default '0.8'). */
  readonly chainThreshold?: DecimalString;
  /**
   * A wallet × chain is flagged for gas below this share of the chain's gas reserve (default '1': the reserve a
   * rebalance never sells). The alerts run it at their own clear level (issue 14).
   */
  readonly gasReserveShare?: DecimalString;
}

export const DEFAULT_THRESHOLDS = { assetThreshold: '0.5', sectorThreshold: '0.5', chainThreshold: '0.8' } as const;

/**
 * Sectors never flagged for concentration. A large stablecoin share is a deliberate choice (dry powder,
 * lower volatility), reported as stablecoinShare instead; 'other' is our bucket for unmapped tokens, not a
 * theme that can fall out of favour. For the same reason a single stablecoin asset is not flagged either.
 */
const UNFLAGGED_SECTORS: ReadonlySet<Sector> = new Set<Sector>(['stablecoin', 'other']);

interface Weighted {
  readonly holding: Holding;
  readonly value: Decimal;
}

function sharesBy(
  items: readonly Weighted[],
  keyOf: (item: Weighted) => string,
  total: Decimal,
): { key: string; share: Decimal }[] {
  const sums = new Map<string, Decimal>();
  for (const item of items) sums.set(keyOf(item), (sums.get(keyOf(item)) ?? ZERO).plus(item.value));
  const shares = [...sums].map(([key, value]) => ({ key, share: total.eq(ZERO) ? ZERO : value.div(total) }));
  return shares.sort((a, b) => (a.share.eq(b.share) ? (a.key < b.key ? -1 : 1) : b.share.cmp(a.share)));
}

function concentrationFlags(
  kind: RiskFlag['kind'],
  shares: readonly { key: string; share: Decimal }[],
  threshold: DecimalString,
  skip: (key: string) => boolean,
): RiskFlag[] {
  const limit = toDecimal(threshold);
  return shares
    .filter((row) => row.share.gt(limit) && !skip(row.key))
    .map((row) => ({ kind, subject: row.key, share: row.share.toString(), threshold }));
}

/**
 * Wallet × chain pairs where the wallet holds priced tokens but its own native balance there is below the
 * gas reserve: it could not move or swap those tokens. Gas is paid per wallet, so another wallet's native
 * coin never covers it, and each flag names the wallet and the chain it comes from.
 */
function lowGasFlags(holdings: readonly Holding[], priced: readonly Weighted[], share: Decimal): RiskFlag[] {
  const holders = new Map<string, Holding>();
  for (const item of priced.filter((entry) => entry.holding.tokenAddress !== '' && entry.value.gt(ZERO))) {
    holders.set(`${item.holding.chainIndex}|${item.holding.walletId}`, item.holding);
  }
  const flags: RiskFlag[] = [];
  for (const holder of holders.values()) {
    const reserve = toDecimal(gasReserveOf(holder.chainIndex)).times(share).toString();
    const natives = holdings.filter(
      (holding) =>
        holding.chainIndex === holder.chainIndex && holding.walletId === holder.walletId && holding.tokenAddress === '',
    );
    const nativeBalance = sumDecimals(natives.map((holding) => toDecimal(holding.balance)));
    if (toDecimal(reserve).gt(ZERO) && nativeBalance.lt(toDecimal(reserve))) {
      flags.push({
        kind: 'low-gas-reserve',
        subject: holder.chainIndex,
        threshold: reserve,
        walletId: holder.walletId,
        walletAddress: holder.walletAddress,
        nativeBalance: nativeBalance.toString(),
      });
    }
  }
  return flags.sort((a, b) => a.subject.localeCompare(b.subject) || a.walletAddress!.localeCompare(b.walletAddress!));
}

/**
 * Concentration metrics of finance-methods §6 over the priced, non-risk holdings: weights by canonical asset,
 * HHI = Σw², effective number of assets = 1/HHI, top-1/top-3 and stablecoin shares, sector and chain
 * shares, and the flags worth telling the user about. An empty (or all-zero) portfolio gives zeros, no flags.
 */
export function analyseDiversification(
  holdings: readonly Holding[],
  options: DiversificationOptions = {},
): DiversificationReport {
  const thresholds = { ...DEFAULT_THRESHOLDS, ...options };
  const priced = holdings
    .filter((holding) => !holding.isRiskToken && holding.priceUsd !== undefined)
    .map((holding) => ({ holding, value: toDecimal(holding.balance).times(toDecimal(holding.priceUsd!)) }));
  const total = sumDecimals(priced.map((item) => item.value));
  const assets = sharesBy(priced, (item) => item.holding.assetId, total);
  const sectors = sharesBy(priced, (item) => item.holding.sector, total);
  const chains = sharesBy(priced, (item) => item.holding.chainIndex, total);
  const sectorOf = new Map(priced.map((item) => [item.holding.assetId, item.holding.sector]));
  const hhi = sumDecimals(assets.map((row) => row.share.times(row.share)));

  const assetFlags = concentrationFlags('asset-concentration', assets, thresholds.assetThreshold, (assetId) =>
    UNFLAGGED_SECTORS.has(sectorOf.get(assetId)!),
  );
  const flaggedAssets = new Set(assetFlags.map((flag) => flag.subject));
  const isSingleFlaggedAsset = (sector: string) => {
    const members = assets.filter((row) => sectorOf.get(row.key) === sector);
    return members.length === 1 && flaggedAssets.has(members[0]!.key);
  };
  return {
    hhi: hhi.toString(),
    effectiveAssets: hhi.eq(ZERO) ? '0' : ONE.div(hhi).toString(),
    top1Share: sumDecimals(assets.slice(0, 1).map((row) => row.share)).toString(),
    top3Share: sumDecimals(assets.slice(0, 3).map((row) => row.share)).toString(),
    stablecoinShare: (sectors.find((row) => row.key === 'stablecoin')?.share ?? ZERO).toString(),
    sectors: sectors.map((row) => ({ sector: row.key as Sector, share: row.share.toString() })),
    chains: chains.map((row) => ({ chainIndex: row.key, share: row.share.toString() })),
    flags: [
      ...assetFlags,
      ...concentrationFlags(
        'sector-concentration',
        sectors,
        thresholds.sectorThreshold,
        (sector) => UNFLAGGED_SECTORS.has(sector as Sector) || isSingleFlaggedAsset(sector),
      ),
      ...concentrationFlags('chain-concentration', chains, thresholds.chainThreshold, () => false),
      ...lowGasFlags(holdings, priced, toDecimal(options.gasReserveShare ?? '1')),
    ],
  };
}
