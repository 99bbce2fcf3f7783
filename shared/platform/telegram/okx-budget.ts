import type { UserBudget } from '../dynamo/user-cooldown-store';
import type { UserCooldownStore } from '../dynamo/user-cooldown-store';
import type { BotContext } from './bot-context';
import { userIdOf } from './bot-context';

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
