import { randomUUID } from 'node:crypto';
import { createLocalLambdaContext } from './local-lambda-context';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createFanoutHandler, type FanoutSummary } from '../../functions/sync-fanout/handler';
import { createWorkerHandler, type WorkerStats } from '../../functions/sync-worker/handler';
import type { MessageSender, OutgoingMessage } from '../../shared/platform/queue/sqs-job-sender';
import { DEFAULTS, ENV, SYNC_MAX_RECEIVE_COUNT } from '../../shared/platform/config/env-names';
import { createApp, type App } from '../../shared/app/create-app';
import { logger as platformLogger, type Log } from '../../shared/platform/logger';
import type { NotificationOutbox } from '../../shared/notify/notification';
import { createNotifySenderHandler, type SenderStats } from '../../functions/notify-sender/handler';
import { createDigestHandler } from '../../functions/notify-digest/handler';
import type { DigestJobSummary } from '../../shared/notify/digest-job';
import { notifierOf } from '../../shared/app/notify-part';
import { trackingOf } from '../../shared/app/tracking-part';
import type { UserSyncPort } from '../../shared/sync/sync-balances';

type Env = Record<string, string | undefined>;

export interface LocalSyncLoopOptions {
  readonly env: Env;
  readonly intervalSeconds: number;
  /** The services' clock (the bench shifts it to slot boundaries). @default the system clock */
  readonly now?: () => Date;
  /** Records per worker invocation (infra `syncBatchSize`). @default 5 */
  readonly batchSize?: number;
  /** Concurrent worker invocations (infra `syncMaxConcurrency`). @default max(2, OKX_RATE_LIMIT_PER_SECOND) */
  readonly concurrency?: number;
  /** Worker timeout, as the fake context's remaining time. @default 120 s */
  readonly workerTimeoutMs?: number;
  /** Stand-in for the visibility timeout before a failed record is redelivered. @default 5 s */
  readonly redeliveryDelayMs?: number;
  /** Run one cycle right away instead of waiting a full interval. @default true */
  readonly runOnStart?: boolean;
  /** @default the platform logger, the worker's per-job lines at WARN and above only */
  readonly logger?: Log;
  /** Where the worker's alerts go (issue 14); without it alerts go to the in-process notification queue and the real sender. */
  readonly outbox?: NotificationOutbox;
  /**
   * Runs after each user's sync in the worker (the place of the alert evaluation, which puts notifications on
   * `app.notifications()`); tests pass a stub producer.
   */
  readonly afterSync?: (userId: string, app: App) => Promise<void>;
  /** Run the digest every hour on the hour. @default true */
  readonly digestEveryHour?: boolean;
}

export interface LocalCycleReport {
  readonly fanout: FanoutSummary;
  readonly worker: WorkerStats;
  /** What the notification sender did with the notifications of this cycle. */
  readonly notifications: SenderStats;
  readonly deadLetters: number;
  readonly elapsedMs: number;
}

export interface LocalSyncLoop {
  /** The composition root the fan-out and the worker share (its queue is the in-process one). */
  readonly app: App;
  /** One cycle: the fan-out handler, then waits until the in-process queue is drained. */
  runCycle(scheduledTime?: Date): Promise<LocalCycleReport>;
  readonly deadLetters: readonly SQSRecord[];
  /** The hourly digest run for the hour `at`, then waits until its notifications are sent. */
  runDigest(at: Date): Promise<DigestJobSummary>;
  /** The in-process notification queue (drained by the real sender handler). */
  readonly notifyQueue: InProcessQueue;
  stop(): Promise<void>;
}

export const MAX_RECEIVE_COUNT = SYNC_MAX_RECEIVE_COUNT;

/**
 * `npm start`'s stand-in for EventBridge Scheduler + SQS: a timer calls the real fan-out (its SQS
 * sender swapped for an in-process queue) and the queue feeds the real worker handler in batches, at
 * most `concurrency` at once, redelivering `batchItemFailures` up to five receives, then dead-letters.
 */
