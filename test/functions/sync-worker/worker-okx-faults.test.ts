import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { okxEnvOf, startOkxSandbox, type OkxSandbox } from '../../../dev-tools/okx-sandbox/index';
import { createWorkerHandler } from '../../../functions/sync-worker/handler';
import { createMemoryLogger } from '../../support/memory-logger';
import { createHoldingsStore } from '../../../shared/sync/holdings-store';
import { keys } from '../../../shared/platform/dynamo/keys';
import { createSyncCycleStore } from '../../../shared/sync/sync-cycle-store';
import { MAX_PROBES_PER_ADDRESS } from '../../../shared/platform/okx/balance-api';
import { createTestRuntime, type TestRuntime } from '../../support/app-runtime';
import { createTestDynamo } from '../../support/dynamo';
import { job, sqsEvent, sqsRecord, workerContext } from './worker-fixtures';

/** Issue 10 §3 at the worker handler, with the OKX sandbox over HTTP and DynamoDB Local. */
describe('sync worker: partial answers and request accounting', () => {
  let sandbox: OkxSandbox;
  let runtime: TestRuntime;
  let clock = new Date('2036-11-24T10:01:00.000Z');
  let user = 200;
  const cycleId = '2036-11-24T10:00:00.000Z';
  const whale = () => sandbox.world.demoWallets().find((wallet) => wallet.name === 'whale')!.address;
  const sent = () => sandbox.stats.totalRequests;

  beforeAll(async () => {
    sandbox = await startOkxSandbox({ seed: 5, rateLimitPerSecond: 1000 });
    const db = await createTestDynamo();
    runtime = await createTestRuntime(
      { ...db.env, ...okxEnvOf(sandbox), OKX_RATE_LIMIT_PER_SECOND: '500', DRY_RUN_MODE: 'true' },
      { now: () => clock },
    );
    const cycles = createSyncCycleStore(runtime.doc, runtime.tables.sessions);
    await cycles.claim(cycleId, clock.getTime(), 60_000);
    await cycles.recordDispatch(
      cycleId,
      { enqueued: 50, dueUsers: 50, skippedForBudget: 0, plannedRequests: 50, budget: 2400, distinctAddresses: 1 },
      clock.toISOString(),
    );
  });
  afterAll(() => sandbox.stop());
  beforeEach(() => {
    sandbox.faults.clear();
    user += 1;
  });

  const cycleRequests = async () =>
    (await runtime.doc.send(new GetCommand({ TableName: runtime.tables.sessions, Key: keys.syncCycle(cycleId) }))).Item
      ?.okxRequests as number | undefined;

  /** A user with the whale wallet, synced once (good answer) in the slot before the cycle. */
  async function userWithHoldings(): Promise<string> {
    const userId = String(user);
    clock = new Date('2036-11-24T09:51:00.000Z'); // before the cycle: the job must not find the user synced already
    await runtime.service.addWallet(userId, whale());
    await runtime.service.syncBalances(userId, { fresh: true });
    clock = new Date('2036-11-24T10:01:00.000Z');
    return userId;
  }

  it('every chain holding value failed while empty chains answered: the record is retried, the data stale, every request counted', async () => {
    const userId = await userWithHoldings();
    const valued = [...new Set(sandbox.world.getBalances(whale()).map((row) => row.chainIndex))];
    const worker = createWorkerHandler(runtime.app, { logger: createMemoryLogger() });
    const before = sent();
    const cycleBefore = (await cycleRequests()) ?? 0;
    sandbox.faults.inject({ kind: 'chainFailure', chains: valued });

    const answer = await worker(sqsEvent(sqsRecord('m1', job(userId, cycleId))), workerContext());

    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(worker.stats).toMatchObject({ synced: 0, failed: 1 });
    // The sandbox saw every attempt (first call + retries + bisection probes); the worker and the cycle count the same.
    const onWire = sent() - before;
    expect(onWire).toBeGreaterThan(1);
    expect(worker.stats.okxRequests).toBe(onWire);
    expect((await cycleRequests()) ?? 0).toBe(cycleBefore + onWire);
    const holdings = await createHoldingsStore(runtime.doc, runtime.tables.holdings).listHoldings(userId);
    expect(holdings).toHaveLength(18);
    expect(holdings.every((holding) => holding.staleSince !== undefined)).toBe(true);
  }, 60_000);

  it('one valued chain failing is retried too, and its requests (1 + retries + probes) are all counted', async () => {
    const userId = await userWithHoldings();
    const worker = createWorkerHandler(runtime.app, { logger: createMemoryLogger() });
    const before = sent();
    sandbox.faults.inject({ kind: 'chainFailure', chains: ['56'] });

    const answer = await worker(sqsEvent(sqsRecord('m2', job(userId, cycleId))), workerContext());

    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: 'm2' }]);
    expect(worker.stats.okxRequests).toBe(sent() - before);
  }, 60_000);

  it(`bisection stops after ${MAX_PROBES_PER_ADDRESS} probes per address when every balance call fails`, async () => {
    const userId = await userWithHoldings();
    const worker = createWorkerHandler(runtime.app, { logger: createMemoryLogger() });
    const before = sent();
    sandbox.faults.inject({ kind: 'http500', path: '/all-token-balances-by-address' });

    await worker(sqsEvent(sqsRecord('m3', job(userId, cycleId))), workerContext());

    // One address, one slice of ≤ 50 chains: 1 call + 3 retries (okx-client's default), then at most 12 probes.
    // The old code probed the whole tree: 13 chains → 24 probes, 28 requests in all.
    expect(sent() - before).toBe(1 + 3 + MAX_PROBES_PER_ADDRESS);
    expect(worker.stats.okxRequests).toBe(sent() - before);
  }, 60_000);
});
