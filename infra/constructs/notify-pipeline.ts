import { Duration } from 'aws-cdk-lib';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
  TimeWindow,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../shared/platform/config/env-names';
import { consumedQueue, schedulerRole } from './sync-pipeline';

export const DIGEST_SCHEDULE_SOURCE = 'esther.digest-schedule';
/** Receives before a notification goes to the DLQ: only real failures count (429s and 5xx are re-sent as new messages). */
export const NOTIFY_MAX_RECEIVE_COUNT = 5;

export interface NotifyPipelineProps {
  readonly sender: LambdaFunction;
  readonly digest: LambdaFunction;
  /** Functions that put notifications on the queue (the sync worker's alerts). */
  readonly producers: readonly LambdaFunction[];
  readonly batchSize: number;
  /** Sender instances at most: with the pacers they keep Telegram's limits; a few suffice for ~30 messages/s. */
  readonly maxConcurrency: number;
}

/**
 * Notification queue (+ DLQ) -> sender; EventBridge Scheduler every hour on the hour -> digest run, which puts
 * the due digests on the queue. The sender also sends to the queue (a 429 or 5xx puts the message back delayed).
 */
export class NotifyPipeline extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: NotifyPipelineProps) {
    super(scope, id);
    const senderTimeout = props.sender.timeout ?? Duration.seconds(3);
    ({ queue: this.queue, deadLetterQueue: this.deadLetterQueue } = consumedQueue(this, {
      consumer: props.sender,
      consumerTimeout: senderTimeout,
      maxReceiveCount: NOTIFY_MAX_RECEIVE_COUNT,
      batchSize: props.batchSize,
      maxConcurrency: props.maxConcurrency,
      // An alert or digest older than a day is news no more.
      retentionPeriod: Duration.days(1),
    }));

    for (const fn of [props.sender, props.digest, ...props.producers]) {
      fn.addEnvironment(ENV.notifyQueueUrl, this.queue.queueUrl);
      // SendMessage also authorises SendMessageBatch; nothing else.
      this.queue.grant(fn, 'sqs:SendMessage');
    }
    const role = schedulerRole(this, 'EventBridge Scheduler: invoke the digest function only');
    this.schedule = new Schedule(this, 'DigestSchedule', {
      description: 'Every hour on the hour: the digests whose local hour has come',
      schedule: ScheduleExpression.cron({ minute: '0' }),
      timeWindow: TimeWindow.off(),
      target: new LambdaInvoke(props.digest, {
        role,
        retryAttempts: 2,
        maxEventAge: Duration.minutes(30),
        input: ScheduleTargetInput.fromObject({
          scheduledTime: ContextAttribute.scheduledTime,
          source: DIGEST_SCHEDULE_SOURCE,
        }),
      }),
    });
  }
}
