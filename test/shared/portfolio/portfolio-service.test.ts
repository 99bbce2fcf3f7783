import { beforeEach, describe, expect, it } from 'vitest';
import { createBalanceCacheStore, createPriceStore } from '../../../shared/sync/price-store';
import { createHoldingsStore } from '../../../shared/sync/holdings-store';
import {
  createPortfolioStore,
  WalletWriteConflictError,
  type PortfolioStore,
} from '../../../shared/wallets/portfolio-store';
import { createSnapshotStore } from '../../../shared/sync/snapshot-store';
import {
  DuplicateWalletError,
  InvalidAddressError,
  NoHoldingsError,
  NoTargetError,
  UnsupportedChainError,
  WalletLimitError,
  WalletListBusyError,
  WalletNotFoundError,
} from '../../../shared/kernel/errors';
import { toDecimal } from '../../../shared/kernel/decimal';
import type { PortfolioServicePort } from '../../../shared/portfolio/portfolio-service-port';
import { createPortfolioService } from '../../../shared/portfolio/portfolio-service';
import { createTestDynamo } from '../../support/dynamo';
import { balance, createFakeMarket, type FakeMarket } from '../../support/fake-market';

const ALICE = '0x1111111111111111111111111111111111111111';
const BOB = '0x2222222222222222222222222222222222222222';
const USDC_ETH = '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48';
const USDC_ARB = '0xaf88d065e77c8cc2239327c5edb3a432268e5831';

let market: FakeMarket;
let service: PortfolioServicePort;
let snapshots: ReturnType<typeof createSnapshotStore>;
let portfolios: PortfolioStore;
let clock: Date;
let sent: { name: string; input: Record<string, unknown> }[];

beforeEach(async () => {
  const db = await createTestDynamo();
  sent = [];
  db.doc.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push({
        name: String(context.commandName).replace(/Command$/, ''),
        input: args.input as Record<string, unknown>,
      });
      return next(args);
    },
    { step: 'initialize', name: 'recordCommands' },
  );
  market = createFakeMarket();
  clock = new Date('2036-11-24T10:01:00.000Z');
  snapshots = createSnapshotStore(db.doc, db.tables.snapshots);
  service = createPortfolioService({
    portfolios: (portfolios = createPortfolioStore(db.doc, db.tables.portfolios)),
    holdings: createHoldingsStore(db.doc, db.tables.holdings),
    prices: createPriceStore(db.doc, db.tables.prices),
    snapshots,
    balanceCache: createBalanceCacheStore(db.doc, db.tables.prices),
    market,
    now: () => clock,
    maxWallets: 2,
  });
});

const at = (iso: string) => {
  clock = new Date(iso);
};

function aliceHolds(eth: string, ethPrice: string, usdcEth = '500', usdcArb = '250') {
  market.balances.set(ALICE, [
    balance(ALICE, '1', '', 'ETH', eth, ethPrice),
    balance(ALICE, '1', USDC_ETH, 'USDC', usdcEth, '1'),
    balance(ALICE, '42161', USDC_ARB, 'USDC', usdcArb, '1'),
    balance(ALICE, '1', '0x9999999999999999999999999999999999999999', 'SCAM', '1000000', '0.5', { isRiskToken: true }),
    balance(ALICE, '1', '0x8888888888888888888888888888888888888888', 'NOPRICE', '42'),
  ]);
}

