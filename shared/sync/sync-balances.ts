import {
  type BalanceCacheStore,
  type CachedBalances,
  priceHoldings,
  type PriceMemo,
  type PriceStore,
} from './price-store';
import type { HoldingsStore, StoredHolding } from './holdings-store';
import type { PortfolioStore, WalletSyncMark } from '../wallets/portfolio-store';
import type { SnapshotStore, SnapshotTransactItems } from './snapshot-store';
import { identifyAsset } from '../kernel/asset-registry';
import { sumDecimals, toDecimal, toRawUnits, ZERO, type Decimal } from '../kernel/decimal';
import type { MarketDataPort, TokenBalance } from '../platform/okx/market-data-port';
import { buildSnapshotPoint } from '../portfolio/valuation';
import type { ChainIndex, IsoTime, Wallet } from '../kernel/types';
import { createRequestMeter } from '../platform/okx/okx-http';
import { backfillHistory } from './backfill-history';
import { slotOf } from '../kernel/slots';

export interface SyncDeps {
  readonly portfolios: PortfolioStore;
  readonly holdings: HoldingsStore;
  readonly prices: PriceStore;
  readonly snapshots: SnapshotStore & SnapshotTransactItems;
  readonly balanceCache: BalanceCacheStore;
  readonly market: MarketDataPort;
  readonly now: () => Date;
  /**
   * Balance fetches under way in this container, by address + slot + chains: two users who share an
   * address and sync at the same moment make one OKX call (the slot cache only helps the later one).
   */
  readonly inflight?: Map<string, Promise<WalletFetch>>;
  readonly priceMemo?: PriceMemo;
}

export interface WalletFetch {
  readonly wallet: Wallet;
  readonly balances: readonly TokenBalance[];
  readonly answeredChains: readonly string[];
  readonly failures: { chainIndex?: string; error: string }[];
  /** OKX calls planned for this fetch: 0 when served from the slot cache or joined (the sent count is metered). */
  readonly requests: number;
  /** When OKX answered with these balances (the slot cache keeps it): the wallet's true "as of". */
  readonly fetchedAt: string;
}

export interface SyncOptions {
  /**
   * A Refresh the user asked for: skip the slot cache (and fetches already under way) for this user's
   * addresses, ask OKX, and put the answer in the cache for the rest of the slot.
   */
  readonly fresh?: boolean;
  /** The user's wallets when the caller has just read them (the worker, with the profile): not read again. */
  readonly wallets?: readonly Wallet[];
}

/**
 * Syncs one user: one balance call per distinct address (shared across users through the slot cache),
 * holdings replaced per wallet for the chains that answered, failed chains kept and marked stale,
 * one snapshot per 10-minute slot.
 */
export async function syncUserBalances(deps: SyncDeps, userId: string, options: SyncOptions = {}): Promise<SyncResult> {
  const meter = createRequestMeter();
  const result = await meter.run(() => syncMetered(deps, userId, options));
  // Every request actually sent for this sync: retries, bisection probes and the back-fill included.
  return { ...result, okxRequests: meter.count };
}

