import { describe, expect, it } from 'vitest';
import { bodyOf, createHarness, ok, okxError, sequence } from './okx-test-kit';

const WALLET = '0x238193be9e80e68eace3588b45d8cf4a7eae0fa3';
const EIP1559 = {
  suggestBaseFee: '15170000000',
  baseFee: '12136000000',
  proposePriorityFee: '1000000000',
  safePriorityFee: '500000000',
  fastPriorityFee: '2000000000',
};

describe('gateway API', () => {
  describe('getGasPrice', () => {
    it('reads legacy and EIP-1559 prices with the documented `supporteip1559` spelling', async () => {
      // Prepare
      const h = createHarness(
        sequence(
          ok([
            {
              normal: '21289500000',
              min: '15670000000',
              max: '29149000000',
              supporteip1559: true,
              eip1559Protocol: EIP1559,
            },
          ]),
        ),
      );
      // Act
      const gas = await h.explorer.getGasPrice('1');
      // Assess
      expect(gas).toEqual({
        normal: '21289500000',
        min: '15670000000',
        max: '29149000000',
        supportsEip1559: true,
        eip1559: EIP1559,
      });
      expect(h.requests[0]!.requestPath).toBe('/api/v6/dex/pre-transaction/gas-price?chainIndex=1');
    });

    it('accepts the `supportEip1559` and `eip1599Protocol` variants of the docs example', async () => {
      const h = createHarness(sequence(ok([{ normal: '1', supportEip1559: true, eip1599Protocol: { baseFee: '7' } }])));
      await expect(h.explorer.getGasPrice('1')).resolves.toEqual({
        normal: '1',
        supportsEip1559: true,
        eip1559: { baseFee: '7' },
      });
    });

    it('reads Solana priority fees', async () => {
      const h = createHarness(
        sequence(
          ok([
            {
              priorityFee: {
                proposePriorityFee: '1000',
                safePriorityFee: '500',
                fastPriorityFee: '2000',
                extremePriorityFee: '9000',
              },
            },
          ]),
        ),
      );
      await expect(h.explorer.getGasPrice('501')).resolves.toEqual({
        supportsEip1559: false,
        priorityFee: {
          proposePriorityFee: '1000',
          safePriorityFee: '500',
          fastPriorityFee: '2000',
          extremePriorityFee: '9000',
        },
      });
    });

    it('rejects an empty answer', async () => {
      const h = createHarness(sequence(ok([])));
      await expect(h.explorer.getGasPrice('1')).rejects.toMatchObject({ field: 'data', problem: 'is empty' });
    });

    it('rejects a non-decimal gas price and a non-object fee block', async () => {
      const bad = createHarness(sequence(ok([{ normal: 'fast' }])));
      await expect(bad.explorer.getGasPrice('1')).rejects.toMatchObject({ field: 'data[0].normal' });
      const block = createHarness(sequence(ok([{ normal: '1', eip1559Protocol: 'yes' }])));
      await expect(block.explorer.getGasPrice('1')).rejects.toMatchObject({ field: 'data[0].eip1559Protocol' });
    });
  });

  describe('getGasLimit', () => {
    it('POSTs the transaction with calldata in extJson', async () => {
      const h = createHarness(sequence(ok([{ gasLimit: '652683' }])));
      await expect(
        h.explorer.getGasLimit({ chainIndex: '1', fromAddress: WALLET, toAddress: '0xrouter', inputData: '0xabcdef' }),
      ).resolves.toBe('652683');
      expect(bodyOf(h.requests[0]!)).toEqual({
        chainIndex: '1',
        fromAddress: WALLET,
        toAddress: '0xrouter',
        txAmount: '0',
        extJson: { inputData: '0xabcdef' },
      });
    });
  });

  describe('simulate', () => {
    it('POSTs the transaction and converts signed raw asset changes to token units', async () => {
      const h = createHarness(
        sequence(
          ok([
            {
              intention: 'Swap',
              assetChange: [
                {
                  assetType: 'NATIVE',
                  name: 'Ether',
                  symbol: 'ETH',
                  decimals: 18,
                  address: '',
                  imageUrl: '',
                  rawValue: '-1',
                },
                {
                  assetType: 'ERC20',
                  name: 'Big',
                  symbol: 'BIG',
                  decimals: 18,
                  address: '0xbig',
                  imageUrl: '',
                  rawValue: `1${'0'.repeat(30)}`,
                },
                { assetType: 'ERC20', symbol: 'Z', decimals: '6', rawValue: '-0' },
              ],
              gasUsed: '120000',
              failReason: '',
              risks: [{ address: '0xbad', addressType: 'contract' }],
            },
          ]),
        ),
      );
      const result = await h.explorer.simulate({
        chainIndex: '1',
        fromAddress: WALLET,
        toAddress: '0xrouter',
        txAmount: '1',
        inputData: '0x12',
        gasPrice: '100',
        priorityFee: '5',
      });
      expect(result).toEqual({
        intention: 'Swap',
        assetChanges: [
          {
            assetType: 'NATIVE',
            symbol: 'ETH',
            decimals: 18,
            address: '',
            rawValue: '-1',
            amount: '-0.000000000000000001',
          },
          {
            assetType: 'ERC20',
            symbol: 'BIG',
            decimals: 18,
            address: '0xbig',
            rawValue: `1${'0'.repeat(30)}`,
            amount: '1000000000000',
          },
          { assetType: 'ERC20', symbol: 'Z', decimals: 6, address: '', rawValue: '-0', amount: '0' },
        ],
        gasUsed: '120000',
        failReason: '',
        risks: [{ address: '0xbad', addressType: 'contract' }],
      });
      expect(h.requests[0]!.method).toBe('POST');
      expect(h.requests[0]!.url.pathname).toBe('/api/v6/dex/pre-transaction/simulate');
      expect(bodyOf(h.requests[0]!)).toEqual({
        chainIndex: '1',
        fromAddress: WALLET,
        toAddress: '0xrouter',
        txAmount: '1',
        extJson: { inputData: '0x12' },
        gasPrice: '100',
        priorityFee: '5',
      });
    });

    it('tolerates absent lists and rejects a fractional raw value', async () => {
      const bare = createHarness(sequence(ok([{ failReason: 'execution reverted', risks: [{ address: '0x1' }] }])));
      await expect(bare.explorer.simulate({ chainIndex: '1', fromAddress: WALLET, toAddress: '0x2' })).resolves.toEqual(
        {
          intention: '',
          assetChanges: [],
          failReason: 'execution reverted',
          risks: [{ address: '0x1', addressType: '' }],
        },
      );
      const bad = createHarness(
        sequence(ok([{ assetChange: [{ assetType: 'ERC20', decimals: 6, rawValue: '1.5' }] }])),
      );
      await expect(
        bad.explorer.simulate({ chainIndex: '1', fromAddress: WALLET, toAddress: '0x2' }),
      ).rejects.toMatchObject({ field: 'data[0].assetChange[0].rawValue' });
    });

    it('surfaces the whitelist permission error', async () => {
      const h = createHarness(sequence(okxError('50030', 'No permission', 403)));
      await expect(
        h.explorer.simulate({ chainIndex: '1', fromAddress: WALLET, toAddress: '0x2' }),
      ).rejects.toMatchObject({ code: '50030', httpStatus: 403 });
    });
  });

  describe('broadcast', () => {
    it('POSTs the signed tx with extraData as a JSON-encoded string', async () => {
      const h = createHarness(sequence(ok([{ orderId: '469356614923743232', txHash: '0xabc' }])));
      const result = await h.explorer.broadcast({
        chainIndex: '1',
        address: WALLET,
        signedTx: '0xf86c',
        extraData: { enableMevProtection: true },
      });
      expect(result).toEqual({ orderId: '469356614923743232', txHash: '0xabc' });
      expect(bodyOf(h.requests[0]!)).toEqual({
        signedTx: '0xf86c',
        chainIndex: '1',
        address: WALLET,
        extraData: '{"enableMevProtection":true}',
      });
    });

    it('tolerates an answer without a tx hash', async () => {
      const h = createHarness(sequence(ok([{ orderId: 469356614923743 }])));
      await expect(h.explorer.broadcast({ chainIndex: '1', address: WALLET, signedTx: '0x' })).resolves.toEqual({
        orderId: '469356614923743',
        txHash: '',
      });
    });

    it('reports a node failure (81451)', async () => {
      const h = createHarness(sequence(okxError('81451', 'Node request failed')));
      await expect(h.explorer.broadcast({ chainIndex: '1', address: WALLET, signedTx: '0x' })).rejects.toMatchObject({
        code: '81451',
      });
      expect(bodyOf(h.requests[0]!)).not.toHaveProperty('extraData');
    });
  });

  describe('getOrderStatus', () => {
    it('reads orders with `txStatus` or the lower-case `txstatus` and maps the status codes', async () => {
      const orders = [
        { chainIndex: '1', address: WALLET, orderId: '1', txStatus: '2', failReason: '', txHash: '0xa' },
        { chainIndex: '1', address: WALLET, orderId: '2', txstatus: '3', failReason: 'reverted', txHash: '0xb' },
        { chainIndex: '1', orderId: '3', txStatus: '1' },
        { chainIndex: '1', orderId: '4', txStatus: '9' },
      ];
      const h = createHarness(sequence(ok([{ cursor: '1', orders }])));
      const result = await h.explorer.getOrderStatus({
        chainIndex: '1',
        address: WALLET,
        orderId: '1',
        txStatus: 'success',
        limit: 500,
      });
      expect(result.cursor).toBe('1');
      expect(result.orders.map((order) => [order.orderId, order.txStatus, order.failReason])).toEqual([
        ['1', 'success', ''],
        ['2', 'failed', 'reverted'],
        ['3', 'pending', ''],
        ['4', 'unknown', ''],
      ]);
      expect(result.orders[2]).toMatchObject({ address: WALLET, txHash: '' });
      expect(h.requests[0]!.requestPath).toBe(
        `/api/v6/dex/post-transaction/orders?address=${WALLET}&chainIndex=1&txStatus=2&orderId=1&limit=100`,
      );
    });

    it('answers no orders for an empty page list', async () => {
      const h = createHarness(sequence(ok([])));
      await expect(h.explorer.getOrderStatus({ chainIndex: '1', address: WALLET })).resolves.toEqual({ orders: [] });
    });

    it('rejects a page without an orders list', async () => {
      const h = createHarness(sequence(ok([{ cursor: '1' }])));
      await expect(h.explorer.getOrderStatus({ chainIndex: '1', address: WALLET })).rejects.toMatchObject({
        field: 'data[0].orders',
      });
    });
  });
});
