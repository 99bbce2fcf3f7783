import { describe, expect, it } from 'vitest';
import { createTokenBucket } from '../../../../shared/platform/okx/token-bucket';

function fakeClock() {
  const clock = { ms: 0, sleeps: [] as number[] };
  return {
    clock,
    now: () => clock.ms,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.ms += ms;
    },
  };
}

describe('createTokenBucket', () => {
  it('lets the first request go at once and spaces the next ones at the configured rate', async () => {
    // Prepare
    const { clock, now, sleep } = fakeClock();
    const bucket = createTokenBucket({ ratePerSecond: 1, now, sleep });
    const startedAt: number[] = [];
    // Act
    for (let i = 0; i < 3; i += 1) {
      await bucket.acquire();
      startedAt.push(clock.ms);
    }
    // Assess
    expect(startedAt).toEqual([0, 1000, 2000]);
  });

  it('allows a burst after a quiet spell, then falls back to the rate', async () => {
    const { clock, now, sleep } = fakeClock();
    const bucket = createTokenBucket({ ratePerSecond: 5, burst: 3, now, sleep });
    const startedAt: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      await bucket.acquire();
      startedAt.push(clock.ms);
    }
    expect(startedAt).toEqual([0, 0, 0, 200, 400]);
  });

  it('refills while idle but never beyond the burst', async () => {
    const { clock, now, sleep } = fakeClock();
    const bucket = createTokenBucket({ ratePerSecond: 1, burst: 2, now, sleep });
    await bucket.acquire();
    await bucket.acquire();
    clock.ms += 60_000;
    await bucket.acquire();
    await bucket.acquire();
    const before = clock.ms;
    await bucket.acquire();
    expect(clock.ms - before).toBe(1000);
  });

  it('serves concurrent callers first come, first served', async () => {
    const { clock, now, sleep } = fakeClock();
    const bucket = createTokenBucket({ ratePerSecond: 2, now, sleep });
    const order: string[] = [];
    await Promise.all(
      ['a', 'b', 'c', 'd'].map((name) => bucket.acquire().then(() => order.push(`${name}@${clock.ms}`))),
    );
    expect(order).toEqual(['a@0', 'b@500', 'c@1000', 'd@1500']);
  });

  it('keeps serving the queue when one waiter fails', async () => {
    const clock = { ms: 0 };
    let failNext = true;
    const bucket = createTokenBucket({
      ratePerSecond: 1,
      now: () => clock.ms,
      sleep: async (ms) => {
        if (failNext) {
          failNext = false;
          throw new Error('sleep interrupted');
        }
        clock.ms += ms;
      },
    });
    await bucket.acquire();
    await expect(bucket.acquire()).rejects.toThrow('sleep interrupted');
    await expect(bucket.acquire()).resolves.toBeUndefined();
  });

  it('rejects a non-positive rate at construction', () => {
    expect(() => createTokenBucket({ ratePerSecond: 0, now: () => 0, sleep: async () => undefined })).toThrow(
      RangeError,
    );
  });
});
