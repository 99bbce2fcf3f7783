import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { okxEnvOf, startOkxSandbox, type OkxSandbox } from '../../dev-tools/okx-sandbox/index';
import { createBot } from '../../shared/bot/bot';
import { createPlanStore, type PlanStore, type StoredPlan } from '../../shared/rebalance/plan-store';
import { createSettingsStore } from '../../shared/rebalance/settings-store';
import { createTestRuntime, type TestRuntime } from '../support/app-runtime';
import { createMemoryLogger } from '../shared/bot/bot-fixtures';
import { callbackUpdate, commandUpdate, recordBotApi } from '../shared/bot/bot-harness';
import { createTestDynamo } from '../support/dynamo';

const USER = 5151;
const DEADLINE_MS = 3_000;
const QUOTE_PATH = '/api/v6/dex/aggregator/quote';

/** Issue 10 §5 through the real OKX client: the sandbox's `timeout` fault holds a quote past the bot's deadline. */
describe('a quote that hangs past the deadline (OKX sandbox `timeout` fault)', () => {
  let sandbox: OkxSandbox;
  let runtime: TestRuntime;

  beforeAll(async () => {
    sandbox = await startOkxSandbox({ seed: 42, rateLimitPerSecond: 1000 });
    const db = await createTestDynamo();
    runtime = await createTestRuntime({
      ...db.env,
      ...okxEnvOf(sandbox),
      OKX_RATE_LIMIT_PER_SECOND: '200',
      DRY_RUN_MODE: 'true',
    });
    const whale = sandbox.world.demoWallets().find((wallet) => wallet.name === 'whale')!.address;
    await runtime.service.addWallet(String(USER), whale);
    await runtime.service.syncBalances(String(USER));
  }, 60_000);
  afterAll(() => sandbox.stop());

  it('answers "That took too long", cancels the hanging request, sends nothing later and leaves no plan confirmable', async () => {
    const created: StoredPlan[] = [];
    const store = createPlanStore(runtime.doc, runtime.tables.sessions);
    const plans: PlanStore = { ...store, create: async (plan) => void (created.push(plan), await store.create(plan)) };
    const deps = {
      portfolio: runtime.service,
      market: runtime.market,
      plans,
      settings: createSettingsStore(runtime.doc, runtime.tables.sessions),
      now: () => new Date(),
      dryRun: true,
    };
    const api = recordBotApi();
    const bot = createBot(deps, { token: '123:TEST', logger: createMemoryLogger(), handlerTimeoutMs: DEADLINE_MS });
    await bot.handleUpdate(commandUpdate('/target ETH 40 USDC 30 BTC 30', USER, USER));
    api.calls.length = 0;
    sandbox.faults.inject({ kind: 'timeout', path: QUOTE_PATH, times: 1 });

    const startedAt = Date.now();
    await bot.handleUpdate(callbackUpdate('v1:rebal', USER, USER));
    const quotesAtDeadline = sandbox.stats.perPath[QUOTE_PATH] ?? 0;
    // The OKX client's own timeout (10 s) and retries would have answered much later; the deadline ended it.
    expect(Date.now() - startedAt).toBeLessThan(DEADLINE_MS + 1_500);
    expect(api.calls.map((call) => [call.method, call.payload.text])).toEqual([
      ['answerCallbackQuery', 'Fetching quotes…'],
      ['sendMessage', 'That took too long. Please try again in a minute.'],
    ]);

    // Past the OKX client's 10 s timeout and one retry: when the work was not cancelled, its preview came here.
    await new Promise((resolve) => setTimeout(resolve, 9_000));

    expect(api.calls).toHaveLength(2);
    expect(created).toEqual([]);
    // The hung quote was not retried after the deadline.
    expect(sandbox.stats.perPath[QUOTE_PATH] ?? 0).toBe(quotesAtDeadline);
  }, 30_000);
});
