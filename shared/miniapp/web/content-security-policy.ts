/**
 * The Mini App page's Content-Security-Policy, one string for CloudFront (infra/constructs/miniapp-hosting.ts) and
 * the local static server (dev-tools/local/miniapp-static.ts). No inline script or style, nothing from another
 * origin but what OKX Connect talks to; framed only by Telegram's web clients (and its own origin: the local chat
 * page hosts it in an iframe).
 */

/** What `@okxconnect/universal-provider` 1.9.1 connects to (its core's relay WebSockets and its usage report). */
export const OKX_CONNECT_ORIGINS = [
  'wss://wsdexpri.okx.com',
  'wss://wsdexpri.okx.ac',
  'wss://wsdexpri.coinall.ltd',
  'https://www.okx.com',
  'https://www.okx.ac',
] as const;

/** Telegram Web A and K (web.telegram.org/a, /k) open a Mini App in an iframe; the apps use a webview (no frame). */
export const TELEGRAM_WEB_ORIGINS = ['https://web.telegram.org'] as const;

export const MINIAPP_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  // EIP-6963 and Wallet Standard wallets announce their icons as data: URIs.
  "img-src 'self' data:",
  "font-src 'self'",
  // The API is on the page's own origin (/miniapp/api on the same distribution).
  `connect-src 'self' ${OKX_CONNECT_ORIGINS.join(' ')}`,
  `frame-ancestors 'self' ${TELEGRAM_WEB_ORIGINS.join(' ')}`,
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');
