import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { TargetAllocation } from '../../../shared/kernel/types';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createWorkerHandler,
  handler,
  type WorkerOptions,
  type WorkerParts,
} from '../../../functions/sync-worker/handler';
import type { UserSyncPort } from '../../../shared/sync/sync-balances';
import { captureOutput } from '../../support/captured-output';
import { createMemoryLogger, type MemoryLogger } from '../../support/memory-logger';
import {
  createSyncCycleStore,
  type SyncCycleStore,
  createSyncLeaseStore,
  type SyncLeaseStore,
} from '../../../shared/sync/sync-cycle-store';
import { createTestDynamo, type TestDynamo } from '../../support/dynamo';
import { createFakeSyncService, job, sqsEvent, sqsRecord, syncResult, workerContext } from './worker-fixtures';

const CYCLE = '2030-01-01T10:00:00.000Z';

describe('sync worker (SQS records through the Powertools Batch utility)', () => {
  let db: TestDynamo;
  let leases: SyncLeaseStore;
  let cycles: SyncCycleStore;
  let profiles: Map<string, { walletCount: number; lastSyncedAt?: string; target?: TargetAllocation }>;
  let logger: MemoryLogger;
  const logs = () => logger.entries();
  type Stores = Awaited<ReturnType<WorkerParts['stores']>>;
  const worker = (
    service: UserSyncPort,
    overrides: Partial<{ profiles: Stores['portfolios']; leases: Stores['leases']; cycles: Stores['cycles'] }> &
      WorkerOptions = {},
  ) => {
    const {
      profiles: portfolios = { getUserWithWallets: async (userId: string) => profiles.get(userId) },
      leases: leaseStore = leases,
      cycles: cycleStore = cycles,
      ...options
    } = overrides;
    return createWorkerHandler(
      { portfolio: async () => service, stores: async () => ({ portfolios, leases: leaseStore, cycles: cycleStore }) },
      { logger, ...options },
    );
  };

  beforeEach(async () => {
    db = await createTestDynamo();
    leases = createSyncLeaseStore(db.doc, db.tables.sessions);
    cycles = createSyncCycleStore(db.doc, db.tables.sessions);
    profiles = new Map(
      ['alice', 'bob', 'carol', 'dave'].map((userId) => [
        userId,
        { walletCount: 1, lastSyncedAt: '2030-01-01T09:50:00.000Z' },
      ]),
    );
    logger = createMemoryLogger();
  });

  it('syncs every user of the batch and reports no failures', async () => {
    const service = createFakeSyncService();
    const handle = worker(service);

    const response = await handle(
      sqsEvent(sqsRecord('m1', job('alice', CYCLE)), sqsRecord('m2', job('bob', CYCLE))),
      workerContext(),
    );

    expect(response).toEqual({ batchItemFailures: [] });
    expect(service.calls).toEqual(['alice', 'bob']);
    expect(handle.stats).toEqual({ synced: 2, skipped: 0, failed: 0, okxRequests: 2, itemsWritten: 8 });
    expect(logs()).toContainEqual(
      expect.objectContaining({
        level: 'INFO',
        message: 'sync job synced',
        userId: 'alice',
        cycleId: CYCLE,
        messageId: 'm1',
        receiveCount: '1',
        okxRequests: 1,
      }),
    );
  });

  it('reads the profile while it takes the lease, one round trip instead of two', async () => {
    const order: string[] = [];
    const timedLeases: SyncLeaseStore = {
      ...leases,
      acquire: async (request) => {
        order.push('acquire started');
        const outcome = await leases.acquire(request);
        order.push('acquire done');
        return outcome;
      },
    };
    const profilesInOrder = {
      getUserWithWallets: async (userId: string) => (order.push('profile read'), profiles.get(userId)),
    };

    const response = await worker(createFakeSyncService(), { leases: timedLeases, profiles: profilesInOrder })(
      sqsEvent(sqsRecord('m1', job('alice', CYCLE))),
      workerContext(),
    );

    expect(response).toEqual({ batchItemFailures: [] });
    expect(order).toEqual(['acquire started', 'profile read', 'acquire done']);
  });

  it('reports only the failed records (a throwing sync, a wholly failed user, a poison body) as batch item failures', async () => {
    const service = createFakeSyncService({
      bob: async () => {
        throw new Error('DynamoDB throttled');
      },
      carol: async (userId) =>
        syncResult(userId, { walletsSynced: 0, failures: [{ walletId: 'w0', error: 'OKX 50026' }] }),
    });

    const response = await worker(service)(
      sqsEvent(
        sqsRecord('m1', job('alice', CYCLE)),
        sqsRecord('m2', job('bob', CYCLE)),
        sqsRecord('m3', job('carol', CYCLE)),
        sqsRecord('m4', '{"broken'),
        sqsRecord('m5', job('dave', CYCLE)),
      ),
      workerContext(),
    );

    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'm3' }, { itemIdentifier: 'm4' }],
    });
    expect(service.calls).toEqual(['alice', 'bob', 'carol', 'dave']);
    expect(logs()).toContainEqual(
      expect.objectContaining({ level: 'ERROR', messageId: 'm4', error: 'InvalidSyncJobError' }),
    );
    expect(logs()).toContainEqual(
      expect.objectContaining({
        level: 'WARN',
        message: 'sync job retry',
        userId: 'carol',
        reason: 'all-wallets-failed',
      }),
    );
  });

  it('syncs a failed user on redelivery (its lease was released), and makes a redelivery of a synced user a no-op', async () => {
    let attempts = 0;
    const service = createFakeSyncService({
      bob: async (userId) => {
        attempts += 1;
        if (attempts === 1) throw new Error('socket hang up');
        return syncResult(userId);
      },
    });
    const handle = worker(service);
    await handle(sqsEvent(sqsRecord('m1', job('alice', CYCLE)), sqsRecord('m2', job('bob', CYCLE))), workerContext());

    const redelivered = await handle(
      sqsEvent(sqsRecord('m1', job('alice', CYCLE), 2), sqsRecord('m2', job('bob', CYCLE), 2)),
      workerContext(120_000, 'req-2'),
    );

    expect(redelivered).toEqual({ batchItemFailures: [] });
    expect(service.calls).toEqual(['alice', 'bob', 'bob']);
    expect(logs()).toContainEqual(
      expect.objectContaining({
        message: 'sync job skipped',
        userId: 'alice',
        reason: 'already-synced',
        receiveCount: '2',
      }),
    );
  });

  it('treats the same user twice in one batch (duplicate delivery) as one sync', async () => {
    const service = createFakeSyncService();
    const response = await worker(service)(
      sqsEvent(sqsRecord('m1', job('alice', CYCLE)), sqsRecord('m9', job('alice', CYCLE))),
      workerContext(),
    );

    expect(response).toEqual({ batchItemFailures: [] });
    expect(service.calls).toEqual(['alice']);
  });

  it('never syncs a user another worker holds: the record fails so SQS redelivers it later', async () => {
    await leases.acquire({ userId: 'alice', owner: 'other-worker', cycleId: CYCLE, nowMs: Date.now(), holdMs: 60_000 });
    const service = createFakeSyncService();

    const response = await worker(service)(
      sqsEvent(sqsRecord('m1', job('alice', CYCLE)), sqsRecord('m2', job('bob', CYCLE))),
      workerContext(),
    );

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(service.calls).toEqual(['bob']);
    expect(logs()).toContainEqual(expect.objectContaining({ level: 'WARN', userId: 'alice', reason: 'leased' }));
  });

  it('runs two concurrent workers on the same user with exactly one sync', async () => {
    let release: () => void = () => undefined;
    const service = createFakeSyncService({
      alice: (userId) => new Promise((resolve) => (release = () => resolve(syncResult(userId)))),
    });
    const first = worker(service)(sqsEvent(sqsRecord('m1', job('alice', CYCLE))), workerContext(120_000, 'req-a'));
    await new Promise((wake) => setTimeout(wake, 200));

    const second = await worker(service)(
      sqsEvent(sqsRecord('m1-dup', job('alice', CYCLE))),
      workerContext(120_000, 'req-b'),
    );
    release();

    expect(second).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1-dup' }] });
    expect(await first).toEqual({ batchItemFailures: [] });
    expect(service.calls).toEqual(['alice']);
  });

  it('skips a user the bot synced after the cycle started, and acknowledges a deleted user', async () => {
    profiles.set('alice', { walletCount: 2, lastSyncedAt: '2030-01-01T10:00:30.000Z' });
    profiles.delete('bob');
    profiles.set('carol', { walletCount: 0 });
    const service = createFakeSyncService();

    const response = await worker(service)(
      sqsEvent(
        sqsRecord('m1', job('alice', CYCLE)),
        sqsRecord('m2', job('bob', CYCLE)),
        sqsRecord('m3', job('carol', CYCLE)),
      ),
      workerContext(),
    );

    expect(response).toEqual({ batchItemFailures: [] });
    expect(service.calls).toEqual([]);
    expect(logs().map((entry) => entry.reason)).toEqual(['synced-since-cycle-start', 'no-wallets', 'no-wallets']);
  });

  it('gives up on a user at the per-user deadline and reports the rest of the batch failed without starting them', async () => {
    const service = createFakeSyncService({ alice: () => new Promise(() => undefined) });

    const response = await worker(service, { safetyMarginMs: 1000, minUserMs: 500 })(
      sqsEvent(sqsRecord('m1', job('alice', CYCLE)), sqsRecord('m2', job('bob', CYCLE))),
      workerContext(1800),
    );

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }, { itemIdentifier: 'm2' }] });
    expect(service.calls).toEqual(['alice']);
    expect(logs()).toContainEqual(expect.objectContaining({ userId: 'alice', reason: 'deadline' }));
    expect(logs()).toContainEqual(
      expect.objectContaining({
        messageId: 'm2',
        level: 'ERROR',
        detail: expect.stringContaining('ms left before the safety margin'),
      }),
    );
  });

  it('counts synced users towards the cycle and completes it with the last one', async () => {
    await cycles.claim(CYCLE, Date.now(), 60_000);
    await cycles.recordDispatch(
      CYCLE,
      { enqueued: 2, dueUsers: 2, skippedForBudget: 0, plannedRequests: 2, budget: 480 },
      '2030-01-01T10:00:02.000Z',
    );
    const handle = worker(createFakeSyncService(), { now: () => new Date('2030-01-01T10:03:00.000Z') });

    await handle(sqsEvent(sqsRecord('m1', job('alice', CYCLE)), sqsRecord('m2', job('bob', CYCLE))), workerContext());
    await handle(sqsEvent(sqsRecord('m1', job('alice', CYCLE), 2)), workerContext());

    expect(await cycles.getLastCompleted()).toEqual({
      cycleId: CYCLE,
      completedAt: '2030-01-01T10:03:00.000Z',
      enqueued: 2,
      dueUsers: 2,
      deadLettered: 0,
      failedAttempts: 0,
    });
  });

  it('completes a cycle whose job fails every delivery, counting the user dead-lettered and each failed delivery', async () => {
    await cycles.claim(CYCLE, Date.now(), 60_000);
    await cycles.recordDispatch(
      CYCLE,
      { enqueued: 2, dueUsers: 2, skippedForBudget: 0, plannedRequests: 2, budget: 480 },
      '2030-01-01T10:00:02.000Z',
    );
    const service = createFakeSyncService({ bob: () => Promise.reject(new Error('socket hang up')) });
    const handle = worker(service, { now: () => new Date('2030-01-01T10:03:00.000Z') });

    await handle(sqsEvent(sqsRecord('m1', job('alice', CYCLE)), sqsRecord('m2', job('bob', CYCLE))), workerContext());
    for (let receive = 2; receive <= 4; receive += 1)
      await handle(sqsEvent(sqsRecord('m2', job('bob', CYCLE), receive)), workerContext());
    expect(await cycles.getLastCompleted()).toBeUndefined();
    const last = await handle(sqsEvent(sqsRecord('m2', job('bob', CYCLE), 5)), workerContext());

    // Receive 5 of 5 failed: SQS moves it to the DLQ, and the cycle settles 1 done + 1 dead-lettered = 2 enqueued.
    expect(last).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
    expect(await cycles.getLastCompleted()).toEqual({
      cycleId: CYCLE,
      completedAt: '2030-01-01T10:03:00.000Z',
      enqueued: 2,
      dueUsers: 2,
      deadLettered: 1,
      failedAttempts: 5,
    });
  });

  it('evaluates alerts after a synced or unanswered user, never after a skip, and an evaluation failure fails no job', async () => {
    const service = createFakeSyncService({
      carol: async (userId) =>
        syncResult(userId, { walletsSynced: 0, failures: [{ walletId: 'w', chainIndex: '1', error: 'down' }] }),
    });
    profiles.set('bob', { walletCount: 1, lastSyncedAt: '2030-01-01T10:05:00.000Z' });
    profiles.set('alice', { ...profiles.get('alice')!, target: { eth: '100' } });
    const evaluated: string[] = [];
    const known = new Map<string, unknown>();
    const alerts = {
      async evaluate(userId: string, items?: { target: unknown }) {
        evaluated.push(userId);
        known.set(userId, items);
        if (userId === 'dave') throw new Error('DynamoDB down');
        return { started: 1, cleared: 0, sent: 1, held: 0, heldBack: 0 };
      },
    };
    const handle = createWorkerHandler(
      {
        portfolio: async () => service,
        stores: async () => ({
          portfolios: { getUserWithWallets: async (userId: string) => profiles.get(userId) },
          leases,
          cycles,
        }),
        alerts: async () => alerts,
      },
      { logger },
    );

    const response = await handle(
      sqsEvent(
        sqsRecord('m1', job('alice', CYCLE)),
        sqsRecord('m2', job('bob', CYCLE)),
        sqsRecord('m3', job('carol', CYCLE)),
        sqsRecord('m4', job('dave', CYCLE)),
      ),
      workerContext(),
    );

    // bob synced since the cycle started (skipped); carol's wallets did not answer (retried, still evaluated).
    expect(evaluated).toEqual(['alice', 'carol', 'dave']);
    // alice's target came with the sync's read of her partition; carol's job is retried, so nothing is passed on.
    expect(known.get('alice')).toEqual({ target: { eth: '100' } });
    expect(known.get('carol')).toBeUndefined();
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm3' }] });
    expect(logs()).toContainEqual(
      expect.objectContaining({ level: 'INFO', message: 'alerts evaluated', userId: 'alice', sent: 1 }),
    );
    expect(logs()).toContainEqual(
      expect.objectContaining({ level: 'WARN', message: 'alert evaluation failed', userId: 'dave', error: 'Error' }),
    );
  });

  it('lets the next delivery proceed when DynamoDB went down mid-sync and the lease release failed', async () => {
    await cycles.claim(CYCLE, Date.now(), 60_000);
    await cycles.recordDispatch(
      CYCLE,
      { enqueued: 1, dueUsers: 1, skippedForBudget: 0, plannedRequests: 1, budget: 480 },
      '2030-01-01T10:00:02.000Z',
    );
    let down = false;
    db.doc.middlewareStack.add(
      (next) => async (args) => {
        if (down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { name: 'TimeoutError' });
        return next(args);
      },
      { step: 'initialize', name: 'dynamoOutage' },
    );
    let attempts = 0;
    const service = createFakeSyncService({
      bob: async (userId) => {
        attempts += 1;
        if (attempts > 1) return syncResult(userId);
        down = true;
        throw new Error('ECONNREFUSED');
      },
    });
    let clock = new Date('2030-01-01T10:01:00.000Z');
    const handle = worker(service, { now: () => clock });

    const first = await handle(sqsEvent(sqsRecord('m1', job('bob', CYCLE))), workerContext());
    down = false;
    clock = new Date('2030-01-01T10:02:01.000Z'); // 61 s later: past the 60 s lease, well inside the old 115 s hold.
    const second = await handle(sqsEvent(sqsRecord('m1', job('bob', CYCLE), 2)), workerContext());

    expect(first).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(second).toEqual({ batchItemFailures: [] });
    expect(service.calls).toEqual(['bob', 'bob']);
    expect((await cycles.getLastCompleted())?.cycleId).toBe(CYCLE);
    expect(logs()).toContainEqual(
      expect.objectContaining({ message: 'sync job failure not counted', userId: 'bob', deadLettered: false }),
    );
  });
});

