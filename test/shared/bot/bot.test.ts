import { beforeAll, describe, expect, it } from 'vitest';
import type { Update } from 'telegraf/types';
import { parseWalletAddress } from '../../../shared/kernel/address';
import { resolveTrackedChains } from '../../../shared/kernel/chains';
import { createBot } from '../../../shared/bot/bot';
import type { BotDeps } from '../../../shared/bot/bot-deps';
import { UNKNOWN_INPUT_TEXT } from '../../../shared/bot/help-message';
import { NO_WALLETS_TEXT } from '../../../shared/wallets/wallets-message';
import { isRetryableUpdateError } from '../../../shared/bot/retryable-update-error';
import { createPlanStore } from '../../../shared/rebalance/plan-store';
import { createUserCooldownStore, type UserCooldownStore } from '../../../shared/platform/dynamo/user-cooldown-store';
import { createSettingsStore } from '../../../shared/rebalance/settings-store';
import { createTestDynamo, type TestDynamo } from '../../support/dynamo';
import { callbackUpdate, commandUpdate, nextUpdateId, recordBotApi } from './bot-harness';
import { awsError, createDeps, createMemoryLogger, telegramError, wallet } from './bot-fixtures';
import { captureOutput } from '../../support/captured-output';

let db: TestDynamo;
let cooldowns: UserCooldownStore;
let nextUser = 1000;

beforeAll(async () => {
  db = await createTestDynamo();
  // A fixed clock: the cooldown left on the second tap is exactly 60 s, however slow the machine.
  cooldowns = createUserCooldownStore(db.doc, db.tables.sessions, () => new Date('2036-03-18T10:00:00.000Z'));
});

function setup(overrides: Partial<BotDeps> = {}, options: { handlerTimeoutMs?: number } = {}) {
  const deps = createDeps(overrides);
  const logger = createMemoryLogger();
  const api = recordBotApi();
  const bot = createBot(deps, { token: '123:TEST', logger, ...options });
  return { deps, portfolio: deps.portfolio, logger, bot, ...api };
}

const html = (text: unknown) => ({ chat_id: 70, text, parse_mode: 'HTML' });
const cbAnswer = (text?: string) => ({
  method: 'answerCallbackQuery',
  payload: { callback_query_id: expect.any(String), ...(text ? { text } : {}) },
});

function plainMessage(text: string, userId = 7): Update {
  return {
    update_id: nextUpdateId(),
    message: {
      message_id: 1,
      date: 0,
      chat: { id: 70, type: 'private', first_name: 'U' },
      from: { id: userId, is_bot: false, first_name: 'U' },
      text,
    },
  } as Update;
}

describe('bot: /start and /help', () => {
  it('explains the bot, lists the commands and shows the DRY-RUN banner', async () => {
    const h = setup();

    await h.bot.handleUpdate(commandUpdate('/start'));
    await h.bot.handleUpdate(commandUpdate('/help'));

    expect(h.calls).toEqual([
      { method: 'sendMessage', payload: html(expect.stringContaining('🧪 <b>DRY-RUN MODE</b>')) },
      { method: 'sendMessage', payload: html(h.calls[0]!.payload.text) },
    ]);
    const text = h.calls[0]!.payload.text as string;
    for (const command of [
      '/addwallet',
      '/wallets',
      '/portfolio',
      '/report',
      '/target',
      '/rebalance',
      '/live on|off',
      '/help',
    ])
      expect(text).toContain(command);
    expect(text).toContain('Hi U!');
  });

  it('says live rebalancing needs an opt-in when DRY_RUN_MODE is off', async () => {
    const h = setup({ dryRun: false });

    await h.bot.handleUpdate(commandUpdate('/help'));

    expect(h.calls[0]!.payload.text).toContain(
      '⚠️ <b>Live rebalancing is available</b> after you opt in with /live on.',
    );
  });

  it('points a message it does not understand to /help and ignores edited messages', async () => {
    const h = setup();

    await h.bot.handleUpdate(plainMessage('hello?'));
    await h.bot.handleUpdate({
      update_id: nextUpdateId(),
      edited_message: {
        message_id: 1,
        date: 0,
        edit_date: 1,
        chat: { id: 70, type: 'private', first_name: 'U' },
        from: { id: 7, is_bot: false, first_name: 'U' },
        text: '/wallets',
      },
    } as Update);

    expect(h.calls).toEqual([{ method: 'sendMessage', payload: { chat_id: 70, text: UNKNOWN_INPUT_TEXT } }]);
  });
});

