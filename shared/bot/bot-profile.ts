/**
 * What the bot says about itself, in one place: /help renders it (help-message.ts), and the stack registers it
 * with Telegram (setMyCommands, setMyDescription, setMyShortDescription, setWebhook's allowed_updates) through
 * the bot registration custom resource (infra/constructs/bot-registration.ts, functions/bot-registration).
 * Plain text only: no HTML, so the same words serve the Bot API and (escaped) the help message.
 */
export interface BotCommandEntry {
  /** Without the slash: 1 to 32 lower-case letters, digits or underscores (Telegram's BotCommand rule). */
  readonly command: string;
  /** How the arguments are written in /help, e.g. `<address> [chains]`. */
  readonly args?: string;
  /** What the command does, starting lower-case (/help: "/report — …"; the menu capitalises it). */
  readonly summary: string;
  readonly example?: string;
}

/** Every command in the order /help lists them and the command menu shows them (/start is the entry, not listed). */
export const BOT_COMMANDS: readonly BotCommandEntry[] = [
  {
    command: 'addwallet',
    args: '<address> [chains]',
    summary: 'track a wallet',
    example: '/addwallet 0xabc… ethereum,base',
  },
  { command: 'wallets', summary: 'your wallets, their value and data age; remove one' },
  { command: 'portfolio', summary: 'total value, top assets, chains and 24 h change' },
  { command: 'report', summary: 'performance and diversification, with charts' },
  { command: 'target', summary: 'view or set your target mix', example: '/target ETH 50 BTC 30 USDC 20' },
  { command: 'rebalance', summary: 'quotes to move back to your target' },
  { command: 'live', args: 'on|off', summary: 'opt in to building real transactions to sign' },
  { command: 'alerts', summary: 'what I tell you without being asked: rules, thresholds, quiet hours, time zone' },
  {
    command: 'digest',
    summary: 'a daily or weekly summary at the hour you choose',
    example: '/digest daily 9',
  },
  { command: 'share', summary: 'post your allocation, percentages only (works in groups)' },
  { command: 'help', summary: 'what I can do, and every command' },
];

/** "What can this bot do?" in an empty chat (setMyDescription, at most 512 characters); also the /help intro. */
export const BOT_DESCRIPTION =
  'I track your crypto wallets across chains (EVM, Solana and Tron) with OKX market data: total value, allocation, performance reports and rebalancing to a target mix. I only read public balances and never hold your keys.';

/** The bot's profile line and share text (setMyShortDescription, at most 120 characters). */
export const BOT_SHORT_DESCRIPTION =
  'Multi-chain crypto portfolio: value, reports and rebalancing from public balances. Never holds your keys.';

/**
 * The update types the bot acts on, and so the only ones Telegram should send (setWebhook `allowed_updates`):
 * commands and text are `message`, buttons are `callback_query`. test/shared/bot/bot-profile.test.ts derives the
 * list from what the features register, so a feature that handles another type fails it until it is added here.
 */
export const HANDLED_UPDATE_TYPES = ['message', 'callback_query'] as const;

/** The command menu entries (Telegram BotCommand: description 1 to 256 characters). */
export function menuCommands(): { command: string; description: string }[] {
  return BOT_COMMANDS.map(({ command, summary }) => ({
    command,
    description: summary.charAt(0).toUpperCase() + summary.slice(1),
  }));
}
