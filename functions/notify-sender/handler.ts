import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createApp } from '../../shared/app/create-app';
import { notifierOf } from '../../shared/app/notify-part';
import { logger as platformLogger, type Log } from '../../shared/platform/logger';
import { METRIC, metrics as platformMetrics, type MetricsSink } from '../../shared/platform/metrics';
import type { MessageSender } from '../../shared/platform/queue/sqs-job-sender';
import { tracingMiddleware } from '../../shared/platform/tracing';
import { decodeNotificationMessage, encodeNotificationMessage } from '../../shared/notify/notification-message';
import { deliverNotification, type DeliveryOutcome, type SenderDeps } from '../../shared/notify/notification-sender';

/** What the sender takes from the app: its delivery parts, and the notification queue to put a message back on. */
export interface NotifySenderParts {
  notifier(): Promise<Omit<SenderDeps, 'logger'>>;
  notifyQueue(): Promise<MessageSender>;
}

export interface NotifySenderOptions {
  readonly logger?: Log;
  readonly metrics?: MetricsSink;
  /** Put back on the queue at most this often (429s and 5xx), then the notification is given up. @default 10 */
  readonly maxRetries?: number;
  readonly sleep?: SenderDeps['sleep'];
}

export type SenderStats = Record<DeliveryOutcome['kind'] | 'requeued' | 'failed' | 'messages', number>;

/** SQS allows a message delay of at most 15 minutes. */
export const MAX_DELAY_SECONDS = 900;

/**
 * SQS notifications -> Telegram, records in parallel (Powertools Batch): each within the bot's and its chat's
 * pacers, at most once per id. A 429 or 5xx puts the message back with the delay Telegram asked for (a new
 * message, so the redrive count is kept for real failures); a record that throws (a poison body, DynamoDB down)
 * is a batch item failure and SQS redelivers it, then dead-letters it.
 */
export function createNotifySenderHandler(parts: NotifySenderParts, options: NotifySenderOptions = {}) {
  const logger = options.logger ?? platformLogger;
  const metrics = options.metrics ?? platformMetrics;
  const maxRetries = options.maxRetries ?? 10;
  const stats: SenderStats = {
    sent: 0,
    duplicate: 0,
    blocked: 0,
    dropped: 0,
    'retry-later': 0,
    'in-doubt': 0,
    requeued: 0,
    failed: 0,
    messages: 0,
  };

  const handle = async (
    event: SQSEvent,
    context: Pick<Context, 'getRemainingTimeInMillis'>,
  ): Promise<SQSBatchResponse> => {
    const [notifier, queue] = await Promise.all([parts.notifier(), parts.notifyQueue()]);
    const deps: SenderDeps = { ...notifier, logger, ...(options.sleep ? { sleep: options.sleep } : {}) };

    const deliverRecord = async (record: SQSRecord) => {
      try {
        const { notification, retries } = decodeNotificationMessage(record.body);
        const outcome = await deliverNotification(deps, notification, () => context.getRemainingTimeInMillis());
        stats[outcome.kind] += 1;
        // Ids, kinds and outcomes only: never the text.
        const fields = { id: notification.id, notificationKind: notification.kind, retries, ...outcome };
        if (outcome.kind === 'sent') {
          stats.messages += outcome.messages;
          metrics.addMetric(METRIC.notificationMessagesSent, MetricUnit.Count, outcome.messages);
          return logger.info('notification sent', fields);
        }
        if (outcome.kind === 'blocked') {
          metrics.addMetric(METRIC.notificationBlocked, MetricUnit.Count, 1);
          return logger.info('notification chat blocked the bot; user marked inactive', fields);
        }
        if (outcome.kind === 'retry-later') {
          if (outcome.reason === 'telegram-429') metrics.addMetric(METRIC.notificationRateLimited, MetricUnit.Count, 1);
          if (retries >= maxRetries) {
            metrics.addMetric(METRIC.notificationsLost, MetricUnit.Count, 1);
            return logger.error('notification given up after its retries', fields);
          }
          const report = await queue.send([
            {
              key: notification.id,
              body: encodeNotificationMessage({ notification, retries: retries + 1 }),
              delaySeconds: Math.min(MAX_DELAY_SECONDS, outcome.delaySeconds),
            },
          ]);
          if (report.failed.length > 0) throw new Error(`notification not put back (${report.failed[0]!.code})`);
          stats.requeued += 1;
          return logger.warn('notification put back on the queue', fields);
        }
        if (outcome.kind === 'duplicate') return logger.info('notification already handled', fields);
        metrics.addMetric(METRIC.notificationsLost, MetricUnit.Count, 1);
        logger.error('notification not delivered', fields);
      } catch (error) {
        stats.failed += 1;
        logger.error('notification record failed', {
          messageId: record.messageId,
          error: (error as Error).name,
          detail: (error as Error).message,
        });
        throw error;
      }
    };

    return processPartialResponse(event, deliverRecord, new BatchProcessor(EventType.SQS), {
      processInParallel: true,
      throwOnFullBatchFailure: false,
    });
  };
  return Object.assign(handle, { stats });
}

const app = createApp(process.env);

/** The Lambda (SQS event source with ReportBatchItemFailures). */
export const handler = middy(
  createNotifySenderHandler({ notifier: () => notifierOf(app), notifyQueue: app.notifyQueue }),
)
  .use(injectLambdaContext(platformLogger, { resetKeys: true, logEvent: false }))
  .use(logMetrics(platformMetrics))
  .use(await tracingMiddleware(process.env));
