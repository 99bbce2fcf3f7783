export interface TokenBucketOptions {
  /** Tokens added per second (sustained request rate). */
  readonly ratePerSecond: number;
  /** Bucket capacity (how many requests may go at once after a quiet spell). Default 1. */
  readonly burst?: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

export interface TokenBucket {
  /** Resolves when the caller may send one request; callers are served first come, first served. */
  acquire(): Promise<void>;
  /** Callers still waiting for a token (not counting those already let through). */
  readonly waiting: number;
}

/**
 * Client-side limiter shared by every call of one OKX client. Waiters form one promise chain, so a
 * late caller can never overtake an earlier one (fair queueing without a separate queue structure).
 */
export function createTokenBucket(options: TokenBucketOptions): TokenBucket {
  if (!(options.ratePerSecond > 0)) throw new RangeError(`ratePerSecond must be > 0, got ${options.ratePerSecond}`);
  const capacity = Math.max(1, options.burst ?? 1);
  const msPerToken = 1000 / options.ratePerSecond;
  let tokens = capacity;
  let updatedAt = options.now();
  let tail: Promise<void> = Promise.resolve();
  let waiting = 0;

  const refill = (): void => {
    const at = options.now();
    tokens = Math.min(capacity, tokens + (at - updatedAt) / msPerToken);
    updatedAt = at;
  };

  const take = async (): Promise<void> => {
    refill();
    while (tokens < 1) {
      await options.sleep(Math.ceil((1 - tokens) * msPerToken));
      refill();
    }
    tokens -= 1;
  };

  return {
    acquire() {
      waiting += 1;
      const turn = tail.then(take).finally(() => (waiting -= 1));
      tail = turn.catch(() => undefined);
      return turn;
    },
    get waiting() {
      return waiting;
    },
  };
}
