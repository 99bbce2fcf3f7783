import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { BOT_DESCRIPTION, BOT_SHORT_DESCRIPTION } from '../../shared/bot/bot-profile';
import {
  actionsOf,
  createEstherStack,
  functionLogicalId,
  functionRoleId,
  mentions,
  roleStatements,
  synthEstherTemplate,
} from './support/esther-template';

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };

const registrationOf = (template: Template): Resource => {
  const found = Object.values(template.findResources('Custom::TelegramBotRegistration')) as Resource[];
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('bot registration (custom resource)', () => {
  let template: Template;
  let resources: Record<string, Resource>;
  beforeAll(() => {
    template = synthEstherTemplate();
    resources = template.toJSON().Resources as Record<string, Resource>;
  });
  const idOf = (type: string, prefix: string) =>
    Object.keys(resources).find((id) => resources[id]!.Type === type && id.startsWith(prefix))!;

  it('registers the API’s webhook URL, the handled update types and a connection cap from the webhook’s concurrency', () => {
    const { Properties } = registrationOf(template);

    expect(Properties.WebhookUrl).toEqual({
      'Fn::Join': [
        '',
        [{ 'Fn::GetAtt': [idOf('AWS::ApiGatewayV2::Api', 'WebhookApi'), 'ApiEndpoint'] }, '/telegram/webhook'],
      ],
    });
    expect(Properties.AllowedUpdates).toEqual(['message', 'callback_query']);
    // cdk.json webhookReservedConcurrency = 10.
    expect(Properties.MaxConnections).toBe(10);
    expect(Properties.SecretVersion).toBeUndefined();
    // The menu button opens the Mini App the stack hosts.
    expect(Properties.MiniAppUrl).toEqual({
      'Fn::Join': [
        '',
        [
          'https://',
          { 'Fn::GetAtt': [idOf('AWS::CloudFront::Distribution', 'MiniApp'), 'DomainName'] },
          '/miniapp/index.html',
        ],
      ],
    });
    expect(Properties.MenuButtonText).toBe('Dashboard');
  });

  it('registers the commands /help lists, and the bot’s descriptions', () => {
    const { Properties } = registrationOf(template);
    const commands = Properties.Commands as { Command: string; Description: string }[];

    expect(commands.map((entry) => entry.Command)).toEqual([
      'addwallet',
      'wallets',
      'portfolio',
      'report',
      'target',
      'rebalance',
      'live',
      'alerts',
      'digest',
      'share',
      'help',
    ]);
    expect(commands[0]).toEqual({ Command: 'addwallet', Description: 'Track a wallet' });
    expect(Properties.Description).toBe(BOT_DESCRIPTION);
    expect(Properties.ShortDescription).toBe(BOT_SHORT_DESCRIPTION);
  });

  it('holds no secret in any property: neither a value nor a dynamic reference', () => {
    const text = JSON.stringify(registrationOf(template).Properties);

    expect(text).not.toContain('resolve:secretsmanager');
    expect(text).not.toContain(idOf('AWS::SecretsManager::Secret', 'SecretsTelegramSecret'));
  });

  it('runs through the Provider framework, whose on-event function is the bot-registration function', () => {
    const { Properties } = registrationOf(template);
    const providerId = functionLogicalId(template, 'BotRegistrationProviderframeworkonEvent');
    const onEventId = functionLogicalId(template, 'BotRegistrationFunction');

    expect(Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [providerId, 'Arn'] });
    expect((resources[providerId]!.Properties.Environment as { Variables: Record<string, unknown> }).Variables).toEqual(
      { USER_ON_EVENT_FUNCTION_ARN: { 'Fn::GetAtt': [onEventId, 'Arn'] } },
    );
    expect(resources[onEventId]!.Properties).toMatchObject({ Runtime: 'nodejs24.x', Timeout: 60, MemorySize: 256 });
    // Both functions log to a group kept for one month.
    for (const id of [providerId, onEventId]) {
      const logGroupId = (resources[id]!.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(resources[logGroupId]).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } });
    }
  });

  it('waits for the whole API: its stage, the webhook route, its integration and the invoke permission', () => {
    const dependsOn = registrationOf(template).DependsOn ?? [];

    expect(dependsOn).toEqual(
      expect.arrayContaining([
        idOf('AWS::ApiGatewayV2::Stage', 'WebhookApi'),
        idOf('AWS::ApiGatewayV2::Route', 'WebhookApiHttpApiPOSTtelegramwebhook'),
        idOf('AWS::ApiGatewayV2::Integration', 'WebhookApiHttpApiPOSTtelegramwebhook'),
        idOf('AWS::Lambda::Permission', 'WebhookApiHttpApiPOSTtelegramwebhook'),
      ]),
    );
  });

  it('lets the function read the Telegram secret and nothing else: no OKX secret, no table', () => {
    const statements = roleStatements(template, functionRoleId(template, 'BotRegistrationFunction'));
    const telegram = idOf('AWS::SecretsManager::Secret', 'SecretsTelegramSecret');
    const okx = idOf('AWS::SecretsManager::Secret', 'SecretsOkxSecret');
    const secretStatements = statements.filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('secretsmanager:')),
    );

    expect(secretStatements).toHaveLength(1);
    expect(new Set(actionsOf(secretStatements[0]!))).toEqual(
      new Set(['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret']),
    );
    expect(secretStatements[0]!.Resource).toEqual({ Ref: telegram });
    expect(statements.some((statement) => mentions(statement, okx))).toBe(false);
    expect(statements.flatMap(actionsOf).filter((action) => !action.startsWith('secretsmanager:'))).toEqual([]);
    const variables = (
      resources[functionLogicalId(template, 'BotRegistrationFunction')]!.Properties.Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;
    expect(variables).toMatchObject({
      TELEGRAM_SECRET_ARN: { Ref: telegram },
      TELEGRAM_API_ROOT: 'https://api.telegram.org',
    });
    expect(variables.OKX_SECRET_ARN).toBeUndefined();
  });

  it('lets the framework only look up and invoke the on-event function, never read a secret', () => {
    const statements = roleStatements(template, functionRoleId(template, 'BotRegistrationProviderframeworkonEvent'));

    expect([...new Set(statements.flatMap(actionsOf))].sort()).toEqual(['lambda:GetFunction', 'lambda:InvokeFunction']);
    expect(
      statements.every((statement) => mentions(statement, functionLogicalId(template, 'BotRegistrationFunction'))),
    ).toBe(true);
  });

  it('passes the secret version label from context, and caps max_connections at Telegram’s 100', () => {
    const { Properties } = registrationOf(
      synthEstherTemplate({ context: { telegramSecretVersion: 'a1b2c3d4-rotated', webhookReservedConcurrency: 500 } }),
    );

    expect(Properties.SecretVersion).toBe('a1b2c3d4-rotated');
    expect(Properties.MaxConnections).toBe(100);
  });

  it('fails the synth naming the setting when the secret version label is not one', () => {
    expect(() => createEstherStack({ context: { telegramSecretVersion: 'has space' } })).toThrow(
      'Invalid CDK context "telegramSecretVersion": expected a secret version label: 1 to 64 letters, digits, dots, underscores or hyphens, got "has space".',
    );
  });
});
