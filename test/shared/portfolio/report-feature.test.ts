import { describe, expect, it } from 'vitest';
import type { BotDeps } from '../../../shared/bot/bot-deps';
import { createReportFeature } from '../../../shared/portfolio/report-feature';
import { suggestedPlan } from '../rebalance/rebalance-service-fixtures';
import { callbackUpdate, commandUpdate, createTestBot } from '../bot/bot-harness';
import { createFakePortfolio } from './portfolio-fixtures';

function setup() {
  const portfolio = createFakePortfolio(suggestedPlan());
  const deps = { portfolio, now: () => new Date('2026-03-18T10:00:00.000Z'), dryRun: true } as unknown as BotDeps;
  return { portfolio, ...createTestBot(createReportFeature(deps)) };
}

const photo = { source: expect.any(Buffer), filename: expect.stringMatching(/\.png$/) };

const WINDOW_ROWS = (current: string) => [
  ['24h', '7d', '30d'].map((w) => ({ text: w === current ? `• ${w} •` : w, callback_data: `v1:window:${w}` })),
  ['90d', '1y', 'all'].map((w) => ({ text: w === current ? `• ${w} •` : w, callback_data: `v1:window:${w}` })),
  [{ text: '🔄 Rebalance', callback_data: 'v1:rebal' }],
];

describe('report feature', () => {
  it('/report sends the value chart, the allocation chart, then the 7d report with window buttons', async () => {
    const { bot, calls, portfolio } = setup();

    await bot.handleUpdate(commandUpdate('/report'));

    expect(calls.map((call) => call.method)).toEqual(['sendPhoto', 'sendPhoto', 'sendMessage']);
    expect(calls[0]!.payload).toEqual({ chat_id: 70, photo });
    expect(calls[1]!.payload).toEqual({ chat_id: 70, photo });
    expect(calls[2]!.payload).toEqual({
      chat_id: 70,
      text: expect.any(String),
      parse_mode: 'HTML',
      reply_markup: { inline_keyboard: WINDOW_ROWS('7d') },
    });
    expect(portfolio.calls).toEqual(['performance:7d']);
    const text = calls[2]!.payload.text as string;
    expect(text.length).toBeLessThan(4096);
    expect(text).toContain('📈 <b>Performance · 7 days</b>');
    expect(text).toContain('Time-weighted return: <b>+6.51 %</b>');
    expect(text).toContain('<i>method: time-weighted return (chain-linked, flows removed)</i>');
    expect(text).toContain('Max drawdown: <b>−4.20 %</b>');
    expect(text).toContain('P&amp;L: <b>+');
    expect(text).toContain('Effective number of assets: <b>2.4</b> (HHI 0.415)');
    expect(text).toContain('ETH is 62');
    expect(text).toContain('sits on Ethereum');
  });

  it('the Report button answers the callback first', async () => {
    const { bot, calls } = setup();

    await bot.handleUpdate(callbackUpdate('v1:report'));

    expect(calls[0]).toEqual({ method: 'answerCallbackQuery', payload: { callback_query_id: expect.any(String) } });
    expect(calls.map((call) => call.method)).toEqual(['answerCallbackQuery', 'sendPhoto', 'sendPhoto', 'sendMessage']);
  });

  it('a window button answers first, edits the report in place and sends that window chart', async () => {
    const { bot, calls, portfolio } = setup();

    await bot.handleUpdate(callbackUpdate('v1:window:1y'));

    expect(calls.map((call) => call.method)).toEqual(['answerCallbackQuery', 'editMessageText', 'sendPhoto']);
    expect(calls[1]!.payload).toEqual({
      chat_id: 70,
      message_id: 42,
      text: expect.stringContaining('Performance · 1 year'),
      parse_mode: 'HTML',
      reply_markup: { inline_keyboard: WINDOW_ROWS('1y') },
    });
    expect(calls[1]!.payload.text).toContain('ℹ️ <i>not enough history for 1y: 7 days recorded</i>');
    expect(calls[2]!.payload).toEqual({ chat_id: 70, photo });
    expect(portfolio.calls).toEqual(['performance:1y']);
  });

  it('ignores an unknown window', async () => {
    const { bot, calls } = setup();

    await bot.handleUpdate(callbackUpdate('v1:window:5y'));

    expect(calls).toEqual([]);
  });
});
