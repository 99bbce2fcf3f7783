/**
 * Thrown out of the bot when an update failed for a transient infrastructure reason before the user
 * saw anything: the webhook releases the update's claim and answers 5xx so Telegram redelivers it.
 */
export class RetryableUpdateError extends Error {
  constructor(
    readonly kind: string,
    options?: { cause?: unknown },
  ) {
    super(`update failed transiently (${kind}); asking Telegram to redeliver`, options);
    this.name = 'RetryableUpdateError';
  }
}

export function isRetryableUpdateError(error: unknown): error is RetryableUpdateError {
  return error instanceof RetryableUpdateError;
}
