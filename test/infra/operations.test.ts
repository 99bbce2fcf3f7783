import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionLogicalId, synthEstherTemplate, SYNTH_TIMEOUT } from './support/esther-template';

/** Our EMF metrics: the stage's namespace (cdk.json: dev), the one `service` dimension Powertools adds. */
const custom = { Namespace: 'EstherPortfolio/dev', Dimensions: [{ Name: 'service', Value: 'esther-portfolio' }] };

describe('operations', SYNTH_TIMEOUT, () => {
  let template: Template;
  let topicId: string;
  beforeAll(() => {
    template = synthEstherTemplate();
    topicId = Object.keys(template.findResources('AWS::SNS::Topic'))[0]!;
  });

  it('alarms when no sync cycle completed in three 10-minute windows, missing data breaching', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...custom,
      MetricName: 'SyncCyclesCompleted',
      Statistic: 'Sum',
      Period: 600,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: topicId }],
    });
  });

  it('alarms when more than 5 % of OKX requests were rate limited in two 5-minute periods', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topicId }],
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: '100 * FILL(limited, 0) / requests', ReturnData: true }),
        {
          Id: 'limited',
          MetricStat: {
            Metric: { ...custom, MetricName: 'OkxRateLimited' },
            Period: 300,
            Stat: 'Sum',
          },
          ReturnData: false,
        },
        {
          Id: 'requests',
          MetricStat: { Metric: { ...custom, MetricName: 'OkxRequests' }, Period: 300, Stat: 'Sum' },
          ReturnData: false,
        },
      ]),
    });
  });

  it("alarms when the webhook's p95 duration is above 10 s for 15 minutes", () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Duration',
      ExtendedStatistic: 'p95',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionLogicalId(template, 'TelegramWebhook') } }],
      Period: 300,
      Threshold: 10_000,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topicId }],
    });
  });

  it('alarms when a health check was degraded, or none ran, in two 10-minute windows', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...custom,
      MetricName: 'HealthCheckOk',
      Statistic: 'Minimum',
      Period: 600,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: topicId }],
    });
  });

  it('runs the health function every 5 minutes, without retries, and lets EventBridge invoke it', () => {
    const healthId = functionLogicalId(template, 'Health');
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [healthId, 'Arn'] },
          Input: JSON.stringify({ source: 'esther.health-schedule' }),
          RetryPolicy: { MaximumRetryAttempts: 0 },
        }),
      ],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [healthId, 'Arn'] },
    });
  });

  it('has one dashboard named after the stack with users, sync lag, OKX requests per second, 429s and webhook latency', () => {
    const dashboards = template.findResources('AWS::CloudWatch::Dashboard');
    expect(Object.keys(dashboards)).toHaveLength(1);
    const dashboard = Object.values(dashboards)[0] as {
      Properties: { DashboardName: string; DashboardBody: { 'Fn::Join': [string, unknown[]] } };
    };
    expect(dashboard.Properties.DashboardName).toBe('EstherTest-operations');
    const body = dashboard.Properties.DashboardBody['Fn::Join'][1]
      .map((part) => (typeof part === 'string' ? part : JSON.stringify(part)))
      .join('');
    for (const title of ['Users', 'Sync lag', 'OKX requests per second', 'OKX 429s', 'Webhook latency'])
      expect(body).toContain(`"title":"${title}"`);
    for (const metric of ['Users', 'LastSyncCycleAgeSeconds', 'SyncCycleDurationSeconds', 'OkxRateLimited'])
      expect(body).toContain(`"EstherPortfolio/dev","${metric}","service","esther-portfolio"`);
    expect(body).toContain('"expression":"requests / PERIOD(requests)"');
    expect(body).toContain('"stat":"p95"');
  });

  it("reads each stage's own namespace, the one its functions publish in", () => {
    const prod = synthEstherTemplate({ context: { stage: 'prod' } });
    const alarms = Object.values(prod.findResources('AWS::CloudWatch::Alarm')) as {
      Properties: { Namespace?: string; MetricName?: string };
    }[];
    const namespaces = alarms
      .map((alarm) => alarm.Properties)
      .filter((p) => ['SyncCyclesCompleted', 'HealthCheckOk'].includes(p.MetricName ?? ''))
      .map((p) => p.Namespace);
    expect(namespaces).toEqual(['EstherPortfolio/prod', 'EstherPortfolio/prod']);
    prod.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ Namespace: 'EstherPortfolio/prod', MetricName: 'OkxRequests' }),
          }),
        }),
      ]),
    });
  });

  it('names the dashboard in an output', () => {
    template.hasOutput('DashboardName', { Value: { Ref: Match.anyValue() } });
  });
});
