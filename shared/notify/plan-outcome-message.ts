import { chainName } from '../kernel/chains';
import { fromRawUnits, toDecimal, ZERO, type Decimal } from '../kernel/decimal';
import type { RebalancePlan } from '../kernel/types';
import { formatShare, formatUsd } from '../platform/telegram/money-format';
import { escapeHtml } from '../platform/telegram/messages';
import type { QuotedLeg, StoredPlan } from '../rebalance/plan-store';
import { formatLegSale, formatMinimumAmount, formatTokenAmount } from '../rebalance/rebalance-amounts';

export type AllocationRows = RebalancePlan['allocation'];

/**
 * The chat message when a signed plan settles (issue 13 §6): per trade the amounts really sold and received (OKX's
 * history; the quoted ones when it had none), the total cost, and the allocation against the target; on failure which
 * trade failed, why, and what was already done. `allocation` is measured after a fresh sync, `isMeasured` false when
 * that sync failed and the plan's projection stands in.
 */
export function renderPlanOutcome(plan: StoredPlan, allocation: AllocationRows, isMeasured: boolean): string {
  const done = plan.legs.filter((item) => item.execution?.state === 'confirmed');
  const head =
    plan.state === 'confirmed'
      ? '✅ <b>Rebalance done</b>: every trade is confirmed on-chain.'
      : plan.state === 'failed'
        ? `❌ <b>Rebalance failed</b>: ${failedLine(plan)}`
        : '⌛ <b>Rebalance expired</b>: not everything was signed and confirmed in time.';
  const lines = [head, ''];
  if (done.length > 0) {
    lines.push(plan.state === 'confirmed' ? '<b>Trades</b>' : '<b>Already done</b>');
    lines.push(...done.map((item) => `${plan.legs.indexOf(item) + 1}. ${realisedLine(item)}`));
    lines.push(`Total cost: ${escapeHtml(formatUsd(totalCost(done).toFixed(2)))} (price impact and network fees)`);
  } else lines.push('Nothing was traded.');
  const open = plan.legs.filter((item) => item.execution?.state !== 'confirmed' && item.execution?.state !== 'failed');
  if (plan.state !== 'confirmed' && open.length > 0)
    lines.push(
      '',
      `Not done: ${open.map((item) => `${plan.legs.indexOf(item) + 1}. ${formatLegSale(item.leg)}`).join('; ')}`,
    );
  lines.push(
    '',
    isMeasured
      ? '<b>Allocation now</b> (target)'
      : '<b>Allocation expected</b> (target; the next sync shows the exact figures)',
  );
  lines.push(
    ...allocation.map(
      (row) =>
        `${escapeHtml(row.symbol)} ${escapeHtml(formatShare(isMeasured ? row.current : row.projected))} (${escapeHtml(formatShare(row.target))})`,
    ),
  );
  return lines.join('\n');
}

function failedLine(plan: StoredPlan): string {
  const failed = plan.legs.find((item) => item.execution?.state === 'failed');
  if (!failed) return 'a trade failed.';
  const index = plan.legs.indexOf(failed) + 1;
  const reason = failed.execution?.failReason ?? 'unknown reason';
  return `trade ${index} (${formatLegSale(failed.leg)} on ${escapeHtml(chainName(failed.leg.chainIndex))}): ${escapeHtml(reason)}.`;
}

function realisedLine({ leg, quote, execution }: QuotedLeg): string {
  const swap = execution?.steps.find((step) => step.kind === 'swap' && step.state === 'confirmed');
  const fromRaw = swap?.realised?.fromAmountRaw ?? leg.amountRaw;
  const toRaw = swap?.realised?.toAmountRaw ?? quote.toAmountRaw;
  const note = swap?.realised ? '' : ' (as quoted)';
  return `Sold ${formatTokenAmount(fromRaw, leg.from)} → got ${formatTokenAmount(toRaw, leg.to)}${note}, min was ${formatMinimumAmount(quote.minReceivedRaw, leg.to)}`;
}

/**
 * What the trades cost: value sold (the plan's USD size) − value received (the amount really received at the quote's
 * unit price of the bought token) + the quoted network fee; the quote's own cost where a price is missing.
 */
function totalCost(done: readonly QuotedLeg[]): Decimal {
  return done.reduce((sum, { leg, quote, execution }) => {
    const swap = execution?.steps.find((step) => step.kind === 'swap' && step.state === 'confirmed');
    if (!swap?.realised || quote.toTokenUnitPrice === undefined) return sum.plus(toDecimal(quote.costUsd));
    const received = fromRawUnits(swap.realised.toAmountRaw, leg.to.decimals).times(toDecimal(quote.toTokenUnitPrice));
    return sum.plus(
      toDecimal(leg.valueUsd)
        .minus(received)
        .plus(toDecimal(quote.gasUsd ?? '0')),
    );
  }, ZERO);
}
