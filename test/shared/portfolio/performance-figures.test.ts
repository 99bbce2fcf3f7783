import { describe, expect, it } from 'vitest';
import { computePerformance } from '../../../shared/portfolio/performance';
import type { SnapshotPoint } from '../../../shared/kernel/types';
import { daysAfter, snapshotAt } from './performance-fixtures';

/** Issue 9: the figures a user reads. Every expected value is worked by hand in the comment beside it. */
const JAN1 = '2025-01-01T00:00:00.000Z';
const at = (days: number) => new Date(daysAfter(JAN1, days));
const withWallets = (point: SnapshotPoint, walletIds: string[]): SnapshotPoint => ({ ...point, walletIds });

describe('defect 4: every window is [now − w, now]', () => {
  // Hourly and 10-minute points alike: 1000 on 1 Jan, 1100 on 5 Jan, 1210 on 8 Jan 00:00, 1331 on 8 Jan 12:00.
  const points = [
    snapshotAt(JAN1, [['w1/1:', '10', '100']]),
    snapshotAt(daysAfter(JAN1, 4), [['w1/1:', '10', '110']]),
    snapshotAt(daysAfter(JAN1, 7), [['w1/1:', '10', '121']]),
    snapshotAt(daysAfter(JAN1, 7.5), [['w1/1:', '10', '133.1']]),
  ];
  const now = at(7.5);

  it('starts at the last point at or before now − w, so a longer window never starts later', () => {
    const day = computePerformance(points, '24h', now);
    const week = computePerformance(points, '7d', now);
    // 24 h: now − 24 h = 7 Jan 12:00 → the 5 Jan point (1100) is its start value: 1331 / 1100 − 1 = 0.21.
    expect(day).toMatchObject({
      from: daysAfter(JAN1, 6.5),
      startValueUsd: '1100',
      endValueUsd: '1331',
      shortHistory: false,
    });
    expect(day.twr!.value).toBe('0.21');
    // 7 d: now − 7 d = 1 Jan 12:00 → the 1 Jan 00:00 point (1000): 1331 / 1000 − 1 = 0.331.
    expect(week).toMatchObject({
      from: daysAfter(JAN1, 0.5),
      startValueUsd: '1000',
      endValueUsd: '1331',
      shortHistory: false,
    });
    expect(week.twr!.value).toBe('0.331');
    expect(Date.parse(week.from)).toBeLessThan(Date.parse(day.from));
  });

  it('says "since <first point>" when the window is longer than the history', () => {
    const month = computePerformance(points, '30d', now);
    // now − 30 d = 8 Dec 2024, before the first point: the figures run from 1 Jan.
    expect(month).toMatchObject({ from: JAN1, shortHistory: true, startValueUsd: '1000' });
    expect(month.notes).toContain(
      'since 2025-01-01: only 7 days recorded, less than 30d; figures cover the recorded period',
    );
  });
});

describe('defect 2: the report ends at the live total', () => {
  it('ends the window and the chart at the live point built from the current holdings', () => {
    const points = [
      snapshotAt(JAN1, [
        ['w1/1:', '10', '100'],
        ['w2/1:', '5', '100'],
      ]),
      snapshotAt(daysAfter(JAN1, 1), [
        ['w1/1:', '10', '110'],
        ['w2/1:', '5', '110'],
      ]),
    ];
    // The user removed w2 after the last sync; the live holdings are 10 ETH at 110 = 1100 (what /portfolio shows).
    const live = withWallets(snapshotAt(daysAfter(JAN1, 1.25), [['w1/1:', '10', '110']]), ['w1']);
    const report = computePerformance(points, '7d', at(1.25), { live });
    expect(report.endValueUsd).toBe('1100');
    expect(report.series.at(-1)).toEqual({ time: daysAfter(JAN1, 1.25), valueUsd: '1100' });
    // Removing w2 (5 × 110 = 550) is no withdrawal: net flows 0; P&L = 1100 − 1500 − 0 − (0 − 550) = 150 = 15 × 10.
    expect(report).toMatchObject({ netFlowsUsd: '0', walletsRemovedUsd: '550' });
    expect(report.pnlUsd.value).toBe('150');
  });
});

