import { inputExcerpt } from '../platform/telegram/messages';

/** /start and /help: what the bot does, every command, and whether trades can ever be real. */
export function renderHelp(input: { dryRun: boolean; firstName?: string }): string {
  const greeting = input.firstName
    ? `👋 Hi ${inputExcerpt(input.firstName)}! I am <b>Esther Portfolio</b>.`
    : '👋 I am <b>Esther Portfolio</b>.';
  const mode = input.dryRun
    ? '🧪 <b>DRY-RUN MODE</b>: rebalances are previewed and simulated only. Nothing is ever sent on-chain.'
    : '⚠️ <b>Live rebalancing is available</b> after you opt in with /live on. You always sign in your own wallet.';
  return [
    greeting,
    'I track your crypto wallets across chains (EVM, Solana and Tron) with OKX market data: total value, allocation, performance reports and rebalancing to a target mix. I only read public balances and never hold your keys.',
    '',
    mode,
    '',
    '<b>Commands</b>',
    '/addwallet &lt;address&gt; [chains] — track a wallet, e.g. <code>/addwallet 0xabc… ethereum,base</code>',
    '/wallets — your wallets, their value and data age; remove one',
    '/portfolio — total value, top assets, chains and 24 h change',
    '/report — performance and diversification, with charts',
    '/target — view or set your target mix, e.g. <code>/target ETH 50 BTC 30 USDC 20</code>',
    '/rebalance — quotes to move back to your target',
    '/live on|off — opt in to building real transactions to sign',
    '/alerts — what I tell you without being asked: rules, thresholds, quiet hours, time zone',
    '/digest — a daily or weekly summary at the hour you choose, e.g. <code>/digest daily 9</code>',
    '/share — post your allocation, percentages only (works in groups)',
    '/help — this message',
  ].join('\n');
}

export const UNKNOWN_INPUT_TEXT = "I didn't get that. /help lists what I can do.";
