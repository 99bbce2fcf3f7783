import { chainInfo, chainName } from '../kernel/chains';
import { fromRawUnits } from '../kernel/decimal';
import type { StoredPlan } from '../rebalance/plan-store';

/** `GET /plans/{planId}` (spec: Mini App API, SigningPlan): amounts in UI units, decimal strings. */
export function signingPlanBody(plan: StoredPlan, dryRun: boolean) {
  return {
    planId: plan.planId,
    state: plan.state,
    ...(plan.signBy ? { signBy: plan.signBy } : {}),
    dryRun,
    legs: plan.legs.map(({ leg, quote, execution }, index) => {
      const ui = (raw: string, decimals: number) => fromRawUnits(raw, decimals).toFixed();
      const swap = execution?.steps.find((step) => step.kind === 'swap' && step.state === 'confirmed');
      const realised = swap
        ? {
            fromAmount: ui(swap.realised?.fromAmountRaw ?? leg.amountRaw, leg.from.decimals),
            toAmount: ui(swap.realised?.toAmountRaw ?? quote.toAmountRaw, leg.to.decimals),
          }
        : undefined;
      return {
        index,
        chainIndex: leg.chainIndex,
        chainName: chainName(leg.chainIndex),
        family: chainInfo(leg.chainIndex)?.family === 'solana' ? ('solana' as const) : ('evm' as const),
        walletAddress: execution?.walletAddress ?? leg.walletAddress ?? '',
        from: { symbol: leg.from.symbol, tokenAddress: leg.from.tokenAddress, amount: leg.amount },
        to: {
          symbol: leg.to.symbol,
          tokenAddress: leg.to.tokenAddress,
          expected: ui(quote.toAmountRaw, leg.to.decimals),
          minReceived: ui(quote.minReceivedRaw, leg.to.decimals),
        },
        state: execution?.state ?? 'awaiting-signature',
        steps: (execution?.steps ?? []).map((step) => ({
          stepId: step.stepId,
          kind: step.kind,
          state: step.state,
          ...(step.txHash ? { txHash: step.txHash } : {}),
          ...(step.failReason ? { failReason: step.failReason } : {}),
        })),
        ...(execution?.failReason ? { failReason: execution.failReason } : {}),
        ...(realised ? { realised } : {}),
      };
    }),
  };
}
