import { describe, expect, it } from 'vitest';
import { InvalidSettingError, readEstherSettings } from '../../infra/settings';
import { createEstherStack, readCdkJsonContext } from './support/esther-template';

const fromContext = (context: Record<string, unknown>) => readEstherSettings((key) => context[key]);

const CDK_JSON = readCdkJsonContext();
const withCdkJson = (context: Record<string, unknown>) => fromContext({ ...CDK_JSON, ...context });

describe('deploy settings', () => {
  it('reads the dev stage, dry run, the public endpoints and a budget of 1 request/s from cdk.json', () => {
    expect(fromContext(CDK_JSON)).toEqual({
      stage: 'dev',
      stackName: 'EstherPortfolio-dev',
      dryRunMode: true,
      okxBaseUrl: 'https://web3.okx.com',
      telegramApiRoot: 'https://api.telegram.org',
      okxRateLimitPerSecond: 1,
      syncMaxConcurrency: 2,
      syncBatchSize: 5,
      webhookReservedConcurrency: 10,
      apiThrottleRateLimit: 20,
      apiThrottleBurstLimit: 40,
      syncWorkerTimeoutSeconds: 120,
      tableMaxWriteRequestUnits: 1000,
      tableDeletionProtection: true,
      logLevel: 'INFO',
      tracing: false,
      miniAppInitDataMaxAgeSeconds: 86400,
      alarmEmail: undefined,
      telegramSecretName: undefined,
      okxSecretName: undefined,
    });
  });

  it('accepts the strings -c passes, and an empty string as unset', () => {
    const settings = withCdkJson({
      dryRunMode: 'false',
      okxRateLimitPerSecond: '5',
      syncMaxConcurrency: '5',
      okxBaseUrl: 'https://okx.example.com/',
      logLevel: 'debug',
      tracing: true,
      alarmEmail: 'ops@example.com',
      okxSecretName: 'esther/okx',
      telegramSecretName: '',
    });
    expect(settings).toMatchObject({
      dryRunMode: false,
      okxRateLimitPerSecond: 5,
      syncMaxConcurrency: 5,
      okxBaseUrl: 'https://okx.example.com',
      logLevel: 'DEBUG',
      tracing: true,
      alarmEmail: 'ops@example.com',
      okxSecretName: 'esther/okx',
      telegramSecretName: undefined,
    });
  });

  it('names the stack after the stage unless stackName is given', () => {
    expect(withCdkJson({ stage: 'prod' }).stackName).toBe('EstherPortfolio-prod');
    expect(withCdkJson({ stage: 'prod', stackName: 'EstherPortfolio' }).stackName).toBe('EstherPortfolio');
  });

  it('lets stages.<stage> override a setting for that stage only', () => {
    const stages = { prod: { okxSecretName: 'esther/prod/okx', tracing: true, stackName: 'Esther-live' } };
    expect(withCdkJson({ stage: 'prod', stages })).toMatchObject({
      stage: 'prod',
      stackName: 'Esther-live',
      okxSecretName: 'esther/prod/okx',
      tracing: true,
    });
    expect(withCdkJson({ stage: 'dev', stages })).toMatchObject({
      stackName: 'EstherPortfolio-dev',
      okxSecretName: undefined,
      tracing: false,
    });
    expect(() => withCdkJson({ stage: 'prod', stages: { prod: { syncBatchSize: 0 } } })).toThrow(
      /"syncBatchSize": expected an integer from 1 to 10, got "0"/,
    );
  });

  it.each([
    'stage',
    'dryRunMode',
    'okxBaseUrl',
    'telegramApiRoot',
    'okxRateLimitPerSecond',
    'syncMaxConcurrency',
    'syncBatchSize',
    'webhookReservedConcurrency',
    'apiThrottleRateLimit',
    'apiThrottleBurstLimit',
    'syncWorkerTimeoutSeconds',
    'tableMaxWriteRequestUnits',
    'tableDeletionProtection',
    'logLevel',
    'tracing',
    'miniAppInitDataMaxAgeSeconds',
  ])('fails when the required setting %s is missing', (key) => {
    const context: Record<string, unknown> = { ...CDK_JSON };
    delete context[key];
    expect(() => fromContext(context)).toThrow(new RegExp(`^Invalid CDK context "${key}": missing, expected `));
  });

  it.each([
    [
      { stage: 'Prod' },
      /"stage": expected a stage name: 1 to 20 lower-case letters, digits or inner hyphens.*got "Prod"/,
    ],
    [{ stage: 'dev-' }, /"stage": expected a stage name/],
    [{ stage: 'a-very-long-stage-name-x' }, /"stage": expected a stage name/],
    [{ stackName: 'Esther_dev' }, /"stackName": expected a CloudFormation stack name/],
    [{ stages: ['prod'] }, /"stages": expected an object of stage name -> settings/],
    [{ stages: { dev: 'x' } }, /"stages.dev": expected an object of setting -> value/],
    [{ dryRunMode: 'maybe' }, /Invalid CDK context "dryRunMode": expected true or false, got "maybe"/],
    [{ tableDeletionProtection: 'no' }, /"tableDeletionProtection": expected true or false, got "no"/],
    [{ okxRateLimitPerSecond: 0 }, /"okxRateLimitPerSecond": expected an integer from 1 to 1000, got "0"/],
    [{ okxRateLimitPerSecond: '1.5' }, /"okxRateLimitPerSecond": expected an integer/],
    [{ okxRateLimitPerSecond: -3 }, /"okxRateLimitPerSecond"/],
    [{ syncMaxConcurrency: 1 }, /"syncMaxConcurrency": expected an integer from 2 to 1000/],
    [{ syncBatchSize: 11 }, /"syncBatchSize": expected an integer from 1 to 10/],
    [{ webhookReservedConcurrency: 0 }, /"webhookReservedConcurrency": expected an integer from 1 to 1000/],
    [{ apiThrottleRateLimit: 10_001 }, /"apiThrottleRateLimit": expected an integer from 1 to 10000/],
    [{ apiThrottleBurstLimit: 0 }, /"apiThrottleBurstLimit": expected an integer from 1 to 5000/],
    [{ syncWorkerTimeoutSeconds: 901 }, /"syncWorkerTimeoutSeconds": expected an integer from 10 to 900/],
    [{ tableMaxWriteRequestUnits: 0 }, /"tableMaxWriteRequestUnits": expected an integer from 1 to 40000/],
    [{ okxBaseUrl: 'not a url' }, /"okxBaseUrl": expected an https URL, got "not a url"/],
    [{ telegramApiRoot: 'http://api.telegram.org' }, /"telegramApiRoot": expected an https URL/],
    [{ logLevel: 'LOUD' }, /"logLevel": expected one of DEBUG, INFO, WARN, ERROR, got "LOUD"/],
    [{ alarmEmail: 'ops-at-example' }, /"alarmEmail": expected an e-mail address/],
    [{ okxSecretName: 'has spaces' }, /"okxSecretName": expected a Secrets Manager secret name/],
    [{ telegramSecretName: 'a*b' }, /"telegramSecretName": expected a Secrets Manager secret name/],
    [{ tracing: { on: true } }, /"tracing": expected a plain value/],
    [{ miniAppInitDataMaxAgeSeconds: 59 }, /"miniAppInitDataMaxAgeSeconds": expected an integer from 60 to 604800/],
    [
      { miniAppInitDataMaxAgeSeconds: 604_801 },
      /"miniAppInitDataMaxAgeSeconds": expected an integer from 60 to 604800/,
    ],
  ])('rejects %j with a message naming the setting', (context, message) => {
    expect(() => withCdkJson(context)).toThrow(InvalidSettingError);
    expect(() => withCdkJson(context)).toThrow(message);
  });

  it('tells how to fix it', () => {
    expect(() => withCdkJson({ syncBatchSize: 0 })).toThrow(
      'Set it in cdk.json ("context") or with -c syncBatchSize=<value>.',
    );
  });

  it('fails the synth of the stack on a bad context value', () => {
    expect(() => createEstherStack({ context: { dryRunMode: 'yes please' } })).toThrow(
      /Invalid CDK context "dryRunMode"/,
    );
  });

  it('turns off dry run in the functions only when the context says so', () => {
    const { stack } = createEstherStack({ context: { dryRunMode: false } });
    expect(stack.settings.dryRunMode).toBe(false);
  });
});
