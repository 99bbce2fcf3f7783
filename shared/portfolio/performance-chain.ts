import { NOISE_MIN_USD, classifyStepFlow, type FlowKind } from './performance-flows';
import type { IndexPoint } from './performance-math';
import { ONE, ZERO, divideRounded, multiplyRounded, sumDecimals, toDecimal, type Decimal } from '../kernel/decimal';
import type { SnapshotPoint, TrackingChange } from '../kernel/types';

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
export function trackedWallets(point: SnapshotPoint): ReadonlySet<string> {
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

export function splitTracking(previous: SnapshotPoint, current: SnapshotPoint): TrackedStep {
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
