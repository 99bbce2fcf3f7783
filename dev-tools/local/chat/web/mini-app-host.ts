import { THEMES, type ThemeName } from './themes';

/**
 * Plays Telegram Web's side of the Mini App bridge for the iframe beside the chat: launch parameters in the URL
 * hash (tgWebAppData = the signed initData, version, platform, theme), and the postMessage events
 * ({eventType, eventData} as JSON) the SDK sends and expects: theme, viewport, back button, haptics, close.
 */
export interface MiniAppHost {
  open(url: string, title: string): Promise<void>;
  setTheme(theme: ThemeName): void;
  close(): void;
}

export function createMiniAppHost(getTheme: () => ThemeName): MiniAppHost {
  const pane = byId('app-pane');
  const frame = byId('app-frame') as HTMLIFrameElement;
  const back = byId('app-back');
  const haptic = byId('app-haptic');
  let haptics = 0;

  const post = (eventType: string, eventData: unknown) =>
    frame.contentWindow?.postMessage(JSON.stringify({ eventType, eventData }), '*');
  const postViewport = () =>
    post('viewport_changed', {
      height: frame.clientHeight,
      width: frame.clientWidth,
      is_expanded: true,
      is_state_stable: true,
    });
  const postTheme = () => post('theme_changed', { theme_params: THEMES[getTheme()] });
  const insets = { top: 0, bottom: 0, left: 0, right: 0 };

  window.addEventListener('message', (event) => {
    if (event.source !== frame.contentWindow || typeof event.data !== 'string') return;
    let message: { eventType?: string; eventData?: Record<string, unknown> };
    try {
      message = JSON.parse(event.data) as typeof message;
    } catch {
      return;
    }
    switch (message.eventType) {
      case 'web_app_request_theme':
        return postTheme();
      case 'web_app_request_viewport':
        return postViewport();
      case 'web_app_request_safe_area':
        return post('safe_area_changed', insets);
      case 'web_app_request_content_safe_area':
        return post('content_safe_area_changed', insets);
      case 'web_app_setup_back_button':
        back.hidden = message.eventData?.is_visible !== true;
        return;
      case 'web_app_trigger_haptic_feedback':
        haptics += 1;
        haptic.dataset.count = String(haptics);
        haptic.textContent = `haptics: ${haptics} (${String(message.eventData?.type ?? '')})`;
        return;
      case 'web_app_close':
        return host.close();
      case 'web_app_open_link': {
        // openLink: the page in the device's browser (the signing view's fallback); a new tab here.
        const link = String(message.eventData?.url ?? '');
        if (/^https?:\/\//.test(link)) window.open(link, '_blank', 'noopener');
        return;
      }
      default:
        return;
    }
  });
  back.addEventListener('click', () => post('back_button_pressed', undefined));
  byId('app-close').addEventListener('click', () => host.close());
  new ResizeObserver(() => {
    if (!pane.hidden) postViewport();
  }).observe(frame);

  const host: MiniAppHost = {
    async open(url, title) {
      const response = await fetch('/chat/init-data', { method: 'POST' });
      const { initData } = (await response.json()) as { initData: string };
      const params = new URLSearchParams({
        tgWebAppData: initData,
        tgWebAppVersion: '8.0',
        tgWebAppPlatform: 'web',
        tgWebAppThemeParams: JSON.stringify(THEMES[getTheme()]),
      });
      byId('app-title').textContent = title;
      back.hidden = true;
      pane.hidden = false;
      // A new hash alone would not reload the page: start from a blank frame so each open is a fresh launch.
      frame.src = 'about:blank';
      await new Promise((resolve) => setTimeout(resolve, 0));
      // A hash of the button's own (#sign=<planId>) stays, Telegram's launch parameters after it.
      const [base, hash] = url.split('#');
      frame.src = `${base}#${hash ? `${hash}&` : ''}${params.toString()}`;
    },
    setTheme() {
      postTheme();
    },
    close() {
      pane.hidden = true;
      frame.src = 'about:blank';
    },
  };
  return host;
}

function byId(id: string): HTMLElement {
  return document.getElementById(id)!;
}
