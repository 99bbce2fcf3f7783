import { describe, expect, it } from 'vitest';
import { EVM_NATIVE_PLACEHOLDER, WRAPPED_SOL_MINT } from '../../../../shared/platform/okx/native-address';
import { bodyOf, createHarness, evmAddress, ok, okxError, sequence } from './okx-test-kit';

const MICHI = '5mbK36SZ7J19An8jFochhQS4of8g6BwUjbeCSxBSoWdp';
type WireToken = { chainIndex: string; tokenContractAddress: string };

function infoRow(chainIndex: string, tokenContractAddress: string, extra: Record<string, unknown> = {}) {
  return {
    chainIndex,
    tokenContractAddress,
    tokenName: 'Token',
    tokenSymbol: 'TKN',
    tokenLogoUrl: 'https://logo',
    decimal: '18',
    tagList: { communityRecognized: true },
    ...extra,
  };
}

describe('token API', () => {
  describe('getTokenInfo', () => {
    it('reads the singular `decimal` as a number and echoes the requested token', async () => {
      // Prepare
      const h = createHarness(
        sequence(ok([infoRow('501', MICHI, { decimal: '6', tokenName: 'michi', tokenSymbol: '$michi' })])),
      );
      // Act
      const infos = await h.explorer.getTokenInfo([{ chainIndex: '501', tokenAddress: MICHI }]);
      // Assess
      expect(infos).toEqual([
        {
          chainIndex: '501',
          tokenAddress: MICHI,
          decimals: 6,
          symbol: '$michi',
          name: 'michi',
          logoUrl: 'https://logo',
          communityRecognized: true,
        },
      ]);
      expect(h.requests[0]!.url.pathname).toBe('/api/v6/dex/market/token/basic-info');
      expect(bodyOf(h.requests[0]!)).toEqual([{ chainIndex: '501', tokenContractAddress: MICHI }]);
    });

    it('accepts the plural `decimals` and leaves unknown tokens out', async () => {
      const { decimal: _dropped, ...plural } = infoRow('1', evmAddress(1), {
        decimals: '8',
        tagList: null,
        tokenName: undefined,
        tokenLogoUrl: undefined,
      });
      const h = createHarness(sequence(ok([plural])));
      const infos = await h.explorer.getTokenInfo([
        { chainIndex: '1', tokenAddress: evmAddress(1) },
        { chainIndex: '1', tokenAddress: evmAddress(2) },
      ]);
      expect(infos).toEqual([
        { chainIndex: '1', tokenAddress: evmAddress(1), decimals: 8, symbol: 'TKN', name: '', logoUrl: '' },
      ]);
    });

    it('rejects wrong or missing decimals, naming the field', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ decimal: '6.5' }, 'data[0].decimal'],
        [{ decimal: 'abc' }, 'data[0].decimal'],
        [{ decimal: '256' }, 'data[0].decimal'],
        [{ decimal: undefined }, 'data[0].decimals'],
      ];
      for (const [extra, field] of cases) {
        const row = infoRow('1', evmAddress(1), extra);
        if (extra.decimal === undefined) delete (row as Record<string, unknown>).decimal;
        const h = createHarness(sequence(ok([row])));
        await expect(h.explorer.getTokenInfo([{ chainIndex: '1', tokenAddress: evmAddress(1) }])).rejects.toMatchObject(
          { name: 'OkxMalformedResponseError', field },
        );
      }
    });

    it('batches at most 100 tokens per call', async () => {
      const tokens = Array.from({ length: 201 }, (_, i) => ({ chainIndex: '8453', tokenAddress: evmAddress(i + 1) }));
      const h = createHarness((request) =>
        ok((bodyOf(request) as WireToken[]).map((token) => infoRow(token.chainIndex, token.tokenContractAddress))),
      );
      const infos = await h.explorer.getTokenInfo(tokens);
      expect(h.requests.map((request) => (bodyOf(request) as unknown[]).length)).toEqual([100, 100, 1]);
      expect(infos).toHaveLength(201);
    });

    it('asks for native SOL as wSOL and answers under ""', async () => {
      const h = createHarness(sequence(ok([infoRow('501', WRAPPED_SOL_MINT, { decimal: '9', tokenSymbol: 'WSOL' })])));
      await expect(h.explorer.getTokenInfo([{ chainIndex: '501', tokenAddress: '' }])).resolves.toMatchObject([
        { chainIndex: '501', tokenAddress: '', decimals: 9 },
      ]);
    });

    it('asks basic info of an EVM native as 0xeeee… and answers under ""', async () => {
      const h = createHarness(
        sequence(ok([infoRow('56', EVM_NATIVE_PLACEHOLDER, { decimal: '18', tokenSymbol: 'BNB' })])),
      );
      await expect(h.explorer.getTokenInfo([{ chainIndex: '56', tokenAddress: '' }])).resolves.toMatchObject([
        { chainIndex: '56', tokenAddress: '', decimals: 18 },
      ]);
      expect(bodyOf(h.requests[0]!)).toEqual([{ chainIndex: '56', tokenContractAddress: EVM_NATIVE_PLACEHOLDER }]);
    });

    it('surfaces an error envelope', async () => {
      const h = createHarness(sequence(okxError('51000', 'Parameter tokenContractAddress error', 400)));
      await expect(h.explorer.getTokenInfo([{ chainIndex: '1', tokenAddress: evmAddress(1) }])).rejects.toMatchObject({
        code: '51000',
      });
    });
  });

  describe('searchTokens', () => {
    it('searches over the chains and maps market fields as decimal strings', async () => {
      const row = {
        ...infoRow('1', '0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE', { tokenSymbol: 'ETH' }),
        price: '3120.5',
        marketCap: '375000000000',
        liquidity: '',
        change: '-2.35',
        holders: '1000',
        explorerUrl: '',
        cursor: '1',
      };
      const h = createHarness(
        sequence(ok([row, { ...infoRow('8453', evmAddress(5).toUpperCase().replace('0X', '0x')) }])),
      );
      const results = await h.explorer.searchTokens('eth', ['1', '8453'], { limit: 500, cursor: 'abc' });
      expect(results).toEqual([
        {
          chainIndex: '1',
          tokenAddress: '',
          decimals: 18,
          symbol: 'ETH',
          name: 'Token',
          logoUrl: 'https://logo',
          communityRecognized: true,
          priceUsd: '3120.5',
          marketCapUsd: '375000000000',
          change24hPercent: '-2.35',
        },
        {
          chainIndex: '8453',
          tokenAddress: evmAddress(5),
          decimals: 18,
          symbol: 'TKN',
          name: 'Token',
          logoUrl: 'https://logo',
          communityRecognized: true,
        },
      ]);
      expect(h.requests[0]!.requestPath).toBe(
        '/api/v6/dex/market/token/search?chains=1%2C8453&search=eth&limit=100&cursor=abc',
      );
    });

    it('sends no limit when none is given and rejects a malformed price', async () => {
      const h = createHarness(sequence(ok([{ ...infoRow('1', evmAddress(1)), price: 'cheap' }])));
      await expect(h.explorer.searchTokens('x', ['1'])).rejects.toMatchObject({ field: 'data[0].price' });
      expect(h.requests[0]!.url.searchParams.has('limit')).toBe(false);
    });
  });
});
