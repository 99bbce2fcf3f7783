import { base58 } from '@scure/base';
import { addressKind, normalizeWallet } from '../addresses';
import { CHAINS, isTradeChain, logoUrl, type SandboxChain } from '../chains';
import { badParam, readLimit, readString, requireChain } from '../params';
import { hashBytes } from '../random';
import type { Route, RouteContext } from './types';

const BASE = '/api/v6/dex';
/** A broadcast order stays pending ("1") this long, then succeeds ("2"); a signedTx containing "dead" fails ("3"). */
export const CONFIRM_AFTER_MS = 3000;

interface Order {
  readonly chainIndex: string;
  readonly address: string;
  readonly orderId: string;
  readonly txHash: string;
  readonly createdAt: number;
  readonly isFailing: boolean;
}

const gatewayChain = (chainIndex: string | undefined) => requireChain('gateway', chainIndex || '', isTradeChain);

function bodyField(context: RouteContext, name: string): string {
  const value = readString(context.body, name);
  if (value === undefined || value === '') throw badParam('gateway', name);
  return value;
}

const scale = (wei: string, numerator: bigint, denominator: bigint) =>
  ((BigInt(wei) * numerator) / denominator).toString();

function gasPrice(chain: SandboxChain) {
  if (chain.kind === 'solana') {
    return {
      priorityFee: {
        proposePriorityFee: '120000',
        safePriorityFee: '60000',
        fastPriorityFee: '500000',
        extremePriorityFee: '2000000',
      },
    };
  }
  const base = {
    normal: chain.gasPriceWei,
    min: scale(chain.gasPriceWei, 3n, 4n),
    max: scale(chain.gasPriceWei, 7n, 5n),
    supporteip1559: chain.supportsEip1559,
  };
  if (!chain.supportsEip1559) return base;
  const baseFee = scale(chain.gasPriceWei, 4n, 5n);
  return {
    ...base,
    eip1559Protocol: {
      suggestBaseFee: scale(baseFee, 5n, 4n),
      baseFee,
      proposePriorityFee: scale(chain.gasPriceWei, 1n, 10n),
      safePriorityFee: scale(chain.gasPriceWei, 1n, 20n),
      fastPriorityFee: scale(chain.gasPriceWei, 1n, 5n),
    },
  };
}

function calldata(context: RouteContext): string {
  const ext = (context.body as { extJson?: { inputData?: unknown } } | undefined)?.extJson;
  return typeof ext?.inputData === 'string' ? ext.inputData : '';
}

function gasLimitFor(inputData: string): string {
  const bytes = inputData.startsWith('0x') ? (inputData.slice(2).match(/../g) ?? []) : [];
  if (bytes.length === 0) return '21000';
  return String(21000 + 100000 + bytes.reduce((sum, byte) => sum + (byte === '00' ? 4 : 16), 0));
}

export function createGatewayRoutes(seed: number): Route[] {
  const orders: Order[] = [];
  const statusOf = (order: Order, nowMs: number) =>
    nowMs - order.createdAt < CONFIRM_AFTER_MS ? '1' : order.isFailing ? '3' : '2';
  return [
    {
      method: 'GET',
      path: `${BASE}/pre-transaction/supported/chain`,
      module: 'gateway',
      handle: () =>
        CHAINS.filter(isTradeChain).map((chain) => ({
          name: chain.name,
          logoUrl: logoUrl(chain.shortName),
          shortName: chain.shortName,
          chainIndex: chain.chainIndex,
        })),
    },
    {
      method: 'GET',
      path: `${BASE}/pre-transaction/gas-price`,
      module: 'gateway',
      handle: (context) => [gasPrice(gatewayChain(context.query.get('chainIndex') ?? ''))],
    },
    {
      method: 'POST',
      path: `${BASE}/pre-transaction/gas-limit`,
      module: 'gateway',
      handle(context) {
        gatewayChain(bodyField(context, 'chainIndex'));
        bodyField(context, 'fromAddress');
        bodyField(context, 'toAddress');
        return [{ gasLimit: gasLimitFor(calldata(context)) }];
      },
    },
    {
      method: 'POST',
      path: `${BASE}/pre-transaction/simulate`,
      module: 'gateway',
      handle(context) {
        const chain = gatewayChain(bodyField(context, 'chainIndex'));
        bodyField(context, 'fromAddress');
        bodyField(context, 'toAddress');
        const input = calldata(context);
        const intention = input.startsWith('0x095ea7b3')
          ? 'Token Approval'
          : input.startsWith('0xf2c42696')
            ? 'Swap'
            : input
              ? 'Contract Interaction'
              : 'Transfer';
        const txAmount = readString(context.body, 'txAmount') || '0';
        const assetChange =
          txAmount === '0'
            ? []
            : [
                {
                  assetType: 'NATIVE',
                  name: chain.nativeName,
                  symbol: chain.nativeSymbol,
                  decimals: chain.nativeDecimals,
                  address: '',
                  imageUrl: logoUrl(chain.nativeSymbol),
                  rawValue: `-${txAmount}`,
                },
              ];
        return [{ intention, assetChange, gasUsed: gasLimitFor(input), failReason: '', risks: [] }];
      },
    },
    {
      method: 'POST',
      path: `${BASE}/pre-transaction/broadcast-transaction`,
      module: 'gateway',
      handle(context) {
        const signedTx = bodyField(context, 'signedTx');
        const chain = gatewayChain(bodyField(context, 'chainIndex'));
        const address = bodyField(context, 'address');
        if (!addressKind(address)) throw badParam('gateway', 'address');
        const digest = hashBytes('okx-sandbox-tx', seed, chain.chainIndex, signedTx);
        const txHash =
          chain.kind === 'solana'
            ? base58.encode(Buffer.concat([digest, hashBytes('okx-sandbox-tx2', digest.toString('hex'))]))
            : `0x${digest.toString('hex')}`;
        const orderId = (
          469356614923743232n +
          BigInt(orders.length + 1) * 1000n +
          BigInt(digest.readUInt16BE(0))
        ).toString();
        orders.push({
          chainIndex: chain.chainIndex,
          address: normalizeWallet(address),
          orderId,
          txHash,
          createdAt: context.nowMs,
          isFailing: signedTx.includes('dead'),
        });
        return [{ orderId, txHash }];
      },
    },
    {
      method: 'GET',
      path: `${BASE}/post-transaction/orders`,
      module: 'gateway',
      handle(context) {
        const address = context.query.get('address');
        if (!address) throw badParam('gateway', 'address');
        const chain = gatewayChain(context.query.get('chainIndex') ?? '');
        const limit = readLimit('gateway', context.query, 20, 100, context.options);
        const cursor = Number(context.query.get('cursor') || '0');
        const wantedStatus = context.query.get('txStatus');
        const wantedId = context.query.get('orderId');
        const wallet = normalizeWallet(address);
        const matching = orders
          .filter((order) => order.address === wallet && order.chainIndex === chain.chainIndex)
          .filter((order) => !wantedId || order.orderId === wantedId)
          .map((order) => {
            const txStatus = statusOf(order, context.nowMs);
            return {
              chainIndex: order.chainIndex,
              address: order.address,
              orderId: order.orderId,
              txStatus,
              failReason: txStatus === '3' ? 'execution reverted' : '',
              txHash: order.txHash,
            };
          })
          .filter((order) => !wantedStatus || order.txStatus === wantedStatus)
          .reverse();
        const page = matching.slice(cursor, cursor + limit);
        return [{ cursor: String(cursor + page.length), orders: page }];
      },
    },
  ];
}