describe('wallets', () => {
  it('normalises an EVM address and tracks every EVM chain by default', async () => {
    const wallet = await service.addWallet('u1', ALICE.toUpperCase().replace('0X', '0x'));

    expect(wallet.address).toBe(ALICE);
    expect(wallet.family).toBe('evm');
    expect(wallet.chains).toContain('1');
    expect(wallet.chains).toContain('42161');
    expect(wallet.chains).not.toContain('501');
  });

  it('rejects invalid addresses, duplicates, unsupported chains and too many wallets with named errors', async () => {
    await expect(service.addWallet('u1', '0x123')).rejects.toBeInstanceOf(InvalidAddressError);
    await expect(service.addWallet('u1', ALICE, ['501'])).rejects.toBeInstanceOf(UnsupportedChainError);
    await service.addWallet('u1', ALICE, ['1']);
    await expect(service.addWallet('u1', ALICE)).rejects.toBeInstanceOf(DuplicateWalletError);
    await service.addWallet('u1', BOB, ['1']);
    await expect(service.addWallet('u1', '0x3333333333333333333333333333333333333333')).rejects.toBeInstanceOf(
      WalletLimitError,
    );
  });

  it('answers a wallet write that kept conflicting after every retry with a precise "busy, nothing saved" error', async () => {
    portfolios.addWallet = () => Promise.reject(new WalletWriteConflictError('concurrent'));
    portfolios.removeWallet = () => Promise.reject(new WalletWriteConflictError('concurrent'));

    await expect(service.addWallet('u1', ALICE)).rejects.toMatchObject({
      kind: 'wallet-list-busy',
      reason: expect.stringContaining('nothing was saved'),
    });
    await expect(service.removeWallet('u1', 'w1')).rejects.toBeInstanceOf(WalletListBusyError);
  });

  it('removes a wallet with its holdings and refuses an unknown wallet id', async () => {
    aliceHolds('1', '2000');
    const wallet = await service.addWallet('u1', ALICE, ['1', '42161']);
    await service.syncBalances('u1');

    await service.removeWallet('u1', wallet.walletId);

    expect((await service.getLiveView('u1')).totalValueUsd).toBe('0');
    await expect(service.removeWallet('u1', wallet.walletId)).rejects.toBeInstanceOf(WalletNotFoundError);
  });

  it('reports a wallet not synced for more than 30 minutes as stale (defect 14: the view gets `now`)', async () => {
    aliceHolds('1', '2000');
    await service.addWallet('u1', ALICE, ['1', '42161']);
    await service.syncBalances('u1');
    // Synced at 10:01; at 10:31 it is exactly 30 min old (not stale), at 10:31:01 it is over 30 min.
    at('2036-11-24T10:31:00.000Z');
    expect((await service.getLiveView('u1')).staleWallets).toBe(0);
    at('2036-11-24T10:31:01.000Z');

    const view = await service.getLiveView('u1');
    const [summary] = await service.listWallets('u1');

    expect(view.staleWallets).toBe(1);
    expect(view.wallets[0]?.staleSince).toBe('2036-11-24T10:01:00.000Z');
    expect(summary?.staleSince).toBe('2036-11-24T10:01:00.000Z');
  });

  it('prices every holding 24 h ago from the snapshot or the recorded slot prices, and says what the change covers (defect 1)', async () => {
    const TOKX = '0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    const TOKY = '0xbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
    aliceHolds('1', '2000', '0', '0');
    market.balances.set(BOB, [balance(BOB, '1', TOKX, 'TOKX', '10', '5')]);
    await service.addWallet('u1', ALICE, ['1', '42161']);
    await service.addWallet('u2', BOB, ['1']);
    await service.syncBalances('u1');
    await service.syncBalances('u2');
    // A day later u1 adds Bob's wallet, which now also holds TOKY, a token nobody held a day ago.
    at('2036-11-25T10:01:00.000Z');
    aliceHolds('1', '2100', '0', '0');
    market.balances.set(BOB, [balance(BOB, '1', TOKX, 'TOKX', '10', '6'), balance(BOB, '1', TOKY, 'TOKY', '3', '7')]);
    await service.addWallet('u1', BOB, ['1']);
    await service.syncBalances('u1');

    const change = (await service.getLiveView('u1')).change24h;

    // ETH 1 × (2100 − 2000) = 100 from u1's snapshot; TOKX 10 × (6 − 5) = 10 from the slot price u2's sync recorded.
    // Base 1 × 2000 + 10 × 5 = 2050. TOKY (3 × 7 = 21) has no price then: covered 2100 + 60 = 2160 of 2181.
    expect(change).toMatchObject({
      absoluteUsd: '110',
      relative: toDecimal('110').div('2050').toString(),
      coveredValueUsd: '2160',
      totalValueUsd: '2181',
    });
  });

  it('lists wallets with their value', async () => {
    aliceHolds('1', '2000');
    await service.addWallet('u1', ALICE, ['1', '42161']);
    await service.syncBalances('u1');

    const [summary] = await service.listWallets('u1');

    expect(summary!.valueUsd).toBe('2750');
    expect(summary!.lastSyncedAt).toBe('2036-11-24T10:01:00.000Z');
  });
});

