import { toDecimal, ZERO, type Decimal } from '../kernel/decimal';
import type {
  DiversificationReport,
  Figure,
  PerformanceReport,
  PerformanceWindow,
  PortfolioView,
  TrackingChange,
  RiskFlag,
  Sector,
} from '../kernel/types';
import type { ValueChartInput } from '../platform/chart/chart-renderer';
import { escapeHtml, type HtmlMessage, type KeyboardButton } from '../platform/telegram/messages';
import {
  formatSignedPercent,
  formatSignedUsd,
  formatUsd,
  formatQuantity,
  formatShare,
  shortenAddress,
} from '../platform/telegram/money-format';
import { chainInfo, chainName } from '../kernel/chains';

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

/** What the chat and the dashboard call each sector. */
export const SECTOR_LABELS: Record<Sector, string> = {
  stablecoin: 'Stablecoins',
  l1: 'Layer 1',
  l2: 'Layer 2',
  defi: 'DeFi',
  meme: 'Meme',
  rwa: 'Real-world assets',
  'liquid-staking': 'Liquid staking',
  exchange: 'Exchange tokens',
  other: 'Other',
};

export interface DiversificationLabels {
  /** Display symbol per canonical asset id (flags name assets by id). */
  readonly assetSymbol: (assetId: string) => string;
  /** The user's label for a wallet, when it has one (flags otherwise name the wallet by short address). */
  readonly walletLabel?: (walletId: string) => string | undefined;
}

/** Said under every diversification figure, in the chat and on the dashboard. */
export const DIVERSIFICATION_CAVEAT =
  'Crypto assets tend to move together, so the real diversification is lower than these numbers suggest.';

/** "Savings (0x12ab…cdef)" or "0x12ab…cdef": which wallet a flag comes from. */
function walletName(flag: RiskFlag, labels: DiversificationLabels): string {
  const address = shortenAddress(flag.walletAddress ?? '');
  const label = flag.walletId === undefined ? undefined : labels.walletLabel?.(flag.walletId);
  return escapeHtml(label ? `${label} (${address})` : address);
}

/** Concentration in plain words: effective number of assets, biggest exposures, and what to watch. */
export function renderDiversification(report: DiversificationReport, labels: DiversificationLabels): string {
  const share = (value: string) => escapeHtml(formatShare(value));
  const lines = [
    '🧩 <b>Diversification</b>',
    `Effective number of assets: <b>${toDecimal(report.effectiveAssets).toFixed(1)}</b> (HHI ${toDecimal(report.hhi).toFixed(3)})`,
    `Largest asset: ${share(report.top1Share)} · top 3: ${share(report.top3Share)}`,
    `Stablecoins: ${share(report.stablecoinShare)}`,
    `<b>By sector:</b> ${report.sectors.map((row) => `${escapeHtml(SECTOR_LABELS[row.sector])} ${share(row.share)}`).join(' · ')}`,
    `<b>By chain:</b> ${report.chains.map((row) => `${escapeHtml(chainName(row.chainIndex))} ${share(row.share)}`).join(' · ')}`,
  ];
  if (report.flags.length > 0) {
    lines.push('', '⚠️ <b>Risk flags</b>', ...report.flags.map((flag) => `• ${describeFlag(flag, labels)}`));
  }
  lines.push(`<i>${DIVERSIFICATION_CAVEAT}</i>`);
  return lines.join('\n');
}

/** One sentence per flag, saying what it means for the user rather than naming the metric. */
export function describeFlag(flag: RiskFlag, labels: DiversificationLabels): string {
  const share = flag.share === undefined ? '' : `${escapeHtml(formatShare(flag.share))} `;
  const limit = escapeHtml(formatShare(flag.threshold));
  switch (flag.kind) {
    case 'asset-concentration':
      return `${escapeHtml(labels.assetSymbol(flag.subject))} is ${share}of your portfolio (above ${limit}): one asset drives most of your ups and downs.`;
    case 'sector-concentration':
      return `${escapeHtml(SECTOR_LABELS[flag.subject as Sector] ?? flag.subject)} makes up ${share}of your portfolio (above ${limit}): one theme going out of favour would hit most of it.`;
    case 'chain-concentration':
      return `${share}sits on ${escapeHtml(chainName(flag.subject))} (above ${limit}): an outage or bridge problem there would affect most of your funds.`;
    case 'low-gas-reserve':
      return describeLowGas(flag, labels);
  }
}

/** Names the wallet and chain: gas is paid per wallet, so another wallet's coins do not help. */
function describeLowGas(flag: RiskFlag, labels: DiversificationLabels): string {
  const chain = escapeHtml(chainName(flag.subject));
  if (flag.walletAddress === undefined)
    return `Low gas on ${chain}: keep a little of the native coin there to pay for transactions.`;
  const coin = escapeHtml(chainInfo(flag.subject)?.nativeSymbol ?? 'native coin');
  const held = escapeHtml(formatQuantity(flag.nativeBalance ?? '0'));
  return `Low gas in wallet ${walletName(flag, labels)} on ${chain}: it holds tokens there but only ${held} ${coin} (keep at least ${escapeHtml(flag.threshold)} ${coin} in that wallet to pay for transactions).`;
}
