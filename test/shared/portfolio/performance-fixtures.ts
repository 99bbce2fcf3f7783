import { Dec, sumDecimals } from '../../../shared/kernel/decimal';
import type { SnapshotPoint } from '../../../shared/kernel/types';

/** [assetId, quantity, priceUsd] */
export type Position = readonly [string, string, string];

/** A snapshot whose total is exactly Σ quantity × price, as the sync writes it. */
export function snapshotAt(slot: string, positions: readonly Position[], incomplete = false): SnapshotPoint {
  const total = sumDecimals(positions.map(([, quantity, price]) => new Dec(quantity).times(new Dec(price))));
  return {
    slot,
    takenAt: slot,
    totalValueUsd: total.toString(),
    positions: positions.map(([assetId, quantity, priceUsd]) => ({ assetId, quantity, priceUsd })),
    incomplete,
  };
}

export const DAY_MS = 86_400_000;

export function daysAfter(start: string, days: number): string {
  return new Date(Date.parse(start) + days * DAY_MS).toISOString();
}
