import { describe, expect, it, vi } from 'vitest';
import { buildOnce } from '../../../shared/platform/helpers';

describe('buildOnce', () => {
  it('builds nothing until the first call, then shares one build between callers', async () => {
    const build = vi.fn(async () => ({ client: 1 }));
    const get = buildOnce(build);
    expect(build).not.toHaveBeenCalled();

    const [first, second] = await Promise.all([get(), get()]);

    expect(first).toBe(second);
    expect(await get()).toBe(first);
    expect(build).toHaveBeenCalledTimes(1);
  });

  it('forgets a failed build, so the next call tries again', async () => {
    const build = vi.fn().mockRejectedValueOnce(new Error('no secret yet')).mockResolvedValue('app');
    const get = buildOnce(build);

    await expect(get()).rejects.toThrow('no secret yet');
    expect(await get()).toBe('app');
    expect(await get()).toBe('app');
    expect(build).toHaveBeenCalledTimes(2);
  });

  it('passes the arguments of the call that builds, and only those', async () => {
    const build = vi.fn(async (path: string) => `read ${path}`);
    const get = buildOnce(build);

    expect(await get('/a')).toBe('read /a');
    expect(await get('/b')).toBe('read /a');
    expect(build.mock.calls).toEqual([['/a']]);
  });
});