async function syncMetered(
  deps: SyncDeps,
  userId: string,
  options: SyncOptions,
): Promise<Omit<SyncResult, 'okxRequests'>> {
  const now = deps.now();
  const at = now.toISOString();
  const slot = slotOf(now);
  const [wallets, stored] = await Promise.all([
    options.wallets ?? deps.portfolios.listWallets(userId),
    deps.holdings.listHoldings(userId),
  ]);
  if (wallets.length === 0) return { userId, syncedAt: at, walletsSynced: 0, failures: [], itemsWritten: 0 };

  const fetched = await fetchAllWallets(deps, wallets, { slot, at, fresh: options.fresh === true });
  // The value the last good holdings held is read (one batched price read) only when it decides something.
  const existing = needsHeldValue(fetched, stored) ? await priceHoldings(deps.prices, stored, wallets) : stored;
  // Chains that held value but did not answer (down or refused as malformed): the job is not done.
  const unansweredValue = fetched.reduce((sum, one) => sum + unansweredValueChains(one, existing), 0);
  const verdicts = fetched.map((one) => judgeEmptyAnswer(one, existing, slot));
  const fetches = verdicts.map((verdict) => verdict.fetched);
  const updates = fetches.map((fetched) => {
    // One item per wallet x chain x token: a token OKX lists twice is kept once (the last row wins).
    const unique = new Map(
      fetched.balances.map((balance) => [`${balance.chainIndex}#${balance.tokenAddress}`, balance]),
    );
    return {
      userId,
      walletId: fetched.wallet.walletId,
      answeredChains: fetched.answeredChains,
      failedChains: fetched.wallet.chains.filter((chain) => !fetched.answeredChains.includes(chain)),
      holdings: [...unique.values()].map((balance) => toStoredHolding(userId, fetched.wallet, balance, existing)),
      at,
    };
  });
  // The holdings to write are known, so the snapshot is built from them rather than from a re-read.
  const plan = deps.holdings.planHoldings(updates, existing);
  const current = plan.holdings;
  const failures = fetches.flatMap((fetched) =>
    fetched.failures.map((failure) => ({ walletId: fetched.wallet.walletId, ...failure })),
  );
  // Stale or suspect data (a failed, refused or unbelieved chain) keeps the snapshot incomplete: out of the return maths.
  const isIncomplete = failures.length > 0 || current.some((holding) => holding.staleSince !== undefined);
  const point = buildSnapshotPoint(
    current,
    slot,
    at,
    isIncomplete,
    wallets.map((wallet) => wallet.walletId),
  );
  const answered = verdicts
    .filter((verdict) => !verdict.pending && verdict.fetched.answeredChains.length > 0)
    .map((verdict) => verdict.fetched);
  // A user none of whose wallets answered keeps its old sync time, so it stays first in the due index; so does
  // one whose valued chains did not answer (the job is retried, and a redelivery must not find it synced).
  const isSynced = unansweredValue === 0 && answered.length > 0;

  // The slot prices go first: once a wallet's marks name this slot, its holdings are valued at them.
  const [, pricesWritten] = await Promise.all([
    cacheFreshBalances(deps, fetches, slot),
    writeSlotPrices(deps, slot, current),
  ]);
  // Holdings, the snapshot (exactly once per slot) and the marks in one transaction: a refused snapshot
  // (the slot exists) or mark (a wallet deleted meanwhile) is left out and the rest written.
  const snapshotItems = deps.snapshots.snapshotItems(userId, point);
  const marks = deps.portfolios.syncMarkItems(
    userId,
    walletMarks(verdicts, isSynced ? answered : []),
    isSynced ? newestFetch(answered) : undefined,
  );
  const { written, refused } = await deps.holdings.writeHoldings(plan, [...snapshotItems, ...marks]);
  const isNewSlot = !refused.has(0);
  let itemsWritten = written + pricesWritten + (isNewSlot ? 1 : 0);

  // The very first complete sync of a user gets a chart from OKX candles (see backfill-history); it runs
  // after the marks so the portfolio already shows its sync time while the history is written.
  const isFirstSync = wallets.every((wallet) => !wallet.lastSyncedAt);
  const backfill =
    isNewSlot && isFirstSync && failures.length === 0 ? await backfillHistory(deps, userId, current, slot) : undefined;
  itemsWritten += backfill?.written ?? 0;
  return {
    userId,
    syncedAt: at,
    walletsSynced: unansweredValue === 0 ? answered.length : 0,
    failures,
    itemsWritten,
    snapshotSlot: isNewSlot ? slot : undefined,
    unansweredValueChains: unansweredValue,
    pendingEmptyWallets: verdicts.filter((verdict) => verdict.pending).length,
  };
}

/**
 * Whether the value the last good holdings held matters to this sync: a chain that did not answer (is its
 * data kept as stale, with its price?) or an answer without value (is it a suspect empty answer?). In the
 * steady state neither happens, and the price store is not read.
 */
