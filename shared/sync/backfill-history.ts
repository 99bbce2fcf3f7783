import type { StoredHolding } from './holdings-store';
import type { SnapshotResolution } from '../platform/dynamo/keys';
import type { SnapshotStore } from './snapshot-store';
import { toDecimal, ZERO, type Decimal } from '../kernel/decimal';
import { buildBackfillPoints, type BackfillCandle } from '../portfolio/performance-chain';
import type { MarketDataPort } from '../platform/okx/market-data-port';
import type { SnapshotPoint, TokenRef } from '../kernel/types';
import { logger, type Log } from '../platform/logger';

/** Back-fill costs two OKX calls per asset, so only the largest assets are fetched. */
export const BACKFILL_MAX_ASSETS = 8;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** A week of hourly points (24 h and 7 d windows) and a quarter of daily points (30 d / 90 d windows). */
const BARS = {
  hourly: { bar: '1H', limit: 168, ms: HOUR_MS },
  daily: { bar: '1Dutc', limit: 90, ms: DAY_MS },
} as const;

export interface BackfillDeps {
  readonly market: MarketDataPort;
  readonly snapshots: SnapshotStore;
  /** @default the platform logger. Never given secrets or message text. */
  readonly logger?: Log;
}

/** Why one asset got no back-filled history. */
export interface BackfillFailure {
  readonly assetId: string;
  readonly chainIndex: string;
  readonly tokenAddress: string;
  /** The error's name and OKX code (e.g. `OkxApiError 50014`), or `no candles` when OKX answered none. */
  readonly reason: string;
}

export interface BackfillResult {
  readonly requests: number;
  readonly written: number;
  /** Assets whose candles OKX could not give (they are left out of the back-filled points). */
  readonly missing: readonly string[];
  /** One entry per missing asset, saying why. */
  readonly failures: readonly BackfillFailure[];
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
 * leaves that asset out and never fails the sync, but each such asset is named in `missing`/`failures` and
 * in one structured log line.
 */
export async function backfillHistory(
  deps: BackfillDeps,
  userId: string,
  holdings: readonly StoredHolding[],
  firstSlot: string,
): Promise<BackfillResult> {
  const assets = largestAssets(holdings);
  const hourly = new Map<string, BackfillCandle[]>();
  const daily = new Map<string, BackfillCandle[]>();
  const failures: BackfillFailure[] = [];
  for (const asset of assets) {
    const [hours, days] = await Promise.all([
      closes(deps.market, asset.token, BARS.hourly, firstSlot),
      closes(deps.market, asset.token, BARS.daily, firstSlot),
    ]);
    const errors = [hours, days].flatMap((outcome) => ('error' in outcome ? [outcome.error] : []));
    const [hourCandles, dayCandles] = [hours, days].map((outcome) => ('error' in outcome ? [] : outcome.candles)) as [
      BackfillCandle[],
      BackfillCandle[],
    ];
    if (hourCandles.length === 0 && dayCandles.length === 0)
      failures.push({ assetId: asset.assetId, ...asset.token, reason: errors[0] ?? 'no candles' });
    hourly.set(asset.assetId, hourCandles);
    daily.set(asset.assetId, dayCandles);
  }
  if (failures.length > 0) {
    (deps.logger ?? logger).warn('history back-fill left assets out', { userId, failures });
  }
  const missing = failures.map((failure) => failure.assetId);
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
  return { requests: assets.length * 2, written, missing, failures };
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

type Closes = { readonly candles: BackfillCandle[] } | { readonly error: string };

/** Closed candles as (close time, close), oldest first; an OKX failure is kept as its short description. */
async function closes(
  market: MarketDataPort,
  token: TokenRef,
  bar: { bar: string; limit: number; ms: number },
  before: string,
): Promise<Closes> {
  try {
    const candles = await market.getHistoricalCandles({
      ...token,
      bar: bar.bar,
      limit: bar.limit,
      before: new Date(before),
    });
    return {
      candles: candles
        .filter((candle) => candle.isClosed)
        .map((candle) => ({ time: new Date(Date.parse(candle.time) + bar.ms).toISOString(), close: candle.close }))
        .filter((candle) => candle.time <= before)
        .reverse(),
    };
  } catch (error) {
    return { error: describeError(error) };
  }
}

/** Error name plus OKX code when there is one: enough to trace, no message text (it may echo input). */
function describeError(error: unknown): string {
  const name = error instanceof Error ? error.name : 'Error';
  const code =
    typeof error === 'object' && error !== null && 'code' in error
      ? String((error as { code: unknown }).code)
      : undefined;
  return code ? `${name} ${code}` : name;
}