describe('syncBalances and getLiveView', () => {
  it('values holdings exactly, aggregates USDC across chains, hides risk tokens and never values unpriced tokens at 0', async () => {
    aliceHolds('1.5', '3120.55');
    await service.addWallet('u1', ALICE, ['1', '42161']);

    const result = await service.syncBalances('u1');
    const view = await service.getLiveView('u1');

    expect(result.walletsSynced).toBe(1);
    expect(result.failures).toEqual([]);
    expect(result.snapshotSlot).toBe('2036-11-24T10:00:00.000Z');
    expect(view.totalValueUsd).toBe('5430.825');
    const usdc = view.assets.find((asset) => asset.assetId === 'usdc');
    expect(usdc?.quantity).toBe('750');
    expect(usdc?.chains).toEqual(expect.arrayContaining(['1', '42161']));
    expect(view.hiddenRiskTokens).toBe(1);
    expect(view.unpricedTokens).toBe(1);
    expect(view.assets.find((asset) => asset.symbol === 'NOPRICE')?.valueUsd).toBeUndefined();
    expect(view.asOf).toBe('2036-11-24T10:01:00.000Z');
  });

  it('writes nothing new when the same data is synced twice in one slot', async () => {
    aliceHolds('1', '2000');
    await service.addWallet('u1', ALICE, ['1', '42161']);
    const first = await service.syncBalances('u1');
    at('2036-11-24T10:05:00.000Z');

    const second = await service.syncBalances('u1');

    expect(first.itemsWritten).toBeGreaterThan(0);
    expect(second.itemsWritten).toBe(0);
    expect(second.snapshotSlot).toBeUndefined();
    expect(
      await snapshots.listSnapshots('u1', '10m', '2036-11-24T00:00:00.000Z', '2036-11-24T23:59:59.999Z'),
    ).toHaveLength(1);
  });

  it('fetches an address tracked by two users once per slot', async () => {
    aliceHolds('1', '2000');
    await service.addWallet('u1', ALICE, ['1', '42161']);
    await service.addWallet('u2', ALICE, ['1', '42161']);

    await service.syncBalances('u1');
    await service.syncBalances('u2');

    expect(market.calls.filter((call) => call === `balances:${ALICE}`)).toHaveLength(1);
    expect((await service.getLiveView('u2')).totalValueUsd).toBe('2750');
  });

  it('keeps the last good holdings of a failed chain, marks them stale and syncs the rest', async () => {
    aliceHolds('1', '2000');
    await service.addWallet('u1', ALICE, ['1', '42161']);
    await service.syncBalances('u1');
    at('2036-11-24T10:11:00.000Z');
    aliceHolds('1', '2100', '500', '999');
    market.failingChains.add('42161');

    const result = await service.syncBalances('u1');
    const view = await service.getLiveView('u1');

    expect(result.failures).toEqual([expect.objectContaining({ chainIndex: '42161' })]);
    expect(view.totalValueUsd).toBe('2850');
    expect(view.staleWallets).toBe(1);
    expect(view.wallets[0]!.staleSince).toBe('2036-11-24T10:11:00.000Z');
  });

  it('makes one OKX call when two users sharing an address sync at the same moment', async () => {
    aliceHolds('1', '2000');
    await service.addWallet('u1', ALICE, ['1', '42161']);
    await service.addWallet('u2', ALICE, ['1', '42161']);
    market.balanceDelayMs = 300;

    const [first, second] = await Promise.all([service.syncBalances('u1'), service.syncBalances('u2')]);

    expect(market.calls.filter((call) => call === `balances:${ALICE}`)).toHaveLength(1);
    expect(first.okxRequests + second.okxRequests).toBeGreaterThan(0);
    expect((await service.getLiveView('u2')).totalValueUsd).toBe('2750');
  });

  it('keeps everything when the whole wallet fails, reports the failure and keeps the user first in line', async () => {
    aliceHolds('1', '2000');
    await service.addWallet('u1', ALICE, ['1', '42161']);
    await service.syncBalances('u1');
    at('2036-11-24T10:21:00.000Z');
    market.failingAddresses.add(ALICE);

    const result = await service.syncBalances('u1');

    expect(result.walletsSynced).toBe(0);
    expect(result.failures).toHaveLength(1);
    expect((await portfolios.getUser('u1'))?.lastSyncedAt).toBe('2036-11-24T10:01:00.000Z');
    expect((await service.getLiveView('u1')).totalValueUsd).toBe('2750');
  });

  it('syncs a two-wallet user with one holdings read, one cache read, one holdings transaction and no re-read', async () => {
    aliceHolds('1', '2000');
    market.balances.set(BOB, [balance(BOB, '1', '', 'ETH', '2', '2000')]);
    await service.addWallet('u1', ALICE, ['1', '42161']);
    await service.addWallet('u1', BOB, ['1']);
    sent.length = 0;

    await service.syncBalances('u1');
    const names = sent.map((command) => command.name);

    expect(names.filter((name) => name === 'Query')).toHaveLength(2);
    expect(names.filter((name) => name === 'BatchGetItem')).toHaveLength(1);
    expect(names.filter((name) => name === 'TransactWriteItems')).toHaveLength(1);
    expect(names).not.toContain('GetItem');
    expect((await service.getLiveView('u1')).totalValueUsd).toBe('6750');
  });

  it('writes a token price once per slot however many users hold the token', async () => {
    aliceHolds('1', '2000');
    market.balances.set(BOB, [balance(BOB, '1', '', 'ETH', '2', '2000')]);
    await service.addWallet('u1', ALICE, ['1', '42161']);
    await service.addWallet('u2', BOB, ['1']);
    const priceWrites = () =>
      sent.filter((command) => command.name === 'BatchWriteItem' && JSON.stringify(command.input).includes('"price#'));

    await service.syncBalances('u1');
    const afterFirst = priceWrites().length;
    const second = await service.syncBalances('u2');

    expect(afterFirst).toBe(1);
    expect(priceWrites()).toHaveLength(1);
    expect(second.snapshotSlot).toBe('2036-11-24T10:00:00.000Z');
    at('2036-11-24T10:11:00.000Z');
    await service.syncBalances('u2');
    expect(priceWrites()).toHaveLength(2);
  });

  it('rewrites no holding when only prices moved, and values the holdings at the new slot prices', async () => {
    aliceHolds('1', '2000');
    await service.addWallet('u1', ALICE, ['1', '42161']);
    await service.syncBalances('u1');
    at('2036-11-24T10:11:00.000Z');
    aliceHolds('1', '2100');
    sent.length = 0;

    const second = await service.syncBalances('u1');

    const holdingWrites = sent.filter(
      (command) => command.name !== 'Query' && JSON.stringify(command.input).includes('"holding#'),
    );
    expect(holdingWrites).toEqual([]);
    // 1 ETH x 2,100 + 500 + 250 USDC. Items: the new slot's snapshot and the slot prices of the four priced tokens
    // (ETH, USDC on 1 and on 42161, the priced risk token); no holding.
    expect((await service.getLiveView('u1')).totalValueUsd).toBe('2850');
    expect(second.itemsWritten).toBe(1 + 4);
  });

  it('values the holdings at the price a Refresh fetched within the same slot', async () => {
    aliceHolds('1', '2000');
    await service.addWallet('u1', ALICE, ['1', '42161']);
    await service.syncBalances('u1');
    at('2036-11-24T10:05:00.000Z');
    aliceHolds('1', '1900');

    const refreshed = await service.syncBalances('u1', { fresh: true });

    // Same slot: no new snapshot, no holding rewritten; only the ETH price that changed is written again.
    expect(refreshed.snapshotSlot).toBeUndefined();
    expect(refreshed.itemsWritten).toBe(1);
    expect((await service.getLiveView('u1')).totalValueUsd).toBe('2650');
  });

  it('returns an empty result for a user without wallets', async () => {
    expect(await service.syncBalances('nobody')).toMatchObject({ walletsSynced: 0, itemsWritten: 0, okxRequests: 0 });
  });
});

