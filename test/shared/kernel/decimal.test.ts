import Big from 'big.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dec, divideRounded, fromRawUnits, multiplyRounded, toRawUnits } from '../../../shared/kernel/decimal';

describe('raw on-chain units', () => {
  it('shifts token units to raw units exactly, rounding down', () => {
    expect(toRawUnits('1.23456789', 8)).toBe('123456789');
    expect(toRawUnits('0.00000001', 8)).toBe('1');
    expect(toRawUnits('2.5', 6)).toBe('2500000');
    expect(toRawUnits('0.0000019', 6)).toBe('1');
    expect(toRawUnits('1157920892373161954235709850086879078532699846656405640394575840079131.29639935', 6)).toBe(
      '1157920892373161954235709850086879078532699846656405640394575840079131296399',
    );
  });

  it('gives a plain "0" for an amount below one raw unit, never a run of zeros', () => {
    expect(toRawUnits('0.000000001', 8)).toBe('0');
    expect(toRawUnits('0.0000000000000000001', 8)).toBe('0');
    expect(toRawUnits('0', 18)).toBe('0');
  });

  it('shifts raw units back to token units exactly', () => {
    expect(fromRawUnits('123456789', 8).toString()).toBe('1.23456789');
    expect(fromRawUnits('000', 6).toString()).toBe('0');
    expect(fromRawUnits('1', 18).toFixed()).toBe('0.000000000000000001');
  });
});

describe('divideRounded and multiplyRounded (BigInt, half to even)', () => {
  const divide = (a: string, b: string, dp: number) => divideRounded(new Dec(a), new Dec(b), dp).toString();
  const multiply = (a: string, b: string, dp: number) => multiplyRounded(new Dec(a), new Dec(b), dp).toString();

  it('divides to dp places, rounding half to even', () => {
    expect(divide('1', '3', 4)).toBe('0.3333');
    expect(divide('2', '3', 4)).toBe('0.6667');
    expect(divide('1', '8', 2)).toBe('0.12'); // 0.125: a tie, 2 is even
    expect(divide('3', '8', 2)).toBe('0.38'); // 0.375: a tie, 8 is even
    expect(divide('5', '8', 2)).toBe('0.62'); // 0.625
    expect(divide('1', '16', 3)).toBe('0.062'); // 0.0625
    expect(divide('382584.84', '381978.76', 6)).toBe('1.001587'); // 1.0015866992…
  });

  it('keeps the sign, moves the decimal point either way and gives a plain zero', () => {
    expect(divide('-1', '8', 2)).toBe('-0.12');
    expect(divide('1', '-3', 4)).toBe('-0.3333');
    expect(divide('-2', '-3', 4)).toBe('0.6667');
    expect(divide('12345.678', '0.001', 2)).toBe('12345678');
    expect(divide('7', '2000000', 9)).toBe('0.0000035');
    expect(divide('1e30', '4', 0)).toBe('250000000000000000000000000000');
    expect(divide('0', '5', 36)).toBe('0');
    expect(divide('-1', '3', 0)).toBe('0');
  });

  it('refuses to divide by zero', () => {
    expect(() => divide('1', '0', 2)).toThrow(RangeError);
  });

  it('multiplies exactly, then rounds half to even to dp places', () => {
    expect(multiply('0.5', '0.25', 2)).toBe('0.12'); // 0.125
    expect(multiply('0.5', '0.27', 2)).toBe('0.14'); // 0.135
    expect(multiply('1.5', '2.5', 0)).toBe('4'); // 3.75
    expect(multiply('-0.5', '0.25', 2)).toBe('-0.12');
    expect(multiply('0.1', '0.2', 36)).toBe('0.02');
    expect(multiply('1.23e20', '2', 36)).toBe('246000000000000000000');
    expect(multiply('0.004', '0.1', 2)).toBe('0');
  });

  // big.js itself, at the same places and rounding mode, is the reference.
  const decimal = fc
    .tuple(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), fc.integer({ min: -45, max: 30 }))
    .map(([digits, exponent]) => `${digits}e${exponent}`);
  const reference = (dp: number) => {
    const Ref = Big();
    Ref.DP = dp;
    Ref.RM = Ref.roundHalfEven;
    Ref.NE = Dec.NE;
    Ref.PE = Dec.PE;
    return Ref;
  };

  it("equals big.js's div and times(…).round(…) for any operands and places", () => {
    fc.assert(
      fc.property(decimal, decimal, fc.integer({ min: 0, max: 40 }), (a, b, dp) => {
        const Ref = reference(dp);
        expect(multiply(a, b, dp)).toBe(new Ref(a).times(new Ref(b)).round(dp).toString());
        if (new Ref(b).eq(0)) return;
        expect(divide(a, b, dp)).toBe(new Ref(a).div(new Ref(b)).toString());
      }),
      { numRuns: 2000 },
    );
  });
});
