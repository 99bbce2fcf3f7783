import type { MiddlewareFn } from 'telegraf';
import type { BotContext } from '../platform/telegram/bot-context';
import type { Log } from '../platform/logger';
import type { UserActivityStore } from './user-activity-store';

/**
 * Any message or button tap from a user in their private chat makes them active again (they unblocked the bot or
 * started a new chat): one conditional write that changes nothing for an active user, run alongside the feature.
 * A failed write is logged, not the user's problem: their command still runs, and their next update tries again.
 */
export function reactivateUsers(
  activity: Pick<UserActivityStore, 'reactivate'>,
  now: () => Date,
  logger: Log,
): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const chat = ctx.chat ?? ctx.callbackQuery?.message?.chat;
    if (!ctx.from || chat?.type !== 'private') return next();
    const userId = String(ctx.from.id);
    const reactivation = Promise.resolve()
      .then(() => activity.reactivate(userId, now().toISOString()))
      .then(
        (isReactivated) => {
          if (isReactivated) logger.info('user active again', { userId });
        },
        (error: unknown) => logger.warn('user activity not checked', { userId, error: (error as Error).name }),
      );
    await Promise.all([reactivation, next()]);
  };
}