describe('bot: wallets', () => {
  it('/addwallet without an address explains the usage', async () => {
    const h = setup();

    await h.bot.handleUpdate(commandUpdate('/addwallet'));

    expect(h.calls).toEqual([
      {
        method: 'sendMessage',
        payload: html(expect.stringContaining('<code>/addwallet 0x1234…abcd ethereum,base,arbitrum</code>')),
      },
    ]);
  });

  it('/addwallet with chain names adds the wallet on those chains and confirms', async () => {
    const h = setup();

    await h.bot.handleUpdate(commandUpdate('/addwallet 0xAbC ethereum,base 42161 ARB'));

    expect(h.portfolio.calls).toEqual(['addWallet:7:0xAbC:1,8453,42161']);
    expect(h.calls).toEqual([
      {
        method: 'sendMessage',
        payload: html(
          '✅ Tracking <code>0xAbC</code> on Ethereum, Base, Arbitrum.\nBalances appear after the next sync (every 10 minutes). Open /portfolio and tap Refresh to sync now.',
        ),
      },
    ]);
  });

  it('/addwallet refuses an unknown chain name before calling the service', async () => {
    const h = setup();

    await h.bot.handleUpdate(commandUpdate('/addwallet 0xabc <moon>'));

    expect(h.portfolio.calls).toEqual([]);
    expect(h.calls[0]!.payload.text).toMatch(
      /^⚠️ I don't know the chain "&lt;moon&gt;"\. Use chain names \(ethereum, base/,
    );
  });

  it('/addwallet shows the domain reason for a bad address, escaped, and logs only the kind', async () => {
    const h = setup();

    await h.bot.handleUpdate(commandUpdate('/addwallet nonsense'));

    expect(h.calls).toEqual([
      { method: 'sendMessage', payload: html('⚠️ This is not an EVM (0x…) or Solana address &lt;check it&gt;') },
    ]);
    expect(h.logger.lines).toEqual([
      {
        level: 'info',
        message: 'update refused',
        fields: { kind: 'invalid-address', updateId: expect.any(Number), updateType: 'message', apiCalls: 0 },
      },
    ]);
  });

  it('/addwallet answers a Bitcoin address with its own reason and tracks a Tron address on Tron (issue 9, defect 12)', async () => {
    const h = setup();
    // The service's real address rule and chain resolution behind the fake store.
    h.portfolio.addWallet = async (userId, address, chains) => {
      const parsed = parseWalletAddress(address);
      return {
        walletId: 'w9',
        userId,
        address: parsed.address,
        family: parsed.family,
        chains: resolveTrackedChains(parsed.family, chains),
        addedAt: '2026-03-18T10:00:00.000Z',
      };
    };

    await h.bot.handleUpdate(commandUpdate('/addwallet bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq'));
    await h.bot.handleUpdate(commandUpdate('/addwallet TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7'));

    expect(h.calls[0]!.payload.text).toBe(
      "⚠️ Bitcoin addresses aren't supported: OKX's DEX API has no Bitcoin balances, so I can't read this wallet. Paste an EVM (0x…), Solana or Tron (T…) address",
    );
    expect(h.calls[1]!.payload.text).toMatch(/^✅ Tracking <code>TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7<\/code> on Tron\./);
  });

  it('/wallets lists value and data age with one Remove button per wallet', async () => {
    const h = setup();

    await h.bot.handleUpdate(commandUpdate('/wallets'));

    expect(h.calls).toEqual([
      {
        method: 'sendMessage',
        payload: {
          ...html(
            [
              '👛 <b>Your wallets</b>',
              '',
              '<b>1.</b> Main <code>0xw1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</code>',
              '   Ethereum, Arbitrum · $1,234.50 · synced 3 min ago',
              '<b>2.</b> <code>0xw2aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</code>',
              '   Ethereum, Arbitrum · $1,234.50 · not synced yet',
              '   ⚠️ last sync failed 2 h ago: showing the last good balances',
              '',
              '<i>Tap a button to stop tracking a wallet.</i>',
            ].join('\n'),
          ),
          reply_markup: {
            inline_keyboard: [
              [{ text: '🗑 Remove 1. 0xw1aa…aaaa', callback_data: 'v1:wrm:w1' }],
              [{ text: '🗑 Remove 2. 0xw2aa…aaaa', callback_data: 'v1:wrm:w2' }],
            ],
          },
        },
      },
    ]);
  });

  it('/wallets with no wallets says how to add one', async () => {
    const h = setup();

    await h.bot.handleUpdate(commandUpdate('/wallets', 8));

    expect(h.calls).toEqual([{ method: 'sendMessage', payload: html(NO_WALLETS_TEXT) }]);
  });

  it('Remove asks for confirmation, then removes the wallet and says so', async () => {
    const h = setup();

    await h.bot.handleUpdate(callbackUpdate('v1:wrm:w1'));
    await h.bot.handleUpdate(callbackUpdate('v1:wrmok:w1'));

    expect(h.calls).toEqual([
      cbAnswer(),
      {
        method: 'editMessageText',
        payload: {
          chat_id: 70,
          message_id: 42,
          text: 'Stop tracking <code>0xw1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</code> (Main) on Ethereum, Arbitrum?\nIts balances leave your portfolio; you can add it again later.',
          parse_mode: 'HTML',
          reply_markup: {
            inline_keyboard: [
              [{ text: '✅ Yes, remove', callback_data: 'v1:wrmok:w1' }],
              [{ text: '↩️ Keep it', callback_data: 'v1:wrmno:w1' }],
            ],
          },
        },
      },
      cbAnswer('Removing…'),
      {
        method: 'editMessageText',
        payload: {
          chat_id: 70,
          message_id: 42,
          text: '🗑 Stopped tracking <code>0xw1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</code>.',
          parse_mode: 'HTML',
        },
      },
    ]);
    expect(h.portfolio.calls).toEqual(['removeWallet:7:w1']);
  });

  it('Keep it goes back to the wallet list', async () => {
    const h = setup();

    await h.bot.handleUpdate(callbackUpdate('v1:wrmno:w2'));

    expect(h.calls.map((call) => call.method)).toEqual(['answerCallbackQuery', 'editMessageText']);
    expect(h.calls[0]!.payload.text).toBe('Kept');
    expect(h.calls[1]!.payload.text).toContain('👛 <b>Your wallets</b>');
  });

  it("refuses another user's tap on someone's wallet buttons and removes nothing", async () => {
    const h = setup();

    for (const data of ['v1:wrm:w1', 'v1:wrmok:w1', 'v1:wrmno:w1']) await h.bot.handleUpdate(callbackUpdate(data, 999));

    expect(h.calls).toEqual([
      cbAnswer('That wallet is not in your list'),
      cbAnswer('That wallet is not in your list'),
      cbAnswer('That wallet is not in your list'),
    ]);
    expect(h.portfolio.calls).toEqual([]);
  });
});

