import { randomBytes } from 'node:crypto';
import { chainInfo, chainName } from '../kernel/chains';
import { fromRawUnits, toDecimal, ZERO } from '../kernel/decimal';
import type { LegExecution, LegStep, PreparedTx, StepKind } from './execution-rules';
import { explainOkxError } from './okx-error-words';
import type { QuotedLeg, StoredPlan } from './plan-store';
import { checkIntent, isIntentOk, type IntentCheck, type SimulationOutcome } from './signing-intent-rules';
import { SigningRefusal, type SigningDeps } from './signing-types';

/**
 * Tokens whose allowance must be set to 0 before a new non-zero approval (chain 1), as OKX's CLI lists them
 * (`okx/onchainos-skills` cli/src/commands/swap.rs `REVOKE_REQUIRED_TOKENS`): USDT and its pattern.
 */
const RESET_FIRST: Readonly<Record<string, readonly string[]>> = {
  '1': [
    '0xdac17f958d2ee523a2206206994597c13d831ec7',
    '0x5a98fcbea516cf06857215779fd812ca3bef1b32',
    '0x1776e1f26f98b1a5df9cd347953a26dd3cb46671',
    '0xd3e4ba569045546d09cf021ecc5dfe42b1d7f6e4',
  ],
};

export interface PreparedStepBody {
  readonly stepId: string;
  readonly kind: StepKind;
  readonly legIndex: number;
  readonly family: 'evm' | 'solana';
  readonly chainIndex: string;
  readonly evm?: {
    chainId: number;
    from: string;
    to: string;
    data: string;
    value: string;
    gas?: string;
    gasPrice?: string;
    maxPriorityFeePerGas?: string;
  };
  readonly solana?: { transaction: string; signatureData: string[] };
  readonly summary: {
    spend?: { symbol: string; amount: string };
    minReceive?: { symbol: string; amount: string };
    approval?: { symbol: string; amount: string; spender: string };
    networkFee?: { amount: string; symbol: string };
  };
  readonly checks: IntentCheck[];
  readonly expiresAt: string;
}

interface Built {
  readonly kind: StepKind;
  readonly tx: PreparedTx;
  readonly spender?: string;
  readonly txMinReceivedRaw?: string;
}

/** Builds the leg's next transaction fresh from OKX, checks its intent (with OKX's simulation) and stores it as prepared. */
export async function prepareNextStep(
  deps: SigningDeps,
  plan: StoredPlan,
  legIndex: number,
  execution: LegExecution,
): Promise<PreparedStepBody> {
  const quoted = plan.legs[legIndex]!;
  const family = chainInfo(quoted.leg.chainIndex)?.family;
  if (family !== 'evm' && family !== 'solana')
    throw new SigningRefusal(
      409,
      'unsupported-chain',
      `Signing on ${chainName(quoted.leg.chainIndex)} is not supported yet.`,
    );
  const wallet = execution.walletAddress!;
  let built: Built;
  let simulation: SimulationOutcome;
  try {
    built = await buildNext(deps, plan, quoted, wallet, family);
    simulation = await simulate(deps, quoted.leg.chainIndex, wallet, built.tx);
  } catch (error) {
    const problem = explainOkxError(error);
    if (!problem) throw error;
    throw new SigningRefusal(
      problem.status,
      problem.code,
      problem.message,
      problem.okxCode ? { okxCode: problem.okxCode } : {},
    );
  }
  const checks = checkIntent({
    kind: built.kind,
    family,
    chainIndex: quoted.leg.chainIndex,
    chainName: chainName(quoted.leg.chainIndex),
    from: { address: quoted.leg.from.tokenAddress, symbol: quoted.leg.from.symbol, decimals: quoted.leg.from.decimals },
    to: { address: quoted.leg.to.tokenAddress, symbol: quoted.leg.to.symbol, decimals: quoted.leg.to.decimals },
    amountRaw: quoted.leg.amountRaw,
    minReceivedRaw: quoted.quote.minReceivedRaw,
    ...(built.spender ? { spender: built.spender } : {}),
    routers: deps.routers[quoted.leg.chainIndex] ?? [],
    tx: {
      ...(built.tx.chainId !== undefined ? { chainId: built.tx.chainId } : {}),
      to: built.tx.to,
      data: built.tx.data,
      value: built.tx.value,
    },
    simulation,
    ...(built.txMinReceivedRaw ? { txMinReceivedRaw: built.txMinReceivedRaw } : {}),
  });
  if (!isIntentOk(checks))
    throw new SigningRefusal(
      409,
      'intent-mismatch',
      'This transaction does not match the trade you confirmed, so it was not offered for signing.',
      {
        checks,
      },
    );
  const step: LegStep = {
    stepId: (deps.newStepId ?? (() => randomBytes(6).toString('base64url')))(),
    kind: built.kind,
    state: 'prepared',
    tx: built.tx,
    preparedAt: deps.now().toISOString(),
  };
  await storeStep(deps, plan, legIndex, execution, step);
  return toBody(plan, quoted, legIndex, step, checks);
}

