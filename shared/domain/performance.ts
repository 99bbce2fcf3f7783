import { Dec, ONE, ZERO, toDecimal, type Decimal } from './decimal';
import { isBackfillPoint } from './performance-backfill';
import { chainLink, type ChainedHistory } from './performance-chain';
import { FLOW_METHOD } from './performance-flows';
import { maxDrawdown, powDecimal } from './performance-math';
import { dayOf, describeDuration, isShortOfWindow, isYearWindow, windowStart, YEAR_DAYS, YEAR_MS } from './performance-window';
import type { Figure, PerformanceReport, PerformanceWindow, SnapshotPoint } from './types';

export { buildBackfillPoints, isBackfillPoint, type BackfillCandle, type BackfillOptions, type BackfillPoint } from './performance-backfill';

export const PERFORMANCE_METHODS = {
  pnl: `absolute P&L: end value − start value − net external flows (flows: ${FLOW_METHOD})`,
  simpleRoi: 'simple ROI: P&L / (start value + deposits)',
  twr: 'time-weighted return (chain-linked per snapshot, flows removed, each flow at the end of its step)',
  maxDrawdown: 'maximum drawdown of the flow-adjusted time-weighted index (peak to trough)',
  annualisedTwr: `annualised TWR: (1 + TWR)^(${YEAR_DAYS} / days) − 1, only with at least ${YEAR_DAYS} days of history`,
} as const;

type Figures = Pick<PerformanceReport, 'pnlUsd' | 'simpleRoi' | 'twr' | 'maxDrawdown' | 'annualisedTwr'>;

/**
 * Performance over a window from sync snapshots (finance-methods §1-3). Incomplete snapshots are left out
 * of the maths; back-filled points are drawn in the series only. Nothing under a year is annualised.
 */
export function computePerformance(points: readonly SnapshotPoint[], window: PerformanceWindow, now: Date): PerformanceReport {
  const start = windowStart(window, now);
  const inWindow = [...points]
    .filter((point) => Date.parse(point.slot) <= now.getTime() && (start === undefined || Date.parse(point.slot) >= start.getTime()))
    .sort((a, b) => Date.parse(a.slot) - Date.parse(b.slot));
  const real = inWindow.filter((point) => !isBackfillPoint(point));
  const complete = real.filter((point) => !point.incomplete);
  const firstReal = complete[0]?.slot;
  const estimates = inWindow.filter((point) => isBackfillPoint(point) && (firstReal === undefined || point.slot < firstReal));
  const notes = inputNotes(real.length - complete.length, estimates, firstReal);
  const series = [...estimates, ...complete].map((point) => ({ time: point.slot, valueUsd: point.totalValueUsd }));
  if (complete.length === 0) return emptyReport(window, start ?? now, now, series, notes);
  const first = complete[0]!;
  const last = complete.at(-1)!;
  const coveredMs = Date.parse(last.slot) - Date.parse(first.slot);
  if (complete.length === 1) notes.push(`not enough history for ${window}: only one snapshot recorded`);
  else if (isShortOfWindow(window, coveredMs)) notes.push(`not enough history: ${describeDuration(coveredMs)} recorded for ${window}; figures cover the recorded period only`);
  const chained = chainLink(complete);
  return {
    window,
    from: first.slot,
    to: last.slot,
    startValueUsd: first.totalValueUsd,
    endValueUsd: last.totalValueUsd,
    netFlowsUsd: chained.netFlowUsd.toString(),
    ...figuresOf(window, first, last, chained, coveredMs, notes),
    points: complete.length,
    series,
    notes,
  };
}

function inputNotes(incomplete: number, estimates: readonly SnapshotPoint[], firstReal: string | undefined): string[] {
  const notes: string[] = [];
  if (incomplete > 0) notes.push(`${incomplete} snapshot${incomplete === 1 ? '' : 's'} with a failed chain left out of the return maths`);
  if (estimates.length > 0) {
    const until = firstReal === undefined ? '' : ` before ${dayOf(firstReal)}`;
    notes.push(`chart values${until} are estimates (today's quantities at past prices), not counted in the returns`);
  }
  return notes;
}

function emptyReport(window: PerformanceWindow, from: Date, now: Date, series: PerformanceReport['series'], notes: string[]): PerformanceReport {
  notes.push(`no history yet for ${window}: figures appear after the next syncs`);
  const pnlUsd: Figure = { value: '0', method: PERFORMANCE_METHODS.pnl };
  return { window, from: from.toISOString(), to: now.toISOString(), startValueUsd: '0', endValueUsd: '0', netFlowsUsd: '0', pnlUsd, points: 0, series, notes };
}

function figuresOf(window: PerformanceWindow, first: SnapshotPoint, last: SnapshotPoint, chained: ChainedHistory, coveredMs: number, notes: string[]): Figures {
  const startValue = toDecimal(first.totalValueUsd);
  const pnl = toDecimal(last.totalValueUsd).minus(startValue).minus(chained.netFlowUsd);
  const invested = startValue.plus(chained.depositsUsd);
  const figures: { -readonly [K in keyof Figures]: Figures[K] } = { pnlUsd: { value: pnl.toString(), method: PERFORMANCE_METHODS.pnl } };
  describeFlows(chained, notes);
  if (chained.index.length < 2) return figures;
  if (invested.gt(ZERO)) figures.simpleRoi = { value: pnl.div(invested).toString(), method: PERFORMANCE_METHODS.simpleRoi };
  else notes.push('no simple ROI: nothing was invested in this window');
  if (chained.measuredSteps === 0) {
    notes.push('no time-weighted return: the portfolio was empty for the whole window');
    return figures;
  }
  if (startValue.eq(ZERO)) notes.push('the window starts at $0: returns count from the first deposit');
  const twr = chained.growth.minus(ONE);
  figures.twr = { value: twr.toString(), method: PERFORMANCE_METHODS.twr };
  figures.maxDrawdown = { value: maxDrawdown(chained.index).depth.toString(), method: PERFORMANCE_METHODS.maxDrawdown };
  if (chained.wipedOutAt) notes.push(`the portfolio lost all its value on ${dayOf(chained.wipedOutAt)}: the time-weighted return stays at −100 % after that`);
  const annualised = annualise(window, chained.growth, coveredMs, notes);
  if (annualised) figures.annualisedTwr = annualised;
  return figures;
}

function describeFlows(chained: ChainedHistory, notes: string[]): void {
  const swaps = chained.flowKinds.get('internal-swap') ?? 0;
  if (swaps > 0) notes.push(`${swaps} swap${swaps === 1 ? '' : 's'} inside the portfolio not counted as deposits or withdrawals (their fees count as a cost)`);
}

/** GIPS: never annualise under a year; the year is measured on the recorded history, not the window's name. */
function annualise(window: PerformanceWindow, growth: Decimal, coveredMs: number, notes: string[]): Figure | undefined {
  if (!isYearWindow(window)) return undefined;
  if (coveredMs < YEAR_MS) {
    notes.push(`not annualised: ${describeDuration(coveredMs)} recorded, returns under a year are never annualised`);
    return undefined;
  }
  const exponent = new Dec(String(YEAR_MS)).div(new Dec(String(coveredMs)));
  return { value: powDecimal(growth, exponent).minus(ONE).toString(), method: PERFORMANCE_METHODS.annualisedTwr };
}
