import type { Wallet } from '../kernel/types';
import { slotOf } from '../kernel/slots';
import type { StoredHolding } from './holdings-store';
import { slotPriceKey, type PriceStore } from './price-store';

/**
 * The slot whose recorded prices value a wallet's fresh holdings: the slot of the sync that last wrote
 * them. A sync that marks the wallet synced moves `lastSyncedAt` into it; one that replaced its holdings
 * without marking it (a valued chain failed elsewhere, an empty answer awaits confirmation) sets `pricedSlot`.
 */
export function pricedSlotOf(wallet: Pick<Wallet, 'lastSyncedAt' | 'pricedSlot'>): string | undefined {
  const synced = wallet.lastSyncedAt === undefined ? undefined : slotOf(new Date(wallet.lastSyncedAt));
  if (synced === undefined || wallet.pricedSlot === undefined) return synced ?? wallet.pricedSlot;
  return wallet.pricedSlot > synced ? wallet.pricedSlot : synced;
}

/**
 * Gives each holding its USD price. A holding item carries no price (so a price move rewrites nothing):
 * a fresh holding is valued at its token's price recorded for its wallet's priced slot (one item per token
 * and slot, shared by every user; one batched read), a stale one at the price it kept when its chain failed.
 * A holding without a recorded price stays unpriced, as OKX left it.
 */
export async function priceHoldings(
  prices: Pick<PriceStore, 'getPrices'>,
  holdings: readonly StoredHolding[],
  wallets: readonly Wallet[],
): Promise<StoredHolding[]> {
  const slots = new Map(wallets.map((wallet) => [wallet.walletId, pricedSlotOf(wallet)]));
  const refOf = (holding: StoredHolding) => {
    const slot = holding.staleSince === undefined ? slots.get(holding.walletId) : undefined;
    return slot === undefined
      ? undefined
      : { chainIndex: holding.chainIndex, tokenAddress: holding.tokenAddress, slot };
  };
  const refs = holdings.flatMap((holding) => refOf(holding) ?? []);
  const recorded = refs.length > 0 ? await prices.getPrices(refs) : new Map<string, string>();
  return holdings.map((holding) => {
    if (holding.staleSince !== undefined) return holding;
    const ref = refOf(holding);
    const { priceUsd: _ignored, ...unpriced } = holding;
    const priceUsd = ref === undefined ? undefined : recorded.get(slotPriceKey(ref));
    return priceUsd === undefined ? unpriced : { ...unpriced, priceUsd };
  });
}
