import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { OkxApiError } from '../../../shared/platform/okx/okx-errors';
import { createPlanStore, type StoredPlan } from '../../../shared/rebalance/plan-store';
import { createSettingsStore } from '../../../shared/rebalance/settings-store';
import { createSigningService } from '../../../shared/rebalance/signing-service';
import type { SigningDeps, SigningMarket } from '../../../shared/rebalance/signing-types';
import { createTestDynamo } from '../../support/dynamo';

export const USDC = '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48';
export const USDT = '0xdac17f958d2ee523a2206206994597c13d831ec7';
export const ROUTER = '0x5e1f62dac767b0491e3ce72469c217365d5b48cc';
export const SPENDER = '0x40aa958dd87fc8305b97f2ba922cddca374bcd7f';
export const OTHER = '0x1111111111111111111111111111111111111111';
export const SWAP_DATA = '0xf2c42696';
export const START = new Date('2036-03-18T10:00:00.000Z');

/** approve(spender, amount) calldata by hand: selector, spender padded to 32 bytes, amount as 32-byte hex. */
export const approveData = (spender: string, amountHex: string) =>
  `0x095ea7b3${'0'.repeat(24)}${spender.slice(2)}${amountHex.padStart(64, '0')}`;

export function okxError(code: string, httpStatus = 200, msg = 'refused') {
  return new OkxApiError({ code, msg, endpoint: '/api/v6/dex/test', httpStatus });
}

export interface FakeMarket extends SigningMarket {
  spendable: string;
  calls: Record<string, number>;
  swapTo: string;
  swapMin: string;
  simulateError?: unknown;
  broadcastError?: unknown;
  order: { txStatus: 'pending' | 'success' | 'failed'; failReason: string };
  history: { status: 'pending' | 'success' | 'fail'; errorMsg: string; fromAmountRaw?: string; toAmountRaw?: string };
  prepareError?: unknown;
}

/**
 * OKX as the sandbox would answer for one USDC -> ETH leg of 1,000 USDC (1000000000 raw): the approve spender,
 * a swap to the router, and simulations that give exactly 1,000 USDC for 0.301 ETH.
 */
export function createFakeMarket(): FakeMarket {
  const calls: Record<string, number> = {};
  const count = (name: string) => (calls[name] = (calls[name] ?? 0) + 1);
  const market: FakeMarket = {
    spendable: '0',
    calls,
    swapTo: ROUTER,
    swapMin: '300000000000000000',
    order: { txStatus: 'pending', failReason: '' },
    history: { status: 'pending', errorMsg: '' },
    async getApproveTransaction(request) {
      count('getApproveTransaction');
      if (market.prepareError) throw market.prepareError;
      return {
        tx: {
          to: request.tokenAddress,
          data: approveData(SPENDER, BigInt(request.amountRaw).toString(16)),
          value: '0',
          gas: '50000',
        },
        spender: SPENDER,
        gasPrice: '2000000000',
      };
    },
    async checkApprovals(request) {
      count('checkApprovals');
      return { tokenAddress: request.tokenAddress, spendable: market.spendable };
    },
    async getSwap() {
      count('getSwap');
      if (market.prepareError) throw market.prepareError;
      return {
        tx: { to: market.swapTo, data: SWAP_DATA, value: '0', gas: '273000', gasPrice: '1000000000' },
        minReceivedRaw: market.swapMin,
      };
    },
    async simulate(request) {
      count('simulate');
      if (market.simulateError) throw market.simulateError;
      const isSwap = request.inputData === SWAP_DATA;
      return {
        intention: isSwap ? 'Swap' : 'Token Approval',
        assetChanges: isSwap
          ? [
              {
                assetType: 'ERC20',
                symbol: 'USDC',
                decimals: 6,
                address: USDC,
                rawValue: '-1000000000',
                amount: '-1000',
              },
              {
                assetType: 'NATIVE',
                symbol: 'ETH',
                decimals: 18,
                address: '',
                rawValue: '301000000000000000',
                amount: '0.301',
              },
            ]
          : [],
        failReason: '',
        risks: [],
      };
    },
    async broadcast() {
      count('broadcast');
      if (market.broadcastError) throw market.broadcastError;
      return { orderId: 'order-1', txHash: '' };
    },
    async getOrderStatus(request) {
      count('getOrderStatus');
      return {
        orders: [
          {
            chainIndex: request.chainIndex,
            address: request.address,
            orderId: request.orderId ?? '',
            txHash: '',
            ...market.order,
          },
        ],
      };
    },
    async getSwapHistory(request) {
      count('getSwapHistory');
      const { history } = market;
      return {
        txHash: request.txHash,
        status: history.status,
        txType: 'Swap',
        errorMsg: history.errorMsg,
        ...(history.fromAmountRaw
          ? {
              fromToken: { symbol: 'USDC', amountRaw: history.fromAmountRaw, tokenAddress: USDC },
              toToken: { symbol: 'ETH', amountRaw: history.toAmountRaw!, tokenAddress: '' },
            }
          : {}),
      };
    },
  };
  return market;
}

