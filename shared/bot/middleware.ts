import type { MiddlewareFn } from 'telegraf';
import type { BotContext } from '../platform/telegram/bot-context';
import { isQueryTooOldError } from '../platform/telegram/telegram-errors';
import type { Message } from 'telegraf/types';
import type { Log } from '../platform/logger';
import { replyHtml } from '../platform/telegram/messages';

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

/**
 * The only commands that reach the features in a group: /start and /help show nothing personal; /share is
 * the user's explicit opt-in and posts percentages only (render/share-card.ts).
 */
export const GROUP_SAFE_COMMANDS: ReadonlySet<string> = new Set(['start', 'help', 'share']);

export const GROUP_REDIRECT_TEXT = '🔒 That is private: I answer it in our private chat.';
export const OPEN_PRIVATE_CHAT = '💬 Open private chat';
export const NOT_YOUR_BUTTON = 'This button is not yours: send the command in your private chat with me';

/** `https://t.me/<bot>?start=<payload>`: opens the private chat; the payload is the command (a-z, 0-9, _). */
export const privateChatUrl = (botUsername: string, payload: string) => `https://t.me/${botUsername}?start=${payload}`;

/**
 * The one gate between Telegram and the features, so a new feature cannot forget it:
 * - an update without a user (`from`) is ignored: no feature runs, nothing is sent, the webhook answers 200;
 * - a callback runs only when its message is in a private chat: personal messages are only ever sent there,
 *   and in a private chat Telegram delivers only that chat's user's taps, so the tapper owns the data.
 *   Any other tap (a group, an inline message) gets a callback answer and changes nothing;
 * - in a group, supergroup or channel only GROUP_SAFE_COMMANDS pass; any other command to this bot gets
 *   one short line with a button to the private chat, and every other message is ignored.
 */
export function privacyGuard(logger: Log): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    if (!ctx.from) {
      logger.info('update without a user ignored', { updateId: ctx.update.update_id, updateType: ctx.updateType });
      return;
    }
    if (ctx.callbackQuery) {
      if (ctx.callbackQuery.message?.chat.type === 'private') return next();
      return void (await ctx.answerCbQuery(NOT_YOUR_BUTTON));
    }
    if (!ctx.chat || ctx.chat.type === 'private') return next();
    const command = ctx.message && 'text' in ctx.message ? commandOf(ctx.message, ctx.botInfo.username) : undefined;
    if (command === undefined) return;
    if (GROUP_SAFE_COMMANDS.has(command)) return next();
    await replyHtml(
      ctx,
      {
        text: GROUP_REDIRECT_TEXT,
        buttons: [[{ text: OPEN_PRIVATE_CHAT, url: privateChatUrl(ctx.botInfo.username, command) }]],
      },
      'group-redirect',
    );
  };
}

/** The command a text message starts with ("/report@Bot 30d" -> "report"); undefined when none or for another bot. */
function commandOf(message: Message.TextMessage, botUsername: string): string | undefined {
  const entity = message.entities?.[0];
  if (entity?.type !== 'bot_command' || entity.offset !== 0) return undefined;
  const [name, to] = message.text.slice(1, entity.length).split('@');
  if (to && to.toLowerCase() !== botUsername.toLowerCase()) return undefined;
  return name?.toLowerCase().slice(0, 32);
}