describe('bot: /portfolio and Refresh', () => {
  const BUTTONS = (owner: number) => [
    [
      { text: '📈 Report', callback_data: 'v1:report' },
      { text: '🔄 Rebalance', callback_data: 'v1:rebal' },
    ],
    [{ text: '🔁 Refresh', callback_data: `v1:refresh:${owner}` }],
  ];

  it('shows the total, 24 h change, freshness, top assets, chains and notes with Report, Rebalance and Refresh', async () => {
    const h = setup();

    await h.bot.handleUpdate(commandUpdate('/portfolio'));

    expect(h.calls).toEqual([
      {
        method: 'sendMessage',
        payload: {
          ...html(
            [
              '💼 <b>Portfolio: $11,234.57</b>',
              '24 h: +$123.40 (+1.10 %)',
              '<i>as of 3 min ago</i>',
              '',
              '<b>Top assets</b>',
              '• <b>ETH</b> 2.00 · $6,965.00 · 62.0 %',
              '• <b>WBTC</b> 0.05 · $3,146.00 · 28.0 %',
              '• <b>USDC</b> 1,123.00 · $1,123.00 · 10.0 %',
              '• <b>SPAM</b> 5.00 · n/a',
              '',
              '<b>By chain</b>',
              'Ethereum $9,549.38 (85.0 %) · Arbitrum $1,685.19 (15.0 %)',
              '',
              'ℹ️ 1 token without a price: shown as n/a and left out of the total.',
            ].join('\n'),
          ),
          reply_markup: { inline_keyboard: BUTTONS(7) },
        },
      },
    ]);
  });

  it('mentions stale wallets and hidden risk tokens, and an empty portfolio offers only Refresh', async () => {
    const h = setup();
    h.portfolio.snapshot = {
      ...h.portfolio.snapshot,
      staleWallets: 2,
      hiddenRiskTokens: 1,
      unpricedTokens: 0,
      change24h: undefined,
      asOf: undefined,
    };

    await h.bot.handleUpdate(commandUpdate('/portfolio'));
    h.portfolio.snapshot = { ...h.portfolio.snapshot, assets: [] };
    await h.bot.handleUpdate(commandUpdate('/portfolio'));

    const text = h.calls[0]!.payload.text as string;
    expect(text).toContain('⚠️ 2 wallets could not be synced last time: showing the last good balances.');
    expect(text).toContain('🙈 1 spam/risk token hidden.');
    expect(text).toContain('<i>as of never synced</i>');
    expect(text).not.toContain('24 h:');
    expect(h.calls[1]!.payload).toEqual({
      ...html(expect.stringContaining('Your portfolio is empty so far')),
      reply_markup: { inline_keyboard: [BUTTONS(7)[1]] },
    });
  });

  it('Refresh syncs, edits the message in place, and a second tap within a minute is told to wait', async () => {
    const userId = nextUser++;
    const h = setup({ cooldowns });

    await h.bot.handleUpdate(callbackUpdate(`v1:refresh:${userId}`, userId));
    await h.bot.handleUpdate(callbackUpdate(`v1:refresh:${userId}`, userId));

    // A Refresh the user asked for bypasses the slot cache; the refused second tap syncs nothing.
    expect(h.portfolio.calls).toEqual([`sync:${userId}:fresh`]);
    expect(h.calls).toEqual([
      cbAnswer('Refreshing…'),
      {
        method: 'editMessageText',
        payload: {
          chat_id: 70,
          message_id: 42,
          text: expect.stringContaining('💼 <b>Portfolio: $11,234.57</b>'),
          parse_mode: 'HTML',
          reply_markup: { inline_keyboard: BUTTONS(userId) },
        },
      },
      cbAnswer('Just refreshed, try again in 60 s'),
    ]);
  });

  it("refuses a Refresh tap on another user's portfolio message", async () => {
    const h = setup({ cooldowns });

    await h.bot.handleUpdate(callbackUpdate('v1:refresh:7', 999));

    expect(h.calls).toEqual([cbAnswer('This is not your portfolio: send /portfolio for yours')]);
    expect(h.portfolio.calls).toEqual([]);
  });

  it('an unchanged Refresh ("message is not modified") is not an error', async () => {
    const h = setup();
    h.failNext('editMessageText', telegramError(400, 'Bad Request: message is not modified'));

    await h.bot.handleUpdate(callbackUpdate('v1:refresh:7'));

    expect(h.calls.map((call) => call.method)).toEqual(['answerCallbackQuery', 'editMessageText']);
    expect(h.logger.lines).toEqual([]);
  });
});

