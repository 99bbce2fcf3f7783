import type { LegQuote, QuotedLeg } from './plan-store';
import { chainInfo } from '../kernel/chains';
import { Dec, fromRawUnits, HUNDRED, ONE, sumDecimals, toDecimal, ZERO, type Decimal } from '../kernel/decimal';
import type { DecimalString, RebalanceLeg, RebalancePlan } from '../kernel/types';
import type { QuoteForCost, RebalanceMarket } from './rebalance-market';

/** finance-methods §5.2: a leg whose trade cost + gas exceeds 1 % of its notional costs more than the drift it fixes. */
export const MAX_COST_SHARE = new Dec('0.01');

export const TRON_NOT_TRADED =
  'rebalancing on Tron is not supported yet: Tron is tracked, but the bot builds no Tron swaps';

export type LegQuoteResult =
  | { readonly kind: 'quoted'; readonly quoted: QuotedLeg }
  | { readonly kind: 'dropped'; readonly leg: RebalanceLeg; readonly reason: string };

/** Quotes one leg at the user's slippage cap and decides whether it is worth trading. */
export async function quoteLeg(
  market: RebalanceMarket,
  planned: RebalanceLeg,
  slippagePercent: DecimalString,
): Promise<LegQuoteResult> {
  // Tron is tracked (balances, prices, reports) but its swaps would need Tron transactions we do not build.
  if (chainInfo(planned.chainIndex)?.family === 'tron')
    return { kind: 'dropped', leg: planned, reason: TRON_NOT_TRADED };
  let quote;
  try {
    quote = await market.getQuote({
      chainIndex: planned.chainIndex,
      fromTokenAddress: planned.from.tokenAddress,
      toTokenAddress: planned.to.tokenAddress,
      amountRaw: planned.amountRaw,
      slippagePercent,
    });
  } catch (error) {
    return { kind: 'dropped', leg: planned, reason: describeQuoteError(error) };
  }
  const leg = repriceLeg(planned, quote.fromTokenUnitPrice);
  const minReceivedRaw = quote.minReceivedRaw ?? floorAtSlippage(quote.toAmountRaw, slippagePercent);
  const cost = costOf(leg, quote);
  if (cost === undefined)
    return { kind: 'dropped', leg, reason: `cost unknown: the quote gave no USD price for ${leg.to.symbol}` };
  const legQuote: LegQuote = {
    toAmountRaw: quote.toAmountRaw,
    minReceivedRaw,
    ...(quote.priceImpactPercent !== undefined ? { priceImpactPercent: quote.priceImpactPercent } : {}),
    ...(quote.gasUsd !== undefined ? { gasUsd: quote.gasUsd } : {}),
    ...(quote.estimateGasFee !== undefined ? { estimateGasFee: quote.estimateGasFee } : {}),
    costUsd: cost.toString(),
    ...(quote.toTokenUnitPrice !== undefined ? { toTokenUnitPrice: quote.toTokenUnitPrice } : {}),
  };
  const limit = toDecimal(leg.valueUsd).times(MAX_COST_SHARE);
  if (cost.gt(limit))
    return {
      kind: 'dropped',
      leg,
      reason: `too costly: $${cost.toFixed(2)} in price impact and gas is over 1 % of $${toDecimal(leg.valueUsd).toFixed(2)}`,
    };
  return { kind: 'quoted', quoted: { leg, quote: legQuote } };
}

/**
 * The leg's USD size at the quote's own price of the sold token (amount × fromToken.tokenUnitPrice), so a
 * re-quote after a price move shows sizes, costs and totals of now, not of the first quote. Without a
 * price the planned size stands.
 */
export function repriceLeg(leg: RebalanceLeg, fromTokenUnitPrice: DecimalString | undefined): RebalanceLeg {
  if (fromTokenUnitPrice === undefined || toDecimal(fromTokenUnitPrice).lte(ZERO)) return leg;
  return { ...leg, valueUsd: toDecimal(leg.amount).times(toDecimal(fromTokenUnitPrice)).toString() };
}

/**
 * USD cost of a leg = value paid − value received + network fee (`tradeFee`), both values at the quote's own
 * unit prices on the quoted amounts (okx-api §9.5). Nothing is decided on the sign of `priceImpactPercent`:
 * a received value above the paid one gives a negative trade part, which lowers the cost.
 * Fallbacks, in order (docs/decisions.md "Trade cost"):
 *  - amounts: the quote's `decimal` applied; without it, the leg's own token decimals;
 *  - paid value without `fromToken.tokenUnitPrice`: the leg's notional (`valueUsd`, our sync price);
 *  - received value without `toToken.tokenUnitPrice`: paid × (1 + priceImpactPercent / 100), OKX's own
 *    definition of the impact; without that either, the cost is unknown (undefined) and the leg is dropped.
 */
