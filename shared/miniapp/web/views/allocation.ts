import { formatShare, formatUsd } from '../../../platform/telegram/money-format';
import { toDecimal } from '../../../kernel/decimal';
import type { PortfolioView } from '../api-types';
import { h, section } from '../dom';

type By = 'asset' | 'chain' | 'sector';

interface Slice {
  readonly label: string;
  readonly share?: string;
  readonly valueUsd?: string;
}

/** Allocation by asset, chain or sector as labelled bars; a tab switches the grouping. */
export function renderAllocation(view: PortfolioView, onSwitch: () => void): HTMLElement {
  const slices: Record<By, Slice[]> = {
    asset: view.allocation.assets.map((asset) => ({
      label: asset.symbol,
      share: asset.share,
      valueUsd: asset.valueUsd,
    })),
    chain: view.allocation.chains.map((chain) => ({ label: chain.name, share: chain.share, valueUsd: chain.valueUsd })),
    sector: view.allocation.sectors.map((sector) => ({ label: sector.label, share: sector.share })),
  };
  const body = h('div', { class: 'bars' });
  const tabs = h('div', { class: 'tabs', role: 'tablist' });
  const show = (by: By) => {
    for (const tab of Array.from(tabs.children))
      tab.setAttribute('aria-selected', String(tab.getAttribute('data-by') === by));
    body.replaceChildren(...slices[by].map(renderBar));
    if (slices[by].length === 0) body.append(h('p', { class: 'hint' }, 'Nothing held yet.'));
  };
  for (const by of ['asset', 'chain', 'sector'] as const) {
    const tab = h('button', { type: 'button', role: 'tab', 'data-by': by }, `By ${by}`);
    tab.addEventListener('click', () => {
      onSwitch();
      show(by);
    });
    tabs.append(tab);
  }
  show('asset');
  return section('Allocation', 'allocation', tabs, body);
}

function renderBar(slice: Slice): HTMLElement {
  const width = slice.share ? toDecimal(slice.share).times('100').toFixed(1) : '0';
  // Through the CSSOM, not a style attribute: the page's CSP allows no inline style.
  const fill = h('span', { class: 'bar-fill' });
  fill.style.width = `${width}%`;
  return h(
    'div',
    { class: 'bar-row' },
    h('span', { class: 'bar-label' }, slice.label),
    h('span', { class: 'bar-track' }, fill),
    h('span', { class: 'bar-value' }, slice.share ? formatShare(slice.share) : 'no price'),
    slice.valueUsd ? h('span', { class: 'bar-usd hint' }, formatUsd(slice.valueUsd)) : undefined,
  );
}
