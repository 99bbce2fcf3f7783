import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../../../dev-tools/fake-telegram/index';
import { createLocalLambdaContext } from '../../../dev-tools/local/local-lambda-context';
import type { handler as Handler } from '../../../functions/bot-registration/handler';
import { captureOutput } from '../../support/captured-output';
import { createEvent, deleteEvent, updateEvent, TEMPLATE_PROPERTIES, WEBHOOK_URL } from './registration-events';

// The Lambda entry driven for real: middy, Powertools Logger, the Telegram secret through the app's secrets part
// (Powertools Parameters over a mocked Secrets Manager), the fake Bot API over HTTP at TELEGRAM_API_ROOT.
const SECRET_ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:TelegramSecret-AbCdEf';
const TOKEN = '7012345678:AAH-lambda-test-token_0123456789abcdef';
const secrets = mockClient(SecretsManagerClient);
let fake: FakeTelegram;
let handler: typeof Handler;

const context = () => createLocalLambdaContext({ functionName: 'BotRegistration', timeoutMs: 60_000, memoryMb: 256 });
const secretValue = (webhookSecret: string) => ({
  SecretString: JSON.stringify({ botToken: TOKEN, webhookSecret }),
});

beforeAll(async () => {
  fake = await startFakeTelegram({ token: TOKEN });
  Object.assign(process.env, {
    TELEGRAM_SECRET_ARN: SECRET_ARN,
    TELEGRAM_API_ROOT: fake.apiRoot,
    AWS_REGION: 'eu-central-1',
  });
  ({ handler } = await import('../../../functions/bot-registration/handler'));
});
afterAll(async () => {
  secrets.restore();
  await fake.stop();
  for (const key of ['TELEGRAM_SECRET_ARN', 'TELEGRAM_API_ROOT']) delete process.env[key];
});

describe('bot-registration Lambda (CloudFormation custom resource events through the Provider framework)', () => {
  it('registers with the secret it reads fresh on every event, and logs neither token nor secret', async () => {
    secrets.on(GetSecretValueCommand).resolvesOnce(secretValue('FirstSecret')).resolves(secretValue('RotatedSecret'));
    const output = captureOutput();

    const created = await handler(createEvent(), context());
    const rotated = await handler(updateEvent({ ...TEMPLATE_PROPERTIES, SecretVersion: 'v2' }), context());
    const deleted = await handler(deleteEvent({ ...TEMPLATE_PROPERTIES, SecretVersion: 'v2' }), context());
    output.restore();

    expect([created.PhysicalResourceId, rotated.PhysicalResourceId, deleted.PhysicalResourceId]).toEqual([
      'telegram-bot-registration',
      'telegram-bot-registration',
      'telegram-bot-registration',
    ]);
    const webhookCalls = fake.calls.filter((call) => call.method === 'setWebhook');
    expect(webhookCalls.map((call) => [call.payload.url, call.payload.secret_token])).toEqual([
      [WEBHOOK_URL, 'FirstSecret'],
      [WEBHOOK_URL, 'RotatedSecret'],
    ]);
    expect(fake.calls.slice(-2).map((call) => call.method)).toEqual(['getWebhookInfo', 'deleteWebhook']);
    // No cache between events: a deploy right after a rotation must not register the old secret.
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(3);
    const logs = output.lines.join('\n');
    expect(output.json()).toContainEqual(
      expect.objectContaining({ level: 'INFO', message: 'bot registration', requestType: 'Create' }),
    );
    for (const secret of [TOKEN, 'FirstSecret', 'RotatedSecret']) expect(logs).not.toContain(secret);
  });
});
