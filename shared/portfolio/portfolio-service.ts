import { randomBytes } from 'node:crypto';
import type { StoredHolding } from '../sync/holdings-store';
import { WalletWriteConflictError } from '../wallets/portfolio-store';
import { parseWalletAddress } from '../kernel/address';
import { resolveTrackedChains } from '../kernel/chains';
import { analyseDiversification } from '../analytics/diversification';
import {
  DuplicateWalletError,
  NoHoldingsError,
  NoTargetError,
  WalletLimitError,
  WalletListBusyError,
  WalletNotFoundError,
} from '../kernel/errors';
import { computePerformance } from './performance';
import type { PortfolioServicePort } from './portfolio-service-port';
import type { WalletSummary } from '../wallets/wallets-port';
import { planRebalance, validateTargetAllocation } from '../rebalance/rebalance';
import type { Holding, PerformanceWindow, SnapshotPoint, Wallet } from '../kernel/types';
import { buildPortfolioView, buildSnapshotPoint, tokensWithoutPastPrice } from './valuation';
import { readBaselines, readHistory, readRecordedPrices, readReportHistory } from './history';
import { createPriceMemo, priceHoldings } from '../sync/price-store';
import { syncUserBalances, type SyncDeps, type WalletFetch } from '../sync/sync-balances';
import { withDecimals } from './token-decimals';

/** The sync's stores and market port; the container-wide caches (`inflight`, `priceMemo`) are the service's own. */
export interface PortfolioServiceDeps extends Omit<SyncDeps, 'now' | 'inflight' | 'priceMemo'> {
  readonly now?: () => Date;
  readonly maxWallets?: number;
}

export const DEFAULT_MAX_WALLETS = 10;

