import { Composer } from 'telegraf';
import type { PortfolioServicePort } from './portfolio-service-port';
import type { UserCooldownStore } from '../platform/dynamo/user-cooldown-store';
import type { BotContext } from '../platform/telegram/bot-context';
import { renderPortfolio } from './portfolio-message';
import { editHtml, replyHtml } from '../platform/telegram/send-html';
import { userIdOf } from '../platform/telegram/bot-context';

/** One manual sync per user per minute: each Refresh costs several OKX requests. */
export const REFRESH_COOLDOWN_SECONDS = 60;
export const NOT_YOUR_PORTFOLIO = 'This is not your portfolio: send /portfolio for yours';

/** What /portfolio and Refresh use; without `cooldowns` Refresh is not rate limited. */
export interface PortfolioFeatureDeps {
  readonly portfolio: Pick<PortfolioServicePort, 'getLiveView' | 'syncBalances'>;
  readonly cooldowns?: UserCooldownStore;
  readonly now: () => Date;
}

/** /portfolio and its Refresh button (which syncs, then edits the message in place). */
export function createPortfolioFeature(deps: PortfolioFeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const render = async (userId: string) => renderPortfolio(await deps.portfolio.getLiveView(userId), deps.now(), userId);

  composer.command('portfolio', async (ctx) => {
    await replyHtml(ctx, await render(userIdOf(ctx)), 'portfolio');
  });

  // The owner rides in the callback data: a tap from anyone else must not overwrite this message.
  composer.action(/^v1:refresh:(\d{1,20})$/, async (ctx) => {
    const userId = userIdOf(ctx);
    if (ctx.match[1] !== userId) return void (await ctx.answerCbQuery(NOT_YOUR_PORTFOLIO));
    const cooldown = await deps.cooldowns?.tryAcquire(userId, 'refresh', REFRESH_COOLDOWN_SECONDS);
    if (cooldown && !cooldown.allowed) return void (await ctx.answerCbQuery(`Just refreshed, try again in ${cooldown.retryAfterSeconds} s`));
    await ctx.answerCbQuery('Refreshing…');
    // Asked for by the user, so it fetches from OKX now rather than serving this slot's cached balances.
    await deps.portfolio.syncBalances(userId, { fresh: true });
    await editHtml(ctx, await render(userId));
  });
  return composer;
}
