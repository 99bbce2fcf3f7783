import { describe, expect, it } from 'vitest';
import { InvalidSettingError, readEstherSettings } from '../../infra/settings';
import { createEstherStack, readCdkJsonContext } from './support/esther-template';

const fromContext = (context: Record<string, unknown>) => readEstherSettings((key) => context[key]);

describe('deploy settings', () => {
  it('defaults to dry run, the public endpoints and a budget of 1 request/s', () => {
    expect(fromContext({})).toEqual({
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
      logLevel: 'INFO',
      tracing: false,
      alarmEmail: undefined,
      telegramSecretName: undefined,
      okxSecretName: undefined,
    });
  });

  it('accepts cdk.json values and the strings -c passes', () => {
    expect(fromContext(readCdkJsonContext())).toEqual(fromContext({}));
    const settings = fromContext({
      dryRunMode: 'false',
      okxRateLimitPerSecond: '5',
      okxBaseUrl: 'https://okx.example.com/',
      logLevel: 'debug',
      tracing: true,
      alarmEmail: 'ops@example.com',
      okxSecretName: 'esther/okx',
      syncBatchSize: '',
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
      syncBatchSize: 5,
    });
  });

  it.each([
    [{ dryRunMode: 'maybe' }, /Invalid CDK context "dryRunMode": expected true or false, got "maybe"/],
    [{ okxRateLimitPerSecond: 0 }, /"okxRateLimitPerSecond": expected an integer from 1 to 1000, got "0"/],
    [{ okxRateLimitPerSecond: '1.5' }, /"okxRateLimitPerSecond": expected an integer/],
    [{ okxRateLimitPerSecond: -3 }, /"okxRateLimitPerSecond"/],
    [{ syncMaxConcurrency: 1 }, /"syncMaxConcurrency": expected an integer from 2 to 1000/],
    [{ syncBatchSize: 11 }, /"syncBatchSize": expected an integer from 1 to 10/],
    [{ syncWorkerTimeoutSeconds: 901 }, /"syncWorkerTimeoutSeconds": expected an integer from 10 to 900/],
    [{ okxBaseUrl: 'not a url' }, /"okxBaseUrl": expected an https URL, got "not a url"/],
    [{ telegramApiRoot: 'http://api.telegram.org' }, /"telegramApiRoot": expected an https URL/],
    [{ logLevel: 'LOUD' }, /"logLevel": expected one of DEBUG, INFO, WARN, ERROR, got "LOUD"/],
    [{ alarmEmail: 'ops-at-example' }, /"alarmEmail": expected an e-mail address/],
    [{ okxSecretName: 'has spaces' }, /"okxSecretName": expected a Secrets Manager secret name/],
    [{ tracing: { on: true } }, /"tracing": expected a plain value/],
  ])('rejects %j with a message naming the setting', (context, message) => {
    expect(() => fromContext(context)).toThrow(InvalidSettingError);
    expect(() => fromContext(context)).toThrow(message);
  });

  it('tells how to fix it', () => {
    expect(() => fromContext({ syncBatchSize: 0 })).toThrow(
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
