import {
  expireOpenLegs,
  inFlightStep,
  legStateOf,
  planStateOf,
  TRACK_GIVE_UP_MS,
  type LegExecution,
  type LegStep,
} from './execution-rules';
import type { PlanState, StoredPlan } from './plan-store';
import type { SigningDeps } from './signing-types';

type StepOutcome =
  | { readonly kind: 'pending' }
  | { readonly kind: 'confirmed'; readonly realised?: LegStep['realised']; readonly feeNative?: string }
  | { readonly kind: 'failed'; readonly reason: string };

const OPEN_STATES: readonly PlanState[] = ['awaiting-signature', 'submitted'];

export function isPlanOpen(plan: StoredPlan): boolean {
  return OPEN_STATES.includes(plan.state);
}

/**
 * One look at OKX for every step in flight: `post-transaction/orders` by order id for what we broadcast,
 * `aggregator/history` by hash for what the wallet sent. Steps settle, legs follow their steps, and the plan its
 * legs (execution-rules.ts); a step unconfirmed 30 minutes after it was sent expires its leg. One conditional write;
 * on a conflict the stored plan is returned (someone else moved it: their write wins, the next look catches up).
 */
export async function refreshPlan(
  deps: Pick<SigningDeps, 'plans' | 'market' | 'now'>,
  plan: StoredPlan,
): Promise<StoredPlan> {
  if (!isPlanOpen(plan) || !plan.signBy) return plan;
  const now = deps.now();
  const changed: { index: number; expectedRev: number; execution: LegExecution }[] = [];
  const legs = await Promise.all(
    plan.legs.map(async ({ leg, execution }, index) => {
      if (!execution) return undefined;
      const step = inFlightStep(execution);
      if (!step) return execution;
      const outcome = await lookUp(deps, leg.chainIndex, execution.walletAddress ?? '', step);
      const next = settle(execution, step, outcome, now);
      if (next !== execution) changed.push({ index, expectedRev: execution.rev, execution: next });
      return next;
    }),
  );
  const executions = legs.filter((item): item is LegExecution => item !== undefined);
  let state = planStateOf(executions, now, plan.signBy);
  if (state === 'expired') {
    const expired = expireOpenLegs(executions, 'not signed before the plan expired');
    expired.forEach((execution, index) => {
      if (execution === executions[index]) return;
      const existing = changed.find((item) => item.index === index);
      if (existing) existing.execution = execution;
      else changed.push({ index, expectedRev: executions[index]!.rev, execution });
    });
    state = 'expired';
  }
  if (changed.length === 0 && state === plan.state) return plan;
  const result = await deps.plans.updateExecution(plan.planId, {
    userId: plan.userId,
    from: [plan.state],
    to: state,
    at: now.toISOString(),
    legs: changed,
  });
  return result.ok ? result.plan : (result.current ?? plan);
}

function settle(execution: LegExecution, step: LegStep, outcome: StepOutcome, now: Date): LegExecution {
  const at = now.toISOString();
  if (outcome.kind === 'pending') {
    const sentAt = Date.parse(step.submittedAt ?? step.preparedAt);
    if (now.getTime() - sentAt < TRACK_GIVE_UP_MS) return execution;
    return {
      ...execution,
      rev: execution.rev + 1,
      state: 'expired',
      failReason: 'the transaction was not confirmed within 30 minutes; check your wallet before trying again',
    };
  }
  const settled: LegStep =
    outcome.kind === 'confirmed'
      ? {
          ...step,
          state: 'confirmed',
          settledAt: at,
          ...(outcome.realised ? { realised: outcome.realised } : {}),
          ...(outcome.feeNative ? { feeNative: outcome.feeNative } : {}),
        }
      : { ...step, state: 'failed', settledAt: at, failReason: outcome.reason };
  const steps = execution.steps.map((item) => (item.stepId === step.stepId ? settled : item));
  const next = { ...execution, rev: execution.rev + 1, steps };
  const state = legStateOf(next);
  return {
    ...next,
    state,
    ...(state === 'failed'
      ? { failReason: `${describeStep(step)} failed: ${settled.failReason ?? 'unknown reason'}` }
      : {}),
  };
}

export function describeStep(step: Pick<LegStep, 'kind'>): string {
  return step.kind === 'swap' ? 'the swap' : step.kind === 'approve' ? 'the approval' : 'the approval reset';
}

/** An OKX failure leaves the step pending: the next look tries again. */
async function lookUp(
  deps: Pick<SigningDeps, 'market'>,
  chainIndex: string,
  address: string,
  step: LegStep,
): Promise<StepOutcome> {
  try {
    if (step.orderId) {
      const { orders } = await deps.market.getOrderStatus({ chainIndex, address, orderId: step.orderId });
      const order = orders.find((item) => item.orderId === step.orderId);
      if (!order || order.txStatus === 'pending' || order.txStatus === 'unknown') return { kind: 'pending' };
      if (order.txStatus === 'failed')
        return { kind: 'failed', reason: order.failReason || 'the transaction failed on-chain' };
      return { kind: 'confirmed', ...(step.kind === 'swap' ? await realisedOf(deps, chainIndex, step) : {}) };
    }
    if (!step.txHash) return { kind: 'pending' };
    const history = await deps.market.getSwapHistory({ chainIndex, txHash: step.txHash });
    if (history.status === 'pending') return { kind: 'pending' };
    if (history.status === 'fail')
      return { kind: 'failed', reason: history.errorMsg || 'the transaction failed on-chain' };
    return { kind: 'confirmed', ...fromHistory(history) };
  } catch {
    return { kind: 'pending' };
  }
}

async function realisedOf(deps: Pick<SigningDeps, 'market'>, chainIndex: string, step: LegStep) {
  try {
    return fromHistory(await deps.market.getSwapHistory({ chainIndex, txHash: step.txHash ?? '' }));
  } catch {
    // The amounts are a report's detail: the quoted ones stand in.
    return {};
  }
}

function fromHistory(history: Awaited<ReturnType<SigningDeps['market']['getSwapHistory']>>) {
  return {
    ...(history.fromToken && history.toToken
      ? { realised: { fromAmountRaw: history.fromToken.amountRaw, toAmountRaw: history.toToken.amountRaw } }
      : {}),
    ...(history.txFee ? { feeNative: history.txFee } : {}),
  };
}
