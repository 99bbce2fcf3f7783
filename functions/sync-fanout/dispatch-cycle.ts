import type { Context } from 'aws-lambda';
import type { DueIndexStore } from '../../shared/sync/due-index-store';
import { logger as platformLogger, type Log } from '../../shared/platform/logger';
import type { SyncCycleStore } from '../../shared/sync/sync-cycle-store';
import type { MessageSender, OutgoingMessage, SendFailure } from '../../shared/platform/queue/sqs-job-sender';
import { encodeSyncJob } from '../../shared/sync/sync-job';
import { createDueMerge } from '../../shared/sync/due-merge';
import {
  computeCycleBudget,
  createCycleCostCounter,
  measuredRequestsPerAddress,
  type BudgetSettings,
} from '../../shared/sync/request-budget';
import { readSyncCycle, type SyncScheduleEvent } from '../../shared/sync/schedule-event';

/** The Scheduler runs a cycle every 10 minutes (infra SYNC_RATE). */
export const CYCLE_SECONDS = 600;
/** Share of the OKX budget the sync may plan; the rest is left to the bot and health checks. */
export const SYNC_SAFETY_SHARE = 0.8;

export interface DispatchDeps {
  readonly due: Pick<DueIndexStore, 'listDueUsers' | 'countDueUsers'>;
  readonly cycles: Pick<SyncCycleStore, 'claim' | 'recordDispatch' | 'getMeasuredCost'>;
  readonly queue: MessageSender;
  readonly budget: BudgetSettings;
  readonly now?: () => Date;
  /** Users read per shard page. @default 100 */
  readonly pageSize?: number;
  /** Jobs sent per flush while walking the index. @default 100 */
  readonly flushSize?: number;
  /** Stop taking new users when less than this is left of the invocation. @default 5000 */
  readonly safetyMarginMs?: number;
  /** @default the platform logger */
  readonly logger?: Log;
}

export interface FanoutSummary {
  readonly cycleId: string;
  readonly duplicate: boolean;
  readonly budget: number;
  readonly plannedRequests: number;
  /** OKX requests per address the previous cycle really sent, when it left a measurement. */
  readonly measuredPerAddress?: number;
  readonly distinctAddresses: number;
  /** Users read from the due index (enqueued + the first one that did not fit). */
  readonly considered: number;
  readonly enqueued: number;
  readonly skippedForBudget: number;
  /** True when the skipped count stopped at its read bound. */
  readonly skippedCapped: boolean;
  readonly failedToEnqueue: number;
}

export class EnqueueFailedError extends Error {
  constructor(readonly failures: readonly SendFailure[]) {
    super(
      `${failures.length} sync jobs could not be enqueued (${[...new Set(failures.map((failure) => failure.code))].join(', ')})`,
    );
    this.name = 'EnqueueFailedError';
  }
}

/**
 * The fan-out's scheduling, one cycle per scheduled tick: claim `cycle#<scheduledTime>`, walk the due index
 * stalest-first across shards, enqueue `{ userId, cycleId }` jobs while the cycle's OKX request budget lasts,
 * record the dispatch. A repeated tick for the same cycle finds the claim and enqueues nothing.
 */
export async function dispatchCycle(
  deps: DispatchDeps,
  event: SyncScheduleEvent,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<FanoutSummary> {
  const now = deps.now ?? (() => new Date());
  const logger = deps.logger ?? platformLogger;
  const margin = deps.safetyMarginMs ?? 5000;

  /** The previous cycle's measured requests per address (cycle ids are the schedule's times, one cycle apart). */
  async function readMeasuredCost(cycleId: string): Promise<number | undefined> {
    const previous = new Date(Date.parse(cycleId) - deps.budget.cycleSeconds * 1000).toISOString();
    try {
      return measuredRequestsPerAddress(await deps.cycles.getMeasuredCost(previous));
    } catch (error) {
      logger.warn('measured cycle cost unreadable, using the static estimate', {
        cycleId: previous,
        error: (error as Error).name,
      });
      return undefined;
    }
  }

  const { cycleId, slot } = readSyncCycle(event);
  const budget = computeCycleBudget(deps.budget);
  const empty = {
    cycleId,
    budget,
    plannedRequests: 0,
    distinctAddresses: 0,
    considered: 0,
    enqueued: 0,
    skippedForBudget: 0,
    skippedCapped: false,
    failedToEnqueue: 0,
  };
  if ((await deps.cycles.claim(cycleId, now().getTime(), context.getRemainingTimeInMillis())) === 'duplicate') {
    logger.info('sync cycle already claimed', { cycleId });
    return { ...empty, duplicate: true };
  }

  const merge = createDueMerge(deps.due, cycleId, deps.pageSize ?? 100);
  const measuredPerAddress = await readMeasuredCost(cycleId);
  const costs = createCycleCostCounter(measuredPerAddress);
  const pending: OutgoingMessage[] = [];
  const failures: SendFailure[] = [];
  let planned = 0;
  let considered = 0;
  let enqueued = 0;
  let cutOff = false;
  const flush = async () => {
    const report = await deps.queue.send(pending.splice(0));
    enqueued += report.sent;
    failures.push(...report.failed);
  };

  for (let user = await merge.next(); user; user = await merge.next()) {
    considered += 1;
    const cost = costs.costOf(user);
    // The stalest user always goes, even over budget: a user costlier than a whole cycle must not starve.
    const isOverBudget = planned + cost > budget && enqueued + pending.length > 0;
    if (isOverBudget || context.getRemainingTimeInMillis() < margin) {
      cutOff = true;
      break;
    }
    planned += cost;
    costs.commit(user);
    pending.push({ key: `${user.userId}#${slot}`, body: encodeSyncJob(user.userId, cycleId) });
    if (pending.length >= (deps.flushSize ?? 100)) await flush();
  }
  await flush();

  const rest = cutOff ? await merge.countRemaining() : { count: 0, capped: false };
  const skippedForBudget = cutOff ? rest.count + 1 : 0;
  await deps.cycles.recordDispatch(
    cycleId,
    {
      enqueued,
      dueUsers: enqueued + failures.length + skippedForBudget,
      skippedForBudget,
      plannedRequests: Math.ceil(planned),
      budget,
      distinctAddresses: costs.distinctAddresses,
    },
    now().toISOString(),
  );
  const measured = measuredPerAddress === undefined ? {} : { measuredPerAddress };
  const summary = {
    ...empty,
    duplicate: false,
    plannedRequests: Math.ceil(planned),
    ...measured,
    distinctAddresses: costs.distinctAddresses,
    considered,
    enqueued,
    skippedForBudget,
    skippedCapped: rest.capped,
    failedToEnqueue: failures.length,
  };
  logger.info('sync cycle dispatched', summary);
  if (failures.length > 0) throw new EnqueueFailedError(failures);
  return summary;
}
