import { describe, expect, it } from 'vitest';
import { fromRawUnits, toRawUnits } from '../../../shared/kernel/decimal';

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
