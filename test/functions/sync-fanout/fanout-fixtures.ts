import type { Context, ScheduledEvent } from 'aws-lambda';
import { createLocalLambdaContext } from '../../../dev-tools/local/local-lambda-context';
import type { MessageSender, OutgoingMessage, SendReport } from '../../../shared/platform/queue/sqs-job-sender';

/** The Scheduler target input from infra/constructs/sync-pipeline.ts, with `<aws.scheduler.scheduled-time>` filled in. */
export const schedulerEvent = (scheduledTime: string) => ({ scheduledTime, source: 'esther.sync-schedule' });

/** An EventBridge rule event, for callers that still use the ScheduledEvent shape. */
export const ruleEvent = (time: string): ScheduledEvent => ({
  version: '0',
  id: 'c8a1f9a2-1111-2222-3333-444455556666',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time,
  region: 'eu-central-1',
  resources: ['arn:aws:events:eu-central-1:123456789012:rule/esther-sync'],
  detail: {},
});

/** A Lambda context whose remaining time counts down from `remainingMs` in real time. */
export function lambdaContext(remainingMs = 60_000): Context {
  return createLocalLambdaContext({
    functionName: 'EstherPortfolio-SyncFanout',
    timeoutMs: remainingMs,
    memoryMb: 256,
  });
}

/** A queue that records what it was sent; `refuse` makes it report those keys as failed. */
export function createRecordingQueue(
  refuse: (message: OutgoingMessage) => boolean = () => false,
): MessageSender & { sent: OutgoingMessage[]; calls: number } {
  const queue = {
    sent: [] as OutgoingMessage[],
    calls: 0,
    async send(messages: readonly OutgoingMessage[]): Promise<SendReport> {
      queue.calls += 1;
      const failed = messages.filter(refuse);
      queue.sent.push(...messages.filter((message) => !refuse(message)));
      return {
        sent: messages.length - failed.length,
        failed: failed.map((message) => ({ key: message.key, code: 'InternalError', senderFault: false })),
      };
    },
  };
  return queue;
}

export const userIdsOf = (messages: readonly OutgoingMessage[]) =>
  messages.map((message) => (JSON.parse(message.body) as { userId: string }).userId);
