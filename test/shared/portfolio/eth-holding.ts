import type { Holding } from '../../../shared/kernel/types';

export const SYNCED = '2025-01-01T12:00:00.000Z';

/** One priced ETH holding in wallet w1; override any field (valuation and diversification tests). */
export function ethHolding(overrides: Partial<Holding> = {}): Holding {
  return {
    userId: 'u1',
    walletId: 'w1',
    walletAddress: '0xabc',
    chainIndex: '1',
    tokenAddress: '',
    symbol: 'ETH',
    balance: '1',
    priceUsd: '3000',
    isRiskToken: false,
    assetId: 'eth',
    sector: 'l1',
    syncedAt: SYNCED,
    ...overrides,
  };
}
