import { base58 } from '@scure/base';
import { aggregatorAddress } from '../addresses';
import { isTradeChain, logoUrl, type SandboxChain } from '../chains';
import { fromRaw } from '../decimal';
import type { IssuedTx, Order } from '../ledger';
import { badParam, readString, requireChain, requireParam } from '../params';
import { hexOf } from '../signed-tx';
import { decodeSolanaTransaction } from '../solana-wire';
import type { TokenSpec } from '../tokens';
import { bodyField, gatewayChain } from './tx-routes';
import type { Route, RouteContext } from './types';

const NOT_ISSUED = 'execution reverted: the sandbox did not issue this transaction';
/** okx-api §9.8 `status`. */
const HISTORY_STATUS: Record<Order['state'], string> = { pending: 'pending', success: 'success', failed: 'fail' };

export function inputDataOf(context: RouteContext): string {
  const ext = (context.body as { extJson?: { inputData?: unknown } } | undefined)?.extJson;
  return typeof ext?.inputData === 'string' ? ext.inputData : '';
}

export function gasLimitFor(inputData: string): string {
  const bytes = inputData.startsWith('0x') ? (inputData.slice(2).match(/../g) ?? []) : [];
  if (bytes.length === 0) return '21000';
  return String(21000 + 100000 + bytes.reduce((sum, byte) => sum + (byte === '00' ? 4 : 16), 0));
}

function assetChange(chain: SandboxChain, token: TokenSpec, rawValue: string) {
  return {
    assetType: token.address === '' ? 'NATIVE' : chain.kind === 'solana' ? 'SPLTOKEN' : 'ERC20',
    name: token.name,
    symbol: token.symbol,
    decimals: token.decimals,
    address: token.address,
    imageUrl: logoUrl(token.symbol),
    rawValue,
  };
}

/** The issued transaction a simulate body describes: Solana by its message bytes, EVM by from/to/data/value. */
function findSimulated(context: RouteContext, chain: SandboxChain, from: string, to: string, value: bigint) {
  const input = inputDataOf(context);
  if (chain.kind === 'solana') {
    let messageHex: string;
    try {
      messageHex = hexOf(decodeSolanaTransaction(base58.decode(input)).messageBytes);
    } catch {
      return undefined;
    }
    return context.ledger.findIssued(
      chain.chainIndex,
      (tx) => tx.kind === 'swap' && tx.messageHex === messageHex && tx.from === from,
    );
  }
  return context.ledger.findIssued(
    chain.chainIndex,
    (tx) =>
      tx.to.toLowerCase() === to.toLowerCase() &&
      tx.data.toLowerCase() === input.toLowerCase() &&
      tx.value === value &&
      (tx.kind === 'approve' || tx.from === from.toLowerCase()),
  );
}

/** `POST pre-transaction/simulate` (okx-api §10.4): asset changes of an issued transaction, a failReason otherwise. */
function simulate(context: RouteContext) {
  const chain = gatewayChain(bodyField(context, 'chainIndex'));
  const from = bodyField(context, 'fromAddress');
  const to = bodyField(context, 'toAddress');
  const txAmount = readString(context.body, 'txAmount') || '0';
  if (!/^\d+$/.test(txAmount)) throw badParam('gateway', 'txAmount');
  const input = inputDataOf(context);
  const gasUsed = gasLimitFor(input);
  const tx = findSimulated(context, chain, from, to, BigInt(txAmount));
  if (tx?.kind === 'approve')
    return [{ intention: 'Token Approval', assetChange: [], gasUsed, failReason: '', risks: [] }];
  if (tx) {
    const failReason = context.ledger.revertReason(from, tx);
    const changes = failReason
      ? []
      : [
          assetChange(chain, tx.fromToken, `-${tx.amount.toString()}`),
          assetChange(chain, tx.toToken, tx.toTokenAmount.toString()),
        ];
    return [{ intention: 'Swap', assetChange: changes, gasUsed, failReason, risks: [] }];
  }
  const intention = input.startsWith('0x095ea7b3')
    ? 'Token Approval'
    : input.startsWith('0xf2c42696')
      ? 'Swap'
      : input
        ? 'Contract Interaction'
        : 'Transfer';
  const native = context.world.findToken(chain.chainIndex, '');
  const outflow = txAmount !== '0' && native ? [assetChange(chain, native, `-${txAmount}`)] : [];
  return [{ intention, assetChange: outflow, gasUsed, failReason: NOT_ISSUED, risks: [] }];
}

function tokenDetails(chainIndex: string, token: TokenSpec | undefined, amount: bigint) {
  return token
    ? { symbol: token.symbol, amount: amount.toString(), tokenAddress: aggregatorAddress(chainIndex, token.address) }
    : { symbol: '', amount: '0', tokenAddress: '' };
}

function historyOf(chain: SandboxChain, order: Order) {
  const tx: IssuedTx = order.tx;
  const isPending = order.state === 'pending';
  const isSolana = chain.kind === 'solana';
  const gasUsed = isSolana || isPending ? '' : tx.kind === 'swap' ? '273000' : '50000';
  const blockMs = isSolana ? 400 : 12_000;
  return {
    chainIndex: chain.chainIndex,
    txHash: order.txHash,
    height: isPending ? '' : String(Math.floor(order.createdAt / blockMs) + 1),
    txTime: String(order.createdAt),
    status: HISTORY_STATUS[order.state],
    txType: tx.kind === 'swap' ? 'Swap' : 'Approve',
    fromAddress: order.address,
    dexRouter: tx.to,
    toAddress: tx.kind === 'swap' ? order.address : tx.spender,
    fromTokenDetails: tokenDetails(chain.chainIndex, tx.kind === 'swap' ? tx.fromToken : tx.token, tx.amount),
    toTokenDetails: tokenDetails(
      chain.chainIndex,
      tx.kind === 'swap' ? tx.toToken : undefined,
      tx.kind === 'swap' ? tx.toTokenAmount : 0n,
    ),
    referalAmount: '0',
    errorMsg: order.failReason,
    gasLimit: isSolana ? '' : tx.kind === 'swap' ? '273000' : '50000',
    gasUsed,
    gasPrice: isSolana ? '' : chain.gasPriceWei,
    txFee: isPending
      ? ''
      : isSolana
        ? '0.000005'
        : fromRaw(BigInt(gasUsed) * BigInt(chain.gasPriceWei), chain.nativeDecimals),
  };
}

/**
 * `GET aggregator/history` (okx-api §9.8) for transactions broadcast here. `data` is one object, as in OKX's own
 * example code (`response.data.data.status`); an unknown hash answers `data: {}` (the docs name no error for it).
 */
function history(context: RouteContext) {
  const chain = requireChain('aggregator', requireParam(context.query, 'chainIndex'), isTradeChain);
  const txHash = requireParam(context.query, 'txHash');
  const order = context.ledger.orderByHash(chain.chainIndex, txHash);
  return order ? historyOf(chain, order) : {};
}

export const txReportRoutes: Route[] = [
  { method: 'POST', path: '/api/v6/dex/pre-transaction/simulate', module: 'gateway', handle: simulate },
  { method: 'GET', path: '/api/v6/dex/aggregator/history', module: 'aggregator', handle: history },
];
