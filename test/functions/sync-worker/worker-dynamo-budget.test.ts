import { beforeEach, describe, expect, it } from 'vitest';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createWorkerHandler } from '../../../functions/sync-worker/handler';
import { createAlertEvaluator, type AlertEvaluator } from '../../../shared/notify/alert-evaluation';
import { createAlertStore } from '../../../shared/notify/alert-store';
import type { Notification } from '../../../shared/notify/notification';
import { createSettingsStore } from '../../../shared/rebalance/settings-store';
import { createPortfolioService } from '../../../shared/portfolio/portfolio-service';
import type { PortfolioServicePort } from '../../../shared/portfolio/portfolio-service-port';
import { createBalanceCacheStore, createPriceStore } from '../../../shared/sync/price-store';
import { createHoldingsStore } from '../../../shared/sync/holdings-store';
import { createSnapshotStore } from '../../../shared/sync/snapshot-store';
import { createSyncCycleStore, createSyncLeaseStore } from '../../../shared/sync/sync-cycle-store';
import { createPortfolioStore } from '../../../shared/wallets/portfolio-store';
import { createTestDynamo, type TestDynamo } from '../../support/dynamo';
import { createMemoryLogger } from '../../support/memory-logger';
import { balance, createFakeMarket, type FakeMarket } from '../../support/fake-market';
import { job, sqsEvent, sqsRecord, workerContext } from './worker-fixtures';

const USDC = '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48';
const [ALICE, BOB, CAROL, DAVE] = [1, 2, 3, 4].map((n) => `0x${String(n).repeat(40)}`) as [
  string,
  string,
  string,
  string,
];
const WARM_CYCLE = '2036-11-24T10:00:00.000Z';
const CYCLE = '2036-11-24T10:10:00.000Z';

