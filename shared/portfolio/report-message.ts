import type { DiversificationReport, PerformanceReport, PerformanceWindow, PortfolioView } from '../kernel/types';
import type { ValueChartInput } from '../platform/chart/chart-renderer';
import type { HtmlMessage, KeyboardButton } from '../platform/telegram/messages';
import { renderDiversification } from '../analytics/report-diversification';
import { REPORT_WINDOWS, renderPerformance } from './report-performance';

export interface ReportInput {
  readonly performance: PerformanceReport;
  readonly diversification: DiversificationReport;
  readonly view: PortfolioView;
}

/** The whole report text plus the window switcher; the current window is marked. */
export function renderReport(input: ReportInput, extraRows: readonly (readonly KeyboardButton[])[] = []): HtmlMessage {
  const symbols = new Map(input.view.assets.map((asset) => [asset.assetId, asset.symbol]));
  const text = [
    renderPerformance(input.performance),
    '',
    renderDiversification(input.diversification, { assetSymbol: (assetId) => symbols.get(assetId) ?? assetId }),
  ].join('\n');
  return { text, buttons: [...renderWindowButtons(input.performance.window)!, ...extraRows] };
}

function renderWindowButtons(current: PerformanceWindow): HtmlMessage['buttons'] {
  const button = (window: PerformanceWindow) => ({
    text: window === current ? `• ${window} •` : window,
    data: `v1:window:${window}`,
  });
  return [
    REPORT_WINDOWS.slice(0, 3).map(button),
    REPORT_WINDOWS.slice(3).map(button),
    [{ text: '🔄 Rebalance', data: 'v1:rebal' }],
  ];
}

export function valueChartTitle(window: PerformanceWindow): string {
  return `Portfolio value · ${window}`;
}

/** The value chart: the report's series (estimates marked) with a marker where a wallet was added or removed. */
export function valueChartInput(window: PerformanceWindow, performance: PerformanceReport): ValueChartInput {
  const marks = performance.trackingChanges.map((change) => ({
    time: change.time,
    label: trackingMarkLabel(change.change),
  }));
  return { title: valueChartTitle(window), series: performance.series, marks };
}

/** The chart's marker where a wallet started or stopped being tracked (the chat's chart and the dashboard's). */
export function trackingMarkLabel(change: 'added' | 'removed'): string {
  return change === 'added' ? '+ wallet' : '− wallet';
}

/** Allocation bars by asset from the priced positions. */
export function allocationSlices(view: PortfolioView): { label: string; share: string }[] {
  return view.assets.flatMap((asset) =>
    asset.share === undefined ? [] : [{ label: asset.symbol, share: asset.share }],
  );
}
