import { base58 } from '@scure/base';
import { Composer, type MiddlewareFn } from 'telegraf';
import { type BotContext, replyHtml } from '../platform/telegram/messages';
import { isQueryTooOldError } from '../platform/telegram/telegram-errors';
import type { Message } from 'telegraf/types';
import type { Log } from '../platform/logger';
import type { UserActivityStore } from '../wallets/portfolio-store';

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
const privateChatUrl = (botUsername: string, payload: string) => `https://t.me/${botUsername}?start=${payload}`;

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

// The secret guard: a pasted private key or seed phrase never reaches a feature.

export type SecretKind = 'private key' | 'seed phrase';

const HEX_KEY = /^(0x)?[0-9a-fA-F]{64}$/;
const BASE58 = /^[1-9A-HJ-NP-Za-km-z]{80,90}$/;
/** BIP-39 phrases have 12 to 24 words (multiples of 3); every English list word is 3 to 8 lower-case letters. */
const SEED_LENGTHS = new Set([12, 15, 18, 21, 24]);
const SEED_WORD = /^[a-z]{3,8}$/;

/** 32 bytes as hex (an EVM or Tron key) or 64 bytes in base58 (a Solana keypair as wallets export it). */
function isKeyWord(word: string): boolean {
  if (HEX_KEY.test(word)) return true;
  return BASE58.test(word) && base58.decode(word).length === 64;
}

/**
 * Whether a message looks like a wallet secret the user should never have sent. A 64-hex string may also be
 * a transaction hash; it is treated as a key because deleting a hash costs nothing and leaving a key costs
 * everything. A leading /command is ignored, so "/addwallet <key>" is caught too.
 */
export function detectSecret(text: string): SecretKind | undefined {
  const words = text
    .trim()
    .split(/\s+/)
    .filter((word) => word !== '');
  const body = words[0]?.startsWith('/') ? words.slice(1) : words;
  if (body.some(isKeyWord)) return 'private key';
  if (SEED_LENGTHS.has(body.length) && body.every((word) => SEED_WORD.test(word))) return 'seed phrase';
  return undefined;
}

export const deletedSecretText = (kind: SecretKind) =>
  `🔐 I deleted your message because it looked like a ${kind} — never share it with anyone, me included. If it is real, treat that wallet as exposed and move your funds to a new one. To track a wallet, send its public address.`;

export const undeletedSecretText = (kind: SecretKind) =>
  `⚠️ Your message looks like a ${kind} and I could not delete it: delete it by hand now (long-press it → Delete). Never share it with anyone, me included. If it is real, treat that wallet as exposed and move your funds to a new one.`;

/**
 * Installed first: a message that looks like a private key or seed phrase is deleted (`deleteMessage`, allowed
 * for incoming messages in private chats younger than 48 h) and goes no further, so no feature echoes or
 * parses it. Its text is never logged.
 */
export function createSecretGuardFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on('message', async (ctx, next) => {
    const text = 'text' in ctx.message ? ctx.message.text : 'caption' in ctx.message ? ctx.message.caption : undefined;
    const kind = text === undefined ? undefined : detectSecret(text);
    if (!kind) return next();
    const deleted = await ctx.deleteMessage(ctx.message.message_id).then(
      () => true,
      () => false,
    );
    await ctx.reply(deleted ? deletedSecretText(kind) : undeletedSecretText(kind));
  });
  return composer;
}

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
