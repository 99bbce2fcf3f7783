import type { StoredHolding } from '../adapters/dynamo/holdings-store';
import type { SnapshotResolution } from '../adapters/dynamo/keys';
import type { SnapshotStore } from '../adapters/dynamo/snapshot-store';
import { toDecimal, ZERO, type Decimal } from '../domain/decimal';
import { buildBackfillPoints, type BackfillCandle } from '../domain/performance-backfill';
import type { MarketDataPort } from '../domain/ports/market-data-port';
import type { SnapshotPoint, TokenRef } from '../domain/types';

/** Back-fill costs two OKX calls per asset, so only the largest assets are fetched. */
export const BACKFILL_MAX_ASSETS = 8;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** A week of hourly points (24 h and 7 d windows) and a quarter of daily points (30 d / 90 d windows). */
const BARS = { hourly: { bar: '1H', limit: 168, ms: HOUR_MS }, daily: { bar: '1Dutc', limit: 90, ms: DAY_MS } } as const;

export interface BackfillDeps {
  readonly market: MarketDataPort;
  readonly snapshots: SnapshotStore;
}

export interface BackfillResult {
  readonly requests: number;
  readonly written: number;
  /** Assets whose candles OKX could not give (they are left out of the back-filled points). */
  readonly missing: readonly string[];
}

interface AssetToFetch {
  readonly assetId: string;
  readonly quantity: Decimal;
  readonly value: Decimal;
  readonly token: TokenRef;
}

/**
 * Gives a newly tracked portfolio a chart: today's quantities valued at OKX historical closes, written
 * only into empty snapshot buckets before the first real slot. Best effort: a failed candle request
 * leaves that asset out, it never fails the sync.
 */
export async function backfillHistory(deps: BackfillDeps, userId: string, holdings: readonly StoredHolding[], firstSlot: string): Promise<BackfillResult> {
  const assets = largestAssets(holdings);
  const hourly = new Map<string, BackfillCandle[]>();
  const daily = new Map<string, BackfillCandle[]>();
  const missing: string[] = [];
  for (const asset of assets) {
    const [hours, days] = await Promise.all([closes(deps.market, asset.token, BARS.hourly, firstSlot), closes(deps.market, asset.token, BARS.daily, firstSlot)]);
    if (hours.length === 0 && days.length === 0) missing.push(asset.assetId);
    hourly.set(asset.assetId, hours);
    daily.set(asset.assetId, days);
  }
  const positions = assets.map((asset) => ({ assetId: asset.assetId, quantity: asset.quantity.toString() }));
  const hourPoints = buildBackfillPoints(positions, hourly, { before: firstSlot });
  const dayPoints = buildBackfillPoints(positions, daily, { before: firstSlot });
  const lastDay = new Date(Date.parse(firstSlot) - DAY_MS).toISOString();
  const writes: [SnapshotResolution, SnapshotPoint[]][] = [
    ['10m', hourPoints.filter((point) => point.slot >= lastDay)],
    ['1h', hourPoints],
    ['1d', dayPoints],
  ];
  let written = 0;
  for (const [resolution, points] of writes) written += await deps.snapshots.putBackfill(userId, resolution, points);
  return { requests: assets.length * 2, written, missing };
}

function largestAssets(holdings: readonly StoredHolding[]): AssetToFetch[] {
  const byAsset = new Map<string, AssetToFetch & { tokenValue: Decimal }>();
  for (const holding of holdings) {
    if (holding.isRiskToken || holding.priceUsd === undefined || holding.staleSince) continue;
    const quantity = toDecimal(holding.balance);
    const value = quantity.times(toDecimal(holding.priceUsd));
    const current = byAsset.get(holding.assetId);
    const token = { chainIndex: holding.chainIndex, tokenAddress: holding.tokenAddress };
    const isLarger = !current || value.gt(current.tokenValue);
    byAsset.set(holding.assetId, {
      assetId: holding.assetId,
      quantity: (current?.quantity ?? ZERO).plus(quantity),
      value: (current?.value ?? ZERO).plus(value),
      token: isLarger ? token : current.token,
      tokenValue: isLarger ? value : current.tokenValue,
    });
  }
  return [...byAsset.values()]
    .filter((asset) => asset.value.gt(ZERO))
    .sort((a, b) => b.value.cmp(a.value))
    .slice(0, BACKFILL_MAX_ASSETS);
}

/** Closed candles as (close time, close), oldest first; an OKX failure means "no history" for this asset. */
async function closes(market: MarketDataPort, token: TokenRef, bar: { bar: string; limit: number; ms: number }, before: string): Promise<BackfillCandle[]> {
  try {
    const candles = await market.getHistoricalCandles({ ...token, bar: bar.bar, limit: bar.limit, before: new Date(before) });
    return candles
      .filter((candle) => candle.isClosed)
      .map((candle) => ({ time: new Date(Date.parse(candle.time) + bar.ms).toISOString(), close: candle.close }))
      .filter((candle) => candle.time <= before)
      .reverse();
  } catch {
    return [];
  }
}
