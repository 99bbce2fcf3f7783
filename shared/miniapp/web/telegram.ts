import {
  bindThemeParamsCssVars,
  bindViewportCssVars,
  expandViewport,
  hapticFeedbackImpactOccurred,
  hapticFeedbackNotificationOccurred,
  hapticFeedbackSelectionChanged,
  hideBackButton,
  init,
  isThemeParamsDark,
  miniAppReady,
  mountBackButton,
  mountMiniAppSync,
  mountThemeParamsSync,
  mountViewport,
  offBackButtonClick,
  onBackButtonClick,
  openLink,
  retrieveLaunchParams,
  retrieveRawInitData,
  showBackButton,
  targetOrigin,
  on,
} from '@telegram-apps/sdk';

/** What the dashboard needs from Telegram: the signed initData, the theme, the back button and haptics. */
export interface TelegramShell {
  readonly initData: string;
  isDark(): boolean;
  onThemeChange(listener: () => void): void;
  showBack(onBack: () => void): void;
  hideBack(): void;
  haptic(kind: 'select' | 'success' | 'error' | 'tap'): void;
  /** Telegram's `start_param` (a t.me/<bot>/<app>?startapp=… link), when there is one. */
  readonly startParam?: string;
  /** Opened outside Telegram, with Telegram's launch parameters in the URL (no back button, theme, haptics). */
  readonly outsideTelegram: boolean;
  /** Opens a URL in the device's browser (outside Telegram); false when this client cannot. */
  openExternal(url: string): boolean;
}

/** The local chat page (npm start) hosts the Mini App in an iframe on a loopback origin instead of web.telegram.org. */
function useLocalHost(): void {
  const referrer = document.referrer ? new URL(document.referrer) : undefined;
  if (referrer && ['127.0.0.1', 'localhost', '[::1]'].includes(referrer.hostname)) targetOrigin.set(referrer.origin);
}

/**
 * Starts the SDK; undefined when the page was not opened by Telegram (no launch parameters). A page opened outside
 * Telegram with Telegram's launch parameters in its URL (the signing view's "Open in browser" fallback) runs with
 * the same signed initData and no Telegram features (`outsideTelegram`).
 */
export function startTelegram(): TelegramShell | undefined {
  let initData: string | undefined;
  let outsideTelegram = false;
  try {
    useLocalHost();
    // No <style> for Telegram Web's custom styles: the page's CSP allows no inline style.
    init({ acceptCustomStyles: false });
    initData = retrieveRawInitData();
  } catch (error) {
    try {
      initData = retrieveRawInitData();
      outsideTelegram = initData !== undefined && initData !== '';
    } catch {
      initData = undefined;
    }
    if (!outsideTelegram) {
      console.warn('not opened by Telegram:', error);
      return undefined;
    }
  }
  if (!initData) return undefined;
  // Each piece is optional in older clients: a missing one leaves the page working with its defaults.
  const attempt = (step: () => unknown) => {
    try {
      const result = step();
      if (result instanceof Promise) result.catch(() => undefined);
    } catch {
      /* not supported by this client */
    }
  };
  attempt(() => mountThemeParamsSync());
  attempt(() => bindThemeParamsCssVars());
  attempt(() => mountMiniAppSync());
  attempt(() => mountBackButton());
  attempt(() => mountViewport().then(() => bindViewportCssVars()));
  attempt(() => expandViewport());
  attempt(() => miniAppReady());
  let backListener: (() => void) | undefined;
  let startParam: string | undefined;
  try {
    startParam = retrieveLaunchParams().tgWebAppStartParam;
  } catch {
    startParam = undefined;
  }
  return {
    initData,
    startParam,
    outsideTelegram,
    openExternal(url) {
      if (outsideTelegram) return false;
      try {
        if (!openLink.isAvailable()) return false;
        openLink(url);
        return true;
      } catch {
        return false;
      }
    },
    isDark: () => {
      if (outsideTelegram) return matchMedia('(prefers-color-scheme: dark)').matches;
      try {
        return isThemeParamsDark();
      } catch {
        return false;
      }
    },
    // After the SDK's own handler has stored the new theme (it listens first, from mountThemeParams).
    onThemeChange: (listener) => attempt(() => on('theme_changed', () => setTimeout(listener, 0))),
    showBack(onBack) {
      if (backListener) attempt(() => offBackButtonClick(backListener!));
      backListener = onBack;
      attempt(() => onBackButtonClick(onBack));
      attempt(() => showBackButton());
    },
    hideBack() {
      if (backListener) attempt(() => offBackButtonClick(backListener!));
      backListener = undefined;
      attempt(() => hideBackButton());
    },
    haptic(kind) {
      attempt(() => {
        if (kind === 'select') return hapticFeedbackSelectionChanged();
        if (kind === 'tap') return hapticFeedbackImpactOccurred('light');
        return hapticFeedbackNotificationOccurred(kind);
      });
    },
  };
}
