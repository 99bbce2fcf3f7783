import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { actionsOf, functionLogicalId, mentions, roleStatements, synthEstherTemplate } from './support/esther-template';

describe('notification pipeline', () => {
  let template: Template;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let resources: Record<string, { Type: string; Properties: Record<string, any> }>;
  beforeAll(() => {
    template = synthEstherTemplate();
    resources = template.toJSON().Resources;
  });

  const idOf = (
    type: string,
    prefix: string,
    predicate: (properties: Record<string, unknown>) => boolean = () => true,
  ) =>
    Object.entries(template.findResources(type)).find(
      ([id, resource]) => id.startsWith(prefix) && predicate(resource.Properties ?? {}),
    )![0];
  const queues = () => ({
    main: idOf('AWS::SQS::Queue', 'NotifyPipeline', (properties) => properties.RedrivePolicy !== undefined),
    dlq: idOf('AWS::SQS::Queue', 'NotifyPipeline', (properties) => properties.RedrivePolicy === undefined),
  });
  const sqsStatementsOf = (functionId: string) => {
    const roleId = resources[functionLogicalId(template, functionId)]!.Properties.Role['Fn::GetAtt'][0] as string;
    return roleStatements(template, roleId).filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('sqs:')),
    );
  };

  it('has an encrypted queue with a 14-day DLQ after 5 receives and a visibility of six sender timeouts', () => {
    const { main, dlq } = queues();
    const sender = resources[functionLogicalId(template, 'NotifySender')]!.Properties;
    expect(resources[main]!.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 6 * (sender.Timeout as number),
      MessageRetentionPeriod: 86_400,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] }, maxReceiveCount: 5 },
    });
    expect(resources[dlq]!.Properties).toMatchObject({
      MessageRetentionPeriod: 14 * 86_400,
      SqsManagedSseEnabled: true,
    });
  });

  it('feeds the sender in batches of 10 with partial batch failures and 4 instances at most', () => {
    const { main } = queues();
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [main, 'Arn'] },
      FunctionName: { Ref: functionLogicalId(template, 'NotifySender') },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
      ScalingConfig: { MaximumConcurrency: 4 },
    });
    expect(resources[functionLogicalId(template, 'NotifySender')]!.Properties.ReservedConcurrentExecutions).toBe(4);
  });

  it('lets the worker, the digest run and the sender send to the queue, and nothing more on SQS', () => {
    const { main } = queues();
    for (const functionId of ['SyncWorker', 'NotifyDigest']) {
      expect(sqsStatementsOf(functionId).filter((statement) => mentions(statement, main))).toEqual([
        { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: { 'Fn::GetAtt': [main, 'Arn'] } },
      ]);
      expect(
        resources[functionLogicalId(template, functionId)]!.Properties.Environment.Variables.NOTIFY_QUEUE_URL,
      ).toEqual({ Ref: main });
    }
    // The sender receives through its event source and sends a delayed copy after a 429.
    const sender = sqsStatementsOf('NotifySender').flatMap(actionsOf).sort();
    expect(sender).toEqual(
      [
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ReceiveMessage',
        'sqs:SendMessage',
      ].sort(),
    );
    expect(sqsStatementsOf('SyncFanout').some((statement) => mentions(statement, main))).toBe(false);
  });

  it('runs the digest every hour on the hour, with the scheduled time as input', () => {
    const id = idOf('AWS::Scheduler::Schedule', 'NotifyPipeline');
    const schedule = resources[id]!.Properties;
    expect(schedule.ScheduleExpression).toBe('cron(0 * * * ? *)');
    expect(schedule.FlexibleTimeWindow).toEqual({ Mode: 'OFF' });
    expect(schedule.Target.Arn).toEqual({ 'Fn::GetAtt': [functionLogicalId(template, 'NotifyDigest'), 'Arn'] });
    expect(JSON.parse(schedule.Target.Input)).toEqual({
      scheduledTime: '<aws.scheduler.scheduled-time>',
      source: 'esther.digest-schedule',
    });
    const roleId = schedule.Target.RoleArn['Fn::GetAtt'][0] as string;
    const statements = roleStatements(template, roleId);
    expect(statements.flatMap(actionsOf)).toEqual(['lambda:InvokeFunction']);
    expect(mentions(statements[0]!, functionLogicalId(template, 'NotifyDigest'))).toBe(true);
  });

  it('gives the sender the Telegram rate and the chart files, and alarms on its DLQ and on digest failures', () => {
    const variables = resources[functionLogicalId(template, 'NotifySender')]!.Properties.Environment.Variables;
    expect(variables).toMatchObject({
      TELEGRAM_SEND_RATE_PER_SECOND: '25',
      RESVG_WASM_PATH: '/var/task/resvg.wasm',
      CHART_FONT_PATH: '/var/task/DejaVuSans.ttf',
    });
    const alarms = Object.keys(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.filter((id) => /NotifyDeadLetters|NotifyDigestErrors/.test(id))).toHaveLength(2);
  });

  it('takes the sender concurrency and Telegram rate from context, at most 30 messages a second', () => {
    const custom = synthEstherTemplate({ context: { notifyMaxConcurrency: 6, telegramSendRatePerSecond: 30 } });
    custom.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      ScalingConfig: { MaximumConcurrency: 6 },
    });
    expect(() => synthEstherTemplate({ context: { telegramSendRatePerSecond: 31 } })).toThrow(
      /"telegramSendRatePerSecond": expected an integer from 1 to 30/,
    );
  });
});
