import type { Context, SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { parseSyncJob } from '../../shared/adapters/queue/sync-job';
import { syncOneUser, type JobOutcome, type SyncOneDeps } from './sync-one-user';

export interface WorkerDeps extends Omit<SyncOneDeps, 'now'> {
  readonly now?: () => Date;
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
  const stats: WorkerStats = { synced: 0, skipped: 0, failed: 0, okxRequests: 0, itemsWritten: 0 };

  const handle = async (event: SQSEvent, context: Pick<Context, 'getRemainingTimeInMillis' | 'awsRequestId'>): Promise<SQSBatchResponse> => {
    const batchItemFailures: SQSBatchItemFailure[] = [];
    for (const record of event.Records) {
      const budgetMs = context.getRemainingTimeInMillis() - margin;
      const fields = { messageId: record.messageId, receiveCount: record.attributes.ApproximateReceiveCount };
      let outcome: JobOutcome | undefined;
      try {
        if (budgetMs < minUserMs) throw new Error(`only ${budgetMs} ms left before the safety margin`);
        const job = parseSyncJob(record.body);
        outcome = await syncOneUser({ ...deps, now }, job, `${context.awsRequestId}/${record.messageId}`, budgetMs);
        log({ level: outcome.status === 'retry' ? 'WARN' : 'INFO', message: `sync job ${outcome.status}`, userId: job.userId, cycleId: job.cycleId, ...fields, ...describe(outcome) });
      } catch (error) {
        log({ level: 'ERROR', message: 'sync job failed', ...fields, error: (error as Error).name, detail: (error as Error).message });
      }
      if (!outcome || outcome.status === 'retry') {
        stats.failed += 1;
        batchItemFailures.push({ itemIdentifier: record.messageId });
      } else if (outcome.status === 'synced') {
        stats.synced += 1;
        stats.okxRequests += outcome.result.okxRequests;
        stats.itemsWritten += outcome.result.itemsWritten;
      } else {
        stats.skipped += 1;
      }
    }
    return { batchItemFailures };
  };
  return Object.assign(handle, { stats });
}

function describe(outcome: JobOutcome): Record<string, unknown> {
  if (outcome.status !== 'synced') return { reason: outcome.reason };
  const { okxRequests, itemsWritten, walletsSynced, failures } = outcome.result;
  return { okxRequests, itemsWritten, walletsSynced, failedChains: failures.length };
}
