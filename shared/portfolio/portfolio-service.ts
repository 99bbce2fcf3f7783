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
import type { Holding, PerformanceWindow, SnapshotPoint, TokenRef, Wallet } from '../kernel/types';
import { SLOT_MINUTES } from '../kernel/slots';
import { toRawUnits } from '../kernel/decimal';
import type { MarketDataPort } from '../platform/okx/market-data-port';
import type { SnapshotResolution } from '../platform/dynamo/keys';
import { buildPortfolioView, buildSnapshotPoint, tokensWithoutPastPrice } from './valuation';
import { createPriceMemo, priceHoldings, type PriceStore } from '../sync/price-store';
import type { SnapshotStore } from '../sync/snapshot-store';
import { syncUserBalances, type SyncDeps, type WalletFetch } from '../sync/sync-balances';

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

// History: which stored points serve a window (the snapshots and, for the 24 h change, the slot prices).

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Which stored resolutions serve a window, finest first. Returns and drawdown are computed from the finest
 * points kept for each part of the window (10-minute points live 8 days, hourly rollups 400 days), so a dip
 * is seen unless it recovers within one 10-minute slot (last 8 days) or within the hour (older; within the
 * day for `1y` and `all`: a year of hourly points is ~8,800 items with their positions, which DynamoDB reads in
 * about 18 s, past the bot's deadline, while ~360 daily points read in well under a second). Coarser
 * resolutions only fill the time before the first finer point (back-filled estimates, older history), so a
 * longer window always holds every point of a shorter one.
 */
const WINDOWS: Record<PerformanceWindow, { span?: number; resolutions: readonly SnapshotResolution[] }> = {
  '24h': { span: DAY, resolutions: ['10m'] },
  '7d': { span: 7 * DAY, resolutions: ['10m', '1h'] },
  '30d': { span: 30 * DAY, resolutions: ['10m', '1h', '1d'] },
  '90d': { span: 90 * DAY, resolutions: ['10m', '1h', '1d'] },
  '1y': { span: 365 * DAY, resolutions: ['10m', '1d'] },
  all: { resolutions: ['10m', '1d'] },
};

/** The first instant any window reads from when it has no span. */
const EPOCH = '2000-01-01T00:00:00.000Z';

/**
 * Points for [now − w, now]: the latest complete recorded point at or before now − w (the window's start
 * value, so a longer window never starts later than a shorter one), then every point inside the window.
 */
export async function readHistory(
  store: SnapshotStore,
  userId: string,
  window: PerformanceWindow,
  now: Date,
): Promise<SnapshotPoint[]> {
  return (await readWindow(store, userId, window, now)).points;
}

/** What a Report reads from the snapshots: the window's points and the prices 24 h ago. */
export interface ReportHistory {
  readonly points: SnapshotPoint[];
  readonly baselines: SnapshotPoint[];
}

/**
 * readHistory and readBaselines in one go: the window's 10-minute read starts early enough to hold the
 * baseline's two hours around 24 h ago, so the baselines need no read of their own.
 */
export async function readReportHistory(
  store: SnapshotStore,
  userId: string,
  window: PerformanceWindow,
  now: Date,
): Promise<ReportHistory> {
  const [from, to] = baselineRange(now);
  const { points, finest } = await readWindow(store, userId, window, now, from);
  return {
    points,
    baselines: pickBaselines(
      finest.filter((point) => point.slot >= from && point.slot <= to),
      now,
    ),
  };
}

/**
 * The window's points, finest first: each coarser resolution is read only for the time before the first finer
 * point (the part it can fill), and not at all when that time holds no slot. `finest` is the 10-minute read,
 * from `readFrom` when that is earlier than the window.
 */
async function readWindow(
  store: SnapshotStore,
  userId: string,
  window: PerformanceWindow,
  now: Date,
  readFrom?: string,
): Promise<{ points: SnapshotPoint[]; finest: SnapshotPoint[] }> {
  const { span, resolutions } = WINDOWS[window];
  const from = span === undefined ? EPOCH : new Date(now.getTime() - span).toISOString();
  const to = now.toISOString();
  const [finestResolution, ...coarser] = resolutions;
  // The start value may sit in any resolution (10-minute points expire after 8 days): the latest one found wins.
  const [anchors, finest] = await Promise.all([
    span === undefined
      ? Promise.resolve([])
      : Promise.all(resolutions.map((resolution) => store.latestSnapshotAtOrBefore(userId, resolution, from))),
    store.listSnapshots(userId, finestResolution!, readFrom !== undefined && readFrom < from ? readFrom : from, to),
  ]);
  const points = finest.filter((point) => point.slot >= from);
  for (const resolution of coarser) {
    const earliest = points[0]?.slot;
    if (earliest !== undefined && !hasSlotBetween(from, earliest)) continue;
    const list = await store.listSnapshots(userId, resolution, from, earliest ?? to);
    points.unshift(...list.filter((point) => earliest === undefined || point.slot < earliest));
    points.sort((a, b) => a.slot.localeCompare(b.slot));
  }
  const anchor = anchors.filter((point) => point !== undefined).sort((a, b) => b.slot.localeCompare(a.slot))[0];
  if (anchor && !points.some((point) => point.slot === anchor.slot)) points.unshift(anchor);
  return { points: points.sort((a, b) => a.slot.localeCompare(b.slot)), finest };
}

/** Every stored point (recorded, rolled up or back-filled) sits on a 10-minute slot start (kernel/slots). */
function hasSlotBetween(from: string, before: string): boolean {
  const slotMs = SLOT_MINUTES * 60_000;
  return Math.ceil(Date.parse(from) / slotMs) * slotMs < Date.parse(before);
}

/**
 * Prices 24 h ago for the 24 h change: the complete recorded point closest to 24 h ago (within an hour), then
 * the closest back-filled point, so a holding the recorded point lacks can still be priced from the estimate.
 */
export async function readBaselines(store: SnapshotStore, userId: string, now: Date): Promise<SnapshotPoint[]> {
  const [from, to] = baselineRange(now);
  return pickBaselines(await store.listSnapshots(userId, '10m', from, to), now);
}

function baselineRange(now: Date): [string, string] {
  const target = now.getTime() - DAY;
  return [new Date(target - HOUR).toISOString(), new Date(target + HOUR).toISOString()];
}

function pickBaselines(candidates: SnapshotPoint[], now: Date): SnapshotPoint[] {
  const target = now.getTime() - DAY;
  const closest = (points: SnapshotPoint[]) =>
    points.sort((a, b) => Math.abs(Date.parse(a.slot) - target) - Math.abs(Date.parse(b.slot) - target))[0];
  const complete = candidates.filter((point) => !point.incomplete);
  const recorded = closest(complete.filter((point) => point.backfilled !== true));
  const estimated = closest(complete.filter((point) => point.backfilled === true));
  return [recorded, estimated].filter((point): point is SnapshotPoint => point !== undefined);
}

/** Price lookups per /portfolio for holdings the snapshots cannot price 24 h ago (one small query each). */
export const MAX_PRICE_LOOKUPS = 20;

/**
 * Prices 24 h ago from the per-slot price records every sync writes (any user holding the token), for tokens
 * the snapshots miss, e.g. a wallet added today holding a token the portfolio did not hold then. Returned as
 * a baseline point keyed `chainIndex:tokenAddress`; undefined when none was recorded.
 */
async function readRecordedPrices(
  prices: PriceStore,
  tokens: readonly TokenRef[],
  now: Date,
): Promise<SnapshotPoint | undefined> {
  const target = now.getTime() - DAY;
  const [from, to] = [new Date(target - HOUR).toISOString(), new Date(target + HOUR).toISOString()];
  const found = await Promise.all(
    tokens.slice(0, MAX_PRICE_LOOKUPS).map(async (token) => {
      const rows = await prices.listPrices(token, from, to);
      const closest = rows.sort(
        (a, b) => Math.abs(Date.parse(a.slot) - target) - Math.abs(Date.parse(b.slot) - target),
      )[0];
      return closest
        ? [{ assetId: `${token.chainIndex}:${token.tokenAddress}`, quantity: '0', priceUsd: closest.priceUsd }]
        : [];
    }),
  );
  const positions = found.flat();
  if (positions.length === 0) return undefined;
  const slot = new Date(target).toISOString();
  return { slot, takenAt: slot, totalValueUsd: '0', positions, incomplete: false };
}

/**
 * The balance API gives no decimals; a rebalance needs them for raw amounts. Ask OKX token info only
 * for the priced, non-risk tokens that still lack them, once, right before planning.
 */
async function withDecimals(market: MarketDataPort, holdings: readonly Holding[]): Promise<Holding[]> {
  const missing = holdings.filter(
    (holding) => holding.decimals === undefined && holding.priceUsd !== undefined && !holding.isRiskToken,
  );
  if (missing.length === 0) return [...holdings];
  const infos = await market.getTokenInfo(
    missing.map(({ chainIndex, tokenAddress }) => ({ chainIndex, tokenAddress })),
  );
  const decimalsOf = new Map(infos.map((info) => [`${info.chainIndex}:${info.tokenAddress}`, info.decimals]));
  return holdings.map((holding) => {
    const decimals = holding.decimals ?? decimalsOf.get(`${holding.chainIndex}:${holding.tokenAddress}`);
    if (decimals === undefined || holding.decimals !== undefined) return holding;
    return { ...holding, decimals, rawBalance: holding.rawBalance ?? toRawUnits(holding.balance, decimals) };
  });
}
