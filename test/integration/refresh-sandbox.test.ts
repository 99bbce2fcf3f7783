import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OkxSandbox } from '../../dev-tools/okx-sandbox/index';
import { createBot } from '../../shared/bot/bot';
import { createUserCooldownStore } from '../../shared/platform/dynamo/user-cooldown-store';
import { Dec, toDecimal } from '../../shared/kernel/decimal';
import type { TestRuntime } from '../support/app-runtime';
import { callbackUpdate, recordBotApi } from '../shared/bot/bot-harness';
import { createMemoryLogger } from '../shared/bot/bot-fixtures';
import { startSandboxRuntime } from '../support/sandbox-runtime';

const BALANCES_PATH = '/api/v6/dex/balance/all-token-balances-by-address';
const USER = 4711;
const OTHER_USER = 4712;

/** Refresh inside a 10-minute slot, through the real bot, DynamoDB Local and the OKX sandbox over HTTP. */
describe('Refresh fetches fresh balances inside a slot and shows their true fetch time', () => {
  let sandbox: OkxSandbox;
  let runtime: TestRuntime;
  let clock = new Date('2036-11-24T10:01:00.000Z');

  beforeAll(async () => {
    ({ sandbox, runtime } = await startSandboxRuntime(11, () => clock));
  });
  afterAll(() => sandbox.stop());

  const balanceCalls = () => sandbox.stats.perPath[BALANCES_PATH] ?? 0;

  it('a Refresh after the sandbox balance changed shows the new balance; a second one within the cooldown is refused without an OKX call', async () => {
    const address = sandbox.world.demoWallets().find((wallet) => wallet.name === 'degen')!.address;
    await runtime.service.addWallet(String(USER), address);
    await runtime.service.syncBalances(String(USER)); // the worker at 10:01: OKX answers, the slot cache keeps it
    const before = toDecimal((await runtime.service.getLiveView(String(USER))).totalValueUsd);

    // At 10:04 (same slot 10:00–10:10) the wallet receives 1,000 more of a priced token it holds.
    const token = sandbox.world.getBalances(address).find((row) => !row.isRiskToken && row.tokenPrice !== '')!;
    sandbox.world.setBalance({
      address,
      chainIndex: token.chainIndex,
      tokenAddress: token.tokenContractAddress,
      balance: toDecimal(token.balance).plus(new Dec('1000')).toString(),
    });
    clock = new Date('2036-11-24T10:04:00.000Z');

    const api = recordBotApi();
    const cooldowns = createUserCooldownStore(runtime.doc, runtime.tables.sessions, () => clock);
    const bot = createBot(
      { portfolio: runtime.service, market: runtime.market, cooldowns, now: () => clock, dryRun: true },
      { token: '123:TEST', logger: createMemoryLogger() },
    );
    const okxBefore = balanceCalls();
    await bot.handleUpdate(callbackUpdate(`v1:refresh:${USER}`, USER));

    // New total = old total + 1,000 × that token's price (nothing else changed).
    const after = await runtime.service.getLiveView(String(USER));
    expect(toDecimal(after.totalValueUsd).minus(before).toString()).toBe(
      new Dec('1000').times(toDecimal(token.tokenPrice)).toString(),
    );
    expect(balanceCalls()).toBe(okxBefore + 1);
    expect(after.asOf).toBe('2036-11-24T10:04:00.000Z');
    const edited = api.calls.find((call) => call.method === 'editMessageText')!;
    expect(edited.payload.text).toContain('as of just now');

    // 30 s later: refused by the 60 s cooldown, with no OKX call at all.
    clock = new Date('2036-11-24T10:04:30.000Z');
    const total = sandbox.stats.totalRequests;
    await bot.handleUpdate(callbackUpdate(`v1:refresh:${USER}`, USER));
    expect(api.calls.at(-1)).toEqual({
      method: 'answerCallbackQuery',
      payload: { callback_query_id: expect.any(String), text: 'Just refreshed, try again in 30 s' },
    });
    expect(sandbox.stats.totalRequests).toBe(total);
  }, 60_000);

  it('data served from the slot cache keeps the time OKX answered: "as of" is 2 min ago, never "just now"', async () => {
    const address = sandbox.world.demoWallets().find((wallet) => wallet.name === 'degen')!.address;
    clock = new Date('2036-11-24T10:06:00.000Z');
    await runtime.service.addWallet(String(OTHER_USER), address);
    const okxBefore = balanceCalls();
    await runtime.service.syncBalances(String(OTHER_USER)); // the worker: the 10:04 Refresh answer is in the cache

    expect(balanceCalls()).toBe(okxBefore);
    expect((await runtime.service.getLiveView(String(OTHER_USER))).asOf).toBe('2036-11-24T10:04:00.000Z');
    const api = recordBotApi();
    const bot = createBot(
      { portfolio: runtime.service, market: runtime.market, now: () => clock, dryRun: true },
      { token: '123:TEST', logger: createMemoryLogger() },
    );
    await bot.handleUpdate({
      update_id: 9,
      message: {
        message_id: 3,
        date: 0,
        chat: { id: OTHER_USER, type: 'private', first_name: 'U' },
        from: { id: OTHER_USER, is_bot: false, first_name: 'U' },
        text: '/portfolio',
        entities: [{ type: 'bot_command', offset: 0, length: 10 }],
      },
    } as never);
    // 10:06:00 − 10:04:00 = 2 min.
    expect(api.calls[0]!.payload.text).toContain('as of 2 min ago');
  }, 60_000);
});
