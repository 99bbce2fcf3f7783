import { beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../../../shared/bot/bot';
import type { BotDeps } from '../../../shared/bot/bot-deps';
import { budgetSpentText, OKX_BUDGETS } from '../../../shared/rebalance/rebalance-feature';
import { createPlanStore, type PlanStore } from '../../../shared/rebalance/plan-store';
import { createUserCooldownStore, type UserCooldownStore } from '../../../shared/platform/dynamo/user-cooldown-store';
import { createSettingsStore, type SettingsStore } from '../../../shared/rebalance/settings-store';
import { createTestDynamo } from '../../support/dynamo';
import { createFakeRebalanceMarket, suggestedPlan } from './rebalance-service-fixtures';
import { createMemoryLogger } from '../bot/bot-fixtures';
import { callbackUpdate, commandUpdate, recordBotApi } from '../bot/bot-harness';
import { createFakePortfolio } from '../portfolio/portfolio-fixtures';

let plans: PlanStore;
let settings: SettingsStore;
let cooldowns: UserCooldownStore;
let nextUser = 31_000;

// A fixed minute far ahead (DynamoDB Local's TTL sweeper never sees it): 10:00:20, 20 s into its 60 s window.
const NOW = Date.parse('2036-05-04T10:00:20.000Z');

beforeAll(async () => {
  const db = await createTestDynamo();
  plans = createPlanStore(db.doc, db.tables.sessions);
  settings = createSettingsStore(db.doc, db.tables.sessions);
  cooldowns = createUserCooldownStore(db.doc, db.tables.sessions, () => new Date(NOW));
});

function setup() {
  const market = createFakeRebalanceMarket();
  const deps = {
    portfolio: createFakePortfolio(suggestedPlan()),
    market,
    plans,
    settings,
    cooldowns,
    now: () => new Date(Date.now()),
    dryRun: true,
  } as unknown as BotDeps;
  const api = recordBotApi();
  return { market, bot: createBot(deps, { token: '123:TEST', logger: createMemoryLogger() }), ...api };
}

const previews = (calls: { method: string; payload: Record<string, unknown> }[], chatId: number) =>
  calls.filter(
    (call) =>
      call.method === 'sendMessage' &&
      call.payload.chat_id === chatId &&
      JSON.stringify(call.payload.reply_markup ?? '').includes('v1:confirm:'),
  );

describe('per-user OKX budget (issue 10 §4)', () => {
  it('answers 15 parallel /rebalance of one user with 2 previews (4 quotes) and 13 "try again in 40 s"; another user is unaffected', async () => {
    const h = setup();
    const [user, other] = [nextUser++, nextUser++];

    await Promise.all(Array.from({ length: 15 }, () => h.bot.handleUpdate(commandUpdate('/rebalance', user, user))));
    await h.bot.handleUpdate(commandUpdate('/rebalance', other, other));

    // Budget: 2 previews a minute; each quotes the plan's 2 legs -> 2 x 2 = 4 quotes for the user, 2 for the other.
    expect(OKX_BUDGETS.rebalance).toEqual({ limit: 2, windowSeconds: 60 });
    expect(previews(h.calls, user)).toHaveLength(2);
    expect(
      h.calls.filter((call) => call.payload.chat_id === user && call.payload.text === budgetSpentText(40)),
    ).toHaveLength(13);
    expect(h.market.quoteCalls).toHaveLength(4 + 2);
    expect(previews(h.calls, other)).toHaveLength(1);
  });

  it('refuses a third preview tap with a toast, and budgets Confirm separately', async () => {
    const h = setup();
    const user = nextUser++;
    await h.bot.handleUpdate(commandUpdate('/rebalance', user, user));
    await h.bot.handleUpdate(callbackUpdate('v1:rebal:band', user, user));
    h.calls.length = 0;

    await h.bot.handleUpdate(callbackUpdate('v1:rebal:band', user, user));
    await Promise.all(
      Array.from({ length: 5 }, () => h.bot.handleUpdate(callbackUpdate('v1:confirm:nosuchplan', user, user))),
    );

    expect(h.calls[0]).toEqual({
      method: 'answerCallbackQuery',
      payload: { callback_query_id: expect.any(String), text: budgetSpentText(40) },
    });
    // Confirm: 3 a minute reach the plan store (this plan is unknown: "expired"), the other 2 are told to wait.
    const toasts = h.calls.slice(1).map((call) => call.payload.text);
    expect(toasts.filter((text) => text === budgetSpentText(40))).toHaveLength(2);
    expect(toasts.filter((text) => text !== budgetSpentText(40))).toHaveLength(3);
    expect(h.market.quoteCalls).toHaveLength(2 + 2);
  });
});
