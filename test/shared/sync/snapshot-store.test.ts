import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSnapshotStore, type SnapshotStore } from '../../../shared/sync/snapshot-store';
import type { SnapshotPoint } from '../../../shared/kernel/types';
import { keys } from '../../../shared/platform/dynamo/keys';
import { createTestDynamo } from '../../support/dynamo';

let store: SnapshotStore;
let db: Awaited<ReturnType<typeof createTestDynamo>>;

beforeAll(async () => {
  db = await createTestDynamo();
  store = createSnapshotStore(db.doc, db.tables.snapshots);
});

const point = (slot: string, total: string, incomplete = false): SnapshotPoint => ({
  slot,
  takenAt: slot,
  totalValueUsd: total,
  positions: [{ assetId: 'eth', quantity: '1.000000000000000001', priceUsd: total }],
  incomplete,
});

describe('snapshot store', () => {
  it('writes a slot exactly once even when the sync runs twice', async () => {
    expect(await store.putSnapshot('u1', point('2036-11-24T10:00:00.000Z', '100'))).toBe(true);
    expect(await store.putSnapshot('u1', point('2036-11-24T10:00:00.000Z', '999'))).toBe(false);

    const points = await store.listSnapshots('u1', '10m', '2036-11-24T00:00:00.000Z', '2036-11-25T00:00:00.000Z');
    expect(points.map((p) => p.totalValueUsd)).toEqual(['100']);
    expect(points[0]?.positions[0]?.quantity).toBe('1.000000000000000001');
  });

  it('keeps the latest complete point of each hour and day as rollups', async () => {
    await store.putSnapshot('u2', point('2036-11-24T10:00:00.000Z', '100'));
    await store.putSnapshot('u2', point('2036-11-24T10:50:00.000Z', '150'));
    await store.putSnapshot('u2', point('2036-11-24T11:00:00.000Z', '170', true));
    await store.putSnapshot('u2', point('2036-11-25T09:00:00.000Z', '200'));

    const hourly = await store.listSnapshots('u2', '1h', '2036-11-24T00:00:00.000Z', '2036-11-26T00:00:00.000Z');
    const daily = await store.listSnapshots('u2', '1d', '2036-11-24T00:00:00.000Z', '2036-11-26T00:00:00.000Z');

    expect(hourly.map((p) => [p.slot, p.totalValueUsd])).toEqual([
      ['2036-11-24T10:50:00.000Z', '150'],
      ['2036-11-25T09:00:00.000Z', '200'],
    ]);
    expect(daily.map((p) => p.totalValueUsd)).toEqual(['150', '200']);
  });

  it('returns only the points inside the window', async () => {
    await store.putSnapshot('u3', point('2036-11-20T10:00:00.000Z', '1'));
    await store.putSnapshot('u3', point('2036-11-22T10:00:00.000Z', '2'));

    const points = await store.listSnapshots('u3', '10m', '2036-11-21T00:00:00.000Z', '2036-11-23T00:00:00.000Z');

    expect(points.map((p) => p.totalValueUsd)).toEqual(['2']);
  });
});

describe('the start value of a window', () => {
  it('finds the latest complete recorded point at or before an instant, skipping failed syncs and estimates', async () => {
    await store.putBackfill('u6', '10m', [{ ...point('2036-11-23T09:00:00.000Z', '5'), backfilled: true }]);
    await store.putSnapshot('u6', point('2036-11-23T10:00:00.000Z', '10'));
    await store.putSnapshot('u6', point('2036-11-23T10:10:00.000Z', '11', true));
    await store.putSnapshot('u6', { ...point('2036-11-23T10:20:00.000Z', '12'), walletIds: ['w1', 'w2'] });

    expect(await store.latestSnapshotAtOrBefore('u6', '10m', '2036-11-23T10:15:00.000Z')).toMatchObject({
      slot: '2036-11-23T10:00:00.000Z',
      totalValueUsd: '10',
    });
    expect(await store.latestSnapshotAtOrBefore('u6', '10m', '2036-11-23T09:30:00.000Z')).toBeUndefined();
    // The hourly bucket of 10:00 holds the 10:20 point, which is after 10:15: not a start value.
    expect(await store.latestSnapshotAtOrBefore('u6', '1h', '2036-11-23T10:15:00.000Z')).toBeUndefined();
    expect(await store.latestSnapshotAtOrBefore('u6', '10m', '2036-11-24T00:00:00.000Z')).toMatchObject({
      totalValueUsd: '12',
      walletIds: ['w1', 'w2'],
    });
  });
});