describe('defect 5: max drawdown', () => {
  it('is −20 % for 100 → 80 → 100 and stays after the recovery', () => {
    const prices = ['100', '80', '100'];
    const points = prices.map((price, day) => snapshotAt(daysAfter(JAN1, day), [['w1/1:', '1', price]]));
    // Index 1 → 0.8 → 1: (0.8 − 1) / 1 = −0.2 at the trough, and the worst fall is still −0.2 after 100.
    expect(computePerformance(points.slice(0, 2), '7d', at(1)).maxDrawdown!.value).toBe('-0.2');
    expect(computePerformance(points, '7d', at(2)).maxDrawdown!.value).toBe('-0.2');
  });
});

describe('defect 6: adding or removing a wallet is a tracking change', () => {
  it('is no flow and no gain when one wallet is removed and another added in the same step', () => {
    // w1 holds 1000 USDC throughout; w2 (995 USDC) is removed and w3 (1000 USDC) added between day 1 and day 2.
    // Old maths: legs −995 and +1000 netted as an "internal swap" and the +5 showed as a gain.
    const points = [
      withWallets(
        snapshotAt(JAN1, [
          ['w1/1:usdc', '1000', '1'],
          ['w2/1:usdc', '995', '1'],
        ]),
        ['w1', 'w2'],
      ),
      withWallets(
        snapshotAt(daysAfter(JAN1, 1), [
          ['w1/1:usdc', '1000', '1'],
          ['w3/1:usdc', '1000', '1'],
        ]),
        ['w1', 'w3'],
      ),
    ];
    const report = computePerformance(points, '7d', at(1));
    // P&L = 2000 − 1995 − 0 − (1000 − 995) = 0; TWR over w1 alone = 1000 / 1000 − 1 = 0.
    expect(report).toMatchObject({
      netFlowsUsd: '0',
      depositsUsd: '0',
      walletsAddedUsd: '1000',
      walletsRemovedUsd: '995',
    });
    expect(report.pnlUsd.value).toBe('0');
    expect(report.twr!.value).toBe('0');
    expect(report.simpleRoi!.value).toBe('0');
    expect(report.trackingChanges).toEqual([
      { time: daysAfter(JAN1, 1), walletId: 'w3', change: 'added', valueUsd: '1000' },
      { time: daysAfter(JAN1, 1), walletId: 'w2', change: 'removed', valueUsd: '995' },
    ]);
  });

  it('measures a step with a wallet added over the wallets on both sides, and puts its value in the ROI base', () => {
    // Day 0: w1 10 ETH @ 100 = 1000. Day 1: ETH 110 → w1 1100, and w2 (500 USDC) appears: 1600. Day 2: ETH 121 → 1710.
    const points = [
      withWallets(snapshotAt(JAN1, [['w1/1:', '10', '100']]), ['w1']),
      withWallets(
        snapshotAt(daysAfter(JAN1, 1), [
          ['w1/1:', '10', '110'],
          ['w2/1:usdc', '500', '1'],
        ]),
        ['w1', 'w2'],
      ),
      withWallets(
        snapshotAt(daysAfter(JAN1, 2), [
          ['w1/1:', '10', '121'],
          ['w2/1:usdc', '500', '1'],
        ]),
        ['w1', 'w2'],
      ),
    ];
    const report = computePerformance(points, '7d', at(2));
    // TWR = (1100 / 1000) × (1710 / 1600) − 1 = 1.1 × 1.06875 − 1 = 0.175625.
    expect(report.twr!.value).toBe('0.175625');
    // P&L = 1710 − 1000 − 0 − 500 = 210; simple ROI = 210 / (1000 + 0 + 500) = 0.14.
    expect(report.pnlUsd.value).toBe('210');
    expect(report.simpleRoi!.value).toBe('0.14');
    expect(report.netFlowsUsd).toBe('0');
  });

  it('infers the wallets of old points without walletIds from their position keys', () => {
    // A $0.50 wallet added to $10,000 was below the noise guard (max($1, 0.05 % × 10,000.5) = $5) and showed as a gain.
    const points = [
      snapshotAt(JAN1, [['w1/1:usdc', '10000', '1']]),
      snapshotAt(daysAfter(JAN1, 1), [
        ['w1/1:usdc', '10000', '1'],
        ['w2/1:usdc', '0.5', '1'],
      ]),
    ];
    const report = computePerformance(points, '7d', at(1));
    // P&L = 10000.5 − 10000 − 0 − 0.5 = 0.
    expect(report.pnlUsd.value).toBe('0');
    expect(report.twr!.value).toBe('0');
    expect(report.walletsAddedUsd).toBe('0.5');
  });
});
