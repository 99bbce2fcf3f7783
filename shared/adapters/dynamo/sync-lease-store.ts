import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ignoreConditionFailure, isConditionFailure } from './condition-failure';
import { keys, ttlAfter } from './keys';

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
  /** Ends the lease and records the cycle as synced; a no-op if the lease was lost meanwhile. */
  complete(userId: string, owner: string, cycleId: string, at: string): Promise<void>;
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
  const endLease = async (userId: string, owner: string, at: string, cycleId?: string) => {
    await doc
      .send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.syncLease(userId),
          UpdateExpression: `REMOVE #owner, leaseExpiresAt SET updatedAt = :at${cycleId ? ', syncedCycle = :cycle' : ''}`,
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner, ':at': at, ...(cycleId ? { ':cycle': cycleId } : {}) },
        }),
      )
      .catch(ignoreConditionFailure);
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
            ConditionExpression: '(attribute_not_exists(leaseExpiresAt) OR leaseExpiresAt < :now) AND (attribute_not_exists(syncedCycle) OR syncedCycle < :cycle)',
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
      const current = (await doc.send(new GetCommand({ TableName: tableName, Key: keys.syncLease(userId), ConsistentRead: true }))).Item ?? {};
      const syncedCycle = current.syncedCycle as string | undefined;
      if (syncedCycle !== undefined && syncedCycle >= cycleId) return { outcome: 'done', syncedCycle };
      return { outcome: 'busy', owner: String(current.owner), expiresAt: Number(current.leaseExpiresAt) };
    },
    complete: (userId, owner, cycleId, at) => endLease(userId, owner, at, cycleId),
    release: (userId, owner, at) => endLease(userId, owner, at),
  };
}