async function buildNext(
  deps: SigningDeps,
  plan: StoredPlan,
  { leg }: QuotedLeg,
  wallet: string,
  family: 'evm' | 'solana',
): Promise<Built> {
  const chainIndex = leg.chainIndex;
  if (family === 'evm' && leg.from.tokenAddress !== '') {
    const approve = await deps.market.getApproveTransaction({
      chainIndex,
      tokenAddress: leg.from.tokenAddress,
      amountRaw: leg.amountRaw,
    });
    const { spendable } = await deps.market.checkApprovals({
      chainIndex,
      address: wallet,
      tokenAddress: leg.from.tokenAddress,
      spender: approve.spender,
    });
    const allowance = toDecimal(spendable);
    if (allowance.lt(toDecimal(leg.amountRaw))) {
      const mustReset =
        !allowance.eq(ZERO) && (RESET_FIRST[chainIndex] ?? []).includes(leg.from.tokenAddress.toLowerCase());
      const source = mustReset
        ? await deps.market.getApproveTransaction({ chainIndex, tokenAddress: leg.from.tokenAddress, amountRaw: '0' })
        : approve;
      return {
        kind: mustReset ? 'reset-approval' : 'approve',
        spender: approve.spender,
        tx: {
          family,
          chainId: Number(chainIndex),
          from: wallet,
          to: source.tx.to,
          data: source.tx.data,
          value: source.tx.value ?? '0',
          ...(source.tx.gas ? { gas: source.tx.gas } : {}),
          ...(source.gasPrice ? { gasPrice: source.gasPrice } : {}),
          spender: approve.spender,
          approveAmountRaw: mustReset ? '0' : leg.amountRaw,
        },
      };
    }
    return swapStep(deps, plan, leg, wallet, family, approve.spender);
  }
  return swapStep(deps, plan, leg, wallet, family, undefined);
}

async function swapStep(
  deps: SigningDeps,
  plan: StoredPlan,
  leg: QuotedLeg['leg'],
  wallet: string,
  family: 'evm' | 'solana',
  spender: string | undefined,
): Promise<Built> {
  const swap = await deps.market.getSwap({
    chainIndex: leg.chainIndex,
    fromTokenAddress: leg.from.tokenAddress,
    toTokenAddress: leg.to.tokenAddress,
    amountRaw: leg.amountRaw,
    slippagePercent: plan.slippagePercent,
    userWalletAddress: wallet,
    skipApproval: true,
  });
  const { tx } = swap;
  return {
    kind: 'swap',
    ...(spender ? { spender } : {}),
    txMinReceivedRaw: swap.minReceivedRaw,
    tx: {
      family,
      ...(family === 'evm' ? { chainId: Number(leg.chainIndex) } : {}),
      from: wallet,
      to: tx.to,
      data: tx.data,
      value: tx.value ?? '0',
      ...(tx.gas ? { gas: tx.gas } : {}),
      ...(tx.gasPrice ? { gasPrice: tx.gasPrice } : {}),
      ...(tx.maxPriorityFeePerGas ? { maxPriorityFeePerGas: tx.maxPriorityFeePerGas } : {}),
      ...(tx.signatureData ? { signatureData: tx.signatureData } : {}),
    },
  };
}

