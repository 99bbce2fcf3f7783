import type { Log } from '../platform/logger';
import type { PortfolioServicePort } from '../portfolio/portfolio-service-port';
import type { UserSyncPort } from '../sync/sync-balances';
import { inFlightStep, trackDelaySeconds } from '../rebalance/execution-rules';
import type { PlanStore, StoredPlan } from '../rebalance/plan-store';
import { isPlanOpen } from '../rebalance/plan-tracker';
import type { SettingsStore } from '../rebalance/settings-store';
import type { SigningService } from '../rebalance/signing-service';
import type { TrackPlanJob } from '../sync/sync-job';
import type { NotificationOutbox } from './notification';
import { renderPlanOutcome, type AllocationRows } from './plan-outcome-message';

export interface PlanTrackingDeps {
  readonly signing: Pick<SigningService, 'track'>;
  readonly plans: Pick<PlanStore, 'claimReport'>;
  readonly schedule: (plan: StoredPlan, delaySeconds: number, attempt: number) => Promise<void>;
  readonly outbox: NotificationOutbox;
  readonly portfolio: UserSyncPort & Pick<PortfolioServicePort, 'getTargetAllocation' | 'suggestRebalance'>;
  readonly settings: Pick<SettingsStore, 'get'>;
  readonly now: () => Date;
  readonly logger: Log;
}

export type TrackOutcome = 'gone' | 'idle' | 'rescheduled' | 'reported' | 'already-reported';

/**
 * The sync worker's `track-plan` job (issue 13): one look at OKX for the plan's transactions in flight; while
 * something is in flight the next look is queued with back-off (5 s, 10 s, 20 s … 5 min; the 30-minute give-up is
 * the tracker's rule). On a settled plan: the user's wallets are synced fresh (the trades moved them), the outcome
 * is posted to the user's private chat once (notification id `plan#<planId>`, the sender's idempotency key, and
 * the plan's `reportedAt` claim).
 */
export function createPlanTrackingJob(deps: PlanTrackingDeps) {
  return async (job: TrackPlanJob): Promise<TrackOutcome> => {
    const plan = await deps.signing.track(job.planId);
    if (!plan || plan.userId !== job.userId) return 'gone';
    if (isPlanOpen(plan)) {
      if (!plan.legs.some((item) => item.execution && inFlightStep(item.execution))) {
        // Between trades: the page schedules a look after the next submission; if none comes, one look when the
        // signing window closes expires the rest and reports what was done (SQS delays up to 15 minutes).
        if (plan.state !== 'submitted' || !plan.signBy) return 'idle';
        const untilClose = Math.ceil((Date.parse(plan.signBy) - deps.now().getTime()) / 1000) + 1;
        await deps.schedule(plan, Math.min(900, Math.max(1, untilClose)), job.attempt + 1);
        return 'rescheduled';
      }
      await deps.schedule(plan, trackDelaySeconds(job.attempt + 1), job.attempt + 1);
      return 'rescheduled';
    }
    if (plan.reportedAt) return 'already-reported';
    const { allocation, isMeasured } = await allocationAfter(deps, plan);
    await deps.outbox.send([
      {
        id: `plan#${plan.planId}`,
        userId: plan.userId,
        // Rebalancing is private-only: the plan's chat is the user's private chat.
        chatId: plan.userId,
        kind: 'execution',
        text: renderPlanOutcome(plan, allocation, isMeasured),
      },
    ]);
    return (await deps.plans.claimReport(plan.planId, deps.now().toISOString())) ? 'reported' : 'already-reported';
  };
}

/** A fresh sync (past the slot's balance cache), then the allocation against the target; else the plan's projection. */
async function allocationAfter(
  deps: PlanTrackingDeps,
  plan: StoredPlan,
): Promise<{ allocation: AllocationRows; isMeasured: boolean }> {
  try {
    await deps.portfolio.syncBalances(plan.userId, { fresh: true });
    const target = await deps.portfolio.getTargetAllocation(plan.userId);
    if (!target) return { allocation: plan.allocation, isMeasured: false };
    const settings = await deps.settings.get(plan.userId);
    const now = await deps.portfolio.suggestRebalance(plan.userId, target, 'target', settings.unlisted);
    return { allocation: now.allocation, isMeasured: true };
  } catch (error) {
    deps.logger.warn('sync after a rebalance failed', { userId: plan.userId, error: (error as Error).name });
    return { allocation: plan.allocation, isMeasured: false };
  }
}
