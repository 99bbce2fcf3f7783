import { AsyncLocalStorage } from 'node:async_hooks';

interface Counter {
  count: number;
  readonly parent?: Counter;
}

const current = new AsyncLocalStorage<Counter>();

/** Counts the OKX requests actually sent (every attempt: retries and bisection probes included) by some work. */
export interface RequestMeter {
  /** Requests sent so far by the work run under this meter (and under meters nested in it). */
  readonly count: number;
  run<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * A meter for one unit of work (a user's sync, a worker job). The count follows the async context, so
 * concurrent jobs in one container never count each other's requests; a meter run inside another adds
 * to both. A fetch joined from another job is counted by the job that started it.
 */
export function createRequestMeter(): RequestMeter {
  let counter: Counter = { count: 0 };
  return {
    get count() {
      return counter.count;
    },
    run(work) {
      counter = { count: counter.count, parent: current.getStore() };
      return current.run(counter, work);
    },
  };
}

/** Called by the OKX HTTP engine for each attempt it puts on the wire. */
export function countSentRequest(): void {
  for (let counter = current.getStore(); counter; counter = counter.parent) counter.count += 1;
}
