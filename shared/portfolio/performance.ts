import { Dec, ONE, ZERO, toDecimal, type Decimal } from '../kernel/decimal';
import { isBackfillPoint, chainLink, type ChainedHistory, FLOW_METHOD } from './performance-chain';
import { maxDrawdown, powDecimal } from './performance-math';
import type { Figure, PerformanceReport, PerformanceWindow, SnapshotPoint } from '../kernel/types';

export {
  buildBackfillPoints,
  isBackfillPoint,
  type BackfillCandle,
  type BackfillOptions,
  type BackfillPoint,
} from './performance-chain';

// Windows: their spans and how a length of history is described.

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const YEAR_DAYS = 365;
export const YEAR_MS = YEAR_DAYS * DAY_MS;

/** Window lengths; 'all' has none (everything recorded). */
const SPANS: Record<PerformanceWindow, number | undefined> = {
  '24h': DAY_MS,
  '7d': 7 * DAY_MS,
  '30d': 30 * DAY_MS,
  '90d': 90 * DAY_MS,
  '1y': YEAR_MS,
  all: undefined,
};

/** History covering less than this share of the window is reported as "not enough history". */
const COVERAGE_SHARE = 0.9;

export function windowStart(window: PerformanceWindow, now: Date): Date | undefined {
  const span = SPANS[window];
  return span === undefined ? undefined : new Date(now.getTime() - span);
}

export function isShortOfWindow(window: PerformanceWindow, coveredMs: number): boolean {
  const span = SPANS[window];
  return span !== undefined && coveredMs < span * COVERAGE_SHARE;
}

/** Only windows meant to span a year or more may ever show an annualised figure (GIPS: never under a year). */
export function isYearWindow(window: PerformanceWindow): boolean {
  return window === '1y' || window === 'all';
}

/** "2 days", "1 day", "5 hours", "less than an hour": whole units, rounded down. */
export function describeDuration(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  if (days >= 1) return days === 1 ? '1 day' : `${days} days`;
  const hours = Math.floor(ms / HOUR_MS);
  if (hours >= 1) return hours === 1 ? '1 hour' : `${hours} hours`;
  return 'less than an hour';
}

/** Calendar date of an ISO instant, for notes. */
export function dayOf(iso: string): string {
  return iso.slice(0, 10);
}

export const PERFORMANCE_METHODS = {
  pnl: `absolute P&L: end value − start value − net external flows − (value of wallets added − value of wallets removed) (flows: ${FLOW_METHOD})`,
  simpleRoi: 'simple ROI: P&L / (start value + deposits + value of wallets added)',
  twr: 'time-weighted return (chain-linked per snapshot, flows removed, each flow at the end of its step; a step with a wallet added or removed is measured over the wallets on both sides)',
  maxDrawdown:
    'maximum drawdown: the worst peak-to-trough fall of the flow-adjusted time-weighted index inside the window (≤ 0)',
  annualisedTwr: `annualised TWR: (1 + TWR)^(${YEAR_DAYS} / days) − 1, only with at least ${YEAR_DAYS} days of history`,
} as const;

type Figures = Pick<PerformanceReport, 'pnlUsd' | 'simpleRoi' | 'twr' | 'maxDrawdown' | 'annualisedTwr'>;

export interface PerformanceOptions {
  /**
   * The live "now" point built from the current holdings (what /portfolio shows): it ends the window, so the
   * report's end value and the chart's last point equal the portfolio total.
   */
  readonly live?: SnapshotPoint;
}

interface WindowPoints {
  /** Complete real points used for the maths: the last one at or before the window start (if any), then those inside. */
  readonly used: readonly SnapshotPoint[];
  readonly estimates: readonly SnapshotPoint[];
  readonly incomplete: number;
  /** A point at or before the window start exists, so the window is covered in full. */
  readonly anchored: boolean;
}

/** Picks the points of [now − w, now]: the start value is the last complete point at or before now − w. */
function selectPoints(
  points: readonly SnapshotPoint[],
  startMs: number,
  now: Date,
  live: SnapshotPoint | undefined,
): WindowPoints {
  const sorted = [...points]
    .filter((point) => Date.parse(point.slot) <= now.getTime())
    .sort((a, b) => Date.parse(a.slot) - Date.parse(b.slot));
  const real = sorted.filter((point) => !isBackfillPoint(point));
  let complete = real.filter((point) => !point.incomplete);
  if (live) complete = [...complete.filter((point) => Date.parse(point.slot) < Date.parse(live.slot)), live];
  const anchor = complete.filter((point) => Date.parse(point.slot) <= startMs).at(-1);
  const used = [...(anchor ? [anchor] : []), ...complete.filter((point) => Date.parse(point.slot) > startMs)];
  const firstReal = used[0]?.slot;
  const estimates = sorted.filter(
    (point) =>
      isBackfillPoint(point) &&
      Date.parse(point.slot) >= startMs &&
      (firstReal === undefined || point.slot < firstReal),
  );
  const incomplete = real.filter((point) => point.incomplete && Date.parse(point.slot) >= startMs).length;
  return { used, estimates, incomplete, anchored: anchor !== undefined };
}

/**
 * Performance over [now − w, now] from sync snapshots (finance-methods §1-3). Incomplete snapshots are left out
 * of the maths; back-filled points are drawn in the series only (marked `estimated`). Nothing under a year is
 * annualised. A window longer than the recorded history runs from the first point and says so.
 */
