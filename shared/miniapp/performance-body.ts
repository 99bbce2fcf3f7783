import { toDecimal } from '../kernel/decimal';
import type { Figure, PerformanceReport, PerformanceWindow } from '../kernel/types';
import { FIGURE_LABELS, trackingMarkLabel } from '../portfolio/report-message';

export const WINDOWS: readonly PerformanceWindow[] = ['24h', '7d', '30d', '90d', '1y', 'all'];
/** The Report's own default window. */
export const DEFAULT_WINDOW: PerformanceWindow = '7d';

export function isPerformanceWindow(value: string): value is PerformanceWindow {
  return (WINDOWS as readonly string[]).includes(value);
}

type FigureKey = keyof typeof FIGURE_LABELS;

/** The Report's order; P&L is money, the rest are fractions. */
const FIGURE_ORDER: readonly { key: FigureKey; name: string; unit: 'usd' | 'fraction' }[] = [
  { key: 'pnlUsd', name: 'pnl', unit: 'usd' },
  { key: 'simpleRoi', name: 'simpleRoi', unit: 'fraction' },
  { key: 'twr', name: 'twr', unit: 'fraction' },
  { key: 'annualisedTwr', name: 'annualisedTwr', unit: 'fraction' },
  { key: 'maxDrawdown', name: 'maxDrawdown', unit: 'fraction' },
];

/** GET /miniapp/api/performance: the Report's performance of one window, its series and markers for the chart. */
export function performanceBody(report: PerformanceReport, now: Date) {
  const withdrawals = toDecimal(report.depositsUsd).minus(toDecimal(report.netFlowsUsd));
  return {
    generatedAt: now.toISOString(),
    window: report.window,
    from: report.from,
    to: report.to,
    shortHistory: report.shortHistory,
    series: report.series.map((point) => ({
      time: point.time,
      valueUsd: point.valueUsd,
      estimated: point.estimated === true,
    })),
    markers: report.trackingChanges.map((change) => ({ ...change, label: trackingMarkLabel(change.change) })),
    values: {
      startValueUsd: report.startValueUsd,
      endValueUsd: report.endValueUsd,
      netFlowsUsd: report.netFlowsUsd,
      depositsUsd: report.depositsUsd,
      withdrawalsUsd: withdrawals.toString(),
      walletsAddedUsd: report.walletsAddedUsd,
      walletsRemovedUsd: report.walletsRemovedUsd,
    },
    figures: FIGURE_ORDER.flatMap(({ key, name, unit }) => {
      const figure: Figure | undefined = report[key];
      return figure ? [{ key: name, label: FIGURE_LABELS[key], unit, value: figure.value, method: figure.method }] : [];
    }),
    points: report.points,
    notes: report.notes,
  };
}
