import { afterEach, describe, expect, it } from 'vitest';
import type { Update } from 'telegraf/types';
import { startFakeTelegram, type FakeTelegram } from '../../../dev-tools/fake-telegram/index';
import { createBot } from '../../../shared/bot/bot';
import { deletedSecretText, undeletedSecretText, detectSecret } from '../../../shared/bot/middleware';
import { createDeps, createMemoryLogger } from './bot-fixtures';

const KEY = '4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318';
const SEED = 'abandon ability able about above absent absorb abstract absurd abuse access accident';

let fake: FakeTelegram | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

function textUpdate(text: string, messageId: number): Update {
  const entities = text.startsWith('/')
    ? [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }]
    : undefined;
  return {
    update_id: messageId,
    message: {
      message_id: messageId,
      date: 0,
      chat: { id: 70, type: 'private', first_name: 'U' },
      from: { id: 7, is_bot: false, first_name: 'U' },
      text,
      ...(entities ? { entities } : {}),
    },
  } as Update;
}

async function botOnFakeApi() {
  fake = await startFakeTelegram();
  const logger = createMemoryLogger();
  const deps = createDeps();
  const bot = createBot(deps, { token: '123:TEST', apiRoot: fake.apiRoot, logger });
  return { fake, bot, logger, deps };
}

describe('detectSecret', () => {
  it.each([
    [KEY, 'private key'],
    [`0x${KEY}`, 'private key'],
    [`/addwallet 0x${KEY}`, 'private key'],
    [SEED, 'seed phrase'],
    [`  ${SEED.split(' ').slice(0, 12).join('\n')} `, 'seed phrase'],
  ])('%s is a %s', (text, kind) => {
    expect(detectSecret(text)).toBe(kind);
  });

  it.each([
    '/addwallet 0x52908400098527886e0f7030069857d2e4169ee7',
    '/portfolio',
    'hello there',
    SEED.split(' ').slice(0, 11).join(' '),
    '/target ETH 50 BTC 50',
  ])('leaves %s alone', (text) => {
    expect(detectSecret(text)).toBeUndefined();
  });
});

describe('bot: a pasted private key or seed phrase', () => {
  it('is deleted with deleteMessage(chat_id, message_id), the user is told why, and no feature sees it', async () => {
    const { bot, logger, deps } = await botOnFakeApi();
    await bot.handleUpdate(textUpdate(`/addwallet 0x${KEY}`, 31));

    expect(fake!.calls.map((call) => [call.method, call.payload])).toEqual([
      ['deleteMessage', { chat_id: 70, message_id: 31 }],
      ['sendMessage', { chat_id: 70, text: deletedSecretText('private key') }],
    ]);
    expect(deletedSecretText('private key')).toContain(
      'I deleted your message because it looked like a private key — never share it',
    );
    expect(deps.portfolio.calls.filter((call) => call.startsWith('addWallet'))).toEqual([]);
    expect(JSON.stringify(logger.lines)).not.toContain(KEY);
  });

  it('says to delete it by hand when Telegram refuses the deletion (400), without logging the text', async () => {
    const { bot, logger } = await botOnFakeApi();
    fake!.failNext('deleteMessage', { error_code: 400, description: "Bad Request: message can't be deleted" });
    await bot.handleUpdate(textUpdate(SEED, 32));

    expect(fake!.calls.map((call) => [call.method, call.payload])).toEqual([
      ['deleteMessage', { chat_id: 70, message_id: 32 }],
      ['sendMessage', { chat_id: 70, text: undeletedSecretText('seed phrase') }],
    ]);
    expect(undeletedSecretText('seed phrase')).toContain('could not delete it: delete it by hand');
    expect(JSON.stringify(logger.lines)).not.toContain('abandon');
  });
});

describe('fake Bot API deleteMessage', () => {
  it('answers true with both ids and 400 without message_id, like Telegram', async () => {
    fake = await startFakeTelegram();
    const post = async (body: unknown) =>
      (
        await fetch(`${fake!.apiRoot}/bot1:x/deleteMessage`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).json();
    expect(await post({ chat_id: 5, message_id: 9 })).toEqual({ ok: true, result: true });
    expect(await post({ chat_id: 5 })).toEqual({
      ok: false,
      error_code: 400,
      description: 'Bad Request: message identifier is not specified',
    });
  });
});