describe('performance', () => {
  it('separates a deposit from the price gain', async () => {
    aliceHolds('1', '2000', '0', '0');
    await service.addWallet('u1', ALICE, ['1', '42161']);
    at('2036-11-24T10:01:00.000Z');
    await service.syncBalances('u1');
    at('2036-11-24T10:11:00.000Z');
    aliceHolds('2', '2200', '0', '0');
    await service.syncBalances('u1');

    const report = await service.getPerformance('u1', '24h');

    expect(report.endValueUsd).toBe('4400');
    expect(report.netFlowsUsd).toBe('2200');
    expect(report.pnlUsd.value).toBe('200');
    expect(report.twr?.value).toBe('0.1');
  });

  it('ends every window at the /portfolio total, and a removed wallet is a tracking change at once', async () => {
    aliceHolds('1', '2000', '0', '0');
    market.balances.set(BOB, [balance(BOB, '1', '', 'ETH', '0.5', '2000')]);
    await service.addWallet('u1', ALICE, ['1', '42161']);
    const bob = await service.addWallet('u1', BOB, ['1']);
    await service.syncBalances('u1');
    at('2036-11-24T10:11:00.000Z');
    aliceHolds('1', '2100', '0', '0');
    market.balances.set(BOB, [balance(BOB, '1', '', 'ETH', '0.5', '2100')]);
    await service.syncBalances('u1');
    at('2036-11-24T10:15:00.000Z');
    await service.removeWallet('u1', bob.walletId);

    const total = (await service.getLiveView('u1')).totalValueUsd;
    const reports = await Promise.all(
      (['24h', '7d', '30d'] as const).map((window) => service.getPerformance('u1', window)),
    );

    // After the removal /portfolio shows Alice only: 1 ETH × 2100 = 2100.
    expect(total).toBe('2100');
    for (const report of reports) {
      expect(report.endValueUsd).toBe('2100');
      expect(report.series.at(-1)?.valueUsd).toBe('2100');
      // Bob's 0.5 × 2100 = 1050 left as a tracking change, not a withdrawal: P&L = 2100 − 3000 − 0 − (0 − 1050) = 150
      // (= 1.5 ETH × +100), simple ROI = 150 / 3000 = 0.05.
      expect(report).toMatchObject({ netFlowsUsd: '0', walletsRemovedUsd: '1050' });
      expect(report.pnlUsd.value).toBe('150');
      expect(report.simpleRoi?.value).toBe('0.05');
    }
  });

  it('records which wallets each snapshot tracked', async () => {
    aliceHolds('1', '2000', '0', '0');
    const wallet = await service.addWallet('u1', ALICE, ['1', '42161']);
    await service.syncBalances('u1');

    const [point] = await snapshots.listSnapshots('u1', '10m', '2036-11-24T10:00:00.000Z', '2036-11-24T10:00:00.000Z');

    expect(point?.walletIds).toEqual([wallet.walletId]);
  });
});

