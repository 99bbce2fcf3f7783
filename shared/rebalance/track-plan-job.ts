import type { MessageSender } from '../platform/queue/sqs-job-sender';
import type { StoredPlan } from './plan-store';

/**
 * The tracker's message on the sync queue (issue 13): a delayed look at a plan in flight, handled by the sync worker.
 * Told apart from a sync job by `kind`.
 */
export interface TrackPlanJob {
  readonly v: 1;
  readonly kind: 'track-plan';
  readonly planId: string;
  readonly userId: string;
  /** 0-based: the back-off grows with it (execution-rules.ts trackDelaySeconds). */
  readonly attempt: number;
}

export function encodeTrackPlanJob(job: Omit<TrackPlanJob, 'v' | 'kind'>): string {
  return JSON.stringify({ v: 1, kind: 'track-plan', ...job } satisfies TrackPlanJob);
}

/** The job when the body is one, else undefined (a sync job or junk, for the sync job parser to judge). */
export function parseTrackPlanJob(body: string): TrackPlanJob | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || (value as { kind?: unknown }).kind !== 'track-plan')
    return undefined;
  const { planId, userId, attempt } = value as Record<string, unknown>;
  if (typeof planId !== 'string' || planId === '' || typeof userId !== 'string' || userId === '') return undefined;
  const tries = typeof attempt === 'number' && Number.isSafeInteger(attempt) && attempt >= 0 ? attempt : 0;
  return { v: 1, kind: 'track-plan', planId, userId, attempt: tries };
}

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
