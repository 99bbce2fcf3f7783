import { describe, expect, it } from 'vitest';
import {
  describeFlag,
  renderDiversification,
  allocationSlices,
  renderPerformance,
  valueChartInput,
} from '../../../shared/portfolio/report-message';
import { renderPortfolio } from '../../../shared/portfolio/portfolio-feature';
import { formatSignedPercent } from '../../../shared/platform/telegram/money-format';
import { computePerformance } from '../../../shared/portfolio/performance';
import { buildValueChartSvg } from '../../../shared/platform/chart/value-chart-svg';
import { daysAfter, snapshotAt } from './performance-fixtures';
import { diversification, performance, view } from './portfolio-fixtures';

const labels = { assetSymbol: (id: string) => id.toUpperCase() };
const JAN1 = '2025-01-01T00:00:00.000Z';

describe('report renderers', () => {
  it('names every risk flag in plain words, escaping subjects', () => {
    expect(
      describeFlag({ kind: 'sector-concentration', subject: 'meme', share: '0.7', threshold: '0.6' }, labels),
    ).toContain('Meme makes up');
    expect(describeFlag({ kind: 'sector-concentration', subject: '<x>', threshold: '0.6' }, labels)).toContain(
      '&lt;x&gt; makes up of',
    );
    expect(describeFlag({ kind: 'low-gas-reserve', subject: '8453', threshold: '0.001' }, labels)).toBe(
      'Low gas on Base: keep a little of the native coin there to pay for transactions.',
    );
    expect(
      describeFlag({ kind: 'chain-concentration', subject: '999999', share: '0.9', threshold: '0.8' }, labels),
    ).toContain('sits on chain 999999');
  });

  it('names the wallet (label or short address) and the chain of a low-gas flag', () => {
    const flag = {
      kind: 'low-gas-reserve',
      subject: '137',
      threshold: '5',
      walletId: 'wa',
      walletAddress: '0xaaaa000000000000000000000000000000000001',
      nativeBalance: '0',
    } as const;
    expect(describeFlag(flag, labels)).toBe(
      'Low gas in wallet 0xaaaa…0001 on Polygon: it holds tokens there but only 0.00 POL (keep at least 5 POL in that wallet to pay for transactions).',
    );
    expect(describeFlag(flag, { ...labels, walletLabel: (id) => (id === 'wa' ? 'Cold <1>' : undefined) })).toContain(
      'Low gas in wallet Cold &lt;1&gt; (0xaaaa…0001) on Polygon',
    );
  });

  it('leaves out the flags block when there are none', () => {
    expect(renderDiversification({ ...diversification, flags: [] }, labels)).not.toContain('Risk flags');
  });

  it('omits missing figures and zero flows, and signs returns', () => {
    const text = renderPerformance({
      ...performance('24h'),
      netFlowsUsd: '0',
      twr: undefined,
      simpleRoi: undefined,
      maxDrawdown: undefined,
      pnlUsd: { value: '0', method: 'm' },
    });

    expect(text).not.toContain('Net deposits');
    expect(text).not.toContain('Time-weighted');
    expect(text).toContain('Performance · 24 hours');
    expect(formatSignedPercent('0')).toBe('0.00 %');
    expect(formatSignedPercent('0.12346')).toBe('+12.35 %');
  });

  it('shows the inputs of simple ROI so that shown P&L / (start value + deposits + wallets added) is the shown ROI (defect 6)', () => {
    // Day 0: 10 ETH @ 100 = 1000. Day 1: +5 ETH deposited @ 100 → 1500 (flow +500). Day 2: 3 ETH withdrawn, 12 ETH @ 120
    // = 1440 (flow −3 × 120 = −360). Day 3: 12 @ 125 = 1500. P&L = 1500 − 1000 − (500 − 360) = 360; ROI = 360 / 1500 = 24 %.
    // The old report showed only "Net deposits: +$140.00", and 360 / (1000 + 140) = 31.58 % ≠ the 24.00 % shown.
    const points = [
      ['10', '100'],
      ['15', '100'],
      ['12', '120'],
      ['12', '125'],
    ].map(([quantity, price], day) => snapshotAt(daysAfter(JAN1, day), [['w1/1:', quantity!, price!]]));
    const text = renderPerformance(computePerformance(points, '7d', new Date(daysAfter(JAN1, 3))));

    const shown = [
      'Value: $1,000.00 → <b>$1,500.00</b>',
      'Deposits: $500.00',
      'Withdrawals: $360.00',
      'P&amp;L: <b>+$360.00</b>',
      'Return on money in (simple ROI): <b>+24.00 %</b>',
      'method: simple ROI: P&amp;L / (start value + deposits + value of wallets added)',
    ];
    expect(shown.filter((line) => !text.includes(line))).toEqual([]);
    expect(text).not.toContain('Net deposits');
  });

  it('notes a removed wallet as a tracking change and shows drawdown as a negative percentage', () => {
    // w2 (5 × 80 = 400 at its last point) is gone at the day-2 point (3 Jan); w1: 10 ETH 100 → 80 → 100, so the index falls 20 % and recovers.
    const points = [
      snapshotAt(JAN1, [
        ['w1/1:', '10', '100'],
        ['w2/1:', '5', '100'],
      ]),
      snapshotAt(daysAfter(JAN1, 1), [
        ['w1/1:', '10', '80'],
        ['w2/1:', '5', '80'],
      ]),
      snapshotAt(daysAfter(JAN1, 2), [['w1/1:', '10', '100']]),
    ];
    const text = renderPerformance(computePerformance(points, '7d', new Date(daysAfter(JAN1, 2))));

    expect(text).toContain('Wallets removed (not a withdrawal): $400.00');
    expect(text).toContain('wallet removed on 3 Jan 2025 00:00: $400.00 not counted as a withdrawal');
    // Peak 1 → trough 0.8: −20 %; still −20 % after the recovery to 1.
    expect(text).toContain('Max drawdown: <b>−20.00 %</b>');
    expect(text).not.toContain('Withdrawals:');
    // A 7 d window over 2 days of history says from when it runs.
    expect(text).toContain('<i>since 1 Jan 2025 00:00 → 3 Jan 2025 00:00 (UTC)</i>');
  });

  it('says how much of the value the 24 h change covers when some holdings had no price then (defect 1)', () => {
    const change = {
      absoluteUsd: '120',
      relative: '0.0125',
      since: '2026-03-17T10:00:00.000Z',
      coveredValueUsd: '9800',
      totalValueUsd: '10000',
    };

    const text = renderPortfolio({ ...view, change24h: change }, new Date('2026-03-18T10:00:00.000Z'), '7').text;
    const full = renderPortfolio(
      { ...view, change24h: { ...change, coveredValueUsd: '10000' } },
      new Date('2026-03-18T10:00:00.000Z'),
      '7',
    ).text;

    expect(text).toContain('24 h: +$120.00 (+1.25 %) — covers $9,800.00 of $10,000.00\n');
    expect(full).toContain('24 h: +$120.00 (+1.25 %)\n');
  });

  it('marks each tracking change on the value chart', () => {
    const changes = [{ time: '2026-03-15T10:00:00.000Z', walletId: 'w2', change: 'added' as const, valueUsd: '500' }];

    const input = valueChartInput('7d', { ...performance('7d'), trackingChanges: changes });

    expect(input.marks).toEqual([{ time: '2026-03-15T10:00:00.000Z', label: '+ wallet' }]);
  });

  it('takes the text from every point and hands the chart every point: only the drawing is thinned', () => {
    // 2,000 hourly points of 10 ETH at $100 ($1,000), one hour at $90 ($900) in the middle, $110 ($1,100) at the end.
    const start = Date.parse('2026-01-01T00:00:00.000Z');
    const points = Array.from({ length: 2000 }, (_, hour) =>
      snapshotAt(new Date(start + hour * 3_600_000).toISOString(), [
        ['eth', '10', hour === 1000 ? '90' : hour === 1999 ? '110' : '100'],
      ]),
    );
    const report = computePerformance(points, '90d', new Date(start + 1999 * 3_600_000));

    // Drawdown 900 / 1,000 − 1 = −10 %; return over the window 1,100 / 1,000 − 1 = +10 %.
    expect(report.maxDrawdown?.value).toBe('-0.1');
    expect(report.twr?.value).toBe('0.1');
    expect(renderPerformance(report)).toContain('−10.00 %');
    const chart = valueChartInput('90d', report);
    expect(chart.series).toHaveLength(2000);
    expect(chart.series[1000]!.valueUsd).toBe('900');
    // Drawn: at most the lowest and highest point of each of 680 columns plus the ends. Axis $900–$1,100 (step $50):
    // the dip is at the bottom (y 360), the end at the top (y 70), $1,000 half-way (360 − 145 = 215).
    const drawn = /<polyline points="([^"]*)"/.exec(buildValueChartSvg(chart))![1]!.split(' ');
    expect(drawn.length).toBeLessThanOrEqual(2 * 680 + 2);
    expect(drawn.length).toBeLessThan(2000);
    const ys = drawn.map((point) => point.split(',')[1]);
    expect(ys.filter((y) => y === '360')).toHaveLength(1);
    expect([ys[0], ys.at(-1)]).toEqual(['215', '70']);
  });

  it('charts only priced assets', () => {
    expect(allocationSlices(view).map((slice) => slice.label)).toEqual(['ETH', 'WBTC', 'USDC']);
  });
});
