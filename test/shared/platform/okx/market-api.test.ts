import { describe, expect, it } from 'vitest';
import { EVM_NATIVE_PLACEHOLDER, WRAPPED_SOL_MINT } from '../../../../shared/platform/okx/native-address';
import { bodyOf, createHarness, evmAddress, ok, okxError, sequence } from './okx-test-kit';

const USDC = '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48';
const TIME = '1716892020000';
type WireToken = { chainIndex: string; tokenContractAddress: string };

function priceRow(chainIndex: string, tokenContractAddress: string, price = '1') {
  return { chainIndex, tokenContractAddress, time: TIME, price };
}

describe('market API', () => {
  describe('getSpotPrices', () => {
    it('POSTs the token list and matches answers by chain and lower-cased address, not by position', async () => {
      // Prepare
      const h = createHarness(
        sequence(
          ok([
            priceRow('56', evmAddress(9).toUpperCase().replace('0X', '0x'), '0.5'),
            priceRow('1', USDC.toUpperCase().replace('0X', '0x'), '0.9998'),
          ]),
        ),
      );
      // Act
      const prices = await h.explorer.getSpotPrices([
        { chainIndex: '1', tokenAddress: USDC },
        { chainIndex: '56', tokenAddress: evmAddress(9) },
      ]);
      // Assess
      expect(prices).toEqual([
        { chainIndex: '1', tokenAddress: USDC, priceUsd: '0.9998', time: '2024-05-28T10:27:00.000Z' },
        { chainIndex: '56', tokenAddress: evmAddress(9), priceUsd: '0.5', time: '2024-05-28T10:27:00.000Z' },
      ]);
      expect(h.requests[0]!.url.pathname).toBe('/api/v6/dex/market/price');
      expect(bodyOf(h.requests[0]!)).toEqual([
        { chainIndex: '1', tokenContractAddress: USDC },
        { chainIndex: '56', tokenContractAddress: evmAddress(9) },
      ]);
    });

    it('leaves unpriced tokens out of the answer', async () => {
      const h = createHarness(sequence(ok([priceRow('1', USDC), priceRow('1', evmAddress(3), '')])));
      const prices = await h.explorer.getSpotPrices([
        { chainIndex: '1', tokenAddress: USDC },
        { chainIndex: '1', tokenAddress: evmAddress(2) },
        { chainIndex: '1', tokenAddress: evmAddress(3) },
      ]);
      expect(prices.map((price) => price.tokenAddress)).toEqual([USDC]);
    });

    it('batches at most 100 tokens per call and sends each distinct token once', async () => {
      const tokens = Array.from({ length: 150 }, (_, i) => ({ chainIndex: '1', tokenAddress: evmAddress(i + 1) }));
      const h = createHarness((request) =>
        ok((bodyOf(request) as WireToken[]).map((token) => priceRow(token.chainIndex, token.tokenContractAddress))),
      );
      const prices = await h.explorer.getSpotPrices([...tokens, tokens[0]!]);
      expect(h.requests.map((request) => (bodyOf(request) as unknown[]).length)).toEqual([100, 50]);
      expect(prices).toHaveLength(151);
    });

    it('asks for native SOL as wSOL and an EVM native as 0xeeee… (never ""), and answers under the native address ""', async () => {
      const h = createHarness(
        sequence(ok([priceRow('501', WRAPPED_SOL_MINT, '150.25'), priceRow('1', EVM_NATIVE_PLACEHOLDER, '3120')])),
      );
      const prices = await h.explorer.getSpotPrices([
        { chainIndex: '501', tokenAddress: '' },
        { chainIndex: '501', tokenAddress: WRAPPED_SOL_MINT },
        { chainIndex: '1', tokenAddress: '' },
      ]);
      expect(bodyOf(h.requests[0]!)).toEqual([
        { chainIndex: '501', tokenContractAddress: WRAPPED_SOL_MINT },
        { chainIndex: '1', tokenContractAddress: EVM_NATIVE_PLACEHOLDER },
      ]);
      expect(prices.map((price) => [price.chainIndex, price.tokenAddress, price.priceUsd])).toEqual([
        ['501', '', '150.25'],
        ['501', WRAPPED_SOL_MINT, '150.25'],
        ['1', '', '3120'],
      ]);
    });

    it('matches an EVM native answer sent back as the 0xeeee placeholder', async () => {
      const h = createHarness(sequence(ok([priceRow('1', '0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE', '3120')])));
      await expect(h.explorer.getSpotPrices([{ chainIndex: '1', tokenAddress: '' }])).resolves.toMatchObject([
        { tokenAddress: '', priceUsd: '3120' },
      ]);
    });

    it('retries a 429 then answers, re-signing with a new timestamp', async () => {
      const h = createHarness(sequence(okxError('50011', 'Too Many Requests', 429), ok([priceRow('1', USDC)])));
      await expect(h.explorer.getSpotPrices([{ chainIndex: '1', tokenAddress: USDC }])).resolves.toHaveLength(1);
      expect(new Set(h.requests.map((request) => request.headers.get('OK-ACCESS-TIMESTAMP'))).size).toBe(2);
    });

    it('surfaces an error envelope and rejects a price that is a JSON number', async () => {
      const failing = createHarness(sequence(okxError('50014', 'Parameter chainIndex cannot be empty', 400)));
      await expect(failing.explorer.getSpotPrices([{ chainIndex: '1', tokenAddress: USDC }])).rejects.toMatchObject({
        code: '50014',
        httpStatus: 400,
      });
      const numeric = createHarness(sequence(ok([{ ...priceRow('1', USDC), price: 0.1 }])));
      await expect(numeric.explorer.getSpotPrices([{ chainIndex: '1', tokenAddress: USDC }])).rejects.toMatchObject({
        field: 'data[0].price',
      });
      const badTime = createHarness(sequence(ok([{ ...priceRow('1', USDC), time: 'yesterday' }])));
      await expect(badTime.explorer.getSpotPrices([{ chainIndex: '1', tokenAddress: USDC }])).rejects.toMatchObject({
        field: 'data[0].time',
      });
    });

    it('makes no call for an empty list', async () => {
      const h = createHarness(sequence(ok([])));
      await expect(h.explorer.getSpotPrices([])).resolves.toEqual([]);
      expect(h.requests).toHaveLength(0);
    });
  });

  describe('candles', () => {
    const rows = [
      ['1597026383085', '3.721', '3.743', '3.677', '3.708', '8422410', '22698348.04828491', '0'],
      ['1597026323085', '3.731', '3.799', '3.494', '3.72', '24912403', '67632347.24399722', '1'],
    ];

    it('turns the 8-column string rows into candles, newest first', async () => {
      const h = createHarness(sequence(ok(rows)));
      const candles = await h.explorer.getCandles({ chainIndex: '1', tokenAddress: USDC, bar: '1H' });
      expect(candles).toEqual([
        {
          time: '2020-08-10T02:26:23.085Z',
          open: '3.721',
          high: '3.743',
          low: '3.677',
          close: '3.708',
          volume: '8422410',
          volumeUsd: '22698348.04828491',
          isClosed: false,
        },
        {
          time: '2020-08-10T02:25:23.085Z',
          open: '3.731',
          high: '3.799',
          low: '3.494',
          close: '3.72',
          volume: '24912403',
          volumeUsd: '67632347.24399722',
          isClosed: true,
        },
      ]);
      expect(h.requests[0]!.requestPath).toBe(
        `/api/v6/dex/market/candles?chainIndex=1&tokenContractAddress=${USDC}&bar=1H`,
      );
    });

    it('asks historical candles older than `before`, caps the limit at 299 and keeps closed candles only', async () => {
      const h = createHarness(sequence(ok(rows)));
      const before = new Date('2024-01-01T00:00:00.000Z');
      const candles = await h.explorer.getHistoricalCandles({
        chainIndex: '501',
        tokenAddress: '',
        bar: '1Dutc',
        before,
        limit: 1000,
      });
      expect(candles.map((candle) => candle.isClosed)).toEqual([true]);
      const params = h.requests[0]!.url.searchParams;
      expect(h.requests[0]!.url.pathname).toBe('/api/v6/dex/market/historical-candles');
      expect(params.get('after')).toBe(String(before.getTime()));
      expect(params.get('limit')).toBe('299');
      expect(params.get('tokenContractAddress')).toBe(WRAPPED_SOL_MINT);
    });

    it('asks candles of every EVM native as the lower-case 0xeeee… placeholder, never an empty tokenContractAddress', async () => {
      // okx-api §5/§7.2: the market family takes 0xeeee… for EVM natives; '' is answered 50014.
      const h = createHarness(sequence(ok(rows)));
      for (const chainIndex of ['1', '56', '137', '43114']) {
        await h.explorer.getHistoricalCandles({ chainIndex, tokenAddress: '', bar: '1H' });
        await h.explorer.getCandles({ chainIndex, tokenAddress: '', bar: '1H' });
      }
      expect(h.requests.map((request) => request.url.searchParams.get('tokenContractAddress'))).toEqual(
        Array(8).fill(EVM_NATIVE_PLACEHOLDER),
      );
    });

    it('refuses to send a candle request without a chainIndex, before any HTTP call', async () => {
      const h = createHarness(sequence(ok(rows)));
      await expect(h.explorer.getCandles({ chainIndex: '', tokenAddress: USDC, bar: '1H' })).rejects.toMatchObject({
        name: 'OkxEmptyParameterError',
        parameter: 'chainIndex',
      });
      expect(h.requests).toHaveLength(0);
    });

    it('raises a limit below 1 to 1', async () => {
      const h = createHarness(sequence(ok([])));
      await h.explorer.getCandles({ chainIndex: '1', tokenAddress: USDC, bar: '1m', limit: 0 });
      expect(h.requests[0]!.url.searchParams.get('limit')).toBe('1');
    });

    it('rejects rows with missing columns, a bad confirm flag or a non-decimal price, naming the cell', async () => {
      const cases: [unknown, string][] = [
        [[rows[0]!.slice(0, 7)], 'data[0]'],
        [[[...rows[0]!.slice(0, 7), 'yes']], 'data[0][7]'],
        [[['1597026383085', 'n/a', ...rows[0]!.slice(2)]], 'data[0].o'],
        [[['soon', ...rows[0]!.slice(1)]], 'data[0][0]'],
        [['not-a-row'], 'data[0]'],
      ];
      for (const [data, field] of cases) {
        const h = createHarness(sequence(ok(data)));
        await expect(h.explorer.getCandles({ chainIndex: '1', tokenAddress: USDC, bar: '1H' })).rejects.toMatchObject({
          name: 'OkxMalformedResponseError',
          field,
        });
      }
    });
  });
});
