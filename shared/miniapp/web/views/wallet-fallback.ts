import { h } from '../dom';

/**
 * When the wallet hand-off fails in Telegram's in-app browser (some clients open no wallet app, or inject none):
 * the same page in the device's browser (Telegram `openLink`), or on another device through a QR code. The link
 * carries Telegram's signed launch data, so the page works there for the same user (until initData's max age);
 * only the leg's own wallet can sign anything.
 */
export function renderWalletFallback(
  pageUrl: string,
  reason: string,
  openExternal: (url: string) => boolean,
): HTMLElement {
  const qrBox = h('div', { class: 'qr-box', 'data-testid': 'qr', 'aria-busy': 'true' });
  const open = h('button', { type: 'button', class: 'secondary', 'data-testid': 'open-in-browser' }, 'Open in browser');
  open.addEventListener('click', () => {
    if (!openExternal(pageUrl)) window.open(pageUrl, '_blank', 'noopener');
  });
  void import('./qr-code')
    .then(({ qrCodeSvg }) => qrBox.replaceChildren(qrCodeSvg(pageUrl, 'QR code of this page')))
    .catch(() => qrBox.replaceChildren(h('p', { class: 'hint' }, 'The QR code could not be drawn.')))
    .finally(() => qrBox.removeAttribute('aria-busy'));
  return h(
    'div',
    { class: 'wallet-fallback', 'data-testid': 'wallet-fallback' },
    h('p', {}, reason),
    h(
      'p',
      { class: 'hint' },
      'Open this page in your browser, where your wallet extension or app can connect, or scan the code with a phone that has your wallet. It stays your private page: do not share it.',
    ),
    open,
    qrBox,
  );
}
