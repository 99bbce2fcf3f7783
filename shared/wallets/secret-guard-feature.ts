import { Composer } from 'telegraf';
import type { BotContext } from '../platform/telegram/bot-context';
import { detectSecret, type SecretKind } from './parse-secret';

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
