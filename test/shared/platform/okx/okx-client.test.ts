import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { createOkxClient, readOkxOptionsFromEnv, type OkxClient } from '../../../../shared/platform/okx/okx-client';
import { InvalidConfigError } from '../../../../shared/platform/config/env-names';
import type { MarketDataPort } from '../../../../shared/platform/okx/market-data-port';
import type { RebalanceMarket } from '../../../../shared/rebalance/rebalance-market';
import { ok } from './okx-test-kit';

describe('createOkxClient', () => {
  it('satisfies MarketDataPort & RebalanceMarket at compile time', () => {
    const explorer = createOkxClient({ fetch: async () => new Response('{}') });
    const port: MarketDataPort & RebalanceMarket = explorer;
    expectTypeOf<OkxClient>().toExtend<MarketDataPort & RebalanceMarket>();
    expect(typeof port.getTokenBalances).toBe('function');
  });

  it('defaults to the public base URL', async () => {
    const urls: string[] = [];
    const explorer = createOkxClient({
      fetch: async (input) => {
        urls.push((input as Request).url);
        return new Response(JSON.stringify(ok([]).body));
      },
    });
    await explorer.getSupportedChains();
    expect(urls).toEqual(['https://web3.okx.com/api/v6/dex/balance/supported/chain']);
  });

  it('uses the global fetch when none is injected', async () => {
    const calls: string[] = [];
    vi.stubGlobal('fetch', async (input: Request) => {
      calls.push(input.url);
      return new Response('{"code":"0","data":[]}');
    });
    try {
      await createOkxClient({ baseUrl: 'https://sandbox.test' }).getSupportedChains();
    } finally {
      vi.unstubAllGlobals();
    }
    expect(calls).toEqual(['https://sandbox.test/api/v6/dex/balance/supported/chain']);
  });

  it('waits with the real sleep between retries when none is injected (a few ms)', async () => {
    let calls = 0;
    const explorer = createOkxClient({
      backoffBaseMs: 2,
      ratePerSecond: 1000,
      fetch: async () => {
        calls += 1;
        return calls === 1
          ? new Response('{"code":"50011","msg":"","data":[]}', { status: 429 })
          : new Response('{"code":"0","data":[]}');
      },
    });
    await expect(explorer.getSupportedChains()).resolves.toEqual([]);
    expect(calls).toBe(2);
  });
});

describe('readOkxOptionsFromEnv', () => {
  it('defaults to the public API at 1 request per second', () => {
    expect(readOkxOptionsFromEnv({})).toEqual({ baseUrl: 'https://web3.okx.com', ratePerSecond: 1 });
  });

  it('reads the base URL and the rate', () => {
    expect(readOkxOptionsFromEnv({ OKX_BASE_URL: 'http://127.0.0.1:4010/', OKX_RATE_LIMIT_PER_SECOND: '5' })).toEqual({
      baseUrl: 'http://127.0.0.1:4010',
      ratePerSecond: 5,
    });
  });

  it('fails fast on a bad rate or URL', () => {
    expect(() => readOkxOptionsFromEnv({ OKX_RATE_LIMIT_PER_SECOND: 'fast' })).toThrow(InvalidConfigError);
    expect(() => readOkxOptionsFromEnv({ OKX_BASE_URL: 'web3.okx.com' })).toThrow(InvalidConfigError);
  });
});
