import type { MiddlewareFn } from 'telegraf';
import type { BotContext } from '../platform/telegram/bot-context';

/** Per-update record of what reached Telegram, read by the error handler. */
export interface UpdateState {
  apiCalls: number;
  callbackAnswered: boolean;
}

export function updateState(ctx: BotContext): UpdateState {
  return ctx.state as UpdateState;
}

/**
 * Counts the Bot API calls of this update, so a transient failure can be retried only while the
 * user has seen nothing yet (a redelivery must not produce a second message).
 */
export function trackApiCalls(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const state = updateState(ctx);
    state.apiCalls = 0;
    state.callbackAnswered = false;
    const telegram = ctx.telegram;
    const callApi = telegram.callApi.bind(telegram);
    // telegraf builds one Telegram client per update, so this wrapper never leaks to another update.
    telegram.callApi = ((method: never, payload: never, options?: never) => {
      state.apiCalls++;
      return callApi(method, payload, options);
    }) as typeof telegram.callApi;
    await next();
  };
}
