import { describe, expect, it } from 'vitest';
import {
  addRow,
  previewAllocation,
  removeRow,
  setPercent,
  sumPercent,
  type TargetRow,
} from '../../../shared/miniapp/web/targets-math';

const row = (symbol: string, percent: string): TargetRow => ({ asset: symbol.toLowerCase(), symbol, percent });
const percents = (rows: readonly TargetRow[]) => rows.map((item) => item.percent);

describe('targets editor maths', () => {
  it('shares the rest among the other rows in proportion to what they had', () => {
    // ETH 50 BTC 30 USDC 20 -> ETH 60: 40 left for BTC:USDC = 3:2 -> 24 and 16.
    const rows = setPercent([row('ETH', '50'), row('BTC', '30'), row('USDC', '20')], 0, '60');

    expect(percents(rows)).toEqual(['60', '24', '16']);
    expect(sumPercent(rows)).toBe('100');
  });

  it('cuts shares to cents and gives the lost cents to the largest other row', () => {
    // 100 - 0 = 100 over weights 1:1:1 (three rows of 33.33 after the first): 33.33 each, 0.01 lost -> first largest.
    const rows = setPercent([row('A', '10'), row('B', '30'), row('C', '30'), row('D', '30')], 0, '0');

    expect(percents(rows)).toEqual(['0', '33.34', '33.33', '33.33']);
    expect(sumPercent(rows)).toBe('100');
  });

  it('splits the rest equally when the other rows had nothing', () => {
    const rows = setPercent([row('A', '100'), row('B', '0'), row('C', '0')], 0, '40');

    expect(percents(rows)).toEqual(['40', '30', '30']);
  });

  it('clamps a value above 100, cuts it to 2 decimals and reads garbage as 0', () => {
    expect(percents(setPercent([row('A', '50'), row('B', '50')], 0, '150'))).toEqual(['100', '0']);
    expect(percents(setPercent([row('A', '50'), row('B', '50')], 0, '12.345'))).toEqual(['12.34', '87.66']);
    expect(percents(setPercent([row('A', '50'), row('B', '50')], 1, 'abc'))).toEqual(['100', '0']);
  });

  it('keeps a single row at 100', () => {
    expect(percents(setPercent([row('A', '100')], 0, '30'))).toEqual(['100']);
  });

  it('adds a first asset at 100, a later one at 0, and never the same asset twice', () => {
    const one = addRow([], 'eth', 'ETH');
    const two = addRow(one, 'btc', 'BTC');

    expect(percents(one)).toEqual(['100']);
    expect(percents(two)).toEqual(['100', '0']);
    expect(addRow(two, 'ETH', 'ETH')).toHaveLength(2);
  });

  it('shares a removed row among the rest in proportion', () => {
    // Remove BTC 30: ETH 50 and USDC 20 grow to 100 in 5:2 -> 71.42 + 28.57 = 99.99, the lost cent to ETH.
    const rows = removeRow([row('ETH', '50'), row('BTC', '30'), row('USDC', '20')], 1);

    expect(percents(rows)).toEqual(['71.43', '28.57']);
    expect(removeRow([row('ETH', '100')], 0)).toEqual([]);
  });

  it('previews target values, moves, and the held assets the target leaves out', () => {
    const preview = previewAllocation(
      [row('ETH', '60'), row('BTC', '40')],
      [
        { assetId: 'eth', symbol: 'ETH', valueUsd: '7500', share: '0.75' },
        { assetId: 'usdc', symbol: 'USDC', valueUsd: '2500', share: '0.25' },
      ],
      '10000',
    );

    expect(preview).toEqual([
      { symbol: 'ETH', currentShare: '0.75', targetShare: '0.6', targetValueUsd: '6000', deltaUsd: '-1500' },
      { symbol: 'BTC', currentShare: '0', targetShare: '0.4', targetValueUsd: '4000', deltaUsd: '4000' },
      { symbol: 'USDC', currentShare: '0.25', targetShare: '0', targetValueUsd: '0', deltaUsd: '-2500' },
    ]);
  });
});
