/** Exact decimal-string <-> integer helpers (BigInt only; the sandbox never does money maths in floats). */

const UNSIGNED_DECIMAL = /^\d+(\.\d+)?$/;

export class SandboxInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxInputError';
  }
}

export function isUnsignedDecimal(value: unknown): value is string {
  return typeof value === 'string' && UNSIGNED_DECIMAL.test(value);
}

/** '1.5' with 6 decimals -> 1500000n; more fractional digits than decimals is an error, never a rounding. */
export function toRaw(ui: string, decimals: number): bigint {
  if (!isUnsignedDecimal(ui)) throw new SandboxInputError(`not an unsigned decimal string: ${JSON.stringify(ui)}`);
  const [whole, fraction = ''] = ui.split('.') as [string, string?];
  const trimmed = fraction.replace(/0+$/, '');
  if (trimmed.length > decimals) throw new SandboxInputError(`${ui} has more than ${decimals} decimal places`);
  return BigInt(whole + trimmed.padEnd(decimals, '0'));
}

/** 1500000n with 6 decimals -> '1.5' (no trailing zeros, no exponent). */
export function fromRaw(raw: bigint, decimals: number): string {
  const digits = raw.toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

/** A decimal string as an exact fraction numerator / 10^scale. */
export function toFraction(value: string): { numerator: bigint; denominator: bigint } {
  if (!isUnsignedDecimal(value))
    throw new SandboxInputError(`not an unsigned decimal string: ${JSON.stringify(value)}`);
  const [whole, fraction = ''] = value.split('.') as [string, string?];
  return { numerator: BigInt(whole + fraction), denominator: 10n ** BigInt(fraction.length) };
}