describe('history back-fill', () => {
  it('charts a new portfolio from OKX closes once, on the first sync only', async () => {
    aliceHolds('2', '2000', '0', '0');
    market.candles.set('1:', [
      { time: '2036-11-24T09:00:00.000Z', open: '1900', high: '1950', low: '1890', close: '1950', isClosed: true },
      { time: '2036-11-24T08:00:00.000Z', open: '1800', high: '1900', low: '1800', close: '1900', isClosed: true },
    ]);
    await service.addWallet('u1', ALICE, ['1', '42161']);

    const first = await service.syncBalances('u1');
    at('2036-11-24T10:11:00.000Z');
    await service.syncBalances('u1');
    const report = await service.getPerformance('u1', '24h');

    expect(first.okxRequests).toBeGreaterThan(1);
    expect(market.calls.filter((call) => call.startsWith('candles:'))).toHaveLength(2);
    // The 08:00 candle closes at 09:00: estimate 2 × 1900 = 3800 (the 09:00 candle closes at the first slot, so real history wins);
    // then the 10:00 and 10:10 slots and the live total at 10:11, each 2 × 2000 = 4000.
    expect(report.series.map((point) => [point.valueUsd, point.estimated === true])).toEqual([
      ['3800', true],
      ['4000', false],
      ['4000', false],
      ['4000', false],
    ]);
  });
});

