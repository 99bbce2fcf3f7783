import { GetCommand, UpdateCommand, type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ignoreConditionFailure, type TransactItems, isConditionFailure } from '../platform/dynamo/dynamo-ops';
import { keys, ttlAfter } from '../platform/dynamo/keys';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRIC, type MetricsSink } from '../platform/metrics';

// The sessions table's sync bookkeeping: each cycle's record (dispatch, completion, measured OKX cost) and each
// user's sync lease.

/** What the fan-out recorded when it finished enqueuing a cycle. */
export interface CycleDispatch {
  readonly enqueued: number;
  /** Users due at the start of the cycle (enqueued + left waiting for budget). */
  readonly dueUsers: number;
  readonly skippedForBudget: number;
  readonly plannedRequests: number;
  readonly budget: number;
  /** Distinct addresses the enqueued users hold: the denominator of the measured cost per address. */
  readonly distinctAddresses?: number;
}

/** What a cycle's jobs actually sent to OKX (retries and probes included), for the next cycle's plan. */
export interface MeasuredCycleCost {
  readonly okxRequests: number;
  readonly distinctAddresses: number;
}

export interface CompletedCycle {
  readonly cycleId: string;
  readonly completedAt: string;
  readonly enqueued: number;
  readonly dueUsers: number;
  /** Users whose job failed its last delivery and went to the dead-letter queue (they settle the cycle unsynced). */
  readonly deadLettered: number;
  /** Failed deliveries, redelivered or not. */
  readonly failedAttempts: number;
}

export type ClaimOutcome = 'claimed' | 'duplicate';

export interface SyncCycleStore {
  /** Claims the cycle for one fan-out; a claim left by a crashed fan-out lapses after `holdMs`. */
  claim(cycleId: string, nowMs: number, holdMs: number): Promise<ClaimOutcome>;
  /** Marks the cycle dispatched; completes it at once when every job is already done (or there were none). */
  recordDispatch(cycleId: string, dispatch: CycleDispatch, at: string): Promise<void>;
  /** Counts one user done for the cycle; the last one completes it. */
  recordUserDone(cycleId: string, at: string): Promise<void>;
  /** The "one user done" counter as a transaction item, to be written with the lease that records the sync. */
  countDoneItem(cycleId: string, at: string): TransactItems[number];
  /** Completes the cycle when every enqueued user settled (done or dead-lettered); a no-op otherwise. */
  completeIfSettled(cycleId: string, at: string): Promise<void>;
  /**
   * Counts a failed delivery; `deadLettered` (the job's last delivery) also settles the user, so a cycle
   * with failing jobs still completes, with the count of dead-lettered users.
   */
  recordUserFailed(cycleId: string, at: string, deadLettered: boolean): Promise<void>;
  getLastCompleted(): Promise<CompletedCycle | undefined>;
  /**
   * Adds OKX requests the cycle's jobs sent (a job retried later adds again; 0 is fine); unknown cycles are
   * ignored. The same write reads back the counters, so the worker's one write per cycle per invocation also
   * completes the cycle once every enqueued user settled (the jobs were counted before it).
   */
  addOkxRequests(cycleId: string, requests: number, at: string): Promise<void>;
  /** The requests a cycle's jobs sent and the addresses it planned for; undefined before both are known. */
  getMeasuredCost(cycleId: string): Promise<MeasuredCycleCost | undefined>;
}

/** Cycle items live a week: enough for debugging, no unbounded growth. */
const CYCLE_ITEM_SECONDS = 7 * 86_400;
/** The pointer to the newest completed cycle. Cycle ids are ISO timestamps, so this can never clash. */
const LAST_COMPLETED = 'last-completed';

/**
 * Cycle claims and progress in the sessions table: `cycle#<scheduledTime>` holds the claim state,
 * the dispatch summary and counters (`done` per synced user, `deadLettered` per user whose last delivery
 * failed, `settled` = both, `failedAttempts` per failed delivery); it completes when `settled >= enqueued`, and `cycle#last-completed`
 * points at the newest cycle whose jobs all finished, for the health route. The one write that completes a
 * cycle also emits `SyncCyclesCompleted` and `SyncCycleDurationSeconds` (the "sync stopped" alarm, sync lag).
 */
