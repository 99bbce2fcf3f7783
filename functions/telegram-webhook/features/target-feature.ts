import { Composer } from 'telegraf';
import { escapeHtml } from '../../../shared/adapters/telegram/html';
import type { BotContext, BotDeps } from '../bot-deps';
import { parseTarget } from '../parse/parse-target';
import { renderTarget, renderTargetSaved, TARGET_USAGE } from '../render/target';
import { replyHtml } from '../send-html';
import { commandArgs, userIdOf } from './command-args';

/** /target shows the target mix; /target ETH 50 BTC 30 USDC 20 sets it (the domain validates the mix). */
export function createTargetFeature(deps: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command('target', async (ctx) => {
    const userId = userIdOf(ctx);
    const words = commandArgs(ctx);
    if (words.length === 0) return replyHtml(ctx, renderTarget(await deps.portfolio.getTargetAllocation(userId)), 'target');
    const parsed = parseTarget(words);
    if (!parsed.ok) return void (await ctx.reply(`⚠️ ${escapeHtml(parsed.problem)}\n${TARGET_USAGE}`, { parse_mode: 'HTML' }));
    // A sum other than 100 or an unknown asset comes back as a domain error, shown by bot.catch.
    const saved = await deps.portfolio.setTargetAllocation(userId, parsed.target);
    await replyHtml(ctx, renderTargetSaved(saved), 'target-saved');
  });
  return composer;
}
