import { Dec, divideRounded, type Decimal } from '../../kernel/decimal';

/**
 * Axis maths for the charts. Tick values stay in Dec so the printed labels are exact; only the
 * final pixel positions become JS numbers, because SVG coordinates are geometry, not money.
 */
export interface Axis {
  readonly min: Decimal;
  readonly max: Decimal;
  readonly ticks: readonly Decimal[];
}

const STEP_MULTIPLIERS = ['1', '2', '2.5', '5', '10'];

/** A "nice" step (1, 2, 2.5 or 5 x 10^k) that splits the range into about `count` intervals. */
export function niceStep(range: Decimal, count: number): Decimal {
  const rough = range.div(String(count));
  const base = new Dec(`1e${rough.e}`);
  const fraction = rough.div(base);
  const multiplier = STEP_MULTIPLIERS.find((candidate) => fraction.lte(candidate)) ?? '10';
  return base.times(multiplier);
}

/** Axis bounds rounded out to whole steps; a flat series gets a band around its value. */
export function buildAxis(values: readonly Decimal[], count = 4): Axis {
  let low = values.reduce((a, b) => (b.lt(a) ? b : a));
  let high = values.reduce((a, b) => (b.gt(a) ? b : a));
  if (low.eq(high)) {
    const pad = low.eq('0') ? new Dec('1') : low.abs().div('10');
    low = low.minus(pad);
    high = high.plus(pad);
  }
  const step = niceStep(high.minus(low), count);
  const min = low.div(step).round(0, Dec.roundDown).times(step);
  const max = high.div(step).round(0, Dec.roundUp).times(step);
  const ticks: Decimal[] = [];
  for (let tick = min; tick.lte(max); tick = tick.plus(step)) ticks.push(tick);
  return { min, max, ticks };
}

/** Maps `value` in [min, max] onto [from, to] pixels (to may be smaller than from for a y axis). */
export function toPixel(value: Decimal, min: Decimal, max: Decimal, from: number, to: number): number {
  // divideRounded: big.js's quotient (36 places), one BigInt division instead of its long division, once a point.
  const ratio = max.eq(min) ? new Dec('0') : divideRounded(value.minus(min), max.minus(min));
  return Number(
    ratio
      .times(String(to - from))
      .plus(String(from))
      .toFixed(1),
  );
}

/** Short USD label for an axis tick: $950, $12.5k, $1.2M. */
export function formatAxisUsd(value: Decimal): string {
  const sign = value.lt('0') ? '-' : '';
  const abs = value.abs();
  if (abs.gte('1000000')) return `${sign}$${trimZeros(abs.div('1000000').toFixed(2))}M`;
  if (abs.gte('1000')) return `${sign}$${trimZeros(abs.div('1000').toFixed(2))}k`;
  return `${sign}$${trimZeros(abs.toFixed(2))}`;
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
