import type { QuotedLeg, StoredPlan } from './plan-store';
import { ZERO, sumDecimals, toDecimal } from '../kernel/decimal';
import { escapeHtml, type HtmlMessage } from '../platform/telegram/messages';
import { formatQuantity, formatShare, formatUsd } from '../platform/telegram/money-format';
import {
  formatGas,
  formatLegSale,
  formatMinimumAmount,
  formatTokenAmount,
  sumPlan,
  sumTokenDeltas,
} from './rebalance-amounts';
import { keptSentence } from './rebalance-result';
import { chainName } from '../kernel/chains';

export interface PreviewOptions {
  /** True when confirming would build real transactions (DRY_RUN_MODE off and the user opted in). */
  readonly isLive: boolean;
  /** Shown above the plan, e.g. why the user is asked again. */
  readonly headline?: string;
}

/** The plan as the user confirms it: legs with quotes, what was dropped and why, totals and the projected mix. */
export function renderRebalancePreview(plan: StoredPlan, options: PreviewOptions): HtmlMessage {
  const mode =
    plan.mode === 'target' ? 'to target' : 'to the band edge: each drifted asset back only to the edge of its band';
  const lines = [
    ...(options.headline ? [options.headline, ''] : []),
    `🔄 <b>Rebalance preview</b> (${mode})`,
    ...renderScope(plan),
    `Slippage cap ${escapeHtml(plan.slippagePercent)} %`,
    '',
    ...plan.legs.flatMap(renderLeg),
    ...renderDropped(plan),
    ...renderTotals(plan),
    ...renderAllocation(plan),
    '',
    options.isLive
      ? '⚠️ <b>Live mode</b>: Confirm builds the transactions for you to sign in your own wallet.'
      : '🧪 <b>Dry run</b>: Confirm simulates the trades; nothing is sent on-chain.',
    `<i>Quotes are valid for 5 minutes and are checked again when you confirm.</i>`,
  ];
  const buttons =
    plan.legs.length > 0
      ? [
          [
            { text: '✅ Confirm', data: `v1:confirm:${plan.planId}` },
            { text: '✖️ Cancel', data: `v1:cancel:${plan.planId}` },
          ],
        ]
      : [];
  buttons.push([
    plan.mode === 'target'
      ? { text: '📉 Cheaper: only to the band edge', data: 'v1:rebal:band' }
      : { text: '🎯 All the way to target', data: 'v1:rebal:target' },
  ]);
  return { text: lines.join('\n'), buttons };
}

/** The whole portfolio: what the plan rebalances and, when unlisted assets are kept, what it leaves out. */
function renderScope(plan: StoredPlan): string[] {
  const kept = plan.kept ?? [];
  if (kept.length === 0) return [`Portfolio ${escapeHtml(formatUsd(plan.totalValueUsd))}`];
  const whole = toDecimal(plan.totalValueUsd).plus(sumDecimals(kept.map((row) => toDecimal(row.valueUsd))));
  return [
    `Rebalancing ${escapeHtml(formatUsd(plan.totalValueUsd))} of your ${escapeHtml(formatUsd(whole.toString()))} portfolio.`,
    keptSentence(kept),
  ];
}

function renderLeg({ leg, quote }: QuotedLeg, index: number): string[] {
  const impact =
    quote.priceImpactPercent === undefined
      ? 'price impact n/a'
      : `price impact ${escapeHtml(signedImpact(quote.priceImpactPercent))} %`;
  return [
    `<b>${index + 1}. Sell ${formatLegSale(leg)}</b> on ${escapeHtml(chainName(leg.chainIndex))} (~${escapeHtml(formatUsd(leg.valueUsd))})`,
    `   Expected ${formatTokenAmount(quote.toAmountRaw, leg.to)} · min ${formatMinimumAmount(quote.minReceivedRaw, leg.to)}`,
    `   ${impact} · ${formatGas(quote.gasUsd)} · cost ${escapeHtml(formatUsd(quote.costUsd))}`,
  ];
}

/** OKX's impact as documented, (received − paid) / paid: a loss shows with a minus sign ("−0.06"), a gain with "+". */
function signedImpact(percent: string): string {
  if (percent.startsWith('-')) return `−${percent.slice(1)}`;
  return /^0*(\.0*)?$/.test(percent) ? percent : `+${percent}`;
}

function renderDropped(plan: StoredPlan): string[] {
  if (plan.dropped.length === 0) return [];
  const rows = plan.dropped.map(
    ({ leg, reason }) => `• ${formatLegSale(leg)} (~${escapeHtml(formatUsd(leg.valueUsd))}): ${escapeHtml(reason)}`,
  );
  return ['', '<b>Skipped</b>', ...rows];
}

function renderTotals(plan: StoredPlan): string[] {
  if (plan.legs.length === 0) return ['', 'Nothing is worth trading right now: every leg was skipped.'];
  const totals = sumPlan(plan.legs, plan.slippagePercent);
  const deltas = sumTokenDeltas(plan.legs).map(
    ({ token, delta }) =>
      `${delta.gte(ZERO) ? '+' : '−'}${escapeHtml(formatQuantity(delta.abs().toString()))} ${escapeHtml(token.symbol)}`,
  );
  return [
    '',
    `<b>Total</b>: ${escapeHtml(formatUsd(totals.notionalUsd.toString()))} traded · est. cost ${escapeHtml(formatUsd(totals.costUsd.toString()))} (${totals.costPercent.toFixed(2)} %)`,
    `Worst case at your slippage cap: −${escapeHtml(formatUsd(totals.worstSlippageUsd.toString()))}`,
    `Token changes (expected): ${deltas.join(' · ')}`,
  ];
}

function renderAllocation(plan: StoredPlan): string[] {
  const share = (value: string) => escapeHtml(formatShare(value));
  const rows = plan.allocation.map(
    (row) => `${escapeHtml(row.symbol)}: ${share(row.current)} → ${share(row.projected)} (target ${share(row.target)})`,
  );
  return ['', '<b>Allocation</b> now → after', ...rows];
}
