import { describe, expect, it } from 'vitest';
import type { SnapshotStore } from '../../../shared/sync/snapshot-store';
import type { SnapshotResolution } from '../../../shared/platform/dynamo/keys';
import type { SnapshotPoint } from '../../../shared/kernel/types';
import { readBaselines, readHistory, readReportHistory } from '../../../shared/portfolio/portfolio-service';
import { slotOf } from '../../../shared/kernel/slots';
import { computePerformance } from '../../../shared/portfolio/performance';

const point = (slot: string, total: string, incomplete = false, backfilled = false): SnapshotPoint => ({
  slot,
  takenAt: slot,
  totalValueUsd: total,
  positions: [],
  incomplete,
  ...(backfilled ? { backfilled: true } : {}),
});

function fakeStore(points: Partial<Record<SnapshotResolution, SnapshotPoint[]>>): SnapshotStore & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    putSnapshot: async () => true,
    putBackfill: async () => 0,
    listSnapshots: async (_userId, resolution, from, to) => {
      reads.push(`${resolution} ${from} ${to}`);
      return (points[resolution] ?? []).filter((p) => p.slot >= from && p.slot <= to);
    },
    latestSnapshotAtOrBefore: async (_userId, resolution, at) =>
      (points[resolution] ?? []).filter((p) => p.slot <= at && !p.incomplete && !p.backfilled).at(-1),
  };
}

const now = new Date('2026-11-24T12:05:00.000Z');

