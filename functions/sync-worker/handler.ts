import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createApp } from '../../shared/app/create-app';
import { SYNC_MAX_RECEIVE_COUNT } from '../../shared/platform/config/env-names';
import { logger as platformLogger, type Log } from '../../shared/platform/logger';
import { metrics } from '../../shared/platform/metrics';
import { createRequestMeter } from '../../shared/platform/okx/okx-http';
import { tracingMiddleware } from '../../shared/platform/tracing';
import type { UserSyncPort } from '../../shared/sync/sync-balances';
import type { SyncCycleStore } from '../../shared/sync/sync-cycle-store';
import {
  parseSyncJob,
  parseTrackPlanJob,
  syncOneUser,
  type JobOutcome,
  type KnownUserItems,
  type SyncJob,
  type SyncOneDeps,
  type TrackPlanJob,
} from '../../shared/sync/sync-job';
import type { AlertEvaluator } from '../../shared/notify/alert-evaluation';
import { trackingOf } from '../../shared/app/tracking-part';

/** What the worker takes from the app: the sync service, the user, lease and cycle stores, and the alerts. */
export interface WorkerParts {
  portfolio(): Promise<UserSyncPort>;
  /** The alert evaluation after each user's sync (issue 14); absent or undefined: no alerts. */
  alerts?(): Promise<Pick<AlertEvaluator, 'evaluate'> | undefined>;
  /** The `track-plan` job (issue 13): a signed plan's look at OKX, its report; absent: such messages fail. */
  tracking?(): Promise<(job: TrackPlanJob) => Promise<string>>;
  stores(): Promise<{
    readonly portfolios: { getUserWithWallets: SyncOneDeps['profiles']['getUser'] };
    readonly leases: SyncOneDeps['leases'];
    readonly cycles: SyncOneDeps['cycles'] & Pick<SyncCycleStore, 'addOkxRequests' | 'recordUserFailed'>;
  }>;
}

export interface WorkerOptions {
  readonly now?: () => Date;
  /** The queue's redrive limit: a failure on this receive is the job's last (it goes to the DLQ). @default SYNC_MAX_RECEIVE_COUNT */
  readonly maxReceiveCount?: number;
  /** Kept free at the end of the invocation so failures are reported before Lambda's timeout. @default 5000 */
  readonly safetyMarginMs?: number;
  /** A user is not started with less time than this left. @default 5000 */
  readonly minUserMs?: number;
  /** @default the platform logger */
  readonly logger?: Log;
}

export interface WorkerStats {
  synced: number;
  skipped: number;
  failed: number;
  okxRequests: number;
  itemsWritten: number;
}

/** The record did not finish: the Batch utility reports it in `batchItemFailures`, so SQS redelivers it. */
class SyncJobNotDoneError extends Error {
  constructor(readonly reason: string) {
    super(`sync job not done (${reason})`);
    this.name = 'SyncJobNotDoneError';
  }
}

/**
 * SQS sync jobs, one user at a time (Powertools Batch, records in order). Every record that did not finish
 * is a batch item failure (partial batch response), so SQS redelivers only those; a poison body fails until
 * it lands in the DLQ after five receives. Each user gets the invocation's remaining time minus a safety
 * margin; records left when time runs out are reported failed without being started. A batch that failed
 * whole is answered the same way, not thrown: the jobs failed, not the function.
 */
