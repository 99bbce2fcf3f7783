import { formatSignedPercent, formatSignedUsd } from '../../../platform/telegram/money-format';
import type { PerformanceView } from '../api-types';
import { h } from '../dom';

/** Each figure of the window with its value and, beneath, the method it was computed with (as the Report names it). */
export function renderFigures(view: PerformanceView): HTMLElement {
  const list = h('dl', { class: 'figures', 'data-testid': 'figures' });
  for (const figure of view.figures) {
    const value = figure.unit === 'usd' ? formatSignedUsd(figure.value) : formatSignedPercent(figure.value);
    const tone = figure.value.startsWith('-') ? 'down' : 'up';
    list.append(
      h(
        'div',
        { class: 'figure', 'data-figure': figure.key },
        h('dt', {}, figure.label),
        h('dd', { class: tone }, value),
        h('dd', { class: 'method' }, `method: ${figure.method}`),
      ),
    );
  }
  if (view.figures.length === 0) list.append(h('p', { class: 'hint' }, 'No figures for this window yet.'));
  const notes = view.notes.map((note) => h('p', { class: 'hint' }, note));
  const since = view.shortHistory ? h('p', { class: 'hint' }, `History starts ${view.from.slice(0, 10)}.`) : undefined;
  const wrapper = h('div', {}, list, since, ...notes);
  return wrapper;
}
