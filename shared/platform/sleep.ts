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
