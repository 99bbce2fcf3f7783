import { Composer } from 'telegraf';
import type { PortfolioServicePort } from './portfolio-service-port';
import { type BotContext, userIdOf, replyHtml } from '../platform/telegram/messages';
import { renderShareCard } from './share-card';

/** What /share uses. */
export interface ShareFeatureDeps {
  readonly portfolio: Pick<PortfolioServicePort, 'getLiveView' | 'getPerformance'>;
}

/** /share: the sender's allocation card, percentages only, posted where they asked (opt-in, group-safe). */
export function createShareFeature(deps: ShareFeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command('share', async (ctx) => {
    await replyHtml(
      ctx,
      { text: renderShareCard(await deps.portfolio.getLiveView(userIdOf(ctx)), ctx.from.first_name) },
      'share',
    );
  });
  return composer;
}
