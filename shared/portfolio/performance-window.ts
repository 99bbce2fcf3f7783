import type { PerformanceWindow } from '../kernel/types';

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
