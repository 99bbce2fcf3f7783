import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../../../dev-tools/fake-telegram/index';
import { createDigestHandler } from '../../../functions/notify-digest/handler';
import { createNotifySenderHandler } from '../../../functions/notify-sender/handler';
import { createApp, type App } from '../../../shared/app/create-app';
import { notifierOf } from '../../../shared/app/notify-part';
import type { Stores } from '../../../shared/app/stores';
import { decodeNotificationMessage } from '../../../shared/notify/notification-message';
import { createTestDynamo, type TestDynamo } from '../../support/dynamo';
import { createMemoryLogger } from '../../support/memory-logger';
import { createRecordingQueue } from '../sync-fanout/fanout-fixtures';
import { sqsEvent, sqsRecord, workerContext } from '../sync-worker/worker-fixtures';

const USER = '4242';
const ETH = '1:';
const USDC = '1:0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48';

let db: TestDynamo;
let telegram: FakeTelegram;
let queue: ReturnType<typeof createRecordingQueue>;
let app: App;
let stores: Stores;
let run: ReturnType<typeof createDigestHandler>;

const point = (slot: string, ethQuantity: string, ethPrice: string) => ({
  slot,
  takenAt: slot,
  totalValueUsd: String(Number(ethQuantity) * Number(ethPrice) + 1000),
  positions: [
    { assetId: `w1/${ETH}`, quantity: ethQuantity, priceUsd: ethPrice },
    { assetId: `w1/${USDC}`, quantity: '1000', priceUsd: '1' },
  ],
  incomplete: false,
  walletIds: ['w1'],
});

const queued = () => queue.sent.map((message) => decodeNotificationMessage(message.body).notification);

beforeEach(async () => {
  // Each test its own tables: a digest left in the index by one test would be due in the next one's hour.
  db = await createTestDynamo();
  telegram = await startFakeTelegram();
  queue = createRecordingQueue();
  const env = {
    ...db.env,
    TELEGRAM_BOT_TOKEN: '100000:t',
    TELEGRAM_WEBHOOK_SECRET: 's',
    TELEGRAM_API_ROOT: telegram.apiRoot,
  };
  app = createApp(env, { notifyQueue: queue });
  stores = await app.stores();
  run = createDigestHandler(app, { logger: createMemoryLogger() });
});

afterEach(async () => {
  await telegram.stop();
  db.doc.destroy();
});