describe('bot: /target', () => {
  it('shows the current target with a Rebalance button, or how to set one', async () => {
    const h = setup();

    await h.bot.handleUpdate(commandUpdate('/target'));
    h.portfolio.target = undefined;
    await h.bot.handleUpdate(commandUpdate('/target'));

    // Portfolio ETH 6,965 + WBTC 3,146 + USDC 1,123 = 11,234: shares 62.0 %, 28.0 %, 1,123 / 11,234 = 9.996 % → 10.0 %.
    expect(h.calls[0]!.payload).toEqual({
      ...html(
        '🎯 <b>Target allocation</b>\nPortfolio $11,234.00: now → after a rebalance to target\n\n<b>ETH</b>: 62.0 % → 50.0 %\n<b>WBTC</b>: 28.0 % → 30.0 %\n<b>USDC</b>: 10.0 % → 20.0 %\n\nEvery asset you hold is in your target.\n\nChange it: Set it as pairs of asset and percent adding up to 100, e.g. <code>/target ETH 50 BTC 30 USDC 20</code>.',
      ),
      reply_markup: { inline_keyboard: [[{ text: '🔄 Rebalance', callback_data: 'v1:rebal' }]] },
    });
    expect(h.calls[1]!.payload.text).toMatch(/^🎯 You have no target allocation yet\.\nSet it as pairs/);
  });

  it('sets a target from asset and percent pairs', async () => {
    const h = setup();

    await h.bot.handleUpdate(commandUpdate('/target ETH 50 BTC 30% USDC 20'));

    expect(h.portfolio.calls).toEqual(['setTarget:7:{"eth":"50","btc":"30","usdc":"20"}']);
    // WBTC (asset wbtc, 3,146) is not the listed BTC: kept. The targets share ETH 6,965 + USDC 1,123 = 8,088 of 11,234
    // (72.0 %): ETH 50 % × 8,088 / 11,234 = 35.998 % → 36.0 %; USDC 20 % → 14.399 % → 14.4 %; BTC 30 % → 21.599 % → 21.6 %.
    expect(h.calls).toEqual([
      {
        method: 'sendMessage',
        payload: {
          ...html(
            '✅ <b>Target saved</b>\nPortfolio $11,234.00: now → after a rebalance to target\n\n<b>ETH</b>: 62.0 % → 36.0 % (50 % of the $8,088.00 you rebalance)\n<b>WBTC</b>: 28.0 % → 28.0 % (kept, not in your target)\n<b>USDC</b>: 10.0 % → 14.4 % (20 % of the $8,088.00 you rebalance)\n<b>BTC</b>: 0.0 % → 21.6 % (not held yet)\n\nNot in your target: WBTC ($3,146.00, 28.0 %). A rebalance <b>keeps them as they are</b>: your targets share the other $8,088.00 (72.0 % of the portfolio).',
          ),
          reply_markup: { inline_keyboard: [[{ text: '🔄 Rebalance', callback_data: 'v1:rebal' }]] },
        },
      },
    ]);
  });

  it('/target ETH 100 shows what is kept, and the button switches to selling unlisted assets into ETH (stored per user)', async () => {
    const h = setup({ settings: createSettingsStore(db.doc, db.tables.sessions) });
    const userId = nextUser++;
    h.portfolio.target = { eth: '100' };

    await h.bot.handleUpdate(commandUpdate('/target', userId));
    await h.bot.handleUpdate(callbackUpdate('v1:unlisted:sell', userId));

    // Keep: ETH 6,965 is the whole rebalanceable part: 100 % of it = 62.0 % of 11,234; WBTC 3,146 + USDC 1,123 = 4,269 (38.0 %) kept.
    expect(h.calls[0]!.payload.text).toContain('<b>ETH</b>: 62.0 % → 62.0 % (100 % of the $6,965.00 you rebalance)');
    expect(h.calls[0]!.payload.text).toContain(
      'Not in your target: WBTC, USDC ($4,269.00, 38.0 %). A rebalance <b>keeps them as they are</b>',
    );
    expect(h.calls[0]!.payload.reply_markup).toEqual({
      inline_keyboard: [
        [{ text: '🔄 Rebalance', callback_data: 'v1:rebal' }],
        [{ text: '🔁 Sell unlisted assets into the targets', callback_data: 'v1:unlisted:sell' }],
      ],
    });
    // Sell: ETH → 100 %, the others → 0 %.
    const edited = h.calls.find((call) => call.method === 'editMessageText')!;
    expect(edited.payload.text).toContain(
      '<b>ETH</b>: 62.0 % → 100.0 %\n<b>WBTC</b>: 28.0 % → 0.0 % (sold into your targets)\n<b>USDC</b>: 10.0 % → 0.0 % (sold into your targets)',
    );
    expect(edited.payload.text).toContain('A rebalance <b>sells them into your targets</b>.');
    expect(edited.payload.reply_markup).toEqual({
      inline_keyboard: [
        [{ text: '🔄 Rebalance', callback_data: 'v1:rebal' }],
        [{ text: '↩️ Keep unlisted assets as they are', callback_data: 'v1:unlisted:keep' }],
      ],
    });
    expect((await createSettingsStore(db.doc, db.tables.sessions).get(String(userId))).unlisted).toBe('sell');
  });

  it.each([
    ['/target ETH 50 BTC', '⚠️ Give pairs of asset and percent (I got 3 values).'],
    ['/target ETH fifty BTC 50', '⚠️ &quot;fifty&quot; is not a percentage (for ETH).'],
    ['/target ETH -10 BTC 110', '⚠️ &quot;-10&quot; is not a percentage (for ETH).'],
    ['/target 50 ETH 50 BTC', '⚠️ Expected an asset name, got the number &quot;50&quot;.'],
    ['/target ETH 50 eth 50', '⚠️ eth appears twice.'],
    ['/target <b> 100', null],
  ])('refuses %s with a specific reason', async (command, reason) => {
    const h = setup();

    await h.bot.handleUpdate(commandUpdate(command));

    if (reason === null) return expect(h.portfolio.calls).toEqual(['setTarget:7:{"<b>":"100"}']);
    expect(h.portfolio.calls).toEqual([]);
    expect(h.calls).toEqual([
      {
        method: 'sendMessage',
        payload: html(
          `${reason}\nSet it as pairs of asset and percent adding up to 100, e.g. <code>/target ETH 50 BTC 30 USDC 20</code>.`,
        ),
      },
    ]);
  });

  it('shows the domain reason, naming the sum, when the percentages do not add up to 100', async () => {
    const h = setup();

    await h.bot.handleUpdate(commandUpdate('/target ETH 50 BTC 40'));

    expect(h.calls).toEqual([{ method: 'sendMessage', payload: html('⚠️ The percentages add up to 90, not 100') }]);
  });
});

