import type { QuotedLeg } from './plan-store';
import { fromRawUnits, HUNDRED, sumDecimals, toDecimal, type Decimal } from '../kernel/decimal';
import type { RebalanceLeg } from '../kernel/types';
import { escapeHtml } from '../platform/telegram/messages';
import { formatQuantity, formatUsd } from '../platform/telegram/money-format';

/** "1,998.00 USDC": raw units converted exactly with the token's decimals, rounded only for display. */
export function formatTokenAmount(
  raw: string,
  token: RebalanceLeg['to'],
  rounding: 'nearest' | 'down' = 'nearest',
): string {
  return `${escapeHtml(formatQuantity(fromRawUnits(raw, token.decimals).toString(), rounding))} ${escapeHtml(token.symbol)}`;
}

/** A minimum received: rounded down for display, never above what the swap guarantees. */
export function formatMinimumAmount(raw: string, token: RebalanceLeg['to']): string {
  return formatTokenAmount(raw, token, 'down');
}

/** "gas $0.20", or "gas n/a" when the quote carried no estimate. */
export function formatGas(gasUsd: string | undefined): string {
  return gasUsd === undefined ? 'gas n/a' : `gas ${escapeHtml(formatUsd(gasUsd))}`;
}

export function formatLegSale(leg: RebalanceLeg): string {
  return `${escapeHtml(formatQuantity(leg.amount))} ${escapeHtml(leg.from.symbol)} → ${escapeHtml(leg.to.symbol)}`;
}

export interface PlanTotals {
  readonly notionalUsd: Decimal;
  readonly costUsd: Decimal;
  /** Cost as a percentage of the traded notional. */
  readonly costPercent: Decimal;
  /** What the slippage cap allows the user to lose at worst, in USD. */
  readonly worstSlippageUsd: Decimal;
}

export function sumPlan(legs: readonly QuotedLeg[], slippagePercent: string): PlanTotals {
  const notionalUsd = sumDecimals(legs.map((item) => toDecimal(item.leg.valueUsd)));
  const costUsd = sumDecimals(legs.map((item) => toDecimal(item.quote.costUsd)));
  const costPercent = notionalUsd.gt('0') ? costUsd.div(notionalUsd).times(HUNDRED) : toDecimal('0');
  return {
    notionalUsd,
    costUsd,
    costPercent,
    worstSlippageUsd: notionalUsd.times(toDecimal(slippagePercent)).div(HUNDRED),
  };
}

/** Net change per token across all legs: what the user will see in their wallet (expected amounts). */
export function sumTokenDeltas(legs: readonly QuotedLeg[]): { token: RebalanceLeg['to']; delta: Decimal }[] {
  const deltas = new Map<string, { token: RebalanceLeg['to']; delta: Decimal }>();
  const add = (token: RebalanceLeg['to'], amount: Decimal) => {
    const key = `${token.chainIndex}:${token.tokenAddress}`;
    const current = deltas.get(key);
    deltas.set(key, { token, delta: current ? current.delta.plus(amount) : amount });
  };
  for (const { leg, quote } of legs) {
    add(leg.from, toDecimal(leg.amount).times('-1'));
    add(leg.to, fromRawUnits(quote.toAmountRaw, leg.to.decimals));
  }
  return [...deltas.values()];
}
