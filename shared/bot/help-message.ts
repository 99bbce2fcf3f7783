import { escapeHtml, inputExcerpt } from '../platform/telegram/messages';
import { BOT_COMMANDS, BOT_DESCRIPTION, type BotCommandEntry } from './bot-profile';

/** /start and /help: what the bot does, every command, and whether trades can ever be real. */
export function renderHelp(input: { dryRun: boolean; firstName?: string }): string {
  const greeting = input.firstName
    ? `👋 Hi ${inputExcerpt(input.firstName)}! I am <b>Esther Portfolio</b>.`
    : '👋 I am <b>Esther Portfolio</b>.';
  const mode = input.dryRun
    ? '🧪 <b>DRY-RUN MODE</b>: rebalances are previewed and simulated only. Nothing is ever sent on-chain.'
    : '⚠️ <b>Live rebalancing is available</b> after you opt in with /live on. You always sign in your own wallet.';
  return [greeting, BOT_DESCRIPTION, '', mode, '', '<b>Commands</b>', ...BOT_COMMANDS.map(renderCommand)].join('\n');
}

/** `/addwallet &lt;address&gt; [chains] — track a wallet, e.g. <code>/addwallet 0xabc… ethereum,base</code>` */
function renderCommand({ command, args, summary, example }: BotCommandEntry): string {
  const usage = args ? ` ${escapeHtml(args)}` : '';
  const sample = example ? `, e.g. <code>${escapeHtml(example)}</code>` : '';
  return `/${command}${usage} — ${escapeHtml(summary)}${sample}`;
}

export const UNKNOWN_INPUT_TEXT = "I didn't get that. /help lists what I can do.";
