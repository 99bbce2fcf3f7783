import { Composer } from 'telegraf';
import type { StoredPlan, PlanStore } from './plan-store';
import type { RebalanceMode } from '../kernel/types';
import { createRebalanceExecution, type ExecuteOutcome, type RebalanceExecution } from './rebalance-execution';
import type { PortfolioServicePort } from '../portfolio/portfolio-service-port';
import type { RebalanceMarket } from './rebalance-market';
import type { SettingsStore } from './settings-store';
import { type BotContext, commandArgs, userIdOf, editHtml, replyHtml } from '../platform/telegram/messages';
import { deadlineSignal } from '../platform/telegram/update-deadline';
import type { UserBudget, UserCooldownStore } from '../platform/dynamo/user-cooldown-store';
import { renderRebalancePreview } from './rebalance-preview';
import {
  CANCELLED_TEXT,
  NO_TARGET_TEXT,
  nothingToDoText,
  refusalText,
  renderLiveStatus,
  renderSigningReady,
  renderSimulatedResult,
  signUrlOf,
  REQUOTED_HEADLINE,
} from './rebalance-result';

const PLAN_ID = '([A-Za-z0-9_-]{1,32})';

/** What the rebalance flow uses; it is installed only with `plans` and `settings`. */
export interface RebalanceFeatureDeps {
  readonly portfolio: PortfolioServicePort;
  readonly market: RebalanceMarket;
  readonly plans?: PlanStore;
  readonly settings?: SettingsStore;
  readonly cooldowns?: UserCooldownStore;
  readonly now: () => Date;
  /** DRY_RUN_MODE: previews and simulations only, whatever a user chose with /live. */
  readonly dryRun: boolean;
  /** MINIAPP_URL: where the "✍️ Sign in wallet" button opens the signing page (private chats only). */
  readonly miniAppUrl?: string;
}

/** 🔄 Rebalance: preview with quotes, Confirm / Cancel, and the `/live` opt-in. */
export function createRebalanceFeature(deps: RebalanceFeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const { plans, settings } = deps;
  if (!plans || !settings) return composer;
  const execution = createRebalanceExecution({
    market: deps.market,
    plans,
    settings,
    now: deps.now,
    dryRun: deps.dryRun,
    findWallet: async (userId, chainIndex) =>
      (await deps.portfolio.listWallets(userId)).find((wallet) => wallet.chains.includes(chainIndex))?.address,
  });
  const isLive = async (userId: string) => !deps.dryRun && (await settings.get(userId)).liveMode;

  /** To target by default (§5.2); to the band edge only when the user picks it from the preview. */
  const startRebalance = async (ctx: BotContext, mode: RebalanceMode = 'target') => {
    if (!(await spendOkxBudget(ctx, deps, 'rebalance'))) return;
    if (ctx.callbackQuery) await ctx.answerCbQuery('Fetching quotes…');
    const userId = userIdOf(ctx);
    const target = await deps.portfolio.getTargetAllocation(userId);
    if (!target) return void (await ctx.reply(NO_TARGET_TEXT));
    // The target just read is passed on, so the service does not read it again.
    const suggestion = await deps.portfolio.suggestRebalance(
      userId,
      target,
      mode,
      (await settings.get(userId)).unlisted,
    );
    if (suggestion.legs.length === 0 && suggestion.dropped.length === 0)
      return void (await replyHtml(ctx, { text: nothingToDoText(suggestion) }, 'rebalance-nothing'));
    const plan = await execution.quotePlan({
      userId,
      chatId: ctx.chat!.id,
      plan: suggestion,
      signal: deadlineSignal(ctx),
    });
    await replyHtml(ctx, renderRebalancePreview(plan, { isLive: await isLive(userId) }), 'rebalance-preview');
  };

  composer.command('rebalance', (ctx) => startRebalance(ctx));
  composer.action(/^v1:rebal(?::(band|target))?$/, (ctx) =>
    startRebalance(ctx, ctx.match[1] === 'band' ? 'band-edge' : 'target'),
  );
  composer.action(new RegExp(`^v1:confirm:${PLAN_ID}$`), async (ctx) => {
    if (await spendOkxBudget(ctx, deps, 'confirm'))
      await confirmPlan(ctx, ctx.match[1]!, execution, isLive, deps.miniAppUrl);
  });
  composer.action(new RegExp(`^v1:cancel:${PLAN_ID}$`), async (ctx) => {
    const outcome = await execution.cancel({ planId: ctx.match[1]!, userId: userIdOf(ctx) });
    if (outcome.kind !== 'cancelled') return void (await ctx.answerCbQuery(refusalText(outcome)));
    await ctx.answerCbQuery('Cancelled');
    await ctx.editMessageText(CANCELLED_TEXT);
  });
  composer.command('live', async (ctx) => {
    const userId = userIdOf(ctx);
    const choice = commandArgs(ctx)[0]?.toLowerCase();
    if (choice === 'on' || choice === 'off')
      await settings.setLiveMode(userId, choice === 'on', deps.now().toISOString());
    await replyHtml(
      ctx,
      { text: renderLiveStatus({ liveMode: (await settings.get(userId)).liveMode, dryRun: deps.dryRun }) },
      'live',
    );
  });
  return composer;
}

