import { Duration, Stack } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
  TimeWindow,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV, SYNC_MAX_RECEIVE_COUNT } from '../../shared/platform/config/env-names';

export const SYNC_SCHEDULE_SOURCE = 'esther.sync-schedule';
export const SYNC_RATE = Duration.minutes(10);
/** SQS guidance: visibility at least six times the consumer's timeout so retries do not overlap runs. */
export const VISIBILITY_TO_TIMEOUT_RATIO = 6;
export const MAX_RECEIVE_COUNT = SYNC_MAX_RECEIVE_COUNT;

export interface SyncPipelineProps {
  readonly fanout: LambdaFunction;
  readonly worker: LambdaFunction;
  readonly batchSize: number;
  /** Worker instances at most; caps concurrent OKX callers. */
  readonly maxConcurrency: number;
  /**
   * Other senders (issue 13: the Mini App's `track-plan` messages after a broadcast; the worker's own, which re-queues
   * a plan still in flight and a user's sync after a trade): SYNC_QUEUE_URL and SendMessage only.
   */
  readonly producers?: readonly LambdaFunction[];
}

/**
 * EventBridge Scheduler (every 10 min) -> fan-out -> standard SQS queue (+ DLQ) -> worker.
 * A late or repeated tick is harmless: the input carries the scheduled time, which the fan-out claims
 * as the cycle id, and ticks older than 5 minutes are dropped.
 */
export class SyncPipeline extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: SyncPipelineProps) {
    super(scope, id);
    const workerTimeout = props.worker.timeout ?? Duration.seconds(3);

    ({ queue: this.queue, deadLetterQueue: this.deadLetterQueue } = consumedQueue(this, {
      consumer: props.worker,
      consumerTimeout: workerTimeout,
      maxReceiveCount: MAX_RECEIVE_COUNT,
      batchSize: props.batchSize,
      maxConcurrency: props.maxConcurrency,
    }));

    for (const producer of [props.fanout, ...(props.producers ?? [])]) {
      producer.addEnvironment(ENV.syncQueueUrl, this.queue.queueUrl);
      // SendMessage also authorises SendMessageBatch; nothing else (no receive, no purge).
      this.queue.grant(producer, 'sqs:SendMessage');
    }

    const role = schedulerRole(this, 'EventBridge Scheduler: invoke the sync fan-out function only');
    this.schedule = new Schedule(this, 'Schedule', {
      description: 'Starts a portfolio sync cycle',
      schedule: ScheduleExpression.rate(SYNC_RATE),
      timeWindow: TimeWindow.off(),
      target: new LambdaInvoke(props.fanout, {
        role,
        retryAttempts: 2,
        maxEventAge: Duration.minutes(5),
        input: ScheduleTargetInput.fromObject({
          scheduledTime: ContextAttribute.scheduledTime,
          source: SYNC_SCHEDULE_SOURCE,
        }),
      }),
    });
  }
}

/**
 * A standard SQS queue (SQS-managed encryption, TLS only) with its dead-letter queue (14 days), consumed by one
 * function with partial batch failures; the visibility timeout is VISIBILITY_TO_TIMEOUT_RATIO × its timeout.
 */
export function consumedQueue(
  scope: Construct,
  props: {
    readonly consumer: LambdaFunction;
    readonly consumerTimeout: Duration;
    readonly maxReceiveCount: number;
    readonly batchSize: number;
    readonly maxConcurrency: number;
    /** @default SQS's own (4 days) */
    readonly retentionPeriod?: Duration;
  },
): { queue: Queue; deadLetterQueue: Queue } {
  const deadLetterQueue = new Queue(scope, 'DeadLetterQueue', {
    retentionPeriod: Duration.days(14),
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
  });
  const queue = new Queue(scope, 'Queue', {
    visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * VISIBILITY_TO_TIMEOUT_RATIO),
    ...(props.retentionPeriod ? { retentionPeriod: props.retentionPeriod } : {}),
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
  });
  props.consumer.addEventSource(
    new SqsEventSource(queue, {
      batchSize: props.batchSize,
      maxConcurrency: props.maxConcurrency,
      reportBatchItemFailures: true,
    }),
  );
  return { queue, deadLetterQueue };
}

/** The role EventBridge Scheduler assumes to invoke a schedule's target, from this account only. */
export function schedulerRole(scope: Construct, description: string): Role {
  return new Role(scope, 'SchedulerRole', {
    description,
    assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
    }),
  });
}
