import { Dec, ONE, ZERO, type Decimal } from '../kernel/decimal';

/**
 * Decimal-only ln/exp so annualising never goes through a JS number. Accuracy is about 30 significant
 * digits (Dec.DP is 36), far beyond what a rendered percentage needs.
 */
const TWO = new Dec('2');
const SERIES_EPSILON = new Dec('1e-40');
/** Exact big.js products grow without bound; keep the working numbers at a fixed precision. */
const WORKING_DP = 42;
const REDUCED_EXP_LIMIT = new Dec('0.001');
const LN2 = lnNearOne(TWO);

/** 2·atanh((x−1)/(x+1)) = Σ 2·z^(2k+1)/(2k+1): fast for x in [0.5, 2]. */
function lnNearOne(x: Decimal): Decimal {
  const z = x.minus(ONE).div(x.plus(ONE));
  const zSquared = z.times(z);
  let term = z;
  let sum = ZERO;
  for (let k = 1; term.abs().gt(SERIES_EPSILON); k += 2) {
    sum = sum.plus(term.div(new Dec(String(k))));
    term = term.times(zSquared).round(WORKING_DP);
  }
  return sum.times(TWO);
}

/** Natural logarithm of a positive decimal: halve or double into [0.5, 2], then the atanh series. */
export function ln(x: Decimal): Decimal {
  if (x.lte(ZERO)) throw new RangeError(`ln of a non-positive number: ${x.toString()}`);
  let mantissa = x;
  let exponent = 0;
  while (mantissa.gt(TWO)) {
    mantissa = mantissa.div(TWO);
    exponent += 1;
  }
  while (mantissa.lt(new Dec('0.5'))) {
    mantissa = mantissa.times(TWO);
    exponent -= 1;
  }
  return lnNearOne(mantissa).plus(LN2.times(new Dec(String(exponent))));
}

/** e^y: halve y until it is tiny, sum the Taylor series, then square back. */
export function exp(y: Decimal): Decimal {
  let reduced = y;
  let halvings = 0;
  while (reduced.abs().gt(REDUCED_EXP_LIMIT)) {
    reduced = reduced.div(TWO);
    halvings += 1;
  }
  let term = ONE;
  let sum = ONE;
  for (let k = 1; term.abs().gt(SERIES_EPSILON); k += 1) {
    term = term.times(reduced).div(new Dec(String(k)));
    sum = sum.plus(term);
  }
  for (let i = 0; i < halvings; i += 1) sum = sum.times(sum).round(WORKING_DP);
  return sum;
}

/** base^exponent for a positive base and any decimal exponent. */
export function powDecimal(base: Decimal, exponent: Decimal): Decimal {
  if (exponent.eq(ONE)) return base;
  if (base.eq(ZERO)) return ZERO;
  return exp(ln(base).times(exponent));
}

export interface IndexPoint {
  readonly time: string;
  readonly index: Decimal;
}

export interface Drawdown {
  readonly depth: Decimal;
  readonly peakTime?: string;
  readonly troughTime?: string;
}

/**
 * MDD = max over t of (peak_t − I_t) / peak_t on the flow-adjusted index (finance-methods §3). While a peak
 * stands, the deepest fall from it is at its lowest point, so one division per peak is enough (a year of
 * hourly points has thousands of points and few peaks); ties keep the first peak and trough, as a scan would.
 */
export function maxDrawdown(series: readonly IndexPoint[]): Drawdown {
  let worst: Drawdown = { depth: ZERO };
  let peak: IndexPoint | undefined;
  let trough: IndexPoint | undefined;
  const closePeak = () => {
    if (!peak || !trough || peak.index.lte(ZERO)) return;
    const depth = peak.index.minus(trough.index).div(peak.index);
    if (depth.gt(worst.depth)) worst = { depth, peakTime: peak.time, troughTime: trough.time };
  };
  for (const point of series) {
    if (!peak || point.index.gt(peak.index)) {
      closePeak();
      peak = point;
      trough = point;
    } else if (point.index.lt(trough!.index)) {
      trough = point;
    }
  }
  closePeak();
  return worst;
}
