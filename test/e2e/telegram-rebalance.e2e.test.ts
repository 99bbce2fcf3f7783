import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Update } from 'telegraf/types';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeTelegram, type FakeTelegram, type FakeTelegramCall } from '../../dev-tools/fake-telegram/index';
import { okxEnvOf, startOkxSandbox, type OkxSandbox } from '../../dev-tools/okx-sandbox/index';
import type { handler as WebhookLambda } from '../../functions/telegram-webhook/handler';
import { captureOutput } from '../support/captured-output';
import { formatUsd } from '../../shared/platform/telegram/money-format';
import { sumDecimals, toDecimal } from '../../shared/kernel/decimal';
import { createTestRuntime } from '../support/app-runtime';
import { createTestDynamo } from '../support/dynamo';
import { SECRET, webhookContext, webhookEvent } from '../functions/telegram-webhook/webhook-events';

/**
 * The production webhook stack end to end: the composition root (functions/telegram-webhook/handler.ts)
 * builds the real runtime over DynamoDB Local and the OKX sandbox over HTTP, and answers through the fake
 * Bot API over HTTP. Users speak through API Gateway v2 events carrying the webhook secret.
 */
const USER_ID = 4242;
const BOT_TOKEN = '100000:e2e-token';

let sandbox: OkxSandbox;
let telegram: FakeTelegram;
let handler: typeof WebhookLambda;
let whale: string;
let nextUpdateId = 9000;

beforeAll(async () => {
  sandbox = await startOkxSandbox({ seed: 42, rateLimitPerSecond: 1000 });
  telegram = await startFakeTelegram();
  const db = await createTestDynamo();
  Object.assign(process.env, db.env, {
    ...okxEnvOf(sandbox),
    OKX_RATE_LIMIT_PER_SECOND: '200',
    TELEGRAM_API_ROOT: telegram.apiRoot,
    TELEGRAM_BOT_TOKEN: BOT_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    DRY_RUN_MODE: 'true',
  });
  // The structured logs are the Lambda's CloudWatch output; they only add noise to the test report.
  captureOutput();
  ({ handler } = await import('../../functions/telegram-webhook/handler'));
  whale = sandbox.world.demoWallets().find((wallet) => wallet.name === 'whale')!.address;
});

afterAll(async () => {
  vi.restoreAllMocks();
  await telegram?.stop();
  await sandbox?.stop();
});

const user = { id: USER_ID, is_bot: false, first_name: 'Esther' };
const chat = { id: USER_ID, type: 'private' as const, first_name: 'Esther' };

function textUpdate(text: string): Update {
  const command = /^\/\S+/.exec(text)?.[0];
  const entities = command ? [{ type: 'bot_command' as const, offset: 0, length: command.length }] : undefined;
  return {
    update_id: nextUpdateId++,
    message: {
      message_id: nextUpdateId,
      date: 1_773_828_000,
      from: user,
      chat,
      text,
      ...(entities ? { entities } : {}),
    },
  } as Update;
}

function tapUpdate(data: string, messageId: number): Update {
  return {
    update_id: nextUpdateId++,
    callback_query: {
      id: `cq${nextUpdateId}`,
      chat_instance: 'e2e',
      from: user,
      message: { message_id: messageId, date: 1_773_828_000, chat, text: '' },
      data,
    },
  } as Update;
}

/** Delivers one update as API Gateway would and returns the Bot API calls the bot made for it. */
async function deliver(
  update: Update,
  secret = SECRET,
): Promise<{ response: APIGatewayProxyStructuredResultV2; calls: FakeTelegramCall[] }> {
  const before = telegram.calls.length;
  const response = await handler(webhookEvent(update, { secret }), webhookContext());
  return { response, calls: telegram.calls.slice(before) };
}

const send = (text: string) => deliver(textUpdate(text));
const tap = (data: string, messageId: number) => deliver(tapUpdate(data, messageId));

/** The bot's own valuation rule: priced, non-risk balances at the sandbox's price. */
function expectedWhaleTotal(): string {
  const rows = sandbox.world.getBalances(whale).filter((row) => !row.isRiskToken && row.tokenPrice !== '');
  return sumDecimals(rows.map((row) => toDecimal(row.balance).times(toDecimal(row.tokenPrice)))).toString();
}

function buttonsOf(call: FakeTelegramCall): { text: string; callback_data: string }[] {
  return (
    (call.payload.reply_markup as { inline_keyboard?: { text: string; callback_data: string }[][] } | undefined)
      ?.inline_keyboard ?? []
  ).flat();
}

/** The fake Bot API numbers the messages it creates from 1001 on (edits keep their id). */
function lastSentMessageId(): number {
  return 1000 + telegram.calls.filter((call) => call.method === 'sendMessage' || call.method === 'sendPhoto').length;
}

/** OKX paths that build, simulate or send a transaction: a dry run must reach none of them. */
function onChainPaths(): string[] {
  return Object.keys(sandbox.stats.perPath).filter((path) =>
    /broadcast|pre-transaction\/simulate|aggregator\/swap|approve-transaction/.test(path),
  );
}