export async function startLocalSyncLoop(options: LocalSyncLoopOptions): Promise<LocalSyncLoop> {
  const log = options.logger ?? platformLogger;
  const rate = Number(options.env[ENV.okxRateLimitPerSecond] ?? DEFAULTS.okxRateLimitPerSecond);
  const queue = createInProcessQueue({
    invoke: (event, context) => worker(event, context),
    batchSize: options.batchSize ?? 5,
    concurrency: options.concurrency ?? Math.max(2, rate),
    workerTimeoutMs: options.workerTimeoutMs ?? 120_000,
    redeliveryDelayMs: options.redeliveryDelayMs ?? 5000,
  });
  const quiet = options.logger ?? platformLogger.createChild({ logLevel: 'WARN' });
  const notifyQueue = createInProcessQueue({
    invoke: (event, context) => sender(event, context),
    batchSize: 10,
    concurrency: 2,
    workerTimeoutMs: 60_000,
    redeliveryDelayMs: options.redeliveryDelayMs ?? 5000,
  });
  const app = createApp(options.env, {
    queue,
    notifyQueue,
    ...(options.now ? { now: options.now } : {}),
    ...(options.outbox ? { outbox: options.outbox } : {}),
  });
  const afterSync = options.afterSync;
  const portfolio = afterSync
    ? async (): Promise<UserSyncPort> => {
        const service = await app.portfolio();
        return {
          syncBalances: async (userId, syncOptions) => {
            const result = await service.syncBalances(userId, syncOptions);
            await afterSync(userId, app);
            return result;
          },
        };
      }
    : app.portfolio;
  // One line per job is Lambda's CloudWatch detail; locally the worker says only what went wrong.
  const worker = createWorkerHandler(
    { portfolio, stores: app.stores, alerts: app.alerts, tracking: () => trackingOf(app) },
    { logger: quiet },
  );
  const sender = createNotifySenderHandler(
    { notifier: () => notifierOf(app), notifyQueue: app.notifyQueue },
    { logger: quiet },
  );
  const digest = createDigestHandler(app, { logger: log });
  const fanout = createFanoutHandler(app, { cycleSeconds: options.intervalSeconds, logger: log });

  let running: Promise<void> | undefined;
  const runCycle = async (scheduledTime = new Date()): Promise<LocalCycleReport> => {
    const started = Date.now();
    const before = { ...worker.stats };
    const sentBefore = { ...sender.stats };
    const summary = await fanout(
      { scheduledTime: scheduledTime.toISOString(), source: 'esther.sync-schedule' },
      createLocalLambdaContext({ functionName: 'local-sync', timeoutMs: 60_000, memoryMb: 512 }),
    );
    await queue.drained();
    await notifyQueue.drained();
    const stats = Object.fromEntries(
      Object.entries(worker.stats).map(([key, value]) => [key, value - before[key as keyof WorkerStats]]),
    ) as unknown as WorkerStats;
    const notifications = Object.fromEntries(
      Object.entries(sender.stats).map(([key, value]) => [key, value - sentBefore[key as keyof SenderStats]]),
    ) as SenderStats;
    return {
      fanout: summary,
      worker: stats,
      notifications,
      deadLetters: queue.deadLetters.length,
      elapsedMs: Date.now() - started,
    };
  };
  const tick = () => {
    if (running) return;
    running = runCycle()
      .then((report) =>
        log.info('local sync cycle done', {
          enqueued: report.fanout.enqueued,
          ...report.worker,
          elapsedMs: report.elapsedMs,
        }),
      )
      .catch((error: unknown) =>
        log.error('local sync cycle failed', { error: (error as Error).name, detail: (error as Error).message }),
      )
      .finally(() => (running = undefined));
  };
  const timer = setInterval(tick, options.intervalSeconds * 1000);
  timer.unref();
  if (options.runOnStart ?? true) tick();

  const runDigest = async (at: Date) => {
    const summary = await digest({ scheduledTime: at.toISOString(), source: 'esther.digest-schedule' });
    await notifyQueue.drained();
    return summary;
  };
  // EventBridge Scheduler's cron(0 * * * ? *): every hour on the hour.
  let digestTimer: NodeJS.Timeout | undefined;
  const scheduleDigest = () => {
    const next = Math.ceil((Date.now() + 1) / 3_600_000) * 3_600_000;
    digestTimer = setTimeout(() => {
      runDigest(new Date(next)).catch((error: unknown) =>
        log.error('local digest run failed', { error: (error as Error).name, detail: (error as Error).message }),
      );
      scheduleDigest();
    }, next - Date.now());
    digestTimer.unref();
  };
  if (options.digestEveryHour ?? true) scheduleDigest();

  return {
    app,
    runCycle,
    runDigest,
    notifyQueue,
    deadLetters: queue.deadLetters,
    async stop() {
      clearInterval(timer);
      clearTimeout(digestTimer);
      notifyQueue.close();
      // Waits for the batches in flight only: a record waiting for redelivery would be retried against
      // engines that are about to stop. The next run's fan-out enqueues every due user again.
      queue.close();
      await running;
      await queue.drained();
      await notifyQueue.drained();
    },
  };
}

