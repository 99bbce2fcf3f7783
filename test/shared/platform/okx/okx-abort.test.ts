import { describe, expect, it, vi } from 'vitest';
import { withOkxAbortSignal } from '../../../../shared/platform/okx/okx-http';
import type { SharedRateLimiter } from '../../../../shared/platform/okx/shared-rate-limiter-port';
import { createHarness, ok, sequence, type Handler } from './okx-test-kit';

const CHAINS = [{ name: 'Ethereum', shortName: 'ETH', chainIndex: '1' }];

/** Like the sandbox's `timeout` fault: never answers, until the request's own signal aborts it. */
const hang: Handler = (request) =>
  new Promise((_resolve, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason)));

describe("OKX HTTP engine: the caller's deadline cancels the request (issue 10 §5)", () => {
  it("aborts a hanging request at the deadline with the deadline's reason, without retrying it or counting it against OKX", async () => {
    const h = createHarness((request, index) => (index === 0 ? hang(request, index) : ok(CHAINS)), {
      maxRetries: 3,
      breakerThreshold: 1,
      timeoutMs: 60_000,
    });
    const controller = new AbortController();
    const deadline = new Error('deadline');

    const pending = withOkxAbortSignal(controller.signal, () => h.explorer.getSupportedChains());
    await vi.waitFor(() => expect(h.requests).toHaveLength(1));
    controller.abort(deadline);

    await expect(pending).rejects.toBe(deadline);
    expect(h.requests).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
    // Threshold 1: had the abort counted as an OKX failure, the breaker would now refuse the next call.
    await expect(h.explorer.getSupportedChains()).resolves.toHaveLength(1);
  });

  it('sends nothing and takes no shared slot once the deadline has passed', async () => {
    const sharedLimiter: SharedRateLimiter = { acquire: vi.fn(async () => undefined) };
    const h = createHarness(sequence(ok(CHAINS)), { sharedLimiter });
    const controller = new AbortController();
    controller.abort(new Error('deadline'));

    await expect(withOkxAbortSignal(controller.signal, () => h.explorer.getSupportedChains())).rejects.toThrow(
      'deadline',
    );

    expect(h.requests).toEqual([]);
    expect(sharedLimiter.acquire).not.toHaveBeenCalled();
  });

  it('hands the signal to the shared limiter, so a wait for a slot ends at the deadline too', async () => {
    const sharedLimiter: SharedRateLimiter = { acquire: vi.fn(async () => undefined) };
    const h = createHarness(sequence(ok(CHAINS)), { sharedLimiter });
    const controller = new AbortController();

    await withOkxAbortSignal(controller.signal, () => h.explorer.getSupportedChains());
    await h.explorer.getSupportedChains();

    // The second argument is the demand: nothing else is queued in the local bucket, so 1.
    expect(sharedLimiter.acquire).toHaveBeenNthCalledWith(1, controller.signal, 1);
    expect(sharedLimiter.acquire).toHaveBeenNthCalledWith(2, undefined, 1);
  });
});
