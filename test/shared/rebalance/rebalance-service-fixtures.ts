import type { RebalanceLeg, RebalancePlan } from '../../../shared/kernel/types';
import type { RebalanceMarket } from '../../../shared/rebalance/rebalance-market';

export const ETH = { chainIndex: '42161', tokenAddress: '', assetId: 'eth', symbol: 'ETH', decimals: 18 };
export const USDC = {
  chainIndex: '42161',
  tokenAddress: '0xaf88d065e77c8cc2239327c5edb3a432268e5831',
  assetId: 'usdc',
  symbol: 'USDC',
  decimals: 6,
};
export const WBTC = {
  chainIndex: '42161',
  tokenAddress: '0x2f2a2543b76a4166549f7aab2e75bef0aefc5b0f',
  assetId: 'wbtc',
  symbol: 'WBTC',
  decimals: 8,
};

export const wbtcToUsdc: RebalanceLeg = {
  chainIndex: '42161',
  from: WBTC,
  to: USDC,
  amount: '0.03333333',
  amountRaw: '3333333',
  valueUsd: '2000',
};
export const wbtcToEth: RebalanceLeg = {
  chainIndex: '42161',
  from: WBTC,
  to: ETH,
  amount: '0.01666666',
  amountRaw: '1666666',
  valueUsd: '1000',
};

export function suggestedPlan(legs: readonly RebalanceLeg[] = [wbtcToUsdc, wbtcToEth]): RebalancePlan {
  return {
    mode: 'target',
    totalValueUsd: '20000',
    legs,
    dropped: [],
    allocation: [
      { assetId: 'eth', symbol: 'ETH', current: '0.45', target: '0.5', projected: '0.5', band: '0.05' },
      { assetId: 'wbtc', symbol: 'WBTC', current: '0.45', target: '0.3', projected: '0.3', band: '0.05' },
      { assetId: 'usdc', symbol: 'USDC', current: '0.1', target: '0.2', projected: '0.2', band: '0.05' },
    ],
    turnoverUsd: '3000',
    notes: [],
    unlisted: 'keep',
    kept: [],
  };
}

type Quote = Awaited<ReturnType<RebalanceMarket['getQuote']>>;
type QuoteRequest = Parameters<RebalanceMarket['getQuote']>[0];

/** Quotes keyed by `<from symbol>-><to symbol>`; an Error value makes that quote fail. */
export interface FakeRebalanceMarket extends RebalanceMarket {
  quotes: Map<string, Quote | Error>;
  quoteCalls: QuoteRequest[];
  swapCalls: Parameters<RebalanceMarket['getSwap']>[0][];
  swapError?: Error;
  /** While set, quotes wait for it: lets a test hold a confirm in the middle of its re-quote. */
  gate?: Promise<void>;
}

const SYMBOLS = new Map([ETH, USDC, WBTC].map((token) => [token.tokenAddress, token.symbol]));

export function createFakeRebalanceMarket(): FakeRebalanceMarket {
  const market: FakeRebalanceMarket = {
    quotes: new Map<string, Quote | Error>([
      // Paid 0.03333333 WBTC × 60000 = 1999.9998; received 1998 USDC × 1 = 1998; impact (1998 − 1999.9998) / 1999.9998 ≈ −0.1 %.
      [
        'WBTC->USDC',
        {
          toAmountRaw: '1998000000',
          fromTokenUnitPrice: '60000',
          toTokenUnitPrice: '1',
          priceImpactPercent: '-0.1',
          gasUsd: '0.2',
          estimateGasFee: '250000',
        },
      ],
      // Paid 0.01666666 WBTC × 60000 = 999.9996; received 0.333 ETH × 3000 = 999; impact ≈ −0.1 %.
      [
        'WBTC->ETH',
        {
          toAmountRaw: '333000000000000000',
          minReceivedRaw: '329670000000000000',
          fromTokenUnitPrice: '60000',
          toTokenUnitPrice: '3000',
          priceImpactPercent: '-0.1',
          gasUsd: '0.15',
        },
      ],
    ]),
    quoteCalls: [],
    swapCalls: [],
    async getQuote(request) {
      market.quoteCalls.push(request);
      await market.gate;
      const quote = market.quotes.get(
        `${SYMBOLS.get(request.fromTokenAddress)}->${SYMBOLS.get(request.toTokenAddress)}`,
      );
      if (!quote) throw new Error('no scripted quote');
      if (quote instanceof Error) throw quote;
      return quote;
    },
    async getSwap(request) {
      market.swapCalls.push(request);
      if (market.swapError) throw market.swapError;
      const approveTx =
        request.fromTokenAddress === '' ? undefined : { to: request.fromTokenAddress, data: '0x095ea7b3', value: '0' };
      return {
        tx: { to: '0x5e1f62dac767b0491e3ce72469c217365d5b48cc', data: '0xf2c42696', value: '0', gas: '273000' },
        minReceivedRaw: '1978020000',
        ...(approveTx ? { approveTx } : {}),
      };
    },
  };
  return market;
}

export class FakeOkxError extends Error {
  constructor(readonly code: string) {
    super(`OKX ${code}`);
  }
}
