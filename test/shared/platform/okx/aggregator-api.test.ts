import { describe, expect, it } from 'vitest';
import { EVM_NATIVE_PLACEHOLDER, SOLANA_NATIVE_PLACEHOLDER } from '../../../../shared/platform/okx/native-address';
import { isOkxApiError } from '../../../../shared/platform/okx/okx-errors';
import { createHarness, ok, okxError, sequence, type SeenRequest } from './okx-test-kit';

const USDC = '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48';
const USDT = '0xdac17f958d2ee523a2206206994597c13d831ec7';
const WALLET = '0x34aabb238177ef195ed90fea056edd6648732014';
const SOL_USDC = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';

function token(address: string, decimal: string | undefined, symbol: string, tokenUnitPrice: string | null = '1') {
  return {
    ...(decimal === undefined ? {} : { decimal }),
    isHoneyPot: false,
    taxRate: '0',
    tokenContractAddress: address,
    tokenSymbol: symbol,
    tokenUnitPrice,
  };
}

function routerResult(extra: Record<string, unknown> = {}) {
  return {
    chainIndex: '1',
    contextSlot: 24682300,
    swapMode: 'exactIn',
    dexRouterList: [],
    estimateGasFee: '146000',
    fromToken: token('0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee', '18', 'ETH', '3120.51'),
    fromTokenAmount: '1000000000000000000',
    priceImpactPercent: '-0.04',
    router: 'x',
    toToken: token(USDC, '6', 'USDC', '0.9998'),
    toTokenAmount: '3119266012',
    tradeFee: '0.6123',
    ...extra,
  };
}

const SWAP_TX = {
  data: '0xf2c42696',
  from: WALLET,
  gas: '273000',
  gasPrice: '103408823',
  maxPriorityFeePerGas: '47994485',
  maxSpendAmount: '',
  minReceiveAmount: '989703',
  signatureData: [''],
  slippagePercent: '1',
  to: '0x5E1f62Dac767b0491e3CE72469C217365D5B48cC',
  value: '0',
};

const APPROVE = {
  data: '0x095ea7b3000000',
  dexContractAddress: '0x40aA958dd87FC8305b97f2BA922CDdCa374bcD7f',
  gasLimit: '50000',
  gasPrice: '110616000',
};

function byPath(routes: Record<string, ReturnType<typeof ok>>) {
  return (request: SeenRequest) =>
    routes[request.url.pathname.split('/').pop()!] ?? okxError('50404', 'not found', 404);
}

