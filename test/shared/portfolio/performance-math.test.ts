import { describe, expect, it } from 'vitest';
import { Dec, type Decimal } from '../../../shared/kernel/decimal';
import { exp, ln, maxDrawdown, powDecimal } from '../../../shared/portfolio/performance-math';

function isNear(actual: Decimal, expected: string, tolerance = '1e-28'): boolean {
  return actual.minus(new Dec(expected)).abs().lt(new Dec(tolerance));
}

describe('decimal ln/exp', () => {
  it('computes known values to about 30 digits', () => {
    expect(isNear(ln(new Dec('2')), '0.693147180559945309417232121458176568')).toBe(true);
    expect(isNear(ln(new Dec('0.1')), '-2.302585092994045684017991454684364208')).toBe(true);
    expect(isNear(exp(new Dec('1')), '2.718281828459045235360287471352662498')).toBe(true);
    expect(isNear(exp(new Dec('-3')), '0.049787068367863942979342415650061777')).toBe(true);
    expect(ln(new Dec('1')).toString()).toBe('0');
    expect(isNear(ln(new Dec('10')), '2.302585092994045684017991454684364208')).toBe(true);
  });

  it('raises to fractional powers', () => {
    expect(isNear(powDecimal(new Dec('1.21'), new Dec('0.5')), '1.1')).toBe(true);
    expect(powDecimal(new Dec('1.21'), new Dec('1')).toString()).toBe('1.21');
    expect(powDecimal(new Dec('0'), new Dec('0.5')).toString()).toBe('0');
  });

  it('refuses the logarithm of zero', () => {
    expect(() => ln(new Dec('0'))).toThrow(RangeError);
  });
});

describe('maxDrawdown', () => {
  it('reports the deepest fall with its peak and trough times', () => {
    const series = ['1', '1.2', '0.9', '1.3'].map((index, day) => ({ time: `d${day}`, index: new Dec(index) }));
    expect(maxDrawdown(series)).toEqual({ depth: new Dec('0.25'), peakTime: 'd1', troughTime: 'd2' });
  });

  it('finds the deepest fall among several peaks and keeps the first peak and trough of equal falls', () => {
    // Peaks 1.2 (falls to 0.9 then 0.9 again: 25 %), 1.5 (falls to 1.2: 20 %), 2 (falls to 1.5: 25 %, not deeper).
    const series = ['1', '1.2', '0.9', '1', '0.9', '1.5', '1.2', '2', '1.5', '1.6'].map((index, day) => ({
      time: `d${day}`,
      index: new Dec(index),
    }));
    expect(maxDrawdown(series)).toEqual({ depth: new Dec('0.25'), peakTime: 'd1', troughTime: 'd2' });
    // A deeper fall after a later peak wins: 2 → 1.4 is 30 %.
    expect(maxDrawdown([...series, { time: 'd10', index: new Dec('1.4') }])).toEqual({
      depth: new Dec('0.3'),
      peakTime: 'd7',
      troughTime: 'd10',
    });
  });

  it('is zero for a rising index and skips a zero peak', () => {
    expect(
      maxDrawdown([
        { time: 'a', index: new Dec('1') },
        { time: 'b', index: new Dec('2') },
      ]).depth.toString(),
    ).toBe('0');
    expect(maxDrawdown([{ time: 'a', index: new Dec('0') }]).depth.toString()).toBe('0');
  });
});
