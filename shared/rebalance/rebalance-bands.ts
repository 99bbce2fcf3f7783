import { minDecimal, sumDecimals, ZERO, type Decimal } from '../kernel/decimal';
import type { RebalanceMode } from '../kernel/types';

/** One targeted asset: its priced value, weight w, target t (fractions) and tolerance band. */
export interface AssetDrift {
  readonly assetId: string;
  readonly valueUsd: Decimal;
  readonly weight: Decimal;
  readonly target: Decimal;
  readonly band: Decimal;
}

/** Swedroe 5/25 (finance-methods §5.1): band = min(absolute, relative × target), all as fractions. */
export function bandOf(target: Decimal, absoluteBand: Decimal, relativeBand: Decimal): Decimal {
  return minDecimal(absoluteBand, relativeBand.times(target));
}

/** Outside the band, strictly: an asset exactly at its band edge does not trade. */
export function isBreached(asset: AssetDrift): boolean {
  return asset.weight.minus(asset.target).abs().gt(asset.band);
}

/** Where a breached asset goes to the band edge: the nearer edge of its band. */
function bandEdgeOf(asset: AssetDrift): Decimal {
  return asset.weight.gt(asset.target) ? asset.target.plus(asset.band) : asset.target.minus(asset.band);
}

interface Room {
  readonly assetId: string;
  /** USD the asset can still move toward its target in the needed direction (> 0). */
  readonly usd: Decimal;
  readonly tier: number;
}

/**
 * Where the cash left over by the breached moves goes (§5.2): to the assets furthest from target in the
 * needed direction, unbreached ones first, each at most to its target. Filling one at a time, not
 * levelling, keeps the number of legs down.
 */
function spreadResidual(
  assets: readonly AssetDrift[],
  moves: Map<string, Decimal>,
  total: Decimal,
  breached: ReadonlySet<string>,
): void {
  const residual = sumDecimals(moves.values()).neg();
  if (residual.eq(ZERO)) return;
  const buying = residual.gt(ZERO);
  const rooms: Room[] = assets
    .map((asset) => {
      const position = asset.valueUsd.plus(moves.get(asset.assetId) ?? ZERO);
      const gap = asset.target.times(total).minus(position);
      return { assetId: asset.assetId, usd: buying ? gap : gap.neg(), tier: breached.has(asset.assetId) ? 1 : 0 };
    })
    .filter((room) => room.usd.gt(ZERO))
    .sort((a, b) => a.tier - b.tier || b.usd.cmp(a.usd) || a.assetId.localeCompare(b.assetId));
  let left = residual.abs();
  for (const room of rooms) {
    if (left.lte(ZERO)) break;
    const take = minDecimal(left, room.usd);
    moves.set(room.assetId, (moves.get(room.assetId) ?? ZERO).plus(buying ? take : take.neg()));
    left = left.minus(take);
  }
}

/**
 * USD to trade per asset (+ buy, − sell). To target: every asset to its target once one is breached. To the
 * band edge: breached assets to their edge, the balance spread by spreadResidual so buys and sells add up
 * to zero; unbreached assets never overshoot their target.
 */
export function planAssetTrades(
  assets: readonly AssetDrift[],
  total: Decimal,
  mode: RebalanceMode,
): Map<string, Decimal> {
  const moves = new Map<string, Decimal>();
  const breached = new Set(assets.filter(isBreached).map((asset) => asset.assetId));
  if (breached.size === 0) return moves;
  // To target (the default, §5.2): once any asset leaves its band, every asset goes to its target.
  if (mode === 'target') {
    for (const asset of assets) moves.set(asset.assetId, asset.target.times(total).minus(asset.valueUsd));
    for (const [assetId, usd] of moves) if (usd.eq(ZERO)) moves.delete(assetId);
    return moves;
  }
  for (const asset of assets) {
    if (breached.has(asset.assetId)) moves.set(asset.assetId, bandEdgeOf(asset).times(total).minus(asset.valueUsd));
  }
  spreadResidual(assets, moves, total, breached);
  for (const [assetId, usd] of moves) if (usd.eq(ZERO)) moves.delete(assetId);
  return moves;
}