export function createSyncCycleStore(
  doc: DynamoDBDocumentClient,
  tableName: string,
  metrics?: MetricsSink,
): SyncCycleStore {
  const tryComplete = async (cycleId: string, at: string) => {
    const completed = await doc
      .send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.syncCycle(cycleId),
          UpdateExpression: 'SET #state = :completed, completedAt = :at, updatedAt = :at',
          ConditionExpression: '#state = :dispatched AND settled >= enqueued',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':completed': 'completed', ':dispatched': 'dispatched', ':at': at },
          ReturnValues: 'ALL_NEW',
        }),
      )
      .catch(ignoreConditionFailure);
    const item = completed?.Attributes;
    if (!item) return;
    recordCompleted(cycleId, at);
    await doc
      .send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.syncCycle(LAST_COMPLETED),
          UpdateExpression:
            'SET entity = :entity, cycleId = :cycle, completedAt = :at, enqueued = :enqueued, dueUsers = :due, deadLettered = :dead, failedAttempts = :failed, updatedAt = :at, createdAt = if_not_exists(createdAt, :at)',
          ConditionExpression: 'attribute_not_exists(cycleId) OR cycleId < :cycle',
          ExpressionAttributeValues: {
            ':entity': 'sync-cycle-pointer',
            ':cycle': cycleId,
            ':at': at,
            ':enqueued': item.enqueued,
            ':due': item.dueUsers,
            ':dead': item.deadLettered ?? 0,
            ':failed': item.failedAttempts ?? 0,
          },
        }),
      )
      .catch(ignoreConditionFailure);
  };

  /** Exactly once per cycle: only the conditional write that moved it to `completed` gets here. */
  const recordCompleted = (cycleId: string, at: string) => {
    if (!metrics) return;
    metrics.addMetric(METRIC.syncCyclesCompleted, MetricUnit.Count, 1);
    // Cycle ids are the schedule's ISO time; the duration is skipped for any other id.
    const seconds = (Date.parse(at) - Date.parse(cycleId)) / 1000;
    if (Number.isFinite(seconds) && seconds >= 0)
      metrics.addMetric(METRIC.syncCycleDurationSeconds, MetricUnit.Seconds, seconds);
  };

  /** A counter update on a cycle a fan-out claimed: a stray job for an unknown cycle must not create an item without a TTL. */
  const counter = (cycleId: string, at: string, UpdateExpression: string) => ({
    TableName: tableName,
    Key: keys.syncCycle(cycleId),
    UpdateExpression,
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeValues: { ':one': 1, ':at': at },
  });
  /** Completes the cycle when a counter write read back every enqueued user settled. */
  const completeIfAllSettled = async (cycleId: string, at: string, item: Record<string, unknown> | undefined) => {
    if (item?.state === 'dispatched' && (item.settled as number) >= (item.enqueued as number))
      await tryComplete(cycleId, at);
  };
  const count = async (cycleId: string, at: string, expression: string) => {
    const result = await doc
      .send(new UpdateCommand({ ...counter(cycleId, at, expression), ReturnValues: 'ALL_NEW' }))
      .catch(ignoreConditionFailure);
    await completeIfAllSettled(cycleId, at, result?.Attributes);
  };

  return {
    async claim(cycleId, nowMs, holdMs) {
      const at = new Date(nowMs).toISOString();
      try {
        await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.syncCycle(cycleId),
            UpdateExpression:
              'SET entity = :entity, cycleId = :cycle, #state = :claimed, claimExpiresAt = :expires, createdAt = if_not_exists(createdAt, :at), updatedAt = :at, #ttl = :ttl',
            ConditionExpression: 'attribute_not_exists(pk) OR (#state = :claimed AND claimExpiresAt < :now)',
            ExpressionAttributeNames: { '#state': 'state', '#ttl': 'ttl' },
            ExpressionAttributeValues: {
              ':entity': 'sync-cycle',
              ':cycle': cycleId,
              ':claimed': 'claimed',
              ':expires': nowMs + holdMs,
              ':now': nowMs,
              ':at': at,
              ':ttl': ttlAfter(nowMs, CYCLE_ITEM_SECONDS),
            },
          }),
        );
        return 'claimed';
      } catch (error) {
        ignoreConditionFailure(error);
        return 'duplicate';
      }
    },
    async recordDispatch(cycleId, dispatch, at) {
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.syncCycle(cycleId),
          UpdateExpression:
            'SET #state = :dispatched, dispatchedAt = :at, updatedAt = :at, enqueued = :enqueued, dueUsers = :due, skippedForBudget = :skipped, plannedRequests = :planned, budget = :budget, distinctAddresses = :addresses, done = if_not_exists(done, :zero), settled = if_not_exists(settled, :zero), deadLettered = if_not_exists(deadLettered, :zero), failedAttempts = if_not_exists(failedAttempts, :zero) REMOVE claimExpiresAt',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':dispatched': 'dispatched',
            ':at': at,
            ':enqueued': dispatch.enqueued,
            ':due': dispatch.dueUsers,
            ':skipped': dispatch.skippedForBudget,
            ':planned': dispatch.plannedRequests,
            ':budget': dispatch.budget,
            ':addresses': dispatch.distinctAddresses ?? 0,
            ':zero': 0,
          },
        }),
      );
      await tryComplete(cycleId, at);
    },
    async recordUserDone(cycleId, at) {
      await count(cycleId, at, 'ADD done :one, settled :one SET updatedAt = :at');
    },
    countDoneItem: (cycleId, at) => ({
      Update: { ...counter(cycleId, at, 'ADD done :one, settled :one SET updatedAt = :at') },
    }),
    completeIfSettled: (cycleId, at) => tryComplete(cycleId, at),
    async recordUserFailed(cycleId, at, deadLettered) {
      await count(
        cycleId,
        at,
        deadLettered
          ? 'ADD failedAttempts :one, deadLettered :one, settled :one SET updatedAt = :at'
          : 'ADD failedAttempts :one SET updatedAt = :at',
      );
    },
    async addOkxRequests(cycleId, requests, at) {
      const result = await doc
        .send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.syncCycle(cycleId),
            UpdateExpression: 'ADD okxRequests :requests SET updatedAt = :at',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':requests': requests, ':at': at },
            ReturnValues: 'ALL_NEW',
          }),
        )
        .catch(ignoreConditionFailure);
      await completeIfAllSettled(cycleId, at, result?.Attributes);
    },
    async getMeasuredCost(cycleId) {
      const item = (await doc.send(new GetCommand({ TableName: tableName, Key: keys.syncCycle(cycleId) }))).Item;
      const okxRequests = item?.okxRequests;
      const distinctAddresses = item?.distinctAddresses;
      if (typeof okxRequests !== 'number' || typeof distinctAddresses !== 'number' || distinctAddresses <= 0)
        return undefined;
      return { okxRequests, distinctAddresses };
    },
    async getLastCompleted() {
      const item = (await doc.send(new GetCommand({ TableName: tableName, Key: keys.syncCycle(LAST_COMPLETED) }))).Item;
      if (!item) return undefined;
      return {
        cycleId: item.cycleId as string,
        completedAt: item.completedAt as string,
        enqueued: item.enqueued as number,
        dueUsers: item.dueUsers as number,
        deadLettered: (item.deadLettered as number | undefined) ?? 0,
        failedAttempts: (item.failedAttempts as number | undefined) ?? 0,
      };
    },
  };
}

