import type { Holding } from '../../../shared/kernel/types';

export const ARB = '42161';
export const BASE = '8453';
export const ETHEREUM = '1';
export const WBTC_ARB = '0x2f2a2543b76a4166549f7aab2e75bef0aefc5b0f';
export const USDC_ARB = '0xaf88d065e77c8cc2239327c5edb3a432268e5831';
export const USDC_BASE = '0x833589fcd6edb6e08f4c7c32d4f71b54bda02913';
export const ARB_TOKEN = '0x912ce59144191c1204e64559fe8253a0e49e6548';

type Required = Pick<Holding, 'assetId' | 'symbol' | 'chainIndex' | 'tokenAddress' | 'balance'>;

/** A synced holding with sensible defaults: priced, not risky, one wallet per chain. */
export function holdingOf(fields: Required & Partial<Holding>): Holding {
  return {
    userId: 'u1',
    walletId: `w-${fields.chainIndex}`,
    walletAddress: '0x1111111111111111111111111111111111111111',
    isRiskToken: false,
    sector: 'other',
    syncedAt: '2026-03-18T10:00:00.000Z',
    ...fields,
  };
}

export const eth = (chainIndex: string, balance: string, priceUsd = '3000') =>
  holdingOf({ assetId: 'eth', symbol: 'ETH', chainIndex, tokenAddress: '', balance, priceUsd, decimals: 18 });
export const wbtc = (balance: string, priceUsd = '60000') =>
  holdingOf({
    assetId: 'btc',
    symbol: 'WBTC',
    chainIndex: ARB,
    tokenAddress: WBTC_ARB,
    balance,
    priceUsd,
    decimals: 8,
  });
export const usdc = (chainIndex: string, balance: string) =>
  holdingOf({
    assetId: 'usdc',
    symbol: 'USDC',
    chainIndex,
    tokenAddress: chainIndex === BASE ? USDC_BASE : USDC_ARB,
    balance,
    priceUsd: '1',
    decimals: 6,
  });

/** finance-methods §5.5: ETH 2 on Ethereum + 1 on Arbitrum, 0.15 WBTC and 1,500 USDC on Arbitrum, 500 USDC on Base. */
export const workedHoldings: Holding[] = [
  eth(ETHEREUM, '2'),
  eth(ARB, '1'),
  wbtc('0.15'),
  usdc(ARB, '1500'),
  usdc(BASE, '500'),
];
export const workedTarget = { eth: '50', btc: '30', usdc: '20' };
