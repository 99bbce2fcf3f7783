import type { BalanceCacheStore } from '../adapters/dynamo/balance-cache-store';
import type { HoldingsStore, StoredHolding } from '../adapters/dynamo/holdings-store';
import type { PortfolioStore } from '../adapters/dynamo/portfolio-store';
import type { PriceStore } from '../adapters/dynamo/price-store';
import type { SnapshotStore } from '../adapters/dynamo/snapshot-store';
import { identifyAsset } from '../domain/asset-registry';
import { toDecimal, toRawUnits } from '../domain/decimal';
import type { MarketDataPort, TokenBalance } from '../domain/ports/market-data-port';
import type { SyncResult } from '../domain/ports/portfolio-service-port';
import { buildSnapshotPoint } from '../domain/valuation';
import type { Wallet } from '../domain/types';
import { backfillHistory } from './backfill-history';
import { slotOf } from './slots';

export interface SyncDeps {
  readonly portfolios: PortfolioStore;
  readonly holdings: HoldingsStore;
  readonly prices: PriceStore;
  readonly snapshots: SnapshotStore;
  readonly balanceCache: BalanceCacheStore;
  readonly market: MarketDataPort;
  readonly now: () => Date;
  /**
   * Balance fetches under way in this container, by address + slot + chains: two users who share an
   * address and sync at the same moment make one OKX call (the slot cache only helps the later one).
   */
  readonly inflight?: Map<string, Promise<WalletFetch>>;
}

export interface WalletFetch {
  readonly wallet: Wallet;
  readonly balances: readonly TokenBalance[];
  readonly answeredChains: readonly string[];
  readonly failures: { chainIndex?: string; error: string }[];
  readonly requests: number;
}

/**
 * Syncs one user: one balance call per distinct address (shared across users through the slot cache),
 * holdings replaced per wallet for the chains that answered, failed chains kept and marked stale,
 * one snapshot per 10-minute slot.
 */
export async function syncUserBalances(deps: SyncDeps, userId: string): Promise<SyncResult> {
  const now = deps.now();
  const at = now.toISOString();
  const slot = slotOf(now);
  const wallets = await deps.portfolios.listWallets(userId);
  if (wallets.length === 0) return { userId, syncedAt: at, walletsSynced: 0, failures: [], itemsWritten: 0, okxRequests: 0 };

  const existing = await deps.holdings.listHoldings(userId);
  const fetches = await Promise.all(wallets.map((wallet) => fetchShared(deps, wallet, slot)));
  let itemsWritten = 0;
  for (const fetched of fetches) {
    // One item per wallet x chain x token: a token OKX lists twice is kept once (the last row wins).
    const unique = new Map(fetched.balances.map((balance) => [`${balance.chainIndex}#${balance.tokenAddress}`, balance]));
    const fresh = [...unique.values()].map((balance) => toStoredHolding(userId, fetched.wallet, balance, existing));
    itemsWritten += await deps.holdings.replaceWalletHoldings(
      {
        userId,
        walletId: fetched.wallet.walletId,
        answeredChains: fetched.answeredChains,
        failedChains: fetched.wallet.chains.filter((chain) => !fetched.answeredChains.includes(chain)),
        holdings: fresh,
        at,
      },
      existing,
    );
  }

  const current = await deps.holdings.listHoldings(userId);
  const failures = fetches.flatMap((fetched) => fetched.failures.map((failure) => ({ walletId: fetched.wallet.walletId, ...failure })));
  const point = buildSnapshotPoint(current, slot, at, failures.length > 0);
  const isNewSlot = await deps.snapshots.putSnapshot(userId, point);
  if (isNewSlot) {
    itemsWritten += 1;
    const priced = current.filter((holding) => holding.priceUsd !== undefined && !holding.staleSince);
    itemsWritten += await deps.prices.putPrices(slot, priced.map((holding) => ({ chainIndex: holding.chainIndex, tokenAddress: holding.tokenAddress, priceUsd: holding.priceUsd! })), 'sync');
  }
  // The very first complete sync of a user gets a chart from OKX candles (see backfill-history).
  const isFirstSync = wallets.every((wallet) => !wallet.lastSyncedAt);
  const backfill = isNewSlot && isFirstSync && failures.length === 0 ? await backfillHistory(deps, userId, current, slot) : undefined;
  itemsWritten += backfill?.written ?? 0;
  const synced = fetches.filter((fetched) => fetched.answeredChains.length > 0).map((fetched) => fetched.wallet.walletId);
  // A user none of whose wallets answered keeps its old sync time, so it stays first in the due index.
  if (synced.length > 0) await deps.portfolios.markSynced(userId, synced, at);
  return {
    userId,
    syncedAt: at,
    walletsSynced: synced.length,
    failures,
    itemsWritten,
    snapshotSlot: isNewSlot ? slot : undefined,
    okxRequests: fetches.reduce((sum, fetched) => sum + fetched.requests, backfill?.requests ?? 0),
  };
}