describe('digest run', () => {
  it('arrives at 09:00 Berlin on both sides of the spring change, with the change since the last digest and its chart', async () => {
    const user = `${USER}`;
    await stores.settings.setTimeZone(user, 'Europe/Berlin', '2026-03-27T12:00:00.000Z');
    await stores.digests.set(user, { mode: 'daily', hour: 9 }, 'Europe/Berlin', new Date('2026-03-27T12:00:00.000Z'));
    // 24 h before the first digest: 2 ETH @ 3,000 + 1,000 USDC = 7,000; just before it: 2.5 ETH @ 3,100 = 8,750.
    await stores.snapshots.putSnapshot(user, point('2026-03-27T08:00:00.000Z', '2', '3000'));
    await stores.snapshots.putSnapshot(user, point('2026-03-28T07:50:00.000Z', '2.5', '3100'));

    // 07:00 UTC is 08:00 in Berlin (CET): not yet.
    expect((await run({ scheduledTime: '2026-03-28T07:00:00.000Z' })).due).toBe(0);
    const first = await run({ scheduledTime: '2026-03-28T08:00:00.000Z' });

    expect(first).toEqual({ due: 1, enqueued: 1, skippedInactive: 0, retimed: 0 });
    const [digest] = queued();
    expect(digest).toEqual({
      id: `digest#${user}#2026-03-28`,
      userId: user,
      chatId: user,
      kind: 'digest',
      text: [
        '🗞 <b>Daily digest</b> · 2026-03-28',
        '',
        '💼 Value: <b>$8,750.00</b>',
        'Since the last digest: <b>+$1,750.00</b>',
        '  Markets: +$200.00 (+2.86 %)',
        '  Deposits and withdrawals: +$1,550.00',
        '',
        '<b>Top movers</b>',
        '  ETH +$200.00',
        '',
        '🔔 Active alerts: none',
      ].join('\n'),
      buttons: [[{ text: '📈 Report', callbackData: 'v1:report' }]],
      chart: { window: '24h' },
    });
    // A repeated tick finds nothing due; the next digest is 09:00 CEST on Sunday = 07:00 UTC.
    expect((await run({ scheduledTime: '2026-03-28T08:00:00.000Z' })).due).toBe(0);
    expect((await stores.digests.get(user)).nextDueAt).toBe('2026-03-29T07:00:00.000Z');

    // ETH falls to 3,000 before Sunday's digest: 2.5 × −100 = −250 since the last one (8,750), −2.86 %.
    await stores.snapshots.putSnapshot(user, point('2026-03-29T06:50:00.000Z', '2.5', '3000'));
    expect((await run({ scheduledTime: '2026-03-29T07:00:00.000Z' })).enqueued).toBe(1);
    const second = queued()[1]!;
    expect(second.id).toBe(`digest#${user}#2026-03-29`);
    expect(second.text).toContain('Since the last digest: <b>−$250.00</b>\n  Markets: −$250.00 (−2.86 %)');

    // Delivered by the sender: the chart first, then the text with its button.
    const sender = createNotifySenderHandler(
      { notifier: () => notifierOf(app), notifyQueue: app.notifyQueue },
      { logger: createMemoryLogger() },
    );
    await sender(sqsEvent(sqsRecord('m1', queue.sent[0]!.body)), workerContext());
    expect(telegram.calls.map((call) => call.method)).toEqual(['sendPhoto', 'sendMessage']);
    expect(telegram.calls[1]!.payload.text).toBe(digest!.text);
  });

  it('skips an inactive user and keeps their next digest on time', async () => {
    const user = '5151';
    await stores.portfolios.addWallet(
      {
        userId: user,
        walletId: 'w1',
        address: '0xbbb',
        family: 'evm',
        chains: ['1'],
        addedAt: '2026-12-01T00:00:00.000Z',
      },
      10,
      user,
    );
    await stores.digests.set(
      user,
      { mode: 'weekly', weekday: 4, hour: 18 },
      undefined,
      new Date('2026-12-01T00:00:00.000Z'),
    );
    await stores.activity.markInactive(user, '2026-12-02T00:00:00.000Z');

    const summary = await run({ scheduledTime: '2026-12-03T18:00:00.000Z' });

    expect(summary).toEqual({ due: 1, enqueued: 0, skippedInactive: 1, retimed: 0 });
    expect(queue.sent).toEqual([]);
    expect((await stores.digests.get(user)).nextDueAt).toBe('2026-12-10T18:00:00.000Z');
  });

  it('re-times a digest whose user changed time zone, without a digest at the old hour', async () => {
    const user = '6161';
    await stores.digests.set(user, { mode: 'daily', hour: 9 }, undefined, new Date('2026-12-03T00:00:00.000Z'));
    // Now in Tokyo (UTC+9): 09:00 there is 00:00 UTC, so 09:00 UTC (18:00 in Tokyo) is not the hour.
    await stores.settings.setTimeZone(user, 'Asia/Tokyo', '2026-12-03T01:00:00.000Z');

    const summary = await run({ scheduledTime: '2026-12-03T09:00:00.000Z' });

    expect(summary).toEqual({ due: 1, enqueued: 0, skippedInactive: 0, retimed: 1 });
    expect((await stores.digests.get(user)).nextDueAt).toBe('2026-12-04T00:00:00.000Z');
  });

  it('lists the open alert episodes, oldest first, and leaves out a muted one', async () => {
    const user = '7171';
    await stores.digests.set(user, { mode: 'daily', hour: 9 }, undefined, new Date('2026-12-03T00:00:00.000Z'));
    await stores.snapshots.putSnapshot(user, point('2026-12-03T08:50:00.000Z', '2', '3000'));
    const episode = (rule: 'asset' | 'chain', subject: string, start: string, value: string) => ({
      rule,
      subject,
      episodeStart: start,
      status: 'sent' as const,
      value,
      detail: { label: subject === '1' ? 'Ethereum' : 'ETH', chains: ['1'] },
    });
    await stores.alerts.startEpisode(user, episode('chain', '1', '2026-12-02T10:00:00.000Z', '71.4'), 'x');
    await stores.alerts.startEpisode(user, episode('asset', 'ETH', '2026-12-01T10:00:00.000Z', '85.71'), 'x');
    await stores.alerts.startEpisode(
      user,
      { ...episode('asset', 'BNB', '2026-12-02T11:00:00.000Z', '60'), status: 'muted' },
      'x',
    );

    expect((await run({ scheduledTime: '2026-12-03T09:00:00.000Z' })).enqueued).toBe(1);

    expect(queued()[0]!.text).toContain(
      [
        '🔔 <b>Active alerts</b>',
        '  🎯 <b>ETH</b> is 85.7 % of your portfolio on Ethereum',
        '  ⛓ <b>Ethereum</b> holds 71.4 % of your portfolio',
      ].join('\n'),
    );
  });

  it('refuses an event without a time', async () => {
    await expect(run({ scheduledTime: 'soon' })).rejects.toThrow('digest event without a valid scheduledTime');
  });
});