export type LeaseOutcome =
  | { readonly outcome: 'acquired' }
  /** The user was already synced for this cycle (or a later one): nothing to do. */
  | { readonly outcome: 'done'; readonly syncedCycle: string }
  /** Another worker holds an unexpired lease. */
  | { readonly outcome: 'busy'; readonly owner: string; readonly expiresAt: number };

export interface LeaseRequest {
  readonly userId: string;
  readonly owner: string;
  readonly cycleId: string;
  readonly nowMs: number;
  /** The lease lapses after this long even if its holder dies (e.g. the invocation's remaining time). */
  readonly holdMs: number;
}

export interface SyncLeaseStore {
  acquire(request: LeaseRequest): Promise<LeaseOutcome>;
  /**
   * Ends the lease and records the cycle as synced; a no-op if the lease was lost meanwhile. `alongside`
   * (e.g. the cycle's done counter) is written in the same transaction, so a user is counted exactly
   * when its lease records the cycle: a redelivery after a failure can neither miss nor repeat the count.
   * If only `alongside`'s condition fails (an unknown cycle), the lease is still completed.
   */
  complete(
    userId: string,
    owner: string,
    cycleId: string,
    at: string,
    alongside?: TransactItems[number],
  ): Promise<void>;
  /** Pushes the expiry of a held lease out to `nowMs + holdMs` (the holder's heartbeat); false if it was lost. */
  renew(userId: string, owner: string, nowMs: number, holdMs: number): Promise<boolean>;
  /** Ends the lease without recording a sync (the job failed and will be redelivered). */
  release(userId: string, owner: string, at: string): Promise<void>;
}