async function fetchShared(deps: SyncDeps, wallet: Wallet, slot: string): Promise<WalletFetch> {
  if (!deps.inflight) return fetchWallet(deps, wallet, slot);
  const key = `${wallet.address}#${slot}#${[...wallet.chains].sort().join(',')}`;
  const running = deps.inflight.get(key);
  if (running) return { ...(await running), wallet, requests: 0 };
  const fetching = fetchWallet(deps, wallet, slot).finally(() => deps.inflight!.delete(key));
  deps.inflight.set(key, fetching);
  return fetching;
}

async function fetchWallet(deps: SyncDeps, wallet: Wallet, slot: string): Promise<WalletFetch> {
  const cached = await deps.balanceCache.get(wallet.address, slot);
  if (cached && wallet.chains.every((chain) => cached.chains.includes(chain))) {
    const balances = cached.balances.filter((balance) => wallet.chains.includes(balance.chainIndex));
    return { wallet, balances, answeredChains: wallet.chains, failures: [], requests: 0 };
  }
  const requests = Math.ceil(wallet.chains.length / 50);
  try {
    const result = await deps.market.getTokenBalances(wallet.address, [...wallet.chains], { includeRiskTokens: true });
    const failed = new Set(result.failedChains.map((failure) => failure.chainIndex));
    const answeredChains = wallet.chains.filter((chain) => !failed.has(chain));
    if (failed.size === 0) await deps.balanceCache.put(wallet.address, slot, { chains: wallet.chains, balances: result.balances });
    return { wallet, balances: result.balances, answeredChains, failures: result.failedChains.map((failure) => ({ ...failure })), requests };
  } catch (error) {
    return { wallet, balances: [], answeredChains: [], failures: [{ error: (error as Error).message }], requests };
  }
}

function toStoredHolding(userId: string, wallet: Wallet, balance: TokenBalance, existing: readonly StoredHolding[]): StoredHolding {
  const asset = identifyAsset({ chainIndex: balance.chainIndex, tokenAddress: balance.tokenAddress }, balance.symbol);
  const previous = existing.find(
    (holding) => holding.walletId === wallet.walletId && holding.chainIndex === balance.chainIndex && holding.tokenAddress === balance.tokenAddress,
  );
  const decimals = asset.decimals ?? decimalsFrom(balance) ?? previous?.decimals;
  const rawBalance = balance.rawBalance || (decimals === undefined ? undefined : toRawUnits(balance.balance, decimals));
  return {
    userId,
    walletId: wallet.walletId,
    walletAddress: wallet.address,
    chainIndex: balance.chainIndex,
    tokenAddress: balance.tokenAddress,
    symbol: balance.symbol,
    decimals,
    rawBalance,
    balance: toDecimal(balance.balance).toString(),
    priceUsd: balance.priceUsd,
    isRiskToken: balance.isRiskToken,
    assetId: asset.assetId,
    sector: asset.sector,
  };
}

/** OKX gives raw and UI balances for some tokens: their ratio is an exact power of ten. */
function decimalsFrom(balance: TokenBalance): number | undefined {
  if (!balance.rawBalance || !/^[1-9]\d*$/.test(balance.rawBalance)) return undefined;
  const ui = toDecimal(balance.balance);
  for (let decimals = 0; decimals <= 36; decimals += 1) {
    if (toRawUnits(ui, decimals) === balance.rawBalance && ui.times(toDecimal(`1e${decimals}`)).eq(toDecimal(balance.rawBalance))) return decimals;
  }
  return undefined;
}
