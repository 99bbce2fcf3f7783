import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionLogicalId, synthEstherTemplate } from './support/esther-template';

describe('alarms', () => {
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

  it.each(['SyncWorker', 'SyncFanout', 'TelegramWebhook'])('alarms on any %s error', (functionId) => {
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

  it('creates seven alarms', () => {
    expect(Object.keys(template.findResources('AWS::CloudWatch::Alarm'))).toHaveLength(7);
  });
});
