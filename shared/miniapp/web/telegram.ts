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
  /** Opens a URL in the device's browser (outside Telegram); false when this client cannot. */
  openExternal(url: string): boolean;
}

/** The local chat page (npm start) hosts the Mini App in an iframe on a loopback origin instead of web.telegram.org. */
function useLocalHost(): void {
  const referrer = document.referrer ? new URL(document.referrer) : undefined;
  if (referrer && ['127.0.0.1', 'localhost', '[::1]'].includes(referrer.hostname)) targetOrigin.set(referrer.origin);
}

/** Starts the SDK; undefined when the page was not opened by Telegram (no launch parameters). */
export function startTelegram(): TelegramShell | undefined {
  let initData: string | undefined;
  try {
    useLocalHost();
    init();
    initData = retrieveRawInitData();
  } catch (error) {
    console.warn('not opened by Telegram:', error);
    return undefined;
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
    openExternal(url) {
      try {
        if (!openLink.isAvailable()) return false;
        openLink(url);
        return true;
      } catch {
        return false;
      }
    },
    isDark: () => {
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