interface InProcessQueueOptions {
  readonly invoke: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
  readonly batchSize: number;
  readonly concurrency: number;
  readonly workerTimeoutMs: number;
  readonly redeliveryDelayMs: number;
}

export interface InProcessQueue extends MessageSender {
  /** Resolves when nothing is ready, in flight or waiting for redelivery. */
  drained(): Promise<void>;
  /** Stops delivering: ready and waiting records are dropped, batches in flight finish. */
  close(): void;
  readonly deadLetters: SQSRecord[];
}

/** A standard-queue look-alike: at-least-once, partial batch failures, receive counts, a dead-letter list. */
export function createInProcessQueue(options: InProcessQueueOptions): InProcessQueue {
  const ready: SQSRecord[] = [];
  const deadLetters: SQSRecord[] = [];
  const redeliveries = new Set<NodeJS.Timeout>();
  let busy = 0;
  let isClosed = false;
  const idle: (() => void)[] = [];

  const settle = () => {
    if (busy === 0 && redeliveries.size === 0 && ready.length === 0) for (const wake of idle.splice(0)) wake();
  };
  const redeliver = (record: SQSRecord) => {
    if (Number(record.attributes.ApproximateReceiveCount) >= MAX_RECEIVE_COUNT) return void deadLetters.push(record);
    if (isClosed) return;
    const timer = setTimeout(() => {
      redeliveries.delete(timer);
      ready.push(record);
      pump();
    }, options.redeliveryDelayMs);
    redeliveries.add(timer);
  };
  const pump = () => {
    while (!isClosed && busy < options.concurrency && ready.length > 0) {
      const batch = ready.splice(0, options.batchSize).map(receive);
      busy += 1;
      options
        .invoke(
          { Records: batch },
          createLocalLambdaContext({ functionName: 'local-sync', timeoutMs: options.workerTimeoutMs, memoryMb: 512 }),
        )
        .then((response) =>
          response.batchItemFailures.map((failure) =>
            batch.find((record) => record.messageId === failure.itemIdentifier)!,
          ),
        )
        // A crashed invocation fails the whole batch, as Lambda does.
        .catch(() => batch)
        .then((failed) => failed.forEach(redeliver))
        .finally(() => {
          busy -= 1;
          pump();
          settle();
        });
    }
    settle();
  };

  return {
    deadLetters,
    async send(messages: readonly OutgoingMessage[]) {
      if (isClosed)
        return {
          sent: 0,
          failed: messages.map((message) => ({ key: message.key, code: 'QueueClosed', senderFault: false })),
        };
      for (const message of messages) {
        // SQS DelaySeconds: the record becomes visible later (a notification put back after a 429).
        if (!message.delaySeconds) ready.push(toRecord(message));
        else {
          const timer = setTimeout(() => {
            redeliveries.delete(timer);
            ready.push(toRecord(message));
            pump();
          }, message.delaySeconds * 1000);
          redeliveries.add(timer);
        }
      }
      pump();
      return { sent: messages.length, failed: [] };
    },
    drained: () =>
      new Promise<void>((resolve) => {
        idle.push(resolve);
        settle();
      }),
    close() {
      isClosed = true;
      ready.length = 0;
      for (const timer of redeliveries) clearTimeout(timer);
      redeliveries.clear();
      settle();
    },
  };
}

function toRecord(message: OutgoingMessage): SQSRecord {
  const now = String(Date.now());
  return {
    messageId: randomUUID(),
    receiptHandle: randomUUID(),
    body: message.body,
    attributes: {
      ApproximateReceiveCount: '0',
      SentTimestamp: now,
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: now,
    },
    messageAttributes: {
      jobKey: { dataType: 'String', stringValue: message.key, stringListValues: [], binaryListValues: [] },
    },
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:local:000000000000:esther-sync',
    awsRegion: 'local',
  };
}

function receive(record: SQSRecord): SQSRecord {
  record.attributes.ApproximateReceiveCount = String(Number(record.attributes.ApproximateReceiveCount) + 1);
  return record;
}
