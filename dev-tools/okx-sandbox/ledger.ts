import { normalizeWallet } from './addresses';
import { findChain } from './chains';
import type { FaultBoard } from './faults';
import type { TokenSpec } from './tokens';
import type { SandboxWorld } from './world';

/** A swap transaction `aggregator/swap` handed out (amounts in minimal units, as issued). */
export interface IssuedSwap {
  readonly kind: 'swap';
  readonly chainIndex: string;
  /** The wallet it was built for (EVM lower case). */
  readonly from: string;
  /** The chain's router (EVM) or DEX program (Solana). */
  readonly to: string;
  /** EVM calldata, or the base58 unsigned Solana transaction. */
  readonly data: string;
  readonly value: bigint;
  readonly fromToken: TokenSpec;
  readonly toToken: TokenSpec;
  readonly amount: bigint;
  readonly toTokenAmount: bigint;
  readonly minReceive: bigint;
  /** Solana: hex of the message bytes the fee payer signs. */
  readonly messageHex?: string;
}

/** An ERC-20 approval `aggregator/approve-transaction` handed out; it names no wallet, so any owner may send it. */
export interface IssuedApproval {
  readonly kind: 'approve';
  readonly chainIndex: string;
  /** The token contract (lower case). */
  readonly to: string;
  readonly data: string;
  readonly value: bigint;
  readonly token: TokenSpec;
  readonly spender: string;
  readonly amount: bigint;
}

export type IssuedTx = IssuedSwap | IssuedApproval;

export interface Order {
  readonly orderId: string;
  readonly txHash: string;
  readonly chainIndex: string;
  /** The signer (EVM lower case). */
  readonly address: string;
  readonly signedTx: string;
  readonly tx: IssuedTx;
  readonly createdAt: number;
  /** What the armed transaction faults decided at broadcast. */
  readonly fate: 'confirm' | 'revert' | 'never';
  state: 'pending' | 'success' | 'failed';
  failReason: string;
}

export interface LedgerSettings {
  /** How long a broadcast order stays pending before it settles (default 3000). */
  confirmAfterMs: number;
}

const MAX_ISSUED = 10_000;
/**
 * Tokens whose `approve` reverts when changing one non-zero allowance to another (USDT's rule), so a client must
 * approve 0 first: the list okx/onchainos-skills keeps as REVOKE_REQUIRED_TOKENS (chain 1).
 */
const RESET_FIRST_TOKENS = new Set(
  [
    '0xdac17f958d2ee523a2206206994597c13d831ec7',
    '0x5a98fcbea516cf06857215779fd812ca3bef1b32',
    '0x1776e1f26f98b1a5df9cd347953a26dd3cb46671',
    '0xd3e4ba569045546d09cf021ecc5dfe42b1d7f6e4',
  ].map((token) => `1|${token}`),
);
const MAX_UINT256 = (1n << 256n) - 1n;

const lower = (chainIndex: string, address: string) =>
  findChain(chainIndex)?.kind === 'evm' ? address.toLowerCase() : address;

