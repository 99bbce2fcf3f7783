import { formatAge, formatUsd, shortenAddress } from '../platform/telegram/money-format';
import { escapeHtml, type HtmlMessage } from '../platform/telegram/messages';
import type { WalletSummary } from './wallets-port';
import type { Wallet } from '../kernel/types';
import { chainName } from '../kernel/chains';

/** More wallets than this are summarised, so the list and its keyboard stay within Telegram's limits. */
export const MAX_LISTED_WALLETS = 25;

export const NO_WALLETS_TEXT = 'You track no wallets yet. Add one with /addwallet &lt;address&gt; [chains].';

const chainList = (chains: readonly string[]) => chains.map((chain) => escapeHtml(chainName(chain))).join(', ');

/** Room left for the header, the footer and the "more" line inside Telegram's 4096 characters. */
const LIST_BUDGET = 3800;
const MAX_LABEL = 32;

/** /wallets: value and data age per wallet, and a Remove button for each (as many as fit one message). */
export function renderWalletList(wallets: readonly WalletSummary[], now: Date): HtmlMessage {
  if (wallets.length === 0) return { text: NO_WALLETS_TEXT };
  const blocks: string[] = [];
  let length = 0;
  for (const [index, wallet] of wallets.slice(0, MAX_LISTED_WALLETS).entries()) {
    const block = renderWalletBlock(wallet, index, now);
    if (length + block.length > LIST_BUDGET) break;
    blocks.push(block);
    length += block.length + 1;
  }
  const more = wallets.length > blocks.length ? ['', `…and ${wallets.length - blocks.length} more.`] : [];
  const text = [
    '👛 <b>Your wallets</b>',
    '',
    ...blocks,
    ...more,
    '',
    '<i>Tap a button to stop tracking a wallet.</i>',
  ].join('\n');
  const buttons = wallets
    .slice(0, blocks.length)
    .map((wallet, index) => [
      { text: `🗑 Remove ${index + 1}. ${shortenAddress(wallet.address)}`, data: removeData(wallet.walletId) },
    ]);
  return { text, buttons };
}

function renderWalletBlock(wallet: WalletSummary, index: number, now: Date): string {
  const label = wallet.label ? ` ${escapeHtml(wallet.label.slice(0, MAX_LABEL))}` : '';
  const synced = wallet.lastSyncedAt ? `synced ${formatAge(wallet.lastSyncedAt, now)}` : 'not synced yet';
  const lines = [
    `<b>${index + 1}.</b>${label} <code>${escapeHtml(wallet.address)}</code>`,
    `   ${chainList(wallet.chains)} · ${escapeHtml(formatUsd(wallet.valueUsd))} · ${synced}`,
  ];
  if (wallet.staleSince)
    lines.push(`   ⚠️ last sync failed ${formatAge(wallet.staleSince, now)}: showing the last good balances`);
  return lines.join('\n');
}

export function renderRemoveConfirm(wallet: Wallet): HtmlMessage {
  const label = wallet.label ? ` (${escapeHtml(wallet.label.slice(0, MAX_LABEL))})` : '';
  return {
    text: `Stop tracking <code>${escapeHtml(wallet.address)}</code>${label} on ${chainList(wallet.chains)}?\nIts balances leave your portfolio; you can add it again later.`,
    buttons: [
      [{ text: '✅ Yes, remove', data: `v1:wrmok:${wallet.walletId}` }],
      [{ text: '↩️ Keep it', data: `v1:wrmno:${wallet.walletId}` }],
    ],
  };
}

export function renderRemoved(wallet: Wallet): string {
  return `🗑 Stopped tracking <code>${escapeHtml(wallet.address)}</code>.`;
}

export function renderWalletAdded(wallet: Wallet): string {
  return [
    `✅ Tracking <code>${escapeHtml(wallet.address)}</code> on ${chainList(wallet.chains)}.`,
    'Balances appear after the next sync (every 10 minutes). Open /portfolio and tap Refresh to sync now.',
  ].join('\n');
}

export const ADD_WALLET_USAGE =
  'Send the address, and optionally the chains:\n<code>/addwallet 0x1234…abcd</code>\n<code>/addwallet 0x1234…abcd ethereum,base,arbitrum</code>\nWithout chains I watch every chain that fits the address.';

const removeData = (walletId: string) => `v1:wrm:${walletId}`;
