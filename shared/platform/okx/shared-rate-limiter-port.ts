/**
 * A request budget shared by every Lambda container (e.g. OKX requests per second for the whole
 * account). The caller awaits `acquire()` before each request it sends; a rejection means no slot was
 * granted and the request must not be sent. An aborted `signal` ends the wait with its reason.
 */
export interface SharedRateLimiter {
  acquire(signal?: AbortSignal): Promise<void>;
}
