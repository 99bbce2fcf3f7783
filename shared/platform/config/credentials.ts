import type { SecretsReader } from '../secrets/secrets-manager';
import { SecretUnavailableError } from '../secrets/secret-unavailable-error';
import { ENV, MissingConfigError, optionalEnv, requireEnv } from './env-names';

/** What a secret the stack created holds until the operator puts the real values in (infra/constructs/secrets.ts). */
export const SECRET_PLACEHOLDER = 'REPLACE_ME';

export interface TelegramCredentials {
  readonly botToken: string;
  readonly webhookSecret: string;
}

export interface OkxCredentials {
  readonly apiKey: string;
  readonly secretKey: string;
  readonly passphrase: string;
  readonly projectId: string;
}

export interface LoadCredentialsOptions {
  /** Fetch the secret again even if a cached copy is still fresh (e.g. once after an auth failure). */
  readonly forceRefresh?: boolean;
  /** The container's one secrets reader (the app's `secrets` part); read only when a secret ARN is set. */
  readonly reader: SecretsReader;
}

type Env = Record<string, string | undefined>;

const TELEGRAM_KEYS = ['botToken', 'webhookSecret'] as const;
const OKX_KEYS = ['apiKey', 'secretKey', 'passphrase', 'projectId'] as const;

/** Local variable for each OKX secret key, used when no `OKX_SECRET_ARN` is set. */
const OKX_ENV: Record<(typeof OKX_KEYS)[number], string> = {
  apiKey: ENV.okxApiKey,
  secretKey: ENV.okxApiSecret,
  passphrase: ENV.okxApiPassphrase,
  projectId: ENV.okxProjectId,
};

/**
 * Bot token and webhook secret: from the JSON secret `TELEGRAM_SECRET_ARN` in AWS, else from
 * `TELEGRAM_BOT_TOKEN` / `TELEGRAM_WEBHOOK_SECRET` (both required).
 */
export async function loadTelegramCredentials(env: Env, options: LoadCredentialsOptions): Promise<TelegramCredentials> {
  const secretArn = optionalEnv(ENV.telegramSecretArn, env);
  if (secretArn) return readSecretKeys(secretArn, TELEGRAM_KEYS, options);
  return {
    botToken: requireEnv(ENV.telegramBotToken, env),
    webhookSecret: requireEnv(ENV.telegramWebhookSecret, env),
  };
}

/**
 * OKX API key set: from the JSON secret `OKX_SECRET_ARN` in AWS, else from the `OKX_API_*` variables.
 * Locally, no OKX variable at all returns undefined (use the sandbox); a partial set is a config error.
 */
export async function loadOkxCredentials(
  env: Env,
  options: LoadCredentialsOptions,
): Promise<OkxCredentials | undefined> {
  const secretArn = optionalEnv(ENV.okxSecretArn, env);
  if (secretArn) return readSecretKeys(secretArn, OKX_KEYS, options);
  const values = OKX_KEYS.map((key) => [key, optionalEnv(OKX_ENV[key], env)] as const);
  if (values.every(([, value]) => value === undefined)) return undefined;
  const missing = values.find(([, value]) => value === undefined);
  if (missing) throw new MissingConfigError(OKX_ENV[missing[0]]);
  return Object.fromEntries(values) as unknown as OkxCredentials;
}

async function readSecretKeys<K extends string>(
  secretId: string,
  keys: readonly K[],
  options: LoadCredentialsOptions,
): Promise<Record<K, string>> {
  const reader = options.reader;
  const json = await reader.getJson(secretId, { forceRefresh: options.forceRefresh });
  const missing = keys.filter((key) => typeof json[key] !== 'string' || (json[key] as string).trim() === '');
  if (missing.length > 0) {
    reader.invalidate();
    throw new SecretUnavailableError(secretId, 'missing-keys', `expected non-empty string keys ${missing.join(', ')}`);
  }
  return Object.fromEntries(keys.map((key) => [key, json[key]])) as Record<K, string>;
}