function needsHeldValue(fetched: readonly WalletFetch[], stored: readonly StoredHolding[]): boolean {
  const byWallet = new Map(fetched.map((one) => [one.wallet.walletId, one]));
  return stored.some((holding) => {
    if (holding.staleSince !== undefined) return false;
    const one = byWallet.get(holding.walletId);
    if (!one?.answeredChains.includes(holding.chainIndex)) return true;
    return !one.balances.some(
      (balance) =>
        one.answeredChains.includes(balance.chainIndex) &&
        !balance.isRiskToken &&
        balance.priceUsd !== undefined &&
        toDecimal(balance.priceUsd).gt(ZERO) &&
        toDecimal(balance.balance).gt(ZERO),
    );
  });
}

/**
 * Each wallet's marks: a wallet that answered is synced at the time its balances were fetched from OKX (not
 * read from the slot cache), so "as of" never calls cached data fresh; its holdings are valued at this slot's
 * prices from now on; and its pending-empty mark is set or cleared as the guard asked.
 */
function walletMarks(
  verdicts: readonly EmptyAnswerVerdict<WalletFetch>[],
  synced: readonly WalletFetch[],
): WalletSyncMark[] {
  return verdicts.map((verdict) => {
    const { wallet, answeredChains, fetchedAt } = verdict.fetched;
    return {
      walletId: wallet.walletId,
      ...(synced.includes(verdict.fetched) ? { syncedAt: fetchedAt } : {}),
      ...(answeredChains.length > 0 ? { pricedSlot: slotOf(new Date(fetchedAt)) } : {}),
      ...(verdict.mark !== undefined ? { pendingEmptySince: verdict.mark } : {}),
    };
  });
}

/** The user's sync time ends at the newest fetch of its wallets (its place in the due index). */
function newestFetch(answered: readonly WalletFetch[]): string {
  return answered.map((fetched) => fetched.fetchedAt).reduce((newest, time) => (time > newest ? time : newest));
}

async function writeSlotPrices(deps: SyncDeps, slot: string, holdings: readonly StoredHolding[]): Promise<number> {
  const priced = holdings
    .filter((holding) => holding.priceUsd !== undefined && !holding.staleSince)
    .map((holding) => ({
      chainIndex: holding.chainIndex,
      tokenAddress: holding.tokenAddress,
      priceUsd: holding.priceUsd!,
    }));
  const fresh = deps.priceMemo ? deps.priceMemo.unwritten(slot, priced) : priced;
  if (fresh.length === 0) return 0;
  const written = await deps.prices.putPrices(slot, fresh, 'sync');
  deps.priceMemo?.record(slot, fresh);
  return written;
}

interface FetchPlan {
  readonly slot: string;
  /** This sync's time: the fetch time of whatever OKX answers now. */
  readonly at: string;
  readonly fresh: boolean;
}

/**
 * Every wallet's balances: a fetch already under way in this container for the same address is joined,
 * the others are looked up in the slot cache with one batched read, and the misses go to OKX. A fresh
 * sync (a Refresh) skips both and asks OKX for every wallet.
 */
async function fetchAllWallets(deps: SyncDeps, wallets: readonly Wallet[], plan: FetchPlan): Promise<WalletFetch[]> {
  const inflight = deps.inflight ?? new Map<string, Promise<WalletFetch>>();
  const keyOf = (wallet: Wallet) => `${wallet.address}#${plan.slot}#${[...wallet.chains].sort().join(',')}`;
  const joined = new Map(
    wallets.map((wallet) => [wallet.walletId, plan.fresh ? undefined : inflight.get(keyOf(wallet))]),
  );
  const own = wallets.filter((wallet) => !joined.get(wallet.walletId));
  const cached =
    own.length > 0 && !plan.fresh
      ? deps.balanceCache.getMany(
          own.map((wallet) => wallet.address),
          plan.slot,
        )
      : Promise.resolve(new Map<string, CachedBalances>());
  return Promise.all(
    wallets.map(async (wallet) => {
      const running = joined.get(wallet.walletId);
      if (running) return { ...(await running), wallet, requests: 0 };
      const key = keyOf(wallet);
      const fetching = cached
        .then((hits) => fetchWallet(deps, wallet, hits.get(wallet.address), plan))
        .finally(() => inflight.delete(key));
      inflight.set(key, fetching);
      return fetching;
    }),
  );
}

