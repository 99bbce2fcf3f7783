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

  it('draws a year of daily points whole: the one-day spike in the middle and both ends are drawn where they are', () => {
    const start = Date.parse('2025-12-01T00:00:00.000Z');
    // $1,000 a day for 365 days, $5,000 on day 182, $1,200 on the last day.
    const series = Array.from({ length: 365 }, (_, day) => ({
      time: new Date(start + day * 86_400_000).toISOString(),
      valueUsd: day === 182 ? '5000' : day === 364 ? '1200' : '1000',
    }));

    const svg = buildValueChartSvg({ title: '1y', series });

    const drawn = /<polyline points="([^"]*)"/.exec(svg)![1]!.split(' ');
    expect(drawn).toHaveLength(365);
    // Axis $1,000–$5,000 (step $1,000): $5,000 at the top (y 70), $1,000 at the bottom (360), $1,200 at
    // 360 − 200 / 4,000 × 290 = 345.5; x runs from 90 to 770, day 182 of 364 half-way (430).
    expect(drawn[0]).toBe('90,360');
    expect(drawn[182]).toBe('430,70');
    expect(drawn[364]).toBe('770,345.5');
  });

  it('with fewer columns than points keeps the spike, the first and the last point', () => {
    // 365 points over [0, 364] at 1 except 9 at 182 and 2 at 364, into 50 columns.
    const series = points(Array.from({ length: 365 }, (_, day) => [day, day === 182 ? '9' : day === 364 ? '2' : '1']));

    const kept = pickChartPoints(series, 50, 0, 364);

    expect(kept).toContain(0);
    expect(kept).toContain(182);
    expect(kept).toContain(364);
    expect(kept.length).toBeLessThanOrEqual(2 * 50 + 2);
    expect(kept).toEqual([...kept].sort((a, b) => a - b));
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
