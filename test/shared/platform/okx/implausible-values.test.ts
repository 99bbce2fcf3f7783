import { describe, expect, it } from 'vitest';
import { MAX_PROBES_PER_ADDRESS } from '../../../../shared/platform/okx/balance-api';
import { isOkxMalformedResponseError } from '../../../../shared/platform/okx/okx-errors';
import { createRequestMeter } from '../../../../shared/platform/okx/okx-http';
import { createHarness, ok, okxError, sequence } from './okx-test-kit';

const WALLET = '0xd8da6bf26964af9d7eed9e03e53415d37aa96045';
const USDC = '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48';

function asset(chainIndex: string, extra: Record<string, unknown> = {}) {
  return {
    chainIndex,
    tokenContractAddress: USDC,
    address: WALLET,
    symbol: 'USDC',
    balance: '100',
    rawBalance: '',
    tokenPrice: '1',
    isRiskToken: false,
    ...extra,
  };
}

describe('implausible OKX values are refused at the client edge (issue 10 §2)', () => {
  it.each([
    ['a negative balance', { balance: '-5' }, 'balance is a negative amount'],
    ['a balance above 1e20 whole tokens', { balance: '1e+30' }, 'balance is above 100000000000000000000 whole tokens'],
    ['a negative price', { tokenPrice: '-3000' }, 'tokenPrice is a negative price'],
    ['raw units longer than a uint256', { rawBalance: '1'.repeat(79) }, 'rawBalance is not an integer string'],
    ['a non-finite balance', { balance: 'Infinity' }, 'balance is not a decimal string'],
  ])('%s refuses only its chain, from the same answer, with no extra request', async (_name, bad, problem) => {
    const h = createHarness(
      sequence(ok([{ tokenAssets: [asset('1'), asset('56', bad), asset('56'), asset('8453')] }])),
    );

    const result = await h.explorer.getTokenBalances(WALLET, ['1', '56', '8453']);

    expect(result.balances.map((balance) => balance.chainIndex)).toEqual(['1', '8453']);
    expect(result.failedChains).toEqual([{ chainIndex: '56', error: expect.stringContaining(problem) }]);
    expect(h.requests).toHaveLength(1);
  });

  it('accepts the bound itself (1e20 whole tokens), zero and 18-decimal dust', async () => {
    const h = createHarness(
      sequence(
        ok([
          {
            tokenAssets: [
              asset('1', { balance: '100000000000000000000' }),
              asset('56', { balance: '0' }),
              asset('8453', { balance: '0.000000000000000001' }),
            ],
          },
        ]),
      ),
    );
    const result = await h.explorer.getTokenBalances(WALLET, ['1', '56', '8453']);
    expect(result.failedChains).toEqual([]);
    expect(result.balances).toHaveLength(3);
  });

  it('fails the call when every chain is refused, and the specific-token call on any refused row', async () => {
    const h = createHarness(
      sequence(
        ok([{ tokenAssets: [asset('1', { balance: '-1' })] }]),
        ok([{ tokenAssets: [asset('1', { tokenPrice: '-2' })] }]),
      ),
    );
    await expect(h.explorer.getTokenBalances(WALLET, ['1'])).rejects.toSatisfy(isOkxMalformedResponseError);
    await expect(h.explorer.getNativeBalance(WALLET, '1')).rejects.toSatisfy(isOkxMalformedResponseError);
  });

  it('refuses a negative spot price and a negative candle close', async () => {
    const h = createHarness(
      sequence(
        ok([{ chainIndex: '1', tokenContractAddress: USDC, price: '-3000', time: '1700000000000' }]),
        ok([['1700000000000', '1', '1', '1', '-1', '10', '10', '1']]),
      ),
    );
    await expect(h.explorer.getSpotPrices([{ chainIndex: '1', tokenAddress: USDC }])).rejects.toThrow(
      /price is a negative price/,
    );
    await expect(h.explorer.getHistoricalCandles({ chainIndex: '1', tokenAddress: USDC, bar: '1H' })).rejects.toThrow(
      /c is a negative price/,
    );
  });
});

describe('request accounting and the bisection bound (issue 10 §3)', () => {
  it(`counts every attempt sent, and stops bisecting after ${MAX_PROBES_PER_ADDRESS} probes for one address`, async () => {
    // Every balance call fails with 50001 (retryable): 1 call + 2 retries, then probes until the bound.
    const h = createHarness(() => okxError('50001', 'service unavailable', 503), { maxRetries: 2 });
    const chains = Array.from({ length: 40 }, (_, index) => String(index + 1));
    const meter = createRequestMeter();

    await expect(meter.run(() => h.explorer.getTokenBalances(WALLET, chains))).rejects.toThrow();

    // 40 chains would take 2 × 40 − 2 = 78 probes to split down to single chains; the bound stops at 12.
    expect(h.requests).toHaveLength(1 + 2 + MAX_PROBES_PER_ADDRESS);
    expect(meter.count).toBe(h.requests.length);
  });

  it('meters concurrent work separately, and a nested meter counts into its parent', async () => {
    const h = createHarness(() => ok([{ tokenAssets: [] }]));
    const outer = createRequestMeter();
    const inner = createRequestMeter();
    const other = createRequestMeter();
    await Promise.all([
      outer.run(async () => {
        await h.explorer.getTokenBalances(WALLET, ['1']);
        await inner.run(() => h.explorer.getTokenBalances(WALLET, ['56']));
      }),
      other.run(() => h.explorer.getTokenBalances(WALLET, ['8453'])),
    ]);
    expect([outer.count, inner.count, other.count]).toEqual([2, 1, 1]);
  });
});
