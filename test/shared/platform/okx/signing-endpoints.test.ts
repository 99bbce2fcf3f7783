import { describe, expect, it } from 'vitest';
import { bodyOf, createHarness, ok, okxError, sequence } from './okx-test-kit';

const WALLET = '0x238193be9e80e68eace3588b45d8cf4a7eae0fa3';
const USDT = '0xdac17f958d2ee523a2206206994597c13d831ec7';
const SPENDER = '0x40aa958dd87fc8305b97f2ba922cddca374bcd7f';

describe('OKX endpoints of the signing flow', () => {
  describe('checkApprovals', () => {
    it('POSTs chainIndex, address, the token and the spender, and reads the spendable minimal units', async () => {
      const h = createHarness(sequence(ok([{ tokens: [{ tokenContractAddress: USDT, spendable: '2500000' }] }])));
      const result = await h.explorer.checkApprovals({
        chainIndex: '1',
        address: WALLET,
        tokenAddress: USDT,
        spender: SPENDER,
      });
      expect(result).toEqual({ tokenAddress: USDT, spendable: '2500000' });
      expect(h.requests[0]!.method).toBe('POST');
      expect(h.requests[0]!.url.pathname).toBe('/api/v6/dex/pre-transaction/check-approvals');
      expect(bodyOf(h.requests[0]!)).toEqual({
        chainIndex: '1',
        address: WALLET,
        tokens: [{ tokenContractAddress: USDT }],
        spender: SPENDER,
      });
    });

    it('leaves the optional spender out rather than sending it empty', async () => {
      const h = createHarness(sequence(ok([{ tokens: [{ tokenContractAddress: USDT, spendable: '0' }] }])));
      await h.explorer.checkApprovals({ chainIndex: '1', address: WALLET, tokenAddress: USDT });
      expect(bodyOf(h.requests[0]!)).not.toHaveProperty('spender');
    });

    it('refuses to send an empty token or address', async () => {
      const h = createHarness(sequence(ok([])));
      await expect(
        h.explorer.checkApprovals({ chainIndex: '1', address: WALLET, tokenAddress: '' }),
      ).rejects.toMatchObject({ name: 'OkxEmptyParameterError' });
      await expect(
        h.explorer.checkApprovals({ chainIndex: '1', address: '', tokenAddress: USDT }),
      ).rejects.toMatchObject({ name: 'OkxEmptyParameterError', parameter: 'address' });
      expect(h.requests).toHaveLength(0);
    });

    it('refuses a spendable that is not an integer of minimal units', async () => {
      const h = createHarness(sequence(ok([{ tokens: [{ tokenContractAddress: USDT, spendable: '1.5' }] }])));
      await expect(
        h.explorer.checkApprovals({ chainIndex: '1', address: WALLET, tokenAddress: USDT }),
      ).rejects.toMatchObject({ name: 'OkxMalformedResponseError' });
    });
  });

  describe('getSwapHistory', () => {
    it('reads a swap by hash, its token details (arrays, minimal units) and a native placeholder as ""', async () => {
      const h = createHarness(
        sequence(
          ok({
            chainIndex: '1',
            txHash: '0xab',
            status: 'success',
            txType: 'Swap',
            fromTokenDetails: [
              {
                symbol: 'ETH',
                amount: '1000000000000000000',
                tokenAddress: '0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee',
              },
            ],
            toTokenDetails: [{ symbol: 'USDC', amount: '3119266012', tokenAddress: '0xa0b8' }],
            errorMsg: '',
            txFee: '0.0012',
          }),
        ),
      );
      const history = await h.explorer.getSwapHistory({ chainIndex: '1', txHash: '0xab' });
      expect(history).toEqual({
        txHash: '0xab',
        status: 'success',
        txType: 'Swap',
        fromToken: { symbol: 'ETH', amountRaw: '1000000000000000000', tokenAddress: '' },
        toToken: { symbol: 'USDC', amountRaw: '3119266012', tokenAddress: '0xa0b8' },
        errorMsg: '',
        txFee: '0.0012',
      });
      expect(h.requests[0]!.requestPath).toBe('/api/v6/dex/aggregator/history?chainIndex=1&txHash=0xab');
    });

    it('maps "failure" and "fail" to fail and anything else to pending; a list answer is read too', async () => {
      const h = createHarness(
        sequence(
          ok([{ txHash: '0x1', status: 'failure', errorMsg: 'execution reverted' }]),
          ok({ txHash: '0x2', status: 'fail' }),
          ok({ txHash: '0x3', status: 'pending' }),
        ),
      );
      await expect(h.explorer.getSwapHistory({ chainIndex: '1', txHash: '0x1' })).resolves.toMatchObject({
        status: 'fail',
        errorMsg: 'execution reverted',
      });
      await expect(h.explorer.getSwapHistory({ chainIndex: '1', txHash: '0x2' })).resolves.toMatchObject({
        status: 'fail',
      });
      await expect(h.explorer.getSwapHistory({ chainIndex: '1', txHash: '0x3' })).resolves.toMatchObject({
        status: 'pending',
      });
    });

    it('never asks without a tx hash', async () => {
      const h = createHarness(sequence(ok({})));
      await expect(h.explorer.getSwapHistory({ chainIndex: '1', txHash: '' })).rejects.toMatchObject({
        name: 'OkxEmptyParameterError',
      });
      expect(h.requests).toHaveLength(0);
    });
  });

  describe('broadcast is sent once', () => {
    it('does not retry a retryable code (50001)', async () => {
      const h = createHarness(
        sequence(okxError('50001', 'Service temporarily unavailable', 503), ok([{ orderId: '1' }])),
      );
      await expect(
        h.explorer.broadcast({ chainIndex: '1', address: WALLET, signedTx: '0x02f8' }),
      ).rejects.toMatchObject({ code: '50001' });
      expect(h.requests).toHaveLength(1);
    });

    it('does not retry a transport failure', async () => {
      const h = createHarness(sequence(new TypeError('fetch failed'), ok([{ orderId: '1' }])));
      await expect(
        h.explorer.broadcast({ chainIndex: '1', address: WALLET, signedTx: '0x02f8' }),
      ).rejects.toMatchObject({ name: 'OkxTransportError' });
      expect(h.requests).toHaveLength(1);
    });

    it('does not retry after a rate limit (429)', async () => {
      const h = createHarness(sequence(okxError('50011', 'Too Many Requests', 429), ok([{ orderId: '1' }])));
      await expect(
        h.explorer.broadcast({ chainIndex: '1', address: WALLET, signedTx: '0x02f8' }),
      ).rejects.toBeDefined();
      expect(h.requests).toHaveLength(1);
    });

    it('refuses an empty signed transaction before sending', async () => {
      const h = createHarness(sequence(ok([{ orderId: '1' }])));
      await expect(h.explorer.broadcast({ chainIndex: '1', address: WALLET, signedTx: '' })).rejects.toMatchObject({
        name: 'OkxEmptyParameterError',
      });
      expect(h.requests).toHaveLength(0);
    });
  });

  describe('getSwap for signing', () => {
    it('keeps the gas price fields and Solana signature data, and skips the approval call when asked', async () => {
      const h = createHarness(
        sequence(
          ok([
            {
              routerResult: {},
              tx: {
                to: 'proVF4pMXVaYqmy4NjniPh4pqKNfMmsihgd4wdkCX3u',
                data: '3mJr7AoUXx2Wqd',
                value: '0',
                gas: '273000',
                gasPrice: '103408823',
                maxPriorityFeePerGas: '47994485',
                minReceiveAmount: '989703',
                signatureData: ['', 'sig-data'],
              },
            },
          ]),
        ),
      );
      const swap = await h.explorer.getSwap({
        chainIndex: '1',
        fromTokenAddress: USDT,
        toTokenAddress: '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48',
        amountRaw: '1000000',
        slippagePercent: '1',
        userWalletAddress: WALLET,
        skipApproval: true,
      });
      expect(swap).toEqual({
        tx: {
          to: 'proVF4pMXVaYqmy4NjniPh4pqKNfMmsihgd4wdkCX3u',
          data: '3mJr7AoUXx2Wqd',
          value: '0',
          gas: '273000',
          gasPrice: '103408823',
          maxPriorityFeePerGas: '47994485',
          signatureData: ['sig-data'],
        },
        minReceivedRaw: '989703',
      });
      expect(h.requests).toHaveLength(1);
    });
  });
});
