import { describe, expect, it } from 'vitest';
import { buildBackfillPoints, isBackfillPoint } from '../../../shared/portfolio/performance-chain';
import { snapshotAt } from './performance-fixtures';

const day = (n: number) => `2025-02-0${n}T00:00:00.000Z`;

describe('buildBackfillPoints', () => {
  it("values today's quantities at past closes, from the first time every asset has a close", () => {
    const holdings = [
      { assetId: 'eth', quantity: '1.5' },
      { assetId: 'eth', quantity: '0.5' },
      { assetId: 'usdc', quantity: '100' },
    ];
    const candles = new Map([
      [
        'eth',
        [
          { time: day(3), close: '3000' },
          { time: day(1), close: '2000' },
          { time: day(2), close: '2500' },
        ],
      ],
      [
        'usdc',
        [
          { time: day(2), close: '1' },
          { time: day(4), close: '0.99' },
        ],
      ],
    ]);
    const points = buildBackfillPoints(holdings, candles);
    expect(points.map((point) => [point.slot, point.totalValueUsd])).toEqual([
      [day(2), '5100'],
      [day(3), '6100'],
      [day(4), '6099'],
    ]);
    expect(points[0]).toMatchObject({ takenAt: day(2), incomplete: false, backfilled: true });
    expect(points[0]!.positions).toEqual([
      { assetId: 'eth', quantity: '2', priceUsd: '2500' },
      { assetId: 'usdc', quantity: '100', priceUsd: '1' },
    ]);
    expect(points.every(isBackfillPoint)).toBe(true);
  });

  it('stops before the first real snapshot and leaves out assets without candles or quantity', () => {
    const holdings = [
      { assetId: 'eth', quantity: '1' },
      { assetId: 'dust', quantity: '0' },
      { assetId: 'unlisted', quantity: '5' },
    ];
    const candles = new Map([
      [
        'eth',
        [
          { time: day(1), close: '10' },
          { time: day(2), close: '20' },
        ],
      ],
      ['dust', [{ time: day(1), close: '1' }]],
    ]);
    expect(buildBackfillPoints(holdings, candles, { before: day(2) }).map((point) => point.slot)).toEqual([day(1)]);
    expect(buildBackfillPoints([{ assetId: 'unlisted', quantity: '5' }], candles)).toEqual([]);
  });

  it('does not mistake a real snapshot for an estimate', () => {
    expect(isBackfillPoint(snapshotAt(day(1), []))).toBe(false);
  });
});
