import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../../../shared/adapters/dynamo/keys';
import { createSyncLeaseStore, type SyncLeaseStore } from '../../../../shared/adapters/dynamo/sync-lease-store';
import { createTestDynamo, type TestDynamo } from '../../../support/dynamo';

const CYCLE = '2030-01-01T10:00:00.000Z';
const NEXT_CYCLE = '2030-01-01T10:10:00.000Z';
const T0 = Date.parse('2030-01-01T10:01:00.000Z');

describe('sync lease store', () => {
  let db: TestDynamo;
  let leases: SyncLeaseStore;
  beforeAll(async () => {
    db = await createTestDynamo();
    leases = createSyncLeaseStore(db.doc, db.tables.sessions);
  });

  it('lets one worker hold a user and tells a second one who holds it until when', async () => {
    expect(await leases.acquire({ userId: 'a', owner: 'w1', cycleId: CYCLE, nowMs: T0, holdMs: 60_000 })).toEqual({ outcome: 'acquired' });
    expect(await leases.acquire({ userId: 'a', owner: 'w2', cycleId: CYCLE, nowMs: T0 + 1000, holdMs: 60_000 })).toEqual({ outcome: 'busy', owner: 'w1', expiresAt: T0 + 60_000 });
  });

  it('hands an expired lease to the next worker (its holder died)', async () => {
    await leases.acquire({ userId: 'b', owner: 'w1', cycleId: CYCLE, nowMs: T0, holdMs: 1000 });
    expect(await leases.acquire({ userId: 'b', owner: 'w2', cycleId: CYCLE, nowMs: T0 + 1001, holdMs: 1000 })).toEqual({ outcome: 'acquired' });
  });

  it('makes a redelivered job of a synced cycle a no-op, but lets the next cycle in', async () => {
    await leases.acquire({ userId: 'c', owner: 'w1', cycleId: CYCLE, nowMs: T0, holdMs: 60_000 });
    await leases.complete('c', 'w1', CYCLE, '2030-01-01T10:01:05.000Z');

    expect(await leases.acquire({ userId: 'c', owner: 'w2', cycleId: CYCLE, nowMs: T0 + 5000, holdMs: 60_000 })).toEqual({ outcome: 'done', syncedCycle: CYCLE });
    expect(await leases.acquire({ userId: 'c', owner: 'w3', cycleId: NEXT_CYCLE, nowMs: T0 + 600_000, holdMs: 60_000 })).toEqual({ outcome: 'acquired' });
    const item = (await db.doc.send(new GetCommand({ TableName: db.tables.sessions, Key: keys.syncLease('c') }))).Item!;
    expect(item).toMatchObject({ entity: 'sync-lease', userId: 'c', owner: 'w3', leasedCycle: NEXT_CYCLE, syncedCycle: CYCLE, ttl: expect.any(Number) });
  });

  it('frees a released lease without recording the cycle, so the retry can sync', async () => {
    await leases.acquire({ userId: 'd', owner: 'w1', cycleId: CYCLE, nowMs: T0, holdMs: 60_000 });
    await leases.release('d', 'w1', '2030-01-01T10:01:02.000Z');
    expect(await leases.acquire({ userId: 'd', owner: 'w2', cycleId: CYCLE, nowMs: T0 + 2000, holdMs: 60_000 })).toEqual({ outcome: 'acquired' });
  });

  it('ignores a completion from a worker whose lease was taken over', async () => {
    await leases.acquire({ userId: 'e', owner: 'w1', cycleId: CYCLE, nowMs: T0, holdMs: 1000 });
    await leases.acquire({ userId: 'e', owner: 'w2', cycleId: CYCLE, nowMs: T0 + 2000, holdMs: 60_000 });

    await leases.complete('e', 'w1', CYCLE, '2030-01-01T10:01:03.000Z');

    expect(await leases.acquire({ userId: 'e', owner: 'w3', cycleId: CYCLE, nowMs: T0 + 3000, holdMs: 60_000 })).toMatchObject({ outcome: 'busy', owner: 'w2' });
  });
});
