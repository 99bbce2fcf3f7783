import { Dec, toDecimal, ZERO, type Decimal } from '../../kernel/decimal';

/**
 * Display formatting: the only place (with the renderers) where decimal strings are rounded.
 * Inputs are decimal strings; outputs are plain text (escape them before putting them in HTML).
 */
const MINUS = '−';

function groupThousands(fixed: string): string {
  const [whole, fraction] = fixed.split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** Drops trailing zeros but keeps at least `keep` decimals: "2.5000" -> "2.50". */
function trimZeros(fixed: string, keep: number): string {
  if (!fixed.includes('.')) return fixed;
  const [whole, fraction] = fixed.split('.');
  let digits = fraction!.replace(/0+$/, '');
  if (digits.length < keep) digits = digits.padEnd(keep, '0');
  return digits.length === 0 ? whole! : `${whole}.${digits}`;
}

/** "$1,234.57"; "<$0.01" for dust; a leading "−" for negatives. */
export function formatUsd(value: string): string {
  const amount = toDecimal(value);
  const sign = amount.lt(ZERO) ? MINUS : '';
  const abs = amount.abs();
  if (abs.gt(ZERO) && abs.lt('0.005')) return `${sign}<$0.01`;
  return `${sign}$${groupThousands(abs.toFixed(2))}`;
}

/** "+$12.30" / "−$4.00" / "$0.00". */
export function formatSignedUsd(value: string): string {
  const amount = toDecimal(value);
  return amount.gt(ZERO) ? `+${formatUsd(value)}` : formatUsd(value);
}

/**
 * Token quantities keep the precision a holder cares about: at least 2 decimals, up to 4 from 1 up,
 * up to 8 below 1, and 4 significant digits for dust so a tiny balance never shows as 0.
 */
export function formatQuantity(value: string, rounding: 'nearest' | 'down' = 'nearest'): string {
  const amount = toDecimal(value);
  const sign = amount.lt(ZERO) ? MINUS : '';
  const abs = amount.abs();
  // A guaranteed minimum is shown rounded down, so the screen never promises more than the chain will.
  const mode = rounding === 'down' ? Dec.roundDown : (Dec.RM as Big.RoundingMode);
  let fixed: string;
  if (abs.gte('1')) fixed = trimZeros(abs.toFixed(4, mode), 2);
  else if (abs.eq(ZERO) || abs.gte('0.00000001')) fixed = trimZeros(abs.toFixed(8, mode), 2);
  else fixed = abs.prec(4).toFixed();
  return `${sign}${groupThousands(fixed)}`;
}

/** A fraction in [0, 1] as a percentage: "0.6234" -> "62.3 %". */
export function formatShare(fraction: string): string {
  return `${toDecimal(fraction).times('100').toFixed(1)} %`;
}

/** A signed fraction as a percentage: "0.0286" -> "+2.86 %", "-0.042" -> "−4.20 %". */
export function formatSignedPercent(fraction: string): string {
  const percent: Decimal = toDecimal(fraction).times('100');
  const sign = percent.gt(ZERO) ? '+' : percent.lt(ZERO) ? MINUS : '';
  return `${sign}${percent.abs().toFixed(2)} %`;
}

/** How old a timestamp is, in words: "just now", "3 min ago", "2 h ago", "4 days ago". */
export function formatAge(iso: string, now: Date): string {
  const seconds = Math.max(0, Math.floor((now.getTime() - Date.parse(iso)) / 1000));
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

/** "0x1234…abcd": long addresses shortened for lists (the full one goes in <code> where it matters). */
export function shortenAddress(address: string): string {
  return address.length <= 14 ? address : `${address.slice(0, 6)}…${address.slice(-4)}`;
}