describe('targets and rebalancing', () => {
  it('asks for a target first, then for holdings', async () => {
    await expect(service.suggestRebalance('u1')).rejects.toBeInstanceOf(NoTargetError);
    await expect(service.suggestRebalance('u1', { eth: '50', usdc: '50' })).rejects.toBeInstanceOf(NoHoldingsError);
  });

  it('stores a validated target and suggests same-chain legs towards it', async () => {
    aliceHolds('1', '2000', '6000', '0');
    // OKX listing a token twice must not break the atomic wallet write.
    market.balances.get(ALICE)!.push(balance(ALICE, '1', USDC_ETH, 'USDC', '6000', '1'));
    market.decimals.set(`1:${USDC_ETH}`, 6);
    await service.addWallet('u1', ALICE, ['1']);
    await service.syncBalances('u1');

    const target = await service.setTargetAllocation('u1', { ETH: '50', USDC: '50' });
    const plan = await service.suggestRebalance('u1');

    expect(target).toEqual({ eth: '50', usdc: '50' });
    expect(await service.getTargetAllocation('u1')).toEqual({ eth: '50', usdc: '50' });
    expect(plan.legs.length).toBeGreaterThan(0);
    expect(plan.legs[0]).toMatchObject({ chainIndex: '1', from: { assetId: 'usdc' }, to: { assetId: 'eth' } });
  });

  it('reports diversification over the priced, visible holdings', async () => {
    aliceHolds('1', '2000');
    await service.addWallet('u1', ALICE, ['1', '42161']);
    await service.syncBalances('u1');

    const report = await service.getDiversification('u1');

    expect(toDecimal(report.top1Share).round(6).toString()).toBe('0.727273');
    expect(report.flags.some((flag) => flag.kind === 'asset-concentration' && flag.subject === 'eth')).toBe(true);
  });
});

