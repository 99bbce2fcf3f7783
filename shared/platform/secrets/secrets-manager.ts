import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretUnavailableError, type SecretFailureReason } from './secret-unavailable-error';

export const DEFAULT_SECRET_MAX_AGE_SECONDS = 300;

export interface SecretReadOptions {
  /** Skip the cache and fetch again (e.g. once after the upstream rejected the credentials). */
  readonly forceRefresh?: boolean;
}

export interface SecretsReader {
  /** The secret's `SecretString` parsed as a JSON object, cached for `maxAgeSeconds`. */
  getJson(secretId: string, options?: SecretReadOptions): Promise<Record<string, unknown>>;
  /** Drops a cached value, e.g. when its content turned out to be unusable. */
  invalidate(secretId: string): void;
}

export interface SecretsReaderOptions {
  readonly client?: SecretsManagerClient;
  readonly maxAgeSeconds?: number;
  readonly now?: () => number;
}

interface CacheEntry {
  readonly value: Promise<Record<string, unknown>>;
  readonly fetchedAt: number;
}

const SDK_ERROR_REASONS: Record<string, SecretFailureReason> = {
  ResourceNotFoundException: 'not-found',
  AccessDeniedException: 'access-denied',
  DecryptionFailure: 'decryption-failed',
};

/**
 * Reads JSON secrets with a time-based cache. Concurrent callers share one in-flight request; a failed
 * fetch or an unparseable value is evicted at once so the next call tries again (a failure is never cached).
 */
export function createSecretsReader(options: SecretsReaderOptions = {}): SecretsReader {
  const client = options.client ?? new SecretsManagerClient({});
  const maxAgeMs = (options.maxAgeSeconds ?? DEFAULT_SECRET_MAX_AGE_SECONDS) * 1000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, CacheEntry>();

  const fetchJson = async (secretId: string): Promise<Record<string, unknown>> => {
    const secretString = await fetchSecretString(client, secretId);
    return parseJsonObject(secretId, secretString);
  };

  return {
    getJson(secretId, readOptions = {}) {
      const cached = cache.get(secretId);
      if (cached && !readOptions.forceRefresh && now() - cached.fetchedAt < maxAgeMs) return cached.value;
      const value = fetchJson(secretId);
      const entry = { value, fetchedAt: now() };
      cache.set(secretId, entry);
      value.catch(() => {
        if (cache.get(secretId) === entry) cache.delete(secretId);
      });
      return value;
    },
    invalidate(secretId) {
      cache.delete(secretId);
    },
  };
}

async function fetchSecretString(client: SecretsManagerClient, secretId: string): Promise<string> {
  let secretString: string | undefined;
  try {
    ({ SecretString: secretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId })));
  } catch (error) {
    const reason = SDK_ERROR_REASONS[(error as { name?: string } | undefined)?.name ?? ''] ?? 'unavailable';
    throw new SecretUnavailableError(secretId, reason, undefined, { cause: error });
  }
  if (secretString === undefined) throw new SecretUnavailableError(secretId, 'malformed', 'no SecretString (binary secrets are not supported)');
  return secretString;
}

function parseJsonObject(secretId: string, secretString: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    // The SyntaxError quotes part of the input, i.e. the secret: it must not become the cause.
    throw new SecretUnavailableError(secretId, 'malformed', 'SecretString is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new SecretUnavailableError(secretId, 'malformed', 'SecretString is not a JSON object');
  return parsed as Record<string, unknown>;
}

let defaultReader: SecretsReader | undefined;

/** The process-wide reader: one Secrets Manager client and one cache per Lambda container. */
export function getDefaultSecretsReader(): SecretsReader {
  defaultReader ??= createSecretsReader();
  return defaultReader;
}