/** The sandbox's chain state behind the trade and gateway routes: issued txs, allowances, nonces and orders. */
export function createLedger(world: SandboxWorld, faults: FaultBoard, confirmAfterMs = 3000) {
  const issued: IssuedTx[] = [];
  const allowances = new Map<string, bigint>();
  const nonces = new Map<string, number>();
  const orders: Order[] = [];
  const settings: LedgerSettings = { confirmAfterMs };

  const allowanceKey = (chainIndex: string, owner: string, token: string, spender: string) =>
    [chainIndex, normalizeWallet(owner), lower(chainIndex, token), lower(chainIndex, spender)].join('|');
  const nonceKey = (chainIndex: string, address: string) => `${chainIndex}|${normalizeWallet(address)}`;
  const spendable = (chainIndex: string, owner: string, token: string, spender: string) =>
    allowances.get(allowanceKey(chainIndex, owner, token, spender)) ?? 0n;

  /** Why a swap cannot execute now, or '' when it can. */
  function swapRevertReason(owner: string, swap: IssuedSwap): string {
    const at = { address: owner, chainIndex: swap.chainIndex, tokenAddress: swap.fromToken.address };
    if (world.rawBalanceOf(at) < swap.amount) return 'execution reverted: insufficient balance';
    const spender = findChain(swap.chainIndex)?.approveAddress ?? '';
    const needsAllowance = spender !== '' && swap.fromToken.address !== '';
    if (needsAllowance && spendable(swap.chainIndex, owner, swap.fromToken.address, spender) < swap.amount)
      return 'execution reverted: ERC20: transfer amount exceeds allowance';
    return '';
  }

  function execute(order: Order): string {
    const { tx } = order;
    if (tx.kind === 'approve') {
      const key = allowanceKey(tx.chainIndex, order.address, tx.token.address, tx.spender);
      const isResetFirst = RESET_FIRST_TOKENS.has(`${tx.chainIndex}|${tx.token.address}`);
      if (isResetFirst && tx.amount > 0n && (allowances.get(key) ?? 0n) > 0n)
        return 'execution reverted: approve from non-zero to non-zero allowance';
      allowances.set(key, tx.amount);
      return '';
    }
    const reason = swapRevertReason(order.address, tx);
    if (reason) return reason;
    const spender = findChain(tx.chainIndex)?.approveAddress ?? '';
    const key = allowanceKey(tx.chainIndex, order.address, tx.fromToken.address, spender);
    const allowance = allowances.get(key);
    if (allowance !== undefined && allowance !== MAX_UINT256) allowances.set(key, allowance - tx.amount);
    const move = (token: TokenSpec, delta: bigint) =>
      world.adjustRawBalance({ address: order.address, chainIndex: tx.chainIndex, tokenAddress: token.address, delta });
    move(tx.fromToken, -tx.amount);
    move(tx.toToken, tx.toTokenAmount);
    return '';
  }

  return {
    settings: () => ({ ...settings }),
    updateSettings(next: Partial<LedgerSettings>) {
      if (next.confirmAfterMs !== undefined) {
        if (!Number.isInteger(next.confirmAfterMs) || next.confirmAfterMs < 0)
          throw new Error(`confirmAfterMs must be a non-negative integer, got ${next.confirmAfterMs}`);
        settings.confirmAfterMs = next.confirmAfterMs;
      }
      return { ...settings };
    },
    issue(tx: IssuedTx) {
      issued.push(tx);
      if (issued.length > MAX_ISSUED) issued.shift();
    },
    /** The newest issued transaction on the chain that `match` accepts. */
    findIssued(chainIndex: string, match: (tx: IssuedTx) => boolean): IssuedTx | undefined {
      return issued.findLast((tx) => tx.chainIndex === chainIndex && match(tx));
    },
    spendable,
    /** Why the transaction would revert if `owner` sent it now ('' when it would not). */
    revertReason: (owner: string, tx: IssuedTx) => (tx.kind === 'swap' ? swapRevertReason(owner, tx) : ''),
    /** The nonce the next transaction from the address must carry: the number accepted from it so far. */
    nextNonce: (chainIndex: string, address: string) => nonces.get(nonceKey(chainIndex, address)) ?? 0,
    orderBySignedTx: (chainIndex: string, signedTx: string) =>
      orders.find((order) => order.chainIndex === chainIndex && order.signedTx === signedTx),
    orderByHash: (chainIndex: string, txHash: string) =>
      orders.find((order) => order.chainIndex === chainIndex && order.txHash.toLowerCase() === txHash.toLowerCase()),
    ordersOf: (chainIndex: string, address: string) =>
      orders.filter((order) => order.chainIndex === chainIndex && order.address === normalizeWallet(address)),
    /** True when a `broadcastRejected` fault is armed for the chain (and consumes it). */
    isBroadcastRejected: (chainIndex: string) => faults.takeTxFault(chainIndex, ['broadcastRejected']) !== undefined,
    /** Records a verified broadcast: the nonce advances now, the effects wait for settle(). */
    accept(input: Omit<Order, 'orderId' | 'fate' | 'state' | 'failReason'> & { readonly digest: number }): Order {
      const fault = faults.takeTxFault(input.chainIndex, ['txReverted', 'neverConfirmed']);
      const { digest, ...rest } = input;
      const order: Order = {
        ...rest,
        address: normalizeWallet(input.address),
        orderId: (469356614923743232n + BigInt(orders.length + 1) * 1000n + BigInt(digest)).toString(),
        fate: fault === 'txReverted' ? 'revert' : fault === 'neverConfirmed' ? 'never' : 'confirm',
        state: 'pending',
        failReason: '',
      };
      orders.push(order);
      const key = nonceKey(order.chainIndex, order.address);
      nonces.set(key, (nonces.get(key) ?? 0) + 1);
      return order;
    },
    /** Settles, once and in broadcast order, every pending order older than confirmAfterMs. */
    settle(nowMs: number) {
      for (const order of orders) {
        if (order.state !== 'pending' || order.fate === 'never') continue;
        if (nowMs - order.createdAt < settings.confirmAfterMs) continue;
        const reason = order.fate === 'revert' ? 'execution reverted' : execute(order);
        order.state = reason ? 'failed' : 'success';
        order.failReason = reason;
      }
    },
  };
}

export type Ledger = ReturnType<typeof createLedger>;