describe('back-filled history', () => {
  it('fills empty buckets only and never overwrites a real point', async () => {
    await store.putSnapshot('u4', point('2036-11-24T10:00:00.000Z', '100'));
    const backfill = [point('2036-11-24T10:00:00.000Z', '1'), point('2036-11-24T09:00:00.000Z', '90')].map((p) => ({
      ...p,
      backfilled: true,
    }));

    const written = await store.putBackfill('u4', '1h', backfill);
    const hourly = await store.listSnapshots('u4', '1h', '2036-11-24T00:00:00.000Z', '2036-11-25T00:00:00.000Z');

    expect(written).toBe(1);
    expect(hourly.map((p) => [p.slot, p.totalValueUsd, p.backfilled ?? false])).toEqual([
      ['2036-11-24T09:00:00.000Z', '90', true],
      ['2036-11-24T10:00:00.000Z', '100', false],
    ]);
  });

  it('lets a later real rollup replace a back-filled point of the same hour', async () => {
    await store.putBackfill('u5', '1h', [{ ...point('2036-11-24T10:00:00.000Z', '1'), backfilled: true }]);
    await store.putSnapshot('u5', point('2036-11-24T10:30:00.000Z', '100'));

    const hourly = await store.listSnapshots('u5', '1h', '2036-11-24T00:00:00.000Z', '2036-11-25T00:00:00.000Z');

    expect(hourly.map((p) => [p.totalValueUsd, p.backfilled ?? false])).toEqual([['100', false]]);
  });
});

describe('the stored item', () => {
  it('keeps the positions as one string attribute, exact decimal strings in order', async () => {
    const slot = '2036-11-27T10:00:00.000Z';
    await store.putSnapshot('packed', {
      slot,
      takenAt: slot,
      totalValueUsd: '3000.5',
      positions: [
        { assetId: 'eth', quantity: '1.000000000000000001', priceUsd: '3000' },
        { assetId: 'w1/501:So11111111111111111111111111111111111111112', quantity: '0.5', priceUsd: '1' },
      ],
      incomplete: false,
    });

    const { Item } = await db.doc.send(
      new GetCommand({ TableName: db.tables.snapshots, Key: keys.snapshot('packed', '10m', slot) }),
    );
    expect(Item?.positions).toBeUndefined();
    expect(Item?.packedPositions).toBe(
      '[["eth","1.000000000000000001","3000"],["w1/501:So11111111111111111111111111111111111111112","0.5","1"]]',
    );
    const [read] = await store.listSnapshots('packed', '10m', slot, slot);
    expect(read?.positions).toEqual([
      { assetId: 'eth', quantity: '1.000000000000000001', priceUsd: '3000' },
      { assetId: 'w1/501:So11111111111111111111111111111111111111112', quantity: '0.5', priceUsd: '1' },
    ]);
  });

  it('reads an item written before the positions were packed (a list of maps)', async () => {
    const slot = '2036-11-28T10:00:00.000Z';
    await db.doc.send(
      new PutCommand({
        TableName: db.tables.snapshots,
        Item: {
          ...keys.snapshot('legacy', '10m', slot),
          entity: 'snapshot',
          resolution: '10m',
          slot,
          takenAt: slot,
          totalValueUsd: '250',
          positions: [{ assetId: 'btc', quantity: '0.0025', priceUsd: '100000' }],
          incomplete: false,
          walletIds: ['w9'],
        },
      }),
    );

    const [read] = await store.listSnapshots('legacy', '10m', slot, slot);
    expect(read).toEqual({
      slot,
      takenAt: slot,
      totalValueUsd: '250',
      positions: [{ assetId: 'btc', quantity: '0.0025', priceUsd: '100000' }],
      incomplete: false,
      walletIds: ['w9'],
    });
    expect(await store.latestSnapshotAtOrBefore('legacy', '10m', slot)).toEqual(read);
  });
});

describe('a snapshot of a wallet with thousands of priced tokens', () => {
  it('stores at most 1,000 positions (the largest by value), keeps the exact total and leaves the point out of return maths', async () => {
    // Position i holds 1 unit at $(i + 1): values $1 … $4,000. Total = 4,000 × 4,001 / 2 = $8,002,000.
    const positions = Array.from({ length: 4000 }, (_, i) => ({
      assetId: `w1/1:0x${i.toString(16).padStart(40, '0')}`,
      quantity: '1',
      priceUsd: String(i + 1),
    }));
    const whole: SnapshotPoint = {
      slot: '2036-12-01T10:00:00.000Z',
      takenAt: '2036-12-01T10:01:00.000Z',
      totalValueUsd: '8002000',
      positions,
      incomplete: false,
      walletIds: ['w1'],
    };

    expect(await store.putSnapshot('big', whole)).toBe(true);

    const [stored] = await store.listSnapshots('big', '10m', '2036-12-01T00:00:00.000Z', '2036-12-02T00:00:00.000Z');
    expect(stored?.positions).toHaveLength(1000);
    // Kept: the 1,000 largest, $3,001 … $4,000.
    expect(stored!.positions.map((position) => Number(position.priceUsd)).sort((a, b) => a - b)[0]).toBe(3001);
    expect(stored).toMatchObject({ totalValueUsd: '8002000', incomplete: true, walletIds: ['w1'] });
    // An incomplete point writes no hourly/daily rollup.
    expect(await store.listSnapshots('big', '1h', '2036-12-01T00:00:00.000Z', '2036-12-02T00:00:00.000Z')).toEqual([]);
  });
});
