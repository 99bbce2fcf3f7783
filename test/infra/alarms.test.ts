import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEstherStack, functionLogicalId, synthEstherTemplate, SYNTH_TIMEOUT } from './support/esther-template';

describe('alarms', SYNTH_TIMEOUT, () => {
  let template: Template;
  let topicId: string;
  beforeAll(() => {
    template = synthEstherTemplate();
    topicId = Object.keys(template.findResources('AWS::SNS::Topic'))[0]!;
  });

  const aboveZero = {
    Threshold: 0,
    ComparisonOperator: 'GreaterThanThreshold',
    EvaluationPeriods: 1,
    TreatMissingData: 'notBreaching',
  };

  it('alarms on any message in the sync DLQ', () => {
    const dlqId = Object.keys(
      template.findResources('AWS::SQS::Queue', { Properties: { MessageRetentionPeriod: Match.anyValue() } }),
    )[0]!;
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...aboveZero,
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
      AlarmActions: [{ Ref: topicId }],
    });
  });

  it.each(['SyncWorker', 'SyncFanout', 'TelegramWebhook', 'Health'])('alarms on any %s error', (functionId) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...aboveZero,
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionLogicalId(template, functionId) } }],
      AlarmActions: [{ Ref: topicId }],
    });
  });

  it('alarms on HTTP API 5xx answers', () => {
    const apiId = Object.keys(template.findResources('AWS::ApiGatewayV2::Api'))[0]!;
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...aboveZero,
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: [{ Name: 'ApiId', Value: { Ref: apiId } }],
      AlarmActions: [{ Ref: topicId }],
    });
  });

  it('has no e-mail subscription unless alarmEmail is set', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    const withEmail = synthEstherTemplate({ context: { alarmEmail: 'ops@example.com' } });
    withEmail.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
  });

  it('subscribes every address of alarmEmails and alarmEmail to the topic, once each', () => {
    const withList = synthEstherTemplate({
      context: { alarmEmail: 'ops@example.com', alarmEmails: ['oncall@example.com', 'ops@example.com'] },
    });
    const topic = Object.keys(withList.findResources('AWS::SNS::Topic'))[0]!;
    const endpoints = Object.values(withList.findResources('AWS::SNS::Subscription')).map(
      (resource) => (resource as { Properties: { Endpoint: string; TopicArn: unknown } }).Properties,
    );
    expect(endpoints.map((p) => p.Endpoint).sort()).toEqual(['oncall@example.com', 'ops@example.com']);
    expect(endpoints.every((p) => JSON.stringify(p.TopicArn) === JSON.stringify({ Ref: topic }))).toBe(true);
  });

  it('warns at synth when no one is subscribed, and not otherwise', () => {
    const warnings = (context: Record<string, unknown>) =>
      Annotations.fromStack(createEstherStack({ context, keepWarnings: true }).stack)
        .findWarning('*', Match.stringLikeRegexp('No alarm subscriber'))
        .map((w) => w.id);
    expect(warnings({})).toEqual(['/EstherTest/Alarms']);
    expect(warnings({ alarmEmails: 'ops@example.com' })).toEqual([]);
    expect(warnings({ alarmEmail: 'ops@example.com' })).toEqual([]);
  });

  it('creates the operations and notification alarms, each notifying the topic', () => {
    const all = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as {
      Properties: { AlarmActions: unknown[] };
    }[];
    const names = Object.keys(template.findResources('AWS::CloudWatch::Alarm')).map((id) =>
      id.replace(/^Alarms/, '').replace(/[0-9A-F]{8}$/, ''),
    );
    expect(names.toSorted()).toEqual([
      'ApiServerErrors',
      'HealthCheck',
      'HealthErrors',
      'NotifyDeadLetters',
      'NotifyDigestErrors',
      'OkxRateLimited',
      'SyncDeadLetters',
      'SyncFanoutErrors',
      'SyncStalled',
      'SyncWorkerErrors',
      'WebhookErrors',
      'WebhookLatencyP95',
    ]);
    for (const alarm of all) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
  });
});