export function computePerformance(
  points: readonly SnapshotPoint[],
  window: PerformanceWindow,
  now: Date,
  options: PerformanceOptions = {},
): PerformanceReport {
  const start = windowStart(window, now);
  const { used, estimates, incomplete, anchored } = selectPoints(
    points,
    start?.getTime() ?? Number.NEGATIVE_INFINITY,
    now,
    options.live,
  );
  const notes = inputNotes(incomplete, estimates, used[0]?.slot);
  const series = [
    ...estimates.map((point) => ({ time: point.slot, valueUsd: point.totalValueUsd, estimated: true })),
    ...used.map((point) => ({ time: point.slot, valueUsd: point.totalValueUsd })),
  ];
  if (used.length === 0) return emptyReport(window, start ?? now, now, series, notes);
  const first = used[0]!;
  const last = used.at(-1)!;
  const from = anchored && start ? start.toISOString() : first.slot;
  const coveredMs = Date.parse(last.slot) - Date.parse(first.slot);
  const shortHistory = start !== undefined && !anchored;
  if (used.length === 1) notes.push(`not enough history for ${window}: only one snapshot recorded`);
  else if (shortHistory)
    notes.push(
      `since ${dayOf(first.slot)}: only ${describeDuration(coveredMs)} recorded, less than ${window}; figures cover the recorded period`,
    );
  const chained = chainLink(used);
  return {
    window,
    from,
    to: last.slot,
    startValueUsd: first.totalValueUsd,
    endValueUsd: last.totalValueUsd,
    netFlowsUsd: chained.netFlowUsd.toString(),
    depositsUsd: chained.depositsUsd.toString(),
    walletsAddedUsd: chained.addedUsd.toString(),
    walletsRemovedUsd: chained.removedUsd.toString(),
    trackingChanges: chained.trackingChanges,
    shortHistory,
    ...figuresOf(window, first, last, chained, coveredMs, notes),
    points: used.length,
    series,
    notes,
  };
}

function inputNotes(incomplete: number, estimates: readonly SnapshotPoint[], firstReal: string | undefined): string[] {
  const notes: string[] = [];
  if (incomplete > 0)
    notes.push(`${incomplete} snapshot${incomplete === 1 ? '' : 's'} with a failed chain left out of the return maths`);
  if (estimates.length > 0) {
    const until = firstReal === undefined ? '' : ` before ${dayOf(firstReal)}`;
    notes.push(`chart values${until} are estimates (today's quantities at past prices), not counted in the returns`);
  }
  return notes;
}

function emptyReport(
  window: PerformanceWindow,
  from: Date,
  now: Date,
  series: PerformanceReport['series'],
  notes: string[],
): PerformanceReport {
  notes.push(`no history yet for ${window}: figures appear after the next syncs`);
  const pnlUsd: Figure = { value: '0', method: PERFORMANCE_METHODS.pnl };
  const zeros = {
    startValueUsd: '0',
    endValueUsd: '0',
    netFlowsUsd: '0',
    depositsUsd: '0',
    walletsAddedUsd: '0',
    walletsRemovedUsd: '0',
  };
  return {
    window,
    from: from.toISOString(),
    to: now.toISOString(),
    ...zeros,
    trackingChanges: [],
    shortHistory: true,
    pnlUsd,
    points: 0,
    series,
    notes,
  };
}

function figuresOf(
  window: PerformanceWindow,
  first: SnapshotPoint,
  last: SnapshotPoint,
  chained: ChainedHistory,
  coveredMs: number,
  notes: string[],
): Figures {
  const startValue = toDecimal(first.totalValueUsd);
  const tracking = chained.addedUsd.minus(chained.removedUsd);
  const pnl = toDecimal(last.totalValueUsd).minus(startValue).minus(chained.netFlowUsd).minus(tracking);
  const invested = startValue.plus(chained.depositsUsd).plus(chained.addedUsd);
  const figures: { -readonly [K in keyof Figures]: Figures[K] } = {
    pnlUsd: { value: pnl.toString(), method: PERFORMANCE_METHODS.pnl },
  };
  describeFlows(chained, notes);
  if (chained.index.length < 2) return figures;
  if (invested.gt(ZERO))
    figures.simpleRoi = { value: pnl.div(invested).toString(), method: PERFORMANCE_METHODS.simpleRoi };
  else notes.push('no simple ROI: nothing was invested in this window');
  if (chained.measuredSteps === 0) {
    notes.push('no time-weighted return: the portfolio was empty for the whole window');
    return figures;
  }
  if (startValue.eq(ZERO)) notes.push('the window starts at $0: returns count from the first deposit');
  const twr = chained.growth.minus(ONE);
  figures.twr = { value: twr.toString(), method: PERFORMANCE_METHODS.twr };
  figures.maxDrawdown = {
    value: ZERO.minus(maxDrawdown(chained.index).depth).toString(),
    method: PERFORMANCE_METHODS.maxDrawdown,
  };
  if (chained.wipedOutAt)
    notes.push(
      `the portfolio lost all its value on ${dayOf(chained.wipedOutAt)}: the time-weighted return stays at −100 % after that`,
    );
  const annualised = annualise(window, chained.growth, coveredMs, notes);
  if (annualised) figures.annualisedTwr = annualised;
  return figures;
}

function describeFlows(chained: ChainedHistory, notes: string[]): void {
  const swaps = chained.flowKinds.get('internal-swap') ?? 0;
  if (swaps > 0)
    notes.push(
      `${swaps} swap${swaps === 1 ? '' : 's'} inside the portfolio not counted as deposits or withdrawals (their fees count as a cost)`,
    );
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
