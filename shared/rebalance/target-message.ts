import { formatShare, formatUsd } from '../platform/telegram/money-format';
import { escapeHtml, type HtmlMessage } from '../platform/telegram/messages';
import { HUNDRED, sumDecimals, toDecimal, ZERO, type Decimal } from '../kernel/decimal';
import type { PortfolioView, TargetAllocation, UnlistedPolicy } from '../kernel/types';

export const TARGET_USAGE =
  'Set it as pairs of asset and percent adding up to 100, e.g. <code>/target ETH 50 BTC 30 USDC 20</code>.';

/** Asset ids are lower-case canonical ids ("eth") or token keys ("1:0xabc…"); symbols read better upper-case. */
export function assetLabel(assetId: string): string {
  return /^[a-z0-9]+$/.test(assetId) ? assetId.toUpperCase() : assetId;
}

export interface TargetOverviewInput {
  readonly target: TargetAllocation | undefined;
  readonly view: PortfolioView;
  readonly unlisted: UnlistedPolicy;
  /** False when settings are not stored (the switch button is then left out). */
  readonly canSwitch: boolean;
  /** "✅ Target saved" after /target ETH 50 …; the plain title otherwise. */
  readonly saved?: boolean;
}

const share = (value: Decimal) => escapeHtml(formatShare(value.toString()));
const usd = (value: Decimal) => escapeHtml(formatUsd(value.toString()));

export const UNLISTED_BUTTON: Record<UnlistedPolicy, { text: string; data: string }> = {
  keep: { text: '🔁 Sell unlisted assets into the targets', data: 'v1:unlisted:sell' },
  sell: { text: '↩️ Keep unlisted assets as they are', data: 'v1:unlisted:keep' },
};

/**
 * The whole portfolio, current → target for every asset, and in words what happens to assets the target
 * does not list. With 'keep' the targets share only the listed part R of the priced total T, so an asset
 * with target t ends at t × R / T of the whole; with 'sell' it ends at t and unlisted assets at 0 %.
 */
export function renderTargetOverview(input: TargetOverviewInput): HtmlMessage {
  const { target, view, unlisted } = input;
  if (!target || Object.keys(target).length === 0)
    return { text: `🎯 You have no target allocation yet.\n${TARGET_USAGE}` };
  const priced = view.assets
    .filter((asset) => asset.valueUsd !== undefined)
    .map((asset) => ({ assetId: asset.assetId, symbol: asset.symbol, value: toDecimal(asset.valueUsd!) }));
  const total = sumDecimals(priced.map((asset) => asset.value));
  const listed = priced.filter((asset) => target[asset.assetId] !== undefined);
  const others = priced.filter((asset) => target[asset.assetId] === undefined);
  const listedUsd = sumDecimals(listed.map((asset) => asset.value));
  const othersUsd = total.minus(listedUsd);
  const shareOf = (value: Decimal) => (total.gt(ZERO) ? value.div(total) : ZERO);
  const goal = (assetId: string) => toDecimal(target[assetId]!).div(HUNDRED);

  const rows = priced.map((asset) => {
    const now = share(shareOf(asset.value));
    const name = `<b>${escapeHtml(asset.symbol)}</b>`;
    if (target[asset.assetId] === undefined)
      return unlisted === 'keep'
        ? `${name}: ${now} → ${now} (kept, not in your target)`
        : `${name}: ${now} → 0.0 % (sold into your targets)`;
    if (unlisted === 'sell' || others.length === 0) return `${name}: ${now} → ${share(goal(asset.assetId))}`;
    return `${name}: ${now} → ${share(goal(asset.assetId).times(shareOf(listedUsd)))} (${escapeHtml(target[asset.assetId]!)} % of the ${usd(listedUsd)} you rebalance)`;
  });
  for (const assetId of Object.keys(target).filter((id) => !priced.some((asset) => asset.assetId === id))) {
    const landing = unlisted === 'sell' ? goal(assetId) : goal(assetId).times(shareOf(listedUsd));
    rows.push(`<b>${escapeHtml(assetLabel(assetId))}</b>: 0.0 % → ${share(landing)} (not held yet)`);
  }

  const lines = [
    input.saved ? '✅ <b>Target saved</b>' : '🎯 <b>Target allocation</b>',
    `Portfolio ${usd(total)}: now → after a rebalance to target`,
    '',
    ...rows,
    '',
    unlistedSentence(
      others.map((asset) => asset.symbol),
      othersUsd,
      shareOf(othersUsd),
      listedUsd,
      shareOf(listedUsd),
      unlisted,
    ),
  ];
  if (!input.saved) lines.push('', `Change it: ${TARGET_USAGE}`);
  const buttons = [[{ text: '🔄 Rebalance', data: 'v1:rebal' }]];
  if (input.canSwitch && others.length > 0) buttons.push([UNLISTED_BUTTON[unlisted]]);
  return { text: lines.join('\n'), buttons };
}

function unlistedSentence(
  symbols: readonly string[],
  othersUsd: Decimal,
  othersShare: Decimal,
  listedUsd: Decimal,
  listedShare: Decimal,
  unlisted: UnlistedPolicy,
): string {
  if (symbols.length === 0) return 'Every asset you hold is in your target.';
  const names = `${escapeHtml(symbols.join(', '))} (${usd(othersUsd)}, ${share(othersShare)})`;
  if (unlisted === 'sell') return `Not in your target: ${names}. A rebalance <b>sells them into your targets</b>.`;
  return `Not in your target: ${names}. A rebalance <b>keeps them as they are</b>: your targets share the other ${usd(listedUsd)} (${share(listedShare)} of the portfolio).`;
}
