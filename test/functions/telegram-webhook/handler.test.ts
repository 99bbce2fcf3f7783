import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../../../dev-tools/fake-telegram/index';
import type { WebhookHandler } from '../../../functions/telegram-webhook/create-webhook-handler';
import { createPortfolioRuntime } from '../../../shared/app/portfolio-runtime';
import { createTestDynamo } from '../../support/dynamo';
import { commandUpdate } from '../../shared/bot/bot-harness';
import { createFullFakePortfolio } from '../../shared/bot/bot-fixtures';
import { SECRET, webhookEvent } from './webhook-events';

// The composition root is driven for real (env, stores on DynamoDB Local, fake Bot API over HTTP);
// only the portfolio runtime (OKX + service, built by other modules) is replaced.
vi.mock('../../../shared/app/portfolio-runtime', () => ({ createPortfolioRuntime: vi.fn() }));

let fake: FakeTelegram;
let handler: WebhookHandler;

beforeAll(async () => {
  const db = await createTestDynamo();
  fake = await startFakeTelegram();
  Object.assign(process.env, db.env, { TELEGRAM_API_ROOT: fake.apiRoot, TELEGRAM_BOT_TOKEN: '777:local', TELEGRAM_WEBHOOK_SECRET: SECRET, DRY_RUN_MODE: 'true' });
  vi.mocked(createPortfolioRuntime).mockResolvedValue({ service: createFullFakePortfolio(), market: {} as never, doc: db.doc, tables: db.tables, dryRun: true });
  ({ handler } = await import('../../../functions/telegram-webhook/handler'));
});

afterAll(async () => {
  await fake.stop();
});

describe('telegram-webhook handler (composition root)', () => {
  it('builds the bot once, answers over the Bot API at TELEGRAM_API_ROOT, and drops a duplicate', async () => {
    const update = commandUpdate('/help', 4242, 4242);

    expect(await handler(webhookEvent(update))).toEqual(expect.objectContaining({ statusCode: 200 }));
    expect(await handler(webhookEvent(update))).toEqual(expect.objectContaining({ statusCode: 200 }));
    expect(await handler(webhookEvent(update, { secret: 'nope' }))).toEqual(expect.objectContaining({ statusCode: 401 }));

    expect(fake.calls).toEqual([{ method: 'sendMessage', payload: { chat_id: 4242, text: expect.stringContaining('DRY-RUN MODE'), parse_mode: 'HTML' } }]);
    expect(createPortfolioRuntime).toHaveBeenCalledTimes(1);
  });

  it('sends the report charts as multipart photos and honours a 429 retry_after on them', async () => {
    fake.calls.length = 0;
    fake.failNext('sendPhoto', { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });

    const started = Date.now();
    expect(await handler(webhookEvent(commandUpdate('/report', 4242, 4242)))).toEqual(expect.objectContaining({ statusCode: 200 }));

    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(fake.calls.map((call) => call.method)).toEqual(['sendPhoto', 'sendPhoto', 'sendPhoto', 'sendMessage']);
    expect(fake.calls[1]!.payload).toEqual({ method: 'sendPhoto', chat_id: 4242, photo: { filename: 'value.png', size: expect.any(Number), type: expect.any(String) } });
    expect(fake.calls[3]!.payload.reply_markup).toEqual({ inline_keyboard: expect.any(Array) });
  });

  it('a market without quotes does not break the cold start: the rebalance preview skips every leg', async () => {
    fake.calls.length = 0;

    await handler(webhookEvent(commandUpdate('/rebalance', 4242, 4242)));

    expect(fake.calls).toEqual([{ method: 'sendMessage', payload: { chat_id: 4242, text: expect.stringContaining('no quote available right now'), parse_mode: 'HTML', reply_markup: { inline_keyboard: [[{ text: '📉 Cheaper: only to the band edge', callback_data: 'v1:rebal:band' }]] } } }]);
    expect(fake.calls[0]!.payload.text).toContain('every leg was skipped');
  });
});
