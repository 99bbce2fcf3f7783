import { toDecimal, ZERO } from '../../../shared/domain/decimal';
import type { Figure, PerformanceReport, PerformanceWindow } from '../../../shared/domain/types';
import { escapeHtml } from '../../../shared/adapters/telegram/html';
import { formatSignedPercent, formatSignedUsd, formatUsd } from '../../../shared/adapters/telegram/format';

export const REPORT_WINDOWS: readonly PerformanceWindow[] = ['24h', '7d', '30d', '90d', '1y', 'all'];

const WINDOW_LABELS: Record<PerformanceWindow, string> = { '24h': '24 hours', '7d': '7 days', '30d': '30 days', '90d': '90 days', '1y': '1 year', all: 'all time' };

/** The performance half of the report: money first, then returns with the method that produced them. */
export function renderPerformance(report: PerformanceReport): string {
  const lines = [
    `📈 <b>Performance · ${WINDOW_LABELS[report.window]}</b>`,
    `<i>${formatDay(report.from)} → ${formatDay(report.to)} (UTC)</i>`,
    '',
    `Value: ${escapeHtml(formatUsd(report.startValueUsd))} → <b>${escapeHtml(formatUsd(report.endValueUsd))}</b>`,
  ];
  if (!toDecimal(report.netFlowsUsd).eq(ZERO)) lines.push(`Net deposits: ${escapeHtml(formatSignedUsd(report.netFlowsUsd))}`);
  lines.push(`P&amp;L: <b>${escapeHtml(formatSignedUsd(report.pnlUsd.value))}</b>`);
  lines.push(...renderFigure('Return on money in (simple ROI)', report.simpleRoi));
  lines.push(...renderFigure('Time-weighted return', report.twr));
  lines.push(...renderFigure('Annualised TWR', report.annualisedTwr));
  lines.push(...renderFigure('Max drawdown', report.maxDrawdown));
  for (const note of report.notes) lines.push(`ℹ️ <i>${escapeHtml(note)}</i>`);
  return lines.join('\n');
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
