import { describe, expect, it } from 'vitest';
import type { Wallet } from '../../../shared/kernel/types';
import { priceHoldings, pricedSlotOf } from '../../../shared/sync/holding-prices';
import type { StoredHolding } from '../../../shared/sync/holdings-store';
import { slotPriceKey, type SlotPriceRef } from '../../../shared/sync/price-store';

const wallet = (walletId: string, extra: Partial<Wallet> = {}): Wallet => ({
  userId: 'u1',
  walletId,
  address: `0x${walletId}`,
  family: 'evm',
  chains: ['1'],
  addedAt: '2036-11-01T00:00:00.000Z',
  ...extra,
});

const holding = (walletId: string, tokenAddress: string, extra: Partial<StoredHolding> = {}): StoredHolding => ({
  userId: 'u1',
  walletId,
  walletAddress: `0x${walletId}`,
  chainIndex: '1',
  tokenAddress,
  symbol: 'TKN',
  balance: '2',
  isRiskToken: false,
  assetId: `1:${tokenAddress}`,
  sector: 'other',
  ...extra,
});

/** A price store holding these slot prices; records every batch of refs asked for. */
function fakePrices(recorded: [SlotPriceRef, string][]) {
  const asked: SlotPriceRef[][] = [];
  return {
    asked,
    async getPrices(refs: readonly SlotPriceRef[]) {
      asked.push([...refs]);
      const all = new Map(recorded.map(([ref, price]) => [slotPriceKey(ref), price]));
      return new Map(
        refs.flatMap((ref) =>
          all.has(slotPriceKey(ref)) ? [[slotPriceKey(ref), all.get(slotPriceKey(ref))!] as const] : [],
        ),
      );
    },
  };
}

describe('holding prices', () => {
  it('names the slot of the last sync, or the later slot a sync priced the wallet in without marking it', () => {
    expect(pricedSlotOf({ lastSyncedAt: '2036-11-24T10:03:20.000Z' })).toBe('2036-11-24T10:00:00.000Z');
    expect(pricedSlotOf({ lastSyncedAt: '2036-11-24T10:03:20.000Z', pricedSlot: '2036-11-24T10:20:00.000Z' })).toBe(
      '2036-11-24T10:20:00.000Z',
    );
    expect(pricedSlotOf({ lastSyncedAt: '2036-11-24T10:33:20.000Z', pricedSlot: '2036-11-24T10:20:00.000Z' })).toBe(
      '2036-11-24T10:30:00.000Z',
    );
    expect(pricedSlotOf({ pricedSlot: '2036-11-24T10:20:00.000Z' })).toBe('2036-11-24T10:20:00.000Z');
    expect(pricedSlotOf({})).toBeUndefined();
  });

  it('values fresh holdings at their wallet slot price in one read, keeps a stale one at its own price, and leaves the rest unpriced', async () => {
    const prices = fakePrices([
      [{ chainIndex: '1', tokenAddress: '0xa', slot: '2036-11-24T10:00:00.000Z' }, '3.25'],
      [{ chainIndex: '1', tokenAddress: '0xa', slot: '2036-11-24T10:10:00.000Z' }, '9'],
    ]);
    const wallets = [wallet('w1', { lastSyncedAt: '2036-11-24T10:01:00.000Z' }), wallet('w2')];
    const holdings = [
      // A legacy item's own price on a fresh holding is not believed: the slot price is.
      holding('w1', '0xa', { priceUsd: '1' }),
      holding('w1', '0xb'),
      holding('w1', '0xc', { staleSince: '2036-11-24T09:50:00.000Z', priceUsd: '7.5' }),
      holding('w2', '0xa'),
      holding('gone', '0xa'),
    ];

    const priced = await priceHoldings(prices, holdings, wallets);

    expect(priced.map((item) => item.priceUsd)).toEqual(['3.25', undefined, '7.5', undefined, undefined]);
    expect(prices.asked).toEqual([
      [
        { chainIndex: '1', tokenAddress: '0xa', slot: '2036-11-24T10:00:00.000Z' },
        { chainIndex: '1', tokenAddress: '0xb', slot: '2036-11-24T10:00:00.000Z' },
      ],
    ]);
  });

  it('reads nothing when every holding is stale', async () => {
    const prices = fakePrices([]);

    const priced = await priceHoldings(
      prices,
      [holding('w1', '0xa', { staleSince: '2036-11-24T09:50:00.000Z', priceUsd: '2' })],
      [wallet('w1', { lastSyncedAt: '2036-11-24T10:01:00.000Z' })],
    );

    expect(priced[0]?.priceUsd).toBe('2');
    expect(prices.asked).toEqual([]);
  });
});
