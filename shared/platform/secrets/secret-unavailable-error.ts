/** Why a secret could not be used. Names the failure, never the value. */
export type SecretFailureReason =
  'not-found' | 'access-denied' | 'decryption-failed' | 'unavailable' | 'malformed' | 'missing-keys';

/**
 * A secret could not be read or does not have the expected shape. The message names the secret id and
 * the reason (and for `missing-keys` the key names) but never a secret value, so it is safe to log.
 */
export class SecretUnavailableError extends Error {
  constructor(
    readonly secretId: string,
    readonly reason: SecretFailureReason,
    detail?: string,
    options?: { cause?: unknown },
  ) {
    super(`secret ${secretId} is unavailable (${reason})${detail ? `: ${detail}` : ''}`, options);
    this.name = 'SecretUnavailableError';
  }
}

export function isSecretUnavailableError(error: unknown): error is SecretUnavailableError {
  return error instanceof SecretUnavailableError;
}
