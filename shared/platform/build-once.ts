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