/** How long the lease item (and its `syncedCycle` marker) lives after its last write. */
const LEASE_ITEM_SECONDS = 86_400;

/**
 * One item per user in the sessions table: an expiring lease so two workers never sync the same user
 * at once, plus `syncedCycle`, the newest cycle this user was synced for (redeliveries become no-ops).
 */
export function createSyncLeaseStore(doc: DynamoDBDocumentClient, tableName: string): SyncLeaseStore {
  const endLease = (userId: string, owner: string, at: string, cycleId?: string) => ({
    TableName: tableName,
    Key: keys.syncLease(userId),
    UpdateExpression: `REMOVE #owner, leaseExpiresAt SET updatedAt = :at${cycleId ? ', syncedCycle = :cycle' : ''}`,
    ConditionExpression: '#owner = :owner',
    ExpressionAttributeNames: { '#owner': 'owner' },
    ExpressionAttributeValues: { ':owner': owner, ':at': at, ...(cycleId ? { ':cycle': cycleId } : {}) },
  });
  const endLeaseAlone = async (update: ReturnType<typeof endLease>) => {
    await doc.send(new UpdateCommand(update)).catch(ignoreConditionFailure);
  };

  return {
    async acquire({ userId, owner, cycleId, nowMs, holdMs }) {
      const at = new Date(nowMs).toISOString();
      try {
        await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.syncLease(userId),
            UpdateExpression:
              'SET entity = :entity, userId = :userId, #owner = :owner, leaseExpiresAt = :expires, leasedCycle = :cycle, updatedAt = :at, createdAt = if_not_exists(createdAt, :at), #ttl = :ttl',
            ConditionExpression:
              '(attribute_not_exists(leaseExpiresAt) OR leaseExpiresAt < :now) AND (attribute_not_exists(syncedCycle) OR syncedCycle < :cycle)',
            ExpressionAttributeNames: { '#owner': 'owner', '#ttl': 'ttl' },
            ExpressionAttributeValues: {
              ':entity': 'sync-lease',
              ':userId': userId,
              ':owner': owner,
              ':expires': nowMs + holdMs,
              ':cycle': cycleId,
              ':at': at,
              ':now': nowMs,
              ':ttl': ttlAfter(nowMs, LEASE_ITEM_SECONDS),
            },
          }),
        );
        return { outcome: 'acquired' };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      const current =
        (await doc.send(new GetCommand({ TableName: tableName, Key: keys.syncLease(userId), ConsistentRead: true })))
          .Item ?? {};
      const syncedCycle = current.syncedCycle as string | undefined;
      if (syncedCycle !== undefined && syncedCycle >= cycleId) return { outcome: 'done', syncedCycle };
      return { outcome: 'busy', owner: String(current.owner), expiresAt: Number(current.leaseExpiresAt) };
    },
    async complete(userId, owner, cycleId, at, alongside) {
      const update = endLease(userId, owner, at, cycleId);
      if (!alongside) return endLeaseAlone(update);
      try {
        await doc.send(new TransactWriteCommand({ TransactItems: [{ Update: update }, alongside] }));
      } catch (error) {
        const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
        // The lease was lost (index 0): its new holder counts the user. Only the companion refused: end the lease alone.
        if (reasons?.[0]?.Code === 'ConditionalCheckFailed') return;
        if (reasons?.[1]?.Code === 'ConditionalCheckFailed') return endLeaseAlone(update);
        throw error;
      }
    },
    release: (userId, owner, at) => endLeaseAlone(endLease(userId, owner, at)),
    async renew(userId, owner, nowMs, holdMs) {
      const renewed = await doc
        .send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.syncLease(userId),
            UpdateExpression: 'SET leaseExpiresAt = :expires, updatedAt = :at',
            ConditionExpression: '#owner = :owner',
            ExpressionAttributeNames: { '#owner': 'owner' },
            ExpressionAttributeValues: {
              ':owner': owner,
              ':expires': nowMs + holdMs,
              ':at': new Date(nowMs).toISOString(),
            },
          }),
        )
        .catch(ignoreConditionFailure);
      return renewed !== undefined;
    },
  };
}
