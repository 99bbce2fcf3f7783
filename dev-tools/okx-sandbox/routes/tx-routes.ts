import { addressKind } from '../addresses';
import { isTradeChain } from '../chains';
import { OkxApiError } from '../envelope';
import type { Order } from '../ledger';
import { badParam, missingBody, readLimit, readString, requireChain } from '../params';
import { hashBytes } from '../random';
import { nodeFailed, verifyEvmTx, verifySolanaTx } from '../signed-tx';
import type { Route, RouteContext } from './types';

const PRE = '/api/v6/dex/pre-transaction';
const MAX_UINT256 = ((1n << 256n) - 1n).toString();
/** okx-api §10.6 `txStatus`. */
const TX_STATUS: Record<Order['state'], string> = { pending: '1', success: '2', failed: '3' };

export const gatewayChain = (chainIndex: string | undefined) => requireChain('gateway', chainIndex || '', isTradeChain);

export function bodyField(context: RouteContext, name: string): string {
  const value = readString(context.body, name);
  if (value === undefined || value === '') throw badParam('gateway', name);
  return value;
}

/** okx-api §4.3 81108: an address of another family than the chain's (an EVM wallet on Solana, say). */
function requireWalletOf(chainKind: string, address: string): void {
  const kind = addressKind(address);
  if (!kind) throw badParam('gateway', 'address');
  if (kind !== chainKind) throw new OkxApiError('81108', 'Wallet type does not match the required type', 200);
}

/**
 * `POST pre-transaction/check-approvals` as okx/onchainos-skills `fetch_check_approvals` sends it: answers
 * `data[0].tokens[i].spendable` (minimal units) from the allowances confirmed approvals set. Native coins need no
 * approval: their spendable is the uint256 maximum ("very long = unlimited" for the CLI).
 */
function checkApprovals(context: RouteContext) {
  if (context.body === undefined) throw missingBody('gateway');
  const chain = gatewayChain(bodyField(context, 'chainIndex'));
  if (chain.kind !== 'evm') throw new OkxApiError('81104', `Chain ${chain.chainIndex} not support`, 200);
  const address = bodyField(context, 'address');
  requireWalletOf(chain.kind, address);
  const tokens = (context.body as { tokens?: unknown }).tokens;
  if (!Array.isArray(tokens) || tokens.length === 0 || tokens.length > 20) throw badParam('gateway', 'tokens');
  const spender = readString(context.body, 'spender') || chain.approveAddress;
  return [
    {
      chainIndex: chain.chainIndex,
      address,
      spender,
      tokens: tokens.map((item: unknown) => {
        const tokenAddress = readString(item, 'tokenContractAddress');
        if (!tokenAddress) throw badParam('gateway', 'tokens');
        const token = context.world.findToken(chain.chainIndex, tokenAddress);
        if (!token) throw new OkxApiError('81152', 'Coin not exist', 200);
        const spendable =
          token.address === ''
            ? MAX_UINT256
            : context.ledger.spendable(chain.chainIndex, address, token.address, spender).toString();
        return { tokenContractAddress: tokenAddress.toLowerCase(), spendable };
      }),
    },
  ];
}

/**
 * `POST pre-transaction/broadcast-transaction` (okx-api §10.5): verifies the signed transaction against what the
 * sandbox issued (see signed-tx.ts), then records an order. The same signedTx again answers the same order.
 */
async function broadcast(context: RouteContext) {
  const rawTx = bodyField(context, 'signedTx');
  const chain = gatewayChain(bodyField(context, 'chainIndex'));
  const address = bodyField(context, 'address');
  requireWalletOf(chain.kind, address);
  const signedTx = chain.kind === 'evm' ? rawTx.toLowerCase() : rawTx;
  const known = context.ledger.orderBySignedTx(chain.chainIndex, signedTx);
  if (known) return [{ orderId: known.orderId, txHash: known.txHash }];
  const verified =
    chain.kind === 'solana'
      ? verifySolanaTx(context.ledger, chain, signedTx, address)
      : await verifyEvmTx(context.ledger, chain, signedTx, address);
  if (context.ledger.isBroadcastRejected(chain.chainIndex))
    throw nodeFailed('the node rejected the transaction (sandbox fault broadcastRejected)');
  const order = context.ledger.accept({
    chainIndex: chain.chainIndex,
    address: verified.signer,
    signedTx,
    txHash: verified.txHash,
    tx: verified.tx,
    createdAt: context.nowMs,
    digest: hashBytes('okx-sandbox-tx', context.world.seed, chain.chainIndex, signedTx).readUInt16BE(0),
  });
  return [{ orderId: order.orderId, txHash: order.txHash }];
}

/** `GET post-transaction/orders` (okx-api §10.6), newest first. */
function listOrders(context: RouteContext) {
  const address = context.query.get('address');
  if (!address) throw badParam('gateway', 'address');
  const chain = gatewayChain(context.query.get('chainIndex') ?? '');
  const limit = readLimit('gateway', context.query, 20, 100, context.options);
  const cursor = Number(context.query.get('cursor') || '0');
  const wantedStatus = context.query.get('txStatus');
  const wantedId = context.query.get('orderId');
  const matching = context.ledger
    .ordersOf(chain.chainIndex, address)
    .filter((order) => !wantedId || order.orderId === wantedId)
    .map((order) => ({
      chainIndex: order.chainIndex,
      address: order.address,
      orderId: order.orderId,
      txStatus: TX_STATUS[order.state],
      failReason: order.failReason,
      txHash: order.txHash,
    }))
    .filter((order) => !wantedStatus || order.txStatus === wantedStatus)
    .reverse();
  const page = matching.slice(cursor, cursor + limit);
  return [{ cursor: String(cursor + page.length), orders: page }];
}

export const txRoutes: Route[] = [
  { method: 'POST', path: `${PRE}/check-approvals`, module: 'gateway', handle: checkApprovals },
  { method: 'POST', path: `${PRE}/broadcast-transaction`, module: 'gateway', handle: broadcast },
  { method: 'GET', path: '/api/v6/dex/post-transaction/orders', module: 'gateway', handle: listOrders },
];
