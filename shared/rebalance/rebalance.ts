import { chainName } from '../kernel/chains';
import { HUNDRED, sumDecimals, toDecimal, ZERO, type Decimal } from '../kernel/decimal';
import { InvalidTargetError } from '../kernel/errors';
import { bandOf, planAssetTrades, type AssetDrift } from './rebalance-bands';
import { takeInventory, type Inventory } from './rebalance-inventory';
import { pairLegs } from './rebalance-legs';
import type {
  DecimalString,
  Holding,
  RebalanceLeg,
  RebalanceMode,
  RebalancePlan,
  TargetAllocation,
  UnlistedPolicy,
} from '../kernel/types';

export { resolveTargetKey, validateTargetAllocation } from './rebalance-target';

export interface RebalanceOptions {
  /** 'target' (default: a user who set 50/30/20 expects to land there, §5.2) or 'band-edge' (least turnover). */
  readonly mode?: RebalanceMode;
  /** Holdings the target does not list: 'keep' (default) leaves them out, 'sell' targets them at 0 %. */
  readonly unlisted?: UnlistedPolicy;
  /** Absolute band in percentage points (Swedroe's 5). */
  readonly absoluteBandPp?: DecimalString;
  /** Relative band as a fraction of the target (Swedroe's 25 % = '0.25'). */
  readonly relativeBand?: DecimalString;
  /** Legs worth less are dropped; their drift waits for the next cycle. */
  readonly minTradeUsd?: DecimalString;
}

export const DEFAULT_REBALANCE_OPTIONS = {
  mode: 'target',
  unlisted: 'keep',
  absoluteBandPp: '5',
  relativeBand: '0.25',
  minTradeUsd: '10',
} as const;

/** Target percents as fractions that add up to exactly 1 (validation allowed ±0.01 pp). */
function targetFractions(target: TargetAllocation): Map<string, Decimal> {
  const percents = Object.entries(target).map(([assetId, percent]) => [assetId, toDecimal(percent)] as const);
  const sum = sumDecimals(percents.map(([, percent]) => percent));
  if (sum.lte(ZERO)) throw new InvalidTargetError('targets add up to 0 %, they must add up to 100 %', sum.toString());
  return new Map(percents.map(([assetId, percent]) => [assetId, percent.div(sum)]));
}

function driftsOf(target: TargetAllocation, inventory: Inventory, options: RebalanceOptions): AssetDrift[] {
  const absolute = toDecimal(options.absoluteBandPp ?? DEFAULT_REBALANCE_OPTIONS.absoluteBandPp).div(HUNDRED);
  const relative = toDecimal(options.relativeBand ?? DEFAULT_REBALANCE_OPTIONS.relativeBand);
  const total = inventory.totalUsd;
  return [...targetFractions(target)].map(([assetId, fraction]) => {
    const valueUsd = inventory.valueOf(assetId);
    return {
      assetId,
      valueUsd,
      weight: total.gt(ZERO) ? valueUsd.div(total) : ZERO,
      target: fraction,
      band: bandOf(fraction, absolute, relative),
    };
  });
}

/** Priced, non-risk holdings the target does not list, valued per asset (largest first). */
function unlistedAssets(holdings: readonly Holding[], target: TargetAllocation): RebalancePlan['kept'] {
  const rows = new Map<string, { assetId: string; symbol: string; value: Decimal }>();
  for (const holding of holdings) {
    if (holding.isRiskToken || holding.priceUsd === undefined || target[holding.assetId] !== undefined) continue;
    const value = toDecimal(holding.balance).times(toDecimal(holding.priceUsd));
    if (value.lte(ZERO)) continue;
    const row = rows.get(holding.assetId) ?? { assetId: holding.assetId, symbol: holding.symbol, value: ZERO };
    rows.set(holding.assetId, { ...row, value: row.value.plus(value) });
  }
  return [...rows.values()]
    .sort((a, b) => b.value.cmp(a.value) || a.assetId.localeCompare(b.assetId))
    .map((row) => ({ assetId: row.assetId, symbol: row.symbol, valueUsd: row.value.toString() }));
}

