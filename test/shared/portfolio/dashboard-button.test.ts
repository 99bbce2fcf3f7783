import { describe, expect, it } from 'vitest';
import { type BotContext, buildInlineKeyboard, dashboardRows } from '../../../shared/platform/telegram/messages';
import { createPortfolioFeature } from '../../../shared/portfolio/portfolio-feature';
import { createReportFeature } from '../../../shared/portfolio/report-feature';
import { suggestedPlan } from '../rebalance/rebalance-service-fixtures';
import { callbackUpdate, commandUpdate, createTestBot } from '../bot/bot-harness';
import { createFakePortfolio } from './portfolio-fixtures';

const URL = 'https://d111111abcdef8.cloudfront.net/miniapp/index.html';
const DASHBOARD = [{ text: '📊 Dashboard', web_app: { url: URL } }];
const now = () => new Date('2026-03-18T10:00:00.000Z');

type Keyboard = { inline_keyboard: unknown[][] };
const keyboardOf = (payload: Record<string, unknown>) => (payload.reply_markup as Keyboard).inline_keyboard;

describe('📊 Dashboard buttons (web_app, the Mini App)', () => {
  it('/portfolio in a private chat ends with the Dashboard button when MINIAPP_URL is set', async () => {
    const { bot, calls } = createTestBot(
      createPortfolioFeature({ portfolio: createFakePortfolio(suggestedPlan()), now, miniAppUrl: URL }),
    );
    await bot.handleUpdate(commandUpdate('/portfolio'));
    expect(keyboardOf(calls[0]!.payload)).toEqual([
      [
        { text: '📈 Report', callback_data: 'v1:report' },
        { text: '🔄 Rebalance', callback_data: 'v1:rebal' },
      ],
      [{ text: '🔁 Refresh', callback_data: 'v1:refresh:7' }],
      DASHBOARD,
    ]);
  });

  it('/portfolio has no Dashboard button without MINIAPP_URL', async () => {
    const { bot, calls } = createTestBot(
      createPortfolioFeature({ portfolio: createFakePortfolio(suggestedPlan()), now }),
    );
    await bot.handleUpdate(commandUpdate('/portfolio'));
    expect(JSON.stringify(calls[0]!.payload)).not.toContain('web_app');
  });

  it('the Report keeps its window and Rebalance rows and adds the Dashboard row, also when a window is switched', async () => {
    const deps = { portfolio: createFakePortfolio(suggestedPlan()), miniAppUrl: URL };
    const { bot, calls } = createTestBot(createReportFeature(deps));
    await bot.handleUpdate(commandUpdate('/report'));
    const report = calls.find((call) => call.method === 'sendMessage')!;
    expect(keyboardOf(report.payload)).toHaveLength(4);
    expect(keyboardOf(report.payload)[2]).toEqual([{ text: '🔄 Rebalance', callback_data: 'v1:rebal' }]);
    expect(keyboardOf(report.payload)[3]).toEqual(DASHBOARD);
    calls.length = 0;
    await bot.handleUpdate(callbackUpdate('v1:window:30d'));
    const edited = calls.find((call) => call.method === 'editMessageText')!;
    expect(keyboardOf(edited.payload)[3]).toEqual(DASHBOARD);
  });

  it.each([
    ['a group', { chat: { type: 'group' } }],
    ['a supergroup', { chat: { type: 'supergroup' } }],
    ['a channel', { chat: { type: 'channel' } }],
    ['a tap under an inline message (no chat)', { callbackQuery: { inline_message_id: 'x' } }],
  ])('is never offered in %s: personal data only goes to its owner’s private chat', (_, ctx) => {
    expect(dashboardRows(ctx as unknown as BotContext, URL)).toEqual([]);
  });

  it('is offered under a private message the user tapped, and sent as a web_app button', () => {
    const ctx = { callbackQuery: { message: { chat: { type: 'private' } } } } as unknown as BotContext;
    expect(buildInlineKeyboard(dashboardRows(ctx, URL))).toEqual({ inline_keyboard: [DASHBOARD] });
  });
});
