import type { DecimalString } from '../domain/types';

export interface UnsignedTransaction {
  readonly to: string;
  readonly data: string;
  /** Native amount in the chain's smallest unit. */
  readonly value?: DecimalString;
  readonly gas?: DecimalString;
}

/**
 * The slice of the market port the rebalance flow needs, declared structurally so the flow can be
 * tested with a small fake.
 */
export interface RebalanceMarket {
  getQuote(request: { chainIndex: string; fromTokenAddress: string; toTokenAddress: string; amountRaw: DecimalString; slippagePercent?: DecimalString }): Promise<{
    toAmountRaw: DecimalString;
    minReceivedRaw?: DecimalString;
    priceImpactPercent?: DecimalString;
    estimateGasFee?: DecimalString;
    gasUsd?: DecimalString;
    /** USD per whole token at quote time (OKX `fromToken/toToken.tokenUnitPrice`): re-prices the leg. */
    fromTokenUnitPrice?: DecimalString;
    toTokenUnitPrice?: DecimalString;
  }>;
  getSwap(request: {
    chainIndex: string;
    fromTokenAddress: string;
    toTokenAddress: string;
    amountRaw: DecimalString;
    slippagePercent: DecimalString;
    userWalletAddress: string;
  }): Promise<{ tx: UnsignedTransaction; minReceivedRaw: DecimalString; approveTx?: UnsignedTransaction }>;
}