describe('Telegram → webhook Lambda → DynamoDB Local + OKX sandbox → fake Bot API (dry run)', () => {
  let planId = '';
  let previewMessageId = 0;

  it('greets on /start with the DRY-RUN banner', async () => {
    const { response, calls } = await send('/start');

    expect(response.statusCode).toBe(200);
    expect(calls).toEqual([
      {
        method: 'sendMessage',
        payload: {
          chat_id: USER_ID,
          text: expect.stringContaining('🧪 <b>DRY-RUN MODE</b>: rebalances are previewed and simulated only'),
          parse_mode: 'HTML',
        },
      },
    ]);
  });

  it('adds the whale wallet with /addwallet', async () => {
    const { response, calls } = await send(`/addwallet ${whale}`);

    expect(response.statusCode).toBe(200);
    expect(calls).toEqual([
      {
        method: 'sendMessage',
        payload: expect.objectContaining({ chat_id: USER_ID, text: expect.stringContaining(whale.slice(0, 6)) }),
      },
    ]);
  });

  it('syncs as the sync worker does, then shows the sandbox total on /portfolio and after Refresh', async () => {
    const empty = await send('/portfolio');
    expect(empty.calls[0]!.payload.text).toContain('Your portfolio is empty so far');
    // The worker's own call, outside the bot: the first sync back-fills a few hundred snapshot buckets,
    // which DynamoDB Local writes too slowly to fit reliably in the bot's 16 s handler timeout.
    const runtime = await createTestRuntime(process.env);
    expect((await runtime.service.syncBalances(String(USER_ID))).failures).toEqual([]);

    const shown = await send('/portfolio');
    const refreshed = await tap(`v1:refresh:${USER_ID}`, lastSentMessageId());

    const total = formatUsd(expectedWhaleTotal());
    expect(shown.calls).toHaveLength(1);
    expect(shown.calls[0]!.payload.text).toContain(`💼 <b>Portfolio: ${total}</b>`);
    expect(buttonsOf(shown.calls[0]!).map((button) => button.callback_data)).toEqual([
      'v1:report',
      'v1:rebal',
      `v1:refresh:${USER_ID}`,
    ]);
    expect(refreshed.calls.map((call) => call.method)).toEqual(['answerCallbackQuery', 'editMessageText']);
    expect(refreshed.calls[1]!.payload).toEqual(
      expect.objectContaining({
        message_id: lastSentMessageId(),
        text: expect.stringContaining(`💼 <b>Portfolio: ${total}</b>`),
      }),
    );
  }, 45_000);

  it('sets a target mix of assets the whale holds', async () => {
    const { calls } = await send('/target ETH 40 USDC 30 BTC 30');

    expect(calls).toHaveLength(1);
    expect(calls[0]!.payload.text).toMatch(/ETH[\s\S]*40/);
  });

  it('previews a rebalance with quoted legs and Confirm / Cancel', async () => {
    const portfolio = lastSentMessageId();
    const { calls } = await tap('v1:rebal', portfolio);

    expect(calls.map((call) => call.method)).toEqual(['answerCallbackQuery', 'sendMessage']);
    const preview = calls[1]!;
    const text = String(preview.payload.text);
    expect(text).toContain('🔄 <b>Rebalance preview</b>');
    expect(text).toMatch(/<b>1\. Sell [^<]+<\/b> on /);
    expect(text).toMatch(/Expected [\d.,]+ \S+ · min [\d.,]+ \S+/);
    expect(text).toContain('🧪 <b>Dry run</b>: Confirm simulates the trades; nothing is sent on-chain.');
    const buttons = buttonsOf(preview);
    // To target by default, with the cheaper band-edge plan offered as an option.
    expect(text).toContain('🔄 <b>Rebalance preview</b> (to target)');
    expect(buttons.map((button) => button.text)).toEqual([
      '✅ Confirm',
      '✖️ Cancel',
      '📉 Cheaper: only to the band edge',
    ]);
    planId = /^v1:confirm:(.+)$/.exec(buttons[0]!.callback_data)![1]!;
    expect(buttons[1]!.callback_data).toBe(`v1:cancel:${planId}`);
    previewMessageId = lastSentMessageId();
  });

  it('simulates on Confirm, labelled as a dry run, and broadcasts nothing', async () => {
    const { response, calls } = await tap(`v1:confirm:${planId}`, previewMessageId);

    expect(response.statusCode).toBe(200);
    expect(calls.map((call) => call.method)).toEqual(['answerCallbackQuery', 'editMessageText']);
    expect(calls[1]!.payload).toEqual(
      expect.objectContaining({
        message_id: previewMessageId,
        text: expect.stringContaining('🧪 <b>DRY RUN — simulated, nothing was sent on-chain</b>'),
      }),
    );
    expect(calls[1]!.payload.text).toMatch(/1\. .+: expected .+, min .+/);
    expect(sandbox.stats.perPath['/api/v6/dex/aggregator/quote']).toBeGreaterThan(0);
    expect(onChainPaths()).toEqual([]);
  });

  it('answers a second Confirm tap with "Already done" and executes nothing again', async () => {
    const quotesBefore = sandbox.stats.perPath['/api/v6/dex/aggregator/quote'];

    const { calls } = await tap(`v1:confirm:${planId}`, previewMessageId);

    expect(calls).toEqual([
      { method: 'answerCallbackQuery', payload: expect.objectContaining({ text: 'Already done' }) },
    ]);
    expect(sandbox.stats.perPath['/api/v6/dex/aggregator/quote']).toBe(quotesBefore);
    expect(onChainPaths()).toEqual([]);
  });

  it('acts once on a redelivered update_id', async () => {
    const update = textUpdate('/help');

    const first = await deliver(update);
    const again = await deliver(update);

    expect(first.calls).toHaveLength(1);
    expect(again.response.statusCode).toBe(200);
    expect(again.calls).toEqual([]);
  });

  it('refuses a wrong webhook secret with 401 and does nothing', async () => {
    const { response, calls } = await deliver(textUpdate('/start'), 'not-the-secret');

    expect(response.statusCode).toBe(401);
    expect(calls).toEqual([]);
  });
});
