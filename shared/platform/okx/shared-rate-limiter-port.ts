/**
 * A request budget shared by every Lambda container (e.g. OKX requests per second for the whole
 * account). The caller awaits `acquire()` before each request it sends; a rejection means no slot was
 * granted and the request must not be sent. An aborted `signal` ends the wait with its reason.
 */
export interface SharedRateLimiter {
  /**
   * `demand`: how many requests this caller's container is about to send (this one included), so one
   * round trip may take slots for several of them; the slots not used within their second are forfeited.
   */
  acquire(signal?: AbortSignal, demand?: number): Promise<void>;
}
