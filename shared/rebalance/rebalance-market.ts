import type { DecimalString } from '../kernel/types';

export interface UnsignedTransaction {
  readonly to: string;
  readonly data: string;
  /** Native amount in the chain's smallest unit. */
  readonly value?: DecimalString;
  readonly gas?: DecimalString;
}

/** What a leg's cost is computed from (the aggregator quote, okx-api §9.5). */
export interface QuoteForCost {
  /** Raw units actually quoted for the sold / bought token. */
  readonly fromAmountRaw?: DecimalString;
  readonly toAmountRaw: DecimalString;
  /** Token units (the quote's `decimal` applied); absent when OKX sent no decimals. */
  readonly fromAmount?: DecimalString;
  readonly toAmount?: DecimalString;
  /** USD per whole token as priced by the quote itself. */
  readonly fromTokenUnitPrice?: DecimalString;
  readonly toTokenUnitPrice?: DecimalString;
  /** OKX's (received − paid) / paid in percent: a loss is negative. */
  readonly priceImpactPercent?: DecimalString;
  /** Network fee in USD (`tradeFee`). */
  readonly gasUsd?: DecimalString;
}

/**
 * The slice of the market port the rebalance flow needs, declared structurally so the flow can be
 * tested with a small fake.
 */
export interface RebalanceMarket {
  getQuote(request: {
    chainIndex: string;
    fromTokenAddress: string;
    toTokenAddress: string;
    amountRaw: DecimalString;
    slippagePercent?: DecimalString;
  }): Promise<
    QuoteForCost & {
      toAmountRaw: DecimalString;
      minReceivedRaw?: DecimalString;
      priceImpactPercent?: DecimalString;
      estimateGasFee?: DecimalString;
      gasUsd?: DecimalString;
      /** USD per whole token at quote time (OKX `fromToken/toToken.tokenUnitPrice`): re-prices the leg. */
      fromTokenUnitPrice?: DecimalString;
      toTokenUnitPrice?: DecimalString;
    }
  >;
  getSwap(request: {
    chainIndex: string;
    fromTokenAddress: string;
    toTokenAddress: string;
    amountRaw: DecimalString;
    slippagePercent: DecimalString;
    userWalletAddress: string;
  }): Promise<{ tx: UnsignedTransaction; minReceivedRaw: DecimalString; approveTx?: UnsignedTransaction }>;
}
