import { escapeHtml } from '../../../shared/adapters/telegram/html';
import type { TargetAllocation } from '../../../shared/domain/types';
import type { HtmlMessage } from '../send-html';

export const TARGET_USAGE = 'Set it as pairs of asset and percent adding up to 100, e.g. <code>/target ETH 50 BTC 30 USDC 20</code>.';

/** Asset ids are lower-case canonical ids ("eth") or token keys ("1:0xabc…"); symbols read better upper-case. */
export function assetLabel(assetId: string): string {
  return /^[a-z0-9]+$/.test(assetId) ? assetId.toUpperCase() : assetId;
}

function renderMix(target: TargetAllocation): string {
  return Object.entries(target)
    .map(([assetId, percent]) => `${escapeHtml(assetLabel(assetId))} ${escapeHtml(percent)} %`)
    .join(' · ');
}

export function renderTarget(target: TargetAllocation | undefined): HtmlMessage {
  if (!target || Object.keys(target).length === 0) return { text: `🎯 You have no target allocation yet.\n${TARGET_USAGE}` };
  return { text: `🎯 <b>Target allocation</b>\n${renderMix(target)}\n\nChange it: ${TARGET_USAGE}`, buttons: [[{ text: '🔄 Rebalance', data: 'v1:rebal' }]] };
}

export function renderTargetSaved(target: TargetAllocation): HtmlMessage {
  return { text: `✅ <b>Target saved</b>\n${renderMix(target)}`, buttons: [[{ text: '🔄 Rebalance', data: 'v1:rebal' }]] };
}
