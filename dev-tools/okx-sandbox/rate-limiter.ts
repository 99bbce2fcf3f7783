/** Sliding 1-second window of timestamps; `count` after dropping everything older than the window. */
export class SlidingWindow {
  private readonly times: number[] = [];
  private head = 0;

  constructor(private readonly windowMs = 1000) {}

  count(nowMs: number): number {
    while (this.head < this.times.length && this.times[this.head]! <= nowMs - this.windowMs) this.head += 1;
    if (this.head > 1024) {
      this.times.splice(0, this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }

  add(nowMs: number): number {
    this.times.push(nowMs);
    return this.count(nowMs);
  }
}

/**
 * Per-API-key token bucket: capacity `perSecond`, refilled continuously at `perSecond` tokens a second.
 * So a client that paces itself at the same rate (evenly or with a same-sized bucket) never sees a 429,
 * while a tight loop gets at most `perSecond` requests through in its first second and then the rate.
 */
export function createRateLimiter(perSecond: number): { tryAcquire(apiKey: string, nowMs: number): boolean } {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    tryAcquire(apiKey, nowMs) {
      const bucket = buckets.get(apiKey) ?? { tokens: perSecond, at: nowMs };
      bucket.tokens = Math.min(perSecond, bucket.tokens + ((nowMs - bucket.at) * perSecond) / 1000);
      bucket.at = nowMs;
      buckets.set(apiKey, bucket);
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
  };
}
