/**
 * Domain vocabulary shared by every module (see docs/architecture.md). Money is a decimal STRING here;
 * convert with `toDecimal` for maths. Shares/weights are fractions in [0, 1] as decimal strings.
 */
export type ChainIndex = string;
export type AddressFamily = 'evm' | 'solana' | 'tron';
export type Sector = 'stablecoin' | 'l1' | 'l2' | 'defi' | 'meme' | 'rwa' | 'liquid-staking' | 'exchange' | 'other';
export type DecimalString = string;
/** ISO-8601 UTC timestamp. */
export type IsoTime = string;

export interface TokenRef {
  readonly chainIndex: ChainIndex;
  /** EVM lower-case hex, Solana base58 mint, '' for the native coin. */
  readonly tokenAddress: string;
}

export interface Wallet {
  readonly userId: string;
  /** Stable short id, unique per user (used in keys and callback data). */
  readonly walletId: string;
  /** Normalised: EVM lower-case, Solana as given. */
  readonly address: string;
  readonly family: AddressFamily;
  readonly chains: readonly ChainIndex[];
  readonly label?: string;
  readonly addedAt: IsoTime;
  readonly lastSyncedAt?: IsoTime;
  /**
   * The slot in which this wallet, holding value, first answered empty. Such an answer is not believed
   * until a fetch in a later slot agrees (see the empty-answer guard in shared/sync/sync-balances.ts).
   */
  readonly pendingEmptySince?: IsoTime;
  /**
   * The slot of a sync that replaced this wallet's holdings without marking it synced: with `lastSyncedAt`,
   * it names the slot whose recorded prices value them (see shared/sync/price-store.ts).
   */
  readonly pricedSlot?: IsoTime;
}

export interface Holding extends TokenRef {
  readonly userId: string;
  readonly walletId: string;
  readonly walletAddress: string;
  readonly symbol: string;
  readonly name?: string;
  /** Known from OKX token info; undefined when OKX did not say. */
  readonly decimals?: number;
  /** Minimal on-chain units, exact. */
  readonly rawBalance?: DecimalString;
  /** Token units (decimals applied), exact. */
  readonly balance: DecimalString;
  /** USD unit price; undefined means "no price" (never treated as 0). */
  readonly priceUsd?: DecimalString;
  readonly isRiskToken: boolean;
  /** Canonical asset id (same token on several chains aggregated). */
  readonly assetId: string;
  readonly sector: Sector;
  readonly syncedAt: IsoTime;
  /** Set when the last sync of this wallet x chain failed: the data is the last good copy. */
  readonly staleSince?: IsoTime;
}

export interface AssetPosition {
  readonly assetId: string;
  readonly symbol: string;
  readonly sector: Sector;
  readonly quantity: DecimalString;
  /** undefined when the asset has no price. */
  readonly valueUsd?: DecimalString;
  readonly priceUsd?: DecimalString;
  /** Share of the priced total; undefined when unpriced. */
  readonly share?: DecimalString;
  readonly chains: readonly ChainIndex[];
  /** One entry per chain x token that makes up this asset. */
  readonly tokens: readonly (TokenRef & { quantity: DecimalString; valueUsd?: DecimalString })[];
}

export interface ChainTotal {
  readonly chainIndex: ChainIndex;
  readonly valueUsd: DecimalString;
  readonly share: DecimalString;
}

export interface WalletTotal {
  readonly walletId: string;
  readonly address: string;
  readonly valueUsd: DecimalString;
  readonly lastSyncedAt?: IsoTime;
  readonly staleSince?: IsoTime;
}

export interface ValueChange {
  /** Σ quantity × (price now − price then) over the COVERED holdings (those with a price then). */
  readonly absoluteUsd: DecimalString;
  /** absoluteUsd / Σ quantity × price then over the same covered holdings; undefined when that base is 0. */
  readonly relative?: DecimalString;
  readonly since: IsoTime;
  /** Value now of the holdings the change covers; equals the total when every holding had a price then. */
  readonly coveredValueUsd: DecimalString;
  /** Value now of all priced holdings (the portfolio total). */
  readonly totalValueUsd: DecimalString;
}

/** What getLiveView returns: read from DynamoDB only. */
export interface PortfolioView {
  readonly userId: string;
  readonly totalValueUsd: DecimalString;
  readonly assets: readonly AssetPosition[];
  readonly chains: readonly ChainTotal[];
  readonly wallets: readonly WalletTotal[];
  readonly change24h?: ValueChange;
  /** Oldest lastSyncedAt across wallets; undefined if never synced. */
  readonly asOf?: IsoTime;
  readonly hiddenRiskTokens: number;
  readonly unpricedTokens: number;
  readonly staleWallets: number;
}

/** One point of history per sync slot (and hourly/daily rollups). */
export interface SnapshotPoint {
  readonly slot: IsoTime;
  readonly takenAt: IsoTime;
  readonly totalValueUsd: DecimalString;
  readonly positions: readonly { assetId: string; quantity: DecimalString; priceUsd: DecimalString }[];
  /** True when some wallet or chain failed in that sync: excluded from return maths. */
  readonly incomplete: boolean;
  /** Reconstructed from OKX candles (holdings at the time of the first sync valued at past closes), not a real sync. */
  readonly backfilled?: boolean;
  /**
   * Wallets tracked when the point was taken. A wallet appearing or disappearing between two points is a
   * tracking change (neither a flow nor a gain). Older points lack it: inferred from the position keys.
   */
  readonly walletIds?: readonly string[];
}