export function costOf(leg: RebalanceLeg, quote: QuoteForCost): Decimal | undefined {
  const fromAmount =
    quote.fromAmount ?? fromRawUnits(quote.fromAmountRaw ?? leg.amountRaw, leg.from.decimals).toString();
  const toAmount = quote.toAmount ?? fromRawUnits(quote.toAmountRaw, leg.to.decimals).toString();
  const paid =
    quote.fromTokenUnitPrice === undefined
      ? toDecimal(leg.valueUsd)
      : toDecimal(fromAmount).times(toDecimal(quote.fromTokenUnitPrice));
  let received: Decimal;
  if (quote.toTokenUnitPrice !== undefined) received = toDecimal(toAmount).times(toDecimal(quote.toTokenUnitPrice));
  else if (quote.priceImpactPercent !== undefined)
    received = paid.times(HUNDRED.plus(toDecimal(quote.priceImpactPercent))).div(HUNDRED);
  else return undefined;
  return paid.minus(received).plus(quote.gasUsd === undefined ? ZERO : toDecimal(quote.gasUsd));
}

/**
 * A re-quoted plan at the fresh quotes' prices: each asset a leg sells or buys is revalued by the ratio of its
 * new to its old quoted unit price (sold side: the leg's re-priced size over its old size, same amount), so the
 * rebalanced total and the current shares are of now, like the legs. Assets no quote prices keep their value.
 */
export function revalueAllocation(
  plan: Pick<RebalancePlan, 'allocation' | 'totalValueUsd'>,
  previous: readonly QuotedLeg[],
  fresh: readonly LegQuoteResult[],
): Pick<RebalancePlan, 'allocation' | 'totalValueUsd'> {
  const ratios = new Map<string, Decimal>();
  fresh.forEach((result, index) => {
    const before = previous[index];
    if (result.kind !== 'quoted' || !before) return;
    const oldSize = toDecimal(before.leg.valueUsd);
    if (oldSize.gt(ZERO)) ratios.set(before.leg.from.assetId, toDecimal(result.quoted.leg.valueUsd).div(oldSize));
    const [oldTo, newTo] = [before.quote.toTokenUnitPrice, result.quoted.quote.toTokenUnitPrice];
    if (oldTo !== undefined && newTo !== undefined && toDecimal(oldTo).gt(ZERO))
      ratios.set(before.leg.to.assetId, toDecimal(newTo).div(toDecimal(oldTo)));
  });
  const total = toDecimal(plan.totalValueUsd);
  const values = plan.allocation.map((row) =>
    toDecimal(row.current)
      .times(total)
      .times(ratios.get(row.assetId) ?? ONE),
  );
  const newTotal = sumDecimals(values);
  if (ratios.size === 0 || newTotal.lte(ZERO)) return plan;
  return {
    totalValueUsd: newTotal.toString(),
    allocation: plan.allocation.map((row, index) => ({ ...row, current: values[index]!.div(newTotal).toString() })),
  };
}

/** The aggregator's own rule (okx-api §9.6): floor(toAmount x (100 - slippage) / 100). */
export function floorAtSlippage(toAmountRaw: DecimalString, slippagePercent: DecimalString): DecimalString {
  return toDecimal(toAmountRaw)
    .times(HUNDRED.minus(toDecimal(slippagePercent)))
    .div(HUNDRED)
    .round(0, Dec.roundDown)
    .toFixed(0);
}

const QUOTE_ERRORS: Record<string, string> = {
  '82000': 'insufficient liquidity',
  '82102': 'amount below the aggregator minimum',
  '82103': 'amount above the aggregator maximum',
  '82104': 'token not supported by the aggregator',
  '82112': 'price impact above the protection threshold',
};

/** Plain words for the user; the OKX code is kept so support can trace it. */
export function describeQuoteError(error: unknown): string {
  const code =
    typeof error === 'object' && error !== null && 'code' in error
      ? String((error as { code: unknown }).code)
      : undefined;
  const known = code ? QUOTE_ERRORS[code] : undefined;
  if (known) return `${known} (OKX ${code})`;
  return code ? `no quote (OKX ${code})` : 'no quote available right now';
}

/** Shares after the kept legs only, so dropped legs do not flatter the projection. */
export function projectAllocation(
  plan: Pick<RebalancePlan, 'allocation' | 'totalValueUsd'>,
  legs: readonly RebalanceLeg[],
): RebalancePlan['allocation'] {
  const total = toDecimal(plan.totalValueUsd);
  return plan.allocation.map((row) => {
    const bought = sumDecimals(
      legs.filter((leg) => leg.to.assetId === row.assetId).map((leg) => toDecimal(leg.valueUsd)),
    );
    const sold = sumDecimals(
      legs.filter((leg) => leg.from.assetId === row.assetId).map((leg) => toDecimal(leg.valueUsd)),
    );
    const projected = total.eq(ZERO)
      ? toDecimal(row.current)
      : toDecimal(row.current).plus(bought.minus(sold).div(total));
    return { ...row, projected: projected.toString() };
  });
}
