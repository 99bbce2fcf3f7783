import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { keys } from '../../../shared/platform/dynamo/keys';
import { createSyncCycleStore, type SyncCycleStore } from '../../../shared/sync/sync-cycle-store';
import { createTestDynamo, type TestDynamo } from '../../support/dynamo';

const CYCLE = '2030-01-01T10:00:00.000Z';
const T0 = Date.parse(CYCLE);
const dispatch = (enqueued: number) => ({
  enqueued,
  dueUsers: enqueued + 2,
  skippedForBudget: 2,
  plannedRequests: enqueued,
  budget: 480,
});

describe('sync cycle store', () => {
  let db: TestDynamo;
  let cycles: SyncCycleStore;
  beforeEach(async () => {
    db = await createTestDynamo();
    cycles = createSyncCycleStore(db.doc, db.tables.sessions);
  });

  it('claims a cycle once; a second fan-out for the same scheduled time is a duplicate', async () => {
    expect(await cycles.claim(CYCLE, T0, 60_000)).toBe('claimed');
    expect(await cycles.claim(CYCLE, T0 + 1000, 60_000)).toBe('duplicate');
  });

  it('lets a retry take over the claim of a fan-out that died before dispatching', async () => {
    await cycles.claim(CYCLE, T0, 60_000);
    expect(await cycles.claim(CYCLE, T0 + 60_001, 60_000)).toBe('claimed');
  });

  it('never re-claims a dispatched cycle, however late the tick', async () => {
    await cycles.claim(CYCLE, T0, 60_000);
    await cycles.recordDispatch(CYCLE, dispatch(2), '2030-01-01T10:00:05.000Z');
    expect(await cycles.claim(CYCLE, T0 + 3_600_000, 60_000)).toBe('duplicate');
  });

  it('completes a cycle when its last job is done and points the health route at it', async () => {
    await cycles.claim(CYCLE, T0, 60_000);
    await cycles.recordDispatch(CYCLE, dispatch(2), '2030-01-01T10:00:05.000Z');
    await cycles.recordUserDone(CYCLE, '2030-01-01T10:01:00.000Z');
    expect(await cycles.getLastCompleted()).toBeUndefined();

    await cycles.recordUserDone(CYCLE, '2030-01-01T10:02:00.000Z');

    expect(await cycles.getLastCompleted()).toEqual({
      cycleId: CYCLE,
      completedAt: '2030-01-01T10:02:00.000Z',
      enqueued: 2,
      dueUsers: 4,
      deadLettered: 0,
      failedAttempts: 0,
    });
    const item = (await db.doc.send(new GetCommand({ TableName: db.tables.sessions, Key: keys.syncCycle(CYCLE) })))
      .Item!;
    expect(item).toMatchObject({
      entity: 'sync-cycle',
      state: 'completed',
      done: 2,
      enqueued: 2,
      skippedForBudget: 2,
      budget: 480,
      ttl: expect.any(Number),
    });
  });

  it('completes at dispatch when workers finished before the fan-out recorded it, or nothing was enqueued', async () => {
    await cycles.claim(CYCLE, T0, 60_000);
    await cycles.recordUserDone(CYCLE, '2030-01-01T10:00:01.000Z');
    await cycles.recordDispatch(CYCLE, dispatch(1), '2030-01-01T10:00:02.000Z');
    expect((await cycles.getLastCompleted())?.completedAt).toBe('2030-01-01T10:00:02.000Z');

    const next = '2030-01-01T10:10:00.000Z';
    await cycles.claim(next, T0 + 600_000, 60_000);
    await cycles.recordDispatch(next, dispatch(0), '2030-01-01T10:10:01.000Z');
    expect((await cycles.getLastCompleted())?.cycleId).toBe(next);
  });

  it('never moves the completed pointer back to an older cycle', async () => {
    const older = '2030-01-01T09:50:00.000Z';
    await cycles.claim(CYCLE, T0, 60_000);
    await cycles.recordDispatch(CYCLE, dispatch(0), '2030-01-01T10:00:01.000Z');
    await cycles.claim(older, T0, 60_000);
    await cycles.recordDispatch(older, dispatch(0), '2030-01-01T10:00:02.000Z');

    expect((await cycles.getLastCompleted())?.cycleId).toBe(CYCLE);
  });

  it('does not create an item for a job of a cycle no fan-out claimed', async () => {
    await cycles.recordUserDone('2020-01-01T00:00:00.000Z', '2030-01-01T10:00:00.000Z');
    const item = await db.doc.send(
      new GetCommand({ TableName: db.tables.sessions, Key: keys.syncCycle('2020-01-01T00:00:00.000Z') }),
    );
    expect(item.Item).toBeUndefined();
  });

  it('emits one SyncCyclesCompleted and the cycle duration when, and only when, the cycle completes', async () => {
    const metrics = { addMetric: vi.fn() };
    const observed = createSyncCycleStore(db.doc, db.tables.sessions, metrics);
    await observed.claim(CYCLE, T0, 60_000);
    await observed.recordDispatch(CYCLE, dispatch(2), '2030-01-01T10:00:05.000Z');
    await observed.recordUserDone(CYCLE, '2030-01-01T10:01:00.000Z');
    expect(metrics.addMetric).not.toHaveBeenCalled();

    await observed.recordUserDone(CYCLE, '2030-01-01T10:02:30.000Z');
    // A late settle check (another worker's write) finds the cycle already completed: no second count.
    await observed.completeIfSettled(CYCLE, '2030-01-01T10:03:00.000Z');

    // 10:00:00 scheduled, 10:02:30 completed: 150 s.
    expect(metrics.addMetric.mock.calls).toEqual([
      ['SyncCyclesCompleted', 'Count', 1],
      ['SyncCycleDurationSeconds', 'Seconds', 150],
    ]);
  });

  it('counts a completion without a duration when the cycle id is not a time', async () => {
    const metrics = { addMetric: vi.fn() };
    const observed = createSyncCycleStore(db.doc, db.tables.sessions, metrics);
    await observed.claim('manual', T0, 60_000);
    await observed.recordDispatch('manual', dispatch(0), '2030-01-01T10:00:05.000Z');
    expect(metrics.addMetric.mock.calls).toEqual([['SyncCyclesCompleted', 'Count', 1]]);
  });
});