/** OKX's simulation of the exact transaction; any failure to get one is "unavailable" (the check then refuses). */
async function simulate(
  deps: SigningDeps,
  chainIndex: string,
  wallet: string,
  tx: PreparedTx,
): Promise<SimulationOutcome> {
  try {
    const result = await deps.market.simulate({
      chainIndex,
      fromAddress: wallet,
      toAddress: tx.to,
      txAmount: tx.value,
      inputData: tx.data,
    });
    return { kind: 'ran', failReason: result.failReason, assetChanges: result.assetChanges };
  } catch (error) {
    const problem = explainOkxError(error);
    if (!problem) throw error;
    return { kind: 'unavailable', reason: problem.message.replace(/\.$/, '') };
  }
}

/** The new step replaces a prepared one not yet sent (a fresh build supersedes it); one conditional write. */
async function storeStep(
  deps: SigningDeps,
  plan: StoredPlan,
  legIndex: number,
  execution: LegExecution,
  step: LegStep,
) {
  const steps = [...execution.steps.filter((item) => item.state !== 'prepared'), step];
  const result = await deps.plans.updateExecution(plan.planId, {
    userId: plan.userId,
    from: ['awaiting-signature', 'submitted'],
    at: step.preparedAt,
    beforeSignBy: step.preparedAt,
    legs: [{ index: legIndex, expectedRev: execution.rev, execution: { ...execution, rev: execution.rev + 1, steps } }],
  });
  if (!result.ok)
    throw new SigningRefusal(
      409,
      'wait',
      'This trade changed while its next step was built (another tab?): try again.',
    );
}

function toBody(
  plan: StoredPlan,
  { leg }: QuotedLeg,
  legIndex: number,
  step: LegStep,
  checks: IntentCheck[],
): PreparedStepBody {
  const ui = (raw: string, decimals: number) => fromRawUnits(raw, decimals).toFixed();
  const { tx } = step;
  const native = chainInfo(leg.chainIndex);
  const fee =
    tx.gas && tx.gasPrice && native
      ? {
          amount: ui(toDecimal(tx.gas).times(toDecimal(tx.gasPrice)).toFixed(0), native.nativeDecimals),
          symbol: native.nativeSymbol,
        }
      : undefined;
  const summary =
    step.kind === 'swap'
      ? {
          spend: { symbol: leg.from.symbol, amount: leg.amount },
          minReceive: { symbol: leg.to.symbol, amount: ui(plan.legs[legIndex]!.quote.minReceivedRaw, leg.to.decimals) },
        }
      : {
          approval: {
            symbol: leg.from.symbol,
            amount: ui(tx.approveAmountRaw ?? '0', leg.from.decimals),
            spender: tx.spender ?? '',
          },
        };
  return {
    stepId: step.stepId,
    kind: step.kind,
    legIndex,
    family: tx.family,
    chainIndex: leg.chainIndex,
    ...(tx.family === 'evm'
      ? {
          evm: {
            chainId: tx.chainId!,
            from: tx.from,
            to: tx.to,
            data: tx.data,
            value: tx.value,
            ...(tx.gas ? { gas: tx.gas } : {}),
            ...(tx.gasPrice ? { gasPrice: tx.gasPrice } : {}),
            ...(tx.maxPriorityFeePerGas ? { maxPriorityFeePerGas: tx.maxPriorityFeePerGas } : {}),
          },
        }
      : { solana: { transaction: tx.data, signatureData: [...(tx.signatureData ?? [])] } }),
    summary: { ...summary, ...(fee ? { networkFee: fee } : {}) },
    checks,
    expiresAt: plan.signBy!,
  };
}