export function awaitingPlan(wallet: string, overrides: Partial<StoredPlan> = {}, fromToken = USDC): StoredPlan {
  const leg = {
    chainIndex: '1',
    walletAddress: wallet,
    from: {
      chainIndex: '1',
      tokenAddress: fromToken,
      assetId: 'usdc',
      symbol: fromToken === USDT ? 'USDT' : 'USDC',
      decimals: 6,
    },
    to: { chainIndex: '1', tokenAddress: '', assetId: 'eth', symbol: 'ETH', decimals: 18 },
    amount: '1000',
    amountRaw: '1000000000',
    valueUsd: '1000',
  };
  return {
    planId: 'plan1',
    userId: '42',
    chatId: 42,
    state: 'awaiting-signature',
    createdAt: START.toISOString(),
    expiresAt: new Date(START.getTime() + 5 * 60_000).toISOString(),
    signBy: new Date(START.getTime() + 15 * 60_000).toISOString(),
    slippagePercent: '1',
    mode: 'target',
    totalValueUsd: '2000',
    legs: [
      {
        leg,
        quote: {
          toAmountRaw: '303000000000000000',
          minReceivedRaw: '300000000000000000',
          costUsd: '2.5',
          gasUsd: '0.6',
          toTokenUnitPrice: '3300',
        },
        execution: { rev: 1, state: 'awaiting-signature', walletAddress: wallet, steps: [] },
      },
    ],
    dropped: [],
    allocation: [
      { assetId: 'usdc', symbol: 'USDC', current: '0.5', target: '0', projected: '0', band: '0.05' },
      { assetId: 'eth', symbol: 'ETH', current: '0.5', target: '1', projected: '1', band: '0.05' },
    ],
    ...overrides,
  };
}

/** A real local account (viem) as the user's wallet, a live user, the plan stored in DynamoDB Local. */
/** What a wallet does with a prepared EVM step: an EIP-1559 transaction signed by `account` (chain 1, nonce 0 unless given). */
export function signEip1559(
  account: PrivateKeyAccount,
  tx: { to: string; data: string; value: string },
  { chainId = 1, nonce = 0 }: { chainId?: number; nonce?: number } = {},
) {
  return account.signTransaction({
    type: 'eip1559',
    chainId,
    nonce,
    to: tx.to as `0x${string}`,
    data: tx.data as `0x${string}`,
    value: BigInt(tx.value),
    gas: 300000n,
    maxFeePerGas: 2000000000n,
    maxPriorityFeePerGas: 1000000000n,
  });
}

export async function createSigningFixture(
  options: { dryRun?: boolean; liveMode?: boolean; plan?: (wallet: string) => StoredPlan } = {},
) {
  const db = await createTestDynamo();
  const plans = createPlanStore(db.doc, db.tables.sessions);
  const settings = createSettingsStore(db.doc, db.tables.sessions);
  const account = privateKeyToAccount(generatePrivateKey());
  const wallet = account.address.toLowerCase();
  await plans.create((options.plan ?? awaitingPlan)(wallet));
  await settings.setLiveMode('42', options.liveMode ?? true, START.toISOString());
  const market = createFakeMarket();
  const clock = { now: new Date(START.getTime() + 60_000) };
  const scheduled: { planId: string; delaySeconds: number; attempt: number }[] = [];
  let step = 0;
  const deps: SigningDeps = {
    plans,
    market,
    settings,
    dryRun: options.dryRun ?? false,
    routers: { '1': [ROUTER] },
    now: () => clock.now,
    newStepId: () => `step${++step}`,
    scheduleTracking: async (plan, delaySeconds, attempt) => {
      scheduled.push({ planId: plan.planId, delaySeconds, attempt });
    },
  };
  const service = createSigningService(deps);
  const sign = (
    tx: { to: string; data: string; value: string },
    overrides: { chainId?: number; nonce?: number } = {},
  ) => signEip1559(account, tx, overrides);
  return { db, plans, settings, account, wallet, market, clock, scheduled, deps, service, sign };
}
