import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  EnqueueFailedError,
  InvalidScheduleEventError,
  dispatchCycle,
  type DispatchDeps,
  type SyncScheduleEvent,
} from '../../../functions/sync-fanout/handler';
import { createMemoryLogger, type MemoryLogger } from '../../support/memory-logger';
import { createDueIndexStore } from '../../../shared/wallets/portfolio-store';
import { keys } from '../../../shared/platform/dynamo/keys';
import { createSyncCycleStore } from '../../../shared/sync/sync-cycle-store';
import { createTestDynamo, type TestDynamo } from '../../support/dynamo';
import { evmAddress, seedUser, userIdsInShard } from '../../shared/sync/due-fixtures';
import { createRecordingQueue, lambdaContext, ruleEvent, schedulerEvent, userIdsOf } from './fanout-fixtures';

const CYCLE = '2030-01-01T10:00:00.000Z';
const NOW = new Date('2030-01-01T10:00:01.000Z');

describe('sync fan-out: one cycle dispatched', () => {
  let db: TestDynamo;
  let queue: ReturnType<typeof createRecordingQueue>;
  let logger: MemoryLogger;
  const logs = () => logger.entries();
  const fanout =
    (overrides: Partial<DispatchDeps> = {}) =>
    (event: SyncScheduleEvent, context: ReturnType<typeof lambdaContext>) =>
      dispatchCycle(
        {
          due: createDueIndexStore(db.doc, db.tables.portfolios),
          cycles: createSyncCycleStore(db.doc, db.tables.sessions),
          queue,
          budget: { requestsPerSecond: 10, cycleSeconds: 600, safetyShare: 0.8 },
          now: () => NOW,
          pageSize: 2,
          logger,
          ...overrides,
        },
        event,
        context,
      );
  const seed = (userId: string, addresses: number[], lastSyncedAt?: string) =>
    seedUser(db.doc, db.tables.portfolios, userId, addresses.map(evmAddress), lastSyncedAt);

  beforeEach(async () => {
    db = await createTestDynamo();
    queue = createRecordingQueue();
    logger = createMemoryLogger();
  });

  it('enqueues the stalest users first across all four shards, never-synced ones before everyone', async () => {
    const [a0, b0] = userIdsInShard(0, 2);
    const [a1, b1] = userIdsInShard(1, 2);
    const [a2] = userIdsInShard(2, 1);
    const [a3, b3] = userIdsInShard(3, 2);
    await seed(a0!, [1], '2030-01-01T09:10:00.000Z');
    await seed(b0!, [2], '2030-01-01T09:45:00.000Z');
    await seed(a1!, [3], '2030-01-01T09:20:00.000Z');
    await seed(b1!, [4], '2030-01-01T09:30:00.000Z');
    await seed(a2!, [5]);
    await seed(a3!, [6], '2030-01-01T09:05:00.000Z');
    await seed(b3!, [7], '2030-01-01T09:40:00.000Z');

    const summary = await fanout()(schedulerEvent('2030-01-01T10:00:00Z'), lambdaContext());

    expect(userIdsOf(queue.sent)).toEqual([a2, a3, a0, a1, b1, b3, b0]);
    expect(summary).toMatchObject({
      cycleId: CYCLE,
      duplicate: false,
      budget: 4800,
      considered: 7,
      enqueued: 7,
      skippedForBudget: 0,
      plannedRequests: 7,
      failedToEnqueue: 0,
    });
  });

  it('sends { v, userId, cycleId } bodies keyed user#slot, and leaves out users synced since the cycle started', async () => {
    const [early, late] = userIdsInShard(1, 2, 'k');
    await seed(early!, [1], '2030-01-01T09:50:00.000Z');
    await seed(late!, [2], '2030-01-01T10:03:30.000Z');

    await fanout()(schedulerEvent('2030-01-01T10:03:00Z'), lambdaContext());

    expect(queue.sent).toEqual([
      {
        key: `${early}#2030-01-01T10:00:00.000Z`,
        body: JSON.stringify({ v: 1, userId: early, cycleId: '2030-01-01T10:03:00.000Z' }),
      },
    ]);
  });

  it('stops at the OKX budget, counting an address shared by several users once, and leaves the rest waiting', async () => {
    const [a, b, c, d, e] = userIdsInShard(2, 5, 'b');
    await seed(a!, [1, 2], '2030-01-01T09:01:00.000Z'); // 2 requests
    await seed(b!, [2], '2030-01-01T09:02:00.000Z'); // address already paid for: free
    await seed(c!, [3, 1], '2030-01-01T09:03:00.000Z'); // 1 new address
    await seed(d!, [4, 5, 6], '2030-01-01T09:04:00.000Z'); // 3 requests: over budget
    await seed(e!, [7], '2030-01-01T09:05:00.000Z'); // would fit, but waits: stalest first

    // 1 request/s x 5 s x 0.8 = 4 requests
    const summary = await fanout({ budget: { requestsPerSecond: 1, cycleSeconds: 5, safetyShare: 0.8 } })(
      schedulerEvent(CYCLE),
      lambdaContext(),
    );

    expect(userIdsOf(queue.sent)).toEqual([a, b, c]);
    expect(summary).toMatchObject({
      budget: 4,
      plannedRequests: 3,
      distinctAddresses: 3,
      considered: 4,
      enqueued: 3,
      skippedForBudget: 2,
      skippedCapped: false,
    });
    const cycle = (await db.doc.send(new GetCommand({ TableName: db.tables.sessions, Key: keys.syncCycle(CYCLE) })))
      .Item!;
    expect(cycle).toMatchObject({
      state: 'dispatched',
      enqueued: 3,
      dueUsers: 5,
      skippedForBudget: 2,
      plannedRequests: 3,
      budget: 4,
      done: 0,
    });
  });

  it('prices an address by its tracked chains when the user item carries them (50 chains per request)', async () => {
    const [wide, next] = userIdsInShard(0, 2, 'c');
    await seed(wide!, [1], '2030-01-01T09:01:00.000Z');
    await seed(next!, [2], '2030-01-01T09:02:00.000Z');
    await db.doc.send(
      new UpdateCommand({
        TableName: db.tables.portfolios,
        Key: keys.user(wide!),
        UpdateExpression: 'SET walletChains = :chains',
        ExpressionAttributeValues: { ':chains': { [evmAddress(1)]: 120 } },
      }),
    );

    const summary = await fanout({ budget: { requestsPerSecond: 1, cycleSeconds: 4, safetyShare: 1 } })(
      schedulerEvent(CYCLE),
      lambdaContext(),
    );

    expect(summary).toMatchObject({ plannedRequests: 4, enqueued: 2 });
  });

  it('always enqueues the stalest user, even when it alone costs more than the budget', async () => {
    const [big, small] = userIdsInShard(1, 2, 'z');
    await seed(big!, [1, 2, 3], '2030-01-01T09:01:00.000Z');
    await seed(small!, [4], '2030-01-01T09:02:00.000Z');

    const summary = await fanout({ budget: { requestsPerSecond: 1, cycleSeconds: 1, safetyShare: 0.8 } })(
      schedulerEvent(CYCLE),
      lambdaContext(),
    );

    expect(userIdsOf(queue.sent)).toEqual([big]);
    expect(summary).toMatchObject({ budget: 0, plannedRequests: 3, enqueued: 1, skippedForBudget: 1 });
  });

  it('enqueues nothing new when the same cycle is fired again (duplicate tick or scheduler retry)', async () => {
    const [a] = userIdsInShard(3, 1, 'd');
    await seed(a!, [1], '2030-01-01T09:01:00.000Z');
    await fanout()(schedulerEvent('2030-01-01T10:00:00Z'), lambdaContext());

    const again = await fanout()(schedulerEvent('2030-01-01T10:00:00.000Z'), lambdaContext());

    expect(again).toMatchObject({ cycleId: CYCLE, duplicate: true, enqueued: 0 });
    expect(queue.sent).toHaveLength(1);
    expect(logs()).toContainEqual(expect.objectContaining({ message: 'sync cycle already claimed', cycleId: CYCLE }));
  });

  it('completes an empty cycle at once so health sees the pipeline is alive', async () => {
    const summary = await fanout()(ruleEvent('2030-01-01T10:00:00Z'), lambdaContext());

    expect(summary).toMatchObject({ cycleId: CYCLE, considered: 0, enqueued: 0 });
    expect(await createSyncCycleStore(db.doc, db.tables.sessions).getLastCompleted()).toEqual({
      cycleId: CYCLE,
      completedAt: NOW.toISOString(),
      enqueued: 0,
      dueUsers: 0,
      deadLettered: 0,
      failedAttempts: 0,
    });
  });

  it('records the dispatch and then fails the invocation (alarm) when jobs could not be enqueued', async () => {
    const [a, b] = userIdsInShard(1, 2, 'e');
    await seed(a!, [1], '2030-01-01T09:01:00.000Z');
    await seed(b!, [2], '2030-01-01T09:02:00.000Z');
    queue = createRecordingQueue((message) => message.key.startsWith(`${b}#`));

    const run = fanout()(schedulerEvent(CYCLE), lambdaContext());

    await expect(run).rejects.toThrow(EnqueueFailedError);
    await expect(run).rejects.toThrow('1 sync jobs could not be enqueued (InternalError)');
    const cycle = (await db.doc.send(new GetCommand({ TableName: db.tables.sessions, Key: keys.syncCycle(CYCLE) })))
      .Item!;
    expect(cycle).toMatchObject({ state: 'dispatched', enqueued: 1, dueUsers: 2 });
  });

  it('sends in flushes while walking the index', async () => {
    const users = userIdsInShard(0, 5, 'f');
    for (const [index, user] of users.entries()) await seed(user, [index + 1], `2030-01-01T09:0${index}:00.000Z`);

    await fanout({ flushSize: 2 })(schedulerEvent(CYCLE), lambdaContext());

    expect(queue.calls).toBe(3);
    expect(userIdsOf(queue.sent)).toEqual(users);
  });

  it('stops taking users when the invocation is about to time out', async () => {
    const [a] = userIdsInShard(0, 1, 'g');
    await seed(a!, [1], '2030-01-01T09:01:00.000Z');

    const summary = await fanout({ safetyMarginMs: 5000 })(schedulerEvent(CYCLE), lambdaContext(4000));

    expect(summary).toMatchObject({ enqueued: 0, skippedForBudget: 1 });
  });

  it.each([[{}], [{ scheduledTime: 'not a time', source: 'esther.sync-schedule' }]])(
    'rejects an event without a usable scheduled time: %j',
    async (event) => {
      await expect(fanout()(event, lambdaContext())).rejects.toThrow(InvalidScheduleEventError);
    },
  );
});