export function createWorkerHandler(parts: WorkerParts, options: WorkerOptions = {}) {
  const now = options.now ?? (() => new Date());
  const logger = options.logger ?? platformLogger;
  const margin = options.safetyMarginMs ?? 5000;
  const minUserMs = options.minUserMs ?? 5000;
  const maxReceiveCount = options.maxReceiveCount ?? SYNC_MAX_RECEIVE_COUNT;
  const stats: WorkerStats = { synced: 0, skipped: 0, failed: 0, okxRequests: 0, itemsWritten: 0 };

  const handle = async (
    event: SQSEvent,
    context: Pick<Context, 'getRemainingTimeInMillis' | 'awsRequestId'>,
  ): Promise<SQSBatchResponse> => {
    const [service, { portfolios, leases, cycles }, alerts] = await Promise.all([
      parts.portfolio(),
      parts.stores(),
      parts.alerts?.(),
    ]);
    // The profile and the wallets in one query; the sync then reads only the holdings.
    const deps = {
      service,
      profiles: { getUser: (userId: string) => portfolios.getUserWithWallets(userId) },
      leases,
      cycles,
      now,
    };
    const requestsByCycle = new Map<string, number>();

    /** Counts the failed delivery on its cycle; the last one settles the user as dead-lettered so the cycle can complete. */
    const countFailure = async (job: SyncJob, receiveCount: number) => {
      const deadLettered = receiveCount >= maxReceiveCount;
      await cycles.recordUserFailed(job.cycleId, now().toISOString(), deadLettered).catch((error: unknown) => {
        logger.error('sync job failure not counted', {
          userId: job.userId,
          cycleId: job.cycleId,
          deadLettered,
          error: (error as Error).name,
        });
      });
    };

    /** Never fails the job: the sync is done, and the next evaluation sees the same conditions. */
    const evaluateAlerts = async (
      evaluator: Pick<AlertEvaluator, 'evaluate'>,
      userId: string,
      known: KnownUserItems | undefined,
    ) => {
      try {
        const result = await evaluator.evaluate(userId, known);
        if (result.started + result.cleared + result.sent > 0) logger.info('alerts evaluated', { userId, ...result });
      } catch (error) {
        logger.warn('alert evaluation failed', { userId, error: (error as Error).name });
      }
    };

    /** A signed plan's tracker (issue 13): rides the sync queue; a failure is redelivered like a sync job's. */
    const trackRecord = async (record: SQSRecord, job: TrackPlanJob): Promise<void> => {
      if (!parts.tracking) throw new SyncJobNotDoneError('no tracker');
      try {
        const outcome = await (await parts.tracking())(job);
        logger.info('plan tracked', { planId: job.planId, attempt: job.attempt, outcome });
      } catch (error) {
        logger.error('plan tracking failed', {
          planId: job.planId,
          messageId: record.messageId,
          error: (error as Error).name,
        });
        throw new SyncJobNotDoneError('tracking failed');
      }
    };

    const syncRecord = async (record: SQSRecord): Promise<void> => {
      const track = parseTrackPlanJob(record.body);
      if (track) return trackRecord(record, track);
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
        outcome = await meter.run(() =>
          syncOneUser(deps, parsed, `${context.awsRequestId}/${record.messageId}`, budgetMs),
        );
        if (alerts && isWorthAlerting(outcome))
          await evaluateAlerts(alerts, job.userId, outcome.status === 'synced' ? outcome.known : undefined);
        const level = outcome.status === 'retry' ? 'warn' : 'info';
        logger[level](`sync job ${outcome.status}`, {
          userId: job.userId,
          cycleId: job.cycleId,
          ...fields,
          okxRequests: meter.count,
          ...describe(outcome),
        });
      } catch (error) {
        logger.error('sync job failed', {
          ...fields,
          okxRequests: meter.count,
          error: (error as Error).name,
          detail: (error as Error).message,
        });
      }
      // A synced job's own result counts its sync (the same meter in production); others count what was sent.
      const sent = outcome?.status === 'synced' ? outcome.result.okxRequests : meter.count;
      stats.okxRequests += sent;
      // Every cycle a job of this batch belongs to gets the write, even without requests: it completes the cycle.
      if (job !== undefined) requestsByCycle.set(job.cycleId, (requestsByCycle.get(job.cycleId) ?? 0) + sent);
      if (outcome?.status === 'synced') {
        stats.synced += 1;
        stats.itemsWritten += outcome.result.itemsWritten;
      } else if (outcome?.status === 'skipped') {
        stats.skipped += 1;
      } else {
        stats.failed += 1;
        // A user leased by another worker is that worker's to count.
        if (job && outcome?.reason !== 'leased')
          await countFailure(job, Number(record.attributes.ApproximateReceiveCount));
        throw new SyncJobNotDoneError(outcome?.reason ?? 'failed');
      }
    };

    const response = await processPartialResponse(event, syncRecord, new BatchProcessor(EventType.SQS), {
      processInParallel: false,
      throwOnFullBatchFailure: false,
    });
    // One write per cycle per invocation, after its jobs were counted: the requests they sent (a lost measurement
    // only makes the next plan use the static estimate), and the cycle's completion if its last user settled here.
    for (const [cycleId, requests] of requestsByCycle) {
      await cycles.addOkxRequests(cycleId, requests, now().toISOString()).catch((error: unknown) => {
        logger.warn('cycle request count not recorded', { cycleId, requests, error: (error as Error).name });
      });
    }
    return response;
  };
  return Object.assign(handle, { stats });
}

/**
 * After a sync, and after one whose valued chains or wallets did not answer (its figures are the last good ones,
 * marked stale): that is when a wallet goes unsynced, which the stale-wallet rule is there to tell.
 */
function isWorthAlerting(outcome: JobOutcome): boolean {
  return (
    outcome.status === 'synced' ||
    (outcome.status === 'retry' &&
      (outcome.reason === 'value-chains-failed' || outcome.reason === 'all-wallets-failed'))
  );
}

function describe(outcome: JobOutcome): Record<string, unknown> {
  if (outcome.status !== 'synced') return { reason: outcome.reason };
  const { okxRequests, itemsWritten, walletsSynced, failures } = outcome.result;
  return { okxRequests, itemsWritten, walletsSynced, failedChains: failures.length };
}

/**
 * The Lambda. A failed build of its parts (e.g. the OKX secret unreadable) fails the whole batch (SQS
 * redelivers it) and is tried again on the next invocation.
 */
const app = createApp(process.env);

export const handler = middy(
  createWorkerHandler({
    portfolio: app.portfolio,
    stores: app.stores,
    alerts: app.alerts,
    tracking: () => trackingOf(app),
  }),
)
  .use(injectLambdaContext(platformLogger, { resetKeys: true, logEvent: false }))
  .use(logMetrics(metrics))
  .use(await tracingMiddleware(process.env));
