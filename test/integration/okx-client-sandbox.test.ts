import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOkxSandbox, type OkxSandbox } from '../../dev-tools/okx-sandbox/index';
import { isOkxApiError } from '../../shared/platform/okx/okx-errors';
import { createOkxClient, type OkxClient } from '../../shared/platform/okx/okx-client';

const USDC = '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48';
const USDT = '0xdac17f958d2ee523a2206206994597c13d831ec7';
const WETH = '0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2';
const CHAINS = ['1', '10', '56', '137', '8453', '42161', '43114'];

describe('OKX client against the OKX sandbox over real HTTP', () => {
  let sandbox: OkxSandbox;
  let okx: OkxClient;
  beforeAll(async () => {
    sandbox = await startOkxSandbox({ seed: 11, rateLimitPerSecond: 1000 });
    okx = createOkxClient({
      baseUrl: sandbox.url,
      credentials: sandbox.credentials,
      ratePerSecond: 200,
      burst: 20,
      maxRetries: 2,
      backoffBaseMs: 5,
      backoffCapMs: 20,
      timeoutMs: 2000,
    });
  });
  afterAll(() => sandbox.stop());
  const wallet = (name: string) => sandbox.world.demoWallets().find((demo) => demo.name === name)!.address;

  it('reads the balances of a demo wallet, risk tokens filtered by default and included on request', async () => {
    const { balances, failedChains } = await okx.getTokenBalances(wallet('degen'), CHAINS);
    expect(failedChains).toEqual([]);
    expect(balances.some((row) => row.isRiskToken)).toBe(false);
    const usdc = balances.find((row) => row.chainIndex === '42161')!;
    expect(usdc).toMatchObject({
      tokenAddress: '0xaf88d065e77c8cc2239327c5edb3a432268e5831',
      symbol: 'USDC',
      balance: '12.34',
      priceUsd: '0.9998',
    });
    expect(balances.find((row) => row.symbol === 'NOPRICE')!.priceUsd).toBeUndefined();
    const native = balances.find((row) => row.chainIndex === '1' && row.tokenAddress === '')!;
    expect(native.balance).toBe('0.042');
    const all = await okx.getTokenBalances(wallet('degen'), CHAINS, { includeRiskTokens: true });
    expect(all.balances.filter((row) => row.isRiskToken).map((row) => row.symbol)).toEqual([
      'CLAIM-ETH',
      'USDT-AIRDROP',
    ]);
    expect(all.balances.every((row) => row.rawBalance === undefined || /^\d+$/.test(row.rawBalance))).toBe(true);
  });

  it('rides out a transient chain failure with its retries', async () => {
    sandbox.faults.inject({ kind: 'chainFailure', chains: ['56'], times: 1 });
    const result = await okx.getTokenBalances(wallet('whale'), CHAINS);
    expect(result.failedChains).toEqual([]);
    expect(result.balances.some((row) => row.chainIndex === '56')).toBe(true);
  });

  it('isolates a persistently failing chain: the other chains still answer and only that chain is reported', async () => {
    sandbox.faults.inject({ kind: 'chainFailure', chains: ['56'] });
    try {
      const result = await okx.getTokenBalances(wallet('whale'), CHAINS);
      expect(result.failedChains.map((failure) => failure.chainIndex)).toEqual(['56']);
      expect(result.failedChains[0]!.error).toContain('50001');
      expect(new Set(result.balances.map((row) => row.chainIndex))).toEqual(
        new Set(CHAINS.filter((chain) => chain !== '56')),
      );
      const alone = await okx.getTokenBalances(wallet('whale'), ['56']).catch((caught: unknown) => caught);
      expect(isOkxApiError(alone) && alone.code).toBe('50001');
    } finally {
      sandbox.faults.clear();
    }
  });

  it('reads spot prices, skipping unpriced tokens', async () => {
    const prices = await okx.getSpotPrices([
      { chainIndex: '1', tokenAddress: USDC },
      { chainIndex: '8453', tokenAddress: '0x0000000000000000000000000000000000c0ffee' },
      { chainIndex: '1', tokenAddress: '' },
    ]);
    expect(prices.map((price) => [price.chainIndex, price.tokenAddress, price.priceUsd])).toEqual(
      expect.arrayContaining([['1', USDC, '0.9998']]),
    );
    expect(prices.some((price) => price.tokenAddress === '0x0000000000000000000000000000000000c0ffee')).toBe(false);
  });

  it('reads closed historical candles newest first, ending at the spot price', async () => {
    const candles = await okx.getHistoricalCandles({ chainIndex: '1', tokenAddress: WETH, bar: '1Dutc', limit: 30 });
    expect(candles).toHaveLength(30);
    expect(candles.every((candle) => candle.isClosed)).toBe(true);
    expect(candles[0]!.close).toBe('3120.55');
    expect(new Date(candles[0]!.time).getTime()).toBeGreaterThan(new Date(candles[1]!.time).getTime());
    const recent = await okx.getCandles({ chainIndex: '1', tokenAddress: WETH, bar: '1H', limit: 5 });
    expect(recent[0]).toMatchObject({ close: '3120.55', isClosed: false });
  });

  it('reads token info with decimals', async () => {
    const info = await okx.getTokenInfo([
      { chainIndex: '1', tokenAddress: USDC },
      { chainIndex: '501', tokenAddress: 'DezXAZ8z7PnrnRJjz3wXBoRgixCa6xjnB7YaB1pPB263' },
    ]);
    expect(info).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ chainIndex: '1', tokenAddress: USDC, decimals: 6, symbol: 'USDC' }),
        expect.objectContaining({ chainIndex: '501', decimals: 5, symbol: 'Bonk' }),
      ]),
    );
  });

  it('quotes and builds a swap whose minimum follows the slippage rule', async () => {
    const quote = await okx.getQuote({
      chainIndex: '1',
      fromTokenAddress: '',
      toTokenAddress: USDC,
      amountRaw: '1000000000000000000',
      slippagePercent: '1',
    });
    expect(quote.fromAmountRaw).toBe('1000000000000000000');
    // A loss, so negative as OKX documents it (1 ETH vs $80M of depth loses 0.0039 %).
    expect(quote.priceImpactPercent).toBe('-0.0039');
    expect([quote.fromTokenUnitPrice, quote.toTokenUnitPrice]).toEqual(['3120.55', '0.9998']);
    expect(quote.minReceivedRaw).toBe(((BigInt(quote.toAmountRaw) * 99n) / 100n).toString());
    const swap = await okx.getSwap({
      chainIndex: '1',
      fromTokenAddress: USDC,
      toTokenAddress: USDT,
      amountRaw: '5000000',
      slippagePercent: '0.5',
      userWalletAddress: wallet('whale'),
    });
    expect(swap.tx.to).toBe('0x5E1f62Dac767b0491e3CE72469C217365D5B48cC');
    expect(swap.tx.value).toBe('0');
    expect(swap.approveTx?.data.startsWith('0x095ea7b3')).toBe(true);
    const big = await okx
      .getQuote({ chainIndex: '1', fromTokenAddress: USDC, toTokenAddress: USDT, amountRaw: '100000000000000000' })
      .catch((error: unknown) => error);
    expect(isOkxApiError(big) && big.code).toBe('82000');
  });
});

describe('OKX client rate limiter against the sandbox limit', () => {
  it('sends a burst of 30 concurrent calls at 10/s without a single 429', async () => {
    const sandbox = await startOkxSandbox({ seed: 12, rateLimitPerSecond: 10 });
    try {
      const okx = createOkxClient({
        baseUrl: sandbox.url,
        credentials: sandbox.credentials,
        ratePerSecond: 10,
        maxRetries: 0,
      });
      const started = Date.now();
      const addresses = Array.from({ length: 30 }, (_, index) => `0x${(index + 1).toString(16).padStart(40, '0')}`);
      const results = await Promise.all(addresses.map((address) => okx.getTokenBalances(address, ['1', '8453'])));
      const elapsed = Date.now() - started;
      expect(results).toHaveLength(30);
      expect(sandbox.stats.rateLimited).toBe(0);
      expect(sandbox.stats.totalRequests).toBe(30);
      // 30 calls at 10/s with a burst of 1: the 30th leaves 2.9 s after the first.
      expect(elapsed).toBeGreaterThanOrEqual(2800);
      expect(sandbox.stats.maxRequestsPerSecond(sandbox.credentials.apiKey)).toBeLessThanOrEqual(11);
    } finally {
      await sandbox.stop();
    }
  });
});
