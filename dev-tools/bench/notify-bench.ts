import { startDynamoLocal } from '../dynamodb-local';
import { startFakeTelegram } from '../fake-telegram/index';
import { createInProcessQueue } from '../local/sync-loop';
import { createNotifySenderHandler } from '../../functions/notify-sender/handler';
import { createApp } from '../../shared/app/create-app';
import { notifierOf } from '../../shared/app/notify-part';
import { tableEnv } from '../../shared/platform/dynamo/table-definitions';
import { createQueueNotificationOutbox } from '../../shared/notify/notification-outbox';
import type { Notification } from '../../shared/notify/notification';
import { logger } from '../../shared/platform/logger';
import { createLocalTables } from './bench-setup';

/**
 * `npm run bench:notify`: the notification sender's throughput against the fake Bot API enforcing Telegram's
 * limits (30 messages in any rolling second for the bot, a burst of 3 then one a second per chat), with the real
 * pacers and delivery records in DynamoDB Local and the in-process queue feeding the real handler in batches of
 * 10 with 4 senders at once (infra's default). `--notifications=N --chats=M --rate=R --concurrency=C`.
 */
async function main(): Promise<void> {
  const args = Object.fromEntries(
    process.argv
      .slice(2)
      .map((arg) => /^--([\w-]+)=(\d+)$/.exec(arg))
      .filter((match) => match !== null)
      .map((match) => [match[1]!, Number(match[2])]),
  );
  const count = args.notifications ?? 500;
  const chats = args.chats ?? 250;
  const rate = args.rate ?? 25;
  const concurrency = args.concurrency ?? 4;

  const dynamo = await startDynamoLocal();
  const telegram = await startFakeTelegram({ limits: { perSecond: 30, chatBurst: 3, chatPerSecond: 1 } });
  try {
    const tables = await createLocalTables(dynamo.endpoint, `bench${Date.now() % 100_000}`);
    const queue = createInProcessQueue({
      invoke: (event, context) => sender(event, context),
      batchSize: 10,
      concurrency,
      workerTimeoutMs: 60_000,
      redeliveryDelayMs: 1000,
    });
    const app = createApp(
      {
        DYNAMODB_ENDPOINT: dynamo.endpoint,
        ...tableEnv(tables),
        TELEGRAM_BOT_TOKEN: '100000:bench',
        TELEGRAM_WEBHOOK_SECRET: 'bench',
        TELEGRAM_API_ROOT: telegram.apiRoot,
        TELEGRAM_SEND_RATE_PER_SECOND: String(rate),
      },
      { notifyQueue: queue },
    );
    const sender = createNotifySenderHandler(
      { notifier: () => notifierOf(app), notifyQueue: app.notifyQueue },
      { logger: logger.createChild({ logLevel: 'WARN' }), metrics: { addMetric: () => undefined } },
    );
    // Warm the parts (telegraf client, stores) so the measurement is the sending.
    await notifierOf(app);
    const notifications: Notification[] = Array.from({ length: count }, (_, index) => {
      const chat = String(1_000_000 + (index % chats));
      return { id: `bench#${index}`, userId: chat, chatId: chat, kind: 'alert', text: `Bench alert <b>${index}</b>` };
    });

    const started = Date.now();
    await createQueueNotificationOutbox(queue).send(notifications);
    await queue.drained();
    const sends = telegram.calls.filter((call) => call.method === 'sendMessage');
    const times = sends.map((call) => telegram.arrivalOf(call)).sort((a, b) => a - b);
    const seconds = (times.at(-1)! - times[0]!) / 1000;
    const delivered = sends.length - telegram.refusals.rateLimited;
    console.log(
      JSON.stringify(
        {
          notifications: count,
          chats,
          rateSetting: rate,
          senders: concurrency,
          delivered,
          telegram429: telegram.refusals.rateLimited,
          requeued: sender.stats.requeued,
          duplicates: sender.stats.duplicate,
          firstToLastSendSeconds: Number(seconds.toFixed(2)),
          messagesPerSecond: Number(((delivered - 1) / seconds).toFixed(2)),
          wallClockSeconds: Number(((Date.now() - started) / 1000).toFixed(2)),
          maxInAnyRollingSecond: maxInWindow(times, 1000),
        },
        null,
        2,
      ),
    );
  } finally {
    await telegram.stop();
    await dynamo.stop();
  }
}

/** The most sends that arrived within any window of `ms` milliseconds. */
function maxInWindow(times: readonly number[], ms: number): number {
  let best = 0;
  for (let start = 0, end = 0; end < times.length; end += 1) {
    while (times[end]! - times[start]! >= ms) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

main().catch((error: unknown) => {
  console.error(`[bench:notify] failed: ${(error as Error).message}`);
  process.exit(1);
});