describe('history reads', () => {
  it('floors times to 10-minute slots', () => {
    expect(slotOf(new Date('2026-11-24T12:09:59.999Z'))).toBe('2026-11-24T12:00:00.000Z');
    expect(slotOf(new Date('2026-11-24T12:10:00.000Z'))).toBe('2026-11-24T12:10:00.000Z');
  });

  it('reads the finest points kept: 10-minute points for 24 h and 7 d, hourly rollups beyond, daily only before them', async () => {
    const store = fakeStore({
      '10m': [point('2026-11-24T02:00:00.000Z', '1')],
      '1h': [point('2026-11-20T02:00:00.000Z', '2')],
      '1d': [point('2026-11-01T23:50:00.000Z', '3', false, true), point('2026-11-20T23:50:00.000Z', '4')],
    });

    expect((await readHistory(store, 'u', '24h', now)).map((p) => p.totalValueUsd)).toEqual(['1']);
    // 7 d: 10-minute points, hourly ones only before the first of them.
    expect((await readHistory(store, 'u', '7d', now)).map((p) => p.totalValueUsd)).toEqual(['2', '1']);
    // 30 d: the same plus daily ones only before the first hourly point (the estimate of 1 Nov).
    expect((await readHistory(store, 'u', '30d', now)).map((p) => p.totalValueUsd)).toEqual(['3', '2', '1']);
  });

  it('reads no hourly rollups for 1 y and all: daily points before the 10-minute ones (a year of hours is past the deadline)', async () => {
    const store = fakeStore({
      '10m': [point('2026-11-24T02:00:00.000Z', '1')],
      '1h': [point('2026-11-20T02:00:00.000Z', '2')],
      '1d': [point('2026-03-01T23:50:00.000Z', '3'), point('2026-11-19T23:50:00.000Z', '4')],
    });

    expect((await readHistory(store, 'u', '1y', now)).map((p) => p.totalValueUsd)).toEqual(['3', '4', '1']);
    expect((await readHistory(store, 'u', 'all', now)).map((p) => p.totalValueUsd)).toEqual(['3', '4', '1']);
    expect(store.reads.filter((read) => read.startsWith('1h'))).toEqual([]);
    // 90 d still reads the hourly rollups before the first 10-minute point, daily ones before those, and starts
    // at the last complete point at or before 26 Aug (the daily one of 1 Mar).
    expect((await readHistory(store, 'u', '90d', now)).map((p) => p.totalValueUsd)).toEqual(['3', '4', '2', '1']);
  });

  it('starts each window at the last complete point at or before now − w, so 7 d never starts after 24 h', async () => {
    // The defect: 7 d read hourly rollups from now − 7 d and started at the first point inside, after 24 h's start.
    const store = fakeStore({
      '10m': [
        point('2026-11-16T12:00:00.000Z', '90'),
        point('2026-11-17T12:00:00.000Z', '95', true),
        point('2026-11-23T12:00:00.000Z', '100'),
        point('2026-11-24T12:00:00.000Z', '110'),
      ],
      '1h': [
        point('2026-11-16T12:00:00.000Z', '90'),
        point('2026-11-23T12:00:00.000Z', '100'),
        point('2026-11-24T12:00:00.000Z', '110'),
      ],
    });

    const day = await readHistory(store, 'u', '24h', now);
    const week = await readHistory(store, 'u', '7d', now);

    // now − 24 h = 23 Nov 12:05 → the 23 Nov 12:00 point; now − 7 d = 17 Nov 12:05 → the 16 Nov 12:00 point (17 Nov failed).
    expect(day[0]!.slot).toBe('2026-11-23T12:00:00.000Z');
    expect(week[0]!.slot).toBe('2026-11-16T12:00:00.000Z');
    expect(Date.parse(week[0]!.slot)).toBeLessThanOrEqual(Date.parse(day[0]!.slot));
  });

  it('finds the start value of a 30 d window in the hourly rollups once the 10-minute points have expired', async () => {
    // now − 30 d = 25 Oct 12:05; 10-minute points only exist for the last 8 days; the hourly rollup of 25 Oct 11:00 is the start.
    const store = fakeStore({
      '10m': [point('2026-11-20T12:00:00.000Z', '3')],
      '1h': [point('2026-10-25T11:50:00.000Z', '1'), point('2026-11-10T11:50:00.000Z', '2')],
    });

    expect((await readHistory(store, 'u', '30d', now)).map((p) => p.totalValueUsd)).toEqual(['1', '2', '3']);
  });

  it('keeps a trough inside a day in the 30 d drawdown after the price recovered (defect 5)', async () => {
    // 100 at 02:00, 80 at 06:00, back to 100 at 11:00; the daily rollup kept only the 11:00 point.
    const value = (slot: string, price: string): SnapshotPoint => ({
      ...point(slot, price),
      positions: [{ assetId: 'w1/1:', quantity: '1', priceUsd: price }],
    });
    const hourly = [
      value('2026-11-20T02:00:00.000Z', '100'),
      value('2026-11-20T06:00:00.000Z', '80'),
      value('2026-11-20T11:00:00.000Z', '100'),
    ];
    const store = fakeStore({ '1h': hourly, '1d': [hourly[2]!] });

    const report = computePerformance(await readHistory(store, 'u', '30d', now), '30d', now);

    // Index 1 → 0.8 → 1: (0.8 − 1) / 1 = −0.2.
    expect(report.maxDrawdown?.value).toBe('-0.2');
  });

  it('prices 24 h ago from the closest recorded point, then from the closest back-filled one', async () => {
    const store = fakeStore({
      '10m': [
        point('2026-11-23T11:30:00.000Z', '1'),
        point('2026-11-23T12:00:00.000Z', '2', true),
        point('2026-11-23T12:10:00.000Z', '3'),
        point('2026-11-23T12:00:00.000Z', '4', false, true),
      ],
    });

    expect((await readBaselines(store, 'u', now)).map((p) => p.totalValueUsd)).toEqual(['3', '4']);
    expect(await readBaselines(fakeStore({}), 'u', now)).toEqual([]);
  });

  it('reads a coarser resolution only for the time before the first finer point, and not at all when that time holds no slot', async () => {
    const store = fakeStore({
      '10m': [point('2026-11-17T12:10:00.000Z', '1'), point('2026-11-24T12:00:00.000Z', '2')],
      '1h': [point('2026-11-17T11:50:00.000Z', '9'), point('2026-11-20T12:00:00.000Z', '7')],
      '1d': [point('2026-11-01T23:50:00.000Z', '8')],
    });

    // 7 d from 17 Nov 12:05 starts at the hourly rollup of 11:50; the first 10-minute point (12:10) leaves
    // 12:05–12:10, which holds no slot start, so no hourly list is read.
    expect((await readHistory(store, 'u', '7d', now)).map((p) => p.totalValueUsd)).toEqual(['9', '1', '2']);
    expect(store.reads).toEqual(['10m 2026-11-17T12:05:00.000Z 2026-11-24T12:05:00.000Z']);

    store.reads.length = 0;
    // 30 d from 25 Oct 12:05: hourly only up to the first 10-minute point (not the 20 Nov rollup), daily only
    // up to the first hourly one.
    expect((await readHistory(store, 'u', '30d', now)).map((p) => p.totalValueUsd)).toEqual(['8', '9', '1', '2']);
    expect(store.reads).toEqual([
      '10m 2026-10-25T12:05:00.000Z 2026-11-24T12:05:00.000Z',
      '1h 2026-10-25T12:05:00.000Z 2026-11-17T12:10:00.000Z',
      '1d 2026-10-25T12:05:00.000Z 2026-11-17T11:50:00.000Z',
    ]);
  });

  it('a report takes its window and the prices 24 h ago from one 10-minute read', async () => {
    const store = fakeStore({
      '10m': [
        point('2026-11-23T11:30:00.000Z', '1'),
        point('2026-11-23T12:10:00.000Z', '3'),
        point('2026-11-24T12:00:00.000Z', '5'),
      ],
    });

    const day = await readReportHistory(store, 'u', '24h', now);
    const week = await readReportHistory(store, 'u', '7d', now);

    // 24 h runs from 23 Nov 12:05, so the read starts an hour before 24 h ago (11:05) for the baselines.
    // 7 d reads hourly rollups before its first 10-minute point (there are none), but no baselines of its own.
    expect(store.reads).toEqual([
      '10m 2026-11-23T11:05:00.000Z 2026-11-24T12:05:00.000Z',
      '10m 2026-11-17T12:05:00.000Z 2026-11-24T12:05:00.000Z',
      '1h 2026-11-17T12:05:00.000Z 2026-11-23T11:30:00.000Z',
    ]);
    // 24 h starts at 11:30 (the last point at or before 12:05); 12:10 is 5 minutes from 24 h ago, 11:30 is 35.
    expect(day.points.map((p) => p.totalValueUsd)).toEqual(['1', '3', '5']);
    expect(day.baselines.map((p) => p.totalValueUsd)).toEqual(['3']);
    expect(week.points.map((p) => p.totalValueUsd)).toEqual(['1', '3', '5']);
    expect(week.baselines).toEqual(await readBaselines(store, 'u', now));
  });
});
