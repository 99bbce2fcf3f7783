import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { okxEnvOf, startOkxSandbox, type FaultKind, type OkxSandbox } from '../../dev-tools/okx-sandbox/index';
import { createHoldingsStore } from '../../shared/sync/holdings-store';
import { createSnapshotStore } from '../../shared/sync/snapshot-store';
import { createTestRuntime, type TestRuntime } from '../support/app-runtime';
import { slotOf } from '../../shared/kernel/slots';
import { createTestDynamo } from '../support/dynamo';

/**
 * Issue 10 §2 through the real service, DynamoDB Local and the OKX sandbox over HTTP: an implausible
 * answer (negative or astronomically large balance, negative price, `data: []` for an address that held
 * value) never changes the stored total, keeps the last good holdings marked stale, and leaves the
 * snapshot `incomplete` (out of the return maths).
 */
describe('implausible OKX answers are refused, not stored', () => {
  let sandbox: OkxSandbox;
  let runtime: TestRuntime;
  let clock: Date;
  let user = 100;
  const whale = () => sandbox.world.demoWallets().find((wallet) => wallet.name === 'whale')!.address;

  beforeAll(async () => {
    sandbox = await startOkxSandbox({ seed: 7, rateLimitPerSecond: 1000 });
    const db = await createTestDynamo();
    runtime = await createTestRuntime(
      { ...db.env, ...okxEnvOf(sandbox), OKX_RATE_LIMIT_PER_SECOND: '500', DRY_RUN_MODE: 'true' },
      { now: () => clock },
    );
  });
  afterAll(() => sandbox.stop());
  beforeEach(() => {
    sandbox.faults.clear();
    clock = new Date('2036-11-24T10:01:00.000Z');
    user += 1;
  });

  const snapshotAt = async (userId: string, time: Date) => {
    const slot = slotOf(time);
    const [point] = await createSnapshotStore(runtime.doc, runtime.tables.snapshots).listSnapshots(
      userId,
      '10m',
      slot,
      slot,
    );
    return point!;
  };
  const holdingsOf = (userId: string) => createHoldingsStore(runtime.doc, runtime.tables.holdings).listHoldings(userId);

  /** A new user tracking the whale, synced once with a good answer at 10:01. */
  async function whaleUser() {
    const userId = String(user);
    await runtime.service.addWallet(userId, whale());
    await runtime.service.syncBalances(userId);
    return { userId, good: await snapshotAt(userId, clock) };
  }

  /** A first good sync at 10:01, then the faulted one at 10:11 (a later slot). */
  async function syncWithFault(kind: FaultKind) {
    const { userId, good } = await whaleUser();
    const goodHoldings = await holdingsOf(userId);
    clock = new Date('2036-11-24T10:11:00.000Z');
    sandbox.faults.inject({ kind, chains: ['1'], path: '/all-token-balances-by-address' });
    const calls = sandbox.stats.perPath['/api/v6/dex/balance/all-token-balances-by-address'] ?? 0;
    const result = await runtime.service.syncBalances(userId);
    const balanceCalls = (sandbox.stats.perPath['/api/v6/dex/balance/all-token-balances-by-address'] ?? 0) - calls;
    return {
      balanceCalls,
      userId,
      good,
      goodHoldings,
      result,
      faulted: await snapshotAt(userId, clock),
      holdings: await holdingsOf(userId),
    };
  }

  it.each([
    ['negativeBalance', /balance is a negative amount/],
    ['negativePrice', /tokenPrice is a negative price/],
    ['hugeBalance', /balance is above 100000000000000000000 whole tokens/],
  ] as const)(
    '%s on chain 1: chain 1 keeps its last good data (stale), the other chains answer, the snapshot is incomplete',
    async (kind, problem) => {
      const { good, goodHoldings, result, faulted, holdings, balanceCalls } = await syncWithFault(kind);

      expect(good.incomplete).toBe(false);
      expect(result.failures).toEqual([
        expect.objectContaining({ chainIndex: '1', error: expect.stringMatching(problem) }),
      ]);
      // Nothing moved in the sandbox world: the refused chain keeps its numbers, so the total is the good one.
      expect(faulted.totalValueUsd).toBe(good.totalValueUsd);
      expect(faulted.incomplete).toBe(true);
      expect(holdings.map((holding) => holding.balance).sort()).toEqual(
        goodHoldings.map((holding) => holding.balance).sort(),
      );
      expect(holdings.every((holding) => !holding.balance.startsWith('-') && !/e/i.test(holding.balance))).toBe(true);
      expect(
        holdings
          .filter((holding) => holding.chainIndex === '1')
          .every((holding) => holding.staleSince === '2036-11-24T10:11:00.000Z'),
      ).toBe(true);
      expect(
        holdings.filter((holding) => holding.chainIndex !== '1').every((holding) => holding.staleSince === undefined),
      ).toBe(true);
      // The bad row refuses its chain from the same answer: no retry, no bisection probe.
      expect(balanceCalls).toBe(1);
      // Chain 1 held value and did not answer: the job is not done (the worker retries it).
      expect(result.unansweredValueChains).toBe(1);
    },
    60_000,
  );

  it('data: [] for an address holding value is believed only when a fetch in a later slot agrees', async () => {
    const { userId, good } = await whaleUser();
    expect(good.positions).toHaveLength(18);
    sandbox.faults.inject({ kind: 'emptyData', path: '/all-token-balances-by-address' });

    // 10:11, first empty answer: all 18 holdings kept (stale), total unchanged, snapshot incomplete.
    clock = new Date('2036-11-24T10:11:00.000Z');
    const first = await runtime.service.syncBalances(userId);
    expect(first.pendingEmptyWallets).toBe(1);
    expect(first.unansweredValueChains).toBe(0);
    expect(first.walletsSynced).toBe(0);
    const pending = await snapshotAt(userId, clock);
    expect([pending.totalValueUsd, pending.incomplete]).toEqual([good.totalValueUsd, true]);
    expect((await holdingsOf(userId)).filter((holding) => holding.staleSince !== undefined)).toHaveLength(18);

    // 10:15, a Refresh in the same slot answers empty again: still the same cycle, still not believed.
    clock = new Date('2036-11-24T10:15:00.000Z');
    expect((await runtime.service.syncBalances(userId, { fresh: true })).pendingEmptyWallets).toBe(1);
    expect(await holdingsOf(userId)).toHaveLength(18);

    // 10:21, a later slot agrees: the empty answer is believed, holdings go, the total is $0 and complete.
    clock = new Date('2036-11-24T10:21:00.000Z');
    const confirmed = await runtime.service.syncBalances(userId);
    expect([confirmed.pendingEmptyWallets, confirmed.failures]).toEqual([0, []]);
    expect(await holdingsOf(userId)).toEqual([]);
    expect(await snapshotAt(userId, clock)).toMatchObject({ totalValueUsd: '0', incomplete: false });
    expect((await runtime.service.listWallets(userId))[0]).not.toHaveProperty('pendingEmptySince');
  }, 60_000);

  it('an answer with value clears a pending-empty mark: a single empty answer never deletes anything', async () => {
    const { userId, good } = await whaleUser();
    sandbox.faults.inject({ kind: 'emptyData', path: '/all-token-balances-by-address', times: 1 });
    clock = new Date('2036-11-24T10:11:00.000Z');
    await runtime.service.syncBalances(userId);
    expect((await runtime.service.listWallets(userId))[0]!.pendingEmptySince).toBe('2036-11-24T10:10:00.000Z');

    // 10:41, not 10:21: the 10:20 slot cache of this shared address holds the empty answer the test above confirmed.
    clock = new Date('2036-11-24T10:41:00.000Z');
    await runtime.service.syncBalances(userId);
    expect((await runtime.service.listWallets(userId))[0]).not.toHaveProperty('pendingEmptySince');
    expect(await snapshotAt(userId, clock)).toMatchObject({ totalValueUsd: good.totalValueUsd, incomplete: false });
    // 10:51: one more empty answer starts a new wait instead of being confirmed by the old mark.
    sandbox.faults.inject({ kind: 'emptyData', path: '/all-token-balances-by-address', times: 1 });
    clock = new Date('2036-11-24T10:51:00.000Z');
    expect((await runtime.service.syncBalances(userId)).pendingEmptyWallets).toBe(1);
    expect(await holdingsOf(userId)).toHaveLength(18);
  }, 60_000);
});
