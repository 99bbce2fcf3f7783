import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionLogicalId, synthEstherTemplate } from './support/esther-template';

describe('webhook API', () => {
  let template: Template;
  beforeAll(() => {
    template = synthEstherTemplate();
  });

  it('is one HTTP API with exactly the two routes', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((route) => route.Properties.RouteKey);
    expect(routes.sort()).toEqual(['GET /portfolio/health', 'POST /telegram/webhook']);
  });

  it.each([
    ['POST /telegram/webhook', 'TelegramWebhook'],
    ['GET /portfolio/health', 'Health'],
  ])('routes %s to the %s function through a Lambda proxy integration', (routeKey, functionId) => {
    const resources = template.toJSON().Resources;
    const route = Object.values(template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: routeKey } }))[0]!;
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

  it('outputs the webhook URL for setWebhook', () => {
    template.hasOutput('*', { Description: 'Pass to setWebhook as url', Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
  });
});
