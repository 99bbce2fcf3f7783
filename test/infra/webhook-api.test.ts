import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionLogicalId, synthEstherTemplate, SYNTH_TIMEOUT } from './support/esther-template';

describe('webhook API', SYNTH_TIMEOUT, () => {
  let template: Template;
  beforeAll(() => {
    template = synthEstherTemplate();
  });

  it('is one HTTP API with exactly the webhook, health and Mini App routes', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
      (route) => route.Properties.RouteKey,
    );
    expect(routes.sort()).toEqual([
      'GET /miniapp/api/{proxy+}',
      'GET /portfolio/health',
      'POST /miniapp/api/{proxy+}',
      'POST /telegram/webhook',
      'PUT /miniapp/api/{proxy+}',
    ]);
  });

  it.each([
    ['POST /telegram/webhook', 'TelegramWebhook'],
    ['GET /portfolio/health', 'Health'],
  ])('routes %s to the %s function through a Lambda proxy integration', (routeKey, functionId) => {
    const resources = template.toJSON().Resources;
    const route = Object.values(
      template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: routeKey } }),
    )[0]!;
    const integrationId = (route.Properties.Target['Fn::Join'][1][1] as { Ref: string }).Ref;
    expect(resources[integrationId].Properties).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [functionLogicalId(template, functionId), 'Arn'] },
    });
  });

  it('lets API Gateway invoke both functions', () => {
    for (const functionId of ['TelegramWebhook', 'Health']) {
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        FunctionName: { 'Fn::GetAtt': [functionLogicalId(template, functionId), 'Arn'] },
      });
    }
  });

  it('gives the webhook function a timeout of at most 25 s', () => {
    const webhook = template.toJSON().Resources[functionLogicalId(template, 'TelegramWebhook')].Properties;
    expect(webhook.Timeout).toBeGreaterThan(0);
    expect(webhook.Timeout).toBeLessThanOrEqual(25);
  });

  it('throttles the $default stage with the rate and burst from CDK context and writes JSON access logs', () => {
    const stages = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'));
    expect(stages).toHaveLength(1);
    const stage = stages[0]!.Properties;
    expect(stage).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
    });
    const format = JSON.parse(stage.AccessLogSettings.Format as string) as Record<string, string>;
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
    });
    // No header or body variable: the secret token and message text never reach the access log.
    expect(stage.AccessLogSettings.Format).not.toMatch(/header|body|requestOverride/i);
    expect(JSON.stringify(stage.AccessLogSettings.DestinationArn)).toContain('AccessLogs');

    const custom = synthEstherTemplate({ context: { apiThrottleRateLimit: '7', apiThrottleBurstLimit: '9' } });
    custom.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 7, ThrottlingBurstLimit: 9 },
    });
  });

  it('reserves concurrency for the webhook (context) and the worker (the SQS maxConcurrency)', () => {
    const resources = template.toJSON().Resources;
    expect(resources[functionLogicalId(template, 'TelegramWebhook')].Properties.ReservedConcurrentExecutions).toBe(10);
    expect(resources[functionLogicalId(template, 'SyncWorker')].Properties.ReservedConcurrentExecutions).toBe(2);
    expect(resources[functionLogicalId(template, 'Health')].Properties.ReservedConcurrentExecutions).toBeUndefined();
  });

  it('outputs the webhook URL the stack registers, to compare with getWebhookInfo', () => {
    template.hasOutput('*', {
      Description: 'The URL the stack registers with Telegram (setWebhook); compare with getWebhookInfo',
      Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
    });
  });
});
