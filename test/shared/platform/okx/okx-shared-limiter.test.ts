import { describe, expect, it, vi } from 'vitest';
import type { SharedRateLimiter } from '../../../../shared/platform/okx/shared-rate-limiter-port';
import { createHarness, type Harness, ok, okxError, sequence, START_MS } from './okx-test-kit';

const CHAINS = [{ name: 'Ethereum', shortName: 'ETH', chainIndex: '1' }];

describe('OKX HTTP engine with a shared (account-wide) limiter', () => {
  it('asks the shared limiter once per attempt, retries included', async () => {
    // Prepare
    const sharedLimiter: SharedRateLimiter = { acquire: vi.fn(async () => undefined) };
    const h = createHarness(
      sequence(okxError('50011', 'Too Many Requests', 429), okxError('50026', 'busy', 500), ok(CHAINS)),
      { sharedLimiter },
    );
    // Act
    await h.explorer.getSupportedChains();
    // Assess
    expect(h.requests).toHaveLength(3);
    expect(sharedLimiter.acquire).toHaveBeenCalledTimes(3);
  });

  it('asks it after the local token bucket has let the request go', async () => {
    const acquiredAt: number[] = [];
    const h: Harness = createHarness(sequence(ok(CHAINS)), {
      ratePerSecond: 1,
      burst: 1,
      sharedLimiter: { acquire: async () => void acquiredAt.push(h.clock.ms) },
    });

    await h.explorer.getSupportedChains();
    await h.explorer.getSupportedChains();

    expect(h.sleeps).toEqual([1_000]);
    expect(acquiredAt).toEqual([START_MS, START_MS + 1_000]);
  });

  it('tells the shared limiter how many requests wait behind this one in the local bucket, so it can take their slots at once', async () => {
    const demands: (number | undefined)[] = [];
    const h: Harness = createHarness(sequence(ok(CHAINS), ok(CHAINS), ok(CHAINS)), {
      ratePerSecond: 10,
      burst: 1,
      sharedLimiter: { acquire: async (_signal, demand) => void demands.push(demand) },
    });

    await Promise.all([
      h.explorer.getSupportedChains(),
      h.explorer.getSupportedChains(),
      h.explorer.getSupportedChains(),
    ]);

    // Three requests queued at once: the first passes with two behind it, the second with one, the last alone.
    expect(demands).toEqual([3, 2, 1]);
    expect(h.requests).toHaveLength(3);
  });

  it('signs with the time the shared slot was granted, never a timestamp gone stale while waiting', async () => {
    const h: Harness = createHarness(sequence(ok(CHAINS)), {
      sharedLimiter: { acquire: async () => void (h.clock.ms += 2_500) },
    });

    await h.explorer.getSupportedChains();

    expect(h.requests[0]!.headers.get('OK-ACCESS-TIMESTAMP')).toBe(new Date(START_MS + 2_500).toISOString());
  });

  it('fails the request without sending anything when the shared limiter refuses a slot', async () => {
    const refusal = Object.assign(new Error('no "okx" request slot within 30000 ms'), {
      name: 'SharedRateLimitTimeoutError',
    });
    const sharedLimiter: SharedRateLimiter = { acquire: vi.fn(async () => Promise.reject(refusal)) };
    const h = createHarness(sequence(ok(CHAINS)), { sharedLimiter });

    await expect(h.explorer.getSupportedChains()).rejects.toBe(refusal);

    expect(h.requests).toEqual([]);
    expect(sharedLimiter.acquire).toHaveBeenCalledTimes(1);
    expect(h.sleeps).toEqual([]);
  });
});
