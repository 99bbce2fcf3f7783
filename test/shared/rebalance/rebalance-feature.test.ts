import { beforeAll, describe, expect, it } from 'vitest';
import type { BotDeps } from '../../../shared/bot/bot-deps';
import { createRebalanceFeature } from '../../../shared/rebalance/rebalance-feature';
import { createPlanStore, type PlanStore } from '../../../shared/rebalance/plan-store';
import { createSettingsStore, type SettingsStore } from '../../../shared/rebalance/settings-store';
import { createTestDynamo } from '../../support/dynamo';
import { createFakeRebalanceMarket, FakeOkxError, suggestedPlan } from './rebalance-service-fixtures';
import { callbackUpdate, commandUpdate, createTestBot } from '../bot/bot-harness';
import { createFakePortfolio } from '../portfolio/portfolio-fixtures';

let plans: PlanStore;
let settings: SettingsStore;
let nextUser = 100;

beforeAll(async () => {
  const db = await createTestDynamo();
  plans = createPlanStore(db.doc, db.tables.sessions);
  settings = createSettingsStore(db.doc, db.tables.sessions);
});

function setup(options: { dryRun?: boolean; miniAppUrl?: string } = {}) {
  const userId = nextUser++;
  const market = createFakeRebalanceMarket();
  const portfolio = createFakePortfolio(suggestedPlan());
  // Real time, not a fixed date: DynamoDB Local's TTL sweeper deletes plans whose ttl is already past.
  const clock = { ms: Date.now() };
  const deps = {
    portfolio,
    market,
    plans,
    settings,
    now: () => new Date(clock.ms),
    dryRun: options.dryRun ?? true,
    ...(options.miniAppUrl ? { miniAppUrl: options.miniAppUrl } : {}),
  } as unknown as BotDeps;
  return { userId, market, portfolio, clock, ...createTestBot(createRebalanceFeature(deps)) };
}

/** Runs /rebalance and returns the plan id from the Confirm button. */
async function preview(h: ReturnType<typeof setup>): Promise<string> {
  await h.bot.handleUpdate(commandUpdate('/rebalance', h.userId));
  const markup = h.calls.at(-1)!.payload.reply_markup as { inline_keyboard: { callback_data: string }[][] };
  h.calls.length = 0;
  return markup.inline_keyboard[0]![0]!.callback_data.split(':')[2]!;
}

describe('rebalance feature: preview', () => {
  it('asks for a target first when the user has none', async () => {
    const h = setup();
    h.portfolio.target = undefined;

    await h.bot.handleUpdate(commandUpdate('/rebalance', h.userId));

    expect(h.calls).toEqual([
      {
        method: 'sendMessage',
        payload: {
          chat_id: 70,
          text: 'You have no target allocation yet. Set one with /target, then tap Rebalance again.',
        },
      },
    ]);
  });

  it('says so when nothing drifted out of its band', async () => {
    const h = setup();
    h.portfolio.plan = suggestedPlan([]);

    await h.bot.handleUpdate(commandUpdate('/rebalance', h.userId));

    expect(h.calls).toEqual([
      {
        method: 'sendMessage',
        payload: expect.objectContaining({
          chat_id: 70,
          text: '✅ Your portfolio is within its bands: nothing to rebalance.',
        }),
      },
    ]);
  });

  it('shows each leg with its quote, totals and projected allocation, with Confirm and Cancel', async () => {
    const h = setup();

    await h.bot.handleUpdate(commandUpdate('/rebalance', h.userId));

    expect(h.calls).toHaveLength(1);
    const { payload } = h.calls[0]!;
    const planId = (
      payload.reply_markup as { inline_keyboard: { callback_data: string }[][] }
    ).inline_keyboard[0]![0]!.callback_data.split(':')[2];
    expect(payload).toEqual({
      chat_id: 70,
      text: expect.any(String),
      parse_mode: 'HTML',
      reply_markup: {
        inline_keyboard: [
          [
            { text: '✅ Confirm', callback_data: `v1:confirm:${planId}` },
            { text: '✖️ Cancel', callback_data: `v1:cancel:${planId}` },
          ],
          [{ text: '📉 Cheaper: only to the band edge', callback_data: 'v1:rebal:band' }],
        ],
      },
    });
    expect(payload.text).toMatchSnapshot();
  });

  it('lists a leg the aggregator cannot quote as skipped, with the reason', async () => {
    const h = setup();
    h.market.quotes.set('WBTC->ETH', new FakeOkxError('82000'));

    await h.bot.handleUpdate(commandUpdate('/rebalance', h.userId));

    expect(h.calls[0]!.payload.text).toContain(
      '<b>Skipped</b>\n• 0.01666666 WBTC → ETH (~$1,000.00): insufficient liquidity (OKX 82000)',
    );
  });

  it('goes to target by default; the band-edge button asks for the cheaper plan; the stored unlisted choice is passed on', async () => {
    const h = setup();
    await settings.setUnlisted(String(h.userId), 'sell', '2036-03-18T10:00:00.000Z');

    await h.bot.handleUpdate(commandUpdate('/rebalance', h.userId));
    await h.bot.handleUpdate(callbackUpdate('v1:rebal:band', h.userId));
    await h.bot.handleUpdate(callbackUpdate('v1:rebal:target', h.userId));

    expect(h.portfolio.calls).toEqual([
      `suggest:${h.userId}:target:sell`,
      `suggest:${h.userId}:band-edge:sell`,
      `suggest:${h.userId}:target:sell`,
    ]);
  });

  it('with unlisted assets kept, "nothing to rebalance" says what is kept and what share the target gets', async () => {
    const h = setup();
    // /target ETH 100 with ETH 3,000 of a 14,000 portfolio: ETH is 100 % of the 3,000 the target covers.
    h.portfolio.plan = {
      ...suggestedPlan([]),
      totalValueUsd: '3000',
      allocation: [{ assetId: 'eth', symbol: 'ETH', current: '1', target: '1', projected: '1', band: '0.05' }],
      kept: [
        { assetId: 'btc', symbol: 'WBTC', valueUsd: '9000' },
        { assetId: 'usdc', symbol: 'USDC', valueUsd: '2000' },
      ],
    };

    await h.bot.handleUpdate(commandUpdate('/rebalance', h.userId));

    expect(h.calls[0]!.payload.text).toBe(
      '✅ Nothing to rebalance in the $3,000.00 your target covers: ETH 100.0 % of it, within the bands.\nKept as they are (not in your target): WBTC $9,000.00, USDC $2,000.00. Send /target to sell them into your targets instead.',
    );
  });

  it('the Rebalance button answers the callback before quoting', async () => {
    const h = setup();

    await h.bot.handleUpdate(callbackUpdate('v1:rebal', h.userId));

    expect(h.calls.map((call) => call.method)).toEqual(['answerCallbackQuery', 'sendMessage']);
    expect(h.calls[0]!.payload).toEqual({ callback_query_id: expect.any(String), text: 'Fetching quotes…' });
  });
});

