import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOkxSandbox, type OkxSandbox } from '../../../dev-tools/okx-sandbox/index';
import { call, EVM_NATIVE, qs, USDC_ETH, USDT_ETH } from './sandbox-client';

const quotePath = (params: Record<string, string>, path = 'quote') =>
  `/api/v6/dex/aggregator/${path}?${qs({ chainIndex: '1', ...params })}`;
const WALLET = '0x1111111111111111111111111111111111111111';

/** §12.7 recomputed from the response's own fields with exact integers. */
function expectedOut(
  amount: bigint,
  priceIn: string,
  decIn: number,
  priceOut: string,
  decOut: number,
  impactPercent: string,
): bigint {
  const fraction = (value: string) => {
    const [whole, part = ''] = value.split('.');
    return { n: BigInt(whole! + part), d: 10n ** BigInt(part.length) };
  };
  const pin = fraction(priceIn);
  const pout = fraction(priceOut);
  const impact = fraction(impactPercent);
  return (
    (amount * pin.n * pout.d * 10n ** BigInt(decOut) * (100n * impact.d + impact.n)) /
    (10n ** BigInt(decIn) * pin.d * pout.n * 100n * impact.d)
  );
}

describe('OKX sandbox aggregator and gateway', () => {
  let sandbox: OkxSandbox;
  beforeAll(async () => {
    sandbox = await startOkxSandbox({ seed: 5, rateLimitPerSecond: 1000 });
  });
  afterAll(() => sandbox.stop());
  const get = (target: string) => call(sandbox, 'GET', target);
  const quote = async (amount: string, from = EVM_NATIVE, to = USDC_ETH, extra: Record<string, string> = {}) =>
    (await get(quotePath({ amount, fromTokenAddress: from, toTokenAddress: to, swapMode: 'exactIn', ...extra }))).json;

  it('quotes with price impact growing with trade size and exact integer maths', async () => {
    const impacts: number[] = [];
    for (const amount of ['1000000000000000000', '100000000000000000000', '5000000000000000000000']) {
      const result = await quote(amount);
      expect(result.code).toBe('0');
      const data = result.data[0];
      impacts.push(Number(data.priceImpactPercent));
      expect(data.fromTokenAmount).toBe(amount);
      expect(data.fromToken).toEqual({
        decimal: '18',
        isHoneyPot: false,
        taxRate: '0',
        tokenContractAddress: '0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee',
        tokenSymbol: 'ETH',
        tokenUnitPrice: '3120.55',
      });
      expect(data.toToken.decimal).toBe('6');
      expect(BigInt(data.toTokenAmount)).toBe(
        expectedOut(
          BigInt(amount),
          data.fromToken.tokenUnitPrice,
          18,
          data.toToken.tokenUnitPrice,
          6,
          data.priceImpactPercent,
        ),
      );
      expect(data.dexRouterList).toEqual([
        expect.objectContaining({
          dexProtocol: { dexName: 'Uniswap V3', percent: '100' },
          fromTokenIndex: '0',
          toTokenIndex: '1',
        }),
      ]);
      expect(data.estimateGasFee).toBe('146000');
      expect(typeof data.contextSlot).toBe('number');
      expect(data.router).toBe(`0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee--${USDC_ETH}`);
      expect(Number(data.tradeFee)).toBeGreaterThan(0);
    }
    // OKX's sign (okx-api §9.5): (received − paid) / paid, so a loss is negative and grows more negative with size.
    expect(impacts[0]).toBeGreaterThan(impacts[1]!);
    expect(impacts[1]).toBeGreaterThan(impacts[2]!);
    // 1 ETH = $3120.55 against $80M of USDC depth: loss 3120.55 / (3120.55 + 80,000,000) × 100 = 0.00390... → "-0.0039"
    const one = (await quote('1000000000000000000')).data[0];
    expect(one.priceImpactPercent).toBe('-0.0039');
    // Consistent with the unit prices: paid 1 × 3120.55; received = toTokenAmount / 10^6 × 0.9998, i.e.
    // 3120.55 / 0.9998 × 10^6 × (1 − 0.000039) = 3121052509.05… floored = 3121052509 raw, so received =
    // 3121.052509 × 0.9998 = 3120.4282984982 and (received − paid) / paid × 100 = −0.0039000017 ≈ −0.0039.
    expect(one.toTokenAmount).toBe('3121052509');
  });

  it('answers 82000 above the liquidity, 82112 above the impact guard, 82104 for unknown tokens, 82105 for other chains', async () => {
    sandbox.world.setLiquidity({ chainIndex: '1', tokenAddress: USDT_ETH, liquidityUsd: '10000' });
    try {
      expect((await quote('20000000000', USDC_ETH, USDT_ETH)).code).toBe('82000');
      const guarded = await quote('5000000000', USDC_ETH, USDT_ETH, { priceImpactProtectionPercent: '10' });
      expect(guarded).toEqual({ code: '82112', msg: expect.stringContaining('33.3'), data: [] });
      expect((await quote('5000000000', USDC_ETH, USDT_ETH, { priceImpactProtectionPercent: '100' })).code).toBe('0');
    } finally {
      sandbox.world.setLiquidity({ chainIndex: '1', tokenAddress: USDT_ETH, liquidityUsd: '80000000' });
    }
    expect((await quote('1000', '0x000000000000000000000000000000000000beef')).code).toBe('82104');
    expect(
      (await get(quotePath({ chainIndex: '195', amount: '1', fromTokenAddress: EVM_NATIVE, toTokenAddress: USDC_ETH })))
        .json.code,
    ).toBe('82105');
    const missing = await get(quotePath({ amount: '1' }));
    expect([missing.status, missing.json.code]).toEqual([400, '50014']);
  });

  it('builds a swap with minReceiveAmount = floor(toTokenAmount × (100 − slippage) / 100) and the router as tx.to', async () => {
    const params = {
      amount: '1000000',
      fromTokenAddress: USDC_ETH,
      toTokenAddress: USDT_ETH,
      slippagePercent: '0.7',
      userWalletAddress: WALLET,
    };
    const result = (await get(quotePath(params, 'swap'))).json.data[0];
    const toAmount = BigInt(result.routerResult.toTokenAmount);
    expect(result.tx.minReceiveAmount).toBe(((toAmount * 993n) / 1000n).toString());
    expect(result.tx).toMatchObject({
      from: WALLET,
      to: '0x5E1f62Dac767b0491e3CE72469C217365D5B48cC',
      value: '0',
      gas: '273000',
      slippagePercent: '0.7',
      maxSpendAmount: '',
      signatureData: [''],
    });
    expect(result.tx.data).toMatch(/^0x[0-9a-f]+$/);
    const native = (
      await get(
        quotePath(
          { ...params, fromTokenAddress: EVM_NATIVE, toTokenAddress: USDC_ETH, amount: '10000000000000000' },
          'swap',
        ),
      )
    ).json.data[0];
    expect(native.tx.value).toBe('10000000000000000');
    const solana = (
      await get(
        quotePath(
          {
            chainIndex: '501',
            amount: '1000000000',
            fromTokenAddress: '11111111111111111111111111111111',
            toTokenAddress: 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v',
            slippagePercent: '1',
            userWalletAddress: sandbox.world.demoWallets()[3]!.address,
          },
          'swap',
        ),
      )
    ).json.data[0];
    expect(solana.routerResult.fromToken.tokenContractAddress).toBe('11111111111111111111111111111111');
    expect(solana.tx.minReceiveAmount).toBe(((BigInt(solana.routerResult.toTokenAmount) * 99n) / 100n).toString());
    expect((await get(quotePath({ ...params, slippagePercent: '' }, 'swap'))).json.code).toBe('50014');
  });

  it('returns approve calldata for the spender of supported/chain and refuses Solana with 82130', async () => {
    const chains = (await get('/api/v6/dex/aggregator/supported/chain?chainIndex=1')).json.data;
    expect(chains).toEqual([
      { chainIndex: '1', chainName: 'Ethereum', dexTokenApproveAddress: '0x40aA958dd87FC8305b97f2BA922CDdCa374bcD7f' },
    ]);
    const approve = (
      await get(
        `/api/v6/dex/aggregator/approve-transaction?${qs({ chainIndex: '1', tokenContractAddress: USDC_ETH, approveAmount: '1000000' })}`,
      )
    ).json.data[0];
    expect(approve.data).toBe(
      '0x095ea7b300000000000000000000000040aa958dd87fc8305b97f2ba922cddca374bcd7f00000000000000000000000000000000000000000000000000000000000f4240',
    );
    expect(approve.dexContractAddress).toBe('0x40aA958dd87FC8305b97f2BA922CDdCa374bcD7f');
    const solana = await get(
      `/api/v6/dex/aggregator/approve-transaction?${qs({ chainIndex: '501', tokenContractAddress: 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v', approveAmount: '1' })}`,
    );
    expect(solana.json.code).toBe('82130');
    const tokens = (await get('/api/v6/dex/aggregator/all-tokens?chainIndex=1')).json.data;
    expect(tokens).toContainEqual(
      expect.objectContaining({
        decimals: '18',
        tokenContractAddress: '0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee',
        tokenSymbol: 'ETH',
      }),
    );
  });

  it('serves gas price and gas limit; simulate and broadcast refuse what the sandbox did not issue', async () => {
    const gas = (await get('/api/v6/dex/pre-transaction/gas-price?chainIndex=1')).json.data[0];
    expect(gas).toMatchObject({
      normal: '21289500000',
      supporteip1559: true,
      eip1559Protocol: expect.objectContaining({ baseFee: expect.any(String) }),
    });
    expect(
      (await get('/api/v6/dex/pre-transaction/gas-price?chainIndex=501')).json.data[0].priorityFee.extremePriorityFee,
    ).toBe('2000000');
    const body = {
      chainIndex: '1',
      fromAddress: WALLET,
      toAddress: USDC_ETH,
      txAmount: '0',
      extJson: { inputData: '0x095ea7b3' },
    };
    expect((await call(sandbox, 'POST', '/api/v6/dex/pre-transaction/gas-limit', { body })).json.data).toEqual([
      { gasLimit: '121064' },
    ]);
    // Not issued by the sandbox: the simulation names the intention but fails, and the gateway refuses junk.
    const simulated = (await call(sandbox, 'POST', '/api/v6/dex/pre-transaction/simulate', { body })).json.data[0];
    expect(simulated).toMatchObject({
      intention: 'Token Approval',
      assetChange: [],
      failReason: 'execution reverted: the sandbox did not issue this transaction',
      risks: [],
    });
    const broadcast = await call(sandbox, 'POST', '/api/v6/dex/pre-transaction/broadcast-transaction', {
      body: { signedTx: '0xf86c01', chainIndex: '1', address: WALLET },
    });
    expect([broadcast.status, broadcast.json]).toEqual([
      200,
      { code: '81001', msg: 'Incorrect parameter signedTx', data: [] },
    ]);
    const orders = (await get(`/api/v6/dex/post-transaction/orders?${qs({ address: WALLET, chainIndex: '1' })}`)).json
      .data[0];
    expect(orders).toEqual({ cursor: '0', orders: [] });
    expect(
      (await get(`/api/v6/dex/post-transaction/orders?${qs({ address: WALLET, chainIndex: '1', limit: '101' })}`)).json
        .code,
    ).toBe('81001');
  });
});
