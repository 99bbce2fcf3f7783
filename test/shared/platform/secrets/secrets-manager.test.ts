import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSecretsReader } from '../../../../shared/platform/secrets/secrets-manager';
import {
  SecretUnavailableError,
  isSecretUnavailableError,
} from '../../../../shared/platform/secrets/secret-unavailable-error';

const ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:esther/okx-AbCdEf';
const sdk = mockClient(SecretsManagerClient);

function sdkError(name: string): Error {
  return Object.assign(new Error(`${name} from the SDK`), { name });
}

describe('createSecretsReader (Powertools SecretsProvider underneath)', () => {
  const reader = () => createSecretsReader({ client: new SecretsManagerClient({ region: 'eu-central-1' }) });

  beforeEach(() => {
    sdk.reset();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => vi.useRealTimers());

  it('fetches the secret by id and parses its JSON', async () => {
    sdk.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: '{"apiKey":"k"}' });
    await expect(reader().getJson(ARN)).resolves.toEqual({ apiKey: 'k' });
    expect(sdk.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('serves a cached value for 300 s, then fetches again', async () => {
    sdk.on(GetSecretValueCommand).resolvesOnce({ SecretString: '{"v":"1"}' }).resolves({ SecretString: '{"v":"2"}' });
    const secrets = reader();
    await expect(secrets.getJson(ARN)).resolves.toEqual({ v: '1' });
    vi.setSystemTime(1_000_000 + 300_000);
    await expect(secrets.getJson(ARN)).resolves.toEqual({ v: '1' });
    expect(sdk.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    vi.setSystemTime(1_000_000 + 300_001);
    await expect(secrets.getJson(ARN)).resolves.toEqual({ v: '2' });
    expect(sdk.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('honours a custom maxAge', async () => {
    sdk.on(GetSecretValueCommand).resolves({ SecretString: '{}' });
    const secrets = createSecretsReader({
      client: new SecretsManagerClient({ region: 'eu-central-1' }),
      maxAgeSeconds: 10,
    });
    await secrets.getJson(ARN);
    vi.setSystemTime(1_000_000 + 10_000);
    await secrets.getJson(ARN);
    expect(sdk.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    vi.setSystemTime(1_000_000 + 10_001);
    await secrets.getJson(ARN);
    expect(sdk.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('fetches again on forceRefresh even when the cache is fresh', async () => {
    sdk
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: '{"v":"old"}' })
      .resolves({ SecretString: '{"v":"new"}' });
    const secrets = reader();
    await secrets.getJson(ARN);
    await expect(secrets.getJson(ARN, { forceRefresh: true })).resolves.toEqual({ v: 'new' });
    await expect(secrets.getJson(ARN)).resolves.toEqual({ v: 'new' });
    expect(sdk.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('does not cache a failure: the next call asks again', async () => {
    sdk.on(GetSecretValueCommand).rejectsOnce(sdkError('ThrottlingException')).resolves({ SecretString: '{"v":"1"}' });
    const secrets = reader();
    await expect(secrets.getJson(ARN)).rejects.toMatchObject({ name: 'SecretUnavailableError', reason: 'unavailable' });
    await expect(secrets.getJson(ARN)).resolves.toEqual({ v: '1' });
    expect(sdk.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it.each([
    ['ResourceNotFoundException', 'not-found'],
    ['AccessDeniedException', 'access-denied'],
    ['DecryptionFailure', 'decryption-failed'],
    ['InternalServiceError', 'unavailable'],
  ])('translates %s into SecretUnavailableError(%s) keeping the SDK error as cause', async (name, reason) => {
    const cause = sdkError(name);
    sdk.on(GetSecretValueCommand).rejects(cause);
    const error = await reader()
      .getJson(ARN)
      .catch((caught: unknown) => caught);
    expect(isSecretUnavailableError(error)).toBe(true);
    expect(error).toMatchObject({ secretId: ARN, reason, message: `secret ${ARN} is unavailable (${reason})` });
    expect((error as Error).cause).toBe(cause);
  });

  it('recognises the modelled SDK exception class', async () => {
    sdk.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: 'gone', $metadata: {} }));
    await expect(reader().getJson(ARN)).rejects.toMatchObject({ reason: 'not-found' });
  });

  it('treats an error without a name as unavailable', async () => {
    sdk.on(GetSecretValueCommand).callsFake(() => Promise.reject(undefined));
    await expect(reader().getJson(ARN)).rejects.toMatchObject({ reason: 'unavailable' });
  });

  it('rejects malformed JSON without quoting the secret and without caching it', async () => {
    sdk
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: 'hunter2-not-json' })
      .resolves({ SecretString: '{"v":"fixed"}' });
    const secrets = reader();
    const error = (await secrets.getJson(ARN).catch((caught: unknown) => caught)) as SecretUnavailableError;
    expect(error).toBeInstanceOf(SecretUnavailableError);
    expect(error).toMatchObject({
      reason: 'malformed',
      message: `secret ${ARN} is unavailable (malformed): SecretString is not valid JSON`,
    });
    expect(error.cause).toBeUndefined();
    expect(JSON.stringify({ message: error.message, stack: error.stack })).not.toContain('hunter2');
    await expect(secrets.getJson(ARN)).resolves.toEqual({ v: 'fixed' });
  });

  it.each(['[1,2]', '"text"', 'null', '42'])('rejects JSON that is not an object (%s)', async (secretString) => {
    sdk.on(GetSecretValueCommand).resolves({ SecretString: secretString });
    await expect(reader().getJson(ARN)).rejects.toMatchObject({
      reason: 'malformed',
      message: expect.stringContaining('not a JSON object'),
    });
  });

  it('rejects a binary-only secret', async () => {
    sdk.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1, 2]) });
    await expect(reader().getJson(ARN)).rejects.toMatchObject({
      reason: 'malformed',
      message: expect.stringContaining('no SecretString'),
    });
  });

  it('drops a cached value on invalidate', async () => {
    sdk.on(GetSecretValueCommand).resolves({ SecretString: '{}' });
    const secrets = reader();
    await secrets.getJson(ARN);
    secrets.invalidate();
    await secrets.getJson(ARN);
    expect(sdk.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('keeps a newer cache entry when an older forced request fails late', async () => {
    let rejectFirst: (error: Error) => void = () => undefined;
    sdk
      .on(GetSecretValueCommand)
      .callsFakeOnce(() => new Promise((_, reject) => (rejectFirst = reject)))
      .resolves({ SecretString: '{"v":"2"}' });
    const secrets = reader();
    const first = secrets.getJson(ARN);
    await expect(secrets.getJson(ARN, { forceRefresh: true })).resolves.toEqual({ v: '2' });
    rejectFirst(sdkError('ThrottlingException'));
    await expect(first).rejects.toBeInstanceOf(SecretUnavailableError);
    await expect(secrets.getJson(ARN)).resolves.toEqual({ v: '2' });
    expect(sdk.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });
});
