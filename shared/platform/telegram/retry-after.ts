import { sleep as realSleep, type Sleep } from '../sleep';
import { readRetryAfter } from './telegram-errors';

export interface RetryAfterOptions {
  /** Longest wait we accept inside a webhook invocation; a longer retry_after is rethrown. */
  readonly maxWaitSeconds?: number;
  readonly maxAttempts?: number;
  readonly sleep?: Sleep;
  /** Extra wait so a burst of retries does not land in the same second. */
  readonly jitterMs?: () => number;
}

/**
 * Runs a Bot API send and, on 429, waits the `retry_after` Telegram asked for (plus jitter) and tries
 * again. Bounded by `maxWaitSeconds` and `maxAttempts` so a webhook never outlives its timeout.
 */
export async function withRetryAfter<T>(send: () => Promise<T>, options: RetryAfterOptions = {}): Promise<T> {
  const { maxWaitSeconds = 5, maxAttempts = 3, sleep = realSleep, jitterMs = () => Math.floor(Math.random() * 250) } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      const seconds = readRetryAfter(error);
      if (seconds === undefined || seconds > maxWaitSeconds || attempt >= maxAttempts) throw error;
      await sleep(seconds * 1000 + jitterMs());
    }
  }
}
