import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOkxSandbox, type OkxSandbox } from '../../../dev-tools/okx-sandbox/index';
import { call, qs, USDC_ETH, WETH_ETH } from './sandbox-client';

const NOW = Date.parse('2025-06-01T12:34:56.000Z');
const HOUR = 3_600_000;
const EVM_NATIVE = '0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee';
const WSOL = 'So11111111111111111111111111111111111111112';
const candles = (params: Record<string, string>, path = 'candles') =>
  `/api/v6/dex/market/${path}?${qs({ chainIndex: '1', tokenContractAddress: WETH_ETH, ...params })}`;

describe('OKX sandbox market and token API', () => {
  let sandbox: OkxSandbox;
  beforeAll(async () => {
    sandbox = await startOkxSandbox({ seed: 3, now: () => NOW, rateLimitPerSecond: 1000 });
  });
  afterAll(() => sandbox.stop());
  const get = (target: string) => call(sandbox, 'GET', target, { timestamp: new Date(NOW).toISOString() });
  const post = (target: string, body: unknown) =>
    call(sandbox, 'POST', target, { body, timestamp: new Date(NOW).toISOString() });

  it('prices a batch, matching by token and leaving out unpriced tokens and native SOL ("")', async () => {
    const result = await post('/api/v6/dex/market/price', [
      { chainIndex: '1', tokenContractAddress: USDC_ETH.toUpperCase().replace('0X', '0x') },
      { chainIndex: '8453', tokenContractAddress: '0x0000000000000000000000000000000000c0ffee' },
      { chainIndex: '501', tokenContractAddress: '' },
      { chainIndex: '501', tokenContractAddress: 'So11111111111111111111111111111111111111112' },
    ]);
    expect(result.json).toEqual({
      code: '0',
      msg: '',
      data: [
        { chainIndex: '1', tokenContractAddress: USDC_ETH, time: String(NOW), price: '0.9998' },
        {
          chainIndex: '501',
          tokenContractAddress: 'So11111111111111111111111111111111111111112',
          time: String(NOW),
          price: '150.25',
        },
      ],
    });
  });

  it('prices EVM natives as 0xeeee… in any case and SOL as wSOL, like the real market API; "" and native SOL 1111…1 get nothing', async () => {
    const result = await post('/api/v6/dex/market/price', [
      { chainIndex: '1', tokenContractAddress: '0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE' },
      { chainIndex: '56', tokenContractAddress: EVM_NATIVE },
      { chainIndex: '137', tokenContractAddress: '' },
      { chainIndex: '501', tokenContractAddress: '11111111111111111111111111111111' },
      { chainIndex: '501', tokenContractAddress: WSOL },
    ]);
    expect(
      result.json.data.map((row: { chainIndex: string; tokenContractAddress: string; price: string }) => [
        row.chainIndex,
        row.tokenContractAddress,
        row.price,
      ]),
    ).toEqual([
      ['1', EVM_NATIVE, '3120.55'],
      ['56', EVM_NATIVE, '590.12'],
      ['501', WSOL, '150.25'],
    ]);
  });

  it('serves candles and historical candles of natives for 0xeeee… and wSOL, answers 50014 for an empty address, and nothing for native SOL', async () => {
    for (const path of ['candles', 'historical-candles']) {
      for (const [chainIndex, address] of [
        ['1', EVM_NATIVE.toUpperCase().replace('0X', '0x')],
        ['43114', EVM_NATIVE],
        ['501', WSOL],
      ] as const) {
        expect(
          (await get(candles({ chainIndex, tokenContractAddress: address, bar: '1H', limit: '3' }, path))).json.data,
        ).toHaveLength(3);
      }
      const empty = await get(candles({ tokenContractAddress: '', bar: '1H' }, path));
      expect([empty.status, empty.json.code]).toEqual([400, '50014']);
      expect(
        (
          await get(
            candles({ chainIndex: '501', tokenContractAddress: '11111111111111111111111111111111', bar: '1H' }, path),
          )
        ).json,
      ).toEqual({ code: '0', msg: '', data: [] });
    }
  });

  it('rejects more than 100 tokens per price, index and basic-info batch', async () => {
    const batch = Array.from({ length: 101 }, () => ({ chainIndex: '1', tokenContractAddress: USDC_ETH }));
    for (const path of [
      '/api/v6/dex/market/price',
      '/api/v6/dex/index/current-price',
      '/api/v6/dex/market/token/basic-info',
    ]) {
      const result = await post(path, batch);
      expect([result.status, result.json.code, result.json.data]).toEqual([400, '50025', []]);
    }
    expect((await post('/api/v6/dex/market/price', batch.slice(0, 100))).json.data).toHaveLength(100);
  });

  it('prices native coins through the index API with ""', async () => {
    const result = await post('/api/v6/dex/index/current-price', [
      { chainIndex: '501', tokenContractAddress: '' },
      { chainIndex: '56', tokenContractAddress: '' },
    ]);
    expect(result.json.data.map((row: { price: string }) => row.price)).toEqual(['150.25', '590.12']);
  });

  it('serves 8-column string candles newest first whose latest close is the current price', async () => {
    const result = await get(candles({ bar: '1H', limit: '5' }));
    const rows: string[][] = result.json.data;
    expect(rows).toHaveLength(5);
    for (const row of rows) {
      expect(row).toHaveLength(8);
      for (const cell of row) expect(typeof cell).toBe('string');
    }
    expect(rows.map((row) => Number(row[0]))).toEqual(
      [0, 1, 2, 3, 4].map((back) => Math.floor(NOW / HOUR) * HOUR - back * HOUR),
    );
    expect(rows[0]![4]).toBe('3120.55');
    expect(rows.map((row) => row[7])).toEqual(['0', '1', '1', '1', '1']);
    for (let index = 0; index + 1 < rows.length; index += 1) expect(rows[index]![1]).toBe(rows[index + 1]![4]);
    for (const [, open, high, low, close] of rows) {
      expect(Number(high)).toBeGreaterThanOrEqual(Math.max(Number(open), Number(close)));
      expect(Number(low)).toBeLessThanOrEqual(Math.min(Number(open), Number(close)));
    }
  });

  it('serves closed historical candles only, paged with after/before, reproducibly', async () => {
    const first = (await get(candles({ bar: '1Dutc', limit: '3' }, 'historical-candles'))).json.data as string[][];
    expect(first.map((row) => row[7])).toEqual(['1', '1', '1']);
    expect(first[0]![4]).toBe('3120.55');
    expect(Number(first[0]![0])).toBe(Math.floor(NOW / 86_400_000) * 86_400_000 - 86_400_000);
    const older = (await get(candles({ bar: '1Dutc', limit: '2', after: first[2]![0]! }, 'historical-candles'))).json
      .data as string[][];
    expect(Number(older[0]![0])).toBe(Number(first[2]![0]) - 86_400_000);
    const newer = (await get(candles({ bar: '1Dutc', before: first[1]![0]! }, 'historical-candles'))).json
      .data as string[][];
    expect(newer).toEqual([first[0]]);
    expect((await get(candles({ bar: '1Dutc', limit: '3' }, 'historical-candles'))).json.data).toEqual(first);
    const hongKong = (await get(candles({ bar: '1D', limit: '1' }, 'historical-candles'))).json.data as string[][];
    expect(Number(hongKong[0]![0]) % 86_400_000).toBe(16 * HOUR);
  });

  it('shifts the candles with setPrice so the latest close follows the new price', async () => {
    const before = (await get(candles({ bar: '4H', limit: '3' }))).json.data as string[][];
    sandbox.world.setPrice({ chainIndex: '1', tokenAddress: WETH_ETH, priceUsd: '3000' });
    try {
      const after = (await get(candles({ bar: '4H', limit: '3' }))).json.data as string[][];
      expect(after[0]![4]).toBe('3000');
      expect(after[1]![4]).toBe('3000');
      expect(Number(after[2]![4]) / Number(before[2]![4])).toBeCloseTo(3000 / 3120.55, 8);
    } finally {
      sandbox.world.setPrice({ chainIndex: '1', tokenAddress: WETH_ETH, priceUsd: '3120.55' });
    }
  });

  it('enforces the candle limit of 299 and known bars', async () => {
    expect((await get(candles({ bar: '1H', limit: '299' }))).json.data).toHaveLength(299);
    const tooMany = await get(candles({ bar: '1H', limit: '300' }));
    expect([tooMany.status, tooMany.json.code]).toEqual([400, '50025']);
    expect((await get(candles({ bar: '7H' }))).json.code).toBe('51000');
    expect((await get(candles({}))).json.data).toHaveLength(100);
    const missing = await get('/api/v6/dex/market/candles?chainIndex=1');
    expect([missing.status, missing.json.code]).toEqual([400, '50014']);
    expect((await get(candles({ chainIndex: '424242' }))).json.code).toBe('50038');
  });

  it('returns basic info with the singular decimal field and omits unknown tokens', async () => {
    const result = await post('/api/v6/dex/market/token/basic-info', [
      { chainIndex: '501', tokenContractAddress: 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v' },
      { chainIndex: '1', tokenContractAddress: '0x000000000000000000000000000000000000beef' },
      { chainIndex: '1', tokenContractAddress: '0x5a17f0000000000000000000000000000000dead' },
    ]);
    expect(result.json.data).toEqual([
      {
        chainIndex: '501',
        tokenContractAddress: 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v',
        tokenName: 'USD Coin',
        tokenSymbol: 'USDC',
        tokenLogoUrl: expect.any(String),
        decimal: '6',
        tagList: { communityRecognized: true },
      },
      expect.objectContaining({ tokenSymbol: 'CLAIM-ETH', decimal: '18', tagList: { communityRecognized: false } }),
    ]);
  });

  it('searches tokens by symbol over the given chains', async () => {
    const result = await get(`/api/v6/dex/market/token/search?${qs({ chains: '1,42161', search: 'usdc' })}`);
    expect(
      result.json.data.map(
        (row: { chainIndex: string; tokenContractAddress: string }) => `${row.chainIndex}:${row.tokenContractAddress}`,
      ),
    ).toEqual([`1:${USDC_ETH}`, '42161:0xaf88d065e77c8cc2239327c5edb3a432268e5831']);
    expect(
      (await get(`/api/v6/dex/market/token/search?${qs({ chains: '1', search: 'u', limit: '101' })}`)).json.code,
    ).toBe('50025');
  });
});