/** The claim is one conditional write, so the tap is answered with its outcome before any quote is fetched. */
async function confirmPlan(
  ctx: BotContext,
  planId: string,
  execution: RebalanceExecution,
  isLive: (userId: string) => Promise<boolean>,
  miniAppUrl: string | undefined,
): Promise<void> {
  const claimed = await execution.claim({ planId, userId: userIdOf(ctx) });
  if (claimed.kind !== 'claimed') return void (await ctx.answerCbQuery(refusalText(claimed)));
  await ctx.answerCbQuery('Checking the quotes again…');
  const outcome = await execution.execute(claimed.plan, deadlineSignal(ctx));
  if (outcome.kind === 'requoted') return editPreview(ctx, outcome.plan, await isLive(outcome.plan.userId));
  await sendExecution(ctx, outcome, miniAppUrl);
}

async function editPreview(ctx: BotContext, plan: StoredPlan, isLive: boolean): Promise<void> {
  await editHtml(ctx, renderRebalancePreview(plan, { isLive, headline: REQUOTED_HEADLINE }));
}

async function sendExecution(
  ctx: BotContext,
  outcome: Exclude<ExecuteOutcome, { kind: 'requoted' }>,
  miniAppUrl: string | undefined,
): Promise<void> {
  if (outcome.kind === 'simulated') return editHtml(ctx, { text: renderSimulatedResult(outcome.plan) });
  // web_app buttons work only in a private chat (and rebalancing is private-only: the privacy guard redirects groups).
  const chatType = ctx.chat?.type ?? ctx.callbackQuery?.message?.chat.type;
  const signUrl = miniAppUrl && chatType === 'private' ? signUrlOf(miniAppUrl, outcome.plan.planId) : undefined;
  await editHtml(ctx, renderSigningReady(outcome.plan, signUrl));
}

/**
 * Per-user budgets of the commands that call OKX (docs/decisions.md "Per-user OKX budgets"). Refresh keeps
 * its own 60 s cooldown (portfolio-feature); /addwallet, /portfolio and /report send no OKX request.
 */
export const OKX_BUDGETS = {
  /** /rebalance and the preview buttons: token info + at most MAX_QUOTED_LEGS quotes each. */
  rebalance: { limit: 2, windowSeconds: 60 },
  /** Confirm: re-quotes the plan's legs (and builds swaps when live). */
  confirm: { limit: 3, windowSeconds: 60 },
} as const satisfies Record<string, UserBudget>;

export type OkxAction = keyof typeof OKX_BUDGETS;

export const budgetSpentText = (seconds: number) =>
  `⏳ That needs fresh OKX prices and you have used this minute's share. Try again in ${seconds} s.`;

/**
 * Spends one use of the user's budget for `action` (one conditional write in DynamoDB). Refused: the user
 * is told when to try again (a toast for a tap, a reply for a command) and false is returned.
 * Without a rate-limit store (local tools, unit tests of other features) everything is allowed.
 */
export async function spendOkxBudget(
  ctx: BotContext,
  deps: { readonly cooldowns?: UserCooldownStore },
  action: OkxAction,
): Promise<boolean> {
  const result = await deps.cooldowns?.tryConsume(userIdOf(ctx), `okx-${action}`, OKX_BUDGETS[action]);
  if (!result || result.allowed) return true;
  const text = budgetSpentText(result.retryAfterSeconds);
  if (ctx.callbackQuery) await ctx.answerCbQuery(text);
  else await ctx.reply(text);
  return false;
}
