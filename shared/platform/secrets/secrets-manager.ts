import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterError } from '@aws-lambda-powertools/parameters/errors';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretUnavailableError, type SecretFailureReason } from './secret-unavailable-error';

export const DEFAULT_SECRET_MAX_AGE_SECONDS = 300;

export interface SecretReadOptions {
  /** Skip the cache and fetch again (e.g. once after the upstream rejected the credentials). */
  readonly forceRefresh?: boolean;
}

export interface SecretsReader {
  /** The secret's `SecretString` parsed as a JSON object, cached for `maxAgeSeconds`. */
  getJson(secretId: string, options?: SecretReadOptions): Promise<Record<string, unknown>>;
  /** Drops the cached values, e.g. when a secret's content turned out to be unusable. */
  invalidate(): void;
}

export interface SecretsReaderOptions {
  readonly client?: SecretsManagerClient;
  readonly maxAgeSeconds?: number;
}

const SDK_ERROR_REASONS: Record<string, SecretFailureReason> = {
  ResourceNotFoundException: 'not-found',
  AccessDeniedException: 'access-denied',
  DecryptionFailure: 'decryption-failed',
};

/**
 * JSON secrets through Powertools Parameters (`SecretsProvider`): it caches a value for `maxAge` and never a
 * failure, and `forceFetch` skips the cache. Here: SDK failures become `SecretUnavailableError` naming the
 * reason, the value is parsed without ever quoting it (Powertools' `json` transform would put the parser's
 * message, which quotes the input, into its error), and an unusable value is dropped from the cache.
 */
export function createSecretsReader(options: SecretsReaderOptions = {}): SecretsReader {
  const provider = new SecretsProvider({ awsSdkV3Client: options.client ?? new SecretsManagerClient({}) });
  const maxAge = options.maxAgeSeconds ?? DEFAULT_SECRET_MAX_AGE_SECONDS;

  return {
    async getJson(secretId, readOptions = {}) {
      const value = await fetchSecret(provider, secretId, maxAge, readOptions.forceRefresh === true);
      try {
        return parseJsonObject(secretId, value);
      } catch (error) {
        provider.clearCache();
        throw error;
      }
    },
    invalidate() {
      provider.clearCache();
    },
  };
}

async function fetchSecret(
  provider: SecretsProvider,
  secretId: string,
  maxAge: number,
  forceFetch: boolean,
): Promise<unknown> {
  try {
    return await provider.get(secretId, { maxAge, forceFetch });
  } catch (error) {
    const cause = error instanceof GetParameterError ? error.cause : error;
    const reason = SDK_ERROR_REASONS[(cause as { name?: string } | undefined)?.name ?? ''] ?? 'unavailable';
    throw new SecretUnavailableError(secretId, reason, undefined, { cause });
  }
}

function parseJsonObject(secretId: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'string')
    throw new SecretUnavailableError(secretId, 'malformed', 'no SecretString (binary secrets are not supported)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    // The SyntaxError quotes part of the input, i.e. the secret: it must not become the cause.
    throw new SecretUnavailableError(secretId, 'malformed', 'SecretString is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new SecretUnavailableError(secretId, 'malformed', 'SecretString is not a JSON object');
  return parsed as Record<string, unknown>;
}
