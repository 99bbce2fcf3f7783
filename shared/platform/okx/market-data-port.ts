import type { ChainIndex, DecimalString, IsoTime, TokenRef } from '../../kernel/types';

/**
 * What the product reads from the market (the OKX Web3/DEX API behind `createOkxClient`). Every
 * amount and price is a decimal string; token addresses follow the architecture vocabulary
 * (EVM lower-case, Solana base58 as is, native coin = '').
 */
export interface TokenBalance extends TokenRef {
  readonly walletAddress: string;
  readonly symbol: string;
  /** Token units (decimals applied), exact as OKX sent it. */
  readonly balance: DecimalString;
  /** Minimal on-chain units when OKX filled `rawBalance`; undefined when it sent "". */
  readonly rawBalance?: DecimalString;
  /** USD unit price; undefined when OKX has none (never 0 by default). */
  readonly priceUsd?: DecimalString;
  readonly isRiskToken: boolean;
}

export interface ChainFailure {
  readonly chainIndex: ChainIndex;
  readonly error: string;
}

export interface BalancesResult {
  readonly balances: readonly TokenBalance[];
  /** Chains whose request failed while others answered: the caller keeps their last good data. */
  readonly failedChains: readonly ChainFailure[];
}

export interface TokenInfo extends TokenRef {
  readonly decimals: number;
  readonly symbol: string;
  readonly name: string;
  readonly logoUrl: string;
  readonly communityRecognized?: boolean;
}

export interface TokenPrice extends TokenRef {
  readonly priceUsd: DecimalString;
  readonly time: IsoTime;
}

export interface Candle {
  /** Candle start time. */
  readonly time: IsoTime;
  readonly open: DecimalString;
  readonly high: DecimalString;
  readonly low: DecimalString;
  readonly close: DecimalString;
  readonly isClosed: boolean;
}

export interface CandleRequest extends TokenRef {
  /** OKX bar, e.g. '1H', '1Dutc'. */
  readonly bar: string;
  /** Only candles older than this instant (OKX `after`, ms). */
  readonly before?: Date;
  readonly limit?: number;
}

export interface SupportedChain {
  readonly chainIndex: ChainIndex;
  readonly name: string;
  readonly shortName?: string;
}

export interface MarketDataPort {
  /** All tokens of one address on the given chains (as few calls as the API allows, ≤ 50 chains each). */
  getTokenBalances(
    address: string,
    chains: readonly ChainIndex[],
    options?: { includeRiskTokens?: boolean },
  ): Promise<BalancesResult>;
  /** Decimals, symbol, name, logo (batched); tokens OKX does not know are absent from the answer. */
  getTokenInfo(tokens: readonly TokenRef[]): Promise<TokenInfo[]>;
  /** Spot USD prices (batched); unpriced tokens are absent from the answer. */
  getSpotPrices(tokens: readonly TokenRef[]): Promise<TokenPrice[]>;
  /** Closed historical candles, newest first. */
  getHistoricalCandles(request: CandleRequest): Promise<Candle[]>;
  getSupportedChains(): Promise<SupportedChain[]>;
}