describe('portfolio service: one read for a report', () => {
  it('serves the view, the performance and the diversification asked for together from one read of wallets and holdings', async () => {
    aliceHolds('1', '2000');
    await service.addWallet('u1', ALICE);
    await service.syncBalances('u1');
    sent.length = 0;

    const [view, performance] = await Promise.all([
      service.getLiveView('u1'),
      service.getPerformance('u1', '7d'),
      service.getDiversification('u1'),
    ]);

    const queries = (table: string) =>
      sent.filter((command) => command.name === 'Query' && String(command.input.TableName).endsWith(table)).length;
    // One Query of the wallets (portfolios table) and one of the holdings, not three of each.
    expect(queries('holdings')).toBe(1);
    expect(
      sent.filter((command) => command.name === 'Query' && JSON.stringify(command.input).includes('"wallet#"')).length,
    ).toBe(1);
    // 1 ETH × 2,000 + 500 + 250 USDC: both figures from the same read.
    expect(view.totalValueUsd).toBe('2750');
    expect(performance.endValueUsd).toBe('2750');
  });

  it('reads again once the earlier read has finished, so a removal shows at once', async () => {
    aliceHolds('1', '2000');
    const wallet = await service.addWallet('u1', ALICE);
    await service.syncBalances('u1');
    expect((await service.getLiveView('u1')).totalValueUsd).toBe('2750');

    await service.removeWallet('u1', wallet.walletId);

    expect((await service.getLiveView('u1')).totalValueUsd).toBe('0');
  });

  /** Syncs at 17 Nov 10:01 (slot 10:00), 17 Nov 10:11 (slot 10:10) and 23 Nov 10:05 (slot 10:00); the Report runs on 24 Nov 10:05. */
  async function syncAWeek(): Promise<void> {
    aliceHolds('1', '2000');
    await service.addWallet('u1', ALICE);
    for (const time of ['2036-11-17T10:01:00.000Z', '2036-11-17T10:11:00.000Z', '2036-11-23T10:05:00.000Z']) {
      at(time);
      await service.syncBalances('u1');
    }
    at('2036-11-24T10:05:00.000Z');
    sent.length = 0;
  }

  const countQueries = () => ({
    total: sent.length,
    queries: sent.filter((command) => command.name === 'Query').length,
    wallets: sent.filter((command) => JSON.stringify(command.input).includes('"wallet#"')).length,
    holdings: sent.filter((command) => String(command.input.TableName).endsWith('holdings')).length,
    snapshots: sent.filter((command) => String(command.input.TableName).endsWith('snapshots')).length,
    prices: sent.filter(
      (command) => command.name === 'BatchGetItem' && JSON.stringify(command.input).includes('"price#'),
    ).length,
  });

  it('a 7-day Report makes 6 DynamoDB requests: wallets, holdings, their slot prices, two start-value look-ups and one 10-minute read', async () => {
    await syncAWeek();

    const report = await service.getReport('u1', '7d');

    // 7 d runs from 17 Nov 10:05: the 10-minute read [17 Nov 10:05, now] also holds 24 h ago (23 Nov 09:05–11:05), and its
    // first point (10:10) leaves no slot for an hourly rollup to fill, so no hourly list and no baseline read.
    // Start value: the latest complete point at or before 10:05 in the 10-minute and in the hourly points (2 look-ups).
    // Prices live in the price store: one BatchGetItem for the wallet's last synced slot (ETH and USDC).
    expect(countQueries()).toEqual({ total: 6, queries: 5, wallets: 1, holdings: 1, snapshots: 3, prices: 1 });
    // 1 ETH × 2,000 + 500 + 250 USDC throughout: the view, the performance and the 24 h change agree.
    expect(report.view.totalValueUsd).toBe('2750');
    // Every holding priced 24 h ago by the point taken on 23 Nov at 10:05 (so no price look-ups either).
    expect(report.view.change24h).toMatchObject({
      absoluteUsd: '0',
      coveredValueUsd: '2750',
      since: '2036-11-23T10:05:00.000Z',
    });
    expect(report.performance.startValueUsd).toBe('2750');
    expect(report.performance.endValueUsd).toBe('2750');
    expect(report.performance.from).toBe('2036-11-17T10:05:00.000Z');
    expect(report.diversification.top1Share).toBe(toDecimal('2000').div('2750').toString());
  });

  it('a 24-hour Report makes 5: its 10-minute read starts an hour before 24 h ago, so it holds the baselines too', async () => {
    await syncAWeek();

    const report = await service.getReport('u1', '24h');

    // Wallets, holdings, their slot prices, the start-value look-up (10-minute points only) and the 10-minute read from 23 Nov 09:05.
    expect(countQueries()).toEqual({ total: 5, queries: 4, wallets: 1, holdings: 1, snapshots: 2, prices: 1 });
    expect(report.view.change24h).toMatchObject({
      absoluteUsd: '0',
      coveredValueUsd: '2750',
      since: '2036-11-23T10:05:00.000Z',
    });
    expect(report.performance.from).toBe('2036-11-23T10:05:00.000Z');
  });

  it('gives the same figures as the view, performance and diversification asked for one by one', async () => {
    await syncAWeek();
    aliceHolds('1.5', '2100');
    await service.syncBalances('u1');

    const report = await service.getReport('u1', '7d');

    expect(report).toEqual({
      view: await service.getLiveView('u1'),
      performance: await service.getPerformance('u1', '7d'),
      diversification: await service.getDiversification('u1'),
    });
  });
});