describe('rebalance feature: confirm and cancel', () => {
  it('confirm in dry-run mode answers, re-quotes and edits the preview into a labelled simulation', async () => {
    const h = setup();
    const planId = await preview(h);

    await h.bot.handleUpdate(callbackUpdate(`v1:confirm:${planId}`, h.userId));

    expect(h.calls).toEqual([
      {
        method: 'answerCallbackQuery',
        payload: { callback_query_id: expect.any(String), text: 'Checking the quotes again…' },
      },
      {
        method: 'editMessageText',
        payload: {
          chat_id: 70,
          message_id: 42,
          text: expect.stringContaining('🧪 <b>DRY RUN — simulated, nothing was sent on-chain</b>'),
          parse_mode: 'HTML',
        },
      },
    ]);
    expect(h.calls[1]!.payload.text).toMatchSnapshot();
    expect((await plans.get(planId))?.state).toBe('simulated');
  });

  it('a second tap on Confirm is answered "Already done" and does nothing else', async () => {
    const h = setup();
    const planId = await preview(h);
    await h.bot.handleUpdate(callbackUpdate(`v1:confirm:${planId}`, h.userId));
    h.calls.length = 0;

    await h.bot.handleUpdate(callbackUpdate(`v1:confirm:${planId}`, h.userId));

    expect(h.calls).toEqual([
      { method: 'answerCallbackQuery', payload: { callback_query_id: expect.any(String), text: 'Already done' } },
    ]);
  });

  it('a tap while the first is still quoting is answered "Already in progress"', async () => {
    const h = setup();
    const planId = await preview(h);
    let release = () => {};
    h.market.gate = new Promise((resolve) => (release = resolve));
    const first = h.bot.handleUpdate(callbackUpdate(`v1:confirm:${planId}`, h.userId));
    await expect.poll(() => h.calls.length).toBe(1);

    await h.bot.handleUpdate(callbackUpdate(`v1:confirm:${planId}`, h.userId));
    release();
    await first;

    expect(h.calls.map((call) => [call.method, call.payload.text])).toEqual([
      ['answerCallbackQuery', 'Checking the quotes again…'],
      ['answerCallbackQuery', 'Already in progress'],
      ['editMessageText', expect.stringContaining('DRY RUN')],
    ]);
  });

  it("refuses another user's tap without touching the plan", async () => {
    const h = setup();
    const planId = await preview(h);

    await h.bot.handleUpdate(callbackUpdate(`v1:confirm:${planId}`, 999));
    await h.bot.handleUpdate(callbackUpdate(`v1:cancel:${planId}`, 999));

    expect(h.calls.map((call) => [call.method, call.payload.text])).toEqual([
      ['answerCallbackQuery', 'Not your plan'],
      ['answerCallbackQuery', 'Not your plan'],
    ]);
    expect((await plans.get(planId))?.state).toBe('pending');
  });

  it('an expired or unknown plan is answered "This quote expired, tap Rebalance again"', async () => {
    const h = setup();
    const planId = await preview(h);
    h.clock.ms += 5 * 60_000 + 1;

    await h.bot.handleUpdate(callbackUpdate(`v1:confirm:${planId}`, h.userId));
    await h.bot.handleUpdate(callbackUpdate('v1:confirm:unknownplan', h.userId));

    expect(h.calls).toEqual([
      {
        method: 'answerCallbackQuery',
        payload: { callback_query_id: expect.any(String), text: 'This quote expired, tap Rebalance again' },
      },
      {
        method: 'answerCallbackQuery',
        payload: { callback_query_id: expect.any(String), text: 'This quote expired, tap Rebalance again' },
      },
    ]);
  });

  it('when a fresh quote falls below the confirmed minimum it asks again with new buttons', async () => {
    const h = setup();
    const planId = await preview(h);
    h.market.quotes.set('WBTC->USDC', { toAmountRaw: '1990000000', priceImpactPercent: '0.05', gasUsd: '0.2' });

    await h.bot.handleUpdate(callbackUpdate(`v1:confirm:${planId}`, h.userId));

    const edit = h.calls[1]!;
    const newId = (
      edit.payload.reply_markup as { inline_keyboard: { callback_data: string }[][] }
    ).inline_keyboard[0]![0]!.callback_data.split(':')[2]!;
    expect(newId).not.toBe(planId);
    expect(edit).toEqual({
      method: 'editMessageText',
      payload: {
        chat_id: 70,
        message_id: 42,
        text: expect.stringContaining('⚠️ <b>Prices moved</b>'),
        parse_mode: 'HTML',
        reply_markup: {
          inline_keyboard: [
            [
              { text: '✅ Confirm', callback_data: `v1:confirm:${newId}` },
              { text: '✖️ Cancel', callback_data: `v1:cancel:${newId}` },
            ],
            [{ text: '📉 Cheaper: only to the band edge', callback_data: 'v1:rebal:band' }],
          ],
        },
      },
    });
    expect(edit.payload.text).toContain('min 1,970.10 USDC');
    expect((await plans.get(planId))?.state).toBe('superseded');
    expect((await plans.get(newId))?.state).toBe('pending');
  });

  it('cancel answers, marks the plan cancelled and edits the message', async () => {
    const h = setup();
    const planId = await preview(h);

    await h.bot.handleUpdate(callbackUpdate(`v1:cancel:${planId}`, h.userId));
    await h.bot.handleUpdate(callbackUpdate(`v1:confirm:${planId}`, h.userId));

    expect(h.calls).toEqual([
      { method: 'answerCallbackQuery', payload: { callback_query_id: expect.any(String), text: 'Cancelled' } },
      {
        method: 'editMessageText',
        payload: { chat_id: 70, message_id: 42, text: '✖️ Rebalance cancelled. Nothing was traded.' },
      },
      {
        method: 'answerCallbackQuery',
        payload: { callback_query_id: expect.any(String), text: 'This plan was cancelled' },
      },
    ]);
    expect((await plans.get(planId))?.state).toBe('cancelled');
  });
});

