import { toDecimal, ZERO, type Decimal } from '../kernel/decimal';
import type {
  DiversificationReport,
  Figure,
  PerformanceReport,
  PerformanceWindow,
  PortfolioView,
  TrackingChange,
} from '../kernel/types';
import type { ValueChartInput } from '../platform/chart/chart-renderer';
import { escapeHtml, type HtmlMessage, type KeyboardButton } from '../platform/telegram/messages';
import { formatSignedPercent, formatSignedUsd, formatUsd } from '../platform/telegram/money-format';
import { renderDiversification } from '../analytics/report-diversification';

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

// --- The performance section ---

export const REPORT_WINDOWS: readonly PerformanceWindow[] = ['24h', '7d', '30d', '90d', '1y', 'all'];

const WINDOW_LABELS: Record<PerformanceWindow, string> = {
  '24h': '24 hours',
  '7d': '7 days',
  '30d': '30 days',
  '90d': '90 days',
  '1y': '1 year',
  all: 'all time',
};

/** What the chat and the dashboard call each figure (the P&L is always there; the others when they exist). */
export const FIGURE_LABELS = {
  pnlUsd: 'P&L',
  simpleRoi: 'Return on money in (simple ROI)',
  twr: 'Time-weighted return',
  annualisedTwr: 'Annualised TWR',
  maxDrawdown: 'Max drawdown',
} as const;

/** The performance half of the report: money first, then returns with the method that produced them. */
export function renderPerformance(report: PerformanceReport): string {
  // A window longer than the recorded history says from when its figures run.
  const since = report.shortHistory ? 'since ' : '';
  const lines = [
    `📈 <b>Performance · ${WINDOW_LABELS[report.window]}</b>`,
    `<i>${since}${formatDay(report.from)} → ${formatDay(report.to)} (UTC)</i>`,
    '',
    `Value: ${escapeHtml(formatUsd(report.startValueUsd))} → <b>${escapeHtml(formatUsd(report.endValueUsd))}</b>`,
    ...renderMoneyIn(report),
    `P&amp;L: <b>${escapeHtml(formatSignedUsd(report.pnlUsd.value))}</b>`,
    `   <i>method: ${escapeHtml(report.pnlUsd.method)}</i>`,
  ];
  lines.push(...renderFigure(FIGURE_LABELS.simpleRoi, report.simpleRoi));
  lines.push(...renderFigure(FIGURE_LABELS.twr, report.twr));
  lines.push(...renderFigure(FIGURE_LABELS.annualisedTwr, report.annualisedTwr));
  lines.push(...renderFigure(FIGURE_LABELS.maxDrawdown, report.maxDrawdown));
  for (const change of report.trackingChanges) lines.push(`ℹ️ <i>${escapeHtml(describeTrackingChange(change))}</i>`);
  for (const note of report.notes) lines.push(`ℹ️ <i>${escapeHtml(note)}</i>`);
  return lines.join('\n');
}

/** The inputs of P&L and simple ROI, each shown on its own (deposits and withdrawals apart, wallets apart). */
function renderMoneyIn(report: PerformanceReport): string[] {
  const deposits = toDecimal(report.depositsUsd);
  const withdrawals = deposits.minus(toDecimal(report.netFlowsUsd));
  const rows: [string, string, Decimal][] = [
    ['Deposits', formatUsd(report.depositsUsd), deposits],
    ['Withdrawals', formatUsd(withdrawals.toString()), withdrawals],
    ['Wallets added (not a deposit)', formatUsd(report.walletsAddedUsd), toDecimal(report.walletsAddedUsd)],
    ['Wallets removed (not a withdrawal)', formatUsd(report.walletsRemovedUsd), toDecimal(report.walletsRemovedUsd)],
  ];
  return rows.filter(([, , amount]) => !amount.eq(ZERO)).map(([label, shown]) => `${label}: ${escapeHtml(shown)}`);
}

export function describeTrackingChange(change: TrackingChange): string {
  const value = formatUsd(change.valueUsd);
  return change.change === 'added'
    ? `wallet added on ${formatDay(change.time)}: ${value} not counted as a deposit`
    : `wallet removed on ${formatDay(change.time)}: ${value} not counted as a withdrawal`;
}

function renderFigure(label: string, figure: Figure | undefined): string[] {
  if (!figure) return [];
  return [`${label}: <b>${formatSignedPercent(figure.value)}</b>`, `   <i>method: ${escapeHtml(figure.method)}</i>`];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function formatDay(iso: string): string {
  const date = new Date(iso);
  const time = `${String(date.getUTCHours()).padStart(2, '0')}:${String(date.getUTCMinutes()).padStart(2, '0')}`;
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ${time}`;
}
