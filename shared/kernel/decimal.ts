import BigConstructor from 'big.js';
import type { Big as BigValue, BigSource } from 'big.js';

/**
 * The project's own strict Big: `new Dec(0.1)` throws, so a JS number can never sneak into money maths.
 * Amounts and prices are decimal strings at rest and on the wire, and `Dec` in between.
 */
export const Dec = BigConstructor();
Dec.strict = true;
Dec.DP = 36;
Dec.RM = Dec.roundHalfEven;
// Keep plain notation for every realistic magnitude so toString() never yields exponents.
Dec.NE = -60;
Dec.PE = 80;

export type Decimal = BigValue;
export type DecimalInput = string | Decimal;

export class InvalidDecimalError extends Error {
  constructor(
    readonly input: unknown,
    options?: { cause?: unknown },
  ) {
    super(`not a decimal string: ${JSON.stringify(input)}`, options);
    this.name = 'InvalidDecimalError';
  }
}

const DECIMAL_PATTERN = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Parses a decimal string (or passes a Decimal through); rejects numbers, blanks and garbage. */
export function toDecimal(value: DecimalInput | BigSource): Decimal {
  if (value instanceof Dec) return value;
  if (typeof value !== 'string' || !DECIMAL_PATTERN.test(value.trim())) throw new InvalidDecimalError(value);
  return new Dec(value.trim());
}

export function isDecimalString(value: unknown): value is string {
  return typeof value === 'string' && DECIMAL_PATTERN.test(value.trim());
}

export const ZERO: Decimal = new Dec('0');
export const ONE: Decimal = new Dec('1');
export const HUNDRED: Decimal = new Dec('100');

/** Converts raw on-chain units to token units exactly: 10^-decimals is a decimal shift, not a division. */
export function fromRawUnits(raw: string, decimals: number): Decimal {
  if (!/^\d+$/.test(raw)) throw new InvalidDecimalError(raw);
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 255) throw new InvalidDecimalError(decimals);
  const value = new Dec(raw);
  value.e -= decimals;
  return value.c.length === 1 && value.c[0] === 0 ? new Dec('0') : value;
}

/** Converts token units to raw on-chain units, rounding down (never promise more than is held). */
export function toRawUnits(amount: DecimalInput, decimals: number): string {
  // Multiplying by 10^decimals is exact; shifting `e` by hand left a zero with its old exponent ("000000000").
  // toFixed keeps plain notation for every uint256 amount.
  return toDecimal(amount)
    .times(new Dec(`1e${decimals}`))
    .round(0, Dec.roundDown)
    .toFixed(0);
}

export function sumDecimals(values: Iterable<Decimal>): Decimal {
  let total = ZERO;
  for (const value of values) total = total.plus(value);
  return total;
}

export function maxDecimal(a: Decimal, b: Decimal): Decimal {
  return a.gte(b) ? a : b;
}

export function minDecimal(a: Decimal, b: Decimal): Decimal {
  return a.lte(b) ? a : b;
}