/** The plan's PortfolioService: domain maths over DynamoDB stores and the OKX market port. */
export function createPortfolioService(deps: PortfolioServiceDeps): PortfolioServicePort {
  const now = deps.now ?? (() => new Date());
  const maxWallets = deps.maxWallets ?? DEFAULT_MAX_WALLETS;
  const inflight = new Map<string, Promise<WalletFetch>>();
  const priceMemo = createPriceMemo();

  // Calls for the same user that run at once (a view and a performance asked for together) share one read of the
  // wallets and holdings while it is under way (a read started after a write always sees it). The Report needs no
  // such luck: getReport reads once by construction.
  const reading = new Map<string, Promise<{ wallets: Wallet[]; holdings: Holding[] }>>();
  const loadHoldings = (userId: string): Promise<{ wallets: Wallet[]; holdings: Holding[] }> => {
    const running = reading.get(userId);
    if (running) return running;
    const read = Promise.all([deps.portfolios.listWallets(userId), deps.holdings.listHoldings(userId)])
      .then(async ([wallets, stored]) => ({
        wallets,
        holdings: attachSyncTime(await priceHoldings(deps.prices, stored, wallets), wallets),
      }))
      .finally(() => reading.delete(userId));
    reading.set(userId, read);
    return read;
  };

  /** The live view; holdings the snapshots cannot price 24 h ago are looked up in the slot prices (the rest stay uncovered, and the message says so). */
  const buildView = async (
    userId: string,
    wallets: Wallet[],
    holdings: Holding[],
    baselines: SnapshotPoint[],
    at: Date,
  ) => {
    const missing = tokensWithoutPastPrice(holdings, baselines);
    const recorded = missing.length > 0 ? await readRecordedPrices(deps.prices, missing, at) : undefined;
    const [baseline, ...fallbackBaselines] = recorded ? [...baselines, recorded] : baselines;
    return buildPortfolioView({ userId, wallets, holdings, baseline, fallbackBaselines, now: at });
  };

  const getHoldingsView = async (userId: string) => {
    const at = now();
    const [{ wallets, holdings }, baselines] = await Promise.all([
      loadHoldings(userId),
      readBaselines(deps.snapshots, userId, at),
    ]);
    return { view: await buildView(userId, wallets, holdings, baselines, at), holdings };
  };
  const getLiveView = async (userId: string) => (await getHoldingsView(userId)).view;

  /** The window ends at the live total /portfolio shows (current holdings), not at the last stored slot. */
  const performanceOf = (
    points: SnapshotPoint[],
    wallets: Wallet[],
    holdings: Holding[],
    window: PerformanceWindow,
    at: Date,
  ) => {
    const live = buildSnapshotPoint(
      holdings,
      at.toISOString(),
      at.toISOString(),
      false,
      wallets.map((wallet) => wallet.walletId),
    );
    return computePerformance(points, window, at, { live });
  };

  return {
    async addWallet(userId, address, chains, label) {
      const parsed = parseWalletAddress(address);
      const wallet: Wallet = {
        userId,
        walletId: randomBytes(4).toString('hex'),
        address: parsed.address,
        family: parsed.family,
        chains: resolveTrackedChains(parsed.family, chains),
        label,
        addedAt: now().toISOString(),
      };
      try {
        await deps.portfolios.addWallet(wallet, maxWallets);
      } catch (error) {
        if (error instanceof WalletWriteConflictError && error.reason === 'limit')
          throw new WalletLimitError(maxWallets, { cause: error });
        if (error instanceof WalletWriteConflictError && error.reason === 'duplicate')
          throw new DuplicateWalletError(parsed.address, { cause: error });
        if (error instanceof WalletWriteConflictError && error.reason === 'concurrent')
          throw new WalletListBusyError({ cause: error });
        throw error;
      }
      return wallet;
    },

    async removeWallet(userId, walletId) {
      try {
        await deps.portfolios.removeWallet(userId, walletId);
      } catch (error) {
        if (error instanceof WalletWriteConflictError && error.reason === 'missing')
          throw new WalletNotFoundError(walletId, { cause: error });
        if (error instanceof WalletWriteConflictError && error.reason === 'concurrent')
          throw new WalletListBusyError({ cause: error });
        throw error;
      }
      await deps.holdings.deleteWalletHoldings(userId, walletId, await deps.holdings.listHoldings(userId));
    },

    async listWallets(userId) {
      const { wallets, holdings } = await loadHoldings(userId);
      const view = buildPortfolioView({ userId, wallets, holdings, now: now() });
      return wallets.map((wallet): WalletSummary => {
        const total = view.wallets.find((candidate) => candidate.walletId === wallet.walletId);
        return { ...wallet, valueUsd: total?.valueUsd ?? '0', staleSince: total?.staleSince };
      });
    },

    syncBalances: (userId, options) => syncUserBalances({ ...deps, now, inflight, priceMemo }, userId, options),
    getLiveView,
    getHoldingsView,

    async getPerformance(userId, window: PerformanceWindow) {
      const at = now();
      const [points, { wallets, holdings }] = await Promise.all([
        readHistory(deps.snapshots, userId, window, at),
        loadHoldings(userId),
      ]);
      return performanceOf(points, wallets, holdings, window, at);
    },

    async getReport(userId, window) {
      // One read of the wallets and holdings, one of the snapshots (which also holds the prices 24 h ago).
      const at = now();
      const [{ wallets, holdings }, history] = await Promise.all([
        loadHoldings(userId),
        readReportHistory(deps.snapshots, userId, window, at),
      ]);
      const view = await buildView(userId, wallets, holdings, history.baselines, at);
      return {
        performance: performanceOf(history.points, wallets, holdings, window, at),
        diversification: analyseDiversification(holdings),
        view,
      };
    },

    async getDiversification(userId) {
      const { holdings } = await loadHoldings(userId);
      return analyseDiversification(holdings);
    },

    getTargetAllocation: (userId) => deps.portfolios.getTarget(userId),

    async setTargetAllocation(userId, target) {
      const { holdings } = await loadHoldings(userId);
      const normalised = validateTargetAllocation(target, holdings);
      await deps.portfolios.putTarget(userId, normalised, now().toISOString());
      return normalised;
    },

    async suggestRebalance(userId, target, mode, unlisted) {
      const chosen = target ?? (await deps.portfolios.getTarget(userId));
      if (!chosen) throw new NoTargetError(userId);
      const { holdings } = await loadHoldings(userId);
      if (holdings.length === 0) throw new NoHoldingsError(userId);
      const complete = await withDecimals(deps.market, holdings);
      return planRebalance(complete, validateTargetAllocation(chosen, complete), { mode, unlisted });
    },
  };
}

function attachSyncTime(stored: readonly StoredHolding[], wallets: readonly Wallet[]): Holding[] {
  const syncedAt = new Map(wallets.map((wallet) => [wallet.walletId, wallet.lastSyncedAt ?? wallet.addedAt]));
  return stored
    .filter((holding) => syncedAt.has(holding.walletId))
    .map(({ createdAt: _createdAt, ...holding }) => ({ ...holding, syncedAt: syncedAt.get(holding.walletId)! }));
}
