import { describe, expect, it } from 'vitest';
import { buildAllocationChartSvg, groupTail } from '../../../../shared/platform/chart/allocation-chart-svg';
import { buildAxis, formatAxisUsd, niceStep, toPixel } from '../../../../shared/platform/chart/svg-scale';
import {
  buildValueChartSvg,
  ESTIMATED_STROKE,
  formatTimeLabel,
  LEGEND_RECORDED,
  RECORDED_STROKE,
} from '../../../../shared/platform/chart/value-chart-svg';
import { Dec } from '../../../../shared/kernel/decimal';

const d = (value: string) => new Dec(value);

describe('chart axis maths', () => {
  it('picks 1/2/2.5/5 x 10^k steps and rounds the bounds out to whole steps', () => {
    expect(niceStep(d('3000'), 4).toString()).toBe('1000');
    expect(niceStep(d('0.9'), 4).toString()).toBe('0.25');
    expect(niceStep(d('170'), 4).toString()).toBe('50');
    expect(niceStep(d('95'), 10).toString()).toBe('10');

    const axis = buildAxis([d('10012.5'), d('12480'), d('11000')]);

    expect(axis.min.toString()).toBe('10000');
    expect(axis.max.toString()).toBe('13000');
    expect(axis.ticks.map(String)).toEqual(['10000', '11000', '12000', '13000']);
  });

  it('gives a flat series (and a flat zero series) a visible band', () => {
    expect(buildAxis([d('500'), d('500')]).ticks.map(String)).toEqual(['450', '475', '500', '525', '550']);
    expect(buildAxis([d('0')]).min.lt('0')).toBe(true);
  });

  it('maps values onto pixels, including an inverted y range and an empty range', () => {
    expect(toPixel(d('5'), d('0'), d('10'), 100, 0)).toBe(50);
    expect(toPixel(d('5'), d('5'), d('5'), 100, 0)).toBe(100);
  });

  it('formats compact USD tick labels exactly', () => {
    expect(formatAxisUsd(d('950'))).toBe('$950');
    expect(formatAxisUsd(d('12500'))).toBe('$12.5k');
    expect(formatAxisUsd(d('1250000'))).toBe('$1.25M');
    expect(formatAxisUsd(d('-0.5'))).toBe('-$0.5');
  });
});

describe('value chart svg', () => {
  const series = [
    { time: '2026-03-01T00:00:00.000Z', valueUsd: '10000' },
    { time: '2026-03-15T00:00:00.000Z', valueUsd: '12000.5' },
    { time: '2026-03-30T00:00:00.000Z', valueUsd: '11000' },
  ];

  it('draws the line, the grid and date labels, escaping the title', () => {
    const svg = buildValueChartSvg({ title: 'Value <7d> & more', series });

    expect(svg).toContain('Value &lt;7d&gt; &amp; more');
    expect(svg).toContain('<polyline points="90,');
    expect(svg).toContain('$12k');
    expect(svg).toContain('1 Mar 2026');
    expect(svg).toContain('30 Mar 2026');
  });

  it('fills the area under the line without anti-aliasing: its top edge lies under the line', () => {
    const svg = buildValueChartSvg({ title: '30d', series });

    const area = svg.split('\n').find((line) => line.startsWith('<polygon'));
    expect(area).toContain('fill-opacity="0.12" shape-rendering="crispEdges"');
    // The line itself stays anti-aliased.
    expect(svg.split('\n').find((line) => line.startsWith('<polyline'))).not.toContain('shape-rendering');
  });

  it('uses clock labels for windows of up to two days', () => {
    const svg = buildValueChartSvg({
      title: '24h',
      series: [
        { time: '2026-03-01T00:00:00.000Z', valueUsd: '1' },
        { time: '2026-03-01T23:50:00.000Z', valueUsd: '2' },
      ],
    });

    expect(svg).toContain('00:00 UTC');
    expect(svg).toContain('23:50 UTC');
    expect(formatTimeLabel(Date.parse('2026-12-05T07:05:00Z'), true)).toBe('07:05 UTC');
  });

  it('draws estimated (back-filled) history dashed and lighter than recorded history, with a legend (defect 7)', () => {
    const estimated = [{ ...series[0]!, estimated: true }, ...series.slice(1)];

    const svg = buildValueChartSvg({ title: 'v', series: estimated });
    const lines = svg.split('\n').filter((line) => line.startsWith('<polyline'));

    expect(ESTIMATED_STROKE).toContain('stroke-dasharray');
    expect(RECORDED_STROKE).not.toContain('stroke-dasharray');
    // The dashed part runs from the estimate to the first recorded point (x 90 → 90 + 14/29 × 680 = 418.3), the solid part from there on.
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(ESTIMATED_STROKE);
    expect(lines[0]).toMatch(/points="90,[\d.]+ 418.3,[\d.]+"/);
    expect(lines[1]).toContain(RECORDED_STROKE);
    expect(svg).toContain(`>${LEGEND_RECORDED}</text>`);
    expect(svg).toContain('Estimated (today&apos;s holdings at past prices)');
    expect(buildValueChartSvg({ title: 'v', series })).not.toContain('Estimated');
  });

  it('marks a wallet added or removed on the time axis', () => {
    const svg = buildValueChartSvg({
      title: 'v',
      series,
      marks: [{ time: '2026-03-15T00:00:00.000Z', label: '+ wallet' }],
    });

    expect(svg).toContain('<line x1="418.3" y1="70" x2="418.3" y2="360"');
    expect(svg).toContain('>+ wallet</text>');
  });

  it('says so when there are fewer than two points', () => {
    const svg = buildValueChartSvg({ title: 'v', series: [series[0]!] });

    expect(svg).toContain('Not enough history yet');
    expect(svg).not.toContain('polyline');
  });
});

describe('allocation chart svg', () => {
  it('sorts by share, drops empty slices and folds the tail into Other', () => {
    const slices = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].map((label, index) => ({
      label,
      share: String((index + 1) / 100),
    }));

    const rows = groupTail([...slices, { label: 'zero', share: '0' }]);

    expect(rows.map((row) => row.label)).toEqual(['j', 'i', 'h', 'g', 'f', 'e', 'd', 'Other']);
    expect(rows[7]!.share.toString()).toBe('0.06');
  });

  it('draws a labelled bar per asset with escaped, truncated labels', () => {
    const svg = buildAllocationChartSvg({
      title: 'Allocation',
      slices: [
        { label: 'ETH', share: '0.455' },
        { label: 'A<b>VeryLongSymbolName', share: '0.545' },
      ],
    });

    expect(svg).toContain('54.5%');
    expect(svg).toContain('45.5%');
    expect(svg).toContain('A&lt;b&gt;VeryLongS…');
  });

  it('says so when nothing is priced', () => {
    expect(buildAllocationChartSvg({ title: 'Allocation', slices: [] })).toContain('No priced holdings');
  });
});
