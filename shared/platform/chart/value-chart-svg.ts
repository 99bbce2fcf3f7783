import { toDecimal, type Decimal } from '../../kernel/decimal';
import type { DecimalString, IsoTime } from '../../kernel/types';
import { pickChartPoints } from './downsample-series';
import { buildAxis, formatAxisUsd, toPixel } from './svg-scale';
import { CHART_THEME, svgDocument, svgText } from './svg-theme';

export interface ValueChartInput {
  readonly title: string;
  /** `estimated` points (back-filled from today's holdings) are drawn dashed and lighter, with a legend. */
  readonly series: readonly { time: IsoTime; valueUsd: DecimalString; estimated?: boolean }[];
  /** Vertical markers, e.g. a wallet added or removed (a tracking change, not a gain or a flow). */
  readonly marks?: readonly { time: IsoTime; label: string }[];
}

/** Stroke styles, exported so tests can tell recorded from estimated history. */
export const RECORDED_STROKE = `stroke="${CHART_THEME.accent}" stroke-width="3"`;
export const ESTIMATED_STROKE = `stroke="${CHART_THEME.muted}" stroke-width="2" stroke-dasharray="8 6"`;
export const LEGEND_RECORDED = 'Recorded';
export const LEGEND_ESTIMATED = "Estimated (today's holdings at past prices)";

const WIDTH = 800;
const HEIGHT = 420;
const PLOT = { left: 90, right: 770, top: 70, bottom: 360 } as const;
const DAY_MS = 86_400_000;
/** One bucket per pixel column of the plot: more points than that cannot be told apart. */
const PLOT_COLUMNS = PLOT.right - PLOT.left;

/** Line chart of portfolio value over time, as an SVG string (no fonts or files needed to build it). */
export function buildValueChartSvg(input: ValueChartInput): string {
  const title = svgText(PLOT.left, 40, input.title, { size: 22, weight: 'bold' });
  if (input.series.length < 2) {
    const note = svgText(WIDTH / 2, HEIGHT / 2, 'Not enough history yet', {
      size: 20,
      anchor: 'middle',
      fill: CHART_THEME.muted,
    });
    return svgDocument(WIDTH, HEIGHT, [title, note]);
  }
  const { times, values, estimated } = pointsToDraw(input.series);
  const axis = buildAxis(values);
  const first = times[0]!;
  const last = times[times.length - 1]!;
  const xOf = (time: number) =>
    Number((PLOT.left + ((time - first) / Math.max(last - first, 1)) * (PLOT.right - PLOT.left)).toFixed(1));
  const points = values.map(
    (value, index) => `${xOf(times[index]!)},${toPixel(value, axis.min, axis.max, PLOT.bottom, PLOT.top)}`,
  );
  // Estimates come first (before the first recorded point); the dashed part runs up to that point so the line is continuous.
  const lines = [
    ...(estimated > 0 ? [polyline(points.slice(0, estimated + 1), ESTIMATED_STROKE)] : []),
    ...(estimated < points.length ? [polyline(points.slice(estimated), RECORDED_STROKE)] : []),
  ];
  // The area's top edge runs along the middle of the line, which covers it, and its other edges are whole pixels at
  // 1.5×: anti-aliasing it changes no visible pixel of a recorded line (only a faint fill under the dash gaps of
  // an estimated one) and cost ~3 ms of a year's chart.
  const area = `<polygon points="${PLOT.left},${PLOT.bottom} ${points.join(' ')} ${PLOT.right},${PLOT.bottom}" fill="${CHART_THEME.accent}" fill-opacity="0.12" shape-rendering="crispEdges"/>`;
  const marks = (input.marks ?? []).flatMap((mark) => buildMark(xOf(Date.parse(mark.time)), mark.label));
  const legend = estimated > 0 ? buildLegend() : [];
  return svgDocument(WIDTH, HEIGHT, [
    title,
    ...buildGrid(axis),
    area,
    ...lines,
    ...marks,
    ...legend,
    ...buildTimeLabels(first, last),
  ]);
}

/** The points drawn: estimates and recorded points each thinned to the plot's pixel columns (see pickChartPoints). */
function pointsToDraw(series: ValueChartInput['series']): { times: number[]; values: Decimal[]; estimated: number } {
  const all = series.map((point) => ({ time: Date.parse(point.time), value: toDecimal(point.valueUsd) }));
  const [from, to] = [all[0]!.time, all[all.length - 1]!.time];
  const estimates = series.filter((point) => point.estimated).length;
  const kept = [
    ...pickChartPoints(all.slice(0, estimates), PLOT_COLUMNS, from, to),
    ...pickChartPoints(all.slice(estimates), PLOT_COLUMNS, from, to).map((index) => index + estimates),
  ].map((index) => ({ index, point: all[index]! }));
  return {
    times: kept.map(({ point }) => point.time),
    values: kept.map(({ point }) => point.value),
    estimated: kept.filter(({ index }) => index < estimates).length,
  };
}

function polyline(points: readonly string[], stroke: string): string {
  return `<polyline points="${points.join(' ')}" fill="none" ${stroke} stroke-linejoin="round"/>`;
}

function buildMark(x: number, label: string): string[] {
  return [
    `<line x1="${x}" y1="${PLOT.top}" x2="${x}" y2="${PLOT.bottom}" stroke="${CHART_THEME.series[1]}" stroke-width="2" stroke-dasharray="3 3"/>`,
    svgText(x + 4, PLOT.top + 14, label, { size: 13, fill: CHART_THEME.text }),
  ];
}

function buildLegend(): string[] {
  const y = 58;
  return [
    `<line x1="380" y1="${y}" x2="410" y2="${y}" ${RECORDED_STROKE}/>`,
    svgText(416, y + 5, LEGEND_RECORDED, { size: 13, fill: CHART_THEME.text }),
    `<line x1="490" y1="${y}" x2="520" y2="${y}" ${ESTIMATED_STROKE}/>`,
    svgText(526, y + 5, LEGEND_ESTIMATED, { size: 13, fill: CHART_THEME.text }),
  ];
}

function buildGrid(axis: ReturnType<typeof buildAxis>): string[] {
  return axis.ticks.flatMap((tick) => {
    const y = toPixel(tick, axis.min, axis.max, PLOT.bottom, PLOT.top);
    return [
      `<line x1="${PLOT.left}" y1="${y}" x2="${PLOT.right}" y2="${y}" stroke="${CHART_THEME.grid}" stroke-width="1"/>`,
      svgText(PLOT.left - 10, y + 5, formatAxisUsd(tick), { size: 14, anchor: 'end', fill: CHART_THEME.muted }),
    ];
  });
}

function buildTimeLabels(first: number, last: number): string[] {
  const isShort = last - first <= 2 * DAY_MS;
  const middle = first + (last - first) / 2;
  const spots: [number, number, 'start' | 'middle' | 'end'][] = [
    [first, PLOT.left, 'start'],
    [middle, (PLOT.left + PLOT.right) / 2, 'middle'],
    [last, PLOT.right, 'end'],
  ];
  return spots.map(([time, x, anchor]) =>
    svgText(x, PLOT.bottom + 30, formatTimeLabel(time, isShort), { size: 14, anchor, fill: CHART_THEME.muted }),
  );
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** UTC labels: "14:30" for windows up to two days, "18 Mar 2026" otherwise. */
export function formatTimeLabel(time: number, isShort: boolean): string {
  const date = new Date(time);
  if (isShort) return `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
