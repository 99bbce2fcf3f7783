import { formatShare } from '../../../platform/telegram/money-format';
import { toDecimal } from '../../../kernel/decimal';
import type { DiversificationView } from '../api-types';
import { h, section } from '../dom';

/** Concentration figures and the risk flags, each with the chat's own sentence. */
export function renderDiversification(view: DiversificationView): HTMLElement {
  const stats = h('dl', { class: 'stats' });
  const stat = (label: string, value: string | undefined) => {
    if (value !== undefined) stats.append(h('div', {}, h('dt', {}, label), h('dd', {}, value)));
  };
  stat('Effective assets', view.effectiveAssets ? toDecimal(view.effectiveAssets).toFixed(2) : undefined);
  stat('Largest asset', view.top1Share ? formatShare(view.top1Share) : undefined);
  stat('Top 3 assets', view.top3Share ? formatShare(view.top3Share) : undefined);
  stat('Stablecoins', view.stablecoinShare ? formatShare(view.stablecoinShare) : undefined);
  stat('HHI', view.hhi ? toDecimal(view.hhi).toFixed(3) : undefined);
  const flags = h('ul', { class: 'flags', 'data-testid': 'flags' });
  for (const flag of view.flags) flags.append(h('li', { class: 'flag', 'data-kind': flag.kind }, '⚠️ ', flag.message));
  if (view.flags.length === 0) flags.append(h('li', { class: 'ok' }, '✅ No concentration or gas warnings.'));
  return section(
    'Diversification & risk',
    'diversification',
    stats,
    flags,
    view.caveat ? h('p', { class: 'hint' }, view.caveat) : undefined,
  );
}
