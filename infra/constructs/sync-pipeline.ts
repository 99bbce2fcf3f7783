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
import { ENV } from '../../shared/platform/config/env-names';
import { SYNC_MAX_RECEIVE_COUNT } from '../../shared/platform/config/sync-queue';

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

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.queue = new Queue(this, 'Queue', {
      visibilityTimeout: Duration.seconds(workerTimeout.toSeconds() * VISIBILITY_TO_TIMEOUT_RATIO),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });

    props.fanout.addEnvironment(ENV.syncQueueUrl, this.queue.queueUrl);
    // SendMessage also authorises SendMessageBatch; nothing else (no receive, no purge).
    this.queue.grant(props.fanout, 'sqs:SendMessage');

    props.worker.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: props.batchSize,
        maxConcurrency: props.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );

    const role = new Role(this, 'SchedulerRole', {
      description: 'EventBridge Scheduler: invoke the sync fan-out function only',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    });
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
