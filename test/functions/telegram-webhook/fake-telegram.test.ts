import { createServer, type IncomingHttpHeaders } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeTelegram } from '../../../dev-tools/fake-telegram/index';
import { startLambdaHttpHost } from '../../../dev-tools/local/lambda-http-host';
import { FAKE_BOT_TOKEN, startTelegramBridge } from '../../../dev-tools/local/telegram-bridge';
import { createBot } from '../../../shared/bot/bot';
import { createWebhookHandler } from '../../../functions/telegram-webhook/handler';
import { createDeps, createMemoryLogger } from '../../shared/bot/bot-fixtures';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

const post = async (url: string, body: unknown) =>
  (
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  ).json();

describe('fake Bot API', () => {
  it('records calls, answers like Telegram, and serves getMe and getUpdates', async () => {
    const fake = await startFakeTelegram();
    stops.push(fake.stop);
    const api = (method: string, body: unknown = {}) => post(`${fake.apiRoot}/bot1:x/${method}`, body);

    expect(await api('getMe')).toEqual({
      ok: true,
      result: expect.objectContaining({ is_bot: true, username: 'EstherPortfolioBot' }),
    });
    expect(
      await api('sendMessage', {
        chat_id: 5,
        text: 'hi',
        reply_markup: { inline_keyboard: [[{ text: 'B', callback_data: 'v1:b' }]] },
      }),
    ).toEqual({
      ok: true,
      result: expect.objectContaining({ message_id: 1001, text: 'hi', chat: { id: 5, type: 'private' } }),
    });
    expect(await api('editMessageText', { chat_id: 5, message_id: 1001, text: 'edited' })).toEqual({
      ok: true,
      result: expect.objectContaining({ message_id: 1001, text: 'edited' }),
    });
    expect(await api('answerCallbackQuery', { callback_query_id: 'q' })).toEqual({ ok: true, result: true });
    fake.failNext('sendMessage', { error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    expect(await api('sendMessage', { chat_id: 5, text: 'x' })).toEqual({
      ok: false,
      error_code: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
    expect((await fetch(`${fake.apiRoot}/nowhere`)).status).toBe(404);

    await fake.sendText('/start', { userId: 9 });
    await fake.tapButton('v1:b', { userId: 9, messageId: 1001 });
    const first = (await api('getUpdates', { offset: 0, timeout: 0 })) as {
      result: { update_id: number; message?: { entities?: unknown[] }; callback_query?: { data: string } }[];
    };
    expect(first.result).toHaveLength(2);
    expect(first.result[0]!.message!.entities).toEqual([{ type: 'bot_command', offset: 0, length: 6 }]);
    expect(first.result[1]!.callback_query!.data).toBe('v1:b');
    expect(await api('getUpdates', { offset: first.result[1]!.update_id + 1, timeout: 0 })).toEqual({
      ok: true,
      result: [],
    });
    expect(fake.calls.map((call) => call.method)).toEqual([
      'getMe',
      'sendMessage',
      'editMessageText',
      'answerCallbackQuery',
      'sendMessage',
    ]);
  });

  it('answers a control route it does not know with help', async () => {
    const fake = await startFakeTelegram();
    stops.push(fake.stop);

    expect(await post(`${fake.apiRoot}/_fake/unknown`, {})).toEqual({
      ok: false,
      description: expect.stringContaining('/_fake/send'),
    });
  });
});

describe('telegram bridge', () => {
  it('without a token starts the fake Bot API, sets the env, and lets a user chat with the local webhook', async () => {
    const env: Record<string, string | undefined> = {};
    const logger = createMemoryLogger();
    const host = await startLambdaHttpHost(0, {
      'POST /telegram/webhook': async () => {
        const bot = createBot(createDeps(), { token: env.TELEGRAM_BOT_TOKEN!, apiRoot: env.TELEGRAM_API_ROOT, logger });
        const updates = { claim: async () => true, release: async () => {} };
        return createWebhookHandler({
          getWebhookSecret: async () => 'local-secret',
          getParts: async () => ({ bot, updates }),
          logger,
        }) as never;
      },
    });
    stops.push(host.stop);
    const bridge = await startTelegramBridge({
      webhookUrl: `${host.url}/telegram/webhook`,
      webhookSecret: 'local-secret',
      env,
    });
    stops.push(bridge.stop);

    expect(env.TELEGRAM_BOT_TOKEN).toBe(FAKE_BOT_TOKEN);
    expect(bridge.description).toContain(`${env.TELEGRAM_API_ROOT}/_fake/send`);
    expect(await post(`${env.TELEGRAM_API_ROOT}/_fake/send`, { text: '/wallets', userId: 7 })).toEqual(
      expect.objectContaining({ delivered: 'webhook', status: 200 }),
    );
    expect(await post(`${env.TELEGRAM_API_ROOT}/_fake/tap`, { data: 'v1:wrm:w1', userId: 7 })).toEqual(
      expect.objectContaining({ delivered: 'webhook', status: 200 }),
    );

    const { calls } = (await (await fetch(`${env.TELEGRAM_API_ROOT}/_fake/calls`)).json()) as {
      calls: { method: string; payload: Record<string, unknown> }[];
    };
    expect(calls.map((call) => call.method)).toEqual(['sendMessage', 'answerCallbackQuery', 'editMessageText']);
    expect(calls[2]!.payload).toEqual(
      expect.objectContaining({ chat_id: 7, message_id: 1001, text: expect.stringContaining('Stop tracking') }),
    );
  });

  it('a user in a group gets the private-chat button, and a tap under a group message changes nothing', async () => {
    const env: Record<string, string | undefined> = {};
    const logger = createMemoryLogger();
    const bot = () =>
      createBot(createDeps(), { token: env.TELEGRAM_BOT_TOKEN!, apiRoot: env.TELEGRAM_API_ROOT, logger });
    const host = await startLambdaHttpHost(0, {
      'POST /telegram/webhook': async () =>
        createWebhookHandler({
          getWebhookSecret: async () => 'local-secret',
          getParts: async () => ({ bot: bot(), updates: { claim: async () => true, release: async () => {} } }),
          logger,
        }) as never,
    });
    stops.push(host.stop);
    const bridge = await startTelegramBridge({
      webhookUrl: `${host.url}/telegram/webhook`,
      webhookSecret: 'local-secret',
      env,
    });
    stops.push(bridge.stop);

    expect(
      await post(`${env.TELEGRAM_API_ROOT}/_fake/send`, { text: '/portfolio', userId: 7, chatId: -1001234567890 }),
    ).toEqual(expect.objectContaining({ delivered: 'webhook', status: 200 }));
    expect(
      await post(`${env.TELEGRAM_API_ROOT}/_fake/tap`, {
        data: 'v1:window:30d',
        userId: 8,
        chatId: -42,
        messageId: 1001,
      }),
    ).toEqual(expect.objectContaining({ delivered: 'webhook', status: 200 }));

    const { calls } = (await (await fetch(`${env.TELEGRAM_API_ROOT}/_fake/calls`)).json()) as {
      calls: { method: string; payload: Record<string, unknown> }[];
    };
    expect(calls.map((call) => call.method)).toEqual(['sendMessage', 'answerCallbackQuery']);
    expect(calls[0]!.payload).toEqual(
      expect.objectContaining({
        chat_id: -1001234567890,
        reply_markup: {
          inline_keyboard: [[expect.objectContaining({ url: 'https://t.me/EstherPortfolioBot?start=portfolio' })]],
        },
      }),
    );
    expect(JSON.stringify(calls)).not.toMatch(/\$|0x/);
  });

  it('with a token long-polls getUpdates and forwards each update with the secret header', async () => {
    const telegram = await startFakeTelegram();
    stops.push(telegram.stop);
    const received: { headers: IncomingHttpHeaders; body: string }[] = [];
    const webhook = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => (received.push({ headers: request.headers, body }), response.end('{}')));
    });
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
    stops.push(() => new Promise((resolve) => webhook.close(() => resolve())));
    const port = (webhook.address() as { port: number }).port;

    const bridge = await startTelegramBridge({
      webhookUrl: `http://127.0.0.1:${port}/telegram/webhook`,
      webhookSecret: 's3cret',
      env: { TELEGRAM_BOT_TOKEN: '555:real', TELEGRAM_API_ROOT: telegram.apiRoot },
    });
    stops.push(bridge.stop);
    await telegram.sendText('/portfolio', { userId: 3 });
    await telegram.sendText('/wallets', { userId: 3 });

    await expect.poll(() => received.length, { timeout: 5000 }).toBe(2);
    expect(bridge.description).toContain('long polling the REAL Bot API');
    expect(received[0]!.headers['x-telegram-bot-api-secret-token']).toBe('s3cret');
    expect(JSON.parse(received[1]!.body).message.text).toBe('/wallets');
    expect(telegram.calls.map((call) => call.method)).toEqual(['deleteWebhook']);
  });
});