describe('bot: callbacks and errors', () => {
  it('answers a callback no feature handles, exactly once', async () => {
    const h = setup();

    await h.bot.handleUpdate(callbackUpdate('v1:unknown'));

    expect(h.calls).toEqual([cbAnswer()]);
  });

  it('swallows "query is too old" when answering late', async () => {
    const h = setup();
    h.failNext(
      'answerCallbackQuery',
      telegramError(400, 'Bad Request: query is too old and response timeout expired or query ID is invalid'),
    );

    await h.bot.handleUpdate(callbackUpdate('v1:wrm:w1'));

    expect(h.calls.map((call) => call.method)).toEqual(['answerCallbackQuery', 'editMessageText']);
    expect(h.logger.lines).toEqual([]);
  });

  it('a failing callback is answered with a kind toast and the error kind is logged without text', async () => {
    const h = setup();
    h.portfolio.failWith = new TypeError('boom with secret 123:TEST');

    await h.bot.handleUpdate(callbackUpdate('v1:wrm:w1'));

    expect(h.calls).toEqual([cbAnswer('Sorry, something went wrong on my side. Please try again in a minute.')]);
    expect(h.logger.lines).toEqual([
      {
        level: 'error',
        message: 'update failed',
        fields: {
          kind: 'TypeError',
          errorName: 'TypeError',
          updateId: expect.any(Number),
          updateType: 'callback_query',
          apiCalls: 0,
        },
      },
    ]);
    expect(JSON.stringify(h.logger.lines)).not.toContain('secret');
  });

  it('a failure after the callback was answered is told in the chat', async () => {
    const h = setup();
    h.portfolio.getLiveView = async () => {
      throw new Error('snapshot store down');
    };

    await h.bot.handleUpdate(callbackUpdate('v1:refresh:7'));

    expect(h.calls).toEqual([
      cbAnswer('Refreshing…'),
      { method: 'sendMessage', payload: html('Sorry, something went wrong on my side. Please try again in a minute.') },
    ]);
  });

  it('a transient DynamoDB failure before any reply is rethrown for a redelivery', async () => {
    const h = setup();
    h.portfolio.failWith = awsError('ProvisionedThroughputExceededException');

    const outcome = await h.bot.handleUpdate(commandUpdate('/wallets')).catch((error: unknown) => error);

    expect(isRetryableUpdateError(outcome)).toBe(true);
    expect(h.calls).toEqual([]);
  });

  it('a transient failure after something was sent is answered kindly instead', async () => {
    const h = setup();
    h.portfolio.syncBalances = async () => {
      throw awsError('ThrottlingException');
    };

    await h.bot.handleUpdate(callbackUpdate('v1:refresh:7'));

    expect(h.calls.map((call) => call.method)).toEqual(['answerCallbackQuery', 'sendMessage']);
  });

  it('gives up before the Lambda timeout and says it took too long', async () => {
    const h = setup({}, { handlerTimeoutMs: 30 });
    h.portfolio.getLiveView = () => new Promise(() => {});

    await h.bot.handleUpdate(commandUpdate('/portfolio'));

    expect(h.calls).toEqual([
      { method: 'sendMessage', payload: html('That took too long. Please try again in a minute.') },
    ]);
    expect(h.logger.lines[0]!.fields!.kind).toBe('handler-timeout');
  });

  it('when even the apology cannot be sent (user blocked the bot), it logs and still resolves', async () => {
    const h = setup();
    h.portfolio.failWith = new Error('x');
    h.failNext('sendMessage', telegramError(403, 'Forbidden: bot was blocked by the user'));

    await h.bot.handleUpdate(commandUpdate('/wallets'));

    expect(h.logger.lines.map((line) => [line.message, line.fields?.replyKind])).toEqual([
      ['update failed', undefined],
      ['could not tell the user about a failure', 'telegram-403'],
    ]);
  });

  it('falls back to plain text when Telegram cannot parse the HTML, and logs the template', async () => {
    const h = setup();
    h.failNext('sendMessage', telegramError(400, "Bad Request: can't parse entities: unsupported start tag"));
    const output = captureOutput();

    await h.bot.handleUpdate(commandUpdate('/target'));
    output.restore();

    expect(output.json()).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        message: 'message did not parse as HTML; sent as plain text',
        template: 'target',
      }),
    ]);
    expect(h.calls[1]).toEqual({
      method: 'sendMessage',
      payload: {
        chat_id: 70,
        text: expect.stringMatching(
          /^🎯 Target allocation\nPortfolio \$11,234\.00: now → after a rebalance to target\n\nETH: 62\.0 % → 50\.0 %/,
        ),
        reply_markup: expect.any(Object),
      },
    });
    expect(h.logger.lines).toEqual([]);
  });
});

