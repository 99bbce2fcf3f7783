import { sumDecimals, toDecimal, ZERO, type Decimal } from '../kernel/decimal';
import type { DecimalString, IsoTime, SnapshotPoint } from '../kernel/types';

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
