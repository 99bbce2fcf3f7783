import type { StoredPlan } from './plan-store';
import type { Refusal } from './rebalance-execution';
import type { LegTransaction } from './rebalance-live';
import { formatShare, formatUsd } from '../platform/telegram/money-format';
import { escapeHtml } from '../platform/telegram/messages';
import type { RebalancePlan } from '../kernel/types';
import { formatGas, formatLegSale, formatMinimumAmount, formatTokenAmount } from './rebalance-amounts';

/** The dry-run outcome, labelled so nobody mistakes it for a trade. */
export function renderSimulatedResult(plan: StoredPlan): string {
  const rows = plan.legs.map(
    ({ leg, quote }, index) =>
      `${index + 1}. ${formatLegSale(leg)}: expected ${formatTokenAmount(quote.toAmountRaw, leg.to)}, min ${formatMinimumAmount(quote.minReceivedRaw, leg.to)}, ${formatGas(quote.gasUsd)}`,
  );
  return [
    '🧪 <b>DRY RUN — simulated, nothing was sent on-chain</b>',
    '',
    ...rows,
    '',
    '<i>Your balances are unchanged. Turn on live mode with /live on to get transactions to sign.</i>',
  ].join('\n');
}

/** Live mode summary; the transaction data follows in separate messages because calldata is long. */
export function renderSignatureSummary(transactions: readonly LegTransaction[]): string {
  const ready = transactions.filter((item) => item.swap).length;
  return [
    '✍️ <b>Ready to sign</b>',
    `${ready} of ${transactions.length} swaps were built. Sign them in your own wallet, in order; this bot never holds your keys.`,
    '<i>The minimum received is enforced on-chain: if the price moves past your slippage cap the swap reverts.</i>',
  ].join('\n');
}

/** One leg's unsigned transactions (approve first when needed) for the user's wallet. */
export function renderLegTransaction(item: LegTransaction, index: number): string {
  const title = `<b>${index + 1}. ${formatLegSale(item.leg)}</b>`;
  if (!item.swap) return `${title}\n❌ Not built: ${escapeHtml(item.error ?? 'unknown error')}`;
  const lines = [title, `From wallet <code>${escapeHtml(item.walletAddress ?? '')}</code>`];
  if (item.approve)
    lines.push(
      'Step 1, approve:',
      `to <code>${escapeHtml(item.approve.to)}</code>`,
      `data <code>${escapeHtml(item.approve.data)}</code>`,
      'Step 2, swap:',
    );
  lines.push(`to <code>${escapeHtml(item.swap.to)}</code>`, `value <code>${escapeHtml(item.swap.value ?? '0')}</code>`);
  if (item.swap.gas) lines.push(`gas limit <code>${escapeHtml(item.swap.gas)}</code>`);
  lines.push(`data <code>${escapeHtml(item.swap.data)}</code>`);
  if (item.minReceivedRaw) lines.push(`min received ${formatMinimumAmount(item.minReceivedRaw, item.leg.to)}`);
  return lines.join('\n');
}

export const CANCELLED_TEXT = '✖️ Rebalance cancelled. Nothing was traded.';
export const REQUOTED_HEADLINE =
  '⚠️ <b>Prices moved</b> past your confirmed minimums, so nothing was done. Here are fresh quotes:';
export const NO_TARGET_TEXT = 'You have no target allocation yet. Set one with /target, then tap Rebalance again.';
export const NOTHING_TO_DO_TEXT = '✅ Your portfolio is within its bands: nothing to rebalance.';

/** Nothing to trade, and, when unlisted assets are kept, what is kept and what the targets share. */
export function nothingToDoText(plan: Pick<RebalancePlan, 'kept' | 'totalValueUsd' | 'allocation'>): string {
  if (plan.kept.length === 0) return NOTHING_TO_DO_TEXT;
  const shares = plan.allocation
    .map((row) => `${escapeHtml(row.symbol)} ${escapeHtml(formatShare(row.current))}`)
    .join(', ');
  return [
    `✅ Nothing to rebalance in the ${escapeHtml(formatUsd(plan.totalValueUsd))} your target covers: ${shares} of it, within the bands.`,
    `${keptSentence(plan.kept)} Send /target to sell them into your targets instead.`,
  ].join('\n');
}

/** "Kept as they are (not in your target): WBTC $9,000.00, USDC $2,000.00." */
export function keptSentence(kept: RebalancePlan['kept']): string {
  return `Kept as they are (not in your target): ${kept.map((row) => `${escapeHtml(row.symbol)} ${escapeHtml(formatUsd(row.valueUsd))}`).join(', ')}.`;
}

/** Short answers for the callback toast (Telegram shows up to 200 characters). */
export function refusalText(refusal: Refusal): string {
  switch (refusal.kind) {
    case 'expired':
      return 'This quote expired, tap Rebalance again';
    case 'not-yours':
      return 'Not your plan';
    case 'in-progress':
      return 'Already in progress';
    case 'already-done':
      return refusal.state === 'cancelled' ? 'This plan was cancelled' : 'Already done';
  }
}

export function renderLiveStatus(input: { liveMode: boolean; dryRun: boolean }): string {
  const user = input.liveMode
    ? '⚠️ Live mode is <b>on</b> for you.'
    : '🧪 Live mode is <b>off</b> for you: confirmations are simulated.';
  const server = input.dryRun
    ? '\nThis bot runs in <b>DRY_RUN_MODE</b>, so every confirmation is simulated whatever you choose.'
    : '';
  return `${user}${server}\nUse /live on or /live off. In live mode Confirm builds unsigned transactions for you to sign in your own wallet; the bot never holds keys.`;
}
