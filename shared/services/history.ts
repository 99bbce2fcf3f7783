import type { SnapshotStore } from '../adapters/dynamo/snapshot-store';
import type { SnapshotResolution } from '../adapters/dynamo/keys';
import type { PerformanceWindow, SnapshotPoint } from '../domain/types';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Which stored resolution serves a window: few items for long windows, fine points for 24 h. */
const WINDOWS: Record<PerformanceWindow, { span: number; resolution: SnapshotResolution }> = {
  '24h': { span: DAY, resolution: '10m' },
  '7d': { span: 7 * DAY, resolution: '1h' },
  '30d': { span: 30 * DAY, resolution: '1d' },
  '90d': { span: 90 * DAY, resolution: '1d' },
  '1y': { span: 365 * DAY, resolution: '1d' },
  all: { span: 20 * 365 * DAY, resolution: '1d' },
};

export async function readHistory(store: SnapshotStore, userId: string, window: PerformanceWindow, now: Date): Promise<SnapshotPoint[]> {
  const { span, resolution } = WINDOWS[window];
  const from = new Date(now.getTime() - span).toISOString();
  const to = now.toISOString();
  const points = await store.listSnapshots(userId, resolution, from, to);
  if (resolution === '1d') {
    // The latest point of today may be newer than the daily rollup's day bucket suggests; add the freshest 10m point.
    const recent = await store.listSnapshots(userId, '10m', new Date(now.getTime() - HOUR).toISOString(), to);
    const latest = recent.filter((point) => !point.incomplete).at(-1);
    if (latest && !points.some((point) => point.slot === latest.slot)) points.push(latest);
  }
  return points.sort((a, b) => a.slot.localeCompare(b.slot));
}

/** The complete point closest to 24 h ago (within an hour), for the "24 h change" figure. */
export async function readBaseline(store: SnapshotStore, userId: string, now: Date): Promise<SnapshotPoint | undefined> {
  const target = now.getTime() - DAY;
  const candidates = await store.listSnapshots(userId, '10m', new Date(target - HOUR).toISOString(), new Date(target + HOUR).toISOString());
  const complete = candidates.filter((point) => !point.incomplete);
  return complete.sort((a, b) => Math.abs(Date.parse(a.slot) - target) - Math.abs(Date.parse(b.slot) - target))[0];
}
