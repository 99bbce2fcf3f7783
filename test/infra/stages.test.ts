import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { addEstherStage } from '../../infra/stage';
import { readCdkJsonContext, SYNTH_TIMEOUT } from './support/esther-template';

const ENV = { account: '123456789012', region: 'eu-central-1' };

/** What `cdk synth -c key=value ...` builds from infra/app.ts (no esbuild). */
function synthStage(context: Record<string, unknown>) {
  const app = new App({ context: { ...readCdkJsonContext(), 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = addEstherStage(app, ENV);
  return { stack, template: Template.fromStack(stack) };
}

/** CloudFormation properties that would fix a physical name, and so clash between stages. */
const PHYSICAL_NAMES = [
  'TableName',
  'FunctionName',
  'QueueName',
  'TopicName',
  'Name',
  'RoleName',
  'LogGroupName',
  'ScheduleGroupName',
  'AlarmName',
  'DashboardName',
];

describe('stages', SYNTH_TIMEOUT, () => {
  it('synthesises dev and prod side by side under their own stack names', () => {
    const dev = synthStage({ stage: 'dev' });
    const prod = synthStage({ stage: 'prod' });
    expect(dev.stack.stackName).toBe('EstherPortfolio-dev');
    expect(prod.stack.stackName).toBe('EstherPortfolio-prod');
    expect(dev.stack.settings.stage).toBe('dev');
    expect(prod.stack.settings.stage).toBe('prod');
    expect(Object.keys(prod.template.findResources('AWS::DynamoDB::Table'))).toHaveLength(5);
    expect(prod.template.toJSON().Description).toBe(
      'Esther Portfolio (prod): Telegram bot for multi-chain crypto portfolios on the OKX Web3 API',
    );
  }, 60_000);

  it('takes the stack name from stackName when given', () => {
    const { stack } = synthStage({ stage: 'prod', stackName: 'EstherPortfolio' });
    expect(stack.stackName).toBe('EstherPortfolio');
    expect(Stack.of(stack).node.id).toBe('EstherPortfolio');
  });

  it('tags every resource with its stage', () => {
    const { template } = synthStage({ stage: 'prod' });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      Tags: Match.arrayWith([{ Key: 'stage', Value: 'prod' }]),
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Tags: Match.arrayWith([
        { Key: 'project', Value: 'esther-portfolio' },
        { Key: 'stage', Value: 'prod' },
      ]),
    });
  });

  it('fixes no physical name, so two stages never clash in one account and region', () => {
    const { template } = synthStage({ stage: 'prod' });
    const resources = template.toJSON().Resources as Record<string, { Properties?: Record<string, unknown> }>;
    const fixed = Object.entries(resources).flatMap(([id, resource]) =>
      Object.entries(resource.Properties ?? {})
        .filter(([key, value]) => PHYSICAL_NAMES.includes(key) && typeof value === 'string')
        .map(([key]) => `${id}.${key}`),
    );
    // The HTTP API's Name is a label, not unique in an account; the dashboard's carries the stack name;
    // everything else is generated.
    expect(fixed.sort()).toEqual([
      expect.stringMatching(/^OperationsDashboard\w+\.DashboardName$/),
      expect.stringMatching(/^WebhookApi\w+\.Name$/),
    ]);
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'EstherPortfolio-prod-operations' });
  });

  it('fails the synth with the setting and what is expected when the stage is invalid or missing', () => {
    expect(() => synthStage({ stage: 'Prod' })).toThrow(/Invalid CDK context "stage": expected a stage name/);
    expect(() => synthStage({ stage: undefined })).toThrow(
      /Invalid CDK context "stage": missing, expected a stage name/,
    );
  });
});

describe('placeholder secrets', SYNTH_TIMEOUT, () => {
  it('warns at synth for each secret created with placeholder values', () => {
    const { stack } = synthStage({ stage: 'dev' });
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('placeholder values'));
    expect(warnings.map((warning) => warning.id)).toEqual([
      '/EstherPortfolio-dev/Secrets',
      '/EstherPortfolio-dev/Secrets',
    ]);
    expect(warnings.map((warning) => warning.entry.data)).toEqual([
      expect.stringContaining(
        'TelegramSecret is created with placeholder values (REPLACE_ME) because "telegramSecretName" is not set',
      ),
      expect.stringContaining(
        'OkxSecret is created with placeholder values (REPLACE_ME) because "okxSecretName" is not set',
      ),
    ]);
  });

  it('stays quiet for secrets imported by name', () => {
    const { stack, template } = synthStage({ telegramSecretName: 'esther/telegram', okxSecretName: 'esther/okx' });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('placeholder values'))).toEqual([]);
    expect(template.findResources('AWS::SecretsManager::Secret')).toEqual({});
  });
});
