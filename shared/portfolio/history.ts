import type { PriceStore } from '../sync/price-store';
import type { SnapshotStore } from '../sync/snapshot-store';
import type { SnapshotResolution } from '../platform/dynamo/keys';
import { isBackfillPoint } from './performance-backfill';
import type { PerformanceWindow, SnapshotPoint, TokenRef } from '../kernel/types';
import { SLOT_MINUTES } from '../kernel/slots';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Which stored resolutions serve a window, finest first. Returns and drawdown are computed from the finest
 * points kept for each part of the window (10-minute points live 8 days, hourly rollups 400 days), so a dip
 * is seen unless it recovers within one 10-minute slot (last 8 days) or within the hour (older; within the
 * day for `1y` and `all`: a year of hourly points is ~8,800 items with their positions, which DynamoDB reads in
 * about 18 s, past the bot's deadline, while ~360 daily points read in well under a second). Coarser
 * resolutions only fill the time before the first finer point (back-filled estimates, older history), so a
 * longer window always holds every point of a shorter one.
 */
const WINDOWS: Record<PerformanceWindow, { span?: number; resolutions: readonly SnapshotResolution[] }> = {
  '24h': { span: DAY, resolutions: ['10m'] },
  '7d': { span: 7 * DAY, resolutions: ['10m', '1h'] },
  '30d': { span: 30 * DAY, resolutions: ['10m', '1h', '1d'] },
  '90d': { span: 90 * DAY, resolutions: ['10m', '1h', '1d'] },
  '1y': { span: 365 * DAY, resolutions: ['10m', '1d'] },
  all: { resolutions: ['10m', '1d'] },
};

/** The first instant any window reads from when it has no span. */
const EPOCH = '2000-01-01T00:00:00.000Z';

/**
 * Points for [now − w, now]: the latest complete recorded point at or before now − w (the window's start
 * value, so a longer window never starts later than a shorter one), then every point inside the window.
 */
export async function readHistory(
  store: SnapshotStore,
  userId: string,
  window: PerformanceWindow,
  now: Date,
): Promise<SnapshotPoint[]> {
  return (await readWindow(store, userId, window, now)).points;
}

/** What a Report reads from the snapshots: the window's points and the prices 24 h ago. */
export interface ReportHistory {
  readonly points: SnapshotPoint[];
  readonly baselines: SnapshotPoint[];
}

/**
 * readHistory and readBaselines in one go: the window's 10-minute read starts early enough to hold the
 * baseline's two hours around 24 h ago, so the baselines need no read of their own.
 */
export async function readReportHistory(
  store: SnapshotStore,
  userId: string,
  window: PerformanceWindow,
  now: Date,
): Promise<ReportHistory> {
  const [from, to] = baselineRange(now);
  const { points, finest } = await readWindow(store, userId, window, now, from);
  return {
    points,
    baselines: pickBaselines(
      finest.filter((point) => point.slot >= from && point.slot <= to),
      now,
    ),
  };
}

/**
 * The window's points, finest first: each coarser resolution is read only for the time before the first finer
 * point (the part it can fill), and not at all when that time holds no slot. `finest` is the 10-minute read,
 * from `readFrom` when that is earlier than the window.
 */
async function readWindow(
  store: SnapshotStore,
  userId: string,
  window: PerformanceWindow,
  now: Date,
  readFrom?: string,
): Promise<{ points: SnapshotPoint[]; finest: SnapshotPoint[] }> {
  const { span, resolutions } = WINDOWS[window];
  const from = span === undefined ? EPOCH : new Date(now.getTime() - span).toISOString();
  const to = now.toISOString();
  const [finestResolution, ...coarser] = resolutions;
  // The start value may sit in any resolution (10-minute points expire after 8 days): the latest one found wins.
  const [anchors, finest] = await Promise.all([
    span === undefined
      ? Promise.resolve([])
      : Promise.all(resolutions.map((resolution) => store.latestSnapshotAtOrBefore(userId, resolution, from))),
    store.listSnapshots(userId, finestResolution!, readFrom !== undefined && readFrom < from ? readFrom : from, to),
  ]);
  const points = finest.filter((point) => point.slot >= from);
  for (const resolution of coarser) {
    const earliest = points[0]?.slot;
    if (earliest !== undefined && !hasSlotBetween(from, earliest)) continue;
    const list = await store.listSnapshots(userId, resolution, from, earliest ?? to);
    points.unshift(...list.filter((point) => earliest === undefined || point.slot < earliest));
    points.sort((a, b) => a.slot.localeCompare(b.slot));
  }
  const anchor = anchors.filter((point) => point !== undefined).sort((a, b) => b.slot.localeCompare(a.slot))[0];
  if (anchor && !points.some((point) => point.slot === anchor.slot)) points.unshift(anchor);
  return { points: points.sort((a, b) => a.slot.localeCompare(b.slot)), finest };
}

/** Every stored point (recorded, rolled up or back-filled) sits on a 10-minute slot start (kernel/slots). */
function hasSlotBetween(from: string, before: string): boolean {
  const slotMs = SLOT_MINUTES * 60_000;
  return Math.ceil(Date.parse(from) / slotMs) * slotMs < Date.parse(before);
}

/**
 * Prices 24 h ago for the 24 h change: the complete recorded point closest to 24 h ago (within an hour), then
 * the closest back-filled point, so a holding the recorded point lacks can still be priced from the estimate.
 */
export async function readBaselines(store: SnapshotStore, userId: string, now: Date): Promise<SnapshotPoint[]> {
  const [from, to] = baselineRange(now);
  return pickBaselines(await store.listSnapshots(userId, '10m', from, to), now);
}

function baselineRange(now: Date): [string, string] {
  const target = now.getTime() - DAY;
  return [new Date(target - HOUR).toISOString(), new Date(target + HOUR).toISOString()];
}

function pickBaselines(candidates: SnapshotPoint[], now: Date): SnapshotPoint[] {
  const target = now.getTime() - DAY;
  const closest = (points: SnapshotPoint[]) =>
    points.sort((a, b) => Math.abs(Date.parse(a.slot) - target) - Math.abs(Date.parse(b.slot) - target))[0];
  const complete = candidates.filter((point) => !point.incomplete);
  const recorded = closest(complete.filter((point) => !isBackfillPoint(point)));
  const estimated = closest(complete.filter((point) => isBackfillPoint(point)));
  return [recorded, estimated].filter((point): point is SnapshotPoint => point !== undefined);
}

/** Price lookups per /portfolio for holdings the snapshots cannot price 24 h ago (one small query each). */
export const MAX_PRICE_LOOKUPS = 20;

/**
 * Prices 24 h ago from the per-slot price records every sync writes (any user holding the token), for tokens
 * the snapshots miss, e.g. a wallet added today holding a token the portfolio did not hold then. Returned as
 * a baseline point keyed `chainIndex:tokenAddress`; undefined when none was recorded.
 */
export async function readRecordedPrices(
  prices: PriceStore,
  tokens: readonly TokenRef[],
  now: Date,
): Promise<SnapshotPoint | undefined> {
  const target = now.getTime() - DAY;
  const [from, to] = [new Date(target - HOUR).toISOString(), new Date(target + HOUR).toISOString()];
  const found = await Promise.all(
    tokens.slice(0, MAX_PRICE_LOOKUPS).map(async (token) => {
      const rows = await prices.listPrices(token, from, to);
      const closest = rows.sort(
        (a, b) => Math.abs(Date.parse(a.slot) - target) - Math.abs(Date.parse(b.slot) - target),
      )[0];
      return closest
        ? [{ assetId: `${token.chainIndex}:${token.tokenAddress}`, quantity: '0', priceUsd: closest.priceUsd }]
        : [];
    }),
  );
  const positions = found.flat();
  if (positions.length === 0) return undefined;
  const slot = new Date(target).toISOString();
  return { slot, takenAt: slot, totalValueUsd: '0', positions, incomplete: false };
}
