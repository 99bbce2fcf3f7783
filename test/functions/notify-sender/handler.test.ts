import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../../../dev-tools/fake-telegram/index';
import { createNotifySenderHandler } from '../../../functions/notify-sender/handler';
import { createApp } from '../../../shared/app/create-app';
import { notifierOf } from '../../../shared/app/notify-part';
import { keys } from '../../../shared/platform/dynamo/keys';
import type { Notification } from '../../../shared/notify/notification';
import { decodeNotificationMessage, encodeNotificationMessage } from '../../../shared/notify/notification-message';
import { createDueIndexStore, DUE_SHARD_NUMBERS, createPortfolioStore } from '../../../shared/wallets/portfolio-store';
import { createSnapshotStore } from '../../../shared/sync/snapshot-store';
import { createTestDynamo, type TestDynamo } from '../../support/dynamo';
import { createMemoryLogger } from '../../support/memory-logger';
import { createRecordingQueue } from '../sync-fanout/fanout-fixtures';
import { sqsEvent, sqsRecord, workerContext } from '../sync-worker/worker-fixtures';

let db: TestDynamo;
let telegram: FakeTelegram;
let queue: ReturnType<typeof createRecordingQueue>;
let handler: ReturnType<typeof createNotifySenderHandler>;
let log: ReturnType<typeof createMemoryLogger>;

const USER = '4242';

const notification = (id: string, overrides: Partial<Notification> = {}): Notification => ({
  id,
  userId: USER,
  chatId: USER,
  kind: 'alert',
  text: '<b>ETH</b> is 62 % of your portfolio',
  buttons: [[{ text: '🔄 Rebalance', callbackData: 'v1:rebal' }]],
  ...overrides,
});

const record = (messageId: string, body: Notification, retries = 0) =>
  sqsRecord(messageId, encodeNotificationMessage({ notification: body, retries }));

const sends = () => telegram.calls.filter((call) => call.method === 'sendMessage' || call.method === 'sendPhoto');

beforeAll(async () => {
  db = await createTestDynamo();
});

beforeEach(async () => {
  telegram = await startFakeTelegram();
  queue = createRecordingQueue();
  const app = createApp(
    {
      ...db.env,
      TELEGRAM_BOT_TOKEN: '100000:test-token',
      TELEGRAM_WEBHOOK_SECRET: 'secret',
      TELEGRAM_API_ROOT: telegram.apiRoot,
    },
    { notifyQueue: queue },
  );
  handler = createNotifySenderHandler(
    { notifier: () => notifierOf(app), notifyQueue: app.notifyQueue },
    { logger: (log = createMemoryLogger()) },
  );
});

afterEach(async () => {
  await telegram.stop();
});

afterAll(() => db.doc.destroy());