describe('sync worker: DynamoDB requests per user (steady state, DynamoDB Local)', () => {
  let db: TestDynamo;
  let market: FakeMarket;
  let service: PortfolioServicePort;
  let clock: Date;
  let sent: { name: string; input: string; phase: 'sync' | 'alerts' }[];
  /** Set while the worker checks a user's alerts, so each request is counted in its step. */
  const inAlertCheck = new AsyncLocalStorage<true>();

  const holdEthAndUsdc = (ethPrice: string) => {
    for (const [address, eth] of [
      [ALICE, '1'],
      [BOB, '2'],
      [CAROL, '0.5'],
      [DAVE, '3'],
    ] as const) {
      market.balances.set(address, [
        balance(address, '1', '', 'ETH', eth, ethPrice),
        balance(address, '1', USDC, 'USDC', '100', '1'),
      ]);
    }
  };

  /** A cycle the fan-out claimed and dispatched with `enqueued` jobs, then this batch of jobs through the real worker. */
  const runCycle = async (cycleId: string, enqueued: number, userIds: string[], alerts?: AlertEvaluator) => {
    const cycles = createSyncCycleStore(db.doc, db.tables.sessions);
    await cycles.claim(cycleId, Date.now(), 60_000);
    await cycles.recordDispatch(
      cycleId,
      { enqueued, dueUsers: enqueued, skippedForBudget: 0, plannedRequests: 4, budget: 480 },
      cycleId,
    );
    sent.length = 0;
    const stores = {
      portfolios: createPortfolioStore(db.doc, db.tables.portfolios),
      leases: createSyncLeaseStore(db.doc, db.tables.sessions),
      cycles,
    };
    const worker = createWorkerHandler(
      { portfolio: async () => service, stores: async () => stores, alerts: async () => alerts },
      { logger: createMemoryLogger(), now: () => clock },
    );
    return worker(
      sqsEvent(...userIds.map((userId, index) => sqsRecord(`m${index}`, job(userId, cycleId)))),
      workerContext(),
    );
  };

  beforeEach(async () => {
    db = await createTestDynamo();
    sent = [];
    db.doc.middlewareStack.add(
      (next, context) => async (args) => {
        sent.push({
          name: String(context.commandName).replace(/Command$/, ''),
          input: JSON.stringify(args.input),
          phase: inAlertCheck.getStore() ? 'alerts' : 'sync',
        });
        return next(args);
      },
      { step: 'initialize', name: 'recordCommands' },
    );
    market = createFakeMarket();
    clock = new Date('2036-11-24T10:00:30.000Z');
    const portfolios = createPortfolioStore(db.doc, db.tables.portfolios);
    service = createPortfolioService({
      portfolios,
      holdings: createHoldingsStore(db.doc, db.tables.holdings),
      prices: createPriceStore(db.doc, db.tables.prices),
      snapshots: createSnapshotStore(db.doc, db.tables.snapshots),
      balanceCache: createBalanceCacheStore(db.doc, db.tables.prices),
      market,
      now: () => clock,
    });
    // Two users with two wallets each, synced before (so no first-sync back-fill), then one warm cycle.
    for (const [userId, addresses] of [
      ['u1', [ALICE, BOB]],
      ['u2', [CAROL, DAVE]],
    ] as const) {
      const wallets = [];
      for (const address of addresses) wallets.push(await service.addWallet(userId, address, ['1']));
      await portfolios.markSynced(
        userId,
        wallets.map((wallet) => wallet.walletId),
        '2036-11-24T09:50:00.000Z',
      );
    }
    holdEthAndUsdc('2000');
    expect(await runCycle(WARM_CYCLE, 2, ['u1', 'u2'])).toEqual({ batchItemFailures: [] });
  });

  it('syncs two users after a pure price move in 8 requests each, writing no holding', async () => {
    holdEthAndUsdc('2100');
    clock = new Date('2036-11-24T10:10:30.000Z');

    // A third job of the cycle is elsewhere, so this batch does not complete the cycle (2 more updates, once per cycle).
    expect(await runCycle(CYCLE, 3, ['u1', 'u2'])).toEqual({ batchItemFailures: [] });

    const count = (name: string) => sent.filter((command) => command.name === name).length;
    // Per user: lease taken (UpdateItem); profile + wallets (one Query of the user's partition); holdings (Query);
    // both addresses' balance-cache entries for the new slot (one BatchGetItem, both miss); both answers into the
    // cache (BatchWriteItem); snapshot 10m + 1h + 1d, the two wallets and the user marked synced (one
    // TransactWriteItems, no holding in it); lease ended + user counted on the cycle (TransactWriteItems).
    // Per batch: the cycle's request count (UpdateItem), and the slot prices of ETH and USDC written once (the
    // second user holds the same tokens at the same prices: remembered by the container).
    expect(count('UpdateItem')).toBe(2 + 1);
    expect(count('Query')).toBe(2 * 2);
    expect(count('BatchGetItem')).toBe(2);
    expect(count('BatchWriteItem')).toBe(2 + 1);
    expect(count('TransactWriteItems')).toBe(2 * 2);
    expect(sent).toHaveLength(16);
    // A price move rewrites no holding: nothing sent names the holdings table except the two reads.
    expect(
      sent.filter((command) => command.input.includes(`"${db.tables.holdings}"`)).map((command) => command.name),
    ).toEqual(['Query', 'Query']);
    // And the figures follow the price: u1 holds 3 ETH at 2,100 + 200 USDC.
    expect((await service.getLiveView('u1')).totalValueUsd).toBe('6500');
  });

  it("checks each user's alerts after the sync in 6 more requests (reads only, once the episodes are open)", async () => {
    // A user synced for a day has a point 24 h back: the 24 h change reads its baseline there (one Query).
    const snapshots = createSnapshotStore(db.doc, db.tables.snapshots);
    for (const userId of ['u1', 'u2']) {
      const point = (await snapshots.latestSnapshotAtOrBefore(userId, '10m', WARM_CYCLE))!;
      const dayBack = '2036-11-23T10:10:00.000Z';
      await snapshots.putSnapshot(userId, { ...point, slot: dayBack, takenAt: dayBack });
    }
    const outbox: Notification[] = [];
    const evaluator = createAlertEvaluator({
      portfolio: service,
      settings: createSettingsStore(db.doc, db.tables.sessions),
      alerts: createAlertStore(db.doc, db.tables.sessions),
      outbox: { send: async (notifications) => void outbox.push(...notifications) },
      now: () => clock,
    });
    const alerts: AlertEvaluator = {
      evaluate: (userId, known) => inAlertCheck.run(true, () => evaluator.evaluate(userId, known)),
    };
    // A first check opens the episodes (a 97 % ETH position is concentrated) and sends them.
    holdEthAndUsdc('2050');
    clock = new Date('2036-11-24T10:05:30.000Z');
    expect(await runCycle('2036-11-24T10:05:00.000Z', 2, ['u1', 'u2'], alerts)).toEqual({ batchItemFailures: [] });
    expect(outbox.length).toBeGreaterThan(0);

    holdEthAndUsdc('2100');
    clock = new Date('2036-11-24T10:10:30.000Z');
    expect(await runCycle(CYCLE, 3, ['u1', 'u2'], alerts)).toEqual({ batchItemFailures: [] });

    const inPhase = (phase: string) => sent.filter((command) => command.phase === phase).map((command) => command.name);
    // The sync is unchanged: 8 requests a user (as above).
    expect(inPhase('sync')).toHaveLength(16);
    // Per user, the live view as /portfolio builds it: wallets (Query of the user's partition), holdings (Query),
    // the slot prices (BatchGetItem), the point 24 h back (Query); the alert states (one Query of the `alert`
    // prefix) and the user's settings (GetItem). The target came with the sync's read of the user's partition.
    // Nothing is written: the open episodes stay open.
    expect(inPhase('alerts').sort()).toEqual(
      [...Array(2).fill(['BatchGetItem', 'GetItem', 'Query', 'Query', 'Query', 'Query']).flat()].sort(),
    );
  });

  it('reads the held value (one batched price read) only when a chain did not answer', async () => {
    market.failingChains.add('1');
    clock = new Date('2036-11-24T10:10:30.000Z');

    const response = await runCycle(CYCLE, 3, ['u1']);

    expect(response.batchItemFailures).toHaveLength(1);
    // ETH and USDC of both wallets were priced at the warm slot to know what the failed chain held.
    expect(sent.filter((command) => command.name === 'BatchGetItem' && command.input.includes('"price#'))).toHaveLength(
      1,
    );
    // The holdings are kept, stale, at the prices they had: 3 ETH x 2,000 + 200 USDC.
    const view = await service.getLiveView('u1');
    expect(view.totalValueUsd).toBe('6200');
    expect(view.staleWallets).toBe(2);
  });
});
