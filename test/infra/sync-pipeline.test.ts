import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CYCLE_SECONDS } from '../../functions/sync-fanout/handler';
import { SYNC_RATE } from '../../infra/constructs/sync-pipeline';
import {
  actionsOf,
  functionLogicalId,
  mentions,
  roleStatements,
  synthEstherTemplate,
  SYNTH_TIMEOUT,
} from './support/esther-template';

describe('sync pipeline', SYNTH_TIMEOUT, () => {
  let template: Template;
  // Template JSON is untyped CloudFormation; the assertions below pin the shape they rely on.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let resources: Record<string, { Type: string; Properties: Record<string, any> }>;
  beforeAll(() => {
    template = synthEstherTemplate();
    resources = template.toJSON().Resources;
  });

  /** The sync pipeline's queues (the notification pipeline has its own). */
  const queueIds = () => {
    const queues = Object.fromEntries(
      Object.entries(template.findResources('AWS::SQS::Queue')).filter(([id]) => id.startsWith('SyncPipeline')),
    );
    const main = Object.keys(queues).find((id) => queues[id]!.Properties.RedrivePolicy)!;
    const dlq = Object.keys(queues).find((id) => id !== main)!;
    return { main, dlq, count: Object.keys(queues).length };
  };

  const syncSchedule = () =>
    Object.entries(template.findResources('AWS::Scheduler::Schedule')).find(([id]) =>
      id.startsWith('SyncPipeline'),
    )![1]!;

  it('schedules the fan-out every 10 minutes with no flexible window, few retries and a 5-minute max age', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', 2);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(10 minutes)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [functionLogicalId(template, 'SyncFanout'), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: Match.anyValue(), MaximumEventAgeInSeconds: Match.anyValue() },
      },
    });
    const target = syncSchedule().Properties.Target;
    expect(target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThanOrEqual(0);
    expect(target.RetryPolicy.MaximumRetryAttempts).toBeLessThanOrEqual(2);
    expect(target.RetryPolicy.MaximumEventAgeInSeconds).toBeLessThanOrEqual(300);
  });

  it("fires exactly as often as the fan-out's cycle budget assumes", () => {
    expect(SYNC_RATE.toSeconds()).toBe(CYCLE_SECONDS);
  });

  it('gives the fan-out the OKX rate its budget is computed from', () => {
    expect(
      resources[functionLogicalId(template, 'SyncFanout')]!.Properties.Environment.Variables.OKX_RATE_LIMIT_PER_SECOND,
    ).toBe('1');
  });

  it('passes the scheduled time as the cycle id in the input', () => {
    const target = syncSchedule().Properties.Target;
    expect(JSON.parse(target.Input)).toEqual({
      scheduledTime: '<aws.scheduler.scheduled-time>',
      source: 'esther.sync-schedule',
    });
  });

  it('lets the scheduler role invoke the fan-out and nothing else', () => {
    const target = syncSchedule().Properties.Target;
    const roleId = target.RoleArn['Fn::GetAtt'][0] as string;
    expect(resources[roleId]!.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
      }),
    ]);
    const statements = roleStatements(template, roleId);
    expect(statements.flatMap(actionsOf)).toEqual(['lambda:InvokeFunction']);
    expect(mentions(statements[0]!, functionLogicalId(template, 'SyncFanout'))).toBe(true);
    expect(JSON.stringify(statements)).not.toContain(functionLogicalId(template, 'SyncWorker'));
  });

  it('uses a standard, encrypted queue whose visibility timeout is at least six worker timeouts', () => {
    const { main, count } = queueIds();
    expect(count).toBe(2);
    const queue = resources[main]!.Properties;
    const workerTimeout = resources[functionLogicalId(template, 'SyncWorker')]!.Properties.Timeout as number;
    expect(queue.FifoQueue).toBeUndefined();
    expect(queue.SqsManagedSseEnabled).toBe(true);
    expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * workerTimeout);
  });

  it('moves a message to an encrypted 14-day DLQ after 5 receives', () => {
    const { main, dlq } = queueIds();
    expect(resources[main]!.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] },
      maxReceiveCount: 5,
    });
    expect(resources[dlq]!.Properties).toMatchObject({
      MessageRetentionPeriod: 14 * 24 * 3600,
      SqsManagedSseEnabled: true,
    });
  });

  it('feeds the worker with partial batch failures, a small batch and capped concurrency', () => {
    const { main } = queueIds();
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [main, 'Arn'] },
      FunctionName: { Ref: functionLogicalId(template, 'SyncWorker') },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 5,
      ScalingConfig: { MaximumConcurrency: 2 },
    });
  });

  it('gives the fan-out the queue URL and sqs:SendMessage only', () => {
    const { main } = queueIds();
    const fanout = resources[functionLogicalId(template, 'SyncFanout')]!.Properties;
    expect(fanout.Environment.Variables.SYNC_QUEUE_URL).toEqual({ Ref: main });
    const roleId = fanout.Role['Fn::GetAtt'][0] as string;
    const sqsStatements = roleStatements(template, roleId).filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('sqs:')),
    );
    expect(sqsStatements).toEqual([
      { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: { 'Fn::GetAtt': [main, 'Arn'] } },
    ]);
  });

  it('lets the Mini App (track-plan after a broadcast) and the worker (re-queued tracking, a sync after a trade) send to the queue', () => {
    const { main } = queueIds();
    for (const functionId of ['MiniAppApi', 'SyncWorker']) {
      const fn = resources[functionLogicalId(template, functionId)]!.Properties;
      expect(fn.Environment.Variables.SYNC_QUEUE_URL).toEqual({ Ref: main });
      const roleId = fn.Role['Fn::GetAtt'][0] as string;
      const sends = roleStatements(template, roleId).filter(
        (statement) => actionsOf(statement).includes('sqs:SendMessage') && mentions(statement, main),
      );
      expect(sends.length).toBeGreaterThan(0);
    }
    // The Mini App only sends: it never receives, deletes or purges.
    const miniApp = resources[functionLogicalId(template, 'MiniAppApi')]!.Properties;
    const miniAppSqs = roleStatements(template, miniApp.Role['Fn::GetAtt'][0] as string)
      .flatMap(actionsOf)
      .filter((action) => action.startsWith('sqs:'));
    expect(miniAppSqs).toEqual(['sqs:SendMessage']);
  });

  it('sizes the worker concurrency, batch size and visibility from context', () => {
    const custom = synthEstherTemplate({
      context: { syncMaxConcurrency: 7, syncBatchSize: 10, syncWorkerTimeoutSeconds: 300 },
    });
    custom.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      ScalingConfig: { MaximumConcurrency: 7 },
    });
    custom.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 1800, RedrivePolicy: Match.anyValue() });
    custom.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 300,
      Description: Match.stringLikeRegexp('SQS sync jobs'),
    });
  });
});