/** A wallet that started or stopped being tracked between two points: its value is neither a flow nor a gain. */
export interface TrackingChange {
  readonly time: IsoTime;
  readonly walletId: string;
  readonly change: 'added' | 'removed';
  /** The wallet's value on the side where it is tracked (after when added, before when removed). */
  readonly valueUsd: DecimalString;
}

export type PerformanceWindow = '24h' | '7d' | '30d' | '90d' | '1y' | 'all';

export interface Figure {
  /** Decimal string; fractions for returns (e.g. "0.05" = 5 %), USD for money. */
  readonly value: DecimalString;
  /** Name of the method, e.g. "time-weighted return (chain-linked, flows removed)". */
  readonly method: string;
}

export interface PerformanceReport {
  readonly window: PerformanceWindow;
  readonly from: IsoTime;
  readonly to: IsoTime;
  readonly startValueUsd: DecimalString;
  readonly endValueUsd: DecimalString;
  readonly netFlowsUsd: DecimalString;
  /** Σ of the positive flows (the "deposits" of simple ROI); withdrawals = depositsUsd − netFlowsUsd. */
  readonly depositsUsd: DecimalString;
  /** Σ value of wallets added in the window (part of simple ROI's base, never a deposit or a gain). */
  readonly walletsAddedUsd: DecimalString;
  /** Σ value of wallets removed in the window (never a withdrawal or a loss). */
  readonly walletsRemovedUsd: DecimalString;
  readonly trackingChanges: readonly TrackingChange[];
  /** True when the recorded history starts after the window start: the figures run from `from`. */
  readonly shortHistory: boolean;
  readonly pnlUsd: Figure;
  readonly simpleRoi?: Figure;
  readonly twr?: Figure;
  readonly maxDrawdown?: Figure;
  /** Only for windows of at least a year. */
  readonly annualisedTwr?: Figure;
  readonly points: number;
  /** Series for the chart: value over the window; `estimated` marks back-filled points. Ends at the live total. */
  readonly series: readonly { time: IsoTime; valueUsd: DecimalString; estimated?: boolean }[];
  /** Why some figure is missing (e.g. "not enough history"). */
  readonly notes: readonly string[];
}

/** Target weights by canonical asset id as percent strings, e.g. { eth: "50", btc: "30", usdc: "20" }. */
export type TargetAllocation = Readonly<Record<string, DecimalString>>;

export type RebalanceMode = 'band-edge' | 'target';

/** What a rebalance does with priced holdings the target does not list: leave them, or sell them into the targets. */
export type UnlistedPolicy = 'keep' | 'sell';

export interface RebalanceToken extends TokenRef {
  readonly assetId: string;
  readonly symbol: string;
  readonly decimals: number;
}

export interface RebalanceLeg {
  readonly chainIndex: ChainIndex;
  /** The wallet that holds `from` (the signer of the swap); absent only in legs built by older code. */
  readonly walletAddress?: string;
  readonly from: RebalanceToken;
  readonly to: RebalanceToken;
  /** Amount of `from` to sell, token units and raw units, exact. */
  readonly amount: DecimalString;
  readonly amountRaw: DecimalString;
  readonly valueUsd: DecimalString;
}

export interface DroppedLeg {
  readonly leg: RebalanceLeg;
  readonly reason: string;
}

export interface RebalancePlan {
  readonly mode: RebalanceMode;
  readonly totalValueUsd: DecimalString;
  readonly legs: readonly RebalanceLeg[];
  readonly dropped: readonly DroppedLeg[];
  /** Current, target and projected shares per asset (fractions). */
  readonly allocation: readonly {
    assetId: string;
    symbol: string;
    current: DecimalString;
    target: DecimalString;
    projected: DecimalString;
    band: DecimalString;
  }[];
  readonly turnoverUsd: DecimalString;
  readonly notes: readonly string[];
  readonly unlisted: UnlistedPolicy;
  /** Priced, non-risk holdings the plan leaves as they are ('keep'), per asset, largest first. */
  readonly kept: readonly { assetId: string; symbol: string; valueUsd: DecimalString }[];
}

export type RiskFlagKind = 'asset-concentration' | 'sector-concentration' | 'chain-concentration' | 'low-gas-reserve';

export interface RiskFlag {
  readonly kind: RiskFlagKind;
  /** Asset id, sector, or chainIndex the flag is about. */
  readonly subject: string;
  readonly share?: DecimalString;
  readonly threshold: DecimalString;
  /** Low-gas flags only: the wallet whose native balance on `subject` is below `threshold`. */
  readonly walletId?: string;
  readonly walletAddress?: string;
  /** Low-gas flags only: that wallet's native balance on the chain. */
  readonly nativeBalance?: DecimalString;
}

export interface DiversificationReport {
  readonly hhi: DecimalString;
  readonly effectiveAssets: DecimalString;
  readonly top1Share: DecimalString;
  readonly top3Share: DecimalString;
  readonly stablecoinShare: DecimalString;
  readonly sectors: readonly { sector: Sector; share: DecimalString }[];
  readonly chains: readonly { chainIndex: ChainIndex; share: DecimalString }[];
  readonly flags: readonly RiskFlag[];
}