describe('sync fan-out plans with the measured cost of the last cycle', () => {
  it('prices each address at the requests per address the previous cycle really sent, and records its own addresses', async () => {
    const db = await createTestDynamo();
    const queue = createRecordingQueue();
    const cycles = createSyncCycleStore(db.doc, db.tables.sessions);
    // Budget: floor(1 req/s × 600 s × 0.05) = 30 requests.
    const deps = {
      due: createDueIndexStore(db.doc, db.tables.portfolios),
      cycles,
      queue,
      budget: { requestsPerSecond: 1, cycleSeconds: 600, safetyShare: 0.05 },
      now: () => NOW,
      logger: createMemoryLogger(),
    };
    for (let index = 1; index <= 20; index += 1)
      await seedUser(
        db.doc,
        db.tables.portfolios,
        `u${index}`,
        [evmAddress(index)],
        `2030-01-01T09:${String(10 + index).padStart(2, '0')}:00.000Z`,
      );
    // The 09:50 cycle planned 10 addresses and its jobs sent 75 requests (retries and probes): 7.5 per address.
    const previous = '2030-01-01T09:50:00.000Z';
    await cycles.claim(previous, NOW.getTime() - 600_000, 60_000);
    await cycles.recordDispatch(
      previous,
      { enqueued: 10, dueUsers: 10, skippedForBudget: 0, plannedRequests: 10, budget: 30, distinctAddresses: 10 },
      previous,
    );
    await cycles.addOkxRequests(previous, 75, previous);

    const summary = await dispatchCycle(deps, schedulerEvent(CYCLE), lambdaContext());

    // One-address users at 7.5 each: 4 × 7.5 = 30 fits the budget of 30, a fifth (37.5) does not.
    // The static estimate (1 per address) would have enqueued all 20.
    expect(summary).toMatchObject({
      budget: 30,
      measuredPerAddress: 7.5,
      enqueued: 4,
      plannedRequests: 30,
      distinctAddresses: 4,
    });
    expect(await cycles.getMeasuredCost(CYCLE)).toBeUndefined(); // no request sent yet in this cycle
    await cycles.addOkxRequests(CYCLE, 9, NOW.toISOString());
    expect(await cycles.getMeasuredCost(CYCLE)).toEqual({ okxRequests: 9, distinctAddresses: 4 });
  });

  it('uses the static estimate when the previous cycle left no measurement', async () => {
    const db = await createTestDynamo();
    const queue = createRecordingQueue();
    const deps = {
      due: createDueIndexStore(db.doc, db.tables.portfolios),
      cycles: createSyncCycleStore(db.doc, db.tables.sessions),
      queue,
      budget: { requestsPerSecond: 1, cycleSeconds: 600, safetyShare: 0.05 },
      now: () => NOW,
      logger: createMemoryLogger(),
    };
    for (let index = 1; index <= 5; index += 1)
      await seedUser(db.doc, db.tables.portfolios, `s${index}`, [evmAddress(index)]);
    const summary = await dispatchCycle(deps, schedulerEvent(CYCLE), lambdaContext());
    expect(summary).toMatchObject({ enqueued: 5, plannedRequests: 5 });
    expect(summary).not.toHaveProperty('measuredPerAddress');
  });
});