async function fetchWallet(
  deps: SyncDeps,
  wallet: Wallet,
  cached: CachedBalances | undefined,
  plan: FetchPlan,
): Promise<WalletFetch> {
  if (cached && wallet.chains.every((chain) => cached.chains.includes(chain))) {
    const balances = cached.balances.filter((balance) => wallet.chains.includes(balance.chainIndex));
    // An old entry without its fetch time was fetched in this slot at the earliest at the slot's start.
    return {
      wallet,
      balances,
      answeredChains: wallet.chains,
      failures: [],
      requests: 0,
      fetchedAt: cached.fetchedAt ?? plan.slot,
    };
  }
  const requests = Math.ceil(wallet.chains.length / 50);
  const fetchedAt = plan.at;
  try {
    const result = await deps.market.getTokenBalances(wallet.address, [...wallet.chains], { includeRiskTokens: true });
    const failed = new Set(result.failedChains.map((failure) => failure.chainIndex));
    const answeredChains = wallet.chains.filter((chain) => !failed.has(chain));
    return {
      wallet,
      balances: result.balances,
      answeredChains,
      failures: result.failedChains.map((failure) => ({ ...failure })),
      requests,
      fetchedAt,
    };
  } catch (error) {
    return {
      wallet,
      balances: [],
      answeredChains: [],
      failures: [{ error: (error as Error).message }],
      requests,
      fetchedAt,
    };
  }
}

/** Complete answers this sync fetched from OKX go to the slot cache (one batched write), for other users. */
async function cacheFreshBalances(deps: SyncDeps, fetches: readonly WalletFetch[], slot: string): Promise<void> {
  const fresh = new Map<string, CachedBalances>();
  for (const fetched of fetches) {
    if (fetched.requests > 0 && fetched.failures.length === 0)
      fresh.set(fetched.wallet.address, {
        chains: fetched.wallet.chains,
        balances: fetched.balances,
        fetchedAt: fetched.fetchedAt,
      });
  }
  if (fresh.size > 0) await deps.balanceCache.putMany(slot, fresh);
}

function toStoredHolding(
  userId: string,
  wallet: Wallet,
  balance: TokenBalance,
  existing: readonly StoredHolding[],
): StoredHolding {
  const asset = identifyAsset({ chainIndex: balance.chainIndex, tokenAddress: balance.tokenAddress }, balance.symbol);
  const previous = existing.find(
    (holding) =>
      holding.walletId === wallet.walletId &&
      holding.chainIndex === balance.chainIndex &&
      holding.tokenAddress === balance.tokenAddress,
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
    if (
      toRawUnits(ui, decimals) === balance.rawBalance &&
      ui.times(toDecimal(`1e${decimals}`)).eq(toDecimal(balance.rawBalance))
    )
      return decimals;
  }
  return undefined;
}

export interface SyncResult {
  readonly userId: string;
  readonly syncedAt: IsoTime;
  readonly walletsSynced: number;
  /** Wallet x chain pairs whose fetch failed: their last good holdings were kept and marked stale. */
  readonly failures: readonly { walletId: string; chainIndex?: ChainIndex; error: string }[];
  /** Items written to DynamoDB (0 when nothing changed). */
  readonly itemsWritten: number;
  /** Snapshot slot written by this sync, or undefined when it already existed. */
  readonly snapshotSlot?: IsoTime;
  /** OKX requests actually sent by this sync: every attempt, retries and bisection probes included. */
  readonly okxRequests: number;
  /**
   * Wallet x chain pairs whose last good holdings held value and that did not answer (down, or refused as
   * malformed). Above 0 the sync is not done: the worker retries the job, and no wallet is marked synced.
   */
  readonly unansweredValueChains?: number;
  /** Wallets that held value and answered empty: kept (stale) until a fetch in a later slot agrees. */
  readonly pendingEmptyWallets?: number;
}

/** One user's sync, as the worker and Refresh call it. */
export interface UserSyncPort {
  /** `fresh`: a Refresh the user asked for fetches from OKX, bypassing the 10-minute slot cache. */
  syncBalances(userId: string, options?: SyncOptions): Promise<SyncResult>;
}

