import { describe, expect, it } from 'vitest';
import { Dec } from '../../../../shared/kernel/decimal';
import { pickChartPoints } from '../../../../shared/platform/chart/downsample-series';
import {
  buildValueChartSvg,
  ESTIMATED_STROKE,
  RECORDED_STROKE,
} from '../../../../shared/platform/chart/value-chart-svg';

const points = (rows: [number, string][]) => rows.map(([time, value]) => ({ time, value: new Dec(value) }));

describe('chart downsampling', () => {
  it('keeps the first and last point and the lowest and highest of each column (the first of equals)', () => {
    // Two columns over [0, 100]: 0–49 and 50–100. Column 0 holds 5, 3, 8, 3; column 1 holds 6, 9, 1, 4, 7.
    const series = points([
      [0, '5'],
      [10, '3'],
      [20, '8'],
      [30, '3'],
      [50, '6'],
      [60, '9'],
      [70, '1'],
      [90, '4'],
      [100, '7'],
    ]);

    const kept = pickChartPoints(series, 2, 0, 100);

    // First (5), column 0's low (3 at 10, not the later 3 at 30) and high (8), column 1's high (9) and low (1), last (7).
    expect(kept).toEqual([0, 1, 2, 5, 6, 8]);
    expect(kept.map((index) => series[index]!.value.toString())).toEqual(['5', '3', '8', '9', '1', '7']);
  });

  it('keeps a series of at most two points a column (plus its ends) whole', () => {
    const series = points([
      [0, '1'],
      [10, '2'],
      [20, '3'],
      [30, '4'],
      [40, '5'],
      [50, '6'],
    ]);

    expect(pickChartPoints(series, 2, 0, 50)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(pickChartPoints([], 2, 0, 50)).toEqual([]);
  });

  it('draws a year of hourly points with one point per column at most twice, keeping the dip, the ends and the estimates', () => {
    const start = Date.parse('2025-06-01T00:00:00.000Z');
    // 8,760 hourly points (1 Jun 2025 – 31 May 2026 23:00) at $1,000, 48 of them estimates, one dip to $400 and $1,500 at the end.
    const series = Array.from({ length: 8760 }, (_, hour) => ({
      time: new Date(start + hour * 3_600_000).toISOString(),
      valueUsd: hour === 4000 ? '400' : hour === 8759 ? '1500' : '1000',
      ...(hour < 48 ? { estimated: true } : {}),
    }));

    const svg = buildValueChartSvg({ title: '1y', series });

    const drawn = [...svg.matchAll(/<polyline points="([^"]*)"/g)].map((match) => match[1]!.split(' '));
    expect(svg).toContain(`${ESTIMATED_STROKE}`);
    expect(svg).toContain(`${RECORDED_STROKE}`);
    // The dashed part ends where the solid part starts; both together stay within 2 × 680 + 2 points per part.
    expect(drawn[0]!.at(-1)).toBe(drawn[1]![0]);
    expect(drawn[0]!.length + drawn[1]!.length).toBeLessThanOrEqual(2 * (2 * 680 + 2) + 1);
    // Axis $0–$1,500 (step 500): $400 is at 360 − 400 / 1,500 × 290 = 282.7, $1,500 at the top (70), $1,000 at 166.7.
    const ys = drawn.flat().map((point) => point.split(',')[1]);
    expect(ys).toContain('282.7');
    expect(ys.at(-1)).toBe('70');
    expect(ys[0]).toBe('166.7');
    expect(svg).toContain('1 Jun 2025');
    expect(svg).toContain('31 May 2026');
  });
});
