import { Composer } from 'telegraf';
import type { BotDeps } from './bot-deps';
import { type BotContext, replyHtml } from '../platform/telegram/messages';
import { renderHelp, UNKNOWN_INPUT_TEXT } from './help-message';

/** /start and /help: what the bot does, its commands and a clear dry-run banner. */
export function createStartFeature(deps: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command(['start', 'help'], async (ctx) => {
    await replyHtml(ctx, { text: renderHelp({ dryRun: deps.dryRun, firstName: ctx.from.first_name }) }, 'help');
  });
  return composer;
}

/** Installed last: a message no feature understood gets a pointer to /help (other update types are ignored). */
export function createFallbackFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on('message', async (ctx) => {
    if (ctx.chat.type === 'private') await ctx.reply(UNKNOWN_INPUT_TEXT);
  });
  return composer;
}
