import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../../shared/platform/dynamo/keys';
import { createSyncCycleStore, createSyncLeaseStore, type SyncLeaseStore } from '../../../shared/sync/sync-cycle-store';
import { createTestDynamo, type TestDynamo } from '../../support/dynamo';

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
    expect(await leases.acquire({ userId: 'a', owner: 'w1', cycleId: CYCLE, nowMs: T0, holdMs: 60_000 })).toEqual({
      outcome: 'acquired',
    });
    expect(
      await leases.acquire({ userId: 'a', owner: 'w2', cycleId: CYCLE, nowMs: T0 + 1000, holdMs: 60_000 }),
    ).toEqual({ outcome: 'busy', owner: 'w1', expiresAt: T0 + 60_000 });
  });

  it('hands an expired lease to the next worker (its holder died)', async () => {
    await leases.acquire({ userId: 'b', owner: 'w1', cycleId: CYCLE, nowMs: T0, holdMs: 1000 });
    expect(await leases.acquire({ userId: 'b', owner: 'w2', cycleId: CYCLE, nowMs: T0 + 1001, holdMs: 1000 })).toEqual({
      outcome: 'acquired',
    });
  });

  it('makes a redelivered job of a synced cycle a no-op, but lets the next cycle in', async () => {
    await leases.acquire({ userId: 'c', owner: 'w1', cycleId: CYCLE, nowMs: T0, holdMs: 60_000 });
    await leases.complete('c', 'w1', CYCLE, '2030-01-01T10:01:05.000Z');

    expect(
      await leases.acquire({ userId: 'c', owner: 'w2', cycleId: CYCLE, nowMs: T0 + 5000, holdMs: 60_000 }),
    ).toEqual({ outcome: 'done', syncedCycle: CYCLE });
    expect(
      await leases.acquire({ userId: 'c', owner: 'w3', cycleId: NEXT_CYCLE, nowMs: T0 + 600_000, holdMs: 60_000 }),
    ).toEqual({ outcome: 'acquired' });
    const item = (await db.doc.send(new GetCommand({ TableName: db.tables.sessions, Key: keys.syncLease('c') }))).Item!;
    expect(item).toMatchObject({
      entity: 'sync-lease',
      userId: 'c',
      owner: 'w3',
      leasedCycle: NEXT_CYCLE,
      syncedCycle: CYCLE,
      ttl: expect.any(Number),
    });
  });

  it('frees a released lease without recording the cycle, so the retry can sync', async () => {
    await leases.acquire({ userId: 'd', owner: 'w1', cycleId: CYCLE, nowMs: T0, holdMs: 60_000 });
    await leases.release('d', 'w1', '2030-01-01T10:01:02.000Z');
    expect(
      await leases.acquire({ userId: 'd', owner: 'w2', cycleId: CYCLE, nowMs: T0 + 2000, holdMs: 60_000 }),
    ).toEqual({ outcome: 'acquired' });
  });

  it('ignores a completion from a worker whose lease was taken over', async () => {
    await leases.acquire({ userId: 'e', owner: 'w1', cycleId: CYCLE, nowMs: T0, holdMs: 1000 });
    await leases.acquire({ userId: 'e', owner: 'w2', cycleId: CYCLE, nowMs: T0 + 2000, holdMs: 60_000 });

    await leases.complete('e', 'w1', CYCLE, '2030-01-01T10:01:03.000Z');

    expect(
      await leases.acquire({ userId: 'e', owner: 'w3', cycleId: CYCLE, nowMs: T0 + 3000, holdMs: 60_000 }),
    ).toMatchObject({ outcome: 'busy', owner: 'w2' });
  });

  it('renews a held lease as the heartbeat, and refuses to renew one another worker holds', async () => {
    await leases.acquire({ userId: 'r', owner: 'w1', cycleId: CYCLE, nowMs: T0, holdMs: 60_000 });

    expect(await leases.renew('r', 'w1', T0 + 50_000, 60_000)).toBe(true);
    expect(
      await leases.acquire({ userId: 'r', owner: 'w2', cycleId: CYCLE, nowMs: T0 + 70_000, holdMs: 60_000 }),
    ).toEqual({ outcome: 'busy', owner: 'w1', expiresAt: T0 + 110_000 });
    expect(
      await leases.acquire({ userId: 'r', owner: 'w2', cycleId: CYCLE, nowMs: T0 + 110_001, holdMs: 60_000 }),
    ).toEqual({ outcome: 'acquired' });
    expect(await leases.renew('r', 'w1', T0 + 120_000, 60_000)).toBe(false);
  });

  it('counts the user on the cycle in the same transaction that completes the lease, and still completes it for an unknown cycle', async () => {
    const cycles = createSyncCycleStore(db.doc, db.tables.sessions);
    await cycles.claim(CYCLE, T0, 60_000);
    await cycles.recordDispatch(
      CYCLE,
      { enqueued: 1, dueUsers: 1, skippedForBudget: 0, plannedRequests: 1, budget: 480 },
      '2030-01-01T10:00:02.000Z',
    );
    await leases.acquire({ userId: 't', owner: 'w1', cycleId: CYCLE, nowMs: T0, holdMs: 60_000 });
    await leases.acquire({ userId: 'u', owner: 'w1', cycleId: NEXT_CYCLE, nowMs: T0, holdMs: 60_000 });

    await leases.complete(
      't',
      'w1',
      CYCLE,
      '2030-01-01T10:02:00.000Z',
      cycles.countDoneItem(CYCLE, '2030-01-01T10:02:00.000Z'),
    );
    // A lost lease (w2 never held it) neither records the cycle nor counts the user a second time.
    await leases.complete(
      't',
      'w2',
      CYCLE,
      '2030-01-01T10:02:01.000Z',
      cycles.countDoneItem(CYCLE, '2030-01-01T10:02:01.000Z'),
    );
    await leases.complete(
      'u',
      'w1',
      NEXT_CYCLE,
      '2030-01-01T10:02:00.000Z',
      cycles.countDoneItem(NEXT_CYCLE, '2030-01-01T10:02:00.000Z'),
    );

    const cycle = await db.doc.send(new GetCommand({ TableName: db.tables.sessions, Key: keys.syncCycle(CYCLE) }));
    expect(cycle.Item).toMatchObject({ done: 1, settled: 1 });
    const unknown = await db.doc.send(
      new GetCommand({ TableName: db.tables.sessions, Key: keys.syncCycle(NEXT_CYCLE) }),
    );
    expect(unknown.Item).toBeUndefined();
    expect(
      await leases.acquire({ userId: 'u', owner: 'w2', cycleId: NEXT_CYCLE, nowMs: T0 + 1000, holdMs: 60_000 }),
    ).toEqual({ outcome: 'done', syncedCycle: NEXT_CYCLE });
  });
});
