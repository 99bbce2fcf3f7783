import { Dec, maxDecimal, sumDecimals, toDecimal, ZERO, type Decimal } from '../kernel/decimal';
import type { SnapshotPoint } from '../kernel/types';

/**
 * External-flow detection between two consecutive complete snapshots (finance-methods §2).
 * Each asset's quantity change is valued at the NEW price, so price moves never look like flows.
 */
export type FlowKind = 'none' | 'external' | 'internal-swap' | 'gas' | 'noise';

export interface StepFlow {
  readonly kind: FlowKind;
  /** F_t in USD (deposit > 0, withdrawal < 0); zero unless `kind` is 'external'. */
  readonly flowUsd: Decimal;
  /** Σ f_i: for a swap this is the residual (fees and gas), which stays in the return as a cost. */
  readonly netUsd: Decimal;
  /** Σ |f_i|. */
  readonly grossUsd: Decimal;
}

/** §2 rule 1: offsetting legs whose net is within max(1 % of gross, $5) are one internal swap. */
export const SWAP_TOLERANCE_SHARE = new Dec('0.01');
export const SWAP_TOLERANCE_MIN_USD = new Dec('5');
/** §2 rule 2: a lone decrease this small is gas paid, not a withdrawal (snapshots do not say which coin is native). */
export const GAS_ONLY_MAX_USD = new Dec('5');
/** §2 rule 6: |F| below max($1, 0.05 % of value) is price-feed rounding and dust. */
export const NOISE_SHARE = new Dec('0.0005');
export const NOISE_MIN_USD = new Dec('1');

export const FLOW_METHOD =
  'quantity changes valued at the new price; offsetting legs within max(1 % of gross, $5) = internal swap (no flow), a lone decrease ≤ $5 = gas, |flow| < max($1, 0.05 % of value) = noise';

interface Position {
  readonly quantity: Decimal;
  readonly price: Decimal;
}

function positionsOf(point: SnapshotPoint): Map<string, Position> {
  const positions = new Map<string, Position>();
  for (const position of point.positions) {
    const quantity = toDecimal(position.quantity);
    const known = positions.get(position.assetId);
    positions.set(position.assetId, {
      quantity: known ? known.quantity.plus(quantity) : quantity,
      price: toDecimal(position.priceUsd),
    });
  }
  return positions;
}

/**
 * f_i = (q_i,t − q_i,t−1) · p_i,t per asset. An asset that gained a price (appeared) is a flow in (§2 rule 5);
 * one that vanished or lost its price leaves at its last known price, so neither shows as a return.
 */
export function flowLegs(previous: SnapshotPoint, current: SnapshotPoint): Decimal[] {
  // Most steps hold the same quantities (only prices moved): every leg is then zero, with nothing to parse.
  if (hasSameQuantities(previous, current)) return [];
  const before = positionsOf(previous);
  const after = positionsOf(current);
  const legs: Decimal[] = [];
  for (const [assetId, now] of after) {
    const quantityBefore = before.get(assetId)?.quantity ?? ZERO;
    legs.push(now.quantity.minus(quantityBefore).times(now.price));
  }
  for (const [assetId, then] of before) {
    if (!after.has(assetId)) legs.push(then.quantity.times(then.price).neg());
  }
  return legs.filter((leg) => !leg.eq(ZERO));
}

function hasSameQuantities(previous: SnapshotPoint, current: SnapshotPoint): boolean {
  const [before, after] = [previous.positions, current.positions];
  return (
    before.length === after.length &&
    before.every(
      (position, index) => position.assetId === after[index]!.assetId && position.quantity === after[index]!.quantity,
    )
  );
}

/** Classifies the step's implied flow by the §2 rules, in order: swap, gas, noise, external. */
export function classifyStepFlow(previous: SnapshotPoint, current: SnapshotPoint): StepFlow {
  const legs = flowLegs(previous, current);
  const netUsd = sumDecimals(legs);
  const grossUsd = sumDecimals(legs.map((leg) => leg.abs()));
  const result = (kind: FlowKind): StepFlow => ({
    kind,
    flowUsd: kind === 'external' ? netUsd : ZERO,
    netUsd,
    grossUsd,
  });
  if (legs.length === 0) return result('none');
  const hasIn = legs.some((leg) => leg.gt(ZERO));
  const hasOut = legs.some((leg) => leg.lt(ZERO));
  if (hasIn && hasOut && netUsd.abs().lte(maxDecimal(grossUsd.times(SWAP_TOLERANCE_SHARE), SWAP_TOLERANCE_MIN_USD)))
    return result('internal-swap');
  if (legs.length === 1 && netUsd.lt(ZERO) && netUsd.abs().lte(GAS_ONLY_MAX_USD)) return result('gas');
  const value = maxDecimal(toDecimal(previous.totalValueUsd), toDecimal(current.totalValueUsd));
  if (netUsd.abs().lt(maxDecimal(value.times(NOISE_SHARE), NOISE_MIN_USD))) return result('noise');
  return result('external');
}
