import './styles.css';
import { ApiError, createApi, type MiniAppApi } from './api';
import { WINDOWS, type PortfolioView, type WindowKey } from './api-types';
import { h, section } from './dom';
import { startTelegram, type TelegramShell } from './telegram';
import { renderAllocation } from './views/allocation';
import { renderDiversification } from './views/diversification';
import { renderFigures } from './views/performance';
import { renderSummary } from './views/summary';
import { renderTargetsEditor } from './views/targets-editor';
import { createValueChart, type ValueChart } from './views/value-chart';
import { renderWallets } from './views/wallets';
import { renderNotifications } from './views/notifications';
import { fallbackPageUrl, planToSign } from './signing/sign-launch';
import { showSigning } from './views/signing';
import { telegramUserId } from './wallets/wallet-session';

/**
 * The dashboard: summary, value chart with its windows, performance, allocation, diversification and wallets on
 * one screen; the targets editor on a second one, left with Telegram's back button.
 */
const app = document.getElementById('app')!;
const shell = startTelegram();
const planId = shell ? planToSign(location.href, shell.startParam) : undefined;
// Outside Telegram (the signing view's "Open in browser") only the signing view runs.
if (!shell || (shell.outsideTelegram && !planId)) {
  app.replaceChildren(
    h(
      'div',
      { class: 'card empty', 'data-testid': 'not-in-telegram' },
      h('h2', {}, 'Open from Telegram'),
      h('p', {}, 'This dashboard opens from the bot: tap “Dashboard” under /portfolio or the menu button.'),
    ),
  );
} else {
  if (planId) {
    applyTheme(shell);
    shell.onThemeChange(() => applyTheme(shell));
    void showSigning(app, {
      api: createApi(shell.initData),
      planId,
      userId: telegramUserId(shell.initData),
      pageUrl: fallbackPageUrl(location.href, planId),
      openExternal: (url) => shell.openExternal(url),
      haptic: shell.haptic,
    });
  } else void showDashboard(shell, createApi(shell.initData));
}

function applyTheme(telegram: TelegramShell): void {
  document.documentElement.dataset.theme = telegram.isDark() ? 'dark' : 'light';
}

async function showDashboard(telegram: TelegramShell, api: MiniAppApi): Promise<void> {
  applyTheme(telegram);
  telegram.hideBack();
  app.replaceChildren(h('p', { class: 'hint loading' }, 'Loading…'));
  try {
    const [portfolio, diversification, notifications] = await Promise.all([
      api.portfolio(),
      api.diversification(),
      api.notifications(),
    ]);
    const now = new Date();
    const chartBox = h('div', { class: 'chart', 'data-testid': 'chart' });
    const figures = h('div', {});
    const selector = h('div', { class: 'windows', role: 'tablist', 'data-testid': 'windows' });
    const editTargets = h(
      'button',
      { type: 'button', class: 'primary', 'data-testid': 'open-targets' },
      'Edit target mix',
    );
    editTargets.addEventListener('click', () => {
      telegram.haptic('tap');
      void showTargets(telegram, api);
    });
    app.replaceChildren(
      renderSummary(portfolio, now),
      section(
        'Value',
        'value',
        selector,
        chartBox,
        h('p', { class: 'legend hint' }, '━ recorded  ┅ estimated from past prices  ▲▼ wallet added / removed'),
      ),
      section('Performance', 'performance', figures),
      renderAllocation(portfolio, () => telegram.haptic('select')),
      renderDiversification(diversification),
      renderWallets(portfolio, now),
      renderNotifications(notifications),
      targetsSummary(portfolio, editTargets),
    );
    const chart = createValueChart(chartBox, telegram.isDark());
    telegram.onThemeChange(() => {
      applyTheme(telegram);
      chart.setTheme(telegram.isDark());
    });
    for (const key of WINDOWS) {
      const button = h('button', { type: 'button', role: 'tab', 'data-window': key }, key);
      button.addEventListener('click', () => {
        telegram.haptic('select');
        void showWindow(api, key, selector, chart, figures);
      });
      selector.append(button);
    }
    await showWindow(api, '7d', selector, chart, figures);
  } catch (error) {
    showError(error);
  }
}

async function showWindow(
  api: MiniAppApi,
  key: WindowKey,
  selector: HTMLElement,
  chart: ValueChart,
  figures: HTMLElement,
): Promise<void> {
  for (const button of Array.from(selector.children))
    button.setAttribute('aria-selected', String(button.getAttribute('data-window') === key));
  figures.setAttribute('aria-busy', 'true');
  try {
    const view = await api.performance(key);
    chart.show(view);
    figures.replaceChildren(renderFigures(view));
    figures.dataset.shownWindow = key;
  } catch (error) {
    figures.replaceChildren(
      h('p', { class: 'error' }, error instanceof ApiError ? error.message : 'Could not load this window.'),
    );
  } finally {
    figures.removeAttribute('aria-busy');
  }
}

function targetsSummary(portfolio: PortfolioView, button: HTMLElement): HTMLElement {
  return section(
    'Target mix',
    'targets',
    h(
      'p',
      { class: 'hint' },
      portfolio.allocation.assets.length > 0
        ? 'Set the mix /rebalance moves you back to; the editor previews the allocation it leads to.'
        : 'Add a wallet first; then set the mix /rebalance moves you back to.',
    ),
    button,
  );
}

async function showTargets(telegram: TelegramShell, api: MiniAppApi): Promise<void> {
  telegram.showBack(() => void showDashboard(telegram, api));
  app.replaceChildren(h('p', { class: 'hint loading' }, 'Loading…'));
  try {
    const view = await api.targets();
    app.replaceChildren(renderTargetsEditor(view, { api, haptic: telegram.haptic, onSaved: () => undefined }));
  } catch (error) {
    showError(error);
  }
}

function showError(error: unknown): void {
  const message =
    error instanceof ApiError ? error.message : 'Something went wrong; close and open the dashboard again.';
  app.replaceChildren(h('div', { class: 'card error', 'data-testid': 'error' }, message));
}
