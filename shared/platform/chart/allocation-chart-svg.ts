import { Dec, sumDecimals, toDecimal, type Decimal } from '../../kernel/decimal';
import type { DecimalString } from '../../kernel/types';
import { toPixel } from './svg-scale';
import { CHART_THEME, svgDocument, svgText } from './svg-theme';

export interface AllocationSlice {
  readonly label: string;
  /** Fraction of the total in [0, 1]. */
  readonly share: DecimalString;
}

export interface AllocationChartInput {
  readonly title: string;
  readonly slices: readonly AllocationSlice[];
}

const WIDTH = 800;
const ROW_HEIGHT = 40;
const TOP = 80;
const BAR = { left: 170, right: 680 } as const;
/** Beyond this many rows the bars get too thin to read on a phone; the tail becomes "Other". */
export const MAX_BARS = 8;

/** Horizontal bars, largest share first, one colour per row. */
export function buildAllocationChartSvg(input: AllocationChartInput): string {
  const rows = groupTail(input.slices);
  const height = TOP + Math.max(rows.length, 1) * ROW_HEIGHT + 30;
  const title = svgText(40, 45, input.title, { size: 22, weight: 'bold' });
  if (rows.length === 0) {
    return svgDocument(WIDTH, height, [
      title,
      svgText(WIDTH / 2, TOP + 20, 'No priced holdings', { size: 18, anchor: 'middle', fill: CHART_THEME.muted }),
    ]);
  }
  const body = rows.flatMap((row, index) => buildRow(row, index));
  return svgDocument(WIDTH, height, [title, ...body]);
}

function buildRow(row: { label: string; share: Decimal }, index: number): string[] {
  const y = TOP + index * ROW_HEIGHT;
  const colour = CHART_THEME.series[index % CHART_THEME.series.length]!;
  const width = Math.max(toPixel(row.share, new Dec('0'), new Dec('1'), 0, BAR.right - BAR.left), 2);
  return [
    svgText(BAR.left - 12, y + 21, truncate(row.label), { size: 16, anchor: 'end' }),
    `<rect x="${BAR.left}" y="${y + 6}" width="${BAR.right - BAR.left}" height="22" rx="4" fill="${CHART_THEME.grid}"/>`,
    `<rect x="${BAR.left}" y="${y + 6}" width="${width}" height="22" rx="4" fill="${colour}"/>`,
    svgText(BAR.right + 12, y + 22, `${row.share.times('100').toFixed(1)}%`, { size: 16 }),
  ];
}

/** Sorts by share and folds everything past MAX_BARS - 1 into one "Other" row. */
export function groupTail(slices: readonly AllocationSlice[]): { label: string; share: Decimal }[] {
  const sorted = slices
    .map((slice) => ({ label: slice.label, share: toDecimal(slice.share) }))
    .filter((slice) => slice.share.gt('0'))
    .sort((a, b) => b.share.cmp(a.share));
  if (sorted.length <= MAX_BARS) return sorted;
  const head = sorted.slice(0, MAX_BARS - 1);
  const rest = sumDecimals(sorted.slice(MAX_BARS - 1).map((slice) => slice.share));
  return [...head, { label: 'Other', share: rest }];
}

function truncate(label: string): string {
  return label.length > 14 ? `${label.slice(0, 13)}…` : label;
}
