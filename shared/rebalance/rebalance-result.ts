import type { StoredPlan } from './plan-store';
import type { Refusal } from './rebalance-execution';
import { formatShare, formatUsd } from '../platform/telegram/money-format';
import { escapeHtml, type HtmlMessage } from '../platform/telegram/messages';
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
    '<i>Your balances are unchanged. Turn on live mode with /live on to sign the trades in your wallet.</i>',
  ].join('\n');
}

export const SIGN_BUTTON_TEXT = '✍️ Sign in wallet';

/**
 * Live mode: the plan awaits the user's signatures in the Mini App (issue 13). The preview is replaced by the legs
 * and one `web_app` button that opens the Mini App on this plan (`#sign=<planId>`); the page builds each
 * transaction fresh from OKX, intent-checks it and has the user's own wallet sign it.
 */
export function renderSigningReady(plan: StoredPlan, signUrl: string | undefined): HtmlMessage {
  const rows = plan.legs.map(({ leg, quote, execution }, index) => {
    const from = execution?.walletAddress
      ? ` from <code>${escapeHtml(shortAddress(execution.walletAddress))}</code>`
      : '';
    const problem =
      execution?.state === 'failed' ? ` — ❌ ${escapeHtml(execution.failReason ?? 'cannot be signed')}` : '';
    return `${index + 1}. ${formatLegSale(leg)}, at least ${formatMinimumAmount(quote.minReceivedRaw, leg.to)}${from}${problem}`;
  });
  const until = plan.signBy ? ` Sign within 15 minutes (by ${plan.signBy.slice(11, 16)} UTC).` : '';
  const how = signUrl
    ? `Tap <b>${SIGN_BUTTON_TEXT}</b>: each transaction is built fresh from OKX, checked against this plan and signed in your own wallet; this bot never holds your keys.${until}`
    : 'Signing happens in the Mini App, which is not set up on this bot: nothing can be signed here.';
  return {
    text: ['✍️ <b>Ready to sign</b>', '', ...rows, '', how].join('\n'),
    ...(signUrl ? { buttons: [[{ text: SIGN_BUTTON_TEXT, webApp: signUrl }]] } : {}),
  };
}

/** The Mini App URL that opens the signing page of a plan (the contract with the page: `#sign=<planId>`). */
export function signUrlOf(miniAppUrl: string, planId: string): string {
  return `${miniAppUrl.split('#')[0]}#sign=${encodeURIComponent(planId)}`;
}

function shortAddress(address: string): string {
  return address.length > 14 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
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
  return `${user}${server}\nUse /live on or /live off. In live mode Confirm opens a signing page: your own wallet signs each transaction; the bot never holds keys.`;
}
