import type { StoredPlan } from './plan-store';
import type { DecimalString, RebalanceLeg } from '../kernel/types';
import { describeQuoteError } from './rebalance-quotes';
import type { RebalanceMarket, UnsignedTransaction } from './rebalance-market';

/** The user's wallet that holds the leg's `from` token on that chain (the signer of the swap). */
export type WalletFinder = (userId: string, chainIndex: string) => Promise<string | undefined>;

export interface LegTransaction {
  readonly leg: RebalanceLeg;
  readonly walletAddress?: string;
  /** ERC-20 allowance for the aggregator's spender; absent for native coins and chains without approvals. */
  readonly approve?: UnsignedTransaction;
  readonly swap?: UnsignedTransaction;
  readonly minReceivedRaw?: DecimalString;
  readonly error?: string;
}

/**
 * Non-custodial execution: the bot never holds a key, so "live" means building the unsigned
 * transactions for the user to sign in their own wallet.
 */
export async function buildLegTransactions(
  market: RebalanceMarket,
  findWallet: WalletFinder,
  plan: StoredPlan,
): Promise<LegTransaction[]> {
  const transactions: LegTransaction[] = [];
  // One leg at a time: approvals and swaps on the same wallet must be signed in order anyway.
  for (const { leg } of plan.legs) transactions.push(await buildLeg(market, findWallet, plan, leg));
  return transactions;
}

async function buildLeg(
  market: RebalanceMarket,
  findWallet: WalletFinder,
  plan: StoredPlan,
  leg: RebalanceLeg,
): Promise<LegTransaction> {
  const walletAddress = leg.walletAddress ?? (await findWallet(plan.userId, leg.chainIndex));
  if (!walletAddress) return { leg, error: 'no tracked wallet on this chain' };
  try {
    const request = {
      chainIndex: leg.chainIndex,
      fromTokenAddress: leg.from.tokenAddress,
      toTokenAddress: leg.to.tokenAddress,
      amountRaw: leg.amountRaw,
      slippagePercent: plan.slippagePercent,
      userWalletAddress: walletAddress,
    };
    const swap = await market.getSwap(request);
    return {
      leg,
      walletAddress,
      swap: swap.tx,
      minReceivedRaw: swap.minReceivedRaw,
      ...(swap.approveTx ? { approve: swap.approveTx } : {}),
    };
  } catch (error) {
    return { leg, walletAddress, error: describeQuoteError(error) };
  }
}
