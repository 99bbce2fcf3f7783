import { beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../../../../shared/bot/bot';
import type { BotDeps } from '../../../../shared/bot/bot-deps';
import { createPlanStore, type PlanStore, type StoredPlan } from '../../../../shared/rebalance/plan-store';
import { createSettingsStore, type SettingsStore } from '../../../../shared/rebalance/settings-store';
import { createTestDynamo } from '../../../support/dynamo';
import { createFakeRebalanceMarket, suggestedPlan } from '../../rebalance/rebalance-service-fixtures';
import { createMemoryLogger } from '../../bot/bot-fixtures';
import { callbackUpdate, commandUpdate, recordBotApi } from '../../bot/bot-harness';
import { createFakePortfolio } from '../../portfolio/portfolio-fixtures';

const DEADLINE_MS = 300;
const TOO_LONG = 'That took too long. Please try again in a minute.';

let plans: PlanStore;
let settings: SettingsStore;
let nextUser = 41_000;

beforeAll(async () => {
  const db = await createTestDynamo();
  plans = createPlanStore(db.doc, db.tables.sessions);
  settings = createSettingsStore(db.doc, db.tables.sessions);
});

/** A bot with a short deadline whose OKX work (quotes, sync) waits at a gate the test opens after the deadline. */
function setup(deadlineMs = DEADLINE_MS) {
  let open = () => {};
  const gate = new Promise<void>((resolve) => (open = resolve));
  const market = createFakeRebalanceMarket();
  market.gate = gate;
  const portfolio = createFakePortfolio(suggestedPlan());
  const syncs: string[] = [];
  portfolio.syncBalances = async (userId) => {
    await gate;
    syncs.push(userId);
    return {
      userId,
      syncedAt: new Date().toISOString(),
      walletsSynced: 1,
      failures: [],
      itemsWritten: 0,
      okxRequests: 1,
    };
  };
  const created: StoredPlan[] = [];
  const recordingPlans: PlanStore = {
    ...plans,
    create: async (plan) => void (created.push(plan), await plans.create(plan)),
  };
  const deps = {
    portfolio,
    market,
    plans: recordingPlans,
    settings,
    now: () => new Date(),
    dryRun: true,
  } as unknown as BotDeps;
  const api = recordBotApi();
  const bot = createBot(deps, { token: '123:TEST', logger: createMemoryLogger(), handlerTimeoutMs: deadlineMs });
  return { bot, market, created, syncs, open, ...api };
}

/** Lets the released work run to its end (DynamoDB Local writes included) before the test looks. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 500));

describe('the update deadline cancels the work (issue 10 §5)', () => {
  it('after "That took too long" a hanging quote that answers late sends no preview and leaves no plan', async () => {
    const h = setup();
    const user = nextUser++;

    await h.bot.handleUpdate(commandUpdate('/rebalance', user, user));
    expect(h.calls).toEqual([
      { method: 'sendMessage', payload: { chat_id: user, text: TOO_LONG, parse_mode: 'HTML' } },
    ]);

    h.open();
    await settle();

    expect(h.market.quoteCalls).toHaveLength(2);
    expect(h.calls).toHaveLength(1);
    expect(h.created).toEqual([]);
  });

  it('after "That took too long" a Refresh whose sync finishes late does not edit the message', async () => {
    const h = setup();
    const user = nextUser++;

    await h.bot.handleUpdate(callbackUpdate(`v1:refresh:${user}`, user, user));
    expect(h.calls.map((call) => [call.method, call.payload.text])).toEqual([
      ['answerCallbackQuery', 'Refreshing…'],
      ['sendMessage', TOO_LONG],
    ]);

    h.open();
    await settle();

    expect(h.syncs).toEqual([String(user)]);
    expect(h.calls).toHaveLength(2);
  });

  it('changes nothing for an update that finishes inside its deadline', async () => {
    const h = setup(10_000);
    const user = nextUser++;
    h.open();

    await h.bot.handleUpdate(commandUpdate('/rebalance', user, user));

    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]!.payload.reply_markup).toBeDefined();
    expect(h.created).toHaveLength(1);
    expect((await plans.get(h.created[0]!.planId))?.state).toBe('pending');
  });
});
