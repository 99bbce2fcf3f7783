import type { IndexPoint } from './performance-math';
import {
  ONE,
  ZERO,
  divideRounded,
  multiplyRounded,
  sumDecimals,
  toDecimal,
  type Decimal,
  Dec,
  maxDecimal,
} from '../kernel/decimal';
import type { SnapshotPoint, TrackingChange, DecimalString, IsoTime } from '../kernel/types';

// A history as steps (pure): each step's external flow (below), the chained wealth index over the steps, and the
// back-filled points a new wallet's chart starts with (at the end).

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

/** Values at or below this are "empty": a step starting there has no meaningful return (§1.3). */
export const EMPTY_VALUE_USD = NOISE_MIN_USD;

/** Exact products would grow by 36 digits a step; 36 decimals of a wealth index is plenty. */
const GROWTH_DP = 36;

export interface ChainedHistory {
  /** Σ F_t over the window (deposits > 0). */
  readonly netFlowUsd: Decimal;
  /** Σ of the positive F_t only: the "money put in" of simple ROI. */
  readonly depositsUsd: Decimal;
  /** Π (1 + r_t) over the steps that could be measured. */
  readonly growth: Decimal;
  /** Steps that entered the product (start value above EMPTY_VALUE_USD). */
  readonly measuredSteps: number;
  /** Flow-adjusted wealth index I_t, starting at 1 on the first point. */
  readonly index: readonly IndexPoint[];
  readonly flowKinds: ReadonlyMap<FlowKind, number>;
  /** Wallets added or removed in the window: neither flows nor gains (see splitTracking below). */
  readonly trackingChanges: readonly TrackingChange[];
  /** Σ value of the wallets added / removed (each on the side where it was tracked). */
  readonly addedUsd: Decimal;
  readonly removedUsd: Decimal;
  /** First time the index hit 0 (a total loss, not a withdrawal). */
  readonly wipedOutAt?: string;
}

/**
 * True TWR over consecutive complete points: r_t = (V_t − F_t) / V_{t−1} − 1, the flow assumed at the
 * END of each step (finance-methods §1.3). Steps from an empty portfolio are skipped (factor carried).
 * A step where wallets were added or removed is measured over the wallets tracked on both sides.
 */
export function chainLink(points: readonly SnapshotPoint[]): ChainedHistory {
  let netFlowUsd = ZERO;
  let depositsUsd = ZERO;
  let growth = ONE;
  let measuredSteps = 0;
  let wipedOutAt: string | undefined;
  const index: IndexPoint[] = [{ time: points[0]!.slot, index: ONE }];
  const flowKinds = new Map<FlowKind, number>();
  const trackingChanges: TrackingChange[] = [];
  for (let t = 1; t < points.length; t += 1) {
    const { previous, current, changes } = splitTracking(points[t - 1]!, points[t]!);
    trackingChanges.push(...changes);
    const flow = classifyStepFlow(previous, current);
    flowKinds.set(flow.kind, (flowKinds.get(flow.kind) ?? 0) + 1);
    netFlowUsd = netFlowUsd.plus(flow.flowUsd);
    if (flow.flowUsd.gt(ZERO)) depositsUsd = depositsUsd.plus(flow.flowUsd);
    const startValue = toDecimal(previous.totalValueUsd);
    if (startValue.gt(EMPTY_VALUE_USD)) {
      growth = multiplyRounded(
        growth,
        stepFactor(startValue, toDecimal(current.totalValueUsd), flow.flowUsd),
        GROWTH_DP,
      );
      measuredSteps += 1;
      if (growth.eq(ZERO) && wipedOutAt === undefined) wipedOutAt = current.slot;
    }
    index.push({ time: current.slot, index: growth });
  }
  const sumOf = (kind: TrackingChange['change']) =>
    trackingChanges
      .filter((change) => change.change === kind)
      .reduce((sum, change) => sum.plus(toDecimal(change.valueUsd)), ZERO);
  const tracking = { trackingChanges, addedUsd: sumOf('added'), removedUsd: sumOf('removed') };
  return {
    netFlowUsd,
    depositsUsd,
    growth,
    measuredSteps,
    index,
    flowKinds,
    ...tracking,
    ...(wipedOutAt ? { wipedOutAt } : {}),
  };
}

/**
 * 1 + r_t; never negative, since a value cannot fall below nothing (a misread flow is clamped). Rounded to
 * Dec.DP places as big.js's `div` would, by the faster BigInt division (most of a long window's maths).
 */
function stepFactor(startValue: Decimal, endValue: Decimal, flowUsd: Decimal): Decimal {
  const factor = divideRounded(endValue.minus(flowUsd), startValue);
  return factor.lt(ZERO) ? ZERO : factor;
}

/**
 * Tracking changes (issue 9, defect 6): a wallet the user adds or removes is neither a deposit nor a
 * withdrawal, and its value is not a gain or a loss. A step where the tracked wallets differ is measured
 * over the wallets present on BOTH sides; the others' values are reported as tracking changes.
 */

/** Position keys are `walletId/chainIndex:tokenAddress`; back-filled and legacy keys carry no wallet. */
function walletOfKey(key: string): string | undefined {
  const slash = key.indexOf('/');
  return slash < 0 ? undefined : key.slice(0, slash);
}

/** The wallets tracked at a point: recorded in `walletIds`, else inferred from its position keys. */
function trackedWallets(point: SnapshotPoint): ReadonlySet<string> {
  if (point.walletIds) return new Set(point.walletIds);
  return new Set(point.positions.flatMap((position) => walletOfKey(position.assetId) ?? []));
}

