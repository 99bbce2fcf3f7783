import type {
  DiversificationReport,
  Holding,
  PerformanceReport,
  PerformanceWindow,
  PortfolioView,
  RebalanceMode,
  RebalancePlan,
  TargetAllocation,
  UnlistedPolicy,
} from '../kernel/types';
import type { UserSyncPort } from '../sync/sync-balances';
import type { WalletsPort } from '../wallets/wallets-port';

export interface PortfolioReport {
  readonly performance: PerformanceReport;
  readonly diversification: DiversificationReport;
  readonly view: PortfolioView;
}

/**
 * What the bot, the sync worker and the health route use. Implemented by createPortfolioService in
 * shared/services. Errors are the named domain errors (InvalidAddressError, DuplicateWalletError,
 * WalletLimitError, UnsupportedChainError, InvalidTargetError, UnknownAssetError, NoHoldingsError).
 */
export interface PortfolioServicePort extends WalletsPort, UserSyncPort {
  getLiveView(userId: string): Promise<PortfolioView>;
  /** The live view with the priced holdings it was built from, from one read (the alerts' figures, issue 14). */
  getHoldingsView(userId: string): Promise<{ readonly view: PortfolioView; readonly holdings: readonly Holding[] }>;
  getPerformance(userId: string, window: PerformanceWindow): Promise<PerformanceReport>;
  getDiversification(userId: string): Promise<DiversificationReport>;
  /** What the Report shows: the three above from one read of the wallets, holdings and snapshots. */
  getReport(userId: string, window: PerformanceWindow): Promise<PortfolioReport>;
  getTargetAllocation(userId: string): Promise<TargetAllocation | undefined>;
  setTargetAllocation(userId: string, target: TargetAllocation): Promise<TargetAllocation>;
  /** `mode` defaults to 'target'; `unlisted` (what happens to holdings the target does not list) to 'keep'. */
  suggestRebalance(
    userId: string,
    target?: TargetAllocation,
    mode?: RebalanceMode,
    unlisted?: UnlistedPolicy,
  ): Promise<RebalancePlan>;
}
