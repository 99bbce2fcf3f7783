import { describe, expect, it } from 'vitest';
import { Dec } from '../../../shared/kernel/decimal';
import { buildBackfillPoints, computePerformance, PERFORMANCE_METHODS } from '../../../shared/portfolio/performance';
import { daysAfter, snapshotAt } from './performance-fixtures';

/** Equal to 25 decimals: chain-linking rounds each factor at 36. */
function isNear(actual: string, expected: string): boolean {
  return new Dec(actual).minus(new Dec(expected)).abs().lt(new Dec('1e-25'));
}

const JAN1 = '2025-01-01T00:00:00.000Z';
const JAN31 = new Date('2025-01-31T00:00:00.000Z');

/** finance-methods §1.5: 10,000 → +10 % → deposit 5,000 → −10 % → 14,400 over 30 days. */
const workedExample = [
  snapshotAt(JAN1, [['eth', '10', '1000']]),
  snapshotAt(daysAfter(JAN1, 15), [
    ['eth', '10', '1100'],
    ['usdc', '5000', '1'],
  ]),
  snapshotAt(daysAfter(JAN1, 30), [
    ['eth', '10', '940'],
    ['usdc', '5000', '1'],
  ]),
];

describe('computePerformance', () => {
  it('reproduces the finance-methods §1.5 worked example exactly', () => {
    // Prepare / Act
    const report = computePerformance(workedExample, '30d', JAN31);
    // Assess
    expect(report).toMatchObject({
      window: '30d',
      from: JAN1,
      to: JAN31.toISOString(),
      startValueUsd: '10000',
      endValueUsd: '14400',
      netFlowsUsd: '5000',
      points: 3,
    });
    expect(report.pnlUsd).toEqual({ value: '-600', method: PERFORMANCE_METHODS.pnl });
    expect(report.simpleRoi).toEqual({ value: '-0.04', method: PERFORMANCE_METHODS.simpleRoi });
    expect(report.twr).toEqual({ value: '-0.01', method: PERFORMANCE_METHODS.twr });
    // index 1 → 1.1 → 0.99: worst fall (1.1 − 0.99) / 1.1 = 0.1, shown negative
    expect(report.maxDrawdown?.value).toBe('-0.1');
    expect(report.annualisedTwr).toBeUndefined();
    expect(report.notes).toEqual([]);
    expect(report.series).toEqual([
      { time: JAN1, valueUsd: '10000' },
      { time: daysAfter(JAN1, 15), valueUsd: '16000' },
      { time: daysAfter(JAN1, 30), valueUsd: '14400' },
    ]);
  });

  it('separates a deposit from a price gain (finance-methods §2)', () => {
    const points = [
      snapshotAt(JAN1, [
        ['eth', '2', '3000'],
        ['usdc', '1000', '1'],
      ]),
      snapshotAt(daysAfter(JAN1, 1), [
        ['eth', '2.5', '3100'],
        ['usdc', '1000', '1'],
      ]),
    ];
    const report = computePerformance(points, '7d', new Date(daysAfter(JAN1, 1)));
    expect(report.netFlowsUsd).toBe('1550');
    expect(report.pnlUsd.value).toBe('200');
    expect(isNear(report.twr!.value, new Dec('200').div(new Dec('7000')).toString())).toBe(true);
    expect(report.simpleRoi!.value).toBe(new Dec('200').div(new Dec('8550')).toString());
  });

  it('does not count an internal swap as a flow; its fees stay in the return as a cost', () => {
    const points = [
      snapshotAt(JAN1, [
        ['eth', '2', '3000'],
        ['usdc', '1000', '1'],
      ]),
      snapshotAt(daysAfter(JAN1, 1), [
        ['eth', '0.999', '3100'],
        ['usdc', '4090.7', '1'],
      ]),
    ];
    const report = computePerformance(points, '7d', new Date(daysAfter(JAN1, 1)));
    expect(report.netFlowsUsd).toBe('0');
    expect(report.pnlUsd.value).toBe('187.6');
    expect(report.twr!.value).toBe(new Dec('187.6').div(new Dec('7000')).toString());
    expect(report.notes).toContain(
      '1 swap inside the portfolio not counted as deposits or withdrawals (their fees count as a cost)',
    );
  });

  it('measures drawdown on the flow-adjusted index: a withdrawal is not a drawdown', () => {
    const withdrawal = [
      snapshotAt(JAN1, [['eth', '10', '100']]),
      snapshotAt(daysAfter(JAN1, 1), [['eth', '5', '100']]),
      snapshotAt(daysAfter(JAN1, 2), [['eth', '5', '100']]),
    ];
    const report = computePerformance(withdrawal, '7d', new Date(daysAfter(JAN1, 2)));
    expect(report.netFlowsUsd).toBe('-500');
    expect(report.maxDrawdown!.value).toBe('0');
    expect(report.twr!.value).toBe('0');
  });

  it('finds the deepest peak-to-trough fall', () => {
    const prices = ['100', '120', '90', '130', '117'];
    const points = prices.map((price, day) => snapshotAt(daysAfter(JAN1, day), [['eth', '1', price]]));
    const report = computePerformance(points, '7d', new Date(daysAfter(JAN1, 4)));
    // peak 120 → trough 90: (90 − 120) / 120 = −0.25
    expect(report.maxDrawdown!.value).toBe('-0.25');
    expect(isNear(report.twr!.value, '0.17')).toBe(true);
    expect(report.simpleRoi!.value).toBe('0.17');
  });

  it('never annualises a window under a year and explains why only for year windows', () => {
    const points = [snapshotAt(JAN1, [['eth', '1', '100']]), snapshotAt(daysAfter(JAN1, 200), [['eth', '1', '150']])];
    const now = new Date(daysAfter(JAN1, 200));
    expect(computePerformance(points, '1y', now).annualisedTwr).toBeUndefined();
    expect(computePerformance(points, '1y', now).notes).toContain(
      'not annualised: 200 days recorded, returns under a year are never annualised',
    );
    expect(computePerformance(points, 'all', now).annualisedTwr).toBeUndefined();
    expect(computePerformance(points.slice(-1), '30d', now).annualisedTwr).toBeUndefined();
  });

  it('annualises a full year as the TWR itself and two years as the geometric mean', () => {
    const year = [snapshotAt(JAN1, [['eth', '1', '100']]), snapshotAt(daysAfter(JAN1, 365), [['eth', '1', '110']])];
    const oneYear = computePerformance(year, '1y', new Date(daysAfter(JAN1, 365)));
    expect(oneYear.annualisedTwr).toEqual({ value: '0.1', method: PERFORMANCE_METHODS.annualisedTwr });
    const twoYears = [snapshotAt(JAN1, [['eth', '1', '100']]), snapshotAt(daysAfter(JAN1, 730), [['eth', '1', '121']])];
    const report = computePerformance(twoYears, 'all', new Date(daysAfter(JAN1, 730)));
    expect(report.twr!.value).toBe('0.21');
    expect(isNear(report.annualisedTwr!.value, '0.1')).toBe(true);
  });

  it('reports no figures but a note when nothing was recorded', () => {
    const report = computePerformance([], '30d', JAN31);
    expect(report).toMatchObject({
      points: 0,
      startValueUsd: '0',
      endValueUsd: '0',
      netFlowsUsd: '0',
      from: daysAfter(JAN31.toISOString(), -30),
      to: JAN31.toISOString(),
    });
    expect(report.pnlUsd.value).toBe('0');
    expect(report.twr).toBeUndefined();
    expect(report.notes).toEqual(['no history yet for 30d: figures appear after the next syncs']);
    expect(computePerformance([], 'all', JAN31).from).toBe(JAN31.toISOString());
  });

  it('reports a single snapshot as not enough history', () => {
    const report = computePerformance(workedExample.slice(0, 1), '30d', JAN31);
    expect(report).toMatchObject({ points: 1, startValueUsd: '10000', endValueUsd: '10000' });
    expect(report.pnlUsd.value).toBe('0');
    expect(report.twr).toBeUndefined();
    expect(report.simpleRoi).toBeUndefined();
    expect(report.notes).toContain('not enough history for 30d: only one snapshot recorded');
  });

  it('says how much history a short record covers', () => {
    const points = [
      snapshotAt(daysAfter(JAN1, 28), [['eth', '1', '100']]),
      snapshotAt(daysAfter(JAN1, 30), [['eth', '1', '101']]),
    ];
    const report = computePerformance(points, '30d', JAN31);
    expect(report.notes).toContain(
      'since 2025-01-29: only 2 days recorded, less than 30d; figures cover the recorded period',
    );
    expect(report).toMatchObject({ shortHistory: true, from: daysAfter(JAN1, 28) });
    expect(report.twr!.value).toBe('0.01');
  });

  it('leaves incomplete snapshots out of the maths and the chart', () => {
    const broken = snapshotAt(daysAfter(JAN1, 10), [['eth', '1', '1000']], true);
    const report = computePerformance([workedExample[2]!, broken, workedExample[0]!, workedExample[1]!], '30d', JAN31);
    expect(report.twr!.value).toBe('-0.01');
    expect(report.points).toBe(3);
    expect(report.series).toHaveLength(3);
    expect(report.notes).toContain('1 snapshot with a failed chain left out of the return maths');
  });

  it('handles a window made only of incomplete snapshots', () => {
    const report = computePerformance(
      [snapshotAt(JAN1, [['eth', '1', '1']], true), snapshotAt(daysAfter(JAN1, 1), [['eth', '1', '1']], true)],
      '30d',
      JAN31,
    );
    expect(report.points).toBe(0);
    expect(report.notes).toEqual([
      '2 snapshots with a failed chain left out of the return maths',
      'no history yet for 30d: figures appear after the next syncs',
    ]);
  });

  it('ignores points outside the window', () => {
    const old = snapshotAt(daysAfter(JAN1, -5), [['eth', '1', '1']]);
    const future = snapshotAt(daysAfter(JAN1, 31), [['eth', '1', '1']]);
    const report = computePerformance([old, ...workedExample, future], '30d', JAN31);
    expect(report.points).toBe(3);
    expect(report.twr!.value).toBe('-0.01');
  });

  it('counts returns from the first deposit when the window starts at $0', () => {
    const points = [
      snapshotAt(JAN1, []),
      snapshotAt(daysAfter(JAN1, 1), [['eth', '1', '1000']]),
      snapshotAt(daysAfter(JAN1, 2), [['eth', '1', '1100']]),
    ];
    const report = computePerformance(points, '7d', new Date(daysAfter(JAN1, 2)));
    expect(report).toMatchObject({ startValueUsd: '0', endValueUsd: '1100', netFlowsUsd: '1000' });
    expect(report.pnlUsd.value).toBe('100');
    expect(report.simpleRoi!.value).toBe('0.1');
    expect(report.twr!.value).toBe('0.1');
    expect(report.notes).toContain('the window starts at $0: returns count from the first deposit');
  });

  it('has no return figures for a portfolio that stayed empty', () => {
    const points = [snapshotAt(JAN1, []), snapshotAt(daysAfter(JAN1, 1), [])];
    const report = computePerformance(points, '24h', new Date(daysAfter(JAN1, 1)));
    expect(report.simpleRoi).toBeUndefined();
    expect(report.twr).toBeUndefined();
    expect(report.notes).toEqual([
      'no simple ROI: nothing was invested in this window',
      'no time-weighted return: the portfolio was empty for the whole window',
    ]);
  });

  it('keeps the TWR at −100 % after a total wipe-out, even when money comes back', () => {
    const points = [
      snapshotAt(JAN1, [['rug', '1000', '1']]),
      snapshotAt(daysAfter(JAN1, 1), [['rug', '1000', '0']]),
      snapshotAt(daysAfter(JAN1, 2), [
        ['rug', '1000', '0'],
        ['usdc', '500', '1'],
      ]),
      snapshotAt(daysAfter(JAN1, 3), [
        ['rug', '1000', '0'],
        ['usdc', '500', '1'],
      ]),
    ];
    const report = computePerformance(points, '7d', new Date(daysAfter(JAN1, 3)));
    expect(report.twr!.value).toBe('-1');
    expect(report.maxDrawdown!.value).toBe('-1');
    expect(report.pnlUsd.value).toBe('-1000');
    expect(report.notes).toContain(
      'the portfolio lost all its value on 2025-01-02: the time-weighted return stays at −100 % after that',
    );
  });

  it('clamps a step whose stored total is below its inferred deposit instead of going negative', () => {
    const inconsistent = { ...snapshotAt(daysAfter(JAN1, 1), [['eth', '20', '100']]), totalValueUsd: '500' };
    const report = computePerformance(
      [snapshotAt(JAN1, [['eth', '10', '100']]), inconsistent],
      '24h',
      new Date(daysAfter(JAN1, 1)),
    );
    expect(report.netFlowsUsd).toBe('1000');
    expect(report.twr!.value).toBe('-1');
  });

  it('draws back-filled estimates in the chart but keeps them out of the returns', () => {
    const candles = new Map([
      [
        'eth',
        [
          { time: daysAfter(JAN1, 10), close: '500' },
          { time: daysAfter(JAN1, 11), close: '2000' },
        ],
      ],
    ]);
    const estimates = buildBackfillPoints([{ assetId: 'eth', quantity: '10' }], candles, {
      before: daysAfter(JAN1, 12),
    });
    const real = [
      snapshotAt(daysAfter(JAN1, 12), [['eth', '10', '1000']]),
      snapshotAt(daysAfter(JAN1, 13), [['eth', '10', '1100']]),
    ];
    const report = computePerformance([...real, ...estimates], '30d', JAN31);
    expect(report.series.map((point) => point.valueUsd)).toEqual(['5000', '20000', '10000', '11000']);
    expect(report.twr!.value).toBe('0.1');
    expect(report.maxDrawdown!.value).toBe('0');
    expect(report.startValueUsd).toBe('10000');
    expect(report.notes).toContain(
      "chart values before 2025-01-13 are estimates (today's quantities at past prices), not counted in the returns",
    );
  });

  it('shows back-filled estimates alone when no real snapshot exists yet', () => {
    const estimates = buildBackfillPoints(
      [{ assetId: 'eth', quantity: '1' }],
      new Map([['eth', [{ time: daysAfter(JAN1, 20), close: '7' }]]]),
    );
    const report = computePerformance(estimates, '30d', JAN31);
    expect(report.points).toBe(0);
    expect(report.series).toEqual([{ time: daysAfter(JAN1, 20), valueUsd: '7', estimated: true }]);
    expect(report.notes[0]).toBe(
      "chart values are estimates (today's quantities at past prices), not counted in the returns",
    );
  });
});