function valueOf(positions: SnapshotPoint['positions']): Decimal {
  return sumDecimals(positions.map((position) => toDecimal(position.quantity).times(toDecimal(position.priceUsd))));
}

function keepWallets(point: SnapshotPoint, wallets: ReadonlySet<string>): SnapshotPoint {
  const positions = point.positions.filter((position) => {
    const wallet = walletOfKey(position.assetId);
    return wallet === undefined || wallets.has(wallet);
  });
  return { ...point, positions, totalValueUsd: valueOf(positions).toString() };
}

function walletValue(point: SnapshotPoint, walletId: string): Decimal {
  return valueOf(point.positions.filter((position) => walletOfKey(position.assetId) === walletId));
}

export interface TrackedStep {
  /** Both sides restricted to the wallets tracked on both sides (the originals when nothing changed). */
  readonly previous: SnapshotPoint;
  readonly current: SnapshotPoint;
  /** Wallets added or removed in this step with a non-zero value. */
  readonly changes: readonly TrackingChange[];
}

function splitTracking(previous: SnapshotPoint, current: SnapshotPoint): TrackedStep {
  const before = trackedWallets(previous);
  const after = trackedWallets(current);
  const added = [...after].filter((wallet) => !before.has(wallet));
  const removed = [...before].filter((wallet) => !after.has(wallet));
  if (added.length === 0 && removed.length === 0) return { previous, current, changes: [] };
  const common = new Set([...after].filter((wallet) => before.has(wallet)));
  const changes: TrackingChange[] = [
    ...added.map((walletId) => ({
      time: current.slot,
      walletId,
      change: 'added' as const,
      valueUsd: walletValue(current, walletId).toString(),
    })),
    ...removed.map((walletId) => ({
      time: current.slot,
      walletId,
      change: 'removed' as const,
      valueUsd: walletValue(previous, walletId).toString(),
    })),
  ].filter((change) => !toDecimal(change.valueUsd).eq(ZERO));
  return { previous: keepWallets(previous, common), current: keepWallets(current, common), changes };
}

/**
 * Back-filled history: TODAY's quantities valued at past closes, so a freshly added wallet has a chart.
 * It is not what the user held then, so every point carries `backfilled: true`: computePerformance
 * draws it in the series but keeps it out of every return figure, and says so in a note.
 */
export interface BackfillPoint extends SnapshotPoint {
  readonly backfilled: true;
}

export interface BackfillCandle {
  readonly time: IsoTime;
  readonly close: DecimalString;
}

export interface BackfillOptions {
  /** Only closes strictly before this instant (e.g. the first real snapshot), so real history wins. */
  readonly before?: IsoTime;
}

export function isBackfillPoint(point: SnapshotPoint): point is BackfillPoint {
  return (point as Partial<BackfillPoint>).backfilled === true;
}

interface PricedAsset {
  readonly assetId: string;
  readonly quantity: Decimal;
  /** Closes sorted by time, oldest first. */
  readonly closes: readonly { at: number; close: DecimalString }[];
}

function quantitiesOf(holdings: readonly { assetId: string; quantity: DecimalString }[]): Map<string, Decimal> {
  const quantities = new Map<string, Decimal>();
  for (const holding of holdings)
    quantities.set(holding.assetId, (quantities.get(holding.assetId) ?? ZERO).plus(toDecimal(holding.quantity)));
  return quantities;
}

function pricedAssets(
  quantities: Map<string, Decimal>,
  candles: ReadonlyMap<string, readonly BackfillCandle[]>,
  before: number,
): PricedAsset[] {
  const assets: PricedAsset[] = [];
  for (const [assetId, quantity] of quantities) {
    const closes = (candles.get(assetId) ?? [])
      .map((candle) => ({ at: Date.parse(candle.time), close: candle.close }))
      .filter((candle) => candle.at < before)
      .sort((a, b) => a.at - b.at);
    if (!quantity.eq(ZERO) && closes.length > 0) assets.push({ assetId, quantity, closes });
  }
  return assets;
}

/** Latest close at or before `at` (the list is sorted and starts at or before `at`). */
function closeAt(asset: PricedAsset, at: number): DecimalString {
  let close = asset.closes[0]!.close;
  for (const candle of asset.closes) {
    if (candle.at > at) break;
    close = candle.close;
  }
  return close;
}

/**
 * One point per candle time from the moment every priced asset has a close; assets without any
 * candle are left out (they have no price history), and so are zero quantities.
 */
export function buildBackfillPoints(
  holdings: readonly { assetId: string; quantity: DecimalString }[],
  candles: ReadonlyMap<string, readonly BackfillCandle[]>,
  options: BackfillOptions = {},
): BackfillPoint[] {
  const before = options.before === undefined ? Number.POSITIVE_INFINITY : Date.parse(options.before);
  const assets = pricedAssets(quantitiesOf(holdings), candles, before);
  if (assets.length === 0) return [];
  const start = Math.max(...assets.map((asset) => asset.closes[0]!.at));
  const times = [...new Set(assets.flatMap((asset) => asset.closes.map((candle) => candle.at)))]
    .filter((at) => at >= start)
    .sort((a, b) => a - b);
  return times.map((at) => {
    const time = new Date(at).toISOString();
    const positions = assets.map((asset) => ({
      assetId: asset.assetId,
      quantity: asset.quantity.toString(),
      priceUsd: closeAt(asset, at),
    }));
    const total = sumDecimals(
      positions.map((position) => toDecimal(position.quantity).times(toDecimal(position.priceUsd))),
    );
    return {
      slot: time,
      takenAt: time,
      totalValueUsd: total.toString(),
      positions,
      incomplete: false,
      backfilled: true,
    };
  });
}
