import { describe, expect, it } from 'vitest';
import type { SnapshotStore } from '../../../shared/adapters/dynamo/snapshot-store';
import type { SnapshotResolution } from '../../../shared/adapters/dynamo/keys';
import type { SnapshotPoint } from '../../../shared/domain/types';
import { readBaseline, readHistory } from '../../../shared/services/history';
import { slotOf } from '../../../shared/services/slots';

const point = (slot: string, total: string, incomplete = false): SnapshotPoint => ({ slot, takenAt: slot, totalValueUsd: total, positions: [], incomplete });

function fakeStore(points: Partial<Record<SnapshotResolution, SnapshotPoint[]>>): SnapshotStore & { reads: SnapshotResolution[] } {
  const reads: SnapshotResolution[] = [];
  return {
    reads,
    putSnapshot: async () => true,
    putBackfill: async () => 0,
    listSnapshots: async (_userId, resolution, from, to) => {
      reads.push(resolution);
      return (points[resolution] ?? []).filter((p) => p.slot >= from && p.slot <= to);
    },
  };
}

const now = new Date('2026-11-24T12:05:00.000Z');

describe('history reads', () => {
  it('floors times to 10-minute slots', () => {
    expect(slotOf(new Date('2026-11-24T12:09:59.999Z'))).toBe('2026-11-24T12:00:00.000Z');
    expect(slotOf(new Date('2026-11-24T12:10:00.000Z'))).toBe('2026-11-24T12:10:00.000Z');
  });

  it('reads 10-minute points for 24 h and hourly rollups for 7 d', async () => {
    const store = fakeStore({ '10m': [point('2026-11-24T02:00:00.000Z', '1')], '1h': [point('2026-11-20T02:00:00.000Z', '2')] });

    expect((await readHistory(store, 'u', '24h', now)).map((p) => p.totalValueUsd)).toEqual(['1']);
    expect((await readHistory(store, 'u', '7d', now)).map((p) => p.totalValueUsd)).toEqual(['2']);
    expect(store.reads).toEqual(['10m', '1h']);
  });

  it('adds the freshest complete 10-minute point to daily rollups for long windows', async () => {
    const store = fakeStore({
      '1d': [point('2026-11-20T23:50:00.000Z', '10'), point('2026-11-23T23:50:00.000Z', '11')],
      '10m': [point('2026-11-24T11:50:00.000Z', '12'), point('2026-11-24T12:00:00.000Z', '13', true)],
    });

    const points = await readHistory(store, 'u', '30d', now);

    expect(points.map((p) => p.totalValueUsd)).toEqual(['10', '11', '12']);
  });

  it('does not repeat the freshest point when the rollup already holds it', async () => {
    const same = point('2026-11-24T11:50:00.000Z', '12');
    const store = fakeStore({ '1d': [same], '10m': [same] });

    expect(await readHistory(store, 'u', 'all', now)).toEqual([same]);
  });

  it('picks the complete point closest to 24 h ago as the baseline', async () => {
    const store = fakeStore({
      '10m': [point('2026-11-23T11:30:00.000Z', '1'), point('2026-11-23T12:00:00.000Z', '2', true), point('2026-11-23T12:10:00.000Z', '3')],
    });

    expect((await readBaseline(store, 'u', now))?.totalValueUsd).toBe('3');
    expect(await readBaseline(fakeStore({}), 'u', now)).toBeUndefined();
  });
});
