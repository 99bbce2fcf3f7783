import { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import { describe, expect, it } from 'vitest';
import { createBot, HANDLER_TIMEOUT_MS } from '../../../shared/bot/bot';
import { type BotContext, editHtml } from '../../../shared/platform/telegram/messages';
import { classifyError } from '../../../shared/bot/classify-error';
import { createWebhookHandler } from '../../../functions/telegram-webhook/handler';
import { captureOutput } from '../../support/captured-output';
import { answerCallbacks, trackApiCalls } from '../../../shared/bot/middleware';
import { createBotErrorHandler } from '../../../shared/bot/handle-bot-error';
import { renderHelp } from '../../../shared/bot/help-message';
import { renderPortfolio } from '../../../shared/portfolio/portfolio-feature';
import { renderRemoveConfirm } from '../../../shared/wallets/wallets-message';
import { NoHoldingsError } from '../../../shared/kernel/errors';
import { callbackUpdate, commandUpdate, nextUpdateId, recordBotApi } from './bot-harness';
import { createDeps, createMemoryLogger, telegramError, wallet } from './bot-fixtures';
import { view } from '../portfolio/portfolio-fixtures';
import { webhookEvent } from '../../functions/telegram-webhook/webhook-events';

describe('createBot defaults', () => {
  it('presets botInfo from the token, points at the real Bot API by default and stays under the Lambda timeout', async () => {
    const bot = createBot(createDeps(), { token: '98765:ABC' });
    const custom = createBot(createDeps(), {
      token: 'not-numeric',
      apiRoot: 'http://127.0.0.1:1',
      botInfo: { username: 'OtherBot' },
    });

    expect(bot.botInfo).toEqual(expect.objectContaining({ id: 98765, is_bot: true, username: 'EstherPortfolioBot' }));
    expect(custom.botInfo).toEqual(expect.objectContaining({ id: 0, username: 'OtherBot' }));
    expect(bot.telegram.options.apiRoot).toBe('https://api.telegram.org');
    expect(custom.telegram.options.apiRoot).toBe('http://127.0.0.1:1');
    expect(HANDLER_TIMEOUT_MS).toBeLessThanOrEqual(20_000 - 3_000);
  });

  it('the webhook handler logs through the platform logger when no logger is given', async () => {
    const output = captureOutput();
    const handler = createWebhookHandler({ getWebhookSecret: async () => 'x', getParts: async () => ({}) as never });

    const answer = await handler({
      ...webhookEvent('', { secret: null }),
      headers: undefined as never,
      body: undefined,
    });
    output.restore();

    expect(answer).toEqual(expect.objectContaining({ statusCode: 401 }));
    expect(output.json()).toEqual([
      expect.objectContaining({
        level: 'WARN',
        message: 'webhook call with a missing or wrong secret',
        service: 'esther-portfolio',
        sourceIp: '91.108.6.1',
      }),
    ]);
  });
});

describe('error classification', () => {
  it('shortens a long domain reason for the callback toast and names non-Error throws', () => {
    const long = classifyError(Object.assign(new NoHoldingsError('7'), { reason: 'x'.repeat(300) }));
    expect(long.toast).toHaveLength(200);
    expect(long.html).toBe(`⚠️ X${'x'.repeat(299)}`);
    expect(classifyError('a string')).toEqual(expect.objectContaining({ kind: 'string', isTransient: false }));
    expect(classifyError(telegramError(502, 'Bad Gateway')).kind).toBe('telegram-502');
  });
});

describe('middleware edge cases', () => {
  function bareBot(handler: (ctx: BotContext) => Promise<void>) {
    const bot = new Telegraf<BotContext>('1:T');
    bot.botInfo = {
      id: 1,
      is_bot: true,
      first_name: 'B',
      username: 'b',
      can_join_groups: false,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
    };
    const logger = createMemoryLogger();
    bot.use(trackApiCalls(), answerCallbacks(), handler);
    bot.catch(createBotErrorHandler(logger));
    return { bot, logger, ...recordBotApi() };
  }

  it('a real answerCallbackQuery failure (not "too old") goes to the error handler', async () => {
    const h = bareBot(async (ctx) => void (await ctx.answerCbQuery('hi')));
    h.failNext('answerCallbackQuery', telegramError(400, 'Bad Request: something else'));

    await h.bot.handleUpdate(callbackUpdate('v1:x'));

    expect(h.calls.map((call) => call.method)).toEqual(['answerCallbackQuery', 'sendMessage']);
    expect(h.logger.lines[0]!.fields!.kind).toBe('telegram-400');
  });

  it('an update without a chat is only logged', async () => {
    const h = bareBot(async () => {
      throw 'thrown string';
    });

    await h.bot.handleUpdate({ update_id: nextUpdateId(), poll: { id: 'p' } } as unknown as Update);

    expect(h.calls).toEqual([]);
    expect(h.logger.lines).toEqual([
      {
        level: 'error',
        message: 'update failed',
        fields: { kind: 'string', errorName: 'string', updateId: expect.any(Number), updateType: 'poll', apiCalls: 0 },
      },
    ]);
  });

  it('editHtml rethrows a refusal other than "not modified"', async () => {
    const h = bareBot(async (ctx) => editHtml(ctx, { text: 'x' }));
    h.failNext('editMessageText', telegramError(400, 'Bad Request: message to edit not found'));

    await h.bot.handleUpdate(callbackUpdate('v1:x'));

    expect(h.calls.map((call) => call.method)).toEqual(['editMessageText', 'answerCallbackQuery']);
  });

  it('a group message it does not understand is ignored, not answered', async () => {
    const h = { ...recordBotApi(), bot: createBot(createDeps(), { token: '1:T', logger: createMemoryLogger() }) };

    await h.bot.handleUpdate({
      update_id: nextUpdateId(),
      message: {
        message_id: 1,
        date: 0,
        chat: { id: -5, type: 'group', title: 'g' },
        from: { id: 7, is_bot: false, first_name: 'U' },
        text: 'hello all',
      },
    } as Update);
    await h.bot.handleUpdate({
      ...commandUpdate('/addwallet'),
      message: {
        ...(commandUpdate('/addwallet') as { message: object }).message,
        text: undefined,
        caption: '/addwallet',
      },
    } as unknown as Update);

    expect(h.calls.map((call) => call.method)).toEqual(['sendMessage']);
  });
});

describe('rendering edge cases', () => {
  it('help without a first name, a wallet without label, a change without a relative value', () => {
    expect(renderHelp({ dryRun: true })).toMatch(/^👋 I am <b>Esther Portfolio<\/b>\./);
    expect(renderRemoveConfirm(wallet('w1')).text).toMatch(
      /^Stop tracking <code>0xw1a+<\/code> on Ethereum, Arbitrum\?/,
    );
    const text = renderPortfolio(
      {
        ...view,
        change24h: {
          absoluteUsd: '-5',
          since: '2026-03-17T10:00:00.000Z',
          coveredValueUsd: '100',
          totalValueUsd: '100',
        },
        staleWallets: 1,
      },
      new Date(),
      '7',
    ).text;
    expect(text).toContain('24 h: −$5.00\n');
    expect(text).toContain('⚠️ 1 wallet could not');
  });
});