describe('sync worker Lambda (SQS event, Lambda context)', () => {
  const OKX_ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:esther/okx-AbCdEf';
  const OKX_SECRET = { apiKey: 'k', secretKey: 'never-logged-okx-secret', passphrase: 'p', projectId: 'i' };
  const secrets = mockClient(SecretsManagerClient);
  afterAll(() => secrets.restore());

  it('fails the whole batch when its parts cannot be built, builds them on the next invocation, and logs JSON lines with the request and message ids', async () => {
    const db = await createTestDynamo();
    Object.assign(process.env, db.env, { OKX_SECRET_ARN: OKX_ARN, AWS_REGION: 'eu-central-1' });
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(Object.assign(new Error('secret unreadable'), { name: 'AccessDeniedException' }))
      .resolves({ SecretString: JSON.stringify(OKX_SECRET) });
    const event = sqsEvent(sqsRecord('m1', job('nobody', CYCLE)));
    const output = captureOutput();

    const failed = await handler(event, workerContext(120_000, 'req-1')).catch((error: unknown) => error);
    const second = await handler(event, workerContext(120_000, 'req-2'));
    output.restore();

    expect(failed).toMatchObject({ name: 'SecretUnavailableError', reason: 'access-denied' });
    // "nobody" has no profile: a deleted user is acknowledged without a sync.
    expect(second).toEqual({ batchItemFailures: [] });
    expect(output.json()).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'sync job skipped',
        reason: 'no-wallets',
        userId: 'nobody',
        messageId: 'm1',
        receiveCount: '1',
        function_request_id: 'req-2',
        function_name: 'EstherPortfolio-SyncWorker',
        service: 'esther-portfolio',
      }),
    ]);
    expect(output.lines.join('\n')).not.toContain(OKX_SECRET.secretKey);
  });
});
