import { base58 } from '@scure/base';
import { Composer } from 'telegraf';
import type { BotContext } from '../platform/telegram/bot-context';

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
