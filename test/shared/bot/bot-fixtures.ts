import { TelegramError } from 'telegraf';
import type { BotDeps } from '../../../shared/bot/bot-deps';
import type { WalletSummary } from '../../../shared/wallets/wallets-port';
import { InvalidAddressError, InvalidTargetError, WalletNotFoundError } from '../../../shared/kernel/errors';
import type { PortfolioView, TargetAllocation } from '../../../shared/kernel/types';
import { createFakeRebalanceMarket, suggestedPlan } from '../rebalance/rebalance-service-fixtures';
import { createFakePortfolio, view, type FakePortfolio } from '../portfolio/portfolio-fixtures';

export const NOW = new Date('2026-03-18T10:00:00.000Z');

export function wallet(walletId: string, overrides: Partial<WalletSummary> = {}): WalletSummary {
  return {
    userId: '7',
    walletId,
    address: `0x${walletId.padEnd(40, 'a')}`,
    family: 'evm',
    chains: ['1', '42161'],
    addedAt: '2026-01-01T00:00:00.000Z',
    lastSyncedAt: '2026-03-18T09:57:00.000Z',
    valueUsd: '1234.5',
    ...overrides,
  };
}

export interface FullFakePortfolio extends FakePortfolio {
  wallets: Map<string, WalletSummary[]>;
  snapshot: PortfolioView;
  /** When set, every call throws it (e.g. a DynamoDB throttle). */
  failWith?: Error;
}

/** The port with every method working in memory, so the whole bot can be driven. */
export function createFullFakePortfolio(): FullFakePortfolio {
  const fake = createFakePortfolio(suggestedPlan()) as FullFakePortfolio;
  fake.wallets = new Map([
    [
      '7',
      [
        wallet('w1', { label: 'Main' }),
        wallet('w2', { staleSince: '2026-03-18T08:00:00.000Z', lastSyncedAt: undefined }),
      ],
    ],
  ]);
  fake.snapshot = {
    ...view,
    chains: [
      { chainIndex: '1', valueUsd: '9549.38', share: '0.85' },
      { chainIndex: '42161', valueUsd: '1685.19', share: '0.15' },
    ],
    change24h: {
      absoluteUsd: '123.4',
      relative: '0.011',
      since: '2026-03-17T10:00:00.000Z',
      coveredValueUsd: '11234.57',
      totalValueUsd: '11234.57',
    },
    asOf: '2026-03-18T09:57:00.000Z',
  };
  const guard = () => {
    if (fake.failWith) throw fake.failWith;
  };
  fake.addWallet = async (userId, address, chains) => {
    fake.calls.push(`addWallet:${userId}:${address}:${chains?.join(',') ?? '-'}`);
    guard();
    if (!address.startsWith('0x'))
      throw new InvalidAddressError(address, 'this is not an EVM (0x…) or Solana address <check it>');
    return wallet('w9', { userId, address, chains: chains ?? ['1'] });
  };
  fake.listWallets = async (userId) => {
    guard();
    return fake.wallets.get(userId) ?? [];
  };
  fake.removeWallet = async (userId, walletId) => {
    fake.calls.push(`removeWallet:${userId}:${walletId}`);
    const list = fake.wallets.get(userId) ?? [];
    if (!list.some((item) => item.walletId === walletId)) throw new WalletNotFoundError(walletId);
    fake.wallets.set(
      userId,
      list.filter((item) => item.walletId !== walletId),
    );
  };
  fake.syncBalances = async (userId, options) => {
    fake.calls.push(`sync:${userId}${options?.fresh ? ':fresh' : ''}`);
    return { userId, syncedAt: NOW.toISOString(), walletsSynced: 2, failures: [], itemsWritten: 3, okxRequests: 2 };
  };
  fake.getLiveView = async () => {
    guard();
    return fake.snapshot;
  };
  fake.setTargetAllocation = async (userId, target: TargetAllocation) => {
    fake.calls.push(`setTarget:${userId}:${JSON.stringify(target)}`);
    const sum = Object.values(target).reduce((total, value) => total + Number(value), 0);
    if (sum !== 100) throw new InvalidTargetError(`the percentages add up to ${sum}, not 100`, String(sum));
    fake.target = target;
    return target;
  };
  return fake;
}

export function createDeps(overrides: Partial<BotDeps> = {}): BotDeps & { portfolio: FullFakePortfolio } {
  return {
    portfolio: createFullFakePortfolio(),
    market: createFakeRebalanceMarket(),
    now: () => NOW,
    dryRun: true,
    ...overrides,
  } as BotDeps & { portfolio: FullFakePortfolio };
}

export function telegramError(code: number, description: string, parameters?: { retry_after?: number }): TelegramError {
  return new TelegramError({ error_code: code, description, ...(parameters ? { parameters } : {}) });
}

export function awsError(name: string): Error {
  return Object.assign(new Error(`${name}: simulated`), { name });
}

export { createMemoryLogger } from '../../support/memory-logger';