// The empty-answer guard (docs/architecture.md, "Sync", step 3).

/** What one wallet's fetch gave: the part of WalletFetch the guard reads and narrows. */
export interface AnsweredFetch {
  readonly wallet: {
    readonly walletId: string;
    readonly chains: readonly ChainIndex[];
    readonly pendingEmptySince?: string;
  };
  readonly balances: readonly TokenBalance[];
  readonly answeredChains: readonly ChainIndex[];
  readonly failures: { chainIndex?: ChainIndex; error: string }[];
}

const EMPTY_ANSWER_ERROR =
  'answered empty while holding value: last good holdings kept until a fetch in a later slot agrees';

export interface EmptyAnswerVerdict<T extends AnsweredFetch> {
  /** The fetch to apply: a suspect answer's valued chains are moved to the failures (kept, marked stale). */
  readonly fetched: T;
  /** True while an empty answer waits for a second one in a later slot. */
  readonly pending: boolean;
  /** The wallet's new pending-empty mark: a slot to set, null to clear, undefined to leave as it is. */
  readonly mark?: string | null;
}

/**
 * An address that held value and suddenly answers with nothing of value (e.g. `data: []`) is not believed
 * on one answer: the chains that held value keep their last good holdings (marked stale) and the wallet
 * gets a pending-empty mark with this slot. Only an empty answer in a LATER slot (a later sync cycle) is
 * believed; any answer with value clears the mark. Judged per wallet over its answered chains, so value
 * moving between the wallet's chains is believed at once.
 */
function judgeEmptyAnswer<T extends AnsweredFetch>(
  fetched: T,
  existing: readonly StoredHolding[],
  slot: string,
): EmptyAnswerVerdict<T> {
  const { wallet, answeredChains } = fetched;
  const since = wallet.pendingEmptySince;
  if (answeredChains.length === 0) return { fetched, pending: false };
  const heldBefore = heldValue(existing, wallet.walletId, answeredChains);
  const answered = valueOf(fetched.balances.filter((balance) => answeredChains.includes(balance.chainIndex)));
  const isSuspect = heldBefore.gt(ZERO) && answered.eq(ZERO);
  if (!isSuspect || (since !== undefined && since < slot))
    return { fetched, pending: false, ...(since !== undefined ? { mark: null } : {}) };
  const valued = answeredChains.filter((chain) => heldValue(existing, wallet.walletId, [chain]).gt(ZERO));
  const narrowed = {
    ...fetched,
    answeredChains: answeredChains.filter((chain) => !valued.includes(chain)),
    balances: fetched.balances.filter((balance) => !valued.includes(balance.chainIndex)),
    failures: [...fetched.failures, ...valued.map((chainIndex) => ({ chainIndex, error: EMPTY_ANSWER_ERROR }))],
  };
  return { fetched: narrowed, pending: true, ...(since === undefined ? { mark: slot } : {}) };
}

/** Wallet x chain pairs whose last good holdings held value and that did not answer now (failed or refused). */
export function unansweredValueChains(fetched: AnsweredFetch, existing: readonly StoredHolding[]): number {
  const failed = fetched.wallet.chains.filter((chain) => !fetched.answeredChains.includes(chain));
  return failed.filter((chain) => heldValue(existing, fetched.wallet.walletId, [chain]).gt(ZERO)).length;
}

/** USD value of a wallet's last good holdings on some chains: priced, non-risk tokens (as the snapshot counts them). */
function heldValue(existing: readonly StoredHolding[], walletId: string, chains: readonly ChainIndex[]): Decimal {
  return valueOf(existing.filter((holding) => holding.walletId === walletId && chains.includes(holding.chainIndex)));
}

function valueOf(rows: readonly Pick<TokenBalance, 'balance' | 'priceUsd' | 'isRiskToken'>[]): Decimal {
  return sumDecimals(
    rows
      .filter((row) => !row.isRiskToken && row.priceUsd !== undefined)
      .map((row) => toDecimal(row.balance).times(toDecimal(row.priceUsd!))),
  );
}
