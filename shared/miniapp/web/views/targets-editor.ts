import { formatShare, formatSignedUsd, formatUsd } from '../../../platform/telegram/money-format';
import { toDecimal } from '../../../kernel/decimal';
import { ApiError, type MiniAppApi } from '../api';
import type { TargetsView } from '../api-types';
import { h, section } from '../dom';
import { addRow, previewAllocation, removeRow, setPercent, sumPercent, type TargetRow } from '../targets-math';

export interface EditorDeps {
  readonly api: MiniAppApi;
  readonly haptic: (kind: 'select' | 'success' | 'error' | 'tap') => void;
  readonly onSaved: (view: TargetsView) => void;
}

/**
 * The targets editor: one line per asset with a slider and a percent field. Changing one line shares the rest
 * among the others, so the lines always add up to 100 %; the preview shows the allocation the target leads to.
 * Saving sends the same pairs /target takes (PUT /miniapp/api/targets), checked by the same rules.
 */
export function renderTargetsEditor(view: TargetsView, deps: EditorDeps): HTMLElement {
  let rows: TargetRow[] = initialRows(view);
  const lines = h('div', { class: 'target-rows' });
  const sum = h('div', { class: 'target-sum', 'data-testid': 'targets-sum' });
  const preview = h('div', { class: 'preview', 'data-testid': 'targets-preview' });
  const status = h('p', { class: 'status', role: 'status', 'data-testid': 'targets-status' });
  const picker = h('select', { 'aria-label': 'Asset to add', 'data-testid': 'targets-add-select' });
  const other = h('input', {
    placeholder: 'or a symbol, e.g. BTC',
    'aria-label': 'Symbol to add',
    'data-testid': 'targets-add-input',
  });
  const add = h('button', { type: 'button', class: 'secondary', 'data-testid': 'targets-add' }, 'Add');
  const save = h('button', { type: 'button', class: 'primary', 'data-testid': 'targets-save' }, 'Save target');

  const refresh = (focused?: number) => {
    lines.replaceChildren(...rows.map((row, index) => renderLine(row, index, index === focused)));
    sum.textContent = `Total ${sumPercent(rows)} %`;
    preview.replaceChildren(renderPreview());
    picker.replaceChildren(
      h('option', { value: '' }, 'Add an asset you hold…'),
      ...view.holdings
        .filter((held) => !rows.some((row) => row.asset === held.assetId))
        .map((held) => h('option', { value: held.assetId }, held.symbol)),
    );
  };

  const renderLine = (row: TargetRow, index: number, isFocused: boolean): HTMLElement => {
    const slider = h('input', {
      type: 'range',
      min: '0',
      max: '100',
      step: '0.5',
      value: row.percent,
      'aria-label': `${row.symbol} slider`,
    });
    const field = h('input', {
      type: 'number',
      min: '0',
      max: '100',
      step: '0.01',
      inputmode: 'decimal',
      value: row.percent,
      'aria-label': `${row.symbol} percent`,
      'data-asset': row.symbol,
    });
    const remove = h('button', { type: 'button', class: 'icon', 'aria-label': `Remove ${row.symbol}` }, '✕');
    const change = (value: string, focusAfter: boolean) => {
      rows = setPercent(rows, index, value);
      deps.haptic('select');
      refresh(focusAfter ? index : undefined);
    };
    slider.addEventListener('change', () => change(slider.value, false));
    field.addEventListener('change', () => change(field.value, false));
    remove.addEventListener('click', () => {
      rows = removeRow(rows, index);
      deps.haptic('tap');
      refresh();
    });
    if (isFocused) queueMicrotask(() => field.focus());
    return h(
      'div',
      { class: 'target-row', 'data-testid': 'target-row' },
      h('span', { class: 'symbol' }, row.symbol),
      slider,
      field,
      h('span', {}, '%'),
      remove,
    );
  };

  const renderPreview = (): HTMLElement => {
    const table = h(
      'table',
      {},
      h(
        'tr',
        {},
        h('th', {}, 'Asset'),
        h('th', {}, 'Now'),
        h('th', {}, 'Target'),
        h('th', {}, 'Value'),
        h('th', {}, 'Move'),
      ),
    );
    const lines = previewAllocation(rows, view.holdings, view.totalValueUsd);
    const leavesOut = lines.some((line) => line.targetShare === '0' && line.currentShare !== '0');
    for (const line of lines)
      table.append(
        h(
          'tr',
          {},
          h('td', {}, line.symbol),
          h('td', {}, formatShare(line.currentShare)),
          h('td', {}, formatShare(line.targetShare)),
          h('td', {}, formatUsd(line.targetValueUsd)),
          h('td', { class: toDecimal(line.deltaUsd).lt('0') ? 'down' : 'up' }, formatSignedUsd(line.deltaUsd)),
        ),
      );
    return h(
      'div',
      {},
      h('h3', {}, `Preview on ${formatUsd(view.totalValueUsd)}`),
      table,
      leavesOut && view.unlisted === 'keep'
        ? h(
            'p',
            { class: 'hint' },
            'A rebalance keeps the assets the target leaves out (set in the chat); the preview shows them sold.',
          )
        : undefined,
    );
  };

  add.addEventListener('click', () => {
    const held = view.holdings.find((item) => item.assetId === picker.value);
    const typed = other.value.trim();
    if (held) rows = addRow(rows, held.assetId, held.symbol);
    else if (typed) rows = addRow(rows, typed, typed.toUpperCase());
    other.value = '';
    deps.haptic('tap');
    refresh();
  });
  save.addEventListener('click', async () => {
    status.textContent = 'Saving…';
    save.setAttribute('disabled', '');
    try {
      const saved = await deps.api.saveTargets(rows.map((row) => ({ asset: row.asset, percent: row.percent })));
      status.textContent = 'Saved. /target and /rebalance in the chat use it now.';
      deps.haptic('success');
      deps.onSaved(saved);
    } catch (error) {
      status.textContent = error instanceof ApiError ? error.message : 'Could not save; try again.';
      deps.haptic('error');
    } finally {
      save.removeAttribute('disabled');
    }
  });
  refresh();
  return section(
    'Target mix',
    'targets-editor',
    lines,
    sum,
    h('div', { class: 'target-add' }, picker, other, add),
    preview,
    save,
    status,
  );
}

/** The saved target, or today's allocation as a starting point when none is set. */
function initialRows(view: TargetsView): TargetRow[] {
  if (view.target.length > 0)
    return view.target.map((entry) => ({ asset: entry.assetId, symbol: entry.symbol, percent: entry.percent }));
  const rows = view.holdings.slice(0, 5).map((held) => ({
    asset: held.assetId,
    symbol: held.symbol,
    percent: toDecimal(held.share).times('100').round(2, 0).toFixed(),
  }));
  return rows.length === 0 ? [] : setPercent(rows, 0, rows[0]!.percent);
}
