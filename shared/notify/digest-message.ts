import { ZERO, toDecimal } from '../kernel/decimal';
import { formatSignedPercent, formatSignedUsd, formatUsd } from '../platform/telegram/money-format';
import { escapeHtml } from '../platform/telegram/messages';
import type { ActiveAlert } from './active-alerts';
import type { DigestChange } from './digest-math';
import type { NotificationButton } from './notification';

export interface DigestMessageInput {
  readonly mode: 'daily' | 'weekly';
  /** The user's local date of this digest, `YYYY-MM-DD`. */
  readonly localDate: string;
  /** Undefined when the user has no recorded point yet. */
  readonly valueUsd?: string;
  /** Undefined for a first digest without an earlier point. */
  readonly change?: DigestChange;
  readonly alerts: readonly ActiveAlert[];
}

/** Assets listed as the largest contributors. */
export const TOP_MOVERS = 3;

export const DIGEST_BUTTONS: readonly (readonly NotificationButton[])[] = [
  [{ text: '📈 Report', callbackData: 'v1:report' }],
];

/** The digest text (Telegram HTML): value, change since the last digest split into markets and flows, movers, alerts. */
export function renderDigest(input: DigestMessageInput): string {
  const title = input.mode === 'daily' ? 'Daily digest' : 'Weekly digest';
  const lines = [`🗞 <b>${title}</b> · ${input.localDate}`, ''];
  if (input.valueUsd === undefined) {
    lines.push('No synced portfolio data yet: add a wallet with /addwallet.');
    return lines.join('\n');
  }
  lines.push(`💼 Value: <b>${formatUsd(input.valueUsd)}</b>`);
  const change = input.change;
  if (change) {
    lines.push(`Since the last digest: <b>${formatSignedUsd(change.changeUsd)}</b>`);
    const markets = change.priceReturn ? ` (${formatSignedPercent(change.priceReturn)})` : '';
    lines.push(`  Markets: ${formatSignedUsd(change.priceEffectUsd)}${markets}`);
    lines.push(`  Deposits and withdrawals: ${formatSignedUsd(change.flowsUsd)}`);
    if (!toDecimal(change.trackingUsd).eq(ZERO))
      lines.push(`  Wallets added or removed: ${formatSignedUsd(change.trackingUsd)}`);
    const movers = change.contributions.slice(0, TOP_MOVERS);
    if (movers.length > 0) {
      lines.push('', '<b>Top movers</b>');
      for (const mover of movers) lines.push(`  ${escapeHtml(mover.symbol)} ${formatSignedUsd(mover.priceEffectUsd)}`);
    }
  }
  lines.push('', input.alerts.length === 0 ? '🔔 Active alerts: none' : '🔔 <b>Active alerts</b>');
  for (const alert of input.alerts) lines.push(`  ${alert.text}`);
  return lines.join('\n');
}
