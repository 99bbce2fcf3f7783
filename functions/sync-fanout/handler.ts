import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import { createApp } from '../../shared/app/create-app';
import type { Stores } from '../../shared/app/stores';
import { DEFAULTS, ENV, readPositiveIntEnv } from '../../shared/platform/config/env-names';
import { logger, logger as platformLogger, type Log } from '../../shared/platform/logger';
import { metrics } from '../../shared/platform/metrics';
import type { MessageSender, OutgoingMessage, SendFailure } from '../../shared/platform/queue/sqs-job-sender';
import { tracingMiddleware } from '../../shared/platform/tracing';
import { slotOf } from '../../shared/kernel/slots';
import { DUE_SHARD_NUMBERS, type DueIndexStore, type DueUser } from '../../shared/wallets/portfolio-store';
import type { SyncCycleStore } from '../../shared/sync/sync-cycle-store';
import { encodeSyncJob } from '../../shared/sync/sync-job';

/** What the fan-out takes from the app: the due index and cycle stores, and the queue. */
export interface FanoutParts {
  readonly env: Record<string, string | undefined>;
  stores(): Promise<Pick<Stores, 'due' | 'cycles'>>;
  queue(): Promise<MessageSender>;
}

export type FanoutOptions = Omit<DispatchDeps, 'due' | 'cycles' | 'queue' | 'budget'> & {
  /** The local sync loop runs a cycle every SYNC_INTERVAL_SECONDS. @default CYCLE_SECONDS */
  readonly cycleSeconds?: number;
};

/** The fan-out over the app's parts; the Lambda entry below and the local sync loop share it. */
export function createFanoutHandler(parts: FanoutParts, options: FanoutOptions = {}) {
  const { cycleSeconds = CYCLE_SECONDS, ...rest } = options;
  return async (
    event: SyncScheduleEvent,
    context: Pick<Context, 'getRemainingTimeInMillis'>,
  ): Promise<FanoutSummary> => {
    // A bad value fails the invocation (alarm), like every other part of the app's configuration.
    const budget = {
      requestsPerSecond: readPositiveIntEnv(
        ENV.okxRateLimitPerSecond,
        Number(DEFAULTS.okxRateLimitPerSecond),
        parts.env,
      ),
      cycleSeconds,
      safetyShare: SYNC_SAFETY_SHARE,
    };
    const [{ due, cycles }, queue] = await Promise.all([parts.stores(), parts.queue()]);
    return dispatchCycle({ ...rest, due, cycles, queue, budget }, event, context);
  };
}

// The fan-out's scheduling in one file, read top to bottom: the schedule event it is triggered by, the cycle's
// OKX request budget, the stalest-first walk over the due index's shards, then `dispatchCycle`, which uses them.

// --- The schedule event ---

export const SYNC_SCHEDULE_SOURCE = 'esther.sync-schedule';

/** The Scheduler target input (see infra/constructs/sync-pipeline.ts); `time` accepts an EventBridge rule event too. */
export interface SyncScheduleEvent {
  readonly scheduledTime?: string;
  readonly time?: string;
  readonly source?: string;
}

export interface SyncCycle {
  /** Normalised scheduled time: `2026-01-01T10:00:00.000Z`. */
  readonly cycleId: string;
  /** The 10-minute slot of the scheduled time: the `user#slot` job key. */
  readonly slot: string;
}

export class InvalidScheduleEventError extends Error {
  constructor(reason: string) {
    super(`not a sync schedule event: ${reason}`);
    this.name = 'InvalidScheduleEventError';
  }
}

function readSyncCycle(event: SyncScheduleEvent): SyncCycle {
  const scheduledTime = event.scheduledTime ?? event.time;
  if (typeof scheduledTime !== 'string') throw new InvalidScheduleEventError('no scheduledTime');
  const time = new Date(scheduledTime);
  if (Number.isNaN(time.getTime()))
    throw new InvalidScheduleEventError(`scheduledTime "${scheduledTime}" is not a timestamp`);
  return { cycleId: time.toISOString(), slot: slotOf(time) };
}

// --- The cycle's OKX request budget ---

/** OKX balance calls take up to 50 chains each. */
export const CHAINS_PER_REQUEST = 50;

export interface BudgetSettings {
  readonly requestsPerSecond: number;
  readonly cycleSeconds: number;
  /** Share of the OKX budget the sync may use; the rest is left to the bot and health checks. */
  readonly safetyShare: number;
}

