import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<AbortSignal>();

/**
 * Runs `work` with `signal` as the cancel signal of every OKX request it starts, however deep (the
 * webhook sets the update's deadline here once, so no service or port signature has to carry it).
 * Requests started outside any scope (the sync worker) are never cancelled this way.
 */
export function withOkxAbortSignal<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  return scope.run(signal, work);
}

/** The signal of the innermost `withOkxAbortSignal` around the caller, if any. */
export function currentOkxAbortSignal(): AbortSignal | undefined {
  return scope.getStore();
}
