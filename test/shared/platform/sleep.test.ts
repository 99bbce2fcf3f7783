import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sleep } from '../../../shared/platform/helpers';

describe('sleep', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('resolves after the given milliseconds, not before', async () => {
    let woke = false;
    void sleep(1000).then(() => (woke = true));

    await vi.advanceTimersByTimeAsync(999);
    expect(woke).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(woke).toBe(true);
  });

  it("ends the wait with the signal's reason when it is aborted, and leaves no timer behind", async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);

    controller.abort(new Error('deadline'));

    await expect(waiting).rejects.toThrow('deadline');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not start waiting on a signal that is already aborted', async () => {
    await expect(sleep(10, AbortSignal.abort(new Error('too late')))).rejects.toThrow('too late');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops listening to the signal once it has woken', async () => {
    const controller = new AbortController();
    const waiting = sleep(5, controller.signal);
    await vi.advanceTimersByTimeAsync(5);
    controller.abort(new Error('after the wake'));

    await expect(waiting).resolves.toBeUndefined();
  });
});
