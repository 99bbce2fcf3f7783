import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../../../dev-tools/fake-telegram/index';
import type { handler as Handler } from '../../../functions/telegram-webhook/handler';
import type * as OkxExplorerModule from '../../../shared/platform/okx/okx-client';
import { createPortfolioService } from '../../../shared/portfolio/portfolio-service';
import { createTestDynamo } from '../../support/dynamo';
import { captureOutput } from '../../support/captured-output';
import { commandUpdate } from '../../shared/bot/bot-harness';
import { createFullFakePortfolio } from '../../shared/bot/bot-fixtures';
import { SECRET, webhookContext, webhookEvent } from './webhook-events';

// The Lambda entry driven for real (middy, Powertools, the app's parts from the environment, stores on
// DynamoDB Local, the fake Bot API over HTTP); only the portfolio service and the OKX client are replaced.
vi.mock('../../../shared/portfolio/portfolio-service', () => ({ createPortfolioService: vi.fn() }));
vi.mock('../../../shared/platform/okx/okx-client', async (importOriginal) => ({
  ...(await importOriginal<typeof OkxExplorerModule>()),
  // A market without quotes: the rebalance preview skips every leg.
  createOkxClient: () => ({}),
}));

const BOT_TOKEN = '777:local-bot-token-never-logged';
let fake: FakeTelegram;
let handler: typeof Handler;

beforeAll(async () => {
  const db = await createTestDynamo();
  fake = await startFakeTelegram();
  Object.assign(process.env, db.env, {
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_BOT_TOKEN: BOT_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    DRY_RUN_MODE: 'true',
  });
  vi.mocked(createPortfolioService).mockReturnValue(createFullFakePortfolio());
  ({ handler } = await import('../../../functions/telegram-webhook/handler'));
});

afterAll(async () => {
  await fake.stop();
});

describe('telegram-webhook Lambda (API Gateway HTTP API v2 event, Lambda context)', () => {
  it('builds the bot once, answers over the Bot API at TELEGRAM_API_ROOT, drops a duplicate and counts it in an EMF line', async () => {
    const update = commandUpdate('/help', 4242, 4242);
    const output = captureOutput();

    const first = await handler(webhookEvent(update), webhookContext('req-first'));
    const duplicate = await handler(webhookEvent(update), webhookContext('req-duplicate'));
    const forged = await handler(webhookEvent(update, { secret: 'nope' }), webhookContext('req-forged'));
    output.restore();

    expect([first.statusCode, duplicate.statusCode, forged.statusCode]).toEqual([200, 200, 401]);
    expect(fake.calls).toEqual([
      {
        method: 'sendMessage',
        payload: { chat_id: 4242, text: expect.stringContaining('DRY-RUN MODE'), parse_mode: 'HTML' },
      },
    ]);
    expect(createPortfolioService).toHaveBeenCalledTimes(1);
    const lines = output.json();
    // Structured lines carrying the invocation's correlation ids (injectLambdaContext).
    expect(lines.filter((line) => 'level' in line)).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'duplicate update ignored',
        updateId: update.update_id,
        service: 'esther-portfolio',
        function_request_id: 'req-duplicate',
        function_name: 'EstherPortfolio-TelegramWebhook',
        cold_start: false,
      }),
      expect.objectContaining({
        level: 'WARN',
        message: 'webhook call with a missing or wrong secret',
        sourceIp: '91.108.6.1',
        function_request_id: 'req-forged',
      }),
    ]);
    // The duplicate is counted where an alarm or dashboard can read it.
    expect(lines.filter((line) => '_aws' in line)).toEqual([
      expect.objectContaining({
        _aws: expect.objectContaining({
          CloudWatchMetrics: [
            {
              Namespace: 'EstherPortfolio',
              Dimensions: [['service']],
              Metrics: [{ Name: 'DuplicateUpdates', Unit: 'Count' }],
            },
          ],
        }),
        service: 'esther-portfolio',
        DuplicateUpdates: 1,
      }),
    ]);
    // Neither the webhook secret, the bot token nor the message text reaches a log line.
    for (const secretish of [SECRET, BOT_TOKEN, '/help', 'DRY-RUN'])
      expect(output.lines.join('\n')).not.toContain(secretish);
  });

  it('sends the report charts as multipart photos and honours a 429 retry_after on them', async () => {
    fake.calls.length = 0;
    fake.failNext('sendPhoto', {
      error_code: 429,
      description: 'Too Many Requests: retry after 1',
      parameters: { retry_after: 1 },
    });
    const output = captureOutput();

    const started = Date.now();
    const answer = await handler(webhookEvent(commandUpdate('/report', 4242, 4242)), webhookContext());
    output.restore();

    expect(answer).toEqual(expect.objectContaining({ statusCode: 200 }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(fake.calls.map((call) => call.method)).toEqual(['sendPhoto', 'sendPhoto', 'sendPhoto', 'sendMessage']);
    expect(fake.calls[1]!.payload).toEqual({
      method: 'sendPhoto',
      chat_id: 4242,
      photo: { filename: 'value.png', size: expect.any(Number), type: expect.any(String) },
    });
    expect(fake.calls[3]!.payload.reply_markup).toEqual({ inline_keyboard: expect.any(Array) });
  });

  it('a market without quotes does not break the cold start: the rebalance preview skips every leg', async () => {
    fake.calls.length = 0;
    const output = captureOutput();

    await handler(webhookEvent(commandUpdate('/rebalance', 4242, 4242)), webhookContext());
    output.restore();

    expect(fake.calls).toEqual([
      {
        method: 'sendMessage',
        payload: {
          chat_id: 4242,
          text: expect.stringContaining('no quote available right now'),
          parse_mode: 'HTML',
          reply_markup: {
            inline_keyboard: [[{ text: '📉 Cheaper: only to the band edge', callback_data: 'v1:rebal:band' }]],
          },
        },
      },
    ]);
    expect(fake.calls[0]!.payload.text).toContain('every leg was skipped');
  });
});
