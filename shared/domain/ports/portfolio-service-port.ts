import type {
  ChainIndex,
  DiversificationReport,
  IsoTime,
  PerformanceReport,
  PerformanceWindow,
  PortfolioView,
  RebalanceMode,
  RebalancePlan,
  TargetAllocation, UnlistedPolicy,
  Wallet,
} from '../types';

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

export interface WalletSummary extends Wallet {
  readonly valueUsd: string;
  readonly staleSince?: IsoTime;
}

/**
 * What the bot, the sync worker and the health route use. Implemented by createPortfolioService in
 * shared/services. Errors are the named domain errors (InvalidAddressError, DuplicateWalletError,
 * WalletLimitError, UnsupportedChainError, InvalidTargetError, UnknownAssetError, NoHoldingsError).
 */
export interface PortfolioServicePort {
  addWallet(userId: string, address: string, chains?: readonly ChainIndex[], label?: string): Promise<Wallet>;
  removeWallet(userId: string, walletId: string): Promise<void>;
  listWallets(userId: string): Promise<readonly WalletSummary[]>;
  /** `fresh`: a Refresh the user asked for fetches from OKX, bypassing the 10-minute slot cache. */
  syncBalances(userId: string, options?: { fresh?: boolean }): Promise<SyncResult>;
  getSnapshot(userId: string): Promise<PortfolioView>;
  getPerformance(userId: string, window: PerformanceWindow): Promise<PerformanceReport>;
  getDiversification(userId: string): Promise<DiversificationReport>;
  getTargetAllocation(userId: string): Promise<TargetAllocation | undefined>;
  setTargetAllocation(userId: string, target: TargetAllocation): Promise<TargetAllocation>;
  /** `mode` defaults to 'target'; `unlisted` (what happens to holdings the target does not list) to 'keep'. */
  suggestRebalance(userId: string, target?: TargetAllocation, mode?: RebalanceMode, unlisted?: UnlistedPolicy): Promise<RebalancePlan>;
}
