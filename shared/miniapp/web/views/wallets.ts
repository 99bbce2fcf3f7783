import { formatAge, formatUsd, shortenAddress } from '../../../platform/telegram/money-format';
import type { PortfolioView } from '../api-types';
import { h, section } from '../dom';

/** Each wallet with its value and how old its data is (and since when a chain has failed, if one has). */
export function renderWallets(view: PortfolioView, now: Date): HTMLElement {
  const list = h('ul', { class: 'wallets', 'data-testid': 'wallets' });
  for (const wallet of view.wallets) {
    const age = wallet.lastSyncedAt ? `data ${formatAge(wallet.lastSyncedAt, now)}` : 'not synced yet';
    list.append(
      h(
        'li',
        {},
        h(
          'div',
          { class: 'wallet-name' },
          wallet.label ?? shortenAddress(wallet.address),
          h('small', { class: 'hint' }, ` ${wallet.family}`),
        ),
        h('div', { class: 'wallet-value' }, formatUsd(wallet.valueUsd)),
        h(
          'div',
          { class: wallet.staleSince ? 'hint stale' : 'hint' },
          wallet.staleSince
            ? `${age} · a chain failed ${formatAge(wallet.staleSince, now)}, last good balances shown`
            : age,
        ),
      ),
    );
  }
  if (view.wallets.length === 0)
    list.append(h('li', { class: 'hint' }, 'No wallets yet: add one with /addwallet in the chat.'));
  return section('Wallets', 'wallets-section', list);
}