describe('notification sender', () => {
  it('sends the text as HTML to the owner’s chat with its buttons', async () => {
    const response = await handler(sqsEvent(record('m1', notification('a-1'))), workerContext());

    expect(response.batchItemFailures).toEqual([]);
    // The log names the notification, never its text.
    expect(log.entries()).toEqual([expect.objectContaining({ message: 'notification sent', id: 'a-1' })]);
    expect(JSON.stringify(log.lines)).not.toContain('62 %');
    expect(sends()).toEqual([
      {
        method: 'sendMessage',
        payload: {
          chat_id: USER,
          text: '<b>ETH</b> is 62 % of your portfolio',
          parse_mode: 'HTML',
          reply_markup: { inline_keyboard: [[{ text: '🔄 Rebalance', callback_data: 'v1:rebal' }]] },
        },
      },
    ]);
  });

  it('sends a notification at most once per id, whatever the redeliveries', async () => {
    await handler(sqsEvent(record('m1', notification('a-2')), record('m2', notification('a-2'))), workerContext());
    await handler(sqsEvent(record('m3', notification('a-2'))), workerContext());

    expect(sends()).toHaveLength(1);
    expect(handler.stats.duplicate).toBe(2);
  });

  it('waits out a short retry_after and sends once Telegram allows it', async () => {
    telegram.failNext('sendMessage', {
      error_code: 429,
      description: 'Too Many Requests: retry after 1',
      parameters: { retry_after: 1 },
    });

    const response = await handler(sqsEvent(record('m1', notification('a-3'))), workerContext());

    const [refused, accepted] = sends();
    expect(response.batchItemFailures).toEqual([]);
    expect(sends()).toHaveLength(2);
    expect(telegram.arrivalOf(accepted!) - telegram.arrivalOf(refused!)).toBeGreaterThanOrEqual(1000);
    expect(queue.sent).toEqual([]);
  });

  it('puts a notification back with the delay of a long retry_after, and the next delivery sends it', async () => {
    telegram.failNext('sendMessage', {
      error_code: 429,
      description: 'Too Many Requests: retry after 40',
      parameters: { retry_after: 40 },
    });

    await handler(sqsEvent(record('m1', notification('a-4'))), workerContext());

    expect(queue.sent).toHaveLength(1);
    expect(queue.sent[0]!.delaySeconds).toBe(40);
    const back = decodeNotificationMessage(queue.sent[0]!.body);
    expect(back).toEqual({ notification: notification('a-4'), retries: 1 });
    expect(telegram.refusals.rateLimited).toBe(1);

    // The pause holds every sender for 40 s; this test's next delivery pretends that time has passed.
    await clearPause();
    await handler(sqsEvent(sqsRecord('m2', queue.sent[0]!.body)), workerContext());
    expect(sends().map((call) => call.method)).toEqual(['sendMessage', 'sendMessage']);
    expect(handler.stats.sent).toBe(1);
  });

  it('marks the user inactive on 403, takes them out of the due index and sends nothing more', async () => {
    const portfolios = createPortfolioStore(db.doc, db.tables.portfolios);
    await portfolios.addWallet(
      {
        userId: USER,
        walletId: 'w1',
        address: '0xaaa',
        family: 'evm',
        chains: ['1'],
        addedAt: '2026-12-01T00:00:00.000Z',
      },
      10,
      USER,
    );
    telegram.blockChat(USER);

    const response = await handler(sqsEvent(record('m1', notification('a-5'))), workerContext());

    expect(response.batchItemFailures).toEqual([]);
    expect(telegram.refusals.blocked).toBe(1);
    const { Item } = await db.doc.send(new GetCommand({ TableName: db.tables.portfolios, Key: keys.user(USER) }));
    expect(Item?.inactiveSince).toEqual(expect.any(String));
    expect(Item?.gsi1pk).toBeUndefined();
    const due = createDueIndexStore(db.doc, db.tables.portfolios);
    const pages = await Promise.all(DUE_SHARD_NUMBERS.map((shard) => due.listDueUsers(shard, { limit: 10 })));
    expect(pages.flatMap((page) => page.users).map((user) => user.userId)).not.toContain(USER);
    // The same notification delivered again is not sent to the blocked chat a second time.
    await handler(sqsEvent(record('m2', notification('a-5'))), workerContext());
    expect(telegram.refusals.blocked).toBe(1);
  });

  it('sends the value chart as a photo before the text, drawn at delivery', async () => {
    const snapshots = createSnapshotStore(db.doc, db.tables.snapshots);
    for (const [slot, value] of [
      ['2026-12-02T10:00:00.000Z', '1000'],
      ['2026-12-02T16:00:00.000Z', '1100'],
    ] as const)
      await snapshots.putSnapshot(USER, {
        slot,
        takenAt: slot,
        totalValueUsd: value,
        positions: [{ assetId: 'w1/1:', quantity: '1', priceUsd: value }],
        incomplete: false,
      });

    await handler(
      sqsEvent(record('m1', notification('d-1', { kind: 'digest', chart: { window: '7d' } }))),
      workerContext(),
    );

    expect(sends().map((call) => call.method)).toEqual(['sendPhoto', 'sendMessage']);
    const photo = sends()[0]!.payload.photo as { filename: string; size: number };
    expect(photo.filename).toBe('value.png');
    expect(photo.size).toBeGreaterThan(1000);
    // One chat, two messages: a second apart (sent 1,000 ms apart; the upload's arrival varies by a few ms).
    expect(telegram.arrivalOf(sends()[1]!) - telegram.arrivalOf(sends()[0]!)).toBeGreaterThanOrEqual(950);
  });

  it('fails a record that is not a notification, and one addressed to another chat', async () => {
    const response = await handler(
      sqsEvent(
        sqsRecord('bad-json', '{'),
        record('other-chat', notification('a-6', { chatId: '-100123' })),
        record('ok', notification('a-7')),
      ),
      workerContext(),
    );

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'bad-json' }, { itemIdentifier: 'other-chat' }]);
    expect(sends()).toHaveLength(1);
  });

  it('drops a notification Telegram refuses for good, and never sends it again', async () => {
    telegram.failNext('sendMessage', { error_code: 400, description: 'Bad Request: chat not found' });

    await handler(sqsEvent(record('m1', notification('a-8'))), workerContext());
    await handler(sqsEvent(record('m2', notification('a-8'))), workerContext());

    expect(sends()).toHaveLength(1);
    expect(handler.stats.dropped).toBe(1);
  });

  it('sends HTML that does not parse once more as plain text', async () => {
    telegram.failNext('sendMessage', { error_code: 400, description: "Bad Request: can't parse entities" });

    await handler(sqsEvent(record('m1', notification('a-9'))), workerContext());

    expect(sends().map((call) => call.payload.text)).toEqual([
      '<b>ETH</b> is 62 % of your portfolio',
      'ETH is 62 % of your portfolio',
    ]);
    expect(sends()[1]!.payload.parse_mode).toBeUndefined();
  });

  it('puts a notification back after a Telegram 5xx', async () => {
    telegram.failNext('sendMessage', { error_code: 502, description: 'Bad Gateway' });

    await handler(sqsEvent(record('m1', notification('a-10'))), workerContext());

    expect(queue.sent.map((message) => message.delaySeconds)).toEqual([5]);
  });
});

/** Ends a 429 pause early (the pacer item's next free time set to now). */
async function clearPause(): Promise<void> {
  const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
  await db.doc.send(
    new UpdateCommand({
      TableName: db.tables.sessions,
      Key: keys.ratePace('telegram'),
      UpdateExpression: 'SET #next = :now',
      ExpressionAttributeNames: { '#next': 'next' },
      ExpressionAttributeValues: { ':now': Date.now() },
    }),
  );
}