describe('rebalance feature: live mode', () => {
  it('/live on with DRY_RUN_MODE on stores the opt-in but says confirmations stay simulated', async () => {
    const h = setup({ dryRun: true });

    await h.bot.handleUpdate(commandUpdate('/live on', h.userId));

    expect(h.calls[0]!.payload.text).toContain('Live mode is <b>on</b> for you.');
    expect(h.calls[0]!.payload.text).toContain('DRY_RUN_MODE');
    expect((await settings.get(String(h.userId))).liveMode).toBe(true);
  });

  it('with DRY_RUN_MODE off and the opt-in, Confirm offers "✍️ Sign in wallet" on the plan, never raw calldata', async () => {
    const h = setup({ dryRun: false, miniAppUrl: 'https://app.example/miniapp/' });
    await h.bot.handleUpdate(commandUpdate('/live on', h.userId));
    const planId = await preview(h);

    await h.bot.handleUpdate(callbackUpdate(`v1:confirm:${planId}`, h.userId));

    expect(h.calls.map((call) => call.method)).toEqual(['answerCallbackQuery', 'editMessageText']);
    expect(h.calls[1]!.payload.text).toContain('✍️ <b>Ready to sign</b>');
    expect(h.calls[1]!.payload.text).not.toContain('0xf2c42696');
    expect(h.calls[1]!.payload.reply_markup).toEqual({
      inline_keyboard: [
        [{ text: '✍️ Sign in wallet', web_app: { url: `https://app.example/miniapp/#sign=${planId}` } }],
      ],
    });
    expect((await plans.get(planId))?.state).toBe('awaiting-signature');
    expect(h.market.swapCalls).toEqual([]);
  });

  it('/live off turns the opt-in off again; /live alone shows the status', async () => {
    const h = setup({ dryRun: false });
    await h.bot.handleUpdate(commandUpdate('/live on', h.userId));

    await h.bot.handleUpdate(commandUpdate('/live off', h.userId));
    await h.bot.handleUpdate(commandUpdate('/live', h.userId));

    expect(h.calls[2]!.payload.text).toContain('Live mode is <b>off</b> for you');
    expect(h.calls[2]!.payload.text).not.toContain('DRY_RUN_MODE');
  });
});
