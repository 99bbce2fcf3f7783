import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dec } from '../../../shared/domain/decimal';
import { computePerformance } from '../../../shared/domain/performance';
import { daysAfter, snapshotAt, type Position } from './performance-fixtures';

const START = '2025-01-01T00:00:00.000Z';

/** Whole-cent prices from $1 and whole-unit quantities: every value is well above the empty threshold. */
const price = fc.integer({ min: 100, max: 10_000_000 }).map((cents) => new Dec(String(cents)).div(new Dec('100')).toString());
const quantity = fc.integer({ min: 1, max: 1000 }).map(String);

const pricePaths = fc.integer({ min: 1, max: 4 }).chain((assets) =>
  fc.record({
    quantities: fc.array(quantity, { minLength: assets, maxLength: assets }),
    path: fc.array(fc.array(price, { minLength: assets, maxLength: assets }), { minLength: 2, maxLength: 12 }),
  }),
);

describe('computePerformance properties', () => {
  it('equals the simple return when nothing flows in or out', () => {
    fc.assert(
      fc.property(pricePaths, ({ quantities, path }) => {
        const points = path.map((prices, day) =>
          snapshotAt(
            daysAfter(START, day),
            prices.map((p, asset): Position => [`asset${asset}`, quantities[asset]!, p]),
          ),
        );
        const report = computePerformance(points, 'all', new Date(daysAfter(START, path.length)));
        const simple = new Dec(report.endValueUsd).div(new Dec(report.startValueUsd)).minus(new Dec('1'));
        expect(report.netFlowsUsd).toBe('0');
        expect(report.simpleRoi!.value).toBe(simple.toString());
        expect(new Dec(report.twr!.value).minus(simple).abs().lt(new Dec('1e-25'))).toBe(true);
      }),
    );
  });

  it('always reconciles P&L = end − start − net flows, whatever the quantities do', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(quantity, price), { minLength: 1, maxLength: 10 }), (steps) => {
        const points = steps.map(([q, p], day) => snapshotAt(daysAfter(START, day), [['eth', q, p]]));
        const report = computePerformance(points, 'all', new Date(daysAfter(START, steps.length)));
        const expected = new Dec(report.endValueUsd).minus(new Dec(report.startValueUsd)).minus(new Dec(report.netFlowsUsd));
        expect(report.pnlUsd.value).toBe(expected.toString());
        if (report.maxDrawdown) expect(new Dec(report.maxDrawdown.value).lte(new Dec('0')) && new Dec(report.maxDrawdown.value).gte(new Dec('-1'))).toBe(true);
      }),
    );
  });
});