describe('aggregator API', () => {
  describe('getQuote', () => {
    it('sends native "" as the 0xeeee placeholder and maps the quote back to the vocabulary', async () => {
      // Prepare
      const h = createHarness(sequence(ok([routerResult()])));
      // Act
      const quote = await h.explorer.getQuote({
        chainIndex: '1',
        fromTokenAddress: '',
        toTokenAddress: USDC,
        amountRaw: '1000000000000000000',
        slippagePercent: '0.5',
      });
      // Assess
      expect(h.requests[0]!.requestPath).toBe(
        `/api/v6/dex/aggregator/quote?chainIndex=1&amount=1000000000000000000&swapMode=exactIn&fromTokenAddress=${EVM_NATIVE_PLACEHOLDER}&toTokenAddress=${USDC}`,
      );
      expect(quote).toEqual({
        fromTokenAddress: '',
        toTokenAddress: USDC,
        fromAmountRaw: '1000000000000000000',
        toAmountRaw: '3119266012',
        fromAmount: '1',
        toAmount: '3119.266012',
        minReceivedRaw: '3103669681',
        priceImpactPercent: '-0.04',
        estimateGasFee: '146000',
        gasUsd: '0.6123',
        fromTokenUnitPrice: '3120.51',
        toTokenUnitPrice: '0.9998',
      });
    });

    it('uses the Solana native placeholder and maps it back to ""', async () => {
      const solana = routerResult({
        chainIndex: '501',
        fromToken: token(SOL_USDC, '6', 'USDC'),
        toToken: token(SOLANA_NATIVE_PLACEHOLDER, '9', 'SOL'),
        fromTokenAmount: '1000000',
        toTokenAmount: '6500000',
      });
      const h = createHarness(sequence(ok([solana])));
      const quote = await h.explorer.getQuote({
        chainIndex: '501',
        fromTokenAddress: SOL_USDC,
        toTokenAddress: '',
        amountRaw: '1000000',
      });
      expect(h.requests[0]!.url.searchParams.get('toTokenAddress')).toBe(SOLANA_NATIVE_PLACEHOLDER);
      expect(quote).toMatchObject({ fromTokenAddress: SOL_USDC, toTokenAddress: '', toAmount: '0.0065' });
      expect(quote).not.toHaveProperty('minReceivedRaw');
    });

    it('tolerates a null price impact and a token without decimals', async () => {
      const h = createHarness(
        sequence(
          ok([routerResult({ priceImpactPercent: null, tradeFee: '', toToken: token(USDT, undefined, 'USDT', null) })]),
        ),
      );
      const quote = await h.explorer.getQuote({
        chainIndex: '1',
        fromTokenAddress: '',
        toTokenAddress: USDT,
        amountRaw: '1',
      });
      expect(quote).not.toHaveProperty('priceImpactPercent');
      expect(quote).not.toHaveProperty('gasUsd');
      expect(quote).not.toHaveProperty('toAmount');
      expect(quote).not.toHaveProperty('toTokenUnitPrice');
    });

    it('keeps 18-decimal dust and 1e30 raw units exact', async () => {
      const huge = `1${'0'.repeat(30)}`;
      const h = createHarness(
        sequence(ok([routerResult({ fromTokenAmount: '1', toTokenAmount: huge, toToken: token(USDT, '18', 'BIG') })])),
      );
      const quote = await h.explorer.getQuote({
        chainIndex: '1',
        fromTokenAddress: '',
        toTokenAddress: USDT,
        amountRaw: '1',
      });
      expect(quote).toMatchObject({ fromAmount: '0.000000000000000001', toAmountRaw: huge, toAmount: '1000000000000' });
    });

    it('rejects wrong decimals and non-integer amounts, naming the field', async () => {
      const badDecimals = createHarness(sequence(ok([routerResult({ toToken: token(USDC, 'six', 'USDC') })])));
      await expect(
        badDecimals.explorer.getQuote({ chainIndex: '1', fromTokenAddress: '', toTokenAddress: USDC, amountRaw: '1' }),
      ).rejects.toMatchObject({ field: 'data[0].toToken.decimal' });
      const badAmount = createHarness(sequence(ok([routerResult({ toTokenAmount: '3119.5' })])));
      await expect(
        badAmount.explorer.getQuote({ chainIndex: '1', fromTokenAddress: '', toTokenAddress: USDC, amountRaw: '1' }),
      ).rejects.toMatchObject({ field: 'data[0].toTokenAmount' });
      const empty = createHarness(sequence(ok([])));
      await expect(
        empty.explorer.getQuote({ chainIndex: '1', fromTokenAddress: '', toTokenAddress: USDC, amountRaw: '1' }),
      ).rejects.toMatchObject({ field: 'data' });
    });

    it('reports an HTTP 200 business error with its code (82000) without retrying', async () => {
      const h = createHarness(sequence(okxError('82000', 'Insufficient liquidity')));
      await expect(
        h.explorer.getQuote({ chainIndex: '1', fromTokenAddress: '', toTokenAddress: USDC, amountRaw: '1' }),
      ).rejects.toMatchObject({ code: '82000', httpStatus: 200 });
      expect(h.requests).toHaveLength(1);
    });

    it('retries 82001 (HTTP 500) as a server failure', async () => {
      const h = createHarness(sequence(okxError('82001', 'commission service unavailable', 500), ok([routerResult()])));
      await expect(
        h.explorer.getQuote({ chainIndex: '1', fromTokenAddress: '', toTokenAddress: USDC, amountRaw: '1' }),
      ).resolves.toMatchObject({ toAmountRaw: '3119266012' });
    });
  });

  describe('getSwap', () => {
    it('builds the swap tx and the ERC-20 approval for the spender when selling a token', async () => {
      // Prepare
      const swapResult = {
        routerResult: routerResult({ fromToken: token(USDC, '6', 'USDC'), toToken: token(USDT, '6', 'USDT') }),
        tx: SWAP_TX,
      };
      const h = createHarness(byPath({ swap: ok([swapResult]), 'approve-transaction': ok([APPROVE]) }));
      // Act
      const swap = await h.explorer.getSwap({
        chainIndex: '1',
        fromTokenAddress: USDC,
        toTokenAddress: USDT,
        amountRaw: '1000000',
        slippagePercent: '1',
        userWalletAddress: WALLET,
      });
      // Assess
      expect(swap).toEqual({
        tx: {
          to: SWAP_TX.to,
          data: '0xf2c42696',
          value: '0',
          gas: '273000',
          gasPrice: '103408823',
          maxPriorityFeePerGas: '47994485',
        },
        minReceivedRaw: '989703',
        approveTx: { to: USDC, data: APPROVE.data, value: '0', gas: '50000' },
      });
      expect(h.requests[0]!.requestPath).toBe(
        `/api/v6/dex/aggregator/swap?chainIndex=1&amount=1000000&swapMode=exactIn&fromTokenAddress=${USDC}&toTokenAddress=${USDT}&userWalletAddress=${WALLET}&slippagePercent=1`,
      );
      expect(h.requests[1]!.requestPath).toBe(
        `/api/v6/dex/aggregator/approve-transaction?chainIndex=1&tokenContractAddress=${USDC}&approveAmount=1000000`,
      );
    });

    it('asks for no approval when selling the native coin and sends its value', async () => {
      const h = createHarness(
        byPath({
          swap: ok([{ routerResult: routerResult(), tx: { ...SWAP_TX, value: '1000000000000000000', gas: '' } }]),
        }),
      );
      const swap = await h.explorer.getSwap({
        chainIndex: '1',
        fromTokenAddress: '',
        toTokenAddress: USDC,
        amountRaw: '1000000000000000000',
        slippagePercent: '0.5',
        userWalletAddress: WALLET,
      });
      expect(swap).toEqual({
        tx: {
          to: SWAP_TX.to,
          data: SWAP_TX.data,
          value: '1000000000000000000',
          gasPrice: '103408823',
          maxPriorityFeePerGas: '47994485',
        },
        minReceivedRaw: '989703',
      });
      expect(h.requests).toHaveLength(1);
      expect(h.requests[0]!.url.searchParams.get('fromTokenAddress')).toBe(EVM_NATIVE_PLACEHOLDER);
    });

    it('returns no approval when the chain needs none (82130)', async () => {
      const h = createHarness(
        byPath({
          swap: ok([{ routerResult: routerResult(), tx: SWAP_TX }]),
          'approve-transaction': okxError('82130', 'no authorization needed'),
        }),
      );
      const swap = await h.explorer.getSwap({
        chainIndex: '1',
        fromTokenAddress: USDC,
        toTokenAddress: USDT,
        amountRaw: '1',
        slippagePercent: '1',
        userWalletAddress: WALLET,
      });
      expect(swap).not.toHaveProperty('approveTx');
    });

    it('fails when the approval call fails for another reason', async () => {
      const h = createHarness(
        byPath({
          swap: ok([{ routerResult: routerResult(), tx: SWAP_TX }]),
          'approve-transaction': okxError('82104', 'Token not supported'),
        }),
      );
      const error = await h.explorer
        .getSwap({
          chainIndex: '1',
          fromTokenAddress: USDC,
          toTokenAddress: USDT,
          amountRaw: '1',
          slippagePercent: '1',
          userWalletAddress: WALLET,
        })
        .catch((e: unknown) => e);
      expect(isOkxApiError(error) && error.code).toBe('82104');
    });

    it('skips approvals on Solana (base58 mints)', async () => {
      const h = createHarness(
        byPath({
          swap: ok([
            { routerResult: routerResult(), tx: { ...SWAP_TX, to: 'JUP', data: 'base58tx', value: undefined } },
          ]),
        }),
      );
      const swap = await h.explorer.getSwap({
        chainIndex: '501',
        fromTokenAddress: SOL_USDC,
        toTokenAddress: '',
        amountRaw: '1',
        slippagePercent: '1',
        userWalletAddress: 'So1Wallet',
      });
      expect(swap.approveTx).toBeUndefined();
      expect(swap.tx.value).toBe('0');
      expect(h.requests).toHaveLength(1);
    });

    it('rejects a swap without tx or minReceiveAmount, naming the field', async () => {
      const noTx = createHarness(byPath({ swap: ok([{ routerResult: routerResult() }]) }));
      const request = {
        chainIndex: '1',
        fromTokenAddress: '',
        toTokenAddress: USDC,
        amountRaw: '1',
        slippagePercent: '1',
        userWalletAddress: WALLET,
      };
      await expect(noTx.explorer.getSwap(request)).rejects.toMatchObject({ field: 'data[0].tx' });
      const noMin = createHarness(
        byPath({ swap: ok([{ routerResult: routerResult(), tx: { ...SWAP_TX, minReceiveAmount: '' } }]) }),
      );
      await expect(noMin.explorer.getSwap(request)).rejects.toMatchObject({ field: 'data[0].tx.minReceiveAmount' });
    });
  });

  describe('getApproveTransaction', () => {
    it('returns the calldata addressed to the token contract with the spender and gas', async () => {
      const h = createHarness(sequence(ok([APPROVE])));
      await expect(
        h.explorer.getApproveTransaction({ chainIndex: '1', tokenAddress: USDC, amountRaw: '1000000' }),
      ).resolves.toEqual({
        tx: { to: USDC, data: APPROVE.data, value: '0', gas: '50000' },
        spender: APPROVE.dexContractAddress,
        gasPrice: '110616000',
      });
    });

    it('leaves gas out when OKX sends none', async () => {
      const h = createHarness(sequence(ok([{ data: '0x095e', dexContractAddress: '0x40aa' }])));
      await expect(
        h.explorer.getApproveTransaction({ chainIndex: '1', tokenAddress: USDC, amountRaw: '1' }),
      ).resolves.toEqual({ tx: { to: USDC, data: '0x095e', value: '0' }, spender: '0x40aa' });
    });
  });
});
