// The helpers every layer shares: `buildOnce` (a part built on first use), `sleep` and `chunk`.

/**
 * Builds a value once, on first use, and shares it with every later call; a failed build is not cached, so
 * the next call tries again. Arguments reach `build` only on the call that runs it.
 */
export function buildOnce<A extends unknown[], T>(build: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  let pending: Promise<T> | undefined;
  return (...args) =>
    (pending ??= build(...args).catch((error: unknown) => {
      pending = undefined;
      throw error;
    }));
}

/** Waits `ms` milliseconds; an aborted `signal` ends the wait early, rejecting with the signal's reason. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * The one real sleep; code that waits takes a `sleep` option defaulting to it, so tests pass a fake. Built on
 * the global setTimeout rather than node:timers/promises because vitest's fake timers drive only the global one.
 */
export const sleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    signal?.throwIfAborted();
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Splits a list into consecutive slices of at most `size` items (DynamoDB, SQS and OKX batch limits). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const slices: T[][] = [];
  for (let start = 0; start < items.length; start += size) slices.push(items.slice(start, start + size));
  return slices;
}
