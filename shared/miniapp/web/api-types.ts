/** The JSON the Mini App API answers (docs/miniapp-api.md). Money, shares and returns are decimal strings. */
export type WindowKey = '24h' | '7d' | '30d' | '90d' | '1y' | 'all';
export const WINDOWS: readonly WindowKey[] = ['24h', '7d', '30d', '90d', '1y', 'all'];

export interface PortfolioView {
  readonly generatedAt: string;
  readonly totalValueUsd: string;
  readonly change24h?: {
    readonly absoluteUsd: string;
    readonly relative?: string;
    readonly since: string;
    readonly coveredValueUsd: string;
    readonly totalValueUsd: string;
    readonly isPartial: boolean;
  };
  readonly asOf?: string;
  readonly ageSeconds?: number;
  readonly allocation: {
    readonly assets: readonly AssetSlice[];
    readonly chains: readonly { chainIndex: string; name: string; valueUsd: string; share: string }[];
    readonly sectors: readonly { sector: string; label: string; share: string }[];
  };
  readonly wallets: readonly WalletRow[];
  readonly notes: { readonly staleWallets: number; readonly unpricedTokens: number; readonly hiddenRiskTokens: number };
}

export interface AssetSlice {
  readonly assetId: string;
  readonly symbol: string;
  readonly sector: string;
  readonly quantity: string;
  readonly priceUsd?: string;
  readonly valueUsd?: string;
  readonly share?: string;
  readonly chains: readonly string[];
}

export interface WalletRow {
  readonly walletId: string;
  readonly address: string;
  readonly label?: string;
  readonly family: string;
  readonly chains: readonly string[];
  readonly valueUsd: string;
  readonly lastSyncedAt?: string;
  readonly ageSeconds?: number;
  readonly staleSince?: string;
}

export interface PerformanceView {
  readonly window: WindowKey;
  readonly from: string;
  readonly to: string;
  readonly shortHistory: boolean;
  readonly series: readonly { time: string; valueUsd: string; estimated: boolean }[];
  readonly markers: readonly {
    time: string;
    walletId: string;
    change: 'added' | 'removed';
    valueUsd: string;
    label: string;
  }[];
  readonly figures: readonly Figure[];
  readonly points: number;
  readonly notes: readonly string[];
}

export interface Figure {
  readonly key: string;
  readonly label: string;
  readonly unit: 'usd' | 'fraction';
  readonly value: string;
  readonly method: string;
}

export interface DiversificationView {
  readonly hhi?: string;
  readonly effectiveAssets?: string;
  readonly top1Share?: string;
  readonly top3Share?: string;
  readonly stablecoinShare?: string;
  readonly flags: readonly { kind: string; subjectLabel?: string; message: string }[];
  readonly caveat?: string;
}

export interface TargetsView {
  readonly target: readonly { assetId: string; symbol: string; percent: string }[];
  readonly holdings: readonly { assetId: string; symbol: string; valueUsd: string; share: string }[];
  readonly totalValueUsd: string;
  readonly unlisted: 'keep' | 'sell';
}

/** GET /notifications: the /alerts and /digest choices (read-only here; the chat changes them). */
export interface NotificationsView {
  readonly timeZone: string;
  readonly alerts: {
    readonly muted: boolean;
    readonly dailyCap: number;
    readonly quietHours: { readonly start: number; readonly end: number } | null;
    readonly rules: readonly {
      readonly id: string;
      readonly title: string;
      readonly on: boolean;
      readonly threshold: string;
      readonly unit: string;
    }[];
  };
  readonly digest:
    | { readonly mode: 'off' }
    | { readonly mode: 'daily'; readonly hour: number; readonly nextDueAt?: string }
    | { readonly mode: 'weekly'; readonly hour: number; readonly weekday: number; readonly nextDueAt?: string };
}
