import type { MiddlewareFn } from 'telegraf';
import { isQueryTooOldError } from '../platform/telegram/telegram-errors';
import type { BotContext } from '../platform/telegram/bot-context';
import { updateState } from './track-api-calls';

/**
 * Every callback query is answered exactly once, so the button's spinner always stops. Features answer
 * first themselves (with a toast where it helps) before any slow work; this makes a second answer a
 * no-op, swallows Telegram's "query is too old" (an answer that came late is harmless) and answers
 * the taps no feature handled. The error handler answers the failed ones.
 */
export function answerCallbacks(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    if (!ctx.callbackQuery) return next();
    const state = updateState(ctx);
    const answer = ctx.answerCbQuery.bind(ctx);
    ctx.answerCbQuery = async (...args: Parameters<BotContext['answerCbQuery']>) => {
      if (state.callbackAnswered) return true;
      state.callbackAnswered = true;
      try {
        return await answer(...args);
      } catch (error) {
        if (isQueryTooOldError(error)) return true;
        throw error;
      }
    };
    await next();
    if (!state.callbackAnswered) await ctx.answerCbQuery();
  };
}