/** 'sell': every unlisted priced holding joins the target at 0 %, so its whole value goes to the targets. */
function effectiveTarget(
  holdings: readonly Holding[],
  target: TargetAllocation,
  unlisted: UnlistedPolicy,
): TargetAllocation {
  if (unlisted === 'keep') return target;
  return { ...target, ...Object.fromEntries(unlistedAssets(holdings, target).map((row) => [row.assetId, '0'])) };
}

/** Gas reserves kept and holdings that cannot be sold, for the assets this plan sells. */
function sellNotes(moves: ReadonlyMap<string, Decimal>, inventory: Inventory): string[] {
  const selling = (assetId: string) => (moves.get(assetId) ?? ZERO).lt(ZERO);
  const notes: string[] = [];
  for (const assetId of [...moves.keys()].filter(selling)) {
    for (const source of inventory.sourcesOf(assetId).filter((item) => item.reserve.gt(ZERO))) {
      notes.push(
        `keeps ${source.reserve.toString()} ${source.token.symbol} on ${chainName(source.token.chainIndex)} for gas`,
      );
    }
  }
  for (const holding of inventory.withoutDecimals.filter((item) => selling(item.assetId))) {
    notes.push(`${holding.symbol} on ${chainName(holding.chainIndex)} cannot be sold: its decimals are unknown`);
  }
  return notes;
}

function projectedShare(drift: AssetDrift, legs: readonly RebalanceLeg[], total: Decimal): Decimal {
  if (total.eq(ZERO)) return ZERO;
  const bought = sumDecimals(
    legs.filter((leg) => leg.to.assetId === drift.assetId).map((leg) => toDecimal(leg.valueUsd)),
  );
  const sold = sumDecimals(
    legs.filter((leg) => leg.from.assetId === drift.assetId).map((leg) => toDecimal(leg.valueUsd)),
  );
  return drift.valueUsd.plus(bought).minus(sold).div(total);
}

/**
 * A rebalance plan per finance-methods §5: Swedroe 5/25 bands; once an asset leaves its band, the
 * breached assets trade to target (or, when the user picks it, to the band edge), the balance goes to the assets furthest from target, legs pair sells with buys on
 * the same chain (greedy, minimum turnover), gas reserves are never sold, tiny legs are dropped.
 */
export function planRebalance(
  holdings: readonly Holding[],
  target: TargetAllocation,
  options: RebalanceOptions = {},
): RebalancePlan {
  const mode = options.mode ?? DEFAULT_REBALANCE_OPTIONS.mode;
  const unlisted = options.unlisted ?? DEFAULT_REBALANCE_OPTIONS.unlisted;
  const kept = unlisted === 'keep' ? unlistedAssets(holdings, target) : [];
  const planned = effectiveTarget(holdings, target, unlisted);
  const inventory = takeInventory(holdings, planned);
  const total = inventory.totalUsd;
  const drifts = driftsOf(planned, inventory, options);
  const moves = total.gt(ZERO) ? planAssetTrades(drifts, total, mode) : new Map<string, Decimal>();
  const paired = pairLegs(moves, inventory, toDecimal(options.minTradeUsd ?? DEFAULT_REBALANCE_OPTIONS.minTradeUsd));
  const notes = [...inventory.notes, ...sellNotes(moves, inventory), ...paired.notes];
  if (total.eq(ZERO)) notes.push('nothing to rebalance: none of your priced holdings is in the target');
  else if (moves.size === 0) notes.push('every asset is within its band: nothing to trade');
  return {
    mode,
    totalValueUsd: total.toString(),
    legs: paired.legs,
    dropped: paired.dropped,
    allocation: drifts.map((drift) => ({
      assetId: drift.assetId,
      symbol: inventory.symbolOf(drift.assetId),
      current: drift.weight.toString(),
      target: drift.target.toString(),
      projected: projectedShare(drift, paired.legs, total).toString(),
      band: drift.band.toString(),
    })),
    turnoverUsd: sumDecimals(paired.legs.map((leg) => toDecimal(leg.valueUsd))).toString(),
    notes,
    unlisted,
    kept,
  };
}