describe('bot: Telegram limits', () => {
  it('keeps /wallets within 4096 characters and every callback_data within 64 bytes for many long wallets', async () => {
    const h = setup();
    const longId = 'W'.repeat(40);
    h.portfolio.wallets.set(
      '7',
      Array.from({ length: 60 }, (_, index) =>
        wallet(`${longId.slice(2)}${String(index).padStart(2, '0')}`, {
          label: '<Ω>'.repeat(30),
          chains: ['1', '10', '56', '137', '8453', '42161', '43114', '59144', '534352'],
          staleSince: '2026-03-18T08:00:00.000Z',
        }),
      ),
    );

    await h.bot.handleUpdate(commandUpdate('/wallets'));

    expect(h.calls).toHaveLength(1);
    const { text, reply_markup } = h.calls[0]!.payload as {
      text: string;
      reply_markup: { inline_keyboard: { callback_data: string }[][] };
    };
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(text).toMatch(/…and \d+ more\./);
    for (const button of reply_markup.inline_keyboard.flat())
      expect(Buffer.byteLength(button.callback_data)).toBeLessThanOrEqual(64);
  });

  it('keeps /portfolio within 4096 characters for hundreds of assets and chains', async () => {
    const h = setup();
    const asset = h.portfolio.snapshot.assets[0]!;
    h.portfolio.snapshot = {
      ...h.portfolio.snapshot,
      assets: Array.from({ length: 300 }, (_, index) => ({
        ...asset,
        assetId: `a${index}`,
        symbol: `<${'X'.repeat(60)}${index}>`,
      })),
      chains: Array.from({ length: 80 }, (_, index) => ({
        chainIndex: String(900000 + index),
        valueUsd: '1',
        share: '0.01',
      })),
    };

    await h.bot.handleUpdate(commandUpdate('/portfolio'));

    const text = h.calls[0]!.payload.text as string;
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(text).toContain('• …and 290 more assets');
    expect(text).toContain('&lt;XXXX');
  });
});

