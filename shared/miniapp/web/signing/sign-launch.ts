/** A plan id as the bot makes them (base64url) — anything else in the URL is ignored. */
const PLAN_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The plan the page was opened to sign: `#sign=<planId>` (or `?sign=`) in the page URL, beside the launch
 * parameters Telegram appends (after `#`, `?` or `&`, depending on the client), or Telegram's `start_param`
 * `sign-<planId>` / `sign_<planId>` (a t.me/<bot>/<app>?startapp= link). Undefined: the dashboard.
 */
export function planToSign(href: string, startParam?: string): string | undefined {
  // As the Telegram SDK reads its launch parameters: everything after the first ? or #, each ? or # a separator.
  const params = new URLSearchParams(href.replace(/^[^?#]*[?#]/, '').replace(/[?#]/g, '&'));
  const fromUrl = params.get('sign');
  if (fromUrl && PLAN_ID.test(fromUrl)) return fromUrl;
  const fromStart = /^sign[-_](.+)$/.exec(startParam ?? '')?.[1];
  return fromStart && PLAN_ID.test(fromStart) ? fromStart : undefined;
}

/**
 * The page for "Open in browser" and the QR code: the same page and plan with only the launch parameters the page
 * needs outside Telegram (the signed initData, version, platform; an empty theme, the browser's own colours) —
 * Telegram's theme JSON would make the QR code twice as dense.
 */
export function fallbackPageUrl(href: string, planId: string): string {
  const params = new URLSearchParams(href.replace(/^[^?#]*[?#]/, '').replace(/[?#]/g, '&'));
  const page = href.replace(/[?#].*$/, '');
  const kept = new URLSearchParams({ sign: planId });
  for (const name of ['tgWebAppData', 'tgWebAppVersion', 'tgWebAppPlatform']) {
    const value = params.get(name);
    if (value !== null) kept.set(name, value);
  }
  kept.set('tgWebAppThemeParams', '{}');
  return `${page}#${kept.toString()}`;
}
