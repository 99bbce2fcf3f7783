import type { Decimal } from '../../kernel/decimal';

export interface ChartPoint {
  /** Epoch milliseconds. */
  readonly time: number;
  readonly value: Decimal;
}

/**
 * Which points of a series to draw when it has more points than the chart has pixels (a year of hourly
 * rollups is ~8,800 points for a plot 680 px wide): the time span [from, to] is cut into `buckets` equal
 * columns and each column keeps its lowest and its highest point (the first of equals), and the series keeps
 * its first and last point. The line then reaches every peak and trough it reached before, the axis (built
 * from the lowest and highest values) and the time labels (the ends) are unchanged, and at most
 * 2 × buckets + 2 points are left. A series that short already is kept whole. Returns indices, in order.
 */
export function pickChartPoints(points: readonly ChartPoint[], buckets: number, from: number, to: number): number[] {
  if (points.length <= 2 * buckets + 2) return points.map((_, index) => index);
  const lowest = new Map<number, number>();
  const highest = new Map<number, number>();
  const width = Math.max(to - from, 1);
  points.forEach((point, index) => {
    const bucket = Math.min(buckets - 1, Math.max(0, Math.floor(((point.time - from) / width) * buckets)));
    const low = lowest.get(bucket);
    if (low === undefined || point.value.lt(points[low]!.value)) lowest.set(bucket, index);
    const high = highest.get(bucket);
    if (high === undefined || point.value.gt(points[high]!.value)) highest.set(bucket, index);
  });
  const kept = new Set([0, points.length - 1, ...lowest.values(), ...highest.values()]);
  return [...kept].sort((a, b) => a - b);
}
