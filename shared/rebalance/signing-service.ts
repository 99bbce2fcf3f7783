import { sameAddress } from '../kernel/address';
import { inFlightStep, isLegDone } from './execution-rules';
import { isPlanOpen, refreshPlan } from './plan-tracker';
import type { StoredPlan } from './plan-store';
import { prepareNextStep, type PreparedStepBody } from './signing-prepare';
import { broadcastStep, recordSubmitted } from './signing-submit';
import { REFRESH_GAP_MS, scheduleSafely, SigningRefusal, type SigningDeps } from './signing-types';

export interface SigningService {
  /** The user's plan, refreshed from OKX at most once per 3 s while something is in flight; another user's is 404. */
  view(userId: string, planId: string): Promise<{ plan: StoredPlan; dryRun: boolean }>;
  prepare(input: { userId: string; planId: string; legIndex: number; address: string }): Promise<PreparedStepBody>;
  broadcast(input: {
    userId: string;
    planId: string;
    legIndex: number;
    stepId: string;
    signedTx: string;
  }): Promise<StoredPlan>;
  submitted(input: {
    userId: string;
    planId: string;
    legIndex: number;
    stepId: string;
    txHash: string;
  }): Promise<StoredPlan>;
  /** The tracker's look (the sync worker's `track-plan` job): refreshed from OKX, no rate gap. */
  track(planId: string): Promise<StoredPlan | undefined>;
}

const NOT_FOUND = () => new SigningRefusal(404, 'not-found', 'No such plan.');

/** Settled after something was sent, and not yet reported in the chat. */
function isUnreported(plan: StoredPlan): boolean {
  return (
    !isPlanOpen(plan) &&
    !plan.reportedAt &&
    ['confirmed', 'failed', 'expired'].includes(plan.state) &&
    plan.legs.some((item) => item.execution?.steps.some((step) => step.state !== 'prepared'))
  );
}

export function createSigningService(deps: SigningDeps): SigningService {
  const loadOwn = async (userId: string, planId: string) => {
    const plan = await deps.plans.get(planId);
    // Another user's plan is answered exactly like a missing one.
    if (!plan || plan.userId !== userId) throw NOT_FOUND();
    return plan;
  };

  const isDryRun = async (plan: StoredPlan) =>
    deps.dryRun || plan.state === 'simulated' || !(await deps.settings.get(plan.userId)).liveMode;

  /** Open for signing: not settled, not expired, and (prepare, broadcast) inside the 15-minute window. */
  const assertOpen = (plan: StoredPlan, checkWindow: boolean) => {
    if (plan.state === 'confirmed' || plan.state === 'failed')
      throw new SigningRefusal(409, 'leg-done', `This plan is already ${plan.state}.`);
    if (!isPlanOpen(plan) || (checkWindow && deps.now().getTime() >= Date.parse(plan.signBy ?? '')))
      throw new SigningRefusal(
        409,
        'expired',
        'This plan expired: its 15-minute signing window closed. Tap Rebalance again for fresh quotes.',
        {
          ...(plan.signBy ? { signBy: plan.signBy } : {}),
        },
      );
  };

  /** The guards every signing call shares: the user's own plan, live, a leg of it. */
  const ownLeg = async (userId: string, planId: string, legIndex: number) => {
    const plan = await loadOwn(userId, planId);
    if (await isDryRun(plan))
      throw new SigningRefusal(
        409,
        'not-live',
        'This is a dry run: nothing can be signed (DRY_RUN_MODE, or /live is off).',
      );
    const execution = plan.legs[legIndex]?.execution;
    if (!execution) throw NOT_FOUND();
    return { plan, execution };
  };

  /** A step already sent answers by its hash whatever the plan's state since; a prepared one needs the plan open. */
  const locateStep = async (
    input: { userId: string; planId: string; legIndex: number; stepId: string },
    checkWindow: boolean,
  ) => {
    const { plan, execution } = await ownLeg(input.userId, input.planId, input.legIndex);
    const step = execution.steps.find((item) => item.stepId === input.stepId);
    if (!step) throw new SigningRefusal(404, 'not-found', 'No such step: prepare the transaction again.');
    if (step.state === 'prepared') assertOpen(plan, checkWindow);
    return { plan, legIndex: input.legIndex, execution, step };
  };

  return {
    async view(userId, planId) {
      let plan = await loadOwn(userId, planId);
      const isDue = isPlanOpen(plan)
        ? plan.state === 'submitted' || deps.now().getTime() >= Date.parse(plan.signBy ?? '')
        : isUnreported(plan);
      if (isDue && (await deps.plans.claimTracking(planId, deps.now(), REFRESH_GAP_MS))) {
        if (isPlanOpen(plan)) plan = await refreshPlan(deps, plan);
        // Settled (here or by a look whose message was lost): the worker posts the outcome (once) and re-syncs.
        if (isUnreported(plan)) await scheduleSafely(deps, plan, 0);
      }
      return { plan, dryRun: await isDryRun(plan) };
    },

    async prepare({ userId, planId, legIndex, address }) {
      const { plan, execution } = await ownLeg(userId, planId, legIndex);
      assertOpen(plan, true);
      if (isLegDone(execution)) throw new SigningRefusal(409, 'leg-done', `This trade is already ${execution.state}.`);
      const wallet = execution.walletAddress ?? '';
      if (!sameAddress(wallet, address))
        throw new SigningRefusal(403, 'wrong-wallet', `Connect the wallet ${wallet}: only it can sign this trade.`, {
          expected: wallet,
        });
      if (inFlightStep(execution))
        throw new SigningRefusal(
          409,
          'wait',
          'The previous transaction of this trade is not confirmed yet: wait for it.',
        );
      return prepareNextStep(deps, plan, legIndex, execution);
    },

    async broadcast(input) {
      return broadcastStep(deps, await locateStep(input, true), input.signedTx);
    },

    async submitted(input) {
      // The wallet already sent it: recorded even after the window, so it is tracked and reported.
      return recordSubmitted(deps, await locateStep(input, false), input.txHash);
    },

    async track(planId) {
      const plan = await deps.plans.get(planId);
      return plan ? refreshPlan(deps, plan) : undefined;
    },
  };
}
