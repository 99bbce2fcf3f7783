import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSecretsReader, type SecretsReader } from '../../../../shared/platform/secrets/secrets-manager';
import { SecretUnavailableError } from '../../../../shared/platform/secrets/secret-unavailable-error';
import { loadOkxCredentials, loadTelegramCredentials } from '../../../../shared/platform/config/credentials';
import { MissingConfigError } from '../../../../shared/platform/config/env-names';

const TELEGRAM_ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:esther/telegram-AbCdEf';
const OKX_ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:esther/okx-AbCdEf';
const OKX_SECRET = { apiKey: 'key', secretKey: 'secret', passphrase: 'pass', projectId: 'project' };
const sdk = mockClient(SecretsManagerClient);

describe('credentials', () => {
  let reader: SecretsReader;
  beforeEach(() => {
    sdk.reset();
    reader = createSecretsReader({ client: new SecretsManagerClient({ region: 'eu-central-1' }) });
  });

  describe('loadTelegramCredentials', () => {
    it('reads bot token and webhook secret from the JSON secret named by TELEGRAM_SECRET_ARN', async () => {
      sdk
        .on(GetSecretValueCommand, { SecretId: TELEGRAM_ARN })
        .resolves({ SecretString: JSON.stringify({ botToken: '123:abc', webhookSecret: 'w', extra: 'ignored' }) });
      await expect(
        loadTelegramCredentials({ TELEGRAM_SECRET_ARN: TELEGRAM_ARN, TELEGRAM_BOT_TOKEN: 'env-token' }, { reader }),
      ).resolves.toEqual({
        botToken: '123:abc',
        webhookSecret: 'w',
      });
    });

    it('falls back to TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET without an ARN', async () => {
      await expect(
        loadTelegramCredentials(
          { TELEGRAM_BOT_TOKEN: 't', TELEGRAM_WEBHOOK_SECRET: 's', TELEGRAM_SECRET_ARN: ' ' },
          { reader },
        ),
      ).resolves.toEqual({
        botToken: 't',
        webhookSecret: 's',
      });
      expect(sdk.commandCalls(GetSecretValueCommand)).toHaveLength(0);
    });

    it('fails fast naming the missing local variable', async () => {
      await expect(loadTelegramCredentials({ TELEGRAM_BOT_TOKEN: 't' }, { reader })).rejects.toThrow(
        new MissingConfigError('TELEGRAM_WEBHOOK_SECRET'),
      );
    });

    it('rejects a secret that lacks a key, naming the key but not the values, and does not cache it', async () => {
      sdk
        .on(GetSecretValueCommand)
        .resolvesOnce({ SecretString: JSON.stringify({ botToken: 'sekrit-token', webhookSecret: '  ' }) })
        .resolves({ SecretString: JSON.stringify({ botToken: 'sekrit-token', webhookSecret: 'w' }) });
      const env = { TELEGRAM_SECRET_ARN: TELEGRAM_ARN };
      const error = await loadTelegramCredentials(env, { reader }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SecretUnavailableError);
      expect(error).toMatchObject({
        reason: 'missing-keys',
        message: `secret ${TELEGRAM_ARN} is unavailable (missing-keys): expected non-empty string keys webhookSecret`,
      });
      expect((error as Error).message).not.toContain('sekrit');
      await expect(loadTelegramCredentials(env, { reader })).resolves.toEqual({
        botToken: 'sekrit-token',
        webhookSecret: 'w',
      });
    });
  });

  describe('loadOkxCredentials', () => {
    it('reads the four keys from the JSON secret named by OKX_SECRET_ARN', async () => {
      sdk.on(GetSecretValueCommand, { SecretId: OKX_ARN }).resolves({ SecretString: JSON.stringify(OKX_SECRET) });
      await expect(loadOkxCredentials({ OKX_SECRET_ARN: OKX_ARN }, { reader })).resolves.toEqual(OKX_SECRET);
    });

    it('caches the secret and re-fetches on forceRefresh (after an auth failure)', async () => {
      sdk
        .on(GetSecretValueCommand)
        .resolvesOnce({ SecretString: JSON.stringify(OKX_SECRET) })
        .resolves({ SecretString: JSON.stringify({ ...OKX_SECRET, apiKey: 'rotated' }) });
      const env = { OKX_SECRET_ARN: OKX_ARN };
      await loadOkxCredentials(env, { reader });
      await expect(loadOkxCredentials(env, { reader })).resolves.toMatchObject({ apiKey: 'key' });
      await expect(loadOkxCredentials(env, { reader, forceRefresh: true })).resolves.toMatchObject({
        apiKey: 'rotated',
      });
      expect(sdk.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    });

    it('names every missing or non-string key', async () => {
      sdk.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ apiKey: 'key', secretKey: 42 }) });
      await expect(loadOkxCredentials({ OKX_SECRET_ARN: OKX_ARN }, { reader })).rejects.toMatchObject({
        reason: 'missing-keys',
        message: expect.stringContaining('secretKey, passphrase, projectId'),
      });
    });

    it('passes a Secrets Manager failure on as SecretUnavailableError', async () => {
      sdk.on(GetSecretValueCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
      await expect(loadOkxCredentials({ OKX_SECRET_ARN: OKX_ARN }, { reader })).rejects.toMatchObject({
        name: 'SecretUnavailableError',
        reason: 'access-denied',
      });
    });

    it('reads the local OKX_API_* variables without an ARN', async () => {
      const env = { OKX_API_KEY: 'k', OKX_API_SECRET: 's', OKX_API_PASSPHRASE: 'p', OKX_PROJECT_ID: 'id' };
      await expect(loadOkxCredentials(env, { reader })).resolves.toEqual({
        apiKey: 'k',
        secretKey: 's',
        passphrase: 'p',
        projectId: 'id',
      });
      expect(sdk.commandCalls(GetSecretValueCommand)).toHaveLength(0);
    });

    it('returns undefined when no OKX credentials are configured locally (use the sandbox)', async () => {
      await expect(loadOkxCredentials({ OKX_API_KEY: '' }, { reader })).resolves.toBeUndefined();
    });

    it('rejects a partial local set, naming the first missing variable', async () => {
      await expect(loadOkxCredentials({ OKX_API_KEY: 'k', OKX_API_SECRET: 's' }, { reader })).rejects.toThrow(
        new MissingConfigError('OKX_API_PASSPHRASE'),
      );
    });

    it('reads process.env when given it, and the secret only through the reader', async () => {
      const saved = { ...process.env };
      try {
        for (const name of ['OKX_SECRET_ARN', 'OKX_API_KEY', 'OKX_API_SECRET', 'OKX_API_PASSPHRASE', 'OKX_PROJECT_ID'])
          delete process.env[name];
        await expect(loadOkxCredentials(process.env, { reader })).resolves.toBeUndefined();
        Object.assign(process.env, { TELEGRAM_SECRET_ARN: TELEGRAM_ARN });
        sdk.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ botToken: 'b', webhookSecret: 'w' }) });
        await expect(loadTelegramCredentials(process.env, { reader })).resolves.toEqual({
          botToken: 'b',
          webhookSecret: 'w',
        });
        expect(sdk.commandCalls(GetSecretValueCommand).map((call) => call.args[0].input.SecretId)).toEqual([
          TELEGRAM_ARN,
        ]);
      } finally {
        process.env = saved;
      }
    });
  });
});
