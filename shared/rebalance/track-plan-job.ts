import type { MessageSender } from '../platform/queue/sqs-job-sender';
import type { StoredPlan } from './plan-store';
import { encodeTrackPlanJob } from '../sync/sync-job';

/** Schedules the tracker's next look on the sync queue (SQS DelaySeconds; the local loop honours it too). */
export function createTrackingScheduler(queue: MessageSender) {
  return async (plan: StoredPlan, delaySeconds: number, attempt: number): Promise<void> => {
    const report = await queue.send([
      {
        key: `track#${plan.planId}#${attempt}`,
        body: encodeTrackPlanJob({ planId: plan.planId, userId: plan.userId, attempt }),
        delaySeconds,
      },
    ]);
    if (report.failed.length > 0) throw new Error(`track-plan message not sent (${report.failed[0]!.code})`);
  };
}
