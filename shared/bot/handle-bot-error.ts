import { type BotContext, replyHtml } from '../platform/telegram/messages';
import { classifyError, errorNameOf } from './classify-error';
import type { Log } from '../platform/logger';
import { RetryableUpdateError } from './retryable-update-error';
import { updateState } from './middleware';
import { noticeContext } from '../platform/telegram/update-deadline';

/**
 * `bot.catch`: the one place errors from features are handled. The user gets a kind answer (the
 * domain's reason for bad input), the log gets the error kind and ids only. A transient AWS failure
 * before anything was sent is rethrown as RetryableUpdateError so the webhook asks for a redelivery.
 */
export function createBotErrorHandler(logger: Log): (error: unknown, ctx: BotContext) => Promise<void> {
  return async (error, ctx) => {
    const classified = classifyError(error);
    const state = updateState(ctx);
    const fields = {
      kind: classified.kind,
      updateId: ctx.update.update_id,
      updateType: ctx.updateType,
      apiCalls: state.apiCalls ?? 0,
    };
    if (classified.isTransient && !state.apiCalls) {
      logger.warn('update failed transiently before any reply', fields);
      throw new RetryableUpdateError(classified.kind, { cause: error });
    }
    if (classified.isUserError) logger.info('update refused', fields);
    else logger.error('update failed', { ...fields, errorName: errorNameOf(error) });
    // After the deadline the update's own client refuses every call; this notice is the one exception.
    const notice = noticeContext(ctx);
    try {
      if (ctx.callbackQuery && !state.callbackAnswered) return void (await notice.answerCbQuery(classified.toast));
      if (ctx.chat) await replyHtml(notice, { text: classified.html }, 'error');
    } catch (replyError) {
      // Telling the user failed too (blocked bot, 429, network): log it and let the webhook answer 200.
      logger.warn('could not tell the user about a failure', { ...fields, replyKind: classifyError(replyError).kind });
    }
  };
}
