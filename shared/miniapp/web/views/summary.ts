import { formatAge, formatSignedPercent, formatSignedUsd, formatUsd } from '../../../platform/telegram/money-format';
import type { PortfolioView } from '../api-types';
import { h } from '../dom';

/** The header: total value (the same formatter and figure as /portfolio), 24 h change and the data's age. */
export function renderSummary(view: PortfolioView, now: Date): HTMLElement {
  const change = view.change24h;
  const direction = change ? (change.absoluteUsd.startsWith('-') ? 'down' : 'up') : 'none';
  return h(
    'header',
    { class: 'summary', 'data-testid': 'summary' },
    h('div', { class: 'hint' }, 'Total value'),
    h('div', { class: 'total', 'data-testid': 'total' }, formatUsd(view.totalValueUsd)),
    change
      ? h(
          'div',
          { class: `change ${direction}`, 'data-testid': 'change24h' },
          `${formatSignedUsd(change.absoluteUsd)}${change.relative ? ` (${formatSignedPercent(change.relative)})` : ''} · 24 h`,
          change.isPartial
            ? h('small', {}, ` covers ${formatUsd(change.coveredValueUsd)} of ${formatUsd(change.totalValueUsd)}`)
            : undefined,
        )
      : h('div', { class: 'change none', 'data-testid': 'change24h' }, 'No 24 h change yet'),
    view.asOf
      ? h('div', { class: 'hint' }, `Data ${formatAge(view.asOf, now)}`)
      : h('div', { class: 'hint' }, 'Not synced yet'),
  );
}
