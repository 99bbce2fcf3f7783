import { createHash } from 'node:crypto';
import { chainInfo, chainName } from '../kernel/chains';
import { toDecimal } from '../kernel/decimal';
import { clipText, escapeHtml } from '../platform/telegram/messages';
import {
  formatAge,
  formatQuantity,
  formatShare,
  formatSignedUsd,
  shortenAddress,
} from '../platform/telegram/money-format';
import type { AlertState, AlertRuleId } from './alert-rules';
import type { Notification, NotificationButton } from './notification';

/** The callback of an alert's "Mute this rule" button: the owner rides in it, so nobody else's tap mutes anything. */
export const muteCallback = (userId: string, rule: AlertRuleId) => `v1:amute:${userId}:${rule}`;
export const MUTE_CALLBACK = /^v1:amute:(\d{1,20}):([a-z]{1,10})$/;
/** The existing rebalance flow and Report (shared/rebalance/rebalance-feature.ts, shared/portfolio/report-feature.ts). */
export const REBALANCE_CALLBACK = 'v1:rebal';
export const REPORT_CALLBACK = 'v1:report';

/** A token symbol is the issuer's choice: long ones are clipped. */
const MAX_LABEL = 24;
const pp = (value: string) => `${toDecimal(value).toFixed(1)} pp`;
const percent = (value: string, places = 1) => `${toDecimal(value).toFixed(places)} %`;
const chainsOf = (chains: readonly string[] | undefined) =>
  chains && chains.length > 0 ? ` on ${chains.map((chain) => escapeHtml(chainName(chain))).join(', ')}` : '';
const wallet = (address: string | undefined) => `<code>${escapeHtml(shortenAddress(address ?? '?'))}</code>`;

/** One short line per alert: what, how much and where. `value` is the value now (or when the episode started). */
export function renderAlertLine(alert: AlertState, now: Date): string {
  const { detail, value } = alert;
  const label = `<b>${escapeHtml(clipText(detail.label, MAX_LABEL))}</b>`;
  const figures = detail.figures ?? {};
  switch (alert.rule) {
    case 'drift':
      return `⚖️ ${label} is ${formatShare(figures.current!)} of your target mix, target ${formatShare(figures.target!)} (band ±${pp(toDecimal(figures.band!).times('100').toString())}, off by ${pp(value)})`;
    case 'asset':
      return `🎯 ${label} is ${percent(value)} of your portfolio${chainsOf(detail.chains)}`;
    case 'sector':
      return `🧩 Sector ${label} is ${percent(value)} of your portfolio`;
    case 'chain':
      return `⛓ <b>${escapeHtml(chainName(alert.subject))}</b> holds ${percent(value)} of your portfolio`;
    case 'depeg':
      return `🪙 ${label} trades at $${toDecimal(figures.priceUsd!).toFixed(4)}, ${percent(value, 2)} off its $1 peg${chainsOf(detail.chains)}`;
    case 'move':
      return `${alert.subject === 'down' ? '📉 Portfolio down' : '📈 Portfolio up'} ${percent(value, 2)} in 24 h (${formatSignedUsd(figures.absoluteUsd ?? '0')})`;
    case 'stale':
      return `⏳ Wallet ${wallet(detail.walletAddress)} not synced for ${toDecimal(value).round(0).toString()} min (last ${formatAge(figures.lastSyncedAt!, now)})`;
    case 'gas': {
      const symbol = escapeHtml(chainInfo(alert.subject.split('|')[0]!)?.nativeSymbol ?? '');
      return `⛽ Wallet ${wallet(detail.walletAddress)}${chainsOf(detail.chains)} has ${formatQuantity(value)} ${symbol} for gas, below ${formatQuantity(figures.reserve!)} ${symbol}`;
    }
  }
}

/** The one action button of an alert. */
export function alertButton(alert: AlertState, userId: string): NotificationButton {
  switch (alert.rule) {
    case 'drift':
    case 'asset':
      return { text: '⚖️ Rebalance', callbackData: REBALANCE_CALLBACK };
    case 'sector':
    case 'chain':
    case 'move':
      return { text: '📈 Open report', callbackData: REPORT_CALLBACK };
    default:
      return { text: `🔕 Mute ${MUTE_LABEL[alert.rule]} alerts`, callbackData: muteCallback(userId, alert.rule) };
  }
}

const MUTE_LABEL: Record<AlertRuleId, string> = {
  drift: 'drift',
  asset: 'asset',
  sector: 'sector',
  chain: 'chain',
  depeg: 'peg',
  move: '24 h',
  stale: 'sync',
  gas: 'gas',
};

/**
 * Several alerts of one evaluation as ONE notification. Its id is stable for the episodes it carries (a retried
 * evaluation sending the same alerts gets the same id, which the sender sends once). Identical buttons appear once.
 */
export function buildAlertNotification(input: {
  readonly userId: string;
  readonly alerts: readonly AlertState[];
  readonly heldBack: number;
  readonly dailyCap: number;
  readonly now: Date;
}): Notification {
  const { userId, alerts } = input;
  const lines = alerts.map((alert) => `• ${renderAlertLine(alert, input.now)}`);
  if (input.heldBack > 0)
    lines.push(
      `… and ${input.heldBack} more, not sent: your limit is ${input.dailyCap} alert${input.dailyCap === 1 ? '' : 's'} a day. /alerts changes it.`,
    );
  const buttons = new Map<string, NotificationButton>();
  for (const alert of alerts) {
    const button = alertButton(alert, userId);
    buttons.set(button.callbackData!, button);
  }
  const episodes = alerts.map((alert) => `${alert.rule}|${alert.subject}|${alert.episodeStart}`).sort();
  const digest = createHash('sha256').update(episodes.join('\n')).digest('hex').slice(0, 20);
  return {
    id: `alert#${userId}#${digest}`,
    userId,
    chatId: userId,
    kind: 'alert',
    // At most MAX_DAILY_CAP (20) lines of at most ~200 characters (labels are clipped): under Telegram's 4,096.
    text: [`🔔 <b>${alerts.length === 1 ? 'Alert' : `${alerts.length} alerts`}</b>`, ...lines].join('\n'),
    buttons: [...buttons.values()].map((button) => [button]),
  };
}