function computeCycleBudget(settings: BudgetSettings): number {
  return Math.floor(settings.requestsPerSecond * settings.cycleSeconds * settings.safetyShare);
}

/**
 * Requests per address the last cycle really sent (retries and bisection probes included): its
 * `okxRequests` over the distinct addresses it planned for. Undefined when it left no measurement.
 */
function measuredRequestsPerAddress(
  measured: { okxRequests: number; distinctAddresses: number } | undefined,
): number | undefined {
  if (!measured || measured.distinctAddresses <= 0 || measured.okxRequests <= 0) return undefined;
  return measured.okxRequests / measured.distinctAddresses;
}

/**
 * Prices users in OKX requests for one cycle: ceil(chains / 50) per distinct address, and an address
 * already paid for by an earlier user this cycle is free (the worker's per-slot balance cache serves it).
 * Without a per-address chain count on the user item, an address costs one request (≤ 50 chains).
 * With a measured cost per address from the last cycle, an address costs the larger of the two: failing
 * chains (retries, probes) make the measured figure higher, and the plan follows what is really sent.
 */
function createCycleCostCounter(measuredPerAddress?: number) {
  const counted = new Set<string>();
  return {
    costOf(user: DueUser): number {
      const fresh = new Set(user.walletAddresses.filter((address) => !counted.has(address)));
      let cost = 0;
      for (const address of fresh) {
        const estimate = Math.max(1, Math.ceil((user.chainsByAddress?.[address] ?? 1) / CHAINS_PER_REQUEST));
        cost += Math.max(estimate, measuredPerAddress ?? 0);
      }
      return cost;
    },
    commit(user: DueUser): void {
      for (const address of user.walletAddresses) counted.add(address);
    },
    get distinctAddresses(): number {
      return counted.size;
    },
  };
}

// --- Stalest-first across the due index's shards ---

interface ShardCursor {
  readonly shard: number;
  buffer: DueUser[];
  cursor?: string;
  exhausted: boolean;
}

export interface DueMerge {
  /** The next user with the oldest `lastSyncedAt` across all shards, or undefined when none is left. */
  next(): Promise<DueUser | undefined>;
  /** Users not yet returned by `next` (bounded count; `capped` when the bound hit). */
  countRemaining(): Promise<{ count: number; capped: boolean }>;
}

/**
 * K-way merge of the write-sharded due index: each shard is read page by page in sort-key order
 * (`<lastSyncedAt>#<userId>`), and the smallest head wins, so the globally stalest user comes first.
 */
function createDueMerge(
  store: Pick<DueIndexStore, 'listDueUsers' | 'countDueUsers'>,
  syncedBefore: string,
  pageSize: number,
): DueMerge {
  const shards: ShardCursor[] = DUE_SHARD_NUMBERS.map((shard) => ({ shard, buffer: [], exhausted: false }));

  const fill = async (shard: ShardCursor) => {
    if (shard.buffer.length > 0 || shard.exhausted) return;
    const page = await store.listDueUsers(shard.shard, { limit: pageSize, cursor: shard.cursor, syncedBefore });
    shard.buffer = [...page.users];
    shard.cursor = page.cursor;
    shard.exhausted = page.cursor === undefined;
  };

  return {
    async next() {
      // A page can come back empty while the cursor continues (DynamoDB paging): keep filling until settled.
      while (shards.some((shard) => shard.buffer.length === 0 && !shard.exhausted)) await Promise.all(shards.map(fill));
      let best: ShardCursor | undefined;
      for (const shard of shards) {
        const head = shard.buffer[0];
        if (head && (!best || head.dueKey < best.buffer[0]!.dueKey)) best = shard;
      }
      return best?.buffer.shift();
    },
    async countRemaining() {
      const counts = await Promise.all(
        shards.map(async (shard) => {
          const rest = shard.exhausted
            ? { count: 0, capped: false }
            : await store.countDueUsers(shard.shard, { cursor: shard.cursor, syncedBefore });
          return { count: rest.count + shard.buffer.length, capped: rest.capped };
        }),
      );
      return {
        count: counts.reduce((sum, entry) => sum + entry.count, 0),
        capped: counts.some((entry) => entry.capped),
      };
    },
  };
}

// --- One cycle ---

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

/** EventBridge Scheduler target: `{"scheduledTime":"…","source":"esther.sync-schedule"}`. A failure (a config error, jobs not enqueued) fails the invocation (alarm). */
export const handler = middy(createFanoutHandler(createApp(process.env)))
  .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
  .use(logMetrics(metrics))
  .use(await tracingMiddleware(process.env));
