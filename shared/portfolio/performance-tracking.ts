import { sumDecimals, toDecimal, ZERO, type Decimal } from '../kernel/decimal';
import type { SnapshotPoint, TrackingChange } from '../kernel/types';

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
