import type { Context, SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { SyncCycleStore } from '../../shared/sync/sync-cycle-store';
import { createRequestMeter } from '../../shared/platform/okx/request-meter';
import { parseSyncJob, type SyncJob } from '../../shared/sync/sync-job';
import { SYNC_MAX_RECEIVE_COUNT } from '../../shared/platform/config/sync-queue';
import { syncOneUser, type JobOutcome, type SyncOneDeps } from '../../shared/sync/sync-one-user';

export interface WorkerDeps extends Omit<SyncOneDeps, 'now' | 'cycles'> {
  readonly cycles: SyncOneDeps['cycles'] & Pick<SyncCycleStore, 'addOkxRequests' | 'recordUserFailed'>;
  readonly now?: () => Date;
  /** The queue's redrive limit: a failure on this receive is the job's last (it goes to the DLQ). @default SYNC_MAX_RECEIVE_COUNT */
  readonly maxReceiveCount?: number;
  /** Kept free at the end of the invocation so failures are reported before Lambda's timeout. @default 5000 */
  readonly safetyMarginMs?: number;
  /** A user is not started with less time than this left. @default 5000 */
  readonly minUserMs?: number;
  readonly log?: (entry: Record<string, unknown>) => void;
}

export interface WorkerStats {
  synced: number;
  skipped: number;
  failed: number;
  okxRequests: number;
  itemsWritten: number;
}

/**
 * SQS sync jobs, one user at a time. Every record that did not finish is reported in
 * `batchItemFailures` (partial batch response), so SQS redelivers only those; a poison body fails
 * until it lands in the DLQ after five receives. Each user gets the invocation's remaining time minus
 * a safety margin; records left when time runs out are reported failed without being started.
 */
export function createWorkerHandler(deps: WorkerDeps) {
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? ((entry) => console.log(JSON.stringify(entry)));
  const margin = deps.safetyMarginMs ?? 5000;
  const minUserMs = deps.minUserMs ?? 5000;
  const maxReceiveCount = deps.maxReceiveCount ?? SYNC_MAX_RECEIVE_COUNT;
  /** Counts the failed delivery on its cycle; the last one settles the user as dead-lettered so the cycle can complete. */
  const countFailure = async (job: SyncJob, receiveCount: number) => {
    const deadLettered = receiveCount >= maxReceiveCount;
    await deps.cycles.recordUserFailed(job.cycleId, now().toISOString(), deadLettered).catch((error: unknown) => {
      log({ level: 'ERROR', message: 'sync job failure not counted', userId: job.userId, cycleId: job.cycleId, deadLettered, error: (error as Error).name });
    });
  };
  const stats: WorkerStats = { synced: 0, skipped: 0, failed: 0, okxRequests: 0, itemsWritten: 0 };

  const handle = async (event: SQSEvent, context: Pick<Context, 'getRemainingTimeInMillis' | 'awsRequestId'>): Promise<SQSBatchResponse> => {
    const batchItemFailures: SQSBatchItemFailure[] = [];
    const requestsByCycle = new Map<string, number>();
    for (const record of event.Records) {
      const budgetMs = context.getRemainingTimeInMillis() - margin;
      const fields = { messageId: record.messageId, receiveCount: record.attributes.ApproximateReceiveCount };
      let outcome: JobOutcome | undefined;
      let job: SyncJob | undefined;
      // Every request the job sent, whatever its outcome: a failed or retried job spent budget too.
      const meter = createRequestMeter();
      try {
        job = parseSyncJob(record.body);
        if (budgetMs < minUserMs) throw new Error(`only ${budgetMs} ms left before the safety margin`);
        const parsed = job;
        outcome = await meter.run(() => syncOneUser({ ...deps, now }, parsed, `${context.awsRequestId}/${record.messageId}`, budgetMs));
        log({ level: outcome.status === 'retry' ? 'WARN' : 'INFO', message: `sync job ${outcome.status}`, userId: job.userId, cycleId: job.cycleId, ...fields, okxRequests: meter.count, ...describe(outcome) });
      } catch (error) {
        log({ level: 'ERROR', message: 'sync job failed', ...fields, okxRequests: meter.count, error: (error as Error).name, detail: (error as Error).message });
      }
      // A synced job's own result counts its sync (the same meter in production); others count what was sent.
      const sent = outcome?.status === 'synced' ? outcome.result.okxRequests : meter.count;
      stats.okxRequests += sent;
      // Every cycle a job of this batch belongs to gets the write, even without requests: it completes the cycle.
      if (job !== undefined) requestsByCycle.set(job.cycleId, (requestsByCycle.get(job.cycleId) ?? 0) + sent);
      if (!outcome || outcome.status === 'retry') {
        stats.failed += 1;
        batchItemFailures.push({ itemIdentifier: record.messageId });
        // A user leased by another worker is that worker's to count.
        if (job && outcome?.reason !== 'leased') await countFailure(job, Number(record.attributes.ApproximateReceiveCount));
      } else if (outcome.status === 'synced') {
        stats.synced += 1;
        stats.itemsWritten += outcome.result.itemsWritten;
      } else {
        stats.skipped += 1;
      }
    }
    await recordCycleRequests(requestsByCycle);
    return { batchItemFailures };
  };

  /**
   * One write per cycle per invocation, after its jobs were counted: the requests they sent (a lost measurement
   * only makes the next plan use the static estimate), and the cycle's completion if its last user settled here.
   */
  async function recordCycleRequests(requestsByCycle: ReadonlyMap<string, number>): Promise<void> {
    for (const [cycleId, requests] of requestsByCycle) {
      try {
        await deps.cycles.addOkxRequests(cycleId, requests, now().toISOString());
      } catch (error) {
        log({ level: 'WARN', message: 'cycle request count not recorded', cycleId, requests, error: (error as Error).name });
      }
    }
  }
  return Object.assign(handle, { stats });
}

function describe(outcome: JobOutcome): Record<string, unknown> {
  if (outcome.status !== 'synced') return { reason: outcome.reason };
  const { okxRequests, itemsWritten, walletsSynced, failures } = outcome.result;
  return { okxRequests, itemsWritten, walletsSynced, failedChains: failures.length };
}
