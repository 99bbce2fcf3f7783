import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../../dev-tools/fake-telegram/index';
import { startLocalSyncLoop, type LocalSyncLoop } from '../../dev-tools/local/sync-loop';
import { okxEnvOf, startOkxSandbox, type OkxSandbox } from '../../dev-tools/okx-sandbox/index';
import { botOf } from '../../functions/telegram-webhook/handler';
import { createTestDynamo } from '../support/dynamo';
import { createMemoryLogger } from '../support/memory-logger';
import { commandUpdate } from '../shared/bot/bot-harness';

/**
 * The real pipeline on one machine: fan-out → in-process sync queue → worker (OKX sandbox, DynamoDB Local) → the
 * alert evaluation after each sync → notification queue → sender → fake Bot API. On the first cycle both demo
 * wallets hold more than half their value in one asset, so each user gets one alert message; later cycles repeat
 * nothing (hysteresis). A stub producer (one notification per user and cycle) drives the delivery cases.
 */
const ANN = 4242;
const BEN = 4343;

let sandbox: OkxSandbox;
let telegram: FakeTelegram;
let loop: LocalSyncLoop;
/** Whether the stub producer runs after each sync (the delivery cases), beside the real alert evaluation. */
let stub = false;
/** A cycle starts now: every user synced by the previous one is due again. */
const cycleStart = () => new Date();

const alertsTo = (chatId: number) =>
  telegram.calls.filter(
    (call) =>
      call.method === 'sendMessage' &&
      String(call.payload.chat_id) === String(chatId) &&
      call.payload.text === 'stub alert',
  );

beforeAll(async () => {
  sandbox = await startOkxSandbox({ seed: 14, rateLimitPerSecond: 1000 });
  telegram = await startFakeTelegram();
  const db = await createTestDynamo();
  let produced = 0;

  loop = await startLocalSyncLoop({
    env: {
      ...db.env,
      ...okxEnvOf(sandbox),
      OKX_RATE_LIMIT_PER_SECOND: '200',
      DRY_RUN_MODE: 'true',
      TELEGRAM_BOT_TOKEN: '100000:pipeline',
      TELEGRAM_WEBHOOK_SECRET: 'secret',
      TELEGRAM_API_ROOT: telegram.apiRoot,
    },
    intervalSeconds: 600,
    runOnStart: false,
    digestEveryHour: false,
    redeliveryDelayMs: 10,
    logger: createMemoryLogger(),
    afterSync: async (userId, app) => {
      if (!stub) return;
      produced += 1;
      const outbox = await app.notifications();
      await outbox.send([
        { id: `stub#${userId}#${produced}`, userId, chatId: userId, kind: 'alert', text: 'stub alert' },
      ]);
    },
  });
  const service = await loop.app.portfolio();
  const [whale, degen] = sandbox.world.demoWallets();
  await service.addWallet(String(ANN), whale!.address);
  await service.addWallet(String(BEN), degen!.address);
}, 60_000);

afterAll(async () => {
  await loop.stop();
  await telegram.stop();
  await sandbox.stop();
});

describe('notification pipeline: fan-out → worker → notify queue → sender → Bot API', () => {
  it('alerts from the real evaluation: one message per user with alerts, and the next cycle repeats nothing', async () => {
    const first = await loop.runCycle(cycleStart());

    expect(first.worker.synced).toBe(2);
    expect(first.notifications).toMatchObject({ sent: 1, messages: 1 });
    const [message] = telegram.calls.filter((call) => call.method === 'sendMessage');
    // The degen wallet: one asset and one chain over their thresholds and two chains short of gas, in one message.
    expect(String(message!.payload.chat_id)).toBe(String(BEN));
    const lines = String(message!.payload.text).split('\n');
    expect(lines[0]).toBe('🔔 <b>4 alerts</b>');
    expect(lines.slice(1).map((line) => line.split(' ')[1])).toEqual(['🎯', '⛓', '⛽', '⛽']);

    const second = await loop.runCycle(cycleStart());
    expect(second.worker.synced).toBe(2);
    expect(second.notifications).toMatchObject({ sent: 0, messages: 0 });
    stub = true;
  }, 60_000);

  it('delivers what the worker produced, retrying a 429 after its retry_after', async () => {
    telegram.failNext('sendMessage', {
      error_code: 429,
      description: 'Too Many Requests: retry after 1',
      parameters: { retry_after: 1 },
    });

    const report = await loop.runCycle(cycleStart());

    expect(report.fanout.enqueued).toBe(2);
    expect(report.worker.synced).toBe(2);
    expect(report.notifications).toMatchObject({ sent: 2, messages: 2 });
    // Three requests: one refused with 429, then both delivered.
    expect(telegram.refusals.rateLimited).toBe(1);
    expect(alertsTo(ANN).length + alertsTo(BEN).length).toBe(3);
    expect(alertsTo(ANN).length).toBeGreaterThanOrEqual(1);
    expect(alertsTo(BEN).length).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('marks a user who blocked the bot inactive; the next cycle does not sync them; a message reactivates them', async () => {
    const annBefore = alertsTo(ANN).length;
    telegram.blockChat(ANN);
    const blockedCycle = await loop.runCycle(cycleStart());
    expect(blockedCycle.notifications).toMatchObject({ sent: 1, blocked: 1 });

    const without = await loop.runCycle(cycleStart());
    expect(without.fanout.enqueued).toBe(1);
    expect(without.worker.synced).toBe(1);
    // The refused attempt of the blocked cycle is Ann's only request since.
    expect(alertsTo(ANN)).toHaveLength(annBefore + 1);

    // Ann unblocks the bot and writes to it.
    telegram.unblockChat(ANN);
    const bot = await botOf(loop.app);
    await bot.handleUpdate(commandUpdate('/help', ANN, ANN));

    const back = await loop.runCycle(cycleStart());
    expect(back.fanout.enqueued).toBe(2);
    expect(back.notifications).toMatchObject({ sent: 2 });
    expect(alertsTo(ANN)).toHaveLength(annBefore + 2);
  }, 90_000);
});
