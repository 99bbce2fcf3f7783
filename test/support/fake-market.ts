import { countSentRequest } from '../../shared/platform/okx/okx-http';
import type { Candle, CandleRequest, MarketDataPort, TokenBalance } from '../../shared/platform/okx/market-data-port';

/** A scripted MarketDataPort for service tests: balances per address, failures per address or chain. */
export interface FakeMarket extends MarketDataPort {
  balances: Map<string, TokenBalance[]>;
  failingAddresses: Set<string>;
  failingChains: Set<string>;
  decimals: Map<string, number>;
  /** Candles per token key (`chain:address`), newest first. */
  candles: Map<string, Candle[]>;
  calls: string[];
  /** Latency of a balance call, so concurrent syncs overlap as they do against the real API. */
  balanceDelayMs: number;
}

export function createFakeMarket(): FakeMarket {
  // Each scripted call stands for one request on the wire, counted like the real client counts it.
  const record = (call: string) => {
    market.calls.push(call);
    countSentRequest();
  };
  const market: FakeMarket = {
    balances: new Map(),
    failingAddresses: new Set(),
    failingChains: new Set(),
    decimals: new Map(),
    candles: new Map(),
    calls: [],
    balanceDelayMs: 0,
    async getTokenBalances(address, chains) {
      record(`balances:${address}`);
      if (market.balanceDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, market.balanceDelayMs));
      if (market.failingAddresses.has(address)) throw new Error('OKX 50026 system busy');
      const failedChains = chains
        .filter((chain) => market.failingChains.has(chain))
        .map((chainIndex) => ({ chainIndex, error: 'OKX 50026' }));
      const balances = (market.balances.get(address) ?? []).filter(
        (item) => chains.includes(item.chainIndex) && !market.failingChains.has(item.chainIndex),
      );
      return { balances, failedChains };
    },
    async getTokenInfo(tokens) {
      record(`info:${tokens.length}`);
      return tokens
        .filter((token) => market.decimals.has(`${token.chainIndex}:${token.tokenAddress}`))
        .map((token) => ({
          ...token,
          decimals: market.decimals.get(`${token.chainIndex}:${token.tokenAddress}`)!,
          symbol: 'TKN',
          name: 'Token',
          logoUrl: '',
        }));
    },
    async getSpotPrices(tokens) {
      record(`prices:${tokens.length}`);
      return [];
    },
    async getHistoricalCandles(request: CandleRequest) {
      record(`candles:${request.chainIndex}:${request.tokenAddress}:${request.bar}`);
      const all = market.candles.get(`${request.chainIndex}:${request.tokenAddress}`) ?? [];
      return all.slice(0, request.limit ?? 100);
    },
    async getSupportedChains() {
      record('chains');
      return [{ chainIndex: '1', name: 'Ethereum' }];
    },
  };
  return market;
}

export function balance(
  address: string,
  chainIndex: string,
  tokenAddress: string,
  symbol: string,
  amount: string,
  priceUsd?: string,
  extra: Partial<TokenBalance> = {},
): TokenBalance {
  return {
    chainIndex,
    tokenAddress,
    walletAddress: address,
    symbol,
    balance: amount,
    priceUsd,
    isRiskToken: false,
    ...extra,
  };
}
