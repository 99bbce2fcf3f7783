import { Composer } from 'telegraf';
import { escapeHtml, editHtml, replyHtml, type BotContext, commandArgs, userIdOf } from '../platform/telegram/messages';
import type { TargetAllocation, UnlistedPolicy } from '../kernel/types';
import type { PortfolioServicePort } from '../portfolio/portfolio-service-port';
import type { SettingsStore } from './settings-store';
import { parseTarget } from './parse-target';
import { renderTargetOverview, TARGET_USAGE } from './target-message';

/** What /target uses. */
export interface TargetFeatureDeps {
  readonly portfolio: Pick<PortfolioServicePort, 'getTargetAllocation' | 'setTargetAllocation' | 'getLiveView'>;
  readonly settings?: SettingsStore;
  readonly now: () => Date;
}

/**
 * /target shows the whole portfolio against the target mix; /target ETH 50 BTC 30 USDC 20 sets it (the
 * domain validates the mix). A button switches what a rebalance does with unlisted assets (keep / sell),
 * stored per user.
 */
export function createTargetFeature(deps: TargetFeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const overview = async (userId: string, target: TargetAllocation | undefined, saved = false) => {
    const [view, settings] = await Promise.all([deps.portfolio.getLiveView(userId), deps.settings?.get(userId)]);
    return renderTargetOverview({
      target,
      view,
      unlisted: settings?.unlisted ?? 'keep',
      canSwitch: deps.settings !== undefined,
      saved,
    });
  };

  composer.command('target', async (ctx) => {
    const userId = userIdOf(ctx);
    const words = commandArgs(ctx);
    if (words.length === 0)
      return replyHtml(ctx, await overview(userId, await deps.portfolio.getTargetAllocation(userId)), 'target');
    const parsed = parseTarget(words);
    if (!parsed.ok)
      return replyHtml(ctx, { text: `⚠️ ${escapeHtml(parsed.problem)}\n${TARGET_USAGE}` }, 'target-problem');
    // A sum other than 100 or an unknown asset comes back as a domain error, shown by bot.catch.
    const saved = await deps.portfolio.setTargetAllocation(userId, parsed.target);
    await replyHtml(ctx, await overview(userId, saved, true), 'target-saved');
  });

  composer.action(/^v1:unlisted:(keep|sell)$/, async (ctx) => {
    const userId = userIdOf(ctx);
    const choice = ctx.match[1] as UnlistedPolicy;
    if (!deps.settings) return void (await ctx.answerCbQuery());
    await deps.settings.setUnlisted(userId, choice, deps.now().toISOString());
    await ctx.answerCbQuery(
      choice === 'sell' ? 'Unlisted assets will be sold into your targets' : 'Unlisted assets will be kept',
    );
    await editHtml(ctx, await overview(userId, await deps.portfolio.getTargetAllocation(userId)));
  });
  return composer;
}
