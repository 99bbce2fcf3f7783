import { Composer } from 'telegraf';
import type { BotContext, BotDeps } from '../bot-deps';
import { renderShareCard } from '../render/share-card';
import { replyHtml } from '../send-html';
import { userIdOf } from './command-args';

/** /share: the sender's allocation card, percentages only, posted where they asked (opt-in, group-safe). */
export function createShareFeature(deps: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command('share', async (ctx) => {
    await replyHtml(ctx, { text: renderShareCard(await deps.portfolio.getSnapshot(userIdOf(ctx)), ctx.from.first_name) }, 'share');
  });
  return composer;
}
