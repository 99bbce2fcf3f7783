import { Composer } from 'telegraf';
import type { StoredPlan } from '../../../shared/adapters/dynamo/plan-store';
import { createRebalanceExecution, type ExecuteOutcome, type RebalanceExecution } from '../../../shared/services/rebalance-execution';
import type { BotContext, BotDeps } from '../bot-deps';
import { toInlineKeyboard } from '../render/rebalance-keyboard';
import { renderRebalancePreview } from '../render/rebalance-preview';
import {
  CANCELLED_TEXT,
  NO_TARGET_TEXT,
  NOTHING_TO_DO_TEXT,
  refusalText,
  renderLegTransaction,
  renderLiveStatus,
  renderSignatureSummary,
  renderSimulatedResult,
  REQUOTED_HEADLINE,
} from '../render/rebalance-result';
import { chainName } from '../render/report-chains';
import { splitMessage } from '../../../shared/adapters/telegram/split-message';
import { withRetryAfter } from '../../../shared/adapters/telegram/retry-after';

const PLAN_ID = '([A-Za-z0-9_-]{1,32})';

/** 🔄 Rebalance: preview with quotes, Confirm / Cancel, and the `/live` opt-in. */
export function createRebalanceFeature(deps: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const { plans, settings } = deps;
  if (!plans || !settings) return composer;
  const execution = createRebalanceExecution({
    market: deps.market,
    plans,
    settings,
    now: deps.now,
    dryRun: deps.dryRun,
    findWallet: async (userId, chainIndex) => (await deps.portfolio.listWallets(userId)).find((wallet) => wallet.chains.includes(chainIndex))?.address,
  });
  const isLive = async (userId: string) => !deps.dryRun && (await settings.get(userId)).liveMode;

  const startRebalance = async (ctx: BotContext) => {
    const userId = String(ctx.from!.id);
    if (!(await deps.portfolio.getTargetAllocation(userId))) return void (await ctx.reply(NO_TARGET_TEXT));
    const suggestion = await deps.portfolio.suggestRebalance(userId);
    if (suggestion.legs.length === 0 && suggestion.dropped.length === 0) return void (await ctx.reply(NOTHING_TO_DO_TEXT));
    const plan = await execution.quotePlan({ userId, chatId: ctx.chat!.id, plan: suggestion });
    const message = renderRebalancePreview(plan, { isLive: await isLive(userId), chainName });
    await ctx.reply(message.text, { parse_mode: 'HTML', reply_markup: toInlineKeyboard(message.buttons) });
  };

  composer.command('rebalance', startRebalance);
  composer.action('v1:rebal', async (ctx) => {
    await ctx.answerCbQuery('Fetching quotes…');
    await startRebalance(ctx);
  });
  composer.action(new RegExp(`^v1:confirm:${PLAN_ID}$`), (ctx) => confirmPlan(ctx, ctx.match[1]!, execution, isLive));
  composer.action(new RegExp(`^v1:cancel:${PLAN_ID}$`), async (ctx) => {
    const outcome = await execution.cancel({ planId: ctx.match[1]!, userId: String(ctx.from.id) });
    if (outcome.kind !== 'cancelled') return void (await ctx.answerCbQuery(refusalText(outcome)));
    await ctx.answerCbQuery('Cancelled');
    await ctx.editMessageText(CANCELLED_TEXT);
  });
  composer.command('live', async (ctx) => {
    const userId = String(ctx.from.id);
    const choice = ctx.message.text.split(/\s+/)[1]?.toLowerCase();
    if (choice === 'on' || choice === 'off') await settings.setLiveMode(userId, choice === 'on', deps.now().toISOString());
    await ctx.reply(renderLiveStatus({ liveMode: (await settings.get(userId)).liveMode, dryRun: deps.dryRun }), { parse_mode: 'HTML' });
  });
  return composer;
}

/** The claim is one conditional write, so the tap is answered with its outcome before any quote is fetched. */
async function confirmPlan(ctx: BotContext, planId: string, execution: RebalanceExecution, isLive: (userId: string) => Promise<boolean>): Promise<void> {
  const claimed = await execution.claim({ planId, userId: String(ctx.from!.id) });
  if (claimed.kind !== 'claimed') return void (await ctx.answerCbQuery(refusalText(claimed)));
  await ctx.answerCbQuery('Checking the quotes again…');
  const outcome = await execution.execute(claimed.plan);
  if (outcome.kind === 'requoted') return editPreview(ctx, outcome.plan, await isLive(outcome.plan.userId));
  await sendExecution(ctx, outcome);
}

async function editPreview(ctx: BotContext, plan: StoredPlan, live: boolean): Promise<void> {
  const message = renderRebalancePreview(plan, { isLive: live, chainName, headline: REQUOTED_HEADLINE });
  await ctx.editMessageText(message.text, { parse_mode: 'HTML', reply_markup: toInlineKeyboard(message.buttons) });
}

async function sendExecution(ctx: BotContext, outcome: Exclude<ExecuteOutcome, { kind: 'requoted' }>): Promise<void> {
  if (outcome.kind === 'simulated') return void (await ctx.editMessageText(renderSimulatedResult(outcome.plan), { parse_mode: 'HTML' }));
  await ctx.editMessageText(renderSignatureSummary(outcome.transactions), { parse_mode: 'HTML' });
  // Calldata can run to thousands of characters, so each leg gets its own (split) messages.
  for (const [index, item] of outcome.transactions.entries()) {
    for (const part of splitMessage(renderLegTransaction(item, index))) await withRetryAfter(() => ctx.reply(part, { parse_mode: 'HTML' }));
  }
}