describe('bot: rebalance through the whole bot', () => {
  it('suggest → quote → confirm → simulated, with the answer middleware in place', async () => {
    const plans = createPlanStore(db.doc, db.tables.sessions);
    const settings = createSettingsStore(db.doc, db.tables.sessions);
    const h = setup({ plans, settings, now: () => new Date() });

    await h.bot.handleUpdate(callbackUpdate('v1:rebal', nextUser));
    const planId = (
      h.calls[1]!.payload.reply_markup as { inline_keyboard: { callback_data: string }[][] }
    ).inline_keyboard[0]![0]!.callback_data.split(':')[2]!;
    await h.bot.handleUpdate(callbackUpdate(`v1:confirm:${planId}`, nextUser));
    await h.bot.handleUpdate(callbackUpdate(`v1:confirm:${planId}`, nextUser));

    expect(
      h.calls.map((call) => [
        call.method,
        call.payload.text === undefined ? undefined : String(call.payload.text).split('\n')[0],
      ]),
    ).toEqual([
      ['answerCallbackQuery', 'Fetching quotes…'],
      ['sendMessage', '🔄 <b>Rebalance preview</b> (to target)'],
      ['answerCallbackQuery', 'Checking the quotes again…'],
      ['editMessageText', '🧪 <b>DRY RUN — simulated, nothing was sent on-chain</b>'],
      ['answerCallbackQuery', 'Already done'],
    ]);
  });
});
