import { GetCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type TransactItems, ignoreConditionFailure, isConditionFailure } from '../platform/dynamo/dynamo-ops';
import { keys, ttlAfter } from '../platform/dynamo/keys';

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
