import { Dec, toDecimal, ZERO, type Decimal } from '../../kernel/decimal';

/** One line of the targets editor: an asset (symbol or id, as /target takes it) and its percent (≤ 2 decimals). */
export interface TargetRow {
  readonly asset: string;
  readonly symbol: string;
  readonly percent: string;
}

const HUNDRED = toDecimal('100');
const cents = (value: Decimal) => value.round(2, Dec.roundDown);

/**
 * Sets row `index` to `value` (clamped to 0–100, cut to 2 decimals) and shares the rest among the other rows in
 * proportion to what they had (equally when they had nothing), so the rows always add up to exactly 100. Each
 * share is cut to 2 decimals; the cents lost by cutting go to the largest of the other rows. With one row it is 100.
 */
export function setPercent(rows: readonly TargetRow[], index: number, value: string): TargetRow[] {
  if (rows.length === 1) return [{ ...rows[0]!, percent: '100' }];
  const parsed = /^\d+(\.\d*)?$|^\.\d+$/.test(value.trim()) ? toDecimal(value.trim()) : ZERO;
  const own = cents(parsed.gt(HUNDRED) ? HUNDRED : parsed);
  const others = rows.map((row, at) => ({ row, at })).filter(({ at }) => at !== index);
  const shares = share(
    HUNDRED.minus(own),
    others.map(({ row }) => toDecimal(row.percent)),
  );
  const next = rows.map((row) => ({ ...row }));
  next[index] = { ...rows[index]!, percent: own.toFixed() };
  others.forEach(({ at }, position) => (next[at] = { ...rows[at]!, percent: shares[position]!.toFixed() }));
  return next;
}

/** Adds an asset at 0 % (100 % when it is the first); an asset already listed is not added twice. */
export function addRow(rows: readonly TargetRow[], asset: string, symbol: string): TargetRow[] {
  if (rows.some((row) => row.asset.toLowerCase() === asset.toLowerCase())) return [...rows];
  return [...rows, { asset, symbol, percent: rows.length === 0 ? '100' : '0' }];
}

/** Removes a row and shares its percent among the rest in proportion, so they still add up to 100. */
export function removeRow(rows: readonly TargetRow[], index: number): TargetRow[] {
  const rest = rows.filter((_, at) => at !== index);
  if (rest.length === 0) return [];
  const shares = share(
    HUNDRED,
    rest.map((row) => toDecimal(row.percent)),
  );
  return rest.map((row, at) => ({ ...row, percent: shares[at]!.toFixed() }));
}

/** Σ percent, as a decimal string. */
export function sumPercent(rows: readonly TargetRow[]): string {
  return rows.reduce((sum, row) => sum.plus(toDecimal(row.percent)), ZERO).toFixed();
}

/** `amount` split in proportion to `weights` (equally when they add up to 0), in cents adding up to `amount`. */
function share(amount: Decimal, weights: readonly Decimal[]): Decimal[] {
  if (weights.length === 0) return [];
  const total = weights.reduce((sum, weight) => sum.plus(weight), ZERO);
  const parts = total.eq(ZERO)
    ? weights.map(() => cents(amount.div(String(weights.length))))
    : weights.map((weight) => cents(amount.times(weight).div(total)));
  const lost = amount.minus(parts.reduce((sum, part) => sum.plus(part), ZERO));
  let largest = 0;
  weights.forEach((weight, at) => {
    if (weight.gt(weights[largest]!)) largest = at;
  });
  parts[largest] = parts[largest]!.plus(lost);
  return parts;
}

export interface PreviewLine {
  readonly symbol: string;
  /** Today's share of the total, a fraction ("0.714"); "0" for an asset not held. */
  readonly currentShare: string;
  /** The target as a fraction ("0.5"); "0" for a held asset the target does not list. */
  readonly targetShare: string;
  /** total × target share, in USD. */
  readonly targetValueUsd: string;
  /** target value − value held today (positive: buy). */
  readonly deltaUsd: string;
}

/**
 * The allocation the target would leave: every listed asset at total × percent / 100, and every held asset the
 * target leaves out at 0 (what a rebalance that sells unlisted assets reaches; with "keep" they stay as they are).
 */
export function previewAllocation(
  rows: readonly TargetRow[],
  holdings: readonly { assetId: string; symbol: string; valueUsd: string; share: string }[],
  totalValueUsd: string,
): PreviewLine[] {
  const total = toDecimal(totalValueUsd);
  const heldOf = (row: TargetRow) =>
    holdings.find(
      (held) =>
        held.assetId.toLowerCase() === row.asset.toLowerCase() || held.symbol.toLowerCase() === row.asset.toLowerCase(),
    );
  const listed = rows.map((row) => {
    const held = heldOf(row);
    const targetShare = toDecimal(row.percent).div(HUNDRED);
    const targetValue = total.times(targetShare);
    return {
      symbol: row.symbol,
      currentShare: held?.share ?? '0',
      targetShare: targetShare.toFixed(),
      targetValueUsd: targetValue.toFixed(),
      deltaUsd: targetValue.minus(toDecimal(held?.valueUsd ?? '0')).toFixed(),
    };
  });
  const unlisted = holdings
    .filter((held) => !rows.some((row) => heldOf(row) === held))
    .map((held) => ({
      symbol: held.symbol,
      currentShare: held.share,
      targetShare: '0',
      targetValueUsd: '0',
      deltaUsd: toDecimal(held.valueUsd).times('-1').toFixed(),
    }));
  return [...listed, ...unlisted];
}
