import { createSqsSender, type MessageSender, type SqsSenderOptions } from '../platform/queue/sqs-job-sender';
import type { Notification, NotificationOutbox } from './notification';
import { encodeNotificationMessage } from './notification-message';

/** Notifications the queue refused after its retries: the producer's invocation fails (alarm) or is retried. */
export class NotificationEnqueueError extends Error {
  constructor(readonly ids: readonly string[]) {
    super(`${ids.length} notification(s) could not be enqueued`);
    this.name = 'NotificationEnqueueError';
  }
}

/**
 * The outbox over a queue sender: the SQS sender (`createSqsSender` on NOTIFY_QUEUE_URL) in AWS, the local
 * loop's in-process queue on `npm start` and in tests. The message key is the notification id.
 */
export function createQueueNotificationOutbox(queue: MessageSender): NotificationOutbox {
  return {
    async send(notifications: readonly Notification[]) {
      if (notifications.length === 0) return;
      const report = await queue.send(
        notifications.map((notification) => ({
          key: notification.id,
          body: encodeNotificationMessage({ notification, retries: 0 }),
        })),
      );
      if (report.failed.length > 0) throw new NotificationEnqueueError(report.failed.map((failure) => failure.key));
    },
  };
}

/** The outbox in AWS: SendMessageBatch on the notification queue (NOTIFY_QUEUE_URL). */
export function createSqsNotificationOutbox(options: SqsSenderOptions): NotificationOutbox {
  return createQueueNotificationOutbox(createSqsSender(options));
}
