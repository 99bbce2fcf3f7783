import { describe, expect, it } from 'vitest';
import { isOkxMalformedResponseError } from '../../../../shared/platform/okx/okx-errors';
import { fromRawUnits, toRawUnits } from '../../../../shared/kernel/decimal';
import { bodyOf, createHarness, evmAddress, ok, okxError, sequence, type SeenRequest } from './okx-test-kit';

const WALLET = '0xd8da6bf26964af9d7eed9e03e53415d37aa96045';
const USDC = '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48';

function asset(chainIndex: string, tokenContractAddress: string, extra: Record<string, unknown> = {}) {
  return {
    chainIndex,
    tokenContractAddress,
    address: WALLET,
    symbol: 'TKN',
    balance: '1.5',
    rawBalance: '',
    tokenPrice: '2',
    isRiskToken: false,
    ...extra,
  };
}

function chainsOf(request: SeenRequest): string[] {
  return request.url.searchParams.get('chains')!.split(',');
}

describe('balance API', () => {
  describe('getTokenBalances', () => {
    it('maps token assets to TokenBalance with native as "" and empty rawBalance as undefined', async () => {
      // Prepare
      const h = createHarness(
        sequence(
          ok([
            {
              tokenAssets: [
                asset('1', '', { symbol: 'ETH', balance: '0.5', tokenPrice: '3120.55' }),
                asset('1', USDC.toUpperCase().replace('0X', '0x'), {
                  symbol: 'USDC',
                  balance: '250.123456',
                  rawBalance: '250123456',
                  tokenPrice: '0.9998',
                }),
              ],
            },
          ]),
        ),
      );
      // Act
      const result = await h.explorer.getTokenBalances(WALLET, ['1']);
      // Assess
      expect(result).toEqual({
        balances: [
          {
            chainIndex: '1',
            tokenAddress: '',
            walletAddress: WALLET,
            symbol: 'ETH',
            balance: '0.5',
            priceUsd: '3120.55',
            isRiskToken: false,
          },
          {
            chainIndex: '1',
            tokenAddress: USDC,
            walletAddress: WALLET,
            symbol: 'USDC',
            balance: '250.123456',
            rawBalance: '250123456',
            priceUsd: '0.9998',
            isRiskToken: false,
          },
        ],
        failedChains: [],
      });
      expect(h.requests[0]!.url.pathname).toBe('/api/v6/dex/balance/all-token-balances-by-address');
    });

    it('encodes the risk filter as the string "0" by default and "1" with includeRiskTokens (§6.3)', async () => {
      const h = createHarness(sequence(ok([{ tokenAssets: [] }])));
      await h.explorer.getTokenBalances(WALLET, ['1']);
      await h.explorer.getTokenBalances(WALLET, ['1'], { includeRiskTokens: true });
      expect(h.requests.map((request) => request.url.searchParams.get('excludeRiskToken'))).toEqual(['0', '1']);
    });

    it('leaves the price undefined when OKX sends none, "" or zero, and keeps risk flags', async () => {
      const h = createHarness(
        sequence(
          ok([
            {
              tokenAssets: [
                asset('56', evmAddress(1), { tokenPrice: '' }),
                asset('56', evmAddress(2), { tokenPrice: '0', isRiskToken: true }),
                asset('56', evmAddress(3), { tokenPrice: undefined, isRiskToken: 'true' }),
              ],
            },
          ]),
        ),
      );
      const { balances } = await h.explorer.getTokenBalances(WALLET, ['56'], { includeRiskTokens: true });
      expect(balances.map((balance) => balance.priceUsd)).toEqual([undefined, undefined, undefined]);
      expect(balances.map((balance) => balance.isRiskToken)).toEqual([false, true, true]);
    });

    it('splits chains into calls of at most 50 and dedupes them', async () => {
      const chains = Array.from({ length: 60 }, (_, i) => String(i + 1));
      const h = createHarness((request) => ok([{ tokenAssets: chainsOf(request).map((chain) => asset(chain, '')) }]));
      const result = await h.explorer.getTokenBalances(WALLET, [...chains, '1', '2']);
      expect(h.requests.map((request) => chainsOf(request).length)).toEqual([50, 10]);
      expect(result.balances).toHaveLength(60);
      expect(result.failedChains).toEqual([]);
    });

    it('isolates a failing chain by splitting its slice while every other chain answers', async () => {
      const chains = Array.from({ length: 55 }, (_, i) => String(i + 1));
      const h = createHarness((request) =>
        chainsOf(request).includes('51')
          ? okxError('81104', 'Chain not supported')
          : ok([{ tokenAssets: chainsOf(request).map((chain) => asset(chain, '')) }]),
      );
      const result = await h.explorer.getTokenBalances(WALLET, chains);
      expect(result.failedChains.map((failure) => failure.chainIndex)).toEqual(['51']);
      expect(result.failedChains[0]!.error).toContain('81104');
      expect(result.balances.map((balance) => balance.chainIndex).sort()).toEqual(
        chains.filter((chain) => chain !== '51').sort(),
      );
      // 1-50 once; 51-55 -> 51-53 -> 51-52 -> 51 fail and 52, 53, 54-55 answer.
      expect(h.requests).toHaveLength(8);
    });

    it('probes with one attempt each and leaves the breaker closed while isolating a chain that is down', async () => {
      const h = createHarness(
        (request) =>
          chainsOf(request).includes('56')
            ? okxError('50001', 'Service temporarily unavailable', 503)
            : ok([{ tokenAssets: chainsOf(request).map((chain) => asset(chain, '')) }]),
        { maxRetries: 2, breakerThreshold: 4 },
      );
      const first = await h.explorer.getTokenBalances(WALLET, ['1', '56', '137', '8453']);
      const second = await h.explorer.getTokenBalances(WALLET, ['1', '56', '137', '8453']);
      expect(first.failedChains.map((failure) => failure.chainIndex)).toEqual(['56']);
      expect(second.failedChains.map((failure) => failure.chainIndex)).toEqual(['56']);
      // Full slice: 1 + 2 retries; probes: [1,56] fail, [137,8453] ok, [1] ok, [56] fail = 7 per call.
      expect(h.requests).toHaveLength(14);
    });

    it('does not split a slice on a rate limit or an auth error: those are not about one chain', async () => {
      const limited = createHarness(
        sequence(...Array.from({ length: 10 }, () => okxError('50011', 'Too Many Requests', 429))),
        { maxRetries: 1 },
      );
      await expect(limited.explorer.getTokenBalances(WALLET, ['1', '56', '137'])).rejects.toMatchObject({
        code: '50011',
      });
      expect(limited.requests).toHaveLength(2);
      const denied = createHarness(
        sequence(...Array.from({ length: 10 }, () => okxError('50113', 'Invalid signature', 401))),
      );
      await expect(denied.explorer.getTokenBalances(WALLET, ['1', '56', '137'])).rejects.toMatchObject({
        code: '50113',
      });
      expect(denied.requests).toHaveLength(1);
    });

    it('throws when every slice fails', async () => {
      const h = createHarness(sequence(okxError('81104', 'Chain not supported')));
      await expect(h.explorer.getTokenBalances(WALLET, ['1', '56'])).rejects.toMatchObject({ code: '81104' });
    });

    it('answers empty without a call when no chain is asked', async () => {
      const h = createHarness(sequence(ok([])));
      await expect(h.explorer.getTokenBalances(WALLET, [])).resolves.toEqual({ balances: [], failedChains: [] });
      expect(h.requests).toHaveLength(0);
    });

    it('rejects a balance that is not a decimal string, naming the field', async () => {
      const h = createHarness(sequence(ok([{ tokenAssets: [asset('1', ''), asset('1', USDC, { balance: 12 })] }])));
      await expect(h.explorer.getTokenBalances(WALLET, ['1'])).rejects.toSatisfy(
        (error) => isOkxMalformedResponseError(error) && error.field === 'data[0].tokenAssets[1].balance',
      );
    });

    it('falls back to the queried address and an empty symbol, and rejects a non-boolean risk flag', async () => {
      const h = createHarness(
        sequence(ok([{ tokenAssets: [{ chainIndex: '1', tokenContractAddress: '', balance: '1' }] }])),
      );
      await expect(h.explorer.getTokenBalances(WALLET, ['1'])).resolves.toMatchObject({
        balances: [{ walletAddress: WALLET, symbol: '', isRiskToken: false }],
      });
      const bad = createHarness(sequence(ok([{ tokenAssets: [asset('1', '', { isRiskToken: 1 })] }])));
      await expect(bad.explorer.getTokenBalances(WALLET, ['1'])).rejects.toMatchObject({
        field: 'data[0].tokenAssets[0].isRiskToken',
      });
    });

    it('rejects a rawBalance that is not integer minimal units and a missing tokenAssets list', async () => {
      const bad = createHarness(sequence(ok([{ tokenAssets: [asset('1', USDC, { rawBalance: '1.5' })] }])));
      await expect(bad.explorer.getTokenBalances(WALLET, ['1'])).rejects.toMatchObject({
        field: 'data[0].tokenAssets[0].rawBalance',
      });
      const missing = createHarness(sequence(ok([{}])));
      await expect(missing.explorer.getTokenBalances(WALLET, ['1'])).rejects.toMatchObject({
        field: 'data[0].tokenAssets',
      });
    });

    it('keeps 18-decimal dust and 1e30 raw units exact through raw/UI conversion', async () => {
      const huge = `1${'0'.repeat(30)}`;
      const h = createHarness(
        sequence(
          ok([
            {
              tokenAssets: [
                asset('1', evmAddress(7), { balance: '0.000000000000000001', rawBalance: '1' }),
                asset('1', evmAddress(8), { balance: '1000000000000', rawBalance: huge }),
              ],
            },
          ]),
        ),
      );
      const { balances } = await h.explorer.getTokenBalances(WALLET, ['1']);
      expect(balances.map((balance) => balance.rawBalance)).toEqual(['1', huge]);
      expect(fromRawUnits(balances[0]!.rawBalance!, 18).toString()).toBe(balances[0]!.balance);
      expect(fromRawUnits(balances[1]!.rawBalance!, 18).toString()).toBe('1000000000000');
      expect(toRawUnits(balances[0]!.balance, 18)).toBe('1');
      expect(toRawUnits(balances[1]!.balance, 18)).toBe(huge);
    });
  });

  describe('getSpecificTokenBalances', () => {
    it('POSTs at most 20 tokens per call with the documented body', async () => {
      const tokens = Array.from({ length: 45 }, (_, i) => ({
        chainIndex: '1',
        tokenAddress: i === 0 ? '' : evmAddress(i),
      }));
      const h = createHarness((request) =>
        ok([
          {
            tokenAssets: (
              bodyOf(request) as { tokenContractAddresses: { chainIndex: string; tokenContractAddress: string }[] }
            ).tokenContractAddresses.map((t) => asset(t.chainIndex, t.tokenContractAddress)),
          },
        ]),
      );
      const balances = await h.explorer.getSpecificTokenBalances(WALLET, tokens);
      const bodies = h.requests.map(
        (request) =>
          bodyOf(request) as { address: string; tokenContractAddresses: unknown[]; excludeRiskToken: string },
      );
      expect(bodies.map((body) => body.tokenContractAddresses.length)).toEqual([20, 20, 5]);
      expect(bodies[0]).toMatchObject({ address: WALLET, excludeRiskToken: '0' });
      expect(bodies[0]!.tokenContractAddresses[0]).toEqual({ chainIndex: '1', tokenContractAddress: '' });
      expect(h.requests[0]!.url.pathname).toBe('/api/v6/dex/balance/token-balances-by-address');
      expect(balances).toHaveLength(45);
    });

    it('fails the call when any slice fails', async () => {
      const tokens = Array.from({ length: 21 }, (_, i) => ({ chainIndex: '1', tokenAddress: evmAddress(i + 1) }));
      const h = createHarness((_request, index) =>
        index === 1 ? okxError('81001', 'Incorrect parameter') : ok([{ tokenAssets: [] }]),
      );
      await expect(h.explorer.getSpecificTokenBalances(WALLET, tokens)).rejects.toMatchObject({ code: '81001' });
    });
  });

  describe('getNativeBalance', () => {
    it('asks for the native coin only, risk tokens included, and returns it', async () => {
      const h = createHarness(
        sequence(ok([{ tokenAssets: [asset('501', '', { symbol: 'SOL', balance: '2.000000001' })] }])),
      );
      const native = await h.explorer.getNativeBalance('9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin', '501');
      expect(native).toMatchObject({ chainIndex: '501', tokenAddress: '', symbol: 'SOL', balance: '2.000000001' });
      expect(bodyOf(h.requests[0]!)).toEqual({
        address: '9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin',
        tokenContractAddresses: [{ chainIndex: '501', tokenContractAddress: '' }],
        excludeRiskToken: '1',
      });
    });

    it('returns undefined when OKX lists no native balance', async () => {
      const h = createHarness(sequence(ok([{ tokenAssets: [] }])));
      await expect(h.explorer.getNativeBalance(WALLET, '1')).resolves.toBeUndefined();
    });
  });

  describe('getTotalValue', () => {
    it('sums the USD totals of each 50-chain slice, sending the §6.2 Boolean filter', async () => {
      const chains = Array.from({ length: 51 }, (_, i) => String(i + 1));
      const h = createHarness((_request, index) =>
        ok([{ totalValue: index === 0 ? '1172.895057177065864522056725846' : '0.104942822934135477943274154' }]),
      );
      const total = await h.explorer.getTotalValue(WALLET, chains);
      expect(total).toBe('1173');
      expect(h.requests.map((request) => request.url.searchParams.get('excludeRiskToken'))).toEqual(['true', 'true']);
      expect(h.requests[0]!.url.searchParams.get('assetType')).toBe('0');
    });

    it('maps the asset type and the include-risk option', async () => {
      const h = createHarness(sequence(ok([{ totalValue: '5' }])));
      await h.explorer.getTotalValue(WALLET, ['1'], { assetType: 'defi', includeRiskTokens: true });
      expect(h.requests[0]!.requestPath).toBe(
        `/api/v6/dex/balance/total-value-by-address?address=${WALLET}&chains=1&assetType=2&excludeRiskToken=false`,
      );
    });

    it('rejects a total that is not a decimal string', async () => {
      const h = createHarness(sequence(ok([{ totalValue: 'NaN' }])));
      await expect(h.explorer.getTotalValue(WALLET, ['1'])).rejects.toMatchObject({ field: 'data[0].totalValue' });
    });
  });

  describe('getSupportedChains', () => {
    it('lists the balance chains with their names', async () => {
      const h = createHarness(
        sequence(
          ok([
            { name: 'Ethereum', logoUrl: 'x', shortName: 'ETH', chainIndex: '1' },
            { name: 'Solana', chainIndex: 501 },
          ]),
        ),
      );
      await expect(h.explorer.getSupportedChains()).resolves.toEqual([
        { chainIndex: '1', name: 'Ethereum', shortName: 'ETH' },
        { chainIndex: '501', name: 'Solana' },
      ]);
      expect(h.requests[0]!.requestPath).toBe('/api/v6/dex/balance/supported/chain');
    });
  });
});
